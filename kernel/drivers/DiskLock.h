// A sleeping mutex for one disk controller: an ATA channel (master and
// slave share its registers) or a virtio-blk queue. A request holds it from
// the first register write to the last status check, so requests from
// different threads never interleave on the hardware.
//
// A thread can be killed while it holds the lock (a process terminated from
// outside in the middle of a read). The next locker notices that the owner
// is dead, takes the lock over and is told so: the controller may then be
// in the middle of a command and the driver resets it before going on.
// Not for interrupt context; not recursive.
#pragma once

#include "kernel/task/WaitQueue.h"
#include "lib/Types.h"

namespace drivers {

class DiskLock {
public:
    // Blocks until the lock is ours. Returns true when it was taken over
    // from a thread that died holding it.
    bool lock();
    void unlock();

private:
    bool m_locked { false };
    u32 m_owner { 0 };
    task::WaitQueue m_waiters;
};

class DiskLocker {
public:
    explicit DiskLocker(DiskLock& lock)
        : m_lock(lock)
        , m_taken_over(lock.lock())
    {
    }
    ~DiskLocker() { m_lock.unlock(); }
    DiskLocker(const DiskLocker&) = delete;
    DiskLocker& operator=(const DiskLocker&) = delete;

    // The previous owner died holding the lock: reset the hardware.
    bool taken_over() const { return m_taken_over; }

private:
    DiskLock& m_lock;
    bool m_taken_over;
};

} // namespace drivers
