// Pipes: a one-way stream of bytes between two open files, the read end
// and the write end (native pipe(); fork and dup2 share the ends).
//
//   read   takes what is there (at most the length asked for); waits while
//          the pipe is empty and a write end is still open; 0 means the
//          end of the stream: every write end is closed and nothing is left.
//   write  waits for room while a read end is open and gives back only
//          when everything is written; a write of at most pipe_capacity
//          bytes is never interleaved with another writer's bytes. With no
//          read end left it fails with BrokenPipe (what it wrote first
//          counts).
//   non-blocking ends (O_NONBLOCK) answer WouldBlock instead of waiting;
//          a non-blocking write of at most pipe_capacity bytes is all or
//          nothing.
//
// Each end is an event source (OpenFile::events): the read end is
// Readable while bytes wait or the writers are gone (then also HangUp);
// the write end is Writable while there is room, and Writable | Error once
// no reader is left, as a write then fails at once instead of waiting.
#pragma once

#include "lib/Error.h"
#include "lib/Types.h"

namespace task {
struct OpenFile;
}

namespace ipc {

inline constexpr u32 pipe_capacity = 4096;

// A new pipe and its two open files, each with one reference.
ErrorOr<void> create_pipe(task::OpenFile*& read_end, task::OpenFile*& write_end);

// A piece of user memory; readv/writev pass several, read/write one.
struct UserSpan {
    u32 address;
    u32 length;
};

// Moves bytes between the pipe and the user memory of `spans`, in order, as
// one read or write (the caller has checked they are user ranges and that
// their total fits in 31 bits). Reading a write end or writing a read end
// is BadDescriptor; a fault in user memory is OutOfRange unless some bytes
// moved first (then that count).
ErrorOr<size_t> pipe_read(task::OpenFile& end, const UserSpan* spans, u32 count);
ErrorOr<size_t> pipe_write(task::OpenFile& end, const UserSpan* spans, u32 count);

// The bytes waiting in the pipe of `end`.
u32 pipe_buffered(const task::OpenFile& end);

// The last reference to `end` went (release_open_file): the other side
// sees the end of the stream or a broken pipe; the second end to go frees
// the pipe. Never sleeps.
void pipe_end_released(task::OpenFile& end);

} // namespace ipc
