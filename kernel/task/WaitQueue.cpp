#include "kernel/task/WaitQueue.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/task/Scheduler.h"

namespace task {

void WaitQueue::enqueue(Thread* thread)
{
    thread->queue_next = nullptr;
    thread->waiting_on = this;
    if (m_tail)
        m_tail->queue_next = thread;
    else
        m_head = thread;
    m_tail = thread;
}

void WaitQueue::remove(Thread* thread)
{
    arch::InterruptDisabler disabler;
    Thread* previous = nullptr;
    for (Thread* t = m_head; t; previous = t, t = t->queue_next) {
        if (t != thread)
            continue;
        if (previous)
            previous->queue_next = t->queue_next;
        else
            m_head = t->queue_next;
        if (m_tail == t)
            m_tail = previous;
        t->queue_next = nullptr;
        t->waiting_on = nullptr;
        return;
    }
}

void WaitQueue::wait()
{
    arch::InterruptDisabler disabler;
    Thread* thread = current_thread();
    thread->wake_at_tick = 0;
    enqueue(thread);
    block_current();
}

bool WaitQueue::wait_for(u64 milliseconds)
{
    arch::InterruptDisabler disabler;
    Thread* thread = current_thread();
    u64 ticks = milliseconds * arch::pit::tick_hz / 1000;
    thread->wake_at_tick = arch::pit::ticks() + (ticks ? ticks : 1);
    thread->timed_out = false;
    enqueue(thread);
    block_current();
    return !thread->timed_out;
}

void WaitQueue::wake_one()
{
    arch::InterruptDisabler disabler;
    if (Thread* thread = m_head) {
        remove(thread);
        wake(thread);
    }
}

void WaitQueue::wake_all()
{
    arch::InterruptDisabler disabler;
    while (Thread* thread = m_head) {
        remove(thread);
        wake(thread);
    }
}

} // namespace task
