#include "kernel/drivers/DiskLock.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/debug/Log.h"
#include "kernel/task/Scheduler.h"

namespace drivers {

bool DiskLock::lock()
{
    // Boot code runs before the first thread exists; it counts as id 0.
    task::Thread* self = task::current_thread();
    u32 const me = self ? self->id : 0;
    for (;;) {
        arch::InterruptDisabler disabler;
        if (!m_locked) {
            m_locked = true;
            m_owner = me;
            if (self)
                ++self->disk_locks;
            return false;
        }
        if (m_owner != me && !task::thread_alive(m_owner)) {
            kernel::log_warning("disk: thread %u died during a disk request; resetting the controller", m_owner);
            m_owner = me;
            if (self)
                ++self->disk_locks;
            return true;
        }
        // Timed, so an owner that dies without waking us is noticed.
        m_waiters.wait_for(20);
    }
}

void DiskLock::unlock()
{
    arch::InterruptDisabler disabler;
    if (task::Thread* self = task::current_thread(); self && self->disk_locks > 0)
        --self->disk_locks;
    m_locked = false;
    m_waiters.wake_one();
}

} // namespace drivers
