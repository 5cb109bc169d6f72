#include "kernel/abi/kolibri/KolibriIpc.h"

#include "kernel/abi/kolibri/KolibriGui.h"
#include "kernel/mm/AddressSpace.h"
#include "kernel/task/AddressSpaceGuard.h"
#include "kernel/task/Process.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/UserMemory.h"
#include "lib/New.h"
#include "lib/Utility.h"

namespace kolibri {

namespace {

using arch::TrapFrame;

// Results of 60.2, as sys_ipc_send (core/memory.inc) returns them, plus our
// own answer for a message the sender cannot read (KolibriOS does not check
// the pointer and faults in the middle of the copy).
enum : u32 {
    ipc_ok = 0,
    ipc_no_area = 1,
    ipc_locked = 2,
    ipc_overflow = 3,
    ipc_no_receiver = 4,
    ipc_bad_message = static_cast<u32>(-1),
};

constexpr u32 record_header_size = 8; // sender id, length

// The registered receive areas, one per thread (60.1 stores them in the
// calling thread's APPDATA on KolibriOS). Thread ids are never reused, so an
// entry whose thread is no longer alive is free.
struct Area {
    u32 thread_id;
    u32 address;
    u32 size;
};
constexpr u32 max_areas = 256;
Area s_areas[max_areas];
IpcStatistics s_statistics;

// Under interrupts off.
task::Thread* live_thread(u32 thread_id)
{
    task::Thread* found = nullptr;
    task::for_each_thread([&](task::Thread& thread) {
        if (thread.id == thread_id && thread.state != task::ThreadState::Dead && thread.process)
            found = &thread;
    });
    return found;
}

// The thread a 60.2 names. KolibriOS's pid_to_slot matches thread ids (a
// process's "PID" there is its main thread's id, which 70.7 answers here
// too). A number that names no live thread is still tried as a Colibri
// process id (the shell and the logs show those): its oldest live thread.
task::Thread* receiver_thread(u32 id)
{
    if (task::Thread* thread = live_thread(id))
        return thread;
    task::Thread* oldest = nullptr;
    task::for_each_thread([&](task::Thread& thread) {
        if (thread.process && thread.process->pid() == id && thread.state != task::ThreadState::Dead
            && (!oldest || thread.id < oldest->id))
            oldest = &thread;
    });
    return oldest;
}

Area* area_of(u32 thread_id)
{
    for (auto& area : s_areas) {
        if (area.thread_id == thread_id)
            return &area;
    }
    return nullptr;
}

// 60.1: as sys_IPC does, just records the area for the calling thread and
// returns 0. KolibriOS also reads one dword per page to fault the area in;
// here 60.2 faults in what it writes, through the address space.
void set_area(TrapFrame& frame)
{
    task::AddressSpaceGuard guard;
    u32 me = task::current_thread()->id;
    Area* slot = area_of(me);
    for (u32 i = 0; !slot && i < max_areas; ++i) {
        if (s_areas[i].thread_id == 0 || !live_thread(s_areas[i].thread_id))
            slot = &s_areas[i];
    }
    if (!slot) {
        frame.eax = 1; // KolibriOS always succeeds; 256 live threads with areas are our limit
        return;
    }
    *slot = Area { me, frame.ecx, frame.edx };
    frame.eax = 0;
}

void put32(u8* at, u32 value)
{
    for (u32 i = 0; i < 4; ++i)
        at[i] = static_cast<u8>(value >> (8 * i));
}

// 60.2, in the order of sys_ipc_send's checks (4, 1, 2, 3) and leaving the
// receiver's buffer exactly as it does:
//   new [buf+4] = old + 8 + len, written first; then at buf + old the
//   sender's thread id and len, then the data.
// So a buffer whose [buf+4] is below 8 gets its header overwritten (left at
// 0: [0] = sender id, which also locks it, [4] = len, data at +8), and the
// kernel never sets the lock, never adds the header size, never resets
// [buf+4]. Everything runs with interrupts off, as sys_ipc_send runs under
// cli, so the receiver never sees half a message.
u32 send(u32 receiver, u32 message, u32 length)
{
    task::AddressSpaceGuard guard;
    task::Thread* thread = receiver_thread(receiver);
    if (!thread)
        return ipc_no_receiver;
    Area* area = area_of(thread->id);
    if (!area || area->address == 0)
        return ipc_no_area; // sys_ipc_send: ipc_start == 0
    mm::AddressSpace& space = thread->process->address_space();

    // The header is read wherever it lies, whatever size 60.1 gave (KolibriOS
    // maps at least the first page); memory the receiver cannot read counts
    // as no area (KolibriOS would fault in the kernel).
    u8 header[8];
    if (space.copy_out(header, area->address, sizeof(header)).is_error())
        return ipc_no_area;
    u32 lock = header[0] | header[1] << 8 | header[2] << 16 | u32(header[3]) << 24;
    u32 used = header[4] | header[5] << 8 | header[6] << 16 | u32(header[7]) << 24;
    if (lock != 0)
        return ipc_locked;
    // The fit check of sys_ipc_send (used + 8 + len <= size, unsigned), in
    // 64 bits: KolibriOS's 32-bit sum can wrap and then writes below the
    // buffer.
    u64 next = u64(used) + record_header_size + length;
    if (next > area->size)
        return ipc_overflow;
    if (u64(area->address) + next > mm::user_space_end)
        return ipc_no_area;

    // The bytes to store, built in kernel memory first so that a message
    // the sender cannot read changes nothing: [0,4) the new [buf+4],
    // [4,12) the record header, [12,...) the data.
    task::CallBuffer buffer(12 + size_t(length));
    u8* bytes = buffer.bytes();
    if (!bytes)
        return ipc_overflow; // no kernel memory for it now: as full, a sender may retry
    if (length && task::copy_from_user(bytes + 12, message, length).is_error())
        return ipc_bad_message;
    u32 sender = task::current_thread()->id;

    ErrorOr<void> written {};
    if (used >= 8) {
        // Record and header do not overlap: the record first, so that a
        // failure leaves [buf+4] (the receiver's view) unchanged.
        put32(bytes + 4, sender);
        put32(bytes + 8, length);
        written = space.copy_in(area->address + used, bytes + 4, record_header_size + length);
        if (!written.is_error()) {
            put32(bytes, static_cast<u32>(next));
            written = space.copy_in(area->address + 4, bytes, 4);
        }
    } else {
        // They overlap: compose the final bytes of [start, buf + next) in
        // the order sys_ipc_send writes them, then store them at once.
        u32 start = lib::min<u32>(used, 4);
        u8* data = bytes + used + record_header_size - start; // at most bytes + 12
        for (u32 i = 0; i < length; ++i)
            data[i] = bytes[12 + i];
        put32(bytes + 4 - start, static_cast<u32>(next));
        put32(bytes + used - start, sender);
        put32(bytes + used - start + 4, length);
        written = space.copy_in(area->address + start, bytes, static_cast<size_t>(next) - start);
    }
    // A receiver's buffer it may not write (read-only), or no memory to
    // fault its pages in: no usable area.
    if (written.is_error())
        return ipc_no_area;
    ++s_statistics.sent;
    s_statistics.bytes += length;
    // One pending bit per thread: several messages may share one event 7.
    raise_event(thread->id, 7);
    return ipc_ok;
}

} // namespace

void sys_ipc(TrapFrame& frame)
{
    // sys_IPC compares the whole of ebx.
    switch (frame.ebx) {
    case 1:
        set_area(frame);
        return;
    case 2: {
        u32 result = send(frame.ecx, frame.edx, frame.esi);
        if (result != ipc_ok) {
            arch::InterruptDisabler disabler;
            ++s_statistics.refused;
        }
        frame.eax = result;
        return;
    }
    default:
        frame.eax = static_cast<u32>(-1);
        return;
    }
}

IpcStatistics ipc_statistics()
{
    arch::InterruptDisabler disabler;
    return s_statistics;
}

} // namespace kolibri
