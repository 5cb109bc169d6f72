#include "kernel/mm/FrameRefCounts.h"

namespace mm {

void FrameRefCounts::initialize(u16* storage, size_t frame_count)
{
    m_counts = storage;
    m_frame_count = storage ? frame_count : 0;
}

size_t FrameRefCounts::index_of(PhysicalAddress frame) const
{
    PhysicalAddress index = frame >> 12;
    return index < m_frame_count ? static_cast<size_t>(index) : m_frame_count;
}

u32 FrameRefCounts::get(PhysicalAddress frame) const
{
    size_t index = index_of(frame);
    return index < m_frame_count ? m_counts[index] : 0;
}

bool FrameRefCounts::set(PhysicalAddress frame, u32 count)
{
    size_t index = index_of(frame);
    if (index >= m_frame_count || count > max_count)
        return false;
    m_counts[index] = static_cast<u16>(count);
    return true;
}

u32 FrameRefCounts::increment(PhysicalAddress frame)
{
    size_t index = index_of(frame);
    if (index >= m_frame_count || m_counts[index] >= max_count)
        return 0;
    return ++m_counts[index];
}

u32 FrameRefCounts::decrement(PhysicalAddress frame)
{
    size_t index = index_of(frame);
    if (index >= m_frame_count || m_counts[index] == 0)
        return underflow;
    return --m_counts[index];
}

} // namespace mm
