// Validation and description of an ELF32 i386 executable (the native
// personality's program format) from the first bytes of its file. Nothing
// is loaded here: the result tells the loader which file ranges to map where.
//
// Field offsets and values follow the System V ABI, "ELF: Executable and
// Linkable Format" (generic ABI, chapter 4/5) and its Intel386 supplement.
#pragma once

#include "lib/Error.h"
#include "lib/Types.h"

namespace exec {

struct ElfSegment {
    u32 vaddr { 0 };
    u32 memsz { 0 };
    u32 file_offset { 0 };
    u32 filesz { 0 };
    bool writable { false };
    bool executable { false };
};

struct ElfImage {
    static constexpr size_t max_segments = 16;
    // Refused above this much memory in all segments together.
    static constexpr u64 max_total_memory = 1024ull * 1024 * 1024;

    u32 entry { 0 };
    size_t segment_count { 0 };
    ElfSegment segments[max_segments] {};

    // `header` holds the first `header_length` bytes of a file of
    // `file_size` bytes; the ELF header and the program header table must
    // lie inside them. Checks: ELFCLASS32, little endian, version 1,
    // ET_EXEC, EM_386; each PT_LOAD has filesz <= memsz, its file bytes
    // inside the file, its memory below 0xC0000000 without wrapping, offset
    // and vaddr congruent modulo 4096, and no page shared with another
    // segment; the entry point lies in an executable segment; at most
    // max_segments PT_LOADs and max_total_memory bytes. PT_INTERP/PT_DYNAMIC
    // (dynamic linking) are Unsupported. Segments with memsz 0 are dropped.
    // Errors: Corrupt or Unsupported with a static context ("ELF: ...");
    // InvalidArgument when header_length > file_size.
    static ErrorOr<ElfImage> parse(const u8* header, size_t header_length, u64 file_size);
};

} // namespace exec
