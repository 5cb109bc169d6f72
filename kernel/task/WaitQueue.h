// A queue of blocked threads waiting for a condition. Callers check their
// condition in a loop with interrupts disabled, then wait().
#pragma once

#include "kernel/task/Thread.h"

namespace task {

class WaitQueue {
public:
    // Blocks the current thread until wake_one/wake_all picks it.
    void wait();
    // As wait(), but gives up after `milliseconds`; false on timeout.
    bool wait_for(u64 milliseconds);
    void wake_one();
    void wake_all();
    void remove(Thread*);
    bool is_empty() const { return m_head == nullptr; }

private:
    void enqueue(Thread*);
    Thread* m_head { nullptr };
    Thread* m_tail { nullptr };
};

} // namespace task
