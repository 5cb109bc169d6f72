// The user half of one process's virtual memory: its regions (RegionTree),
// the page tables behind them (through Mmu) and the page-fault policy
// (cookbook recipe 2.1): demand zero, file-backed pages, copy-on-write.
//
// Ownership. Every present user page holds exactly one reference on its
// frame (FrameProvider ref count), except pages of Device regions, whose
// frames are not RAM we allocated and are never counted. A frame's count is
// therefore the number of page-table entries, across all address spaces,
// that map it. Regions hold one reference on their FileSource each.
//
// Copy-on-write invariants, for pages of private (not shared) regions:
//   C1 A present private page is mapped writable only if its frame's ref
//      count is 1 (no one else can see writes) and the region allows writes.
//   C2 Hence a frame with count > 1 in a private region is mapped read-only
//      everywhere it appears; the first write to it (a present, read-only,
//      write fault in a writable region) copies it, or, if every other
//      sharer has gone meanwhile (count back to 1), just makes it writable.
//   C3 Frames of private regions are never mapped by shared regions and vice
//      versa: fork shares each region's frames only with the same region's
//      copy in the child, so the two populations never mix.
// For shared regions a frame is visible to every process mapping it and is
// mapped writable whenever the region allows writes.
//
// The page tables are the only record of which pages are present; regions
// do not keep per-page state. Not thread-safe: the caller serialises calls
// per address space (the process lock).
#pragma once

#include "kernel/mm/Mmu.h"
#include "kernel/mm/Region.h"
#include "kernel/mm/RegionTree.h"
#include "lib/Error.h"
#include "lib/Types.h"

namespace mm {

// Lowest address a non-fixed mapping is placed at: page 0 stays unmapped so
// that null pointer dereferences fault (fixed mappings may still use it, as
// KolibriOS programs are linked at 0).
constexpr uintptr_t mmap_lower_bound = 0x1000;

struct FaultStatistics {
    u32 total { 0 };       // every handle_fault() call
    u32 demand_zero { 0 }; // anonymous pages created zero-filled
    u32 file { 0 };        // pages read in from a FileSource
    u32 cow { 0 };         // write faults on read-only private pages (copied or made writable)
    u32 protection { 0 };  // faults refused: outside regions, kernel address, protection
};

enum class FaultAccess : u8 { Read, Write, Execute };
enum class FaultOutcome : u8 { Resolved, OutsideRegions, ProtectionViolation, KernelAddress, OutOfMemory, IoError };

class AddressSpace {
public:
    // Starts empty. `mmu` holds no user mappings yet; both must outlive this.
    AddressSpace(Mmu& mmu, FrameProvider& frames);
    // Tears everything down, as clear().
    ~AddressSpace();

    AddressSpace(const AddressSpace&) = delete;
    AddressSpace& operator=(const AddressSpace&) = delete;

    // mmap of anonymous memory: `length` rounded up to whole pages. Without
    // `fixed`, the hint is used when that range is free, else the first free
    // gap (RegionTree::find_free, above mmap_lower_bound). With `fixed`, the
    // region goes exactly at `hint`, replacing (unmapping) whatever was there.
    // Returns the start address. InvalidArgument: length 0, unaligned fixed
    // address, range beyond user_space_end or wrapping, protection bits
    // outside Protection::All. NoMemory: no gap, or no memory for bookkeeping
    // (then nothing changed, not even for a fixed mapping).
    ErrorOr<uintptr_t> map_anonymous(uintptr_t hint, size_t length, u8 protection, bool shared, bool fixed);

    // As map_anonymous, backed by `file` from `offset` (page aligned, else
    // InvalidArgument). The region takes its own reference on `file`. Pages
    // past the end of the file read as zero.
    ErrorOr<uintptr_t> map_file(uintptr_t hint, size_t length, u8 protection, bool shared, bool fixed,
        FileSource& file, u64 offset);

    // Maps `length` bytes of physical memory at `base` (page aligned) into a
    // free range; the pages are mapped immediately (unless the protection is
    // None) and their frames are never counted or freed.
    ErrorOr<uintptr_t> map_device(uintptr_t hint, size_t length, u8 protection, PhysicalAddress base);

    // munmap: removes the pages in [address, address + length) (address page
    // aligned, length rounded up), splitting regions at the edges and
    // dropping the frames' references. A range with no regions in it is
    // fine. InvalidArgument for length 0 / unaligned / beyond user space;
    // NoMemory (nothing changed) when a split cannot be recorded.
    ErrorOr<void> unmap(uintptr_t address, size_t length);

    // mprotect: every page of [address, address + length) must lie in some
    // region, else NotFound (the syscall layer turns it into ENOMEM as Linux
    // does) and nothing changes. Splits regions at the edges, updates the
    // writable bit of present pages (never making a COW-shared frame
    // writable: invariant C1), then merges compatible neighbours.
    // NOTE: i386 page tables cannot make a present page unreadable, so
    // already-present anonymous/file pages stay readable under
    // Protection::None until unmapped (Device pages are unmapped instead).
    ErrorOr<void> protect(uintptr_t address, size_t length, u8 protection);

