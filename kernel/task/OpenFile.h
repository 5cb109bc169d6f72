// An open file shared by descriptors (fork and dup2 duplicate descriptors,
// which then share the offset, as in POSIX). It is either a VFS file or one
// end of a pipe (kernel/ipc/KernelPipe.h).
#pragma once

#include "kernel/event/EventQueue.h"
#include "lib/Types.h"

namespace fs {
class File;
}
namespace ipc {
struct Pipe;
}

namespace task {

struct OpenFile {
    fs::File* file { nullptr }; // one VFS reference, dropped with the last descriptor; null for a pipe end
    u64 offset { 0 };   // for directories: the index of the next entry
    u32 references { 1 };
    bool append { false };
    bool direct { false };      // O_DIRECT: transfers bypass the cache
    bool nonblocking { false }; // O_NONBLOCK: a pipe answers EAGAIN instead of waiting
    bool pipe_writes { false }; // a pipe's write end (else its read end)
    ipc::Pipe* pipe { nullptr };
    // What event queues watch for this descriptor: a VFS file is always
    // readable and writable (reading or writing it never waits for another
    // program); a pipe end follows its pipe.
    event::EventSource events;
};

// Takes over the caller's reference to `file`; null when out of memory (the
// reference then stays with the caller).
OpenFile* create_open_file(fs::File* file);
void retain_open_file(OpenFile*);
void release_open_file(OpenFile*);

} // namespace task
