#include "kernel/abi/kolibri/KolibriIpc.h"

#include "kernel/abi/kolibri/KolibriGui.h"
#include "kernel/abi/kolibri/KolibriSystem.h"
#include "kernel/arch/i386/PageDirectory.h"
#include "kernel/mm/AddressSpace.h"
#include "kernel/mm/KernelFrameProvider.h"
#include "kernel/task/AddressSpaceGuard.h"
#include "kernel/task/Process.h"
#include "kernel/task/ProgramLoader.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/UserMemory.h"
#include "lib/New.h"
#include "lib/Utility.h"

namespace kolibri {

namespace {

using arch::TrapFrame;

// Results of 60.2 (sysfuncs.txt).
enum : u32 {
    ipc_ok = 0,
    ipc_no_buffer = 1,
    ipc_locked = 2,
    ipc_full = 3,
    ipc_no_receiver = 4,
};

constexpr u32 header_size = 8;        // locked flag, bytes used
constexpr u32 record_header_size = 8; // sender, length
constexpr u32 max_buffer_size = 1024 * 1024;

// The registered receive areas, one per thread. A dead thread's entry is
// recognised by its id no longer naming a live thread of that process, and
// reused.
struct Area {
    u32 thread_id;
    u32 process_id;
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

// The area for a receiver named by thread id, or by process id (KolibriOS
// programs often only know the PID that 70.7 returned): then the first live
// thread of that process with an area.
Area* find_area(u32 id)
{
    for (auto& area : s_areas) {
        if (area.thread_id == id && live_thread(id))
            return &area;
    }
    for (auto& area : s_areas) {
        task::Thread* thread = area.thread_id ? live_thread(area.thread_id) : nullptr;
        if (thread && area.process_id == id && thread->process->pid() == id)
            return &area;
    }
    return nullptr;
}

bool receiver_exists(u32 id)
{
    bool exists = live_thread(id) != nullptr;
    task::for_each_thread([&](task::Thread& thread) {
        if (thread.process && thread.process->pid() == id && thread.state != task::ThreadState::Dead)
            exists = true;
    });
    return exists;
}

// Reads the receiver's memory (which may belong to another process).
// OutOfRange when a page is not there or not readable.
ErrorOr<void> read_process_memory(task::Process& process, u32 address, void* out, size_t length)
{
    auto* bytes = static_cast<u8*>(out);
    auto* directory = process.page_directory();
    while (length > 0) {
        u32 page_base = lib::align_down<u32>(address, 4096);
        auto mapping = directory->query(page_base);
        if (!mapping.present) {
            auto outcome = process.address_space().handle_fault(page_base, mm::FaultAccess::Read, false);
            if (outcome != mm::FaultOutcome::Resolved)
                return Error(ErrorCode::OutOfRange, "IPC: the receiver's buffer is not readable");
            mapping = directory->query(page_base);
        }
        size_t offset = address - page_base;
        size_t chunk = lib::min<size_t>(length, 4096 - offset);
        const u8* source = kernel::frame_provider().contents(mapping.frame) + offset;
        for (size_t i = 0; i < chunk; ++i)
            bytes[i] = source[i];
        bytes += chunk;
        address += static_cast<u32>(chunk);
        length -= chunk;
    }
    return {};
}

void set_area(TrapFrame& frame)
{
    task::AddressSpaceGuard guard;
    u32 me = task::current_thread()->id;
    Area* slot = nullptr;
    for (auto& area : s_areas) {
        if (area.thread_id == me) {
            slot = &area;
            break;
        }
    }
    for (u32 i = 0; !slot && i < max_areas; ++i) {
        if (s_areas[i].thread_id == 0 || !live_thread(s_areas[i].thread_id))
            slot = &s_areas[i];
    }
    if (!slot) {
        frame.eax = 1; // the reference says "always success"; a full table is our limit
        return;
    }
    *slot = Area { me, task::current_process()->pid(), frame.ecx, frame.edx };
    frame.eax = 0;
}

u32 send(u32 receiver, u32 message, u32 length)
{
    // The message is copied from the sender first (with interrupts on),
    // bounded by the largest buffer anyone may register.
    if (length > max_buffer_size)
        return ipc_full;
    task::CallBuffer buffer(length);
    u8* data = buffer.bytes();
    if (length && !data)
        return ipc_full;
    if (length && copy_from_program(data, message, length).is_error())
        return ipc_no_receiver; // the reference has no code for a bad pointer; the call is refused
    u32 result = ipc_ok;
    {
        // Checking the lock and appending must not interleave with the
        // receiver (or another sender): one CPU, interrupts off.
        task::AddressSpaceGuard guard;
        Area* area = find_area(receiver);
        if (!area) {
            result = receiver_exists(receiver) ? ipc_no_buffer : ipc_no_receiver;
        } else {
            task::Thread* thread = live_thread(area->thread_id);
            task::Process& process = *thread->process;
            u32 header[2];
            if (area->size < header_size || read_process_memory(process, area->address, header, sizeof(header)).is_error()) {
                result = ipc_no_buffer;
            } else if (header[0] != 0) {
                result = ipc_locked;
            } else if (header[1] > area->size - header_size
                || record_header_size + length > area->size - header_size - header[1]) {
                result = ipc_full;
            } else {
                u32 at = area->address + header_size + header[1];
                u32 record[2] = { task::current_thread()->id, length };
                auto written = task::write_process_memory(process, at, record, sizeof(record));
                if (!written.is_error() && length)
                    written = task::write_process_memory(process, at + record_header_size, data, length);
                u32 used = header[1] + record_header_size + length;
                if (!written.is_error())
                    written = task::write_process_memory(process, area->address + 4, &used, sizeof(used));
                if (written.is_error()) {
                    result = ipc_no_buffer;
                } else {
                    ++s_statistics.sent;
                    s_statistics.bytes += length;
                    raise_event(area->thread_id, 7);
                }
            }
        }
        if (result != ipc_ok)
            ++s_statistics.refused;
    }
    return result;
}

} // namespace

void sys_ipc(TrapFrame& frame)
{
    switch (frame.ebx) {
    case 1:
        set_area(frame);
        return;
    case 2:
        frame.eax = send(frame.ecx, frame.edx, frame.esi);
        return;
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
