// The native personality's file system calls: descriptors per process over
// the VFS (kernel/fs/Vfs.h). User memory is copied in bounded chunks, so a
// large read never needs a large kernel buffer.
#include "kernel/abi/native/NativeFiles.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/debug/Log.h"
#include "kernel/fs/KernelRamdisk.h"
#include "kernel/fs/Vfs.h"
#include "kernel/ipc/KernelPipe.h"
#include "kernel/task/OpenFile.h"
#include "kernel/task/Process.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/UserMemory.h"
#include "lib/New.h"
#include "lib/Utility.h"

namespace native {

namespace {

using arch::TrapFrame;
using task::OpenFile;
using task::Process;

Process& self() { return *task::current_process(); }

constexpr size_t max_path = 1024;
constexpr size_t chunk_size = 16 * 1024;
constexpr int max_vectors = 64;

// A path copied from user memory; bare names mean /sys/NAME.
class UserPath {
public:
    UserPath() : m_storage(2 * max_path + 8), m_buffer(reinterpret_cast<char*>(m_storage.bytes())) { }
    i32 copy(u32 address)
    {
        if (!m_buffer)
            return -ENOMEM;
        auto copied = task::copy_string_from_user(m_buffer, max_path, address);
        if (copied.is_error())
            return copied.error().code() == ErrorCode::OutOfRange ? -EFAULT : -ENAMETOOLONG;
        auto absolute = kernel::absolute_path(m_buffer, m_buffer + max_path, max_path + 8);
        if (absolute.is_error())
            return errno_for(absolute.error());
        m_path = absolute.value();
        return 0;
    }
    StringView view() const { return m_path; }

private:
    task::CallBuffer m_storage;
    char* m_buffer;
    StringView m_path;
};

// A kernel bounce buffer for one call, page-aligned so that direct
// transfers meet any device's alignment.
class Chunk {
public:
    Chunk() : m_allocation(chunk_size + 4096) { }
    u8* bytes()
    {
        u8* base = m_allocation.bytes();
        return base ? reinterpret_cast<u8*>(lib::align_up<uintptr_t>(reinterpret_cast<uintptr_t>(base), 4096)) : nullptr;
    }

private:
    task::CallBuffer m_allocation;
};

bool is_console(int fd) { return fd == 0 || fd == 1 || fd == 2; }

// The open file behind `fd`, kept alive for one call even if another thread
// of the process closes the descriptor meanwhile (a pipe read may wait for
// a long time). Null when the descriptor is not open. The reference is also
// noted in the thread: a thread killed inside the call never runs this
// destructor, and reaping it drops the reference instead.
class HeldFile {
public:
    explicit HeldFile(int fd)
    {
        arch::InterruptDisabler disabler;
        m_file = self().file(fd);
        if (m_file) {
            task::retain_open_file(m_file);
            task::current_thread()->held_file = m_file;
        }
    }
    ~HeldFile()
    {
        if (!m_file)
            return;
        // In one step, so a kill cannot come between (releasing never sleeps).
        arch::InterruptDisabler disabler;
        task::current_thread()->held_file = nullptr;
        task::release_open_file(m_file);
    }
    HeldFile(const HeldFile&) = delete;
    HeldFile& operator=(const HeldFile&) = delete;
    OpenFile* get() const { return m_file; }

private:
    OpenFile* m_file;
};

// The open VFS file behind `fd`; null with `error` set for a descriptor
// that is not open (EBADF) or is a pipe end (`pipe_error`).
OpenFile* vfs_file(int fd, i32& error, i32 pipe_error)
{
    OpenFile* open_file = self().file(fd);
    error = !open_file ? -EBADF : open_file->pipe ? pipe_error : 0;
    return error ? nullptr : open_file;
}

// One read or write of a pipe over `count` user spans (checked already).
i32 pipe_transfer(OpenFile& end, bool writing, const ipc::UserSpan* spans, u32 count)
{
    auto moved = writing ? ipc::pipe_write(end, spans, count) : ipc::pipe_read(end, spans, count);
    return moved.is_error() ? errno_for(moved.error()) : static_cast<i32>(moved.value());
}

i32 pipe_transfer(OpenFile& end, bool writing, u32 buffer, size_t length)
{
    if (length > 0x7FFFFFFF)
        length = 0x7FFFFFFF;
    if (!task::is_user_range(buffer, length))
        return -EFAULT;
    ipc::UserSpan span { buffer, static_cast<u32>(length) };
    return pipe_transfer(end, writing, &span, 1);
}

// Moves up to `length` bytes between the file at `offset` and user memory
// at `buffer`. Returns the count, or -errno when nothing was moved.
i32 transfer(OpenFile& open_file, bool writing, u32 buffer, size_t length, u64 offset)
{
    if (length > 0x7FFFFFFF)
        length = 0x7FFFFFFF;
    if (!task::is_user_range(buffer, length))
        return -EFAULT;
    if (open_file.direct) {
        // Direct I/O goes straight between the disk and a kernel buffer of
        // the same alignment, so the user buffer's alignment is checked as
        // the device needs it.
        u32 alignment = fs::direct_alignment(open_file.file);
        if (buffer % alignment || length % alignment || offset % alignment)
            return -EINVAL;
    }
    Chunk chunk;
    if (!chunk.bytes())
        return -ENOMEM;
    size_t done = 0;
    while (done < length) {
        size_t part = lib::min(length - done, chunk_size);
        ErrorOr<size_t> moved = Error(ErrorCode::InvalidArgument);
        if (writing) {
            if (task::copy_from_user(chunk.bytes(), buffer + static_cast<u32>(done), part).is_error())
                return done ? static_cast<i32>(done) : -EFAULT;
            moved = open_file.direct ? fs::write_direct(open_file.file, offset + done, chunk.bytes(), part)
                                     : fs::write(open_file.file, offset + done, chunk.bytes(), part);
        } else {
            moved = open_file.direct ? fs::read_direct(open_file.file, offset + done, chunk.bytes(), part)
                                     : fs::read(open_file.file, offset + done, chunk.bytes(), part);
        }
        if (moved.is_error())
            return done ? static_cast<i32>(done) : errno_for(moved.error());
        if (!writing && moved.value() > 0
            && task::copy_to_user(buffer + static_cast<u32>(done), chunk.bytes(), moved.value()).is_error())
            return done ? static_cast<i32>(done) : -EFAULT;
        done += moved.value();
        if (moved.value() < part)
            break; // end of file, or the disk is full
    }
    return static_cast<i32>(done);
}

u64 append_offset(OpenFile& open_file)
{
    auto info = fs::stat(open_file.file);
    return info.is_error() ? open_file.offset : info.value().size;
}

i32 console_write(u32 buffer, size_t length)
{
    if (!task::is_user_range(buffer, length))
        return -EFAULT;
    char chunk[256];
    size_t done = 0;
    while (done < length) {
        size_t part = lib::min(length - done, sizeof(chunk));
        if (task::copy_from_user(chunk, buffer + static_cast<u32>(done), part).is_error())
            return done ? static_cast<i32>(done) : -EFAULT;
        kernel::console_write(chunk, part);
        done += part;
    }
    return static_cast<i32>(done);
}

i32 read_or_write(TrapFrame& frame, bool writing)
{
    int fd = static_cast<int>(frame.ebx);
    HeldFile held(fd);
    OpenFile* open_file = held.get();
    if (!open_file) {
        if (writing && (fd == 1 || fd == 2))
            return console_write(frame.ecx, frame.edx);
        return -EBADF;
    }
    if (open_file->pipe)
        return pipe_transfer(*open_file, writing, frame.ecx, frame.edx);
    if (writing && open_file->append)
        open_file->offset = append_offset(*open_file);
    i32 result = transfer(*open_file, writing, frame.ecx, frame.edx, open_file->offset);
    if (result > 0)
        open_file->offset += static_cast<u32>(result);
    return result;
}

i32 positioned(TrapFrame& frame, bool writing)
{
    HeldFile held(static_cast<int>(frame.ebx));
    OpenFile* open_file = held.get();
    if (!open_file || open_file->pipe)
        return open_file ? -ESPIPE : -EBADF;
    u64 offset = static_cast<u64>(frame.esi) | static_cast<u64>(frame.edi) << 32;
    return transfer(*open_file, writing, frame.ecx, frame.edx, offset);
}

i32 vectored(TrapFrame& frame, bool writing)
{
    HeldFile held(static_cast<int>(frame.ebx));
    OpenFile* open_file = held.get();
    if (!open_file)
        return -EBADF;
    int count = static_cast<int>(frame.edx);
    if (count < 0 || count > max_vectors)
        return -EINVAL;
    IoVec vectors[max_vectors];
    if (task::copy_from_user(vectors, frame.ecx, static_cast<size_t>(count) * sizeof(IoVec)).is_error())
        return -EFAULT;
    u64 total = 0;
    for (int i = 0; i < count; ++i) {
        total += vectors[i].length;
        if (!task::is_user_range(reinterpret_cast<uintptr_t>(vectors[i].base), vectors[i].length))
            return -EFAULT;
    }
    if (total > 0x7FFFFFFF)
        return -EINVAL;
    if (open_file->pipe) {
        // One pipe operation for all the vectors: a readv returns what is
        // there instead of waiting to fill the next vector, and a writev of
        // up to a pipe's capacity is not interleaved with other writers.
        ipc::UserSpan spans[max_vectors];
        for (int i = 0; i < count; ++i)
            spans[i] = { static_cast<u32>(reinterpret_cast<uintptr_t>(vectors[i].base)), vectors[i].length };
        return pipe_transfer(*open_file, writing, spans, static_cast<u32>(count));
    }
    if (writing && open_file->append)
        open_file->offset = append_offset(*open_file);
    u32 done = 0;
    for (int i = 0; i < count; ++i) {
        if (vectors[i].length == 0)
            continue;
        i32 moved = transfer(*open_file, writing, static_cast<u32>(reinterpret_cast<uintptr_t>(vectors[i].base)),
            vectors[i].length, open_file->offset);
        if (moved < 0)
            return done ? static_cast<i32>(done) : moved;
        open_file->offset += static_cast<u32>(moved);
        done += static_cast<u32>(moved);
        if (static_cast<u32>(moved) < vectors[i].length)
            break;
    }
    return static_cast<i32>(done);
}

void to_file_time(const fs::FatTimestamp& from, FileTime& to)
{
    to = FileTime { from.year, from.month, from.day, from.hour, from.minute, from.second, 0 };
}

// A file's FAT attributes (bits above 0x20 are masked: a hostile disk may
// set them), plus `extra` (FILE_ATTRIBUTE_PIPE).
i32 put_stat(const fs::FileInfo& info, u32 alignment, u32 address, u32 extra = 0)
{
    FileStat out {};
    out.size = info.size;
    out.attributes = (info.attributes & 0x3Fu) | extra;
    out.direct_alignment = alignment;
    to_file_time(info.created, out.created);
    to_file_time(info.accessed, out.accessed);
    to_file_time(info.modified, out.modified);
    return task::copy_to_user(address, &out, sizeof(out)).is_error() ? -EFAULT : 0;
}

} // namespace

i32 sys_read(TrapFrame& frame) { return read_or_write(frame, false); }
i32 sys_write(TrapFrame& frame) { return read_or_write(frame, true); }
i32 sys_pread(TrapFrame& frame) { return positioned(frame, false); }
i32 sys_pwrite(TrapFrame& frame) { return positioned(frame, true); }
i32 sys_readv(TrapFrame& frame) { return vectored(frame, false); }
i32 sys_writev(TrapFrame& frame) { return vectored(frame, true); }

i32 sys_open(TrapFrame& frame)
{
    UserPath path;
    if (i32 error = path.copy(frame.ebx))
        return error;
    u32 flags = frame.ecx;
    u32 vfs_flags = 0;
    switch (flags & O_ACCMODE) {
    case O_RDONLY: vfs_flags = fs::open_read; break;
    case O_WRONLY: vfs_flags = fs::open_write; break;
    case O_RDWR: vfs_flags = fs::open_read | fs::open_write; break;
    default: return -EINVAL;
    }
    if (flags & O_CREAT)
        vfs_flags |= fs::open_create;
    if (flags & O_EXCL)
        vfs_flags |= fs::open_exclusive;
    if ((flags & O_TRUNC) && (vfs_flags & fs::open_write))
        vfs_flags |= fs::open_truncate;
    if (flags & O_APPEND)
        vfs_flags |= fs::open_append;
    if (flags & O_DIRECTORY)
        vfs_flags |= fs::open_directory;
    auto file = fs::open(path.view(), vfs_flags);
    if (file.is_error())
        return errno_for(file.error());
    // From here to the descriptor table the thread notes what it holds, in
    // steps a kill cannot split: first the VFS file, then the open file.
    task::Thread* thread = task::current_thread();
    {
        arch::InterruptDisabler disabler;
        thread->held_vfs_file = file.value();
    }
    auto* open_file = task::create_open_file(file.value());
    arch::InterruptDisabler disabler;
    thread->held_vfs_file = nullptr;
    if (!open_file) {
        fs::release(file.value());
        return -ENOMEM;
    }
    open_file->append = flags & O_APPEND;
    open_file->direct = flags & O_DIRECT;
    auto fd = self().install_file(open_file, 3, flags & O_CLOEXEC);
    if (fd.is_error()) {
        task::release_open_file(open_file);
        return -EMFILE;
    }
    return fd.value();
}

i32 sys_close(TrapFrame& frame)
{
    int fd = static_cast<int>(frame.ebx);
    if (!self().file(fd))
        return is_console(fd) ? 0 : -EBADF;
    self().close_file(fd);
    return 0;
}

i32 sys_lseek(TrapFrame& frame)
{
    i32 error;
    auto* file = vfs_file(static_cast<int>(frame.ebx), error, -ESPIPE);
    if (!file)
        return error;
    i64 offset = static_cast<i32>(frame.ecx);
    i64 base = -1;
    if (frame.edx == 0)
        base = 0;
    else if (frame.edx == 1)
        base = static_cast<i64>(file->offset);
    else if (frame.edx == 2)
        base = static_cast<i64>(append_offset(*file));
    if (base < 0 || base + offset < 0 || base + offset > 0x7FFFFFFF)
        return -EINVAL;
    file->offset = static_cast<u64>(base + offset);
    return static_cast<i32>(file->offset);
}

i32 sys_stat(TrapFrame& frame)
{
    UserPath path;
    if (i32 error = path.copy(frame.ebx))
        return error;
    auto info = fs::stat(path.view());
    if (info.is_error())
        return errno_for(info.error());
    return put_stat(info.value(), 0, frame.ecx);
}

i32 sys_fstat(TrapFrame& frame)
{
    auto* file = self().file(static_cast<int>(frame.ebx));
    if (!file)
        return -EBADF;
    if (file->pipe) {
        // A pipe: its size is what waits in it; no times.
        fs::FileInfo info {};
        info.size = ipc::pipe_buffered(*file);
        return put_stat(info, 1, frame.ecx, FILE_ATTRIBUTE_PIPE);
    }
    auto info = fs::stat(file->file);
    if (info.is_error())
        return errno_for(info.error());
    return put_stat(info.value(), fs::direct_alignment(file->file), frame.ecx);
}

i32 sys_unlink(TrapFrame& frame)
{
    UserPath path;
    if (i32 error = path.copy(frame.ebx))
        return error;
    auto removed = fs::remove_file(path.view());
    return removed.is_error() ? errno_for(removed.error()) : 0;
}

i32 sys_rename(TrapFrame& frame)
{
    UserPath from, to;
    if (i32 error = from.copy(frame.ebx))
        return error;
    if (i32 error = to.copy(frame.ecx))
        return error;
    auto renamed = fs::rename(from.view(), to.view());
    if (renamed.is_error())
        return renamed.error().code() == ErrorCode::Unsupported ? -EXDEV : errno_for(renamed.error());
    return 0;
}

i32 sys_mkdir(TrapFrame& frame)
{
    UserPath path;
    if (i32 error = path.copy(frame.ebx))
        return error;
    auto made = fs::make_directory(path.view());
    return made.is_error() ? errno_for(made.error()) : 0;
}

i32 sys_rmdir(TrapFrame& frame)
{
    UserPath path;
    if (i32 error = path.copy(frame.ebx))
        return error;
    auto removed = fs::remove_directory(path.view());
    return removed.is_error() ? errno_for(removed.error()) : 0;
}

i32 sys_readdir(TrapFrame& frame)
{
    i32 error;
    auto* file = vfs_file(static_cast<int>(frame.ebx), error, -ENOTDIR);
    if (!file)
        return error;
    task::CallBuffer storage(sizeof(DirEntry));
    if (!storage.bytes())
        return -ENOMEM;
    auto* entry = new (storage.bytes()) DirEntry {};
    struct Context {
        DirEntry* entry;
        bool found;
    } context { entry, false };
    auto listed = fs::list(file->file, static_cast<u32>(file->offset), [](void* opaque, const fs::DirectoryEntryInfo& info) {
        auto& context = *static_cast<Context*>(opaque);
        context.entry->size = info.info.size;
        context.entry->attributes = info.info.attributes;
        size_t length = 0;
        while (info.name[length] && length + 1 < sizeof(context.entry->name)) {
            context.entry->name[length] = info.name[length];
            ++length;
        }
        context.entry->name[length] = '\0';
        context.found = true;
        return false;
    }, &context);
    i32 result = 0;
    if (listed.is_error()) {
        result = errno_for(listed.error());
    } else if (context.found) {
        result = task::copy_to_user(frame.ecx, entry, sizeof(DirEntry)).is_error() ? -EFAULT : 1;
        if (result == 1)
            ++file->offset;
    }
    return result;
}

i32 sys_fsync(TrapFrame& frame)
{
    i32 error;
    auto* file = vfs_file(static_cast<int>(frame.ebx), error, -EINVAL);
    if (!file)
        return error;
    auto synced = fs::sync(file->file);
    return synced.is_error() ? errno_for(synced.error()) : 0;
}

i32 sys_ftruncate(TrapFrame& frame)
{
    i32 error;
    auto* file = vfs_file(static_cast<int>(frame.ebx), error, -EINVAL);
    if (!file)
        return error;
    u64 length = static_cast<u64>(frame.ecx) | static_cast<u64>(frame.edx) << 32;
    auto truncated = fs::truncate(file->file, length);
    return truncated.is_error() ? errno_for(truncated.error()) : 0;
}

i32 sys_pipe(TrapFrame& frame)
{
    if ((frame.ecx & ~static_cast<u32>(O_NONBLOCK | O_CLOEXEC)) != 0)
        return -EINVAL;
    OpenFile* ends[2];
    auto created = ipc::create_pipe(ends[0], ends[1]);
    if (created.is_error())
        return errno_for(created.error());
    int fds[2] = { -1, -1 };
    i32 result = 0;
    for (int i = 0; i < 2; ++i) {
        ends[i]->nonblocking = frame.ecx & O_NONBLOCK;
        auto fd = self().install_file(ends[i], 3, frame.ecx & O_CLOEXEC);
        if (fd.is_error()) {
            task::release_open_file(ends[i]);
            ends[i] = nullptr;
            result = -EMFILE;
        } else {
            fds[i] = fd.value();
        }
    }
    if (result == 0 && task::copy_to_user(frame.ebx, fds, sizeof(fds)).is_error())
        result = -EFAULT;
    if (result != 0) {
        // The copy may have slept: close only what still is our end (another
        // thread may have closed it and reused the number).
        for (int i = 0; i < 2; ++i)
            (void)self().close_file_if(fds[i], ends[i]);
    }
    return result;
}

i32 sys_dup2(TrapFrame& frame)
{
    int from = static_cast<int>(frame.ebx);
    int to = static_cast<int>(frame.ecx);
    OpenFile* old;
    {
        // Look up, take a reference and swap in one step: no other thread
        // can close `from` or take `to` in between.
        arch::InterruptDisabler disabler;
        OpenFile* file = self().file(from);
        if (!file || to < 0 || static_cast<size_t>(to) >= task::max_open_files)
            return -EBADF;
        if (from == to)
            return to;
        task::retain_open_file(file);
        old = self().replace_file(to, file);
    }
    if (old)
        task::release_open_file(old);
    return to;
}

i32 sys_fcntl(TrapFrame& frame)
{
    int fd = static_cast<int>(frame.ebx);
    u32 command = frame.ecx;
    u32 argument = frame.edx;
    arch::InterruptDisabler disabler; // the table and the flags change in one step
    OpenFile* file = self().file(fd);
    if (!file)
        return -EBADF;
    switch (command) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
        if (argument >= task::max_open_files)
            return -EINVAL;
        task::retain_open_file(file);
        auto installed
            = self().install_file(file, lib::max(3, static_cast<int>(argument)), command == F_DUPFD_CLOEXEC);
        if (installed.is_error()) {
            task::release_open_file(file);
            return -EMFILE;
        }
        return installed.value();
    }
    case F_GETFD:
        return self().close_on_exec(fd) ? FD_CLOEXEC : 0;
    case F_SETFD:
        (void)self().set_close_on_exec(fd, argument & FD_CLOEXEC);
        return 0;
    case F_GETFL: {
        u32 flags;
        if (file->pipe) {
            flags = file->pipe_writes ? O_WRONLY : O_RDONLY;
        } else {
            u32 mode = fs::open_flags(file->file) & (fs::open_read | fs::open_write);
            flags = mode == (fs::open_read | fs::open_write) ? O_RDWR : mode == fs::open_write ? O_WRONLY : O_RDONLY;
        }
        if (file->append)
            flags |= O_APPEND;
        if (file->nonblocking)
            flags |= O_NONBLOCK;
        if (file->direct)
            flags |= O_DIRECT;
        return static_cast<i32>(flags);
    }
    case F_SETFL:
        if ((argument & O_DIRECT) && file->pipe)
            return -EINVAL;
        file->append = argument & O_APPEND;
        file->nonblocking = argument & O_NONBLOCK;
        file->direct = argument & O_DIRECT;
        return 0;
    }
    return -EINVAL;
}

i32 sys_sync(TrapFrame&)
{
    auto synced = fs::sync();
    return synced.is_error() ? errno_for(synced.error()) : 0;
}

} // namespace native
