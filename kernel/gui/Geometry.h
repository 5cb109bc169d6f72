// Points and rectangles in screen pixels. A Rect is half-open:
// [x, x + width) x [y, y + height); empty when width or height <= 0.
// Arithmetic is done in 64 bits where a sum could overflow, so rectangles
// built from hostile program arguments (negative sizes, huge coordinates)
// clip to empty instead of wrapping around.
#pragma once

#include "lib/Types.h"
#include "lib/Utility.h"

namespace gui {

struct Point {
    i32 x { 0 };
    i32 y { 0 };
    bool operator==(const Point&) const = default;
};

struct Rect {
    i32 x { 0 };
    i32 y { 0 };
    i32 width { 0 };
    i32 height { 0 };

    static Rect from_edges(i64 left, i64 top, i64 right, i64 bottom)
    {
        if (right <= left || bottom <= top)
            return {};
        return { clamp32(left), clamp32(top), clamp32(right - left), clamp32(bottom - top) };
    }

    bool is_empty() const { return width <= 0 || height <= 0; }
    i64 left() const { return x; }
    i64 top() const { return y; }
    i64 right() const { return i64(x) + width; }   // exclusive
    i64 bottom() const { return i64(y) + height; } // exclusive
    i64 area() const { return is_empty() ? 0 : i64(width) * height; }

    bool contains(i32 px, i32 py) const
    {
        return !is_empty() && px >= left() && py >= top() && px < right() && py < bottom();
    }
    bool contains(const Rect& other) const
    {
        return other.is_empty()
            || (!is_empty() && other.left() >= left() && other.top() >= top() && other.right() <= right()
                && other.bottom() <= bottom());
    }
    bool intersects(const Rect& other) const { return !intersected(other).is_empty(); }

    Rect intersected(const Rect& other) const
    {
        if (is_empty() || other.is_empty())
            return {};
        return from_edges(lib::max(left(), other.left()), lib::max(top(), other.top()),
            lib::min(right(), other.right()), lib::min(bottom(), other.bottom()));
    }
    // The smallest rectangle holding both (an empty one does not count).
    Rect united(const Rect& other) const
    {
        if (is_empty())
            return other;
        if (other.is_empty())
            return *this;
        return from_edges(lib::min(left(), other.left()), lib::min(top(), other.top()),
            lib::max(right(), other.right()), lib::max(bottom(), other.bottom()));
    }
    Rect translated(i32 dx, i32 dy) const
    {
        return from_edges(left() + dx, top() + dy, right() + dx, bottom() + dy);
    }

    bool operator==(const Rect&) const = default;

private:
    static i32 clamp32(i64 value)
    {
        constexpr i64 limit = 0x3FFFFFFF; // far beyond any screen, safe to add two
        return static_cast<i32>(value < -limit ? -limit : value > limit ? limit : value);
    }
};

} // namespace gui
