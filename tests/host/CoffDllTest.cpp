// SPDX-License-Identifier: BSD-2-Clause
// exec::CoffDll: KolibriOS DLL objects built byte by byte in the test; the
// layout and relocation rules of KolibriOS' load_library, the refused
// malformed objects, and a deterministic mutation loop (under ASan) that
// must never read or write outside the file or the image.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "kernel/exec/CoffDll.h"

using exec::CoffDll;

namespace {

void put16(std::vector<u8>& out, size_t at, u16 value)
{
    out[at] = static_cast<u8>(value);
    out[at + 1] = static_cast<u8>(value >> 8);
}

void put32(std::vector<u8>& out, size_t at, u32 value)
{
    for (int i = 0; i < 4; ++i)
        out[at + i] = static_cast<u8>(value >> (8 * i));
}

u32 get32(const std::vector<u8>& bytes, size_t at)
{
    return bytes[at] | bytes[at + 1] << 8 | bytes[at + 2] << 16 | static_cast<u32>(bytes[at + 3]) << 24;
}

// IMAGE_SCN_ALIGN_<n>BYTES.
u32 align_bits(u32 alignment)
{
    u32 field = 1;
    while ((1u << (field - 1)) < alignment)
        ++field;
    return field << 20;
}

struct Relocation {
    u32 site;
    u32 symbol;
    u16 type;
};

struct Section {
    std::string name;
    std::vector<u8> data; // empty with bss_size: bss
    u32 bss_size { 0 };
    u32 characteristics { 0 };
    std::vector<Relocation> relocations;
};

struct Symbol {
    std::string name; // more than 8 bytes: into the string table
    u32 value;
    u16 section; // 1-based, 0 undefined, 0xFFFF absolute
    u8 aux { 0 };
};

// A COFF object as fasm writes one: header, section headers, section data,
// relocations, symbols, string table.
struct CoffBuilder {
    std::vector<Section> sections;
    std::vector<Symbol> symbols;

