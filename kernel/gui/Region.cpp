#include "kernel/gui/Region.h"

namespace gui {

namespace {

// The up to four pieces of `rect` outside `hole` (a horizontal band above,
// one below, and the left and right parts of the band in between).
// Returns how many were written to `out`.
int subtract_rect(const Rect& rect, const Rect& hole, Rect out[4])
{
    Rect cut = rect.intersected(hole);
    if (cut.is_empty()) {
        out[0] = rect;
        return 1;
    }
    int count = 0;
    auto emit = [&](i64 left, i64 top, i64 right, i64 bottom) {
        Rect piece = Rect::from_edges(left, top, right, bottom);
        if (!piece.is_empty())
            out[count++] = piece;
    };
    emit(rect.left(), rect.top(), rect.right(), cut.top());
    emit(rect.left(), cut.bottom(), rect.right(), rect.bottom());
    emit(rect.left(), cut.top(), cut.left(), cut.bottom());
    emit(cut.right(), cut.top(), rect.right(), cut.bottom());
    return count;
}

} // namespace

i64 Region::area() const
{
    i64 total = 0;
    for (const Rect& rect : m_rects)
        total += rect.area();
    return total;
}

Rect Region::bounding_rect() const
{
    Rect bounds;
    for (const Rect& rect : m_rects)
        bounds = bounds.united(rect);
    return bounds;
}

bool Region::contains(i32 x, i32 y) const
{
    for (const Rect& rect : m_rects) {
        if (rect.contains(x, y))
            return true;
    }
    return false;
}

Region Region::clone() const
{
    Region copy;
    for (const Rect& rect : m_rects)
        copy.add_disjoint(rect);
    return copy;
}

void Region::add_disjoint(const Rect& rect)
{
    if (rect.is_empty())
        return;
    Rect copy = rect;
    (void)m_rects.try_append(lib::move(copy));
}

void Region::add(const Rect& rect)
{
    if (rect.is_empty())
        return;
    // Keep the rectangles disjoint: what is already covered goes out of the
    // new rectangle, not the other way round, so the list only grows by
    // the pieces of `rect`.
    Region pieces(rect);
    for (const Rect& existing : m_rects)
        pieces.subtract(existing);
    for (const Rect& piece : pieces)
        add_disjoint(piece);
}

void Region::add(const Region& other)
{
    for (const Rect& rect : other)
        add(rect);
}

void Region::subtract(const Rect& hole)
{
    if (hole.is_empty() || m_rects.is_empty())
        return;
    Region result;
    for (const Rect& rect : m_rects) {
        Rect pieces[4];
        int count = subtract_rect(rect, hole, pieces);
        for (int i = 0; i < count; ++i)
            result.add_disjoint(pieces[i]);
    }
    *this = lib::move(result);
}

void Region::subtract(const Region& other)
{
    for (const Rect& hole : other) {
        if (is_empty())
            return;
        subtract(hole);
    }
}

void Region::intersect(const Rect& rect)
{
    Region result;
    for (const Rect& existing : m_rects)
        result.add_disjoint(existing.intersected(rect));
    *this = lib::move(result);
}

void Region::intersect(const Region& other)
{
    Region result;
    for (const Rect& mine : m_rects) {
        for (const Rect& theirs : other)
            result.add_disjoint(mine.intersected(theirs));
    }
    *this = lib::move(result);
}

void Region::translate(i32 dx, i32 dy)
{
    Region result;
    for (const Rect& rect : m_rects)
        result.add_disjoint(rect.translated(dx, dy));
    *this = lib::move(result);
}

bool Region::same_pixels(const Region& other) const
{
    if (area() != other.area())
        return false;
    Region rest = clone();
    rest.subtract(other);
    return rest.is_empty();
}

} // namespace gui
