#include "kernel/task/Mutex.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/debug/Log.h"
#include "kernel/task/Scheduler.h"

namespace task {

namespace {

u32 current_id()
{
    Thread* self = current_thread();
    return self ? self->id : 0;
}

} // namespace

void Mutex::lock()
{
    u32 me = current_id();
    for (;;) {
        arch::InterruptDisabler disabler;
        if (!m_locked) {
            m_locked = true;
            m_owner = me;
            m_depth = 1;
            return;
        }
        if (m_owner == me) {
            ++m_depth;
            return;
        }
        if (!thread_alive(m_owner)) {
            kernel::log_warning("%s: thread %u died holding the lock; taking it over", m_name, m_owner);
            m_owner = me;
            m_depth = 1;
            return;
        }
        // Timed, so an owner that dies without waking us is noticed.
        m_waiters.wait_for(50);
    }
}

void Mutex::unlock()
{
    arch::InterruptDisabler disabler;
    if (m_depth == 0 || --m_depth > 0)
        return;
    m_locked = false;
    m_owner = 0;
    m_waiters.wake_one();
}

bool Mutex::is_locked_by_current_thread() const
{
    arch::InterruptDisabler disabler;
    return m_locked && m_owner == current_id();
}

} // namespace task
