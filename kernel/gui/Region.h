// An exact set of screen pixels as a list of disjoint rectangles: what the
// window manager uses for the visible part of each window (the clip of
// every drawing primitive) and for the parts a change of the window stack
// exposed.
//
// Invariant: the rectangles are non-empty and pairwise disjoint.
//
// Memory: the list grows on the kernel heap. When it cannot grow, an
// operation drops the pieces it could not store, so a region only ever
// loses pixels on failure. For a clip region that is the safe direction: a
// window may miss a redraw, but never draws outside its visible part.
#pragma once

#include "kernel/gui/Geometry.h"
#include "lib/Vector.h"

namespace gui {

class Region {
public:
    Region() = default;
    explicit Region(const Rect& rect) { add_disjoint(rect); }
    Region(Region&&) = default;
    Region& operator=(Region&& other)
    {
        if (this != &other) {
            // lib::Vector has no move assignment: rebuild in place.
            m_rects.~Vector();
            new (&m_rects) lib::Vector<Rect>(lib::move(other.m_rects));
        }
        return *this;
    }

    bool is_empty() const { return m_rects.is_empty(); }
    size_t count() const { return m_rects.size(); }
    const Rect& operator[](size_t index) const { return m_rects[index]; }
    const Rect* begin() const { return m_rects.begin(); }
    const Rect* end() const { return m_rects.end(); }
    i64 area() const;
    Rect bounding_rect() const;
    bool contains(i32 x, i32 y) const;

    void clear() { m_rects.clear(); }
    // A copy (regions are move-only so that copies are visible in the code).
    Region clone() const;

    // this := this ∪ rect
    void add(const Rect&);
    // this := this ∪ other
    void add(const Region&);
    // this := this \ rect
    void subtract(const Rect&);
    // this := this \ other
    void subtract(const Region&);
    // this := this ∩ rect
    void intersect(const Rect&);
    // this := this ∩ other
    void intersect(const Region&);
    // Moves every rectangle by (dx, dy).
    void translate(i32 dx, i32 dy);

    // Sets that hold the same pixels (whatever their decomposition).
    bool same_pixels(const Region& other) const;

private:
    // Appends a rectangle known to be disjoint from the others.
    void add_disjoint(const Rect&);

    lib::Vector<Rect> m_rects;
};

} // namespace gui
