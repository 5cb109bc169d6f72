// Threads: a kernel stack, a saved stack pointer and scheduling state.
// Kernel threads have no process; user threads belong to one and enter user
// mode through a prepared interrupt frame on their kernel stack.
#pragma once

#include "kernel/arch/i386/Fpu.h"
#include "kernel/arch/i386/Interrupts.h"
#include "lib/Error.h"
#include "lib/Types.h"

namespace fs {
class File;
}

namespace task {

class Process;
class WaitQueue;
struct OpenFile;

enum class ThreadState : u8 { Runnable, Running, Blocked, Dead };

// Priorities: 0 is the most urgent. The idle thread runs only when no
// other thread is runnable and is not in any run queue.
constexpr u8 priority_count = 4;
constexpr u8 priority_high = 0;
constexpr u8 priority_normal = 1;
constexpr u8 priority_low = 2;
constexpr u8 priority_background = 3;

struct Thread {
    u32 id { 0 };
    char name[32] {};
    ThreadState state { ThreadState::Runnable };
    u8 priority { priority_normal };
    u32 time_slice_left { 0 };
    u32 saved_esp { 0 };
    u8* kernel_stack { nullptr };   // lowest address of the stack
    Process* process { nullptr };   // null for kernel threads
    u64 wake_at_tick { 0 };         // 0: not sleeping
    bool timed_out { false };       // set when a timed wait expired
    WaitQueue* waiting_on { nullptr };
    Thread* queue_next { nullptr }; // run queue or wait queue link
    Thread* all_next { nullptr };   // list of every thread
    Thread* process_next { nullptr };
    u64 cpu_ticks { 0 };
    int exit_status { 0 };
    // What a system call of this thread holds for its duration: an open
    // file (native read/write), a VFS file (KolibriOS file calls) and
    // kernel buffers (CallBuffer). A thread killed in the middle of a call
    // never unwinds its stack, so the kill path frees these instead
    // (release_held).
    OpenFile* held_file { nullptr };
    fs::File* held_vfs_file { nullptr };
    static constexpr u32 held_buffer_slots = 4;
    u8* held_buffers[held_buffer_slots] { nullptr, nullptr, nullptr, nullptr };
    // Disk controller locks held (drivers/DiskLock): a thread killed with
    // one may have a device transfer in flight into its buffers.
    u32 disk_locks { 0 };
    // x87/SSE registers of a user thread (null for kernel threads, which
    // never use them); see arch/i386/Fpu.h for when they are saved.
    arch::fpu::State* fpu_state { nullptr };

    u32 kernel_stack_top() const;
};

constexpr size_t kernel_stack_size = 16 * 1024;

// A kernel thread running entry(argument); it exits when entry returns.
ErrorOr<Thread*> create_kernel_thread(const char* name, int (*entry)(void*), void* argument, u8 priority);
// A user thread of `process` that starts in user mode with the registers of
// `user_frame` (eip, esp, general registers; segments are set here).
// Its FPU state is the initial one, or with `fpu_from` (the running
// thread's own state: fork) a copy of the running thread's registers.
// `id_out`, when given, receives the new thread's id before it can run
// (afterwards the thread may already have ended and been reaped).
ErrorOr<Thread*> create_user_thread(Process& process, const arch::TrapFrame& user_frame, u8 priority,
    const arch::fpu::State* fpu_from = nullptr, u32* id_out = nullptr);
// Frees what a killed thread held in a system call (its destructors never
// ran); the process's kill path and destroy_thread call it.
void release_held(Thread*);

// Kernel memory for one system call (bounce buffers, paths, argument
// copies), freed when the call ends or, if the thread is killed during it,
// by release_held. bytes() is null when out of memory.
class CallBuffer {
public:
    explicit CallBuffer(size_t size);
    ~CallBuffer();
    CallBuffer(const CallBuffer&) = delete;
    CallBuffer& operator=(const CallBuffer&) = delete;
    u8* bytes() const { return m_bytes; }

private:
    u8* m_bytes;
};
// Frees a dead thread's stack and object; never the running thread.
void destroy_thread(Thread*);

} // namespace task
