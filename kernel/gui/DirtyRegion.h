// The parts of the screen that changed since the last flush: a small,
// bounded list of rectangles.
//
// Adding a rectangle never loses a pixel: afterwards every pixel of it
// (inside the bounds) is covered by some rectangle of the list. To keep the
// list short and the copied area close to what really changed, an added
// rectangle is merged with a listed one whenever their bounding box wastes
// few pixels (it overlaps, touches or nearly touches it along a side), and
// repeatedly, since a merged rectangle may now reach the next one. When the
// list is full, the two rectangles whose merge wastes least are merged.
//
// Invariants (checked by the host tests): count() <= capacity; every listed
// rectangle is non-empty and inside bounds(); no listed rectangle contains
// another.
#pragma once

#include "kernel/gui/Geometry.h"
#include "lib/Types.h"

namespace gui {

class DirtyRegion {
public:
    static constexpr size_t capacity = 16;
    // Two rectangles are merged when their bounding box covers at most this
    // many pixels that neither of them covers: about a 32x32 block, which
    // costs less to copy than to keep track of separately.
    static constexpr i64 merge_slack = 1024;

    DirtyRegion() = default;
    explicit DirtyRegion(const Rect& bounds) : m_bounds(bounds) { }

    // Changes the bounds and forgets every rectangle.
    void reset(const Rect& bounds);
    const Rect& bounds() const { return m_bounds; }

    // Records a changed rectangle (clipped to the bounds; empty is ignored).
    void add(const Rect&);
    // Everything changed.
    void add_all() { add(m_bounds); }
    void clear() { m_count = 0; }

    bool is_empty() const { return m_count == 0; }
    size_t count() const { return m_count; }
    const Rect& operator[](size_t index) const { return m_rects[index]; }
    const Rect* begin() const { return m_rects; }
    const Rect* end() const { return m_rects + m_count; }

    // The sum of the listed areas: what a flush copies.
    i64 total_area() const;
    // The smallest rectangle holding every listed one.
    Rect bounding_rect() const;

    // Pixels of the bounding box of a and b that neither covers.
    static i64 merge_waste(const Rect& a, const Rect& b);

private:
    void remove(size_t index);
    // Merges rectangle `index` with every listed rectangle it should join,
    // repeatedly, until no merge applies any more.
    void settle(size_t index);
    void merge_cheapest_pair();

    Rect m_bounds;
    // One spare slot: an added rectangle goes in before the list shrinks back.
    Rect m_rects[capacity + 1];
    size_t m_count { 0 };
};

} // namespace gui
