#include "lib/New.h"
#include "kernel/task/Scheduler.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Fpu.h"
#include "kernel/arch/i386/Gdt.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/debug/Log.h"
#include "kernel/debug/Panic.h"
#include "kernel/mm/KernelAddressSpace.h"
#include "kernel/task/Process.h"
#include "kernel/task/WaitQueue.h"

extern "C" void switch_context(u32* save_esp, u32 new_esp);
extern "C" char boot_stack_bottom[];

namespace task {

namespace {

struct RunQueue {
    Thread* head { nullptr };
    Thread* tail { nullptr };

    void push(Thread* thread)
    {
        thread->queue_next = nullptr;
        if (tail)
            tail->queue_next = thread;
        else
            head = thread;
        tail = thread;
    }

    Thread* pop()
    {
        Thread* thread = head;
        if (thread) {
            head = thread->queue_next;
            if (!head)
                tail = nullptr;
            thread->queue_next = nullptr;
        }
        return thread;
    }

    void remove(Thread* thread)
    {
        Thread* previous = nullptr;
        for (Thread* t = head; t; previous = t, t = t->queue_next) {
            if (t != thread)
                continue;
            if (previous)
                previous->queue_next = t->queue_next;
            else
                head = t->queue_next;
            if (tail == t)
                tail = previous;
            t->queue_next = nullptr;
            return;
        }
    }
};

RunQueue s_run_queues[priority_count];
Thread* s_current;
Thread* s_idle;
Thread* s_all_threads;
bool s_need_reschedule;
bool s_started;
SchedulerStatistics s_stats;

int idle_loop(void*)
{
    for (;;)
        arch::enable_interrupts_and_halt();
}

void unregister_thread(Thread* thread)
{
    Thread** link = &s_all_threads;
    while (*link && *link != thread)
        link = &(*link)->all_next;
    if (*link)
        *link = thread->all_next;
}

// Frees threads that died on their own stack. Runs on another stack.
void reap_dead_threads()
{
    Thread* thread = s_all_threads;
    while (thread) {
        Thread* next = thread->all_next;
        if (thread->state == ThreadState::Dead && thread != s_current) {
            unregister_thread(thread);
            destroy_thread(thread);
        }
        thread = next;
    }
}

Thread* pick_next()
{
    for (auto& queue : s_run_queues) {
        if (Thread* thread = queue.pop())
            return thread;
    }
    return s_idle;
}

void on_tick(arch::TrapFrame&)
{
    u64 now = arch::pit::ticks();
    for (Thread* thread = s_all_threads; thread; thread = thread->all_next) {
        if (thread->state == ThreadState::Blocked && thread->wake_at_tick != 0 && thread->wake_at_tick <= now) {
            thread->timed_out = true;
            wake(thread);
        }
    }
    if (!s_current)
        return;
    ++s_current->cpu_ticks;
    if (s_current == s_idle) {
        s_need_reschedule = true;
        return;
    }
    if (s_current->time_slice_left > 0)
        --s_current->time_slice_left;
    if (s_current->time_slice_left == 0)
        s_need_reschedule = true;
}

void on_interrupt_exit(arch::TrapFrame&)
{
    if (s_started && s_need_reschedule) {
        // A preemption is a running thread losing the CPU against its
        // will; the idle thread giving way does not count.
        Thread* before = s_current;
        u64 switches = s_stats.context_switches;
        bool was_running = before != s_idle && before->state == ThreadState::Running;
        schedule();
        // Back on `before`: did a switch away from it happen meanwhile?
        if (was_running && s_stats.context_switches != switches)
            ++s_stats.preemptions;
    }
}

} // namespace

void initialize_scheduler()
{
    // The boot context becomes the "kernel" thread; its stack is boot.S's.
    auto boot = new (lib::nothrow) Thread;
    VERIFY(boot);
    boot->id = 0;
    const char name[] = "kernel";
    for (size_t i = 0; i < sizeof(name); ++i)
        boot->name[i] = name[i];
    boot->kernel_stack = reinterpret_cast<u8*>(boot_stack_bottom);
    boot->state = ThreadState::Running;
    boot->time_slice_left = time_slice_ticks;
    boot->priority = priority_normal;
    register_thread(boot);
    s_current = boot;

    auto idle = create_kernel_thread("idle", idle_loop, nullptr, priority_background);
    VERIFY(!idle.is_error());
    s_idle = idle.value();
    // The idle thread never waits in a run queue: pick_next falls back to it.
    s_run_queues[s_idle->priority].remove(s_idle);

    arch::pit::set_tick_callback(on_tick);
    arch::set_interrupt_exit_hook(on_interrupt_exit);
    s_started = true;
}

Thread* current_thread() { return s_current; }
Process* current_process() { return s_current ? s_current->process : nullptr; }
Thread* first_thread() { return s_all_threads; }

bool thread_alive(u32 id)
{
    arch::InterruptDisabler disabler;
    for (Thread* thread = s_all_threads; thread; thread = thread->all_next) {
        if (thread->id == id)
            return thread->state != ThreadState::Dead;
    }
    return false;
}
Thread* idle_thread() { return s_idle; }

void register_thread(Thread* thread)
{
    arch::InterruptDisabler disabler;
    thread->all_next = s_all_threads;
    s_all_threads = thread;
}

void make_runnable(Thread* thread)
{
    arch::InterruptDisabler disabler;
    if (thread == s_idle || thread->state == ThreadState::Dead)
        return;
    thread->state = ThreadState::Runnable;
    thread->time_slice_left = time_slice_ticks;
    s_run_queues[thread->priority].push(thread);
}

void schedule()
{
    arch::InterruptDisabler disabler;
    s_need_reschedule = false;
    reap_dead_threads();
    Thread* previous = s_current;
    if (previous->state == ThreadState::Running) {
        if (previous != s_idle) {
            previous->state = ThreadState::Runnable;
            previous->time_slice_left = time_slice_ticks;
            s_run_queues[previous->priority].push(previous);
        }
    }
    Thread* next = pick_next();
    if (next == previous) {
        previous->state = ThreadState::Running;
        return;
    }
    next->state = ThreadState::Running;
    if (next->time_slice_left == 0)
        next->time_slice_left = time_slice_ticks;
    s_current = next;
    ++s_stats.context_switches;
    arch::set_kernel_stack(next->kernel_stack_top());
    arch::load_io_permissions(next->process ? next->process->io_permissions() : nullptr);
    if (next->process)
        mm::activate(next->process->address_space());
    arch::fpu::switch_to(next->fpu_state);
    switch_context(&previous->saved_esp, next->saved_esp);
    // Back on `previous`'s stack, some time later.
}

void yield()
{
    schedule();
}

void block_current()
{
    arch::InterruptDisabler disabler;
    s_current->state = ThreadState::Blocked;
    schedule();
}

void wake(Thread* thread)
{
    arch::InterruptDisabler disabler;
    if (thread->state != ThreadState::Blocked)
        return;
    if (thread->waiting_on)
        thread->waiting_on->remove(thread);
    thread->wake_at_tick = 0;
    make_runnable(thread);
    // A woken thread of higher priority runs at the next opportunity.
    if (s_current && thread->priority < s_current->priority)
        s_need_reschedule = true;
}

void sleep_ms(u64 milliseconds)
{
    arch::InterruptDisabler disabler;
    u64 ticks = milliseconds * arch::pit::tick_hz / 1000;
    s_current->wake_at_tick = arch::pit::ticks() + (ticks ? ticks : 1);
    s_current->timed_out = false;
    block_current();
}

void kill_thread(Thread* thread)
{
    arch::InterruptDisabler disabler;
    VERIFY(thread != s_current);
    if (thread->state == ThreadState::Runnable)
        s_run_queues[thread->priority].remove(thread);
    if (thread->waiting_on)
        thread->waiting_on->remove(thread);
    thread->wake_at_tick = 0;
    thread->state = ThreadState::Dead;
}

void exit_current_thread(int status)
{
    arch::disable_interrupts();
    s_current->exit_status = status;
    s_current->state = ThreadState::Dead;
    schedule();
    kernel::panic("a dead thread was scheduled");
}

SchedulerStatistics scheduler_statistics()
{
    arch::InterruptDisabler disabler;
    SchedulerStatistics stats = s_stats;
    stats.threads = 0;
    stats.runnable = 0;
    for (Thread* thread = s_all_threads; thread; thread = thread->all_next) {
        ++stats.threads;
        if (thread->state == ThreadState::Runnable)
            ++stats.runnable;
    }
    return stats;
}

} // namespace task

extern "C" [[noreturn]] void kernel_thread_exit(int status)
{
    task::exit_current_thread(status);
}
