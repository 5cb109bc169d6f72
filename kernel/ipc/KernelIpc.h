// The kernel's shared memory names and futexes: the glue between the
// portable objects of kernel/ipc/SharedMemory.h and processes. Both
// personalities use it: native shm_open (NativeIpc.cpp) and KolibriOS
// function 68.22/68.23 (KolibriSyscalls.cpp) share one name space.
#pragma once

#include "kernel/ipc/SharedMemory.h"

namespace ipc {

enum class OpenMode : u8 { Open, Create, OpenAlways };

struct Mapping {
    uintptr_t address { 0 };
    u64 size { 0 };
    bool created { false };
};

// Finds or creates the object named `name` (per `mode`; `size` and `options`
// only matter when it is created) and maps all of it into the current
// process, writable when `writable` (the creator always gets write access).
// Errors as NameTable::create/open, plus NoMemory for the mapping.
ErrorOr<Mapping> open_and_map(StringView name, u64 size, OpenMode mode, NameOptions options, bool writable);
// NameTable::remove for the current process.
ErrorOr<void> remove_name(StringView name);
// Called when a process releases its resources: its owned names go.
void process_exited(u32 pid);

// Names for listings (the shell's `ipcs`).
u32 name_count();
NameInfo name_info(u32 index);

// Futexes: keyed by the physical address of a 4-aligned u32, so processes
// that map the same frame at different addresses meet. futex_wait sleeps
// while *address == expected: Busy when the value differs, TimedOut after
// `timeout_ms` (~0u waits for ever). A wake, a timeout and a spurious
// return all mean the same to the caller: look again.
ErrorOr<void> futex_wait(u32 address, u32 expected, u32 timeout_ms);
// Wakes up to `count` waiters of `address`; returns how many were waiting.
ErrorOr<u32> futex_wake(u32 address, u32 count);

// The physical address of the 4-aligned u32 at `address` in the current
// process, after making its page present and private-copied (the key of
// futexes and of event-queue word watches), and the word's value by key.
ErrorOr<PhysicalAddress> user_word_key(u32 address);
u32 read_word(PhysicalAddress key);

} // namespace ipc
