// The regions of one address space, sorted by start address and never
// overlapping.
//
// Why a sorted array with binary search rather than a balanced tree: a
// process has a handful to a few hundred regions, lookups (every page fault)
// vastly outnumber insertions and removals (mmap/munmap), and a contiguous
// array gives O(log n) lookup with the best cache behaviour and no per-node
// allocation. Insertion and removal are O(n) moves of small structs, cheap at
// these sizes. If processes with thousands of regions appear, this class can
// become a real tree without changing its interface.
//
// Invariants (checked by is_valid()):
//   * every region is page aligned with start < end;
//   * regions[i].end() <= regions[i + 1].start() (sorted, disjoint).
#pragma once

#include "kernel/mm/Region.h"
#include "lib/Error.h"
#include "lib/Vector.h"

namespace mm {

class RegionTree {
public:
    size_t size() const { return m_regions.size(); }
    bool is_empty() const { return m_regions.is_empty(); }
    // Regions in address order; `index` < size().
    const Region& operator[](size_t index) const { return m_regions[index]; }
    Region& operator[](size_t index) { return m_regions[index]; }
    const Region* begin() const { return m_regions.begin(); }
    const Region* end() const { return m_regions.end(); }

    // The region containing `address`, or null. O(log n).
    const Region* find(uintptr_t address) const;
    Region* find(uintptr_t address);

    // Index of the first region whose end is above `address` (the region
    // containing it, or the next one above); size() when there is none.
    size_t lower_bound(uintptr_t address) const;

    // Start of a free, page-aligned gap of `length` bytes inside
    // [lower_bound, upper_bound): the first gap at or after `hint` that fits,
    // else the first that fits from `lower_bound`. NoMemory when none fits;
    // InvalidArgument for a zero or unaligned length.
    ErrorOr<uintptr_t> find_free(uintptr_t hint, size_t length, uintptr_t lower_bound, uintptr_t upper_bound) const;

    // True when no region intersects [start, end).
    bool is_free(uintptr_t start, uintptr_t end) const;

    // Inserts a region that overlaps no existing one (AlreadyExists
    // otherwise). NoMemory leaves the tree unchanged; with enough capacity
    // reserved beforehand it cannot fail for that reason.
    ErrorOr<void> insert(Region&& region);

    // Makes sure the next `count` insertions or splits need no allocation.
    ErrorOr<void> reserve_additional(size_t count) { return m_regions.try_reserve_additional(count); }

    // Splits the region strictly containing `address` (page aligned) so that
    // a region boundary lies at `address`; nothing to do when `address` is
    // already a boundary or in a gap. NoMemory leaves the tree unchanged.
    ErrorOr<void> split_at(uintptr_t address);

    // Removes regions [first, first + count) (their FileSource references go
    // with them). Never fails.
    void remove(size_t first, size_t count) { m_regions.remove_range(first, count); }

    // Merges compatible neighbours (Region::can_merge_with) among the regions
    // that intersect or touch [start, end]. Never allocates.
    void merge_around(uintptr_t start, uintptr_t end);

    // Drops every region.
    void clear() { m_regions.clear(); }

    // Checks the invariants above (for tests and debug checks).
    bool is_valid() const;

private:
    lib::Vector<Region> m_regions;
};

} // namespace mm
