#include "kernel/gui/DirtyRegion.h"

namespace gui {

void DirtyRegion::reset(const Rect& bounds)
{
    m_bounds = bounds;
    m_count = 0;
}

i64 DirtyRegion::merge_waste(const Rect& a, const Rect& b)
{
    i64 const covered = a.area() + b.area() - a.intersected(b).area();
    return a.united(b).area() - covered;
}

void DirtyRegion::add(const Rect& rect)
{
    Rect const clipped = rect.intersected(m_bounds);
    if (clipped.is_empty())
        return;
    for (size_t i = 0; i < m_count; ++i) {
        if (m_rects[i].contains(clipped))
            return;
    }
    m_rects[m_count] = clipped;
    ++m_count;
    settle(m_count - 1);
    while (m_count > capacity)
        merge_cheapest_pair();
}

void DirtyRegion::remove(size_t index)
{
    m_rects[index] = m_rects[m_count - 1];
    --m_count;
}

void DirtyRegion::settle(size_t index)
{
    bool merged = true;
    while (merged) {
        merged = false;
        for (size_t other = 0; other < m_count; ++other) {
            if (other == index || merge_waste(m_rects[index], m_rects[other]) > merge_slack)
                continue;
            m_rects[index] = m_rects[index].united(m_rects[other]);
            // remove() moves the last rectangle into `other`: follow ours
            // if it was the last.
            if (index == m_count - 1)
                index = other;
            remove(other);
            merged = true;
            break;
        }
    }
}

void DirtyRegion::merge_cheapest_pair()
{
    size_t best_first = 0;
    size_t best_second = 1;
    i64 best_waste = -1;
    for (size_t first = 0; first < m_count; ++first) {
        for (size_t second = first + 1; second < m_count; ++second) {
            i64 const waste = merge_waste(m_rects[first], m_rects[second]);
            if (best_waste < 0 || waste < best_waste) {
                best_waste = waste;
                best_first = first;
                best_second = second;
            }
        }
    }
    m_rects[best_first] = m_rects[best_first].united(m_rects[best_second]);
    // best_first < best_second <= last, so removing the second leaves the first where it is.
    remove(best_second);
    settle(best_first);
}

i64 DirtyRegion::total_area() const
{
    i64 total = 0;
    for (auto& rect : *this)
        total += rect.area();
    return total;
}

Rect DirtyRegion::bounding_rect() const
{
    Rect result;
    for (auto& rect : *this)
        result = result.united(rect);
    return result;
}

} // namespace gui
