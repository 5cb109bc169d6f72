#include "lib/New.h"
#include "kernel/abi/native/NativeSyscalls.h"

#include "kernel/abi/native/Syscalls.h"
#include "kernel/arch/i386/Clock.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Interrupts.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/debug/Log.h"
#include "kernel/abi/native/NativeFiles.h"
#include "kernel/abi/native/NativeAio.h"
#include "kernel/abi/native/NativeEvents.h"
#include "kernel/abi/native/NativeIpc.h"
#include "kernel/fs/Vfs.h"
#include "kernel/fs/KernelRamdisk.h"
#include "kernel/mm/AddressSpace.h"
#include "kernel/mm/KernelMemory.h"
#include "kernel/mm/PhysicalFrameAllocator.h"
#include "kernel/task/OpenFile.h"
#include "kernel/task/AddressSpaceGuard.h"
#include "kernel/task/Process.h"
#include "kernel/task/ProgramLoader.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/UserMemory.h"

namespace native {

namespace {

using arch::TrapFrame;
using task::AddressSpaceGuard;
using task::Process;

// Every handler returns a value for EAX: >= 0 on success, -errno on error.
using Handler = i32 (*)(TrapFrame&);

Process& self() { return *task::current_process(); }

i32 sys_exit(TrapFrame& frame)
{
    self().terminate(static_cast<int>(frame.ebx) & 0xFF);
    return 0;
}

i32 sys_getpid(TrapFrame&) { return static_cast<i32>(self().pid()); }
i32 sys_getppid(TrapFrame&) { return self().parent() ? static_cast<i32>(self().parent()->pid()) : 0; }

i32 sys_yield(TrapFrame&)
{
    task::yield();
    return 0;
}

i32 sys_sleep_ms(TrapFrame& frame)
{
    task::sleep_ms(frame.ebx);
    return 0;
}

i32 sys_fork(TrapFrame& frame)
{
    Process& parent = self();
    auto child = Process::create(parent.name(), &parent, task::Personality::Native);
    if (child.is_error())
        return -ENOMEM;
    ErrorOr<void> cloned = {};
    {
        AddressSpaceGuard guard;
        cloned = parent.address_space().clone_into(child.value()->address_space());
    }
    if (cloned.is_error()) {
        child.value()->terminate(-1);
        int status;
        (void)parent.wait_for_child(static_cast<int>(child.value()->pid()), status, true);
        return -ENOMEM;
    }
    for (int fd = 0; fd < static_cast<int>(task::max_open_files); ++fd) {
        if (auto* file = parent.file(fd)) {
            task::retain_open_file(file);
            (void)child.value()->install_file_at(fd, file, parent.close_on_exec(fd));
        }
    }
    TrapFrame child_frame = frame;
    child_frame.eax = 0;
    // The child continues the parent's computation: it gets a copy of the
    // parent's x87/SSE registers as they are now (POSIX fork keeps them).
    auto thread = task::create_user_thread(*child.value(), child_frame, task::current_thread()->priority,
        task::current_thread()->fpu_state);
    if (thread.is_error()) {
        child.value()->terminate(-1);
        int status;
        (void)parent.wait_for_child(static_cast<int>(child.value()->pid()), status, true);
        return -ENOMEM;
    }
    return static_cast<i32>(child.value()->pid());
}

// Copies a NULL-terminated array of user strings into kernel buffers.
struct ArgumentStorage {
    char text[4096];
    size_t used { 0 };
};

ErrorOr<void> copy_string_array(u32 user_array, const char** out, size_t& count, size_t max, ArgumentStorage& storage)
{
    count = 0;
    if (user_array == 0)
        return {};
    for (;;) {
        u32 pointer = TRY(task::read_user<u32>(user_array + static_cast<u32>(count * 4)));
        if (pointer == 0)
            return {};
        if (count == max)
            return Error(ErrorCode::InvalidArgument, "too many arguments");
        size_t length = TRY(task::copy_string_from_user(storage.text + storage.used, sizeof(storage.text) - storage.used, pointer));
        out[count++] = storage.text + storage.used;
        storage.used += length + 1;
    }
}

i32 load_arguments(TrapFrame& frame, char* path, size_t path_capacity, task::ProgramArguments& arguments, ArgumentStorage& storage)
{
    auto copied = task::copy_string_from_user(path, path_capacity, frame.ebx);
    if (copied.is_error())
        return copied.error().code() == ErrorCode::OutOfRange ? -EFAULT : -E2BIG;
    auto args = copy_string_array(frame.ecx, arguments.argv, arguments.argc, task::ProgramArguments::max_arguments, storage);
    if (args.is_error())
        return args.error().code() == ErrorCode::OutOfRange ? -EFAULT : -E2BIG;
    auto env = copy_string_array(frame.edx, arguments.envp, arguments.envc, task::ProgramArguments::max_arguments, storage);
    if (env.is_error())
        return env.error().code() == ErrorCode::OutOfRange ? -EFAULT : -E2BIG;
    if (arguments.argc == 0) {
        arguments.argv[0] = path;
        arguments.argc = 1;
    }
    return 0;
}

i32 sys_spawn(TrapFrame& frame)
{
    char path[256];
    task::ProgramArguments arguments;
    task::CallBuffer buffer(sizeof(ArgumentStorage));
    if (!buffer.bytes())
        return -ENOMEM;
    auto* storage = new (buffer.bytes()) ArgumentStorage;
    i32 result = load_arguments(frame, path, sizeof(path), arguments, *storage);
    if (result == 0) {
        auto child = task::spawn_program(path, arguments, &self());
        result = child.is_error() ? errno_for(child.error()) : static_cast<i32>(child.value());
    }
    return result;
}

i32 sys_exec(TrapFrame& frame)
{
    char path[256];
    task::ProgramArguments arguments;
    task::CallBuffer buffer(sizeof(ArgumentStorage));
    if (!buffer.bytes())
        return -ENOMEM;
    auto* storage = new (buffer.bytes()) ArgumentStorage;
    i32 result = load_arguments(frame, path, sizeof(path), arguments, *storage);
    if (result == 0) {
        auto executed = task::exec_program(self(), frame, path, arguments);
        result = executed.is_error() ? errno_for(executed.error()) : 0;
        if (!executed.is_error())
            self().close_files_on_exec();
    }
    // On success the frame now starts the new program: keep its EAX (0).
    return result;
}

i32 sys_waitpid(TrapFrame& frame)
{
    int status = 0;
    auto pid = self().wait_for_child(static_cast<int>(frame.ebx), status, frame.edx & WNOHANG);
    if (pid.is_error())
        return -ECHILD;
    if (pid.value() != 0 && frame.ecx != 0) {
        if (task::write_user<i32>(frame.ecx, status).is_error())
            return -EFAULT;
    }
    return static_cast<i32>(pid.value());
}

i32 sys_kill(TrapFrame& frame)
{
    Process* target = Process::find(frame.ebx);
    if (!target || target->state() != task::ProcessState::Alive)
        return -ESRCH;
    target->terminate(STATUS_KILLED);
    return 0;
}

u8 checked_protection(u32 prot, bool& ok)
{
    ok = (prot & ~u32(PROT_READ | PROT_WRITE | PROT_EXEC)) == 0;
    return static_cast<u8>(prot);
}

i32 sys_mmap(TrapFrame& frame)
{
    u32 hint = frame.ebx;
    u32 length = frame.ecx;
    bool ok;
    u8 protection = checked_protection(frame.edx, ok);
    u32 flags = frame.esi;
    if (!ok || length == 0)
        return -EINVAL;
    bool shared = flags & MAP_SHARED;
    bool is_private = flags & MAP_PRIVATE;
    if (shared == is_private)
        return -EINVAL; // exactly one of them
    bool fixed = flags & MAP_FIXED;
    if (fixed && (hint & 4095))
        return -EINVAL;
    ErrorOr<uintptr_t> result = Error(ErrorCode::InvalidArgument);
    if (flags & MAP_ANONYMOUS) {
        AddressSpaceGuard guard;
        result = self().address_space().map_anonymous(hint, length, protection, shared, fixed);
    } else {
        auto* file = self().file(static_cast<int>(frame.edi));
        if (!file)
            return -EBADF;
        if (file->pipe)
            return -ENODEV; // a stream has no pages to map
        u32 offset = frame.ebp;
        if (offset & 4095)
            return -EINVAL;
        // As with POSIX, a shared writable mapping needs a file open for
        // writing; and even then Colibri does not write mapped pages back
        // to files yet, so it is refused rather than silently lost.
        if (shared && (protection & 2))
            return (fs::open_flags(file->file) & fs::open_write) ? -ENOSYS : -EACCES;
        auto source_or_error = fs::file_source(file->file);
        if (source_or_error.is_error())
            return errno_for(source_or_error.error());
        auto* source = source_or_error.value();
        {
            AddressSpaceGuard guard;
            result = self().address_space().map_file(hint, length, protection, shared, fixed, *source, offset);
        }
        source->unref();
    }
    if (result.is_error())
        return errno_for(result.error());
    return static_cast<i32>(result.value());
}

i32 sys_munmap(TrapFrame& frame)
{
    if ((frame.ebx & 4095) || frame.ecx == 0)
        return -EINVAL;
    AddressSpaceGuard guard;
    auto result = self().address_space().unmap(frame.ebx, frame.ecx);
    return result.is_error() ? errno_for(result.error()) : 0;
}

i32 sys_mprotect(TrapFrame& frame)
{
    bool ok;
    u8 protection = checked_protection(frame.edx, ok);
    if (!ok || (frame.ebx & 4095))
        return -EINVAL;
    AddressSpaceGuard guard;
    auto result = self().address_space().protect(frame.ebx, frame.ecx, protection);
    if (result.is_error())
        return result.error().code() == ErrorCode::NotFound ? -ENOMEM : errno_for(result.error());
    return 0;
}

i32 sys_vm_stats(TrapFrame& frame)
{
    VmStats stats {};
    int pid = static_cast<int>(frame.ebx);
    auto fill = [&](const Process& process) {
        const auto& faults = process.address_space().statistics();
        stats.total_faults += faults.total;
        stats.demand_zero_faults += faults.demand_zero;
        stats.file_faults += faults.file;
        stats.cow_faults += faults.cow;
        stats.protection_faults += faults.protection;
        stats.resident_pages += static_cast<u32>(process.address_space().resident_pages());
        stats.region_count += static_cast<u32>(process.address_space().region_count());
    };
    if (pid == -1) {
        for (Process* process = Process::first(); process; process = process->next_in_list())
            fill(*process);
        auto memory = kernel::memory_statistics();
        stats.free_frames = static_cast<u32>(memory.free_frames);
        stats.kernel_heap_bytes = static_cast<u32>(memory.heap_bytes_in_use);
    } else {
        Process* process = pid == 0 ? &self() : Process::find(static_cast<u32>(pid));
        if (!process)
            return -ESRCH;
        fill(*process);
    }
    return task::write_user(frame.ecx, stats).is_error() ? -EFAULT : 0;
}

i32 sys_thread_create(TrapFrame& frame)
{
    u32 entry = frame.ebx;
    u32 argument = frame.ecx;
    u32 stack = frame.edx & ~15u;
    if (!task::is_user_range(entry, 1) || stack < 16 || !task::is_user_range(stack - 8, 8))
        return -EINVAL;
    // The new thread starts at entry(argument) with a zero return address:
    // returning from entry faults, so it must call thread_exit.
    stack -= 8;
    u32 words[2] = { 0, argument };
    if (task::copy_to_user(stack, words, sizeof(words)).is_error())
        return -EFAULT;
    TrapFrame start {};
    start.eip = entry;
    start.user_esp = stack;
    auto thread = task::create_user_thread(self(), start, task::current_thread()->priority);
    return thread.is_error() ? -ENOMEM : static_cast<i32>(thread.value()->id);
}

i32 sys_thread_exit(TrapFrame& frame)
{
    Process& process = self();
    if (process.thread_count() <= 1)
        process.terminate(static_cast<int>(frame.ebx) & 0xFF);
    process.remove_thread(task::current_thread());
    task::exit_current_thread(static_cast<int>(frame.ebx));
}

i32 sys_clock_ns(TrapFrame& frame)
{
    u64 nanoseconds = arch::clock::monotonic_ns();
    return task::write_user(frame.ebx, nanoseconds).is_error() ? -EFAULT : 0;
}

constexpr Handler s_handlers[SYS_COUNT] = {
    sys_exit,          // SYS_EXIT
    sys_write,         // SYS_WRITE
    sys_read,          // SYS_READ
    sys_open,          // SYS_OPEN
    sys_close,         // SYS_CLOSE
    sys_getpid,        // SYS_GETPID
    sys_getppid,       // SYS_GETPPID
    sys_yield,         // SYS_YIELD
    sys_sleep_ms,      // SYS_SLEEP_MS
    sys_fork,          // SYS_FORK
    sys_exec,          // SYS_EXEC
    sys_spawn,         // SYS_SPAWN
    sys_waitpid,       // SYS_WAITPID
    sys_kill,          // SYS_KILL
    sys_mmap,          // SYS_MMAP
    sys_munmap,        // SYS_MUNMAP
    sys_mprotect,      // SYS_MPROTECT
    sys_vm_stats,      // SYS_VM_STATS
    sys_thread_create, // SYS_THREAD_CREATE
    sys_thread_exit,   // SYS_THREAD_EXIT
    sys_clock_ns,      // SYS_CLOCK_NS
    sys_lseek,         // SYS_LSEEK
    sys_pread,         // SYS_PREAD
    sys_pwrite,        // SYS_PWRITE
    sys_readv,         // SYS_READV
    sys_writev,        // SYS_WRITEV
    sys_stat,          // SYS_STAT
    sys_fstat,         // SYS_FSTAT
    sys_unlink,        // SYS_UNLINK
    sys_rename,        // SYS_RENAME
    sys_mkdir,         // SYS_MKDIR
    sys_rmdir,         // SYS_RMDIR
    sys_readdir,       // SYS_READDIR
    sys_fsync,         // SYS_FSYNC
    sys_ftruncate,     // SYS_FTRUNCATE
    sys_sync,          // SYS_SYNC
    sys_aio_setup,     // SYS_AIO_SETUP
    sys_aio_enter,     // SYS_AIO_ENTER
    sys_aio_cancel,    // SYS_AIO_CANCEL
    sys_aio_stats,     // SYS_AIO_STATS
    sys_aio_destroy,   // SYS_AIO_DESTROY
    sys_shm_open,      // SYS_SHM_OPEN
    sys_shm_unlink,    // SYS_SHM_UNLINK
    sys_futex_wait,    // SYS_FUTEX_WAIT
    sys_futex_wake,    // SYS_FUTEX_WAKE
    sys_shm_list,      // SYS_SHM_LIST
    sys_eq_create,     // SYS_EQ_CREATE
    sys_eq_ctl,        // SYS_EQ_CTL
    sys_eq_wait,       // SYS_EQ_WAIT
    sys_eq_stats,      // SYS_EQ_STATS
    sys_timer_create,  // SYS_TIMER_CREATE
    sys_timer_set,     // SYS_TIMER_SET
    sys_timer_read,    // SYS_TIMER_READ
    sys_handle_close,  // SYS_HANDLE_CLOSE
    sys_pipe,          // SYS_PIPE
    sys_dup2,          // SYS_DUP2
    sys_fcntl,         // SYS_FCNTL
};

void dispatch(TrapFrame& frame)
{
    if (!task::current_process()) {
        frame.eax = static_cast<u32>(-ENOSYS);
        return;
    }
    u32 number = frame.eax;
    if (number >= SYS_COUNT) {
        frame.eax = static_cast<u32>(-ENOSYS);
        return;
    }
    frame.eax = static_cast<u32>(s_handlers[number](frame));
}

} // namespace

i32 errno_for(const Error& error)
{
    switch (error.code()) {
    case ErrorCode::NoMemory: return -ENOMEM;
    case ErrorCode::InvalidArgument: return -EINVAL;
    case ErrorCode::OutOfRange: return -EFAULT;
    case ErrorCode::NotFound: return -ENOENT;
    case ErrorCode::AlreadyExists: return -EEXIST;
    case ErrorCode::Corrupt: return -ENOEXEC;
    case ErrorCode::Unsupported: return -ENOEXEC;
    case ErrorCode::Busy: return -EMFILE;
    case ErrorCode::IoError: return -EIO;
    case ErrorCode::NoSpace: return -ENOSPC;
    case ErrorCode::NotEmpty: return -ENOTEMPTY;
    case ErrorCode::ReadOnly: return -EROFS;
    case ErrorCode::NotADirectory: return -ENOTDIR;
    case ErrorCode::IsADirectory: return -EISDIR;
    case ErrorCode::Misaligned: return -EINVAL;
    case ErrorCode::TimedOut: return -ETIMEDOUT;
    case ErrorCode::Cancelled: return -ECANCELED;
    case ErrorCode::BadDescriptor: return -EBADF;
    case ErrorCode::AccessDenied: return -EACCES;
    case ErrorCode::WouldBlock: return -EAGAIN;
    case ErrorCode::BrokenPipe: return -EPIPE;
    }
    return -EINVAL;
}

void initialize_native_personality()
{
    arch::set_syscall_handler(arch::native_syscall_vector, dispatch);
}

} // namespace native