    std::vector<u8> build() const
    {
        std::vector<u8> out(20 + 40 * sections.size());
        put16(out, 0, 0x14C);
        put16(out, 2, static_cast<u16>(sections.size()));
        std::vector<u32> data_at, relocs_at;
        for (const Section& s : sections) {
            data_at.push_back(s.data.empty() ? 0 : static_cast<u32>(out.size()));
            out.insert(out.end(), s.data.begin(), s.data.end());
        }
        for (const Section& s : sections) {
            relocs_at.push_back(s.relocations.empty() ? 0 : static_cast<u32>(out.size()));
            for (const Relocation& r : s.relocations) {
                size_t at = out.size();
                out.resize(at + 10);
                put32(out, at, r.site);
                put32(out, at + 4, r.symbol);
                put16(out, at + 8, r.type);
            }
        }
        u32 symbol_table = static_cast<u32>(out.size());
        std::string strings;
        u32 records = 0;
        for (const Symbol& sym : symbols) {
            size_t at = out.size();
            out.resize(at + 18 * (1 + sym.aux));
            if (sym.name.size() <= 8) {
                std::memcpy(&out[at], sym.name.data(), sym.name.size());
            } else {
                put32(out, at + 4, static_cast<u32>(4 + strings.size()));
                strings += sym.name;
                strings += '\0';
            }
            put32(out, at + 8, sym.value);
            put16(out, at + 12, sym.section);
            out[at + 16] = 2; // external
            out[at + 17] = sym.aux;
            records += 1 + sym.aux;
        }
        size_t at = out.size();
        out.resize(at + 4 + strings.size());
        put32(out, at, static_cast<u32>(4 + strings.size()));
        std::memcpy(&out[at + 4], strings.data(), strings.size());
        put32(out, 8, symbol_table);
        put32(out, 12, records);
        for (size_t i = 0; i < sections.size(); ++i) {
            const Section& s = sections[i];
            size_t h = 20 + 40 * i;
            std::memcpy(&out[h], s.name.data(), std::min<size_t>(8, s.name.size()));
            put32(out, h + 16, s.data.empty() ? s.bss_size : static_cast<u32>(s.data.size()));
            put32(out, h + 20, data_at[i]);
            put32(out, h + 24, relocs_at[i]);
            put16(out, h + 32, static_cast<u16>(s.relocations.size()));
            put32(out, h + 36, s.characteristics);
        }
        return out;
    }
};

struct TestImage final : CoffDll::ImageMemory {
    explicit TestImage(u32 pages) : bytes(pages * CoffDll::page_size, 0xCC) { }
    u8* page(u32 index) override { return &bytes.at(index * CoffDll::page_size); }
    std::vector<u8> bytes;
};

// .text (16-byte aligned): "call rel32 helper", a DIR32 pointer to data,
// helper; .data (4-byte aligned): the export table; .bss 64 bytes.
CoffBuilder sample()
{
    CoffBuilder b;
    Section text { ".text", {}, 0, align_bits(16) | 0x60000020, {} };
    text.data = { 0xE8, 0, 0, 0, 0,             // call helper (REL32 at 1)
        0xA1, 0, 0, 0, 0,                        // mov eax, [value] (DIR32 at 6)
        0xC3,                                    // ret
        0xB8, 42, 0, 0, 0, 0xC3 };               // helper at 11: mov eax, 42; ret
    text.relocations = { { 1, 2, CoffDll::type_rel32 }, { 6, 3, CoffDll::type_dir32 } };
    Section data { ".data", std::vector<u8>(24, 0), 0, align_bits(4) | 0xC0000040, {} };
    // EXPORTS at +0: { name -> "f" at +16, value -> .text + 7 }, then the
    // terminating 0; the dword "value" at +20.
    data.data[16] = 'f';
    put32(data.data, 4, 7);
    data.relocations = { { 0, 4, CoffDll::type_dir32 }, { 4, 0, CoffDll::type_dir32 } };
    Section bss { ".bss", {}, 64, align_bits(8) | 0xC0000080, {} };
    b.sections = { text, data, bss };
    b.symbols = {
        { ".text", 0, 1 },      // 0
        { ".data", 0, 2 },      // 1
        { "helper", 11, 1 },    // 2
        { "value", 20, 2 },     // 3
        { "fname", 16, 2 },     // 4
        { "EXPORTS", 0, 2 },    // 5
    };
    return b;
}

TEST(CoffDll, LaysOutSectionsAtTheirAlignmentAndAppliesRelocations)
{
    std::vector<u8> file = sample().build();
    auto parsed = CoffDll::parse(file.data(), file.size());
    ASSERT_FALSE(parsed.is_error()) << parsed.error().context();
    const CoffDll& dll = parsed.value();
    ASSERT_EQ(dll.sections().size(), 3u);
    EXPECT_EQ(dll.sections()[0].image_offset, 0u);
    EXPECT_EQ(dll.sections()[1].image_offset, 20u); // 17 rounded up to 4
    EXPECT_EQ(dll.sections()[2].image_offset, 48u); // 44 rounded up to 8
    EXPECT_EQ(dll.image_size(), 112u);
    EXPECT_EQ(dll.exports_offset(), 20u);
    EXPECT_EQ(dll.dir32_count(), 3u);

    const u32 base = 0x70000000;
    TestImage image(dll.page_count());
    lib::Vector<u32> sites;
    ASSERT_FALSE(dll.link(file.data(), file.size(), base, image, sites).is_error());
    // REL32 at 1: helper (base + 11) - (base + 1 + 4) = 6.
    EXPECT_EQ(get32(image.bytes, 1), 6u);
    // DIR32 at 6: value = base + 20 + 20.
    EXPECT_EQ(get32(image.bytes, 6), base + 40);
    // The export table: name pointer and value (.text + 7).
    EXPECT_EQ(get32(image.bytes, 20), base + 36);
    EXPECT_EQ(get32(image.bytes, 24), base + 7);
    EXPECT_EQ(image.bytes[36], 'f');
    // Gaps and bss are zero, including the rest of the page.
    EXPECT_EQ(image.bytes[17], 0);
    for (u32 i = 48; i < CoffDll::page_size; ++i)
        ASSERT_EQ(image.bytes[i], 0) << i;
    ASSERT_EQ(sites.size(), 3u);
    EXPECT_EQ(sites[0], 6u);
    EXPECT_EQ(sites[1], 20u);
    EXPECT_EQ(sites[2], 24u);
}

TEST(CoffDll, RebasingTheDir32SitesEqualsLinkingAtTheOtherBase)
{
    std::vector<u8> file = sample().build();
    auto dll = CoffDll::parse(file.data(), file.size());
    ASSERT_FALSE(dll.is_error());
    TestImage first(dll.value().page_count()), second(dll.value().page_count());
    lib::Vector<u32> sites, unused;
    ASSERT_FALSE(dll.value().link(file.data(), file.size(), 0x70000000, first, sites).is_error());
    ASSERT_FALSE(dll.value().link(file.data(), file.size(), 0x20345000, second, unused).is_error());
    u32 delta = 0x20345000 - 0x70000000;
    for (u32 site : sites)
        put32(first.bytes, site, get32(first.bytes, site) + delta);
    EXPECT_EQ(first.bytes, second.bytes);
}

TEST(CoffDll, AlignmentFieldZeroOrAbove4KiBMeans4KiB)
{
    CoffBuilder b = sample();
    b.sections[1].characteristics = 0;                    // none: 4 KiB
    b.sections[2].characteristics = align_bits(8192) | 0x80; // 8 KiB: 4 KiB
    std::vector<u8> file = b.build();
    auto dll = CoffDll::parse(file.data(), file.size());
    ASSERT_FALSE(dll.is_error());
    EXPECT_EQ(dll.value().sections()[1].image_offset, 4096u);
    EXPECT_EQ(dll.value().sections()[2].image_offset, 8192u);
    EXPECT_EQ(dll.value().image_size(), 8192u + 64);
    EXPECT_EQ(dll.value().page_count(), 3u);
}

TEST(CoffDll, ExportsIsTheShortNameEXPORTSElseUnderscoreEXPORTS)
{
    CoffBuilder b = sample();
    b.symbols[5].name = "_EXPORTS";
    b.symbols[5].value = 4;
    std::vector<u8> file = b.build();
    auto dll = CoffDll::parse(file.data(), file.size());
    ASSERT_FALSE(dll.is_error());
    EXPECT_EQ(dll.value().exports_offset(), 24u);

    // Both: EXPORTS wins, wherever it is.
    b.symbols.push_back({ "EXPORTS", 8, 2 });
    file = b.build();
    auto both = CoffDll::parse(file.data(), file.size());
    ASSERT_FALSE(both.is_error());
    EXPECT_EQ(both.value().exports_offset(), 28u);

    // A long name is never looked at (get_coff_sym reads the short name).
    b = sample();
    b.symbols[5].name = "EXPORTS_long_name";
    file = b.build();
    auto none = CoffDll::parse(file.data(), file.size());
    ASSERT_TRUE(none.is_error());
    EXPECT_STREQ(none.error().context(), "COFF: no EXPORTS symbol");
    // "EXPORTSX" is not "EXPORTS" (strncmp compares the NUL).
    b.symbols[5].name = "EXPORTSX";
    file = b.build();
    EXPECT_TRUE(CoffDll::parse(file.data(), file.size()).is_error());
}

TEST(CoffDll, UndefinedSymbolsAreZeroAbsoluteOnesKeepTheirValue)
{
    CoffBuilder b = sample();
    b.symbols.push_back({ "import", 0x1234, 0 });     // 6: undefined
    b.symbols.push_back({ "constant", 0x5678, 0xFFFF }); // 7: absolute
    b.sections[1].relocations = { { 0, 6, CoffDll::type_dir32 }, { 4, 7, CoffDll::type_dir32 } };
    std::vector<u8> file = b.build();
    auto dll = CoffDll::parse(file.data(), file.size());
    ASSERT_FALSE(dll.is_error());
    TestImage image(dll.value().page_count());
    lib::Vector<u32> sites;
    ASSERT_FALSE(dll.value().link(file.data(), file.size(), 0x70000000, image, sites).is_error());
    EXPECT_EQ(get32(image.bytes, 20), 0u);
    EXPECT_EQ(get32(image.bytes, 24), 0x5678u + 7);
}

TEST(CoffDll, OtherRelocationTypesAreSkippedUnchecked)
{
    CoffBuilder b = sample();
    b.sections[0].relocations.push_back({ 0xFFFFFF00, 0, 7 }); // IMAGE_REL_I386_DIR32NB, site nonsense
    std::vector<u8> file = b.build();
    auto dll = CoffDll::parse(file.data(), file.size());
    ASSERT_FALSE(dll.is_error()) << dll.error().context();
    TestImage image(dll.value().page_count());
    lib::Vector<u32> sites;
    EXPECT_FALSE(dll.value().link(file.data(), file.size(), 0x70000000, image, sites).is_error());
    EXPECT_EQ(sites.size(), 3u);
}

TEST(CoffDll, AuxiliaryRecordsAreSkippedAndCannotBeRelocatedAgainst)
{
    CoffBuilder b = sample();
    b.symbols[0].aux = 1; // ".text" has one auxiliary record: the indices move by one
    for (Section& s : b.sections) {
        for (Relocation& r : s.relocations)
            r.symbol += r.symbol > 0 ? 1 : 0;
    }
    std::vector<u8> file = b.build();
    auto dll = CoffDll::parse(file.data(), file.size());
    ASSERT_FALSE(dll.is_error()) << dll.error().context();
    EXPECT_EQ(dll.value().exports_offset(), 20u);
    b.sections[0].relocations[0].symbol = 1; // the auxiliary record
    file = b.build();
    auto refused = CoffDll::parse(file.data(), file.size());
    ASSERT_TRUE(refused.is_error());
    EXPECT_STREQ(refused.error().context(), "COFF: relocation against an auxiliary symbol record");
}

// One refused object per rule.
void expect_refused(const std::vector<u8>& file, const char* why)
{
    auto parsed = CoffDll::parse(file.data(), file.size());
    ASSERT_TRUE(parsed.is_error()) << why;
    EXPECT_STREQ(parsed.error().context(), why);
}

TEST(CoffDll, RefusesMalformedObjects)
{
    std::vector<u8> good = sample().build();
    expect_refused(std::vector<u8>(good.begin(), good.begin() + 19), "COFF: shorter than its file header");
    expect_refused(std::vector<u8>(good.begin(), good.begin() + 50), "COFF: section table past the end of the file");

    auto edit = [&](auto change) {
        std::vector<u8> file = good;
        change(file);
        return file;
    };
    expect_refused(edit([](auto& f) { put16(f, 2, 0); }), "COFF: no sections");
    expect_refused(edit([](auto& f) { put16(f, 2, 257); }), "COFF: more than 256 sections");
    expect_refused(edit([](auto& f) { put32(f, 12, 0x7FFFFFFF); }), "COFF: more than 2^20 symbols");
    expect_refused(edit([](auto& f) { put32(f, 12, get32(f, 12) + 10); }),
        "COFF: symbol table past the end of the file");
    expect_refused(edit([](auto& f) { put32(f, 8, 0xFFFFFFF0); }), "COFF: symbol table past the end of the file");
    // Section 0's data pointer or size past the end; the sum wrapping 32 bits.
    expect_refused(edit([](auto& f) { put32(f, 20 + 20, static_cast<u32>(f.size()) - 4); }),
        "COFF: section data past the end of the file");
    expect_refused(edit([](auto& f) { put32(f, 20 + 20, 0xFFFFFFF8); }), "COFF: section data past the end of the file");
    expect_refused(edit([](auto& f) { put32(f, 20 + 16, 0x1000); }), "COFF: section data past the end of the file");
    // A bss of 256 MiB + 1; two bss sections whose sizes wrap 32 bits.
    expect_refused(edit([](auto& f) { put32(f, 20 + 80 + 16, 0x10000000); }), "COFF: image larger than 256 MiB");
    expect_refused(edit([](auto& f) {
        put32(f, 20 + 40 + 16, 0xF0000000);
        put32(f, 20 + 40 + 20, 0);
        put32(f, 20 + 80 + 16, 0x20000000);
    }),
        "COFF: image larger than 256 MiB");
    // Zero-sized sections only.
    expect_refused(edit([](auto& f) {
        for (int i = 0; i < 3; ++i) {
            put32(f, 20 + 40 * i + 16, 0);
            put16(f, 20 + 40 * i + 32, 0);
        }
    }),
        "COFF: empty image");
    expect_refused(edit([](auto& f) { put16(f, 20 + 32, 0xFFFF); }), "COFF: relocations past the end of the file");
    expect_refused(edit([](auto& f) { put32(f, 20 + 24, 0xFFFFFFFE); }), "COFF: relocations past the end of the file");

    // Symbols.
    u32 symbols = get32(good, 8);
    expect_refused(edit([&](auto& f) { put16(f, symbols + 2 * 18 + 12, 4); }),
        "COFF: symbol in a section that does not exist");
    expect_refused(edit([&](auto& f) { f[symbols + 5 * 18 + 17] = 1; }),
        "COFF: auxiliary symbol records past the symbol table");
    expect_refused(edit([&](auto& f) {
        put32(f, symbols + 3 * 18, 0);
        put32(f, symbols + 3 * 18 + 4, 100);
    }),
        "COFF: symbol name outside the string table");
    expect_refused(edit([&](auto& f) {
        put32(f, symbols + 3 * 18, 0);
        put32(f, symbols + 3 * 18 + 4, 2);
    }),
        "COFF: symbol name outside the string table");
    expect_refused(edit([&](auto& f) { put32(f, symbols + 6 * 18, 0x1000); }),
        "COFF: string table past the end of the file");
    expect_refused(edit([&](auto& f) { put32(f, symbols + 5 * 18 + 8, 112); }), "COFF: EXPORTS outside the image");
    expect_refused(edit([&](auto& f) { put16(f, symbols + 5 * 18 + 12, 0xFFFF); }), "COFF: EXPORTS outside the image");

    // Relocations (the first record of .text is at the end of the section data).
    CoffBuilder b = sample();
    b.sections[0].relocations[0].symbol = 6;
    expect_refused(b.build(), "COFF: relocation symbol index past the symbol table");
    b = sample();
    b.sections[0].relocations[1].site = 14; // 14..17 straddles the end (17)
    expect_refused(b.build(), "COFF: relocation site outside its section");
    b.sections[0].relocations[1].site = 0xFFFFFFFE;
    expect_refused(b.build(), "COFF: relocation site outside its section");
    b = sample();
    b.sections[2].relocations = { { 61, 0, CoffDll::type_rel32 } }; // in bss, past its 64 bytes
    expect_refused(b.build(), "COFF: relocation site outside its section");
    b.sections[2].relocations = { { 60, 0, CoffDll::type_rel32 } };
    EXPECT_FALSE(CoffDll::parse(b.build().data(), b.build().size()).is_error());
}

TEST(CoffDll, AUnterminatedLongNameIsRefused)
{
    CoffBuilder b = sample();
    b.symbols[3].name = "a_long_symbol_name";
    std::vector<u8> file = b.build();
    ASSERT_FALSE(CoffDll::parse(file.data(), file.size()).is_error());
    file.back() = 'x'; // the NUL of the last name
    expect_refused(file, "COFF: symbol name runs past the string table");
}

TEST(CoffDll, EveryTruncationIsRefusedOrSafe)
{
    std::vector<u8> good = sample().build();
    for (size_t length = 0; length < good.size(); ++length) {
        std::vector<u8> file(good.begin(), good.begin() + static_cast<long>(length));
        auto parsed = CoffDll::parse(file.empty() ? nullptr : file.data(), file.size());
        // The string table is optional: dropping all of it is a valid object.
        if (!parsed.is_error()) {
            EXPECT_GE(length, good.size() - 4);
            TestImage image(parsed.value().page_count());
            lib::Vector<u32> sites;
            EXPECT_FALSE(parsed.value().link(file.data(), file.size(), 0x70000000, image, sites).is_error());
        }
    }
}

TEST(CoffDll, MutatedObjectsNeverFault)
{
    // ASan and UBSan judge this one: any read or write outside the file or
    // the image, or an overflow, ends the test run.
    std::vector<u8> good = sample().build();
    std::mt19937 random(1234);
    int accepted = 0;
    for (int round = 0; round < 20000; ++round) {
        std::vector<u8> file = good;
        int flips = 1 + static_cast<int>(random() % 4);
        for (int i = 0; i < flips; ++i) {
            size_t at = random() % file.size();
            file[at] = static_cast<u8>(random() % 3 == 0 ? 0xFF : random());
        }
        auto parsed = CoffDll::parse(file.data(), file.size());
        if (parsed.is_error())
            continue;
        if (parsed.value().image_size() > (1u << 20))
            continue; // valid but big (a bss grown by a flip): not worth allocating here
        ++accepted;
        TestImage image(parsed.value().page_count());
        lib::Vector<u32> sites;
        ASSERT_FALSE(parsed.value().link(file.data(), file.size(), 0x70000000, image, sites).is_error());
        ASSERT_EQ(sites.size(), parsed.value().dir32_count());
    }
    EXPECT_GT(accepted, 100); // the loop exercised link() too
}

TEST(CoffDll, LinkRefusesOtherBytesThanParsed)
{
    std::vector<u8> file = sample().build();
    auto dll = CoffDll::parse(file.data(), file.size());
    ASSERT_FALSE(dll.is_error());
    TestImage image(dll.value().page_count());
    lib::Vector<u32> sites;
    EXPECT_TRUE(dll.value().link(file.data(), file.size() - 1, 0x70000000, image, sites).is_error());
}

// t_math.obj as fasm assembles it (user/tests/kolibri/lib/t_math.asm).
TEST(CoffDll, FasmObject)
{
#ifndef COLIBRI_T_MATH_OBJ
    GTEST_SKIP() << "fasm cannot run on this host: t_math.obj was not assembled";
#else
    std::ifstream in(COLIBRI_T_MATH_OBJ, std::ios::binary);
    ASSERT_TRUE(in) << COLIBRI_T_MATH_OBJ;
    std::vector<u8> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto parsed = CoffDll::parse(file.data(), file.size());
    ASSERT_FALSE(parsed.is_error()) << parsed.error().context();
    const CoffDll& dll = parsed.value();
    // .text (align 16), .text2 (align 4), .data (align 4), .bss (align 8).
    ASSERT_EQ(dll.sections().size(), 4u);
    EXPECT_EQ(dll.sections()[0].image_offset, 0u);
    EXPECT_EQ(dll.sections()[1].image_offset % 4, 0u);
    EXPECT_EQ(dll.sections()[2].image_offset % 4, 0u);
    EXPECT_EQ(dll.sections()[3].image_offset % 8, 0u);
    EXPECT_EQ(dll.sections()[3].raw_pointer, 0u);
    EXPECT_EQ(dll.sections()[3].size, 8192u);
    const u32 base = 0x70000000;
    TestImage image(dll.page_count());
    lib::Vector<u32> sites;
    ASSERT_FALSE(dll.link(file.data(), file.size(), base, image, sites).is_error());
    auto string_at = [&](u32 address) {
        EXPECT_GE(address, base);
        EXPECT_LT(address, base + dll.image_size());
        return std::string(reinterpret_cast<const char*>(&image.bytes[address - base]));
    };
    // The export table: names, then values in the image (code) or constants.
    std::vector<std::string> names;
    u32 at = dll.exports_offset();
    u32 twice = 0, version = 0;
    for (; get32(image.bytes, at) != 0; at += 8) {
        std::string name = string_at(get32(image.bytes, at));
        u32 value = get32(image.bytes, at + 4);
        if (name == "twice_plus_one")
            twice = value;
        if (name == "version")
            version = value;
        names.push_back(name);
    }
    ASSERT_FALSE(names.empty());
    EXPECT_EQ(names.front(), "lib_init");
    EXPECT_EQ(names.size(), 9u);
    EXPECT_EQ(version, 0x00010002u); // a constant: not relocated
    // twice_plus_one: mov eax, [esp + 4]; call double_it (REL32 into .text2).
    ASSERT_GE(twice, base);
    u32 code = twice - base;
    ASSERT_EQ(image.bytes[code + 4], 0xE8);
    u32 target = code + 9 + get32(image.bytes, code + 5);
    EXPECT_EQ(target, dll.sections()[1].image_offset);
    // The bss is zero.
    for (u32 i = 0; i < 8192; ++i)
        ASSERT_EQ(image.bytes[dll.sections()[3].image_offset + i], 0);
    EXPECT_EQ(sites.size(), dll.dir32_count());
#endif
}

} // namespace
