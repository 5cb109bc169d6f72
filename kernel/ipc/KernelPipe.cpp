#include "kernel/ipc/KernelPipe.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/task/Mutex.h"
#include "kernel/task/OpenFile.h"
#include "kernel/task/UserMemory.h"
#include "kernel/task/WaitQueue.h"
#include "lib/Utility.h"
#include "lib/New.h"

namespace ipc {

// The ring, the ends and the wait queues change with interrupts off (one
// CPU: that is the lock). A reader copies bytes out before it takes them
// off the ring, so a fault in its buffer loses nothing; the read lock keeps
// a second reader from taking the same bytes meanwhile (readers wait for
// bytes before they take it). The write lock keeps one write's bytes
// together; a writer waits for room holding it.
struct Pipe {
    u8 data[pipe_capacity];
    u32 head { 0 };  // the oldest byte
    u32 count { 0 }; // bytes in the ring
    task::OpenFile* read_end { nullptr };  // null once closed
    task::OpenFile* write_end { nullptr }; // null once closed
    task::WaitQueue readers; // wait for bytes or the end of the stream
    task::WaitQueue writers; // wait for room or a broken pipe
    task::Mutex read_lock { "pipe read" };
    task::Mutex write_lock { "pipe write" };
};

namespace {

// Bytes are copied through a small kernel buffer on the stack.
constexpr u32 chunk_size = 256;

// Interrupts off.
void refresh(Pipe& pipe)
{
    namespace Ready = event::Ready;
    if (pipe.read_end) {
        u32 eof = pipe.write_end ? 0 : Ready::Readable | Ready::HangUp;
        pipe.read_end->events.notify((pipe.count ? Ready::Readable : 0) | eof);
    }
    if (pipe.write_end) {
        u32 room = pipe.count < pipe_capacity ? Ready::Writable : 0;
        pipe.write_end->events.notify(pipe.read_end ? room : Ready::Writable | Ready::Error);
    }
}

size_t total_length(const UserSpan* spans, u32 count)
{
    size_t total = 0;
    for (u32 i = 0; i < count; ++i)
        total += spans[i].length;
    return total;
}

// Copies `length` bytes between `kernel` and the spans' bytes from `offset`
// on (the spans read as one stream).
ErrorOr<void> copy_spans(const UserSpan* spans, u32 count, size_t offset, u8* kernel, u32 length, bool to_user)
{
    for (u32 i = 0; i < count && length > 0; ++i) {
        if (offset >= spans[i].length) {
            offset -= spans[i].length;
            continue;
        }
        u32 part = static_cast<u32>(lib::min<size_t>(spans[i].length - offset, length));
        u32 address = spans[i].address + static_cast<u32>(offset);
        TRY(to_user ? task::copy_to_user(address, kernel, part) : task::copy_from_user(kernel, address, part));
        kernel += part;
        length -= part;
        offset = 0;
    }
    return {};
}

} // namespace

ErrorOr<void> create_pipe(task::OpenFile*& read_end, task::OpenFile*& write_end)
{
    auto* pipe = new (lib::nothrow) Pipe;
    auto* reader = new (lib::nothrow) task::OpenFile;
    auto* writer = new (lib::nothrow) task::OpenFile;
    if (!pipe || !reader || !writer) {
        delete pipe;
        delete reader;
        delete writer;
        return Error(ErrorCode::NoMemory, "pipe");
    }
    reader->pipe = pipe;
    writer->pipe = pipe;
    writer->pipe_writes = true;
    pipe->read_end = reader;
    pipe->write_end = writer;
    arch::InterruptDisabler disabler;
    refresh(*pipe);
    read_end = reader;
    write_end = writer;
    return {};
}

ErrorOr<size_t> pipe_read(task::OpenFile& end, const UserSpan* spans, u32 count)
{
    if (!end.pipe || end.pipe_writes)
        return Error(ErrorCode::BadDescriptor, "not the read end of a pipe");
    Pipe& pipe = *end.pipe;
    size_t length = total_length(spans, count);
    if (length == 0)
        return size_t { 0 };
    u8 chunk[chunk_size];
    for (;;) {
        // Wait for bytes without the read lock: an idle reader is the usual
        // state of a pipe, and one killed while waiting must not leave the
        // lock behind.
        {
            arch::InterruptDisabler disabler;
            while (pipe.count == 0) {
                if (!pipe.write_end)
                    return size_t { 0 };
                if (end.nonblocking)
                    return Error(ErrorCode::WouldBlock, "the pipe is empty");
                pipe.readers.wait();
            }
        }
        task::MutexLocker lock(pipe.read_lock);
        size_t done = 0;
        while (done < length) {
            u32 part;
            {
                arch::InterruptDisabler disabler;
                part = lib::min<u32>(lib::min<u32>(pipe.count, pipe_capacity - pipe.head), chunk_size);
                part = static_cast<u32>(lib::min<size_t>(part, length - done));
                if (part == 0)
                    break;
                for (u32 i = 0; i < part; ++i)
                    chunk[i] = pipe.data[pipe.head + i];
            }
            if (copy_spans(spans, count, done, chunk, part, true).is_error()) {
                if (done)
                    break;
                return Error(ErrorCode::OutOfRange, "pipe read buffer");
            }
            arch::InterruptDisabler disabler;
            pipe.head = (pipe.head + part) % pipe_capacity;
            pipe.count -= part;
            done += part;
            refresh(pipe);
            pipe.writers.wake_all();
        }
        if (done)
            return done;
        // Another reader took the bytes between the wait and the lock.
    }
}

ErrorOr<size_t> pipe_write(task::OpenFile& end, const UserSpan* spans, u32 count)
{
    if (!end.pipe || !end.pipe_writes)
        return Error(ErrorCode::BadDescriptor, "not the write end of a pipe");
    Pipe& pipe = *end.pipe;
    size_t length = total_length(spans, count);
    task::MutexLocker lock(pipe.write_lock);
    // A write that fits the pipe goes in whole: it waits for room for all
    // of it, so no other writer's bytes come in between.
    bool whole = length <= pipe_capacity;
    size_t done = 0;
    u8 chunk[chunk_size];
    while (done < length) {
        {
            arch::InterruptDisabler disabler;
            for (;;) {
                if (!pipe.read_end) {
                    if (done)
                        return done;
                    return Error(ErrorCode::BrokenPipe, "no reader left");
                }
                u32 room = pipe_capacity - pipe.count;
                if (whole && done == 0 ? room >= length : room > 0)
                    break;
                if (end.nonblocking) {
                    if (done)
                        return done;
                    return Error(ErrorCode::WouldBlock, "the pipe is full");
                }
                pipe.writers.wait();
            }
        }
        // Only readers make room meanwhile, so the room seen above stays.
        u32 room;
        {
            arch::InterruptDisabler disabler;
            room = pipe_capacity - pipe.count;
        }
        u32 part = static_cast<u32>(lib::min<size_t>(lib::min<u32>(room, chunk_size), length - done));
        if (copy_spans(spans, count, done, chunk, part, false).is_error()) {
            if (done)
                return done;
            return Error(ErrorCode::OutOfRange, "pipe write buffer");
        }
        arch::InterruptDisabler disabler;
        if (!pipe.read_end)
            continue; // the loop above reports the broken pipe
        u32 tail = (pipe.head + pipe.count) % pipe_capacity;
        for (u32 i = 0; i < part; ++i)
            pipe.data[(tail + i) % pipe_capacity] = chunk[i];
        pipe.count += part;
        done += part;
        refresh(pipe);
        pipe.readers.wake_all();
    }
    return done;
}

u32 pipe_buffered(const task::OpenFile& end)
{
    arch::InterruptDisabler disabler;
    return end.pipe ? end.pipe->count : 0;
}

void pipe_end_released(task::OpenFile& end)
{
    arch::InterruptDisabler disabler;
    Pipe* pipe = end.pipe;
    if (!pipe)
        return;
    if (end.pipe_writes)
        pipe->write_end = nullptr;
    else
        pipe->read_end = nullptr;
    end.pipe = nullptr;
    if (!pipe->read_end && !pipe->write_end) {
        delete pipe;
        return;
    }
    refresh(*pipe);
    pipe->readers.wake_all();
    pipe->writers.wake_all();
}

} // namespace ipc
