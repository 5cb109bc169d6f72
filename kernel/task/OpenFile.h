// An open file shared by descriptors (fork duplicates descriptors, which
// then share the offset, as in POSIX).
#pragma once

#include "kernel/fs/FatVolume.h"

namespace task {

struct OpenFile {
    fs::FatFile file;
    u64 offset { 0 };
    u32 references { 1 };
};

OpenFile* create_open_file(const fs::FatFile&);
void retain_open_file(OpenFile*);
void release_open_file(OpenFile*);

} // namespace task
