#include "kernel/mm/MemoryMap.h"

#include "lib/Utility.h"

namespace mm {

namespace {

// base + length without wrapping: a range running off the top of the 64-bit
// space ends at the top.
PhysicalAddress saturating_end(PhysicalAddress base, u64 length)
{
    PhysicalAddress const end = base + length;
    return end < base ? ~0ull : end;
}

constexpr u64 kib = 1024;
constexpr u64 mib = 1024 * kib;
// Conventional memory ends at 640 KiB (the EBDA and the VGA hole follow), so a
// larger mem_lower is a loader bug and is clamped rather than trusted.
constexpr u64 conventional_memory_limit = 640 * kib;

} // namespace

MemoryMap MemoryMap::from_boot_info(const boot::BootInfo& info)
{
    MemoryMap map;
    bool map_has_available = false;
    if (info.has_memory_map) {
        size_t const count = lib::min(info.range_count, boot::BootInfo::max_ranges);
        for (size_t i = 0; i < count; ++i) {
            const boot::MemoryRange& range = info.ranges[i];
            if (range.type == boot::MemoryType::Available && range.length != 0) {
                map.add_available(range.base, range.length);
                map_has_available = true;
            }
        }
    }
    if (!map_has_available && info.has_basic_memory) {
        map.add_available(0, lib::min(static_cast<u64>(info.mem_lower_kib) * kib, conventional_memory_limit));
        map.add_available(mib, static_cast<u64>(info.mem_upper_kib) * kib);
    }
    // Second pass, so that reserved entries win over available ones no matter
    // where they appear in the firmware list. ACPI reclaimable memory stays
    // reserved too: it holds the ACPI tables until they have been parsed.
    if (info.has_memory_map) {
        size_t const count = lib::min(info.range_count, boot::BootInfo::max_ranges);
        for (size_t i = 0; i < count; ++i) {
            const boot::MemoryRange& range = info.ranges[i];
            if (range.type != boot::MemoryType::Available)
                map.remove(range.base, range.length);
        }
    }
    return map;
}

void MemoryMap::add_available(PhysicalAddress base, u64 length)
{
    if (length == 0 || base >= addressable_limit)
        return;
    PhysicalAddress const end = lib::min(saturating_end(base, length), addressable_limit);

    // Absorb every exact range that overlaps or touches [base, end).
    size_t first = 0;
    while (first < m_exact_count && m_exact[first].end() < base)
        ++first;
    PhysicalAddress merged_base = base;
    PhysicalAddress merged_end = end;
    size_t last = first;
    while (last < m_exact_count && m_exact[last].base <= end) {
        merged_base = lib::min(merged_base, m_exact[last].base);
        merged_end = lib::max(merged_end, m_exact[last].end());
        ++last;
    }
    PhysicalRange const merged { merged_base, merged_end - merged_base };
    if (last == first) {
        insert_exact_at(first, merged);
    } else {
        m_exact[first] = merged;
        for (size_t i = last; i > first + 1; --i)
            erase_exact_at(first + 1);
    }
    rebuild_normalized();
}

void MemoryMap::remove(PhysicalAddress base, u64 length)
{
    if (length == 0)
        return;
    PhysicalAddress const start = lib::align_down(base, granularity);
    PhysicalAddress const end = lib::align_up(saturating_end(base, length), granularity);

    for (size_t i = 0; i < m_exact_count;) {
        PhysicalRange& range = m_exact[i];
        PhysicalAddress const range_end = range.end();
        if (range_end <= start) {
            ++i;
            continue;
        }
        if (range.base >= end)
            break;
        bool const keeps_head = range.base < start;
        bool const keeps_tail = range_end > end;
        if (keeps_head && keeps_tail) {
            // The hole is strictly inside: split. Nothing further can overlap.
            range.length = start - range.base;
            insert_exact_at(i + 1, PhysicalRange { end, range_end - end });
            break;
        }
        if (keeps_head) {
            range.length = start - range.base;
            ++i;
        } else if (keeps_tail) {
            range.base = end;
            range.length = range_end - end;
            break;
        } else {
            erase_exact_at(i);
        }
    }
    rebuild_normalized();
}

void MemoryMap::clear()
{
    m_exact_count = 0;
    m_range_count = 0;
    m_dropped_bytes = 0;
}

u64 MemoryMap::total_bytes() const
{
    u64 total = 0;
    for (size_t i = 0; i < m_range_count; ++i)
        total += m_ranges[i].length;
    return total;
}

PhysicalAddress MemoryMap::highest_end() const
{
    return m_range_count == 0 ? 0 : m_ranges[m_range_count - 1].end();
}

bool MemoryMap::contains(PhysicalAddress base, u64 length) const
{
    PhysicalAddress const end = saturating_end(base, length);
    // Ranges are merged, so a contained interval lies inside a single range.
    for (size_t i = 0; i < m_range_count; ++i) {
        if (m_ranges[i].base <= base && end <= m_ranges[i].end())
            return true;
    }
    return false;
}

void MemoryMap::insert_exact_at(size_t index, PhysicalRange range)
{
    if (m_exact_count == max_ranges) {
        // Full: give up the highest piece, which is the new range itself if it
        // would be last. Dropping RAM is safe; the caller learns of it through
        // dropped_bytes().
        if (index == m_exact_count) {
            m_dropped_bytes += range.length;
            return;
        }
        m_dropped_bytes += m_exact[m_exact_count - 1].length;
        --m_exact_count;
    }
    for (size_t i = m_exact_count; i > index; --i)
        m_exact[i] = m_exact[i - 1];
    m_exact[index] = range;
    ++m_exact_count;
}

void MemoryMap::erase_exact_at(size_t index)
{
    for (size_t i = index; i + 1 < m_exact_count; ++i)
        m_exact[i] = m_exact[i + 1];
    --m_exact_count;
}

void MemoryMap::rebuild_normalized()
{
    // Exact ranges are separated by gaps of at least one byte, so after
    // rounding inward the page ranges are strictly apart and need no merging.
    m_range_count = 0;
    for (size_t i = 0; i < m_exact_count; ++i) {
        PhysicalAddress const base = lib::align_up(m_exact[i].base, granularity);
        PhysicalAddress const end = lib::align_down(m_exact[i].end(), granularity);
        if (end > base)
            m_ranges[m_range_count++] = PhysicalRange { base, end - base };
    }
}

} // namespace mm
