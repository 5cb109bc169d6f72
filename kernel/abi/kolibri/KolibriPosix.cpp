#include "lib/New.h"
#include "kernel/abi/kolibri/KolibriPosix.h"

#include "kernel/abi/kolibri/KolibriState.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/ipc/KernelIpc.h"
#include "kernel/ipc/KernelPipe.h"
#include "kernel/task/OpenFile.h"
#include "kernel/task/Process.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/UserMemory.h"
#include "lib/Utility.h"

namespace kolibri {

// PROC.htab of one process. Every access with interrupts disabled.
struct PosixHandles {
    // (PROC.pdt_0 - PROC.htab) / 4 in const.inc: the dwords of PROC
    // before htab (72 bytes) are taken from the 4 KiB page.
    static constexpr u32 count = 1024 - 72 / 4;
    static constexpr u32 first = 3; // stdin, stdout, stderr are reserved

    enum class Kind : u8 { Free, Futex, PipeRead, PipeWrite };
    struct Entry {
        Kind kind { Kind::Free };
        u32 pointer { 0 };              // a futex: the program's dword
        u32 waiters { 0 };              // a futex: threads in 77.2
        task::OpenFile* end { nullptr }; // a pipe end
    };
    Entry entries[count];
    // The free list: next_free[h] follows h (count: none), as htab holds
    // the next free index in a free entry.
    u16 next_free[count];
    u32 free_head { first };
    u32 free_count { count - first };

    PosixHandles()
    {
        for (u32 i = 0; i < count; ++i)
            next_free[i] = u16(i + 1);
    }

