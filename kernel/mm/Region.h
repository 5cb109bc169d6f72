// A region (VMA): one contiguous, page-aligned range [start, end) of an
// address space with one protection, one sharing mode and one backing.
//
// Backings:
//   Anonymous  pages appear zero-filled on first touch (demand zero).
//   File       pages are read from a FileSource; the region holds one
//              reference to it and knows the file offset of `start`.
//   Device     pages map straight onto physical memory at a fixed base
//              (framebuffers, MMIO). Those frames are not RAM we own: they
//              are never reference-counted and never freed.
//
// A Region owns its FileSource reference: destroying or moving-from a region
// releases or transfers it, and split_off() takes a new reference for the
// upper half. Which physical pages are present is not recorded here: the
// page tables (through Mmu) are the single source of truth for that.
#pragma once

#include "kernel/mm/Mmu.h"
#include "lib/Types.h"

namespace mm {

// mmap protection bits, same values as PROT_* in kernel/abi/native/Syscalls.h.
namespace Protection {
constexpr u8 None = 0;
constexpr u8 Read = 1;
constexpr u8 Write = 2;
constexpr u8 Execute = 4;
constexpr u8 All = Read | Write | Execute;
} // namespace Protection

enum class Backing : u8 { Anonymous, File, Device };

// A label for listings (`vm`); it never changes behaviour, but regions with
// different kinds are not merged.
enum class RegionKind : u8 { Generic, Stack, Heap };

class Region {
public:
    Region() = default;
    ~Region();

    Region(Region&& other);
    Region& operator=(Region&& other);
    Region(const Region&) = delete;
    Region& operator=(const Region&) = delete;

    // The constructors below expect page-aligned start < end (AddressSpace
    // validates user input before building a region).
    static Region anonymous(uintptr_t start, uintptr_t end, u8 protection, bool shared);
    // Takes a reference to `file`; `offset` is the file offset of `start`.
    static Region file(uintptr_t start, uintptr_t end, u8 protection, bool shared, FileSource& file, u64 offset);
    // `physical_base` is the physical address that `start` maps to.
    static Region device(uintptr_t start, uintptr_t end, u8 protection, PhysicalAddress physical_base);

    uintptr_t start() const { return m_start; }
    uintptr_t end() const { return m_end; }
    size_t size() const { return m_end - m_start; }
    size_t page_count() const { return size() / 4096; }
    bool contains(uintptr_t address) const { return address >= m_start && address < m_end; }

    u8 protection() const { return m_protection; }
    // On i386 without PAE every present page is readable and executable, so
    // any protection other than None allows reads and instruction fetches.
    bool allows_read() const { return m_protection != Protection::None; }
    bool allows_write() const { return (m_protection & Protection::Write) != 0; }
    bool is_shared() const { return m_shared; }
    Backing backing() const { return m_backing; }
    RegionKind kind() const { return m_kind; }
    FileSource* file_source() const { return m_file; }

    // File offset of the page containing `address` (File backing only).
    u64 file_offset_of(uintptr_t address) const { return m_offset + (address - m_start); }
    // Physical frame that `address` maps to (Device backing only).
    PhysicalAddress physical_address_of(uintptr_t address) const { return m_offset + (address - m_start); }
    // File offset (File) or physical base (Device) of `start`.
    u64 offset() const { return m_offset; }

    void set_protection(u8 protection) { m_protection = protection; }
    void set_kind(RegionKind kind) { m_kind = kind; }

    // Splits at `address` (page aligned, strictly inside the region): this
    // region keeps [start, address) and the returned one gets [address, end)
    // with the same attributes, its file offset / physical base advanced, and
    // a new FileSource reference of its own.
    Region split_off(uintptr_t address);

    // A copy with its own FileSource reference (for fork).
    Region clone() const;

    // True when `next` starts where this region ends and the two could be
    // one region: same protection, sharing, kind and backing, and for files
    // the same FileSource at contiguous offsets (for devices, contiguous
    // physical addresses).
    bool can_merge_with(const Region& next) const;
    // Absorbs `next` (can_merge_with(next) must hold); `next` keeps its own
    // FileSource reference, which its destruction releases.
    void merge_with(const Region& next) { m_end = next.m_end; }

private:
    void release();

    uintptr_t m_start { 0 };
    uintptr_t m_end { 0 };
    u64 m_offset { 0 };
    FileSource* m_file { nullptr };
    u8 m_protection { Protection::None };
    bool m_shared { false };
    Backing m_backing { Backing::Anonymous };
    RegionKind m_kind { RegionKind::Generic };
};

} // namespace mm
