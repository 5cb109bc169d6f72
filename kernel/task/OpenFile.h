// An open file shared by descriptors (fork duplicates descriptors, which
// then share the offset, as in POSIX).
#pragma once

#include "lib/Types.h"

namespace fs {
class File;
}

namespace task {

struct OpenFile {
    fs::File* file;     // one VFS reference, dropped with the last descriptor
    u64 offset { 0 };   // for directories: the index of the next entry
    u32 references { 1 };
    bool append { false };
    bool direct { false }; // O_DIRECT: transfers bypass the cache
};

// Takes over the caller's reference to `file`; null when out of memory (the
// reference then stays with the caller).
OpenFile* create_open_file(fs::File* file);
void retain_open_file(OpenFile*);
void release_open_file(OpenFile*);

} // namespace task