    // create_object: the head of the free list, or 0 when none is left.
    u32 allocate(Kind kind)
    {
        if (free_count == 0)
            return 0;
        u32 handle = free_head;
        free_head = next_free[handle];
        --free_count;
        entries[handle] = {};
        entries[handle].kind = kind;
        return handle;
    }
    // destroy_futex: the handle goes back to the front of the list.
    void release(u32 handle)
    {
        entries[handle] = {};
        next_free[handle] = u16(free_head);
        free_head = handle;
        ++free_count;
    }
    Entry* find(u32 handle, Kind kind)
    {
        if (handle < first || handle >= count || entries[handle].kind != kind)
            return nullptr;
        return &entries[handle];
    }
};

namespace {

using arch::TrapFrame;

constexpr u32 error_value = 0xFFFFFFFF;
// The errno values of posix.inc and stack.inc (EINVAL there is 11).
constexpr u32 ebadf = 9;
constexpr u32 einval = 11;
constexpr u32 efault = 14;
constexpr u32 enfile = 23;
constexpr u32 emfile = 24;
constexpr u32 epipe = 32;
constexpr u32 o_cloexec = 0x40000;

constexpr u32 negative(u32 errno) { return 0u - errno; }

task::KolibriState& state() { return *task::current_process()->kolibri(); }

// The table of the current process, made on first use (null when out of
// memory). Interrupts off.
PosixHandles* handles_locked()
{
    task::KolibriState& s = state();
    if (!s.posix_handles)
        s.posix_handles = new (lib::nothrow) PosixHandles;
    return s.posix_handles;
}

// 77.0 (sys_futex.init, create_futex): ECX = the futex dword's address,
// kept as it is (KolibriOS does not look at it here). EAX = the handle, 0
// when the table is full.
u32 create_futex(u32 pointer)
{
    arch::InterruptDisabler disabler;
    PosixHandles* handles = handles_locked();
    u32 handle = handles ? handles->allocate(PosixHandles::Kind::Futex) : 0;
    if (handle)
        handles->entries[handle].pointer = pointer;
    return handle;
}

// 77.1 (destroy_futex): -1 while a thread waits on it, else 0.
u32 destroy_futex(u32 handle)
{
    arch::InterruptDisabler disabler;
    PosixHandles* handles = handles_locked();
    PosixHandles::Entry* futex = handles ? handles->find(handle, PosixHandles::Kind::Futex) : nullptr;
    if (!futex || futex->waiters)
        return error_value;
    handles->release(handle);
    return 0;
}

u64 now_ticks() { return arch::pit::ticks(); }

// 77.2 (sys_futex.wait): EDX = the expected value, ESI = a timeout in
// hundredths of a second (0: none). -2 at once when the dword is not EDX;
// else the thread sleeps until a wake finds the dword changed (a woken
// waiter whose dword still equals EDX sleeps again) → 0, or until the
// timeout → -1. KolibriOS reads the dword without a check (a bad pointer
// kills the program); Colibri answers -1 for a dword it cannot read or
// that is not 4-aligned (the kernel's futexes are keyed by aligned
// words).
u32 wait_futex(u32 handle, u32 expected, u32 timeout)
{
    u32 pointer;
    {
        arch::InterruptDisabler disabler;
        PosixHandles* handles = handles_locked();
        PosixHandles::Entry* futex = handles ? handles->find(handle, PosixHandles::Kind::Futex) : nullptr;
        if (!futex)
            return error_value;
        pointer = futex->pointer;
        ++futex->waiters;
    }
    u64 deadline = now_ticks() + u64(timeout) * (arch::pit::tick_hz / 100);
    u32 answer = 0;
    bool first = true;
    for (;;) {
        auto value = task::read_user<u32>(pointer);
        if (value.is_error()) {
            answer = error_value;
            break;
        }
        if (value.value() != expected) {
            answer = first ? 0xFFFFFFFE : 0;
            break;
        }
        first = false;
        u32 wait_ms = ~0u;
        if (timeout) {
            u64 now = now_ticks();
            if (now >= deadline) {
                answer = error_value;
                break;
            }
            wait_ms = u32(lib::min<u64>((deadline - now) * 1000 / arch::pit::tick_hz, ~0u - 1));
            if (wait_ms == 0)
                wait_ms = 1;
        }
        auto waited = ipc::futex_wait(pointer, expected, wait_ms);
        if (waited.is_error()) {
            ErrorCode code = waited.error().code();
            if (code == ErrorCode::TimedOut) {
                answer = error_value;
                break;
            }
            if (code != ErrorCode::Busy) { // not a word the kernel can wait on
                answer = error_value;
                break;
            }
        }
    }
    arch::InterruptDisabler disabler;
    if (PosixHandles* handles = state().posix_handles)
        --handles->entries[handle].waiters;
    return answer;
}

// 77.3 (sys_futex.wake): EDX = how many waiters to wake; EAX = how many
// were woken. The loop of .wake wakes one before it compares the count,
// so EDX = 0 wakes one too.
u32 wake_futex(u32 handle, u32 count)
{
    u32 pointer;
    {
        arch::InterruptDisabler disabler;
        PosixHandles* handles = handles_locked();
        PosixHandles::Entry* futex = handles ? handles->find(handle, PosixHandles::Kind::Futex) : nullptr;
        if (!futex)
            return error_value;
        pointer = futex->pointer;
    }
    auto woken = ipc::futex_wake(pointer, count ? count : 1);
    return woken.is_error() ? 0 : woken.value();
}

// 77.13 (sys_pipe2): ECX = where the two handles go (read end, write
// end), EDX = flags (only O_CLOEXEC, which changes nothing without exec).
// EAX = 0, -EFAULT for ECX >= 0x80000000 or (Colibri) a place the program
// cannot write, -EINVAL for other flags, -EMFILE when the table has no two
// handles, -ENFILE when there is no memory for the pipe.
u32 create_pipe(u32 place, u32 flags)
{
    if (place >= 0x80000000u)
        return negative(efault);
    if (flags & ~o_cloexec)
        return negative(einval);
    u32 read_handle = 0, write_handle = 0;
    {
        arch::InterruptDisabler disabler;
        PosixHandles* handles = handles_locked();
        if (!handles || handles->free_count < 2)
            return negative(emfile);
        read_handle = handles->allocate(PosixHandles::Kind::PipeRead);
        write_handle = handles->allocate(PosixHandles::Kind::PipeWrite);
    }
    task::OpenFile* read_end = nullptr;
    task::OpenFile* write_end = nullptr;
    u32 answer = 0;
    u32 pair[2] = { read_handle, write_handle };
    if (ipc::create_pipe(read_end, write_end).is_error())
        answer = negative(enfile);
    else if (task::copy_to_user(place, pair, sizeof(pair)).is_error())
        answer = negative(efault);
    arch::InterruptDisabler disabler;
    PosixHandles* handles = state().posix_handles;
    if (answer == 0) {
        handles->entries[read_handle].end = read_end;
        handles->entries[write_handle].end = write_end;
        return 0;
    }
    handles->release(write_handle);
    handles->release(read_handle);
    if (read_end) {
        task::release_open_file(read_end);
        task::release_open_file(write_end);
    }
    return answer;
}

// 77.10 / 77.11 (sys_read / sys_write): ECX = a pipe end of the right
// direction, else -EBADF; EDX = the buffer, ESI = the count. A read waits
// while the pipe is empty and answers what it took (at most ESI); a write
// waits for room until all is written and answers ESI. -EPIPE when the
// other end is gone (never while the program runs: ends are not closed).
// KolibriOS copies without checking the buffer; Colibri answers -EFAULT
// for one that is not the program's.
u32 transfer(u32 handle, u32 buffer, u32 length, bool write)
{
    task::OpenFile* end;
    {
        arch::InterruptDisabler disabler;
        PosixHandles* handles = handles_locked();
        auto kind = write ? PosixHandles::Kind::PipeWrite : PosixHandles::Kind::PipeRead;
        PosixHandles::Entry* entry = handles ? handles->find(handle, kind) : nullptr;
        if (!entry || !entry->end)
            return negative(ebadf);
        end = entry->end;
        task::retain_open_file(end);
    }
    u32 answer;
    if (length >= 0x80000000u || !task::is_user_range(buffer, length)) {
        answer = negative(efault);
    } else {
        ipc::UserSpan span { buffer, length };
        auto moved = write ? ipc::pipe_write(*end, &span, 1) : ipc::pipe_read(*end, &span, 1);
        if (!moved.is_error())
            answer = u32(moved.value());
        else if (moved.error().code() == ErrorCode::BrokenPipe)
            answer = negative(epipe);
        else
            answer = negative(efault);
    }
    task::release_open_file(end);
    return answer;
}

} // namespace

// 77: sys_posix. EBX >= 14 and 8, 9, 12 (open, close, dup3: not in this
// kernel) answer -EBADF; 4-7 (requeue, bitset waits) answer -1 (after the
// handle check, which also answers -1).
void sys_posix(TrapFrame& frame)
{
    switch (frame.ebx) {
    case 0:
        frame.eax = create_futex(frame.ecx);
        return;
    case 1:
        frame.eax = destroy_futex(frame.ecx);
        return;
    case 2:
        frame.eax = wait_futex(frame.ecx, frame.edx, frame.esi);
        return;
    case 3:
        frame.eax = wake_futex(frame.ecx, frame.edx);
        return;
    case 4:
    case 5:
    case 6:
    case 7:
        frame.eax = error_value;
        return;
    case 10:
        frame.eax = transfer(frame.ecx, frame.edx, frame.esi, false);
        return;
    case 11:
        frame.eax = transfer(frame.ecx, frame.edx, frame.esi, true);
        return;
    case 13:
        frame.eax = create_pipe(frame.ecx, frame.edx);
        return;
    default:
        frame.eax = negative(ebadf);
        return;
    }
}

void release_posix_handles(task::KolibriState& s)
{
    PosixHandles* handles;
    {
        arch::InterruptDisabler disabler;
        handles = s.posix_handles;
        s.posix_handles = nullptr;
    }
    if (!handles)
        return;
    for (auto& entry : handles->entries) {
        if (entry.end)
            task::release_open_file(entry.end);
    }
    delete handles;
}

} // namespace kolibri
