// Event queues for programs: the kernel side of kernel/event/EventQueue.h.
//
// Handles (small positive numbers, per process) name event queues and
// timers. A queue watches timers, words in user memory and processes:
//   timer    Ready::TimerExpired until timer_read() takes the expirations;
//   word     Ready::Readable while the u32 at an address differs from the
//            value given when the watch was added or last modified; it is
//            checked then and whenever someone calls futex_wake on it (a
//            channel's sender does that for a watching receiver);
//   process  Ready::HangUp once the process has exited;
//   fd       the open file behind a descriptor of the caller: its
//            OpenFile::events (always ready for a VFS file; a pipe end
//            follows its pipe, kernel/ipc/KernelPipe.h). The watch lasts as long
//            as the open file, whichever descriptor named it.
// Everything runs with interrupts off (one CPU: that is the lock). Timers
// are advanced by every wait, and a waiter never sleeps past the earliest
// armed deadline, so no clock interrupt work is needed.
#pragma once

#include "kernel/event/EventQueue.h"
#include "lib/Error.h"

namespace event {

enum class WatchKind : u32 { Timer = 1, Word = 2, Process = 3, Fd = 4 };
enum class WatchOp : u32 { Add = 1, Modify = 2, Remove = 3 };

struct WatchRequest {
    WatchOp op;
    WatchKind kind;
    u32 target;   // timer handle, word address, pid, or file descriptor
    u32 expected; // Word: the value that means "nothing new"
    u32 interest; // Ready bits
    u32 mode;     // Mode bits
    u64 user_data;
};

ErrorOr<u32> create_queue();
ErrorOr<void> control(u32 queue, const WatchRequest&);
// Up to `capacity` (<= 64) events; 0 after `timeout_ms` (~0u: no limit).
ErrorOr<u32> wait(u32 queue, Event* out, u32 capacity, u32 timeout_ms);
ErrorOr<EventQueueStats> statistics(u32 queue);

// A timer handle, armed at once when initial_ms > 0 (period_ms: 0 = once).
ErrorOr<u32> create_timer(u32 initial_ms, u32 period_ms);
ErrorOr<void> set_timer(u32 timer, u32 initial_ms, u32 period_ms);
// Takes and returns the expirations since the last read.
ErrorOr<u64> read_timer(u32 timer);

ErrorOr<void> close_handle(u32 handle);

// Hooks: futex_wake calls word_woken with the physical address it woke;
// process teardown calls process_exited (which also closes its handles).
void word_woken(PhysicalAddress key);
void process_exited(u32 pid);

} // namespace event