    // The page-fault policy. `page_present` is what the CPU reported; the
    // page tables are consulted again because another thread of the process
    // may have resolved the fault in between. Never crashes on bad input:
    // anything unresolvable comes back as an outcome for the caller to act
    // on (usually by killing the process). Execute faults count as reads:
    // i386 without PAE has no NX bit, every readable page is executable.
    FaultOutcome handle_fault(uintptr_t address, FaultAccess access, bool page_present);

    // fork: copies every region into `child` (which must be empty, else
    // InvalidArgument). Present private pages become copy-on-write: shared by
    // both, read-only in both, ref count + 1. Shared regions share their
    // frames with the same writability; Device regions map the same physical
    // pages. This address space's contents never change, only the writable
    // bits of its private pages. On NoMemory the child holds a partial copy
    // that child.clear() releases completely.
    ErrorOr<void> clone_into(AddressSpace& child) const;

    // Unmaps every page, drops every frame and FileSource reference, forgets
    // every region. Statistics are kept (the process reports them at exit).
    void clear();

    // Makes every page of [address, address + length) present, and writable
    // where the region allows writes (breaking COW sharing), as loaders
    // need before they copy an image in. Not counted as faults. NotFound
    // when a page lies outside every region, InvalidArgument for a range
    // with Protection::None pages, NoMemory / IoError as for faults (pages
    // populated before the failure stay).
    ErrorOr<void> populate(uintptr_t address, size_t length);

    // Copies between the kernel and this address space, which need not be
    // the one the CPU runs on: pages are reached through their frames
    // (FrameProvider::contents), never through the current page tables. This
    // is the one way into another process's memory (IPC delivery, loaders).
    // A page that is not present, or (copy_in) present but read-only, is made
    // present as a user access would make it: handle_fault()'s policy, demand
    // zero, file, copy-on-write, counted in the statistics. The whole range
    // is checked before a byte moves: OutOfRange when it leaves user space,
    // wraps or has a page outside every region; AccessDenied when a region
    // forbids the access (reads need Protection::Read, copy_in also Write);
    // Unsupported for Device regions (their pages are not RAM the kernel
    // reaches through the direct map). NoMemory / IoError from faulting a
    // page in may leave a prefix of the range copied. Length 0 is a no-op.
    // The caller holds the address-space lock, as for handle_fault().
    ErrorOr<void> copy_in(uintptr_t destination, const void* source, size_t length);
    ErrorOr<void> copy_out(void* destination, uintptr_t source, size_t length);

    // What the page tables say about the page containing `address`, for
    // callers that keep a present page's frame (futex keys, rings shared
    // with the kernel). Not present for any address outside user space.
    PageMapping page_mapping(uintptr_t address) const;

    // The page tables behind this address space (the kernel glue in
    // KernelAddressSpace.cpp needs the arch object to load CR3).
    Mmu& mmu() const { return m_mmu; }

    // The region containing `address`, or null.
    const Region* find_region(uintptr_t address) const { return m_regions.find(address); }
    const FaultStatistics& statistics() const { return m_statistics; }
    // Present pages backed by frames we counted (Device pages excluded).
    size_t resident_pages() const { return m_resident_pages; }
    size_t region_count() const { return m_regions.size(); }
    const RegionTree& regions() const { return m_regions; }

    // Calls `function(const Region&)` for every region in address order.
    template<typename F>
    void for_each_region(F function) const
    {
        for (const Region& region : m_regions)
            function(region);
    }

private:
    // What resolve() did, for the statistics.
    enum class Resolution : u8 { None, DemandZero, File, CopyOnWrite };

    ErrorOr<uintptr_t> place(uintptr_t hint, size_t length, bool fixed, uintptr_t& end);
    ErrorOr<uintptr_t> map_region(Region&& region);
    // Removes the regions and pages in [start, end); needs two entries of
    // reserved region capacity, then cannot fail.
    void remove_range(uintptr_t start, uintptr_t end);
    // Unmaps the present pages of `region` inside [start, end).
    void unmap_pages(const Region& region, uintptr_t start, uintptr_t end);
    void update_page_protection(const Region& region);
    FaultOutcome resolve(const Region& region, uintptr_t page, bool write, Resolution& resolution);
    FaultOutcome fill_new_page(const Region& region, uintptr_t page, Resolution& resolution);
    FaultOutcome break_cow(uintptr_t page, PageMapping mapping, Resolution& resolution);
    // copy_in/copy_out: the range check, then a kernel pointer to the page
    // at `page`, faulted in for the access.
    ErrorOr<void> check_copy_range(uintptr_t address, size_t length, bool write) const;
    ErrorOr<u8*> page_for_copy(uintptr_t page, bool write);

    Mmu& m_mmu;
    FrameProvider& m_frames;
    RegionTree m_regions;
    FaultStatistics m_statistics;
    size_t m_resident_pages { 0 };
};

} // namespace mm
