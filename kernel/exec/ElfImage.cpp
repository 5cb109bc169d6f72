#include "kernel/exec/ElfImage.h"

#include "kernel/mm/Mmu.h"

namespace exec {

namespace {

// ELF header (gABI "ELF Header"), 52 bytes for ELFCLASS32.
constexpr size_t elf_header_size = 52;
constexpr size_t ident_class = 4, ident_data = 5, ident_version = 6;
constexpr u8 class_32 = 1;
constexpr u8 data_little_endian = 1;
constexpr u32 version_current = 1;
constexpr u16 type_executable = 2;   // ET_EXEC
constexpr u16 type_shared = 3;       // ET_DYN
constexpr u16 machine_386 = 3;       // EM_386
constexpr size_t offset_type = 16, offset_machine = 18, offset_version = 20, offset_entry = 24,
                 offset_phoff = 28, offset_ehsize = 40, offset_phentsize = 42, offset_phnum = 44;

// Program header (gABI "Program Header"), 32 bytes for ELFCLASS32.
constexpr size_t program_header_size = 32;
constexpr u32 segment_load = 1;      // PT_LOAD
constexpr u32 segment_dynamic = 2;   // PT_DYNAMIC
constexpr u32 segment_interpreter = 3; // PT_INTERP
constexpr u32 flag_execute = 1, flag_write = 2;
constexpr u16 extended_numbering = 0xFFFF; // PN_XNUM

constexpr u64 page_size = 4096;

u16 load16(const u8* bytes) { return static_cast<u16>(bytes[0] | (bytes[1] << 8)); }
u32 load32(const u8* bytes)
{
    return static_cast<u32>(bytes[0]) | static_cast<u32>(bytes[1]) << 8 | static_cast<u32>(bytes[2]) << 16
        | static_cast<u32>(bytes[3]) << 24;
}

u64 page_floor(u64 value) { return value & ~(page_size - 1); }
u64 page_ceiling(u64 value) { return (value + page_size - 1) & ~(page_size - 1); }

} // namespace

ErrorOr<ElfImage> ElfImage::parse(const u8* header, size_t header_length, u64 file_size)
{
    if (!header || header_length > file_size)
        return Error(ErrorCode::InvalidArgument, "ELF: header buffer larger than the file");
    if (header_length < elf_header_size)
        return Error(ErrorCode::Corrupt, "ELF: file shorter than the ELF header");
    if (header[0] != 0x7F || header[1] != 'E' || header[2] != 'L' || header[3] != 'F')
        return Error(ErrorCode::Corrupt, "ELF: bad magic");
    if (header[ident_class] != class_32)
        return Error(ErrorCode::Unsupported, "ELF: not a 32-bit (ELFCLASS32) file");
    if (header[ident_data] != data_little_endian)
        return Error(ErrorCode::Unsupported, "ELF: not little endian");
    if (header[ident_version] != version_current || load32(header + offset_version) != version_current)
        return Error(ErrorCode::Unsupported, "ELF: unknown ELF version");
    u16 type = load16(header + offset_type);
    if (type == type_shared)
        return Error(ErrorCode::Unsupported, "ELF: position-independent (ET_DYN) programs are not supported");
    if (type != type_executable)
        return Error(ErrorCode::Unsupported, "ELF: not an executable (ET_EXEC)");
    if (load16(header + offset_machine) != machine_386)
        return Error(ErrorCode::Unsupported, "ELF: not an i386 (EM_386) program");
    if (load16(header + offset_ehsize) < elf_header_size)
        return Error(ErrorCode::Corrupt, "ELF: header size field too small");

    u32 program_headers_offset = load32(header + offset_phoff);
    u32 entry_size = load16(header + offset_phentsize);
    u32 entry_count = load16(header + offset_phnum);
    if (entry_count == 0)
        return Error(ErrorCode::Corrupt, "ELF: no program headers");
    if (entry_count == extended_numbering)
        return Error(ErrorCode::Unsupported, "ELF: extended program header numbering");
    if (entry_size < program_header_size)
        return Error(ErrorCode::Corrupt, "ELF: program header entry too small");
    u64 table_end = static_cast<u64>(program_headers_offset) + static_cast<u64>(entry_size) * entry_count;
    if (program_headers_offset < elf_header_size)
        return Error(ErrorCode::Corrupt, "ELF: program header table overlaps the ELF header");
    if (table_end > file_size)
        return Error(ErrorCode::Corrupt, "ELF: program header table outside the file");
    if (table_end > header_length)
        return Error(ErrorCode::Unsupported, "ELF: program header table beyond the bytes read");

    ElfImage image;
    image.entry = load32(header + offset_entry);
    u64 total_memory = 0;
    for (u32 i = 0; i < entry_count; ++i) {
        const u8* entry = header + program_headers_offset + static_cast<size_t>(i) * entry_size;
        u32 segment_type = load32(entry + 0);
        if (segment_type == segment_interpreter || segment_type == segment_dynamic)
            return Error(ErrorCode::Unsupported, "ELF: dynamically linked programs are not supported");
        if (segment_type != segment_load)
            continue; // PT_NOTE, PT_PHDR, PT_GNU_STACK, ...: nothing to map

        u64 offset = load32(entry + 4);
        u64 vaddr = load32(entry + 8);
        u64 filesz = load32(entry + 16);
        u64 memsz = load32(entry + 20);
        u32 flags = load32(entry + 24);
        if (filesz > memsz)
            return Error(ErrorCode::Corrupt, "ELF: segment file size exceeds its memory size");
        if (offset + filesz > file_size)
            return Error(ErrorCode::Corrupt, "ELF: segment extends past the end of the file");
        if (memsz == 0)
            continue;
        // The size first: an absurd memsz also runs into kernel space, and
        // "too big" is the clearer of the two answers.
        total_memory += memsz;
        if (total_memory > max_total_memory)
            return Error(ErrorCode::Unsupported, "ELF: program needs more than 1 GiB");
        // 64-bit arithmetic: a 32-bit wrap shows as a value above 4 GiB.
        if (vaddr + memsz > mm::user_space_end)
            return Error(ErrorCode::Corrupt, "ELF: segment overlaps kernel space");
        if (offset % page_size != vaddr % page_size)
            return Error(ErrorCode::Corrupt, "ELF: segment offset and address not congruent modulo 4096");

        // Segments are mapped page by page, so they may not share a page.
        for (size_t j = 0; j < image.segment_count; ++j) {
            const auto& other = image.segments[j];
            u64 start = page_floor(vaddr), end = page_ceiling(vaddr + memsz);
            u64 other_start = page_floor(other.vaddr), other_end = page_ceiling(static_cast<u64>(other.vaddr) + other.memsz);
            if (start < other_end && other_start < end)
                return Error(ErrorCode::Corrupt, "ELF: segments overlap (or share a page)");
        }
        if (image.segment_count == max_segments)
            return Error(ErrorCode::Unsupported, "ELF: too many loadable segments");
        auto& segment = image.segments[image.segment_count++];
        segment.vaddr = static_cast<u32>(vaddr);
        segment.memsz = static_cast<u32>(memsz);
        segment.file_offset = static_cast<u32>(offset);
        segment.filesz = static_cast<u32>(filesz);
        segment.writable = (flags & flag_write) != 0;
        segment.executable = (flags & flag_execute) != 0;
    }
    if (image.segment_count == 0)
        return Error(ErrorCode::Corrupt, "ELF: no loadable segment");

    bool entry_ok = false;
    for (size_t i = 0; i < image.segment_count; ++i) {
        const auto& segment = image.segments[i];
        if (segment.executable && image.entry >= segment.vaddr && image.entry - segment.vaddr < segment.memsz)
            entry_ok = true;
    }
    if (!entry_ok)
        return Error(ErrorCode::Corrupt, "ELF: entry point outside every executable segment");
    return image;
}

} // namespace exec
