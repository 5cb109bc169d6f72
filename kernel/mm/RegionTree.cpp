#include "kernel/mm/RegionTree.h"

namespace mm {

namespace {
constexpr uintptr_t page_mask = 4095;
}

size_t RegionTree::lower_bound(uintptr_t address) const
{
    // Binary search for the first region with end > address. Since regions
    // are sorted and disjoint, their ends are strictly increasing.
    size_t low = 0;
    size_t high = m_regions.size();
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (m_regions[middle].end() > address)
            high = middle;
        else
            low = middle + 1;
    }
    return low;
}

const Region* RegionTree::find(uintptr_t address) const
{
    size_t index = lower_bound(address);
    if (index < m_regions.size() && m_regions[index].contains(address))
        return &m_regions[index];
    return nullptr;
}

Region* RegionTree::find(uintptr_t address)
{
    return const_cast<Region*>(static_cast<const RegionTree*>(this)->find(address));
}

bool RegionTree::is_free(uintptr_t start, uintptr_t end) const
{
    size_t index = lower_bound(start);
    return index >= m_regions.size() || m_regions[index].start() >= end;
}

ErrorOr<uintptr_t> RegionTree::find_free(uintptr_t hint, size_t length, uintptr_t lower, uintptr_t upper) const
{
    if (length == 0 || (length & page_mask))
        return Error(ErrorCode::InvalidArgument, "find_free length");
    lower = lib::align_up<uintptr_t>(lower, page_mask + 1); // saturates instead of wrapping
    upper &= ~page_mask;
    if (lower >= upper || upper - lower < length)
        return Error(ErrorCode::NoMemory, "no free virtual range");

    // Walks the gaps from `from` (aligned, inside [lower, upper)) upwards;
    // stores the first start that fits in `found`.
    auto first_fit = [&](uintptr_t from, uintptr_t& found) -> bool {
        uintptr_t candidate = from;
        for (size_t index = lower_bound(from); index <= m_regions.size(); ++index) {
            uintptr_t gap_end = index < m_regions.size() ? lib::min(m_regions[index].start(), upper) : upper;
            if (candidate <= gap_end && gap_end - candidate >= length) {
                found = candidate;
                return true;
            }
            if (index == m_regions.size() || m_regions[index].start() >= upper)
                return false;
            candidate = lib::max(candidate, m_regions[index].end());
        }
        return false;
    };

    uintptr_t found = 0;
    hint &= ~page_mask;
    if (hint >= lower && hint < upper && first_fit(hint, found))
        return found;
    if (first_fit(lower, found))
        return found;
    return Error(ErrorCode::NoMemory, "no free virtual range");
}

ErrorOr<void> RegionTree::insert(Region&& region)
{
    size_t index = lower_bound(region.start());
    if (index < m_regions.size() && m_regions[index].start() < region.end())
        return Error(ErrorCode::AlreadyExists, "region overlaps");
    return m_regions.try_insert(index, lib::move(region));
}

ErrorOr<void> RegionTree::split_at(uintptr_t address)
{
    size_t index = lower_bound(address);
    if (index >= m_regions.size() || m_regions[index].start() >= address)
        return {}; // in a gap or already a boundary
    // Reserve first so the split below cannot be left half done.
    TRY(m_regions.try_reserve_additional(1));
    Region upper = m_regions[index].split_off(address);
    auto inserted = m_regions.try_insert(index + 1, lib::move(upper));
    (void)inserted; // capacity was reserved: cannot fail
    return {};
}

void RegionTree::merge_around(uintptr_t start, uintptr_t end)
{
    size_t first = lower_bound(start);
    if (first > 0)
        --first; // the region touching `start` from below
    size_t index = first;
    while (index + 1 < m_regions.size() && m_regions[index].start() <= end) {
        if (m_regions[index].can_merge_with(m_regions[index + 1])) {
            m_regions[index].merge_with(m_regions[index + 1]);
            m_regions.remove(index + 1);
        } else {
            ++index;
        }
    }
}

bool RegionTree::is_valid() const
{
    for (size_t i = 0; i < m_regions.size(); ++i) {
        const Region& region = m_regions[i];
        if ((region.start() & page_mask) || (region.end() & page_mask) || region.start() >= region.end())
            return false;
        if (i + 1 < m_regions.size() && region.end() > m_regions[i + 1].start())
            return false;
    }
    return true;
}

} // namespace mm
