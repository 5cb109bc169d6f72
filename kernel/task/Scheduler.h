// The preemptive scheduler: four priority levels, round robin within a
// level, time slices counted in PIT ticks.
//
// Invariants (one CPU; interrupts disabled while any of this state changes):
//  * The running thread is `current()`, in state Running, in no run queue.
//  * A Runnable thread is in exactly the run queue of its priority.
//  * A Blocked thread is in no run queue; it may be on one WaitQueue and/or
//    have a wake-up tick (timed waits and sleeps).
//  * A Dead thread is in no queue; it is freed by the next schedule() that
//    runs on another stack.
#pragma once

#include "kernel/task/Thread.h"

namespace task {

constexpr u32 time_slice_ticks = 10;

// Turns the boot context into the first kernel thread ("kernel") and
// creates the idle thread. Hooks the timer and interrupt exit.
void initialize_scheduler();

Thread* current_thread();
Process* current_process();

void register_thread(Thread*);
void make_runnable(Thread*);
void attach_to_process(Process&, Thread*);

// Gives up the CPU; the current thread stays runnable.
void yield();
// Runs the next thread. The caller has set the current thread's state
// (Blocked or Dead) or leaves it Running to be requeued.
void schedule();
// Blocks the current thread (interrupts must be disabled by the caller,
// which has queued it somewhere that will wake it).
void block_current();
void wake(Thread*);
void sleep_ms(u64 milliseconds);

// Marks a thread dead and removes it from every queue (not the current one:
// use exit_current_thread for that).
void kill_thread(Thread*);
// Ends the current thread; never returns.
[[noreturn]] void exit_current_thread(int status);

template<typename Callback>
void for_each_thread(Callback);
Thread* first_thread();
// A thread with this id exists and has not died (locks use it to notice an
// owner that was killed while holding them).
bool thread_alive(u32 id);
// The thread that runs when nothing else can (KolibriOS slot 1, OS/IDLE).
Thread* idle_thread();

struct SchedulerStatistics {
    u64 context_switches;
    u64 preemptions;
    u32 threads;
    u32 runnable;
};
SchedulerStatistics scheduler_statistics();

template<typename Callback>
void for_each_thread(Callback callback)
{
    for (Thread* thread = first_thread(); thread; thread = thread->all_next)
        callback(*thread);
}

} // namespace task
