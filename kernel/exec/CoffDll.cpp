#include "kernel/exec/CoffDll.h"

namespace exec {

namespace {

constexpr u32 file_header_size = 20;
constexpr u32 section_header_size = 40;
constexpr u32 symbol_size = 18;
constexpr u32 relocation_size = 10;

u16 load16(const u8* bytes) { return static_cast<u16>(bytes[0] | bytes[1] << 8); }

u32 load32(const u8* bytes)
{
    return static_cast<u32>(bytes[0]) | static_cast<u32>(bytes[1]) << 8 | static_cast<u32>(bytes[2]) << 16
        | static_cast<u32>(bytes[3]) << 24;
}

// [offset, offset + size) lies inside a file of `length` bytes (64-bit
// arithmetic: no sum can wrap).
bool inside(u64 offset, u64 size, size_t length) { return offset <= length && size <= length - offset; }

// coff_get_align: the alignment of IMAGE_SCN_ALIGN_* (bits 20-23 = log2 + 1);
// none given, or more than 4 KiB, means 4 KiB.
u32 section_alignment(u32 characteristics)
{
    u32 field = (characteristics >> 20) & 0xF;
    if (field == 0 || field - 1 > 12)
        return 4096;
    return 1u << (field - 1);
}

// get_coff_sym compares the short name with strncmp over 8 bytes.
bool short_name_is(const u8* name, const char* wanted)
{
    for (size_t i = 0; i < 8; ++i) {
        if (name[i] != static_cast<u8>(wanted[i]))
            return false;
        if (wanted[i] == '\0')
            return true;
    }
    return true;
}

// The dword at image offset `offset` (which may straddle two pages).
u32 image_load32(CoffDll::ImageMemory& memory, u32 offset)
{
    u32 value = 0;
    for (u32 i = 0; i < 4; ++i) {
        u32 at = offset + i;
        value |= static_cast<u32>(memory.page(at / CoffDll::page_size)[at % CoffDll::page_size]) << (8 * i);
    }
    return value;
}

void image_store32(CoffDll::ImageMemory& memory, u32 offset, u32 value)
{
    for (u32 i = 0; i < 4; ++i) {
        u32 at = offset + i;
        memory.page(at / CoffDll::page_size)[at % CoffDll::page_size] = static_cast<u8>(value >> (8 * i));
    }
}

} // namespace

ErrorOr<CoffDll> CoffDll::parse(const u8* file, size_t length)
{
    if (!file || length < file_header_size)
        return Error(ErrorCode::Corrupt, "COFF: shorter than its file header");
    u32 section_count = load16(file + 2);
    u32 symbol_table = load32(file + 8);
    u32 symbol_count = load32(file + 12);
    if (section_count == 0)
        return Error(ErrorCode::Corrupt, "COFF: no sections");
    if (section_count > max_sections)
        return Error(ErrorCode::Unsupported, "COFF: more than 256 sections");
    if (!inside(file_header_size, u64(section_count) * section_header_size, length))
        return Error(ErrorCode::Corrupt, "COFF: section table past the end of the file");
    if (symbol_count > max_symbols)
        return Error(ErrorCode::Unsupported, "COFF: more than 2^20 symbols");
    if (!inside(symbol_table, u64(symbol_count) * symbol_size, length))
        return Error(ErrorCode::Corrupt, "COFF: symbol table past the end of the file");

    CoffDll dll;
    dll.m_file_length = length;
    TRY(dll.m_sections.try_reserve(section_count));

    // The layout (load_library's size loop and copy loop).
    u64 offset = 0;
    for (u32 i = 0; i < section_count; ++i) {
        const u8* header = file + file_header_size + i * section_header_size;
        Section section {};
        section.size = load32(header + 16);
        section.raw_pointer = load32(header + 20);
        section.relocations_pointer = load32(header + 24);
        section.relocation_count = load16(header + 32);
        u32 alignment = section_alignment(load32(header + 36));
        offset = (offset + alignment - 1) & ~u64(alignment - 1);
        section.image_offset = static_cast<u32>(offset);
        offset += section.size;
        if (offset > max_image_size)
            return Error(ErrorCode::Unsupported, "COFF: image larger than 256 MiB");
        if (section.raw_pointer != 0 && !inside(section.raw_pointer, section.size, length))
            return Error(ErrorCode::Corrupt, "COFF: section data past the end of the file");
        if (section.relocation_count != 0
            && !inside(section.relocations_pointer, u64(section.relocation_count) * relocation_size, length))
            return Error(ErrorCode::Corrupt, "COFF: relocations past the end of the file");
        TRY(dll.m_sections.try_append(lib::move(section)));
    }
    if (offset == 0)
        return Error(ErrorCode::Corrupt, "COFF: empty image");
    dll.m_image_size = static_cast<u32>(offset);

    // The string table follows the symbols: a size dword (itself included)
    // and the names. A file that ends right after the symbols has none.
    u64 strings = u64(symbol_table) + u64(symbol_count) * symbol_size;
    u32 strings_size = 0;
    if (inside(strings, 4, length)) {
        strings_size = load32(file + strings);
        if (strings_size < 4 || !inside(strings, strings_size, length))
            return Error(ErrorCode::Corrupt, "COFF: string table past the end of the file");
    }

    // fix_coff_symbols, made independent of the base: a Relative value is
    // an image offset (the base is added at link time).
    TRY(dll.m_symbol_values.try_reserve(symbol_count));
    TRY(dll.m_symbol_kinds.try_reserve(symbol_count));
    bool exports_found = false;
    bool underscore_found = false;
    u32 exports_value = 0;
    u32 underscore_value = 0;
    u8 exports_kind = Fixed;
    u8 underscore_kind = Fixed;
    for (u32 i = 0; i < symbol_count;) {
        const u8* symbol = file + symbol_table + u64(i) * symbol_size;
        u32 value = load32(symbol + 8);
        u16 number = load16(symbol + 12);
        u32 aux_count = symbol[17];
        if (u64(i) + 1 + aux_count > symbol_count)
            return Error(ErrorCode::Corrupt, "COFF: auxiliary symbol records past the symbol table");
        if (load32(symbol) == 0) {
            // A long name: an offset into the string table, NUL-terminated there.
            u32 name = load32(symbol + 4);
            if (name < 4 || name >= strings_size)
                return Error(ErrorCode::Corrupt, "COFF: symbol name outside the string table");
            bool terminated = false;
            for (u64 at = strings + name; at < strings + strings_size && !terminated; ++at)
                terminated = file[at] == 0;
            if (!terminated)
                return Error(ErrorCode::Corrupt, "COFF: symbol name runs past the string table");
        }
        u8 kind = Fixed;
        if (number == 0) {
            value = 0; // undefined: the kernel resolves no imports
        } else if (number == 0xFFFF || number == 0xFFFE) {
            // absolute / debug: unchanged
        } else if (number > section_count) {
            return Error(ErrorCode::Corrupt, "COFF: symbol in a section that does not exist");
        } else {
            u64 relative = u64(dll.m_sections[number - 1].image_offset) + value;
            value = static_cast<u32>(relative); // wraps as KolibriOS' add does
            kind = Relative;
        }
        if (!exports_found && short_name_is(symbol, "EXPORTS")) {
            exports_found = true;
            exports_value = value;
            exports_kind = kind;
        }
        if (!underscore_found && short_name_is(symbol, "_EXPORTS")) {
            underscore_found = true;
            underscore_value = value;
            underscore_kind = kind;
        }
        TRY(dll.m_symbol_values.try_append(lib::move(value)));
        TRY(dll.m_symbol_kinds.try_append(lib::move(kind)));
        for (u32 a = 0; a < aux_count; ++a) {
            u32 zero = 0;
            u8 auxiliary = Auxiliary;
            TRY(dll.m_symbol_values.try_append(lib::move(zero)));
            TRY(dll.m_symbol_kinds.try_append(lib::move(auxiliary)));
        }
        i += 1 + aux_count;
    }
    if (!exports_found && !underscore_found)
        return Error(ErrorCode::Corrupt, "COFF: no EXPORTS symbol");
    u32 exports = exports_found ? exports_value : underscore_value;
    u8 kind = exports_found ? exports_kind : underscore_kind;
    // The table is at least its terminating dword.
    if (kind != Relative || exports > dll.m_image_size || dll.m_image_size - exports < 4)
        return Error(ErrorCode::Corrupt, "COFF: EXPORTS outside the image");
    dll.m_exports_offset = exports;

    // Relocations: every record's symbol must exist; the sites of the
    // types we apply must lie inside their section.
    for (const Section& section : dll.m_sections) {
        for (u32 r = 0; r < section.relocation_count; ++r) {
            const u8* record = file + section.relocations_pointer + u64(r) * relocation_size;
            u32 site = load32(record);
            u32 index = load32(record + 4);
            u16 type = load16(record + 8);
            if (index >= symbol_count)
                return Error(ErrorCode::Corrupt, "COFF: relocation symbol index past the symbol table");
            if (dll.m_symbol_kinds[index] == Auxiliary)
                return Error(ErrorCode::Corrupt, "COFF: relocation against an auxiliary symbol record");
            if (type != type_dir32 && type != type_rel32)
                continue; // skipped, as fix_coff_relocs does
            if (section.size < 4 || site > section.size - 4)
                return Error(ErrorCode::Corrupt, "COFF: relocation site outside its section");
            if (type == type_dir32)
                ++dll.m_dir32_count;
        }
    }
    return dll;
}

ErrorOr<void> CoffDll::link(const u8* file, size_t length, u32 base, ImageMemory& memory,
    lib::Vector<u32>& dir32_sites) const
{
    if (!file || length != m_file_length)
        return Error(ErrorCode::InvalidArgument, "COFF: link of other bytes than parsed");
    TRY(dir32_sites.try_reserve_additional(m_dir32_count));
    for (u32 p = 0; p < page_count(); ++p) {
        u8* bytes = memory.page(p);
        for (u32 i = 0; i < page_size; ++i)
            bytes[i] = 0;
    }
    for (const Section& section : m_sections) {
        if (section.raw_pointer == 0)
            continue; // bss: the zeros are there already
        for (u32 i = 0; i < section.size;) {
            u32 at = section.image_offset + i;
            u32 chunk = lib::min(section.size - i, page_size - at % page_size);
            u8* to = memory.page(at / page_size) + at % page_size;
            const u8* from = file + section.raw_pointer + i;
            for (u32 k = 0; k < chunk; ++k)
                to[k] = from[k];
            i += chunk;
        }
    }
    // fix_coff_relocs, for the image at `base`.
    for (const Section& section : m_sections) {
        for (u32 r = 0; r < section.relocation_count; ++r) {
            const u8* record = file + section.relocations_pointer + u64(r) * relocation_size;
            u32 site = section.image_offset + load32(record);
            u32 index = load32(record + 4);
            u16 type = load16(record + 8);
            if (type != type_dir32 && type != type_rel32)
                continue;
            u32 symbol = m_symbol_values[index] + (m_symbol_kinds[index] == Relative ? base : 0);
            u32 addend = type == type_dir32 ? symbol : symbol - (base + site + 4);
            image_store32(memory, site, image_load32(memory, site) + addend);
            if (type == type_dir32) {
                u32 recorded = site;
                TRY(dir32_sites.try_append(lib::move(recorded))); // reserved above: cannot fail
            }
        }
    }
    return {};
}

} // namespace exec
