// Window shapes (KolibriOS function 50): which pixels of its frame a
// window occupies. A shape is kept as a region in window coordinates and
// takes part in the restack like a frame does, so clipping, exposure, the
// desktop and hit testing (window_at, function 34) all follow it.
#include "kernel/gui/WindowManager.h"

namespace gui {

namespace {

// A run of nonzero mask bytes in one row: columns [begin, end).
struct Run {
    i32 begin;
    i32 end;
    bool operator==(const Run&) const = default;
};

bool same_runs(const lib::Vector<Run>& a, const lib::Vector<Run>& b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (!(a[i] == b[i]))
            return false;
    }
    return true;
}

// Rectangles the band decomposition of a mask gives: the runs of every
// row that does not repeat the row above.
size_t count_pieces(const u8* mask, i32 columns, i32 rows)
{
    size_t pieces = 0;
    const u8* previous = nullptr;
    for (i32 row = 0; row < rows; ++row) {
        const u8* line = mask + size_t(row) * size_t(columns);
        bool repeated = previous != nullptr;
        for (i32 column = 0; repeated && column < columns; ++column)
            repeated = (line[column] != 0) == (previous[column] != 0);
        previous = line;
        if (repeated)
            continue;
        for (i32 column = 0; column < columns; ++column) {
            if (line[column] && (column == 0 || !line[column - 1]))
                ++pieces;
        }
    }
    return pieces;
}

} // namespace

Region WindowManager::area_on_screen(const Window& window, const Rect& screen) const
{
    Rect frame = window.m_frame.intersected(screen);
    if (!window.m_shaped)
        return Region(frame);
    Region area = window.m_shape.clone();
    area.translate(window.m_frame.x, window.m_frame.y);
    area.intersect(frame);
    return area;
}

bool WindowManager::set_shape(Window& window, const u8* mask, i32 columns, i32 rows, u32 scale)
{
    if (!mask) {
        if (!window.m_shaped)
            return true;
        {
            Atomic atomic(m_listener);
            window.m_shaped = false;
            window.m_shape.clear();
        }
        restack();
        return true;
    }
    if (scale > max_shape_scale || columns < 0 || rows < 0 || u64(columns) * u64(rows) > max_shape_bytes)
        return false;

    // Rows with the same runs form one band; each run of a band becomes
    // one rectangle, so a shape costs in proportion to its outline, not
    // to its area. Counted first, so that a shape with too many pieces
    // is refused before any region work.
    if (count_pieces(mask, columns, rows) > max_shape_pieces)
        return false;
    Region shape;
    size_t pieces = 0;
    bool failed = false;
    lib::Vector<Run> band;
    lib::Vector<Run> current;
    i32 band_top = 0;
    auto flush_band = [&](i32 band_bottom) {
        for (const Run& run : band) {
            if (++pieces > max_shape_pieces) {
                failed = true;
                return;
            }
            shape.add(Rect::from_edges(i64(run.begin) << scale, i64(band_top) << scale, i64(run.end) << scale,
                i64(band_bottom) << scale));
        }
    };
    for (i32 row = 0; row <= rows && !failed; ++row) {
        current.clear();
        if (row < rows) {
            const u8* line = mask + size_t(row) * size_t(columns);
            for (i32 column = 0; column < columns && !failed;) {
                if (!line[column]) {
                    ++column;
                    continue;
                }
                i32 begin = column;
                while (column < columns && line[column])
                    ++column;
                if (current.try_append(Run { begin, column }).is_error())
                    failed = true;
            }
        }
        if (row > 0 && same_runs(current, band))
            continue;
        flush_band(row);
        band.clear();
        for (const Run& run : current) {
            Run copy = run;
            if (band.try_append(lib::move(copy)).is_error())
                failed = true;
        }
        band_top = row;
    }
    if (failed)
        return false;

    if (window.m_shaped && window.m_shape.same_pixels(shape))
        return true;
    {
        Atomic atomic(m_listener);
        window.m_shape = lib::move(shape);
        window.m_shaped = true;
    }
    restack();
    return true;
}

} // namespace gui
