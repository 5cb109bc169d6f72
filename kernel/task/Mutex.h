// A sleeping, recursive mutex for long kernel operations (file systems and
// the disk I/O under them) that must not run with interrupts off.
//
// A thread that dies while holding it (a process killed from outside in
// the middle of a system call) does not block everyone else for ever: the
// next locker sees that the owner is gone, logs it and takes the lock over.
// What the dead owner was changing is then in whatever state it left it;
// for a file system that means at worst what a power cut would leave.
#pragma once

#include "kernel/task/WaitQueue.h"

namespace task {

class Mutex {
public:
    explicit constexpr Mutex(const char* name) : m_name(name) { }
    void lock();
    void unlock();
    bool is_locked_by_current_thread() const;

private:
    const char* m_name;
    bool m_locked { false };
    u32 m_owner { 0 };
    u32 m_depth { 0 };
    WaitQueue m_waiters;
};

class MutexLocker {
public:
    explicit MutexLocker(Mutex& mutex) : m_mutex(mutex) { m_mutex.lock(); }
    ~MutexLocker() { m_mutex.unlock(); }
    MutexLocker(const MutexLocker&) = delete;
    MutexLocker& operator=(const MutexLocker&) = delete;

private:
    Mutex& m_mutex;
};

} // namespace task
