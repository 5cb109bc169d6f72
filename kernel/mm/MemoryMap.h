// The normalized map of usable physical RAM, built from whatever the boot
// loader reported.
//
// Policy (the invariants every reader may rely on):
// * ranges are sorted by base, never overlap, and touching ranges are merged;
// * every range starts and ends on a 4 KiB page boundary: available memory is
//   rounded inward (a partial page is not usable), removed memory outward (a
//   page that is partly reserved is not usable either);
// * nothing at or above 4 GiB: the kernel uses 32-bit paging without PAE, so
//   such memory cannot be mapped; a range crossing 4 GiB is cut there;
// * removed (reserved) memory wins over available memory regardless of the
//   order of the firmware's entries, because from_boot_info adds every
//   available entry first and removes every other entry afterwards;
// * there are no empty ranges.
// Storage is fixed-size (no heap exists yet when this runs). If more than
// max_ranges disjoint pieces would be needed, the highest pieces are dropped:
// losing some RAM is safe, handing out reserved memory is not. dropped_bytes()
// says how much was lost.
#pragma once

#include "kernel/boot/MultibootInfo.h"
#include "lib/Types.h"

namespace mm {

struct PhysicalRange {
    PhysicalAddress base;
    u64 length;

    // One past the last byte.
    PhysicalAddress end() const { return base + length; }
};

class MemoryMap {
public:
    static constexpr size_t max_ranges = 128;
    // The first address the kernel cannot map (32-bit paging, no PAE).
    static constexpr PhysicalAddress addressable_limit = 0x1'0000'0000ull;
    static constexpr u64 granularity = 4096;

    // Builds the usable-RAM map from the boot info: the memory map's
    // Available entries minus all its other entries when the map is present;
    // otherwise (or when the map lists no available memory at all) RAM from
    // mem_lower/mem_upper, i.e. [0, mem_lower KiB) with mem_lower clamped to
    // 640 KiB, and [1 MiB, 1 MiB + mem_upper KiB). The caller still removes
    // the first MiB, the kernel image and the modules.
    static MemoryMap from_boot_info(const boot::BootInfo& info);

    // Marks [base, base + length) as usable RAM (clipped to 4 GiB, rounded
    // inward to pages when the map is read). Memory removed earlier becomes
    // usable again if added again: order matters, so add before removing.
    void add_available(PhysicalAddress base, u64 length);

    // Removes [base, base + length), widened to whole pages, from the map:
    // the kernel image, modules, the first MiB, firmware-reserved ranges.
    void remove(PhysicalAddress base, u64 length);

    // Empties the map.
    void clear();

    // The normalized ranges, sorted by base address.
    size_t range_count() const { return m_range_count; }
    // `index` must be below range_count().
    const PhysicalRange& range(size_t index) const { return m_ranges[index]; }

    // Sum of all range lengths.
    u64 total_bytes() const;
    // End of the highest range (0 for an empty map): the extent a frame
    // allocator must manage.
    PhysicalAddress highest_end() const;
    // True when every byte of [base, base + length) is usable RAM.
    bool contains(PhysicalAddress base, u64 length) const;
    // Bytes of available memory discarded because the fixed storage was full.
    u64 dropped_bytes() const { return m_dropped_bytes; }

private:
    void insert_exact_at(size_t index, PhysicalRange range);
    void erase_exact_at(size_t index);
    void rebuild_normalized();

    // The byte-exact union of what was added minus the page-widened removals,
    // sorted and merged. Keeping it exact (rather than rounding each entry on
    // arrival) means that two entries sharing a page, like [0, 0x1800) and
    // [0x1800, 0x3000), still yield the full pages [0, 0x3000).
    PhysicalRange m_exact[max_ranges] {};
    size_t m_exact_count { 0 };
    // m_exact rounded inward to pages, empty ranges dropped: what readers see.
    PhysicalRange m_ranges[max_ranges] {};
    size_t m_range_count { 0 };
    u64 m_dropped_bytes { 0 };
};

} // namespace mm
