#include "kernel/abi/native/NativeIpc.h"

#include "kernel/abi/native/NativeFiles.h"
#include "kernel/abi/native/Syscalls.h"
#include "kernel/ipc/KernelIpc.h"
#include "kernel/task/UserMemory.h"

namespace native {

using arch::TrapFrame;

namespace {

// Copies a name argument: EFAULT for a bad pointer, EINVAL when it is empty
// or longer than 31 bytes.
i32 copy_name(u32 address, char (&name)[ipc::max_name_length + 1])
{
    auto copied = task::copy_string_from_user(name, sizeof(name), address);
    if (copied.is_error())
        return copied.error().code() == ErrorCode::OutOfRange ? -EINVAL : -EFAULT;
    return copied.value() == 0 ? -EINVAL : 0;
}

} // namespace

i32 sys_shm_open(TrapFrame& frame)
{
    char name[ipc::max_name_length + 1];
    if (i32 error = copy_name(frame.ebx, name))
        return error;
    u32 flags = frame.edx;
    if (flags & ~u32(SHM_CREATE | SHM_EXCL | SHM_PRIVATE | SHM_OTHERS_READ | SHM_RDONLY))
        return -EINVAL;
    ipc::OpenMode mode = !(flags & SHM_CREATE) ? ipc::OpenMode::Open
        : (flags & SHM_EXCL)                   ? ipc::OpenMode::Create
                                               : ipc::OpenMode::OpenAlways;
    ipc::NameOptions options;
    options.is_private = flags & SHM_PRIVATE;
    options.others_may_write = !(flags & SHM_OTHERS_READ);
    auto mapped = ipc::open_and_map(name, frame.ecx, mode, options, !(flags & SHM_RDONLY));
    if (mapped.is_error())
        return errno_for(mapped.error());
    if (frame.esi) {
        u32 size = static_cast<u32>(mapped.value().size);
        if (task::write_user(frame.esi, size).is_error())
            return -EFAULT; // the mapping stays: the program may munmap it
    }
    return static_cast<i32>(mapped.value().address);
}

i32 sys_shm_unlink(TrapFrame& frame)
{
    char name[ipc::max_name_length + 1];
    if (i32 error = copy_name(frame.ebx, name))
        return error;
    auto removed = ipc::remove_name(name);
    return removed.is_error() ? errno_for(removed.error()) : 0;
}

i32 sys_futex_wait(TrapFrame& frame)
{
    auto waited = ipc::futex_wait(frame.ebx, frame.ecx, frame.edx);
    if (!waited.is_error())
        return 0;
    switch (waited.error().code()) {
    case ErrorCode::Busy: return -EAGAIN;
    case ErrorCode::TimedOut: return -ETIMEDOUT;
    case ErrorCode::InvalidArgument: return -EINVAL;
    case ErrorCode::NoMemory: return -ENOMEM;
    default: return -EFAULT;
    }
}

i32 sys_futex_wake(TrapFrame& frame)
{
    auto woken = ipc::futex_wake(frame.ebx, frame.ecx);
    if (!woken.is_error())
        return static_cast<i32>(woken.value());
    return woken.error().code() == ErrorCode::InvalidArgument ? -EINVAL : -EFAULT;
}

i32 sys_shm_list(TrapFrame& frame)
{
    if (frame.ebx >= ipc::name_count())
        return 0;
    ipc::NameInfo name = ipc::name_info(frame.ebx);
    ShmInfo info {};
    __builtin_memcpy(info.name, name.name, sizeof(info.name));
    info.size = static_cast<uint32_t>(name.size);
    info.creator = name.creator;
    info.flags = (name.options.is_private ? SHM_PRIVATE : 0) | (name.options.others_may_write ? 0 : SHM_OTHERS_READ)
        | (name.options.lifetime == ipc::NameLifetime::Counted ? 0x100 : 0);
    info.opens = name.opens;
    return task::copy_to_user(frame.ecx, &info, sizeof(info)).is_error() ? -EFAULT : 1;
}

} // namespace native
