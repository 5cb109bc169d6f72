#include "kernel/ipc/KernelIpc.h"

#include "kernel/event/KernelEvents.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/mm/AddressSpace.h"
#include "kernel/mm/KernelFrameProvider.h"
#include "kernel/task/AddressSpaceGuard.h"
#include "kernel/task/Mutex.h"
#include "kernel/task/Process.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/UserMemory.h"
#include "kernel/task/WaitQueue.h"
#include "lib/New.h"

namespace ipc {

namespace {

// Whether `pid` is `ancestor` or below it. Interrupts are off so no parent
// link changes under the walk.
bool in_tree(u32 pid, u32 ancestor)
{
    arch::InterruptDisabler disabler;
    for (task::Process* process = task::Process::find(pid); process; process = process->parent()) {
        if (process->pid() == ancestor)
            return true;
    }
    return false;
}

task::Mutex s_names_lock("shared memory names");

// The table, built on first use (a global with a destructor would need an
// atexit the kernel does not have). Callers hold s_names_lock.
alignas(NameTable) u8 s_names_storage[sizeof(NameTable)];
NameTable* s_names_table;

NameTable& names()
{
    if (!s_names_table)
        s_names_table = new (s_names_storage) NameTable(in_tree);
    return *s_names_table;
}

} // namespace

ErrorOr<Mapping> open_and_map(StringView name, u64 size, OpenMode mode, NameOptions options, bool writable)
{
    task::Process* process = task::current_process();
    Mapping result;
    SharedMemory* object = nullptr;
    {
        task::MutexLocker locker(s_names_lock);
        if (mode != OpenMode::Create) {
            auto opened = names().open(name, process->pid(), writable);
            if (!opened.is_error())
                object = opened.value();
            else if (mode == OpenMode::Open || opened.error().code() != ErrorCode::NotFound)
                return opened.error();
        }
        if (!object) {
            object = TRY(names().create(kernel::frame_provider(), name, size, process->pid(), options));
            result.created = true;
            writable = true; // the creator always may write
        }
    }
    result.size = object->size();
    u8 protection = mm::Protection::Read | (writable ? mm::Protection::Write : 0);
    ErrorOr<uintptr_t> mapped = Error(ErrorCode::NoMemory);
    {
        task::AddressSpaceGuard guard;
        mapped = process->address_space().map_file(0, static_cast<size_t>(result.size), protection, true, false,
            *object, 0);
    }
    object->unref(); // the region holds its own reference
    if (mapped.is_error()) {
        // Undo what the open or create did to the name.
        task::MutexLocker locker(s_names_lock);
        if (result.created || options.lifetime == NameLifetime::Counted)
            (void)names().remove(name, process->pid());
        return mapped.error();
    }
    result.address = mapped.value();
    return result;
}

ErrorOr<void> remove_name(StringView name)
{
    task::MutexLocker locker(s_names_lock);
    return names().remove(name, task::current_process()->pid());
}

void process_exited(u32 pid)
{
    task::MutexLocker locker(s_names_lock);
    names().process_exited(pid);
}

u32 name_count()
{
    task::MutexLocker locker(s_names_lock);
    return names().count();
}

NameInfo name_info(u32 index)
{
    task::MutexLocker locker(s_names_lock);
    if (index >= names().count())
        return {};
    return names().info(index);
}

// ---- futexes ----
//
// A fixed set of wait queues, each serving one key (a physical address) at a
// time; a key takes a free queue when its first waiter arrives. When every
// queue is busy, waiters share the overflow queue, whose wakes wake all of
// them (a futex waiter must cope with spurious wakes anyway). Everything
// runs with interrupts off: with one CPU that is the lock, and it makes
// "compare the value, then sleep" atomic with respect to a waker.

namespace {

constexpr u32 futex_queues = 64;

struct FutexQueue {
    PhysicalAddress key { 0 };
    task::WaitQueue waiters;
};

FutexQueue s_futexes[futex_queues];
task::WaitQueue s_futex_overflow;

} // namespace

// A write fault breaks copy-on-write, so a waiter and a waker of one
// process meet on one frame.
ErrorOr<PhysicalAddress> user_word_key(u32 address)
{
    if (address % 4 || !task::is_user_range(address, 4))
        return Error(ErrorCode::InvalidArgument, "futex address");
    task::Process* process = task::current_process();
    {
        task::AddressSpaceGuard guard;
        const mm::Region* region = process->address_space().find_region(address & ~4095u);
        if (!region || !region->allows_read())
            return Error(ErrorCode::OutOfRange, "futex address outside the program's memory");
        TRY(process->address_space().populate(address & ~4095u, 4096));
    }
    arch::InterruptDisabler disabler;
    mm::PageMapping mapping = process->address_space().page_mapping(address);
    if (!mapping.present)
        return Error(ErrorCode::OutOfRange, "futex page went away");
    return mapping.frame + (address & 4095u);
}

u32 read_word(PhysicalAddress key)
{
    const u8* page = kernel::frame_provider().contents(key & ~static_cast<PhysicalAddress>(4095));
    return __atomic_load_n(reinterpret_cast<const u32*>(page + (key & 4095u)), __ATOMIC_SEQ_CST);
}

ErrorOr<void> futex_wait(u32 address, u32 expected, u32 timeout_ms)
{
    for (;;) {
        PhysicalAddress key = TRY(user_word_key(address));
        arch::InterruptDisabler disabler;
        // The page may have been unmapped or remapped since user_word_key.
        mm::PageMapping mapping = task::current_process()->address_space().page_mapping(address);
        if (!mapping.present || mapping.frame != (key & ~static_cast<PhysicalAddress>(4095)))
            continue;
        if (read_word(key) != expected)
            return Error(ErrorCode::Busy, "futex value changed");
        task::WaitQueue* queue = &s_futex_overflow;
        FutexQueue* free_queue = nullptr;
        for (auto& candidate : s_futexes) {
            if (!candidate.waiters.is_empty() && candidate.key == key) {
                queue = &candidate.waiters;
                free_queue = nullptr;
                break;
            }
            if (candidate.waiters.is_empty() && !free_queue)
                free_queue = &candidate;
        }
        if (free_queue) {
            free_queue->key = key;
            queue = &free_queue->waiters;
        }
        if (timeout_ms == ~0u) {
            queue->wait();
            return {};
        }
        if (!queue->wait_for(timeout_ms))
            return Error(ErrorCode::TimedOut, "futex wait timed out");
        return {};
    }
}

ErrorOr<u32> futex_wake(u32 address, u32 count)
{
    PhysicalAddress key = TRY(user_word_key(address));
    arch::InterruptDisabler disabler;
    u32 woken = 0;
    for (auto& candidate : s_futexes) {
        if (candidate.key != key || candidate.waiters.is_empty())
            continue;
        while (woken < count && !candidate.waiters.is_empty()) {
            candidate.waiters.wake_one();
            ++woken;
        }
        break;
    }
    if (!s_futex_overflow.is_empty()) {
        s_futex_overflow.wake_all();
        ++woken;
    }
    // Event queues watching the word look at it again.
    event::word_woken(key);
    return woken;
}

} // namespace ipc
