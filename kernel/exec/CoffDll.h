// A KolibriOS DLL: a COFF object file (".obj", fasm "format MS COFF")
// that the kernel links itself when a program calls function 68.19. There
// is no linker output format: the kernel lays the sections out, fixes the
// symbols and applies the relocations (KolibriOS kernel/trunk/core/dll.inc,
// load_library, fix_coff_symbols, fix_coff_relocs, rebase_coff,
// get_coff_sym, coff_get_align). docs/dll.md tells the whole story.
//
// The layout, as KolibriOS makes it:
//   * the section headers follow the 20-byte file header directly; the
//     optional-header size field is ignored (so is the machine field);
//   * sections are placed one after the other from image offset 0, each at
//     the alignment of its Characteristics bits 20-23 (IMAGE_SCN_ALIGN_*),
//     where "none" and anything above 4 KiB mean 4 KiB; a section takes
//     SizeOfRawData bytes (VirtualSize is ignored); a section with
//     PointerToRawData 0 is zero-filled (bss); gaps are zero;
//   * the image size is the end of the last section: non-zero and at most
//     0x10000000;
//   * symbols: section number 0 (undefined) gets the value 0, -1 and -2 keep
//     theirs, any other gets the address of its section added;
//   * relocations: type 6 (DIR32) adds S to the dword at P, type 20 (REL32)
//     adds S - (P + 4); every other type is skipped. P is the section's
//     address plus the record's VirtualAddress (an offset in the section);
//   * the export table is the value of the symbol whose 8-byte short name
//     is "EXPORTS" or else "_EXPORTS" (strncmp over 8 bytes).
//
// Where we are stricter than KolibriOS, because its loader trusts the file
// and runs in the kernel: everything is bounds-checked, and a malformed
// object is refused with an error (a truncated file; section data,
// symbols, strings or relocations outside the file; a DIR32/REL32 site
// outside its section or straddling its end; a symbol index past the table
// or naming an auxiliary record; a symbol's section number past the
// section table; counts above the limits below). An object without an
// EXPORTS symbol, or with one outside the image, is refused too (KolibriOS
// maps it and answers a useless address).
//
// Portable: the kernel and the host tests use it alike.
#pragma once

#include "lib/Error.h"
#include "lib/Types.h"
#include "lib/Vector.h"

namespace exec {

class CoffDll {
public:
    static constexpr u32 max_image_size = 0x10000000; // MAX_DEFAULT_DLL_ADDR - MIN_DEFAULT_DLL_ADDR
    static constexpr u32 max_sections = 256;
    static constexpr u32 max_symbols = 1u << 20;
    static constexpr u32 page_size = 4096;
    static constexpr u16 type_dir32 = 6;
    static constexpr u16 type_rel32 = 20;

    struct Section {
        u32 image_offset;        // where the section starts in the image
        u32 size;                // SizeOfRawData
        u32 raw_pointer;         // 0: zero-filled
        u32 relocations_pointer; // file offset of its relocation records
        u32 relocation_count;
    };

    // The image's memory, page by page (in the kernel, frames that are not
    // contiguous). page(index) must return page_size writable bytes for
    // every index < page_count().
    class ImageMemory {
    public:
        virtual u8* page(u32 index) = 0;

    protected:
        ~ImageMemory() = default;
    };

    CoffDll() = default;
    CoffDll(CoffDll&&) = default;

    // Checks the whole object (see above) and computes its layout. Nothing
    // of `file` is kept; link() needs the same bytes again.
    static ErrorOr<CoffDll> parse(const u8* file, size_t length);

    // Writes the image for the address `base` into `memory` (every byte of
    // its pages: section data, zeros elsewhere) and applies the symbols and
    // relocations. `file`/`length` must be what parse() saw (a different
    // length is InvalidArgument). Appends the image offset of every DIR32
    // site to `dir32_sites` (what rebasing needs: add the base difference at
    // each of them). NoMemory if the list cannot grow.
    ErrorOr<void> link(const u8* file, size_t length, u32 base, ImageMemory& memory, lib::Vector<u32>& dir32_sites) const;

    u32 image_size() const { return m_image_size; }
    u32 page_count() const { return (m_image_size + page_size - 1) / page_size; }
    // Image offset of the export table (the EXPORTS symbol's value, less the base).
    u32 exports_offset() const { return m_exports_offset; }
    u32 dir32_count() const { return m_dir32_count; }
    const lib::Vector<Section>& sections() const { return m_sections; }

private:
    // How a symbol's value depends on the base.
    enum SymbolKind : u8 { Relative, Fixed, Auxiliary };

    lib::Vector<Section> m_sections;
    lib::Vector<u32> m_symbol_values; // Relative: image offset; Fixed: the value itself
    lib::Vector<u8> m_symbol_kinds;
    size_t m_file_length { 0 };
    u32 m_image_size { 0 };
    u32 m_exports_offset { 0 };
    u32 m_dir32_count { 0 };
};

} // namespace exec
