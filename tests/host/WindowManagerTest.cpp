#include <gtest/gtest.h>

#include <vector>

#include "kernel/gui/Decoration.h"
#include "kernel/gui/Panel.h"
#include "kernel/gui/Region.h"
#include "kernel/gui/Skin.h"
#include "kernel/gui/WindowManager.h"

using gui::Button;
using gui::Color;
using gui::Point;
using gui::Rect;
using gui::Region;
using gui::Surface;
using gui::Window;
using gui::WindowDefinition;
using gui::WindowManager;

namespace {

constexpr i32 screen_width = 320;
constexpr i32 screen_height = 240;
constexpr Color guard_color = 0xABCDEF;

// --- Region --------------------------------------------------------------------------

TEST(WindowRegion, SubtractLeavesTheFrameAroundAHole)
{
    Region region(Rect { 0, 0, 100, 100 });
    region.subtract(Rect { 25, 25, 50, 50 });
    EXPECT_EQ(region.area(), 100 * 100 - 50 * 50);
    EXPECT_FALSE(region.contains(30, 30));
    EXPECT_TRUE(region.contains(10, 10));
    EXPECT_TRUE(region.contains(99, 99));
    EXPECT_EQ(region.count(), 4u);
}

TEST(WindowRegion, AddKeepsRectanglesDisjoint)
{
    Region region(Rect { 0, 0, 10, 10 });
    region.add(Rect { 5, 5, 10, 10 });
    EXPECT_EQ(region.area(), 100 + 100 - 25);
    for (size_t i = 0; i < region.count(); ++i) {
        for (size_t j = i + 1; j < region.count(); ++j)
            EXPECT_FALSE(region[i].intersects(region[j]));
    }
    Region same(Rect { 0, 0, 10, 10 });
    same.add(Rect { 10, 5, 5, 10 });
    same.add(Rect { 5, 10, 5, 5 });
    EXPECT_TRUE(region.same_pixels(same));
}

TEST(WindowRegion, IntersectAndTranslate)
{
    Region region(Rect { 0, 0, 10, 10 });
    region.add(Rect { 20, 0, 10, 10 });
    region.intersect(Rect { 5, 0, 20, 5 });
    EXPECT_EQ(region.area(), 5 * 5 + 5 * 5);
    region.translate(100, 100);
    EXPECT_TRUE(region.contains(105, 100));
    EXPECT_FALSE(region.contains(5, 0));
    Region other(Rect { 100, 100, 8, 8 });
    region.intersect(other);
    EXPECT_EQ(region.area(), 3 * 5);
}

TEST(WindowRegion, HostileRectanglesStayEmpty)
{
    Region region(Rect { 0, 0, -5, 10 });
    EXPECT_TRUE(region.is_empty());
    region.add(Rect { 0x3FFFFFF0, 0x3FFFFFF0, 0x3FFFFFFF, 0x3FFFFFFF });
    region.subtract(Rect { -0x3FFFFFFF, -0x3FFFFFFF, 0x3FFFFFFF, 0x3FFFFFFF });
    EXPECT_FALSE(region.is_empty());
    region.intersect(Rect { 0, 0, screen_width, screen_height });
    EXPECT_TRUE(region.is_empty());
}

// --- The window manager -------------------------------------------------------------------

struct Click {
    u32 window;
    u32 id;
    u32 mouse_buttons;
};

class RecordingListener final : public gui::WindowManagerListener {
public:
    void screen_changed(const Rect& rect) override { damaged.add(rect); }
    void window_exposed(Window& window) override { exposed.push_back(window.id()); }
    void button_clicked(Window& window, u32 id, u32 mouse_buttons) override
    {
        clicks.push_back({ window.id(), id, mouse_buttons });
    }
    void paint_kernel_window(Window& window, const Rect& clip) override
    {
        if (panel)
            panel->paint(window, clip);
    }
    void kernel_window_mouse(Window& window, Point position, u32 buttons, u32 previous) override
    {
        if (!panel)
            return;
        i32 chosen = panel->mouse(window, position, buttons, previous);
        if (chosen >= 0)
            launched.push_back(chosen);
    }
    void pointer_pressed(Point position, Window* target) override
    {
        if (panel)
            panel->pointer_pressed(position, target);
    }
    void windows_changed() override
    {
        ++changes;
        if (panel)
            panel->windows_changed();
    }

    size_t exposures_of(const Window& window) const
    {
        size_t count = 0;
        for (u32 id : exposed)
            count += id == window.id();
        return count;
    }

    Region damaged;
    std::vector<u32> exposed;
    std::vector<Click> clicks;
    std::vector<i32> launched;
    int changes { 0 };
    gui::Panel* panel { nullptr };
};

class WindowManagerTest : public ::testing::Test {
protected:
    static constexpr i32 guard = 8;

    WindowManagerTest()
        : m_stride(screen_width + 2 * guard)
        , m_pixels(size_t(m_stride) * (screen_height + 2 * guard), guard_color)
        , m_surface(&m_pixels[guard * m_stride + guard], screen_width, screen_height, m_stride)
        , wm(m_surface, listener)
    {
        wm.repaint_everything();
    }

    Color at(i32 x, i32 y) const { return m_pixels[size_t(y + guard) * m_stride + x + guard]; }
    Surface& surface() { return m_surface; }

    bool guard_intact() const
    {
        for (i32 y = -guard; y < screen_height + guard; ++y) {
            for (i32 x = -guard; x < screen_width + guard; ++x) {
                bool inside = x >= 0 && y >= 0 && x < screen_width && y < screen_height;
                if (!inside && at(x, y) != guard_color)
                    return false;
            }
        }
        return true;
    }

    static WindowDefinition definition(Rect frame, u8 style = gui::StyleSkinned, Color work = 0xE0E0E0)
    {
        WindowDefinition result;
        result.frame = frame;
        result.style = style;
        result.work_color = work;
        result.header_color = 0x406080;
        result.header_register = 0x406080;
        result.frame_color = 0x202020;
        return result;
    }

    Window* open(Rect frame, u8 style = gui::StyleSkinned, Color work = 0xE0E0E0, bool client_relative = false)
    {
        WindowDefinition d = definition(frame, style, work);
        d.client_relative = client_relative;
        Window* window = wm.create_window(next_owner++, d);
        EXPECT_NE(window, nullptr);
        wm.paint_window(*window);
        return window;
    }

    void click(Point point, u32 buttons = 1)
    {
        wm.pointer_set(point, 0);
        wm.pointer_set(point, buttons);
        wm.pointer_set(point, 0);
    }

    Color desktop_at(i32 x, i32 y)
    {
        std::vector<u32> pixels(size_t(screen_width) * screen_height, 0);
        Surface reference(pixels.data(), screen_width, screen_height, screen_width);
        gui::paint_desktop(reference, reference.bounds());
        return reference.pixel(x, y);
    }

    i32 m_stride;
    std::vector<u32> m_pixels;
    Surface m_surface;
    RecordingListener listener;
    WindowManager wm;
    u32 next_owner { 100 };
};

TEST_F(WindowManagerTest, NewWindowIsActiveOnTopAndFullyVisible)
{
    Window* a = open({ 10, 10, 100, 80 });
    EXPECT_EQ(wm.active(), a);
    EXPECT_EQ(wm.depth_of(*a), 0);
    EXPECT_TRUE(a->visible().same_pixels(Region(Rect { 10, 10, 100, 80 })));
    EXPECT_EQ(listener.exposures_of(*a), 0u) << "the creator paints a new window itself";
    Window* b = open({ 50, 40, 100, 80 });
    EXPECT_EQ(wm.active(), b);
    EXPECT_EQ(wm.depth_of(*b), 1);
    EXPECT_TRUE(guard_intact());
}

TEST_F(WindowManagerTest, AThreadsLateFirstWindowGoesBelowNewerThreads)
{
    // KolibriOS places a thread in the window stack when it is made: a
    // window that an older thread draws after a newer thread's goes below
    // it, and the newer one stays active. Owners are thread ids.
    Window* newer = wm.create_window(20, definition({ 10, 10, 100, 80 }));
    Window* older = wm.create_window(10, definition({ 50, 40, 100, 80 }));
    ASSERT_NE(newer, nullptr);
    ASSERT_NE(older, nullptr);
    EXPECT_EQ(wm.depth_of(*older), 0);
    EXPECT_EQ(wm.depth_of(*newer), 1);
    EXPECT_EQ(wm.active(), newer);
    Region expected(Rect { 50, 40, 100, 80 });
    expected.subtract(Rect { 10, 10, 100, 80 });
    EXPECT_TRUE(older->visible().same_pixels(expected));
    // A still newer thread's window goes on top and becomes active.
    Window* newest = wm.create_window(30, definition({ 200, 200, 50, 50 }));
    ASSERT_NE(newest, nullptr);
    EXPECT_EQ(wm.depth_of(*newest), 2);
    EXPECT_EQ(wm.active(), newest);
    EXPECT_TRUE(guard_intact());
}

TEST_F(WindowManagerTest, OverlappedWindowSeesOnlyItsUncoveredPart)
{
    Window* a = open({ 10, 10, 100, 80 });
    Window* b = open({ 50, 40, 100, 80 });
    Region expected(Rect { 10, 10, 100, 80 });
    expected.subtract(Rect { 50, 40, 100, 80 });
    EXPECT_TRUE(a->visible().same_pixels(expected));
    EXPECT_EQ(b->visible().area(), 100 * 80);
    Region desktop(Rect { 0, 0, screen_width, screen_height });
    desktop.subtract(Rect { 10, 10, 100, 80 });
    desktop.subtract(Rect { 50, 40, 100, 80 });
    EXPECT_TRUE(wm.desktop_visible().same_pixels(desktop));
}

TEST_F(WindowManagerTest, DrawingIsClippedToTheVisiblePart)
{
    Window* a = open({ 10, 10, 100, 80 }, gui::StyleBare);
    Window* b = open({ 50, 40, 100, 80 }, gui::StyleBare);
    wm.fill_rect(*b, { 0, 0, 100, 80 }, 0x0000FF);
    // A paints everything it can, and far beyond its frame.
    wm.fill_rect(*a, { -1000, -1000, 5000, 5000 }, 0xFF0000);
    EXPECT_EQ(at(10, 10), 0xFF0000u);
    EXPECT_EQ(at(49, 39), 0xFF0000u);
    EXPECT_EQ(at(50, 40), 0x0000FFu) << "A drew over B";
    EXPECT_EQ(at(109, 89), 0x0000FFu);
    EXPECT_EQ(at(9, 9), desktop_at(9, 9)) << "A drew outside its frame";
    EXPECT_EQ(at(110, 20), desktop_at(110, 20));
    wm.draw_line(*a, -30000, -30000, 30000, 30000, 0x00FF00, false);
    wm.put_pixel(*a, 0x3FFFFFFF, 0x3FFFFFFF, 0xFFFFFF, false);
    std::vector<u32> image(64, 0x123456);
    wm.blit(*a, 95, 24, image.data(), 8, 8, 8);
    EXPECT_EQ(at(105, 34), 0x123456u);
    EXPECT_EQ(at(110, 34), desktop_at(110, 34)) << "the image left A's frame";
    EXPECT_EQ(at(105, 40), 0x0000FFu) << "the image leaked into B";
    EXPECT_TRUE(guard_intact());
}

TEST_F(WindowManagerTest, ClientRelativeOriginFollowsTheStyle)
{
    Window* skinned = open({ 20, 20, 120, 100 }, gui::StyleSkinned, 0xE0E0E0, true);
    EXPECT_EQ(skinned->origin(), (Point { 20 + gui::skin::border, 20 + gui::skin::height }));
    wm.put_pixel(*skinned, 0, 0, 0x112233, false);
    EXPECT_EQ(at(20 + gui::skin::border, 20 + gui::skin::height), 0x112233u);
    Window* plain = open({ 160, 20, 120, 100 }, gui::StyleSkinned, 0xE0E0E0, false);
    EXPECT_EQ(plain->origin(), (Point { 160, 20 }));
    Window* type1 = open({ 20, 130, 100, 100 }, gui::StyleFixed, 0xE0E0E0, true);
    EXPECT_EQ(type1->origin(), (Point { 21, 151 }));
    Window* type2 = open({ 160, 130, 100, 100 }, gui::StyleSizable, 0xE0E0E0, true);
    EXPECT_EQ(type2->origin(), (Point { 165, 150 }));
}

TEST_F(WindowManagerTest, DecorationsFollowTheReference)
{
    // Type I: 1-pixel frame in EDI's colour, work area from (1, 21).
    Window* type1 = open({ 10, 10, 100, 80 }, gui::StyleFixed, 0x00C000);
    EXPECT_EQ(at(10, 10), 0x202020u);
    EXPECT_EQ(at(109, 89), 0x202020u);
    EXPECT_EQ(at(11, 31), 0x00C000u);
    EXPECT_EQ(at(108, 88), 0x00C000u);
    EXPECT_EQ(at(11, 11), 0x406080u) << "header colour";
    EXPECT_EQ(at(11, 30), 0x406080u) << "header rows 1-20";
    (void)type1;
    // Type I with ESI bit 31: each header line is 0x040404 darker, the
    // first one already (drawwindow_I_caption).
    WindowDefinition shaded = definition({ 10, 100, 100, 80 }, gui::StyleFixed, 0x00C000);
    shaded.header_register = 0x80406080;
    Window* gradient = wm.create_window(1, shaded);
    wm.paint_window(*gradient);
    // 0x80406080 - 17 * 0x040404 = 0x7FFC1C3C: the borrow clears bit 31,
    // so lines 18-20 keep line 17's colour.
    for (u32 line = 1; line <= 20; ++line) {
        u32 steps = lib::min(line, 17u);
        EXPECT_EQ(at(11, 100 + i32(line)), (0x80406080u - steps * 0x040404u) & 0xFFFFFFu) << "line " << line;
    }
    // Skinned: work area from (5, skin height) to (xsize - 5, ysize - 5).
    Window* skinned = open({ 150, 10, 120, 100 }, gui::StyleSkinned, 0x00C000);
    EXPECT_EQ(at(150 + 5, 10 + gui::skin::height), 0x00C000u);
    EXPECT_EQ(at(150 + 114, 10 + 94), 0x00C000u);
    EXPECT_NE(at(150 + 4, 10 + gui::skin::height), 0x00C000u);
    EXPECT_NE(at(150 + 115, 10 + 95), 0x00C000u);
    // The header is the active gradient's colour at its top.
    EXPECT_EQ(at(150 + 40, 10), gui::skin::active.outer);
    EXPECT_EQ(at(150 + 40, 12), gui::mix(gui::skin::active.top, gui::skin::active.bottom, 2, gui::skin::height - 1));
    // Close and minimize buttons were defined by painting the window.
    ASSERT_EQ(skinned->buttons().size(), 2u);
    EXPECT_NE(wm.button_at(*skinned, { 120 - 10, 8 }), nullptr);
    EXPECT_EQ(wm.button_at(*skinned, { 120 - 10, 8 })->id, gui::skin::close_button_id);
    // Painting again does not define them twice.
    wm.paint_window(*skinned);
    EXPECT_EQ(skinned->buttons().size(), 2u);
}

TEST_F(WindowManagerTest, ActivationRaisesAndExposesTheCoveredPart)
{
    Window* a = open({ 10, 10, 100, 80 });
    Window* b = open({ 50, 40, 100, 80 });
    listener.exposed.clear();
    wm.activate(*a);
    EXPECT_EQ(wm.active(), a);
    EXPECT_EQ(wm.depth_of(*a), 1);
    EXPECT_EQ(a->visible().area(), 100 * 80);
    EXPECT_EQ(listener.exposures_of(*a), 1u);
    EXPECT_EQ(listener.exposures_of(*b), 0u) << "B lost pixels, it gained none";
    Region expected(Rect { 50, 40, 100, 80 });
    expected.subtract(Rect { 10, 10, 100, 80 });
    EXPECT_TRUE(b->visible().same_pixels(expected));
    // Activating the active window changes nothing.
    listener.exposed.clear();
    wm.activate(*a);
    EXPECT_TRUE(listener.exposed.empty());
}

TEST_F(WindowManagerTest, MovingExposesExactlyWhatWasUncovered)
{
    Window* a = open({ 10, 10, 100, 80 }, gui::StyleBare);
    Window* b = open({ 50, 40, 100, 80 }, gui::StyleBare);
    wm.fill_rect(*b, { 0, 0, 100, 80 }, 0x0000FF);
    wm.put_pixel(*b, 3, 4, 0xFF00FF, false);
    listener.exposed.clear();
    Region a_before = a->visible().clone();
    wm.set_frame(*b, { 150, 120, 100, 80 });
    EXPECT_EQ(listener.exposures_of(*a), 1u);
    EXPECT_EQ(listener.exposures_of(*b), 0u) << "B's pixels moved with it";
    EXPECT_EQ(at(153, 124), 0xFF00FFu) << "the content did not move along";
    EXPECT_EQ(at(150, 120), 0x0000FFu);
    EXPECT_EQ(a->visible().area(), 100 * 80);
    // The uncovered desktop was repainted.
    EXPECT_EQ(at(140, 100), desktop_at(140, 100));
    EXPECT_EQ(at(60, 100), desktop_at(60, 100));
    Region gained = a->visible().clone();
    gained.subtract(a_before);
    Region expected(Rect { 50, 40, 60, 50 });
    EXPECT_TRUE(gained.same_pixels(expected));
}

TEST_F(WindowManagerTest, MovingOffScreenAndBackExposesTheMovedWindow)
{
    Window* b = open({ 50, 40, 100, 80 }, gui::StyleBare);
    listener.exposed.clear();
    wm.set_frame(*b, { 280, 40, 100, 80 });
    EXPECT_EQ(listener.exposures_of(*b), 0u);
    EXPECT_EQ(b->visible().area(), 40 * 80);
    wm.set_frame(*b, { 50, 40, 100, 80 });
    EXPECT_EQ(listener.exposures_of(*b), 1u) << "the part that was off screen needs drawing";
    EXPECT_TRUE(guard_intact());
}

TEST_F(WindowManagerTest, ResizingExposesTheWholeWindow)
{
    Window* b = open({ 50, 40, 100, 80 });
    listener.exposed.clear();
    wm.set_frame(*b, { 50, 40, 150, 90 });
    EXPECT_EQ(listener.exposures_of(*b), 1u);
    // The close button follows the right edge.
    EXPECT_EQ(wm.button_at(*b, { 150 - 10, 8 })->id, gui::skin::close_button_id);
}

TEST_F(WindowManagerTest, DestroyingExposesWhatWasBelow)
{
    Window* a = open({ 10, 10, 100, 80 });
    Window* b = open({ 50, 40, 100, 80 });
    listener.exposed.clear();
    wm.destroy_window(b);
    EXPECT_EQ(listener.exposures_of(*a), 1u);
    EXPECT_EQ(wm.active(), a);
    EXPECT_EQ(wm.window_count(), 1u);
    EXPECT_EQ(at(140, 110), desktop_at(140, 110));
    EXPECT_EQ(a->visible().area(), 100 * 80);
}

TEST_F(WindowManagerTest, HitTestingFindsTheTopmostVisibleWindow)
{
    Window* a = open({ 10, 10, 100, 80 });
    Window* b = open({ 50, 40, 100, 80 });
    EXPECT_EQ(wm.window_at({ 60, 50 }), b);
    EXPECT_EQ(wm.window_at({ 20, 20 }), a);
    EXPECT_EQ(wm.window_at({ 300, 230 }), nullptr);
    wm.minimize(*b);
    EXPECT_EQ(wm.window_at({ 60, 50 }), a);
    EXPECT_EQ(wm.active(), a);
    EXPECT_TRUE(b->visible().is_empty());
}

TEST_F(WindowManagerTest, ClickingAWindowActivatesIt)
{
    Window* a = open({ 10, 10, 100, 80 });
    Window* b = open({ 50, 40, 100, 80 });
    click({ 20, 60 });
    EXPECT_EQ(wm.active(), a);
    EXPECT_EQ(wm.depth_of(*a), 1);
    click({ 140, 110 });
    EXPECT_EQ(wm.active(), b);
    EXPECT_TRUE(listener.clicks.empty());
}

TEST_F(WindowManagerTest, ButtonsReportAReleaseInside)
{
    Window* a = open({ 10, 10, 200, 150 });
    Button button;
    button.id = 0x123456;
    button.rect = { 20, 40, 50, 20 };
    button.color = 0x3060C0;
    ASSERT_TRUE(wm.add_button(*a, button));
    EXPECT_EQ(at(10 + 20, 10 + 40), gui::mix(0x3060C0, 0, 3, 8)) << "the button's edge was drawn";
    click({ 10 + 30, 10 + 50 });
    ASSERT_EQ(listener.clicks.size(), 1u);
    EXPECT_EQ(listener.clicks[0].id, 0x123456u);
    EXPECT_EQ(listener.clicks[0].window, a->id());
    EXPECT_EQ(listener.clicks[0].mouse_buttons, 1u);
    // Right button: reported with its bit.
    click({ 10 + 30, 10 + 50 }, 2);
    ASSERT_EQ(listener.clicks.size(), 2u);
    EXPECT_EQ(listener.clicks[1].mouse_buttons, 2u);
    // Pressed inside, released outside: nothing.
    wm.pointer_set({ 40, 60 }, 1);
    EXPECT_NE(at(10 + 20, 10 + 40), gui::mix(0x3060C0, 0, 3, 8)) << "the press frame is inverted";
    wm.pointer_set({ 150, 150 }, 1);
    wm.pointer_set({ 150, 150 }, 0);
    EXPECT_EQ(listener.clicks.size(), 2u);
    EXPECT_EQ(at(10 + 20, 10 + 40), gui::mix(0x3060C0, 0, 3, 8)) << "the press frame was not restored";
}

TEST_F(WindowManagerTest, LaterButtonsWinAndRemovalTakesAllWithTheId)
{
    Window* a = open({ 10, 10, 200, 150 });
    Button first { 5, { 20, 40, 50, 20 }, 0x808080, true, true, false };
    Button second { 6, { 40, 50, 50, 20 }, 0x808080, false, true, false };
    Button again { 5, { 100, 100, 10, 10 }, 0x808080, true, true, false };
    wm.add_button(*a, first);
    wm.add_button(*a, second);
    wm.add_button(*a, again);
    EXPECT_EQ(wm.button_at(*a, { 45, 55 })->id, 6u);
    EXPECT_EQ(wm.button_at(*a, { 25, 45 })->id, 5u);
    wm.remove_buttons(*a, 5);
    EXPECT_EQ(wm.button_at(*a, { 25, 45 }), nullptr);
    EXPECT_EQ(wm.button_at(*a, { 105, 105 }), nullptr);
    EXPECT_EQ(wm.button_at(*a, { 45, 55 })->id, 6u);
    wm.clear_buttons(*a);
    EXPECT_TRUE(a->buttons().is_empty());
    Button empty { 7, { 10, 10, 0, 5 }, 0, true, true, false };
    EXPECT_FALSE(wm.add_button(*a, empty));
}

TEST_F(WindowManagerTest, CloseIsReportedMinimizeIsNot)
{
    Window* a = open({ 10, 10, 100, 80 });
    Window* b = open({ 150, 10, 120, 100 });
    const Button* close = wm.button_at(*b, { 120 - 10, 8 });
    ASSERT_NE(close, nullptr);
    Rect close_rect = close->rect.translated(150, 10);
    click({ close_rect.x + 5, close_rect.y + 5 });
    ASSERT_EQ(listener.clicks.size(), 1u);
    EXPECT_EQ(listener.clicks[0].id, gui::skin::close_button_id);
    const Button* minimize = wm.button_at(*b, { 120 - 35, 8 });
    ASSERT_NE(minimize, nullptr);
    EXPECT_EQ(minimize->id, gui::skin::minimize_button_id);
    Rect minimize_rect = minimize->rect.translated(150, 10);
    click({ minimize_rect.x + 5, minimize_rect.y + 5 });
    EXPECT_EQ(listener.clicks.size(), 1u);
    EXPECT_TRUE(b->is_minimized());
    EXPECT_EQ(wm.active(), a);
    EXPECT_EQ(at(200, 80), desktop_at(200, 80));
    // Activation brings it back, exposed.
    listener.exposed.clear();
    wm.activate(*b);
    EXPECT_FALSE(b->is_minimized());
    EXPECT_EQ(listener.exposures_of(*b), 1u);
}

TEST_F(WindowManagerTest, DraggingTheCaptionMovesTheWindow)
{
    Window* a = open({ 10, 10, 100, 80 });
    wm.pointer_set({ 40, 15 }, 0);
    wm.pointer_set({ 40, 15 }, 1);
    EXPECT_TRUE(wm.is_dragging());
    wm.pointer_moved(30, 20, 1);
    wm.pointer_moved(10, 5, 1);
    wm.pointer_set(wm.pointer(), 0);
    EXPECT_FALSE(wm.is_dragging());
    EXPECT_EQ(a->frame(), (Rect { 50, 35, 100, 80 }));
    EXPECT_EQ(at(20, 20), desktop_at(20, 20));
    // Not by the work area.
    wm.pointer_set({ 80, 100 }, 1);
    wm.pointer_moved(30, 20, 1);
    wm.pointer_set(wm.pointer(), 0);
    EXPECT_EQ(a->frame(), (Rect { 50, 35, 100, 80 }));
    // The header cannot be dragged above the screen.
    wm.pointer_set({ 70, 40 }, 0);
    wm.pointer_set({ 70, 40 }, 1);
    wm.pointer_moved(0, -500, 1);
    wm.pointer_set(wm.pointer(), 0);
    EXPECT_EQ(a->frame().y, 0);
    EXPECT_TRUE(guard_intact());
}

TEST_F(WindowManagerTest, UnmovableAndBareWindowsStay)
{
    WindowDefinition fixed = definition({ 10, 10, 100, 80 }, gui::StyleFixed);
    fixed.unmovable = true;
    Window* a = wm.create_window(1, fixed);
    wm.paint_window(*a);
    wm.pointer_set({ 40, 15 }, 1);
    wm.pointer_moved(50, 50, 1);
    wm.pointer_set(wm.pointer(), 0);
    EXPECT_EQ(a->frame().x, 10);
    Window* bare = open({ 150, 10, 100, 80 }, gui::StyleBare);
    wm.pointer_set({ 160, 12 }, 1);
    wm.pointer_moved(20, 20, 1);
    wm.pointer_set(wm.pointer(), 0);
    EXPECT_EQ(bare->frame().x, 150);
}

TEST_F(WindowManagerTest, WindowsAreFittedToTheScreen)
{
    // As window._.check_window_position (gui/window.inc): too wide
    // becomes the screen's width and then starts at 0; running off the
    // bottom moves the window up until its last row is the screen's.
    Window* wide = open({ 300, 10, 500, 50 });
    EXPECT_EQ(wide->frame(), (Rect { 0, 10, screen_width, 50 }));
    Window* low = open({ 10, 200, 50, 100 });
    EXPECT_EQ(low->frame(), (Rect { 10, screen_height - 100, 50, 100 }));
    Window* left = open({ -20, 10, 50, 50 });
    EXPECT_EQ(left->frame(), (Rect { 0, 10, 50, 50 }));
    Window* fits = open({ 270, 190, 50, 50 });
    EXPECT_EQ(fits->frame(), (Rect { 270, 190, 50, 50 }));
}

TEST(WindowDefinition, DecodesFunctionZero)
{
    WindowDefinition d;
    EXPECT_TRUE(gui::decode_window_definition(100 << 16 | 399, 80 << 16 | 259, 0x33E9EDF2, 0x01406080, 0x202020, d));
    EXPECT_EQ(d.frame, (Rect { 100, 80, 400, 260 }));
    EXPECT_EQ(d.style, gui::StyleSkinned);
    EXPECT_TRUE(d.has_caption);
    EXPECT_TRUE(d.client_relative);
    EXPECT_FALSE(d.no_fill);
    EXPECT_FALSE(d.gradient_fill);
    EXPECT_EQ(d.work_color, 0xE9EDF2u);
    EXPECT_TRUE(d.unmovable);
    EXPECT_FALSE(gui::decode_window_definition(0, 0, 0x05000000, 0, 0, d)) << "styles 5-15 are reserved";
}

// --- The panel -----------------------------------------------------------------------------

class PanelTest : public WindowManagerTest {
protected:
    PanelTest()
        : panel(wm)
    {
        listener.panel = &panel;
        panel.add_program("zeta");
        panel.add_program("alpha");
        panel.add_program("mid");
        EXPECT_TRUE(panel.create());
    }

    Point on_bar(Rect local) const
    {
        Rect bar = panel.bar()->frame();
        return { bar.x + local.x + local.width / 2, bar.y + local.y + local.height / 2 };
    }

    gui::Panel panel;
};

TEST_F(PanelTest, TheBarKeepsWindowsOut)
{
    EXPECT_EQ(wm.working_area(), (Rect { 0, 0, screen_width, screen_height - gui::skin::panel_height }));
    Window* a = open({ 10, 150, 100, 80 });
    EXPECT_EQ(a->visible().area(), 100 * (screen_height - gui::skin::panel_height - 150));
    EXPECT_EQ(wm.window_at({ 20, screen_height - 5 }), panel.bar());
    EXPECT_EQ(std::string(panel.program_name(0)), "alpha") << "programs are sorted";
    EXPECT_EQ(std::string(panel.program_name(2)), "zeta");
}

TEST_F(PanelTest, HidesForAProgramsWorkingAreaAndComesBack)
{
    Window* a = open({ 10, 150, 100, 80 });
    click(on_bar(panel.menu_button_rect()));
    ASSERT_NE(panel.menu(), nullptr);
    // A taskbar's 48.6: the whole screen is the working area; the panel
    // goes away, menu and all, and the window below shows where it was.
    wm.set_working_area({ 0, 0, screen_width, screen_height });
    panel.hide();
    EXPECT_TRUE(panel.hidden());
    EXPECT_EQ(panel.bar(), nullptr);
    EXPECT_EQ(panel.menu(), nullptr);
    EXPECT_EQ(wm.working_area(), (Rect { 0, 0, screen_width, screen_height })) << "hiding keeps the program's area";
    EXPECT_EQ(a->visible().area(), 100 * 80);
    EXPECT_EQ(wm.window_at({ 20, screen_height - 5 }), nullptr);
    panel.hide(); // twice is harmless
    EXPECT_TRUE(panel.show());
    EXPECT_FALSE(panel.hidden());
    ASSERT_NE(panel.bar(), nullptr);
    EXPECT_EQ(wm.working_area(), panel.own_working_area());
    EXPECT_EQ(wm.window_at({ 20, screen_height - 5 }), panel.bar());
    EXPECT_EQ(a->visible().area(), 100 * (screen_height - gui::skin::panel_height - 150));
    EXPECT_TRUE(panel.show()) << "showing a shown panel changes nothing";
    EXPECT_EQ(wm.window_count(), 2u);
}

TEST_F(WindowManagerTest, WindowsOffTheScreenAreMovedBack)
{
    Window* a = open({ 10, 10, 100, 80 });
    wm.set_frame(*a, { screen_width - 40, screen_height - 20, 100, 80 });
    Window* b = open({ 0, 0, 50, 50 });
    wm.set_frame(*b, { 5, 6, screen_width + 30, 50 });
    wm.keep_windows_on_screen();
    EXPECT_EQ(a->frame(), (Rect { screen_width - 100, screen_height - 80, 100, 80 }));
    EXPECT_EQ(b->frame(), (Rect { 0, 6, screen_width, 50 }));
    Window* c = open({ 30, 40, 50, 60 });
    wm.keep_windows_on_screen();
    EXPECT_EQ(c->frame(), (Rect { 30, 40, 50, 60 })) << "a window on the screen stays where it is";
}

TEST_F(PanelTest, ServicesNamedWithAnAtGetNoButton)
{
    Window* program = open({ 10, 10, 100, 80 });
    Window* service = wm.create_window(next_owner++, definition({ 50, 40, 100, 80 }, gui::StyleSkinned, 0xE0E0E0),
        gui::WindowLayer::Normal, "@MENU");
    ASSERT_NE(service, nullptr);
    EXPECT_FALSE(panel.task_button_rect(*program).is_empty());
    EXPECT_TRUE(panel.task_button_rect(*service).is_empty());
}

TEST_F(PanelTest, TaskButtonsActivateAndMinimize)
{
    Window* a = open({ 10, 10, 100, 80 });
    Window* b = open({ 50, 40, 100, 80 });
    Rect a_button = panel.task_button_rect(*a);
    Rect b_button = panel.task_button_rect(*b);
    ASSERT_FALSE(a_button.is_empty());
    EXPECT_LT(a_button.x, b_button.x) << "in creation order";
    click(on_bar(a_button));
    EXPECT_EQ(wm.active(), a);
    click(on_bar(a_button));
    EXPECT_TRUE(a->is_minimized()) << "clicking the active window's button minimizes it";
    EXPECT_EQ(wm.active(), b);
    click(on_bar(a_button));
    EXPECT_FALSE(a->is_minimized());
    EXPECT_EQ(wm.active(), a);
}

TEST_F(PanelTest, TheMenuStartsPrograms)
{
    click(on_bar(panel.menu_button_rect()));
    ASSERT_NE(panel.menu(), nullptr);
    Rect menu = panel.menu()->frame();
    Rect item = panel.menu_item_rect(1).translated(menu.x, menu.y);
    click({ item.x + 5, item.y + 5 });
    ASSERT_EQ(listener.launched.size(), 1u);
    EXPECT_EQ(listener.launched[0], 1);
    EXPECT_EQ(panel.menu(), nullptr) << "choosing closes the menu";
    // A click elsewhere closes it too.
    click(on_bar(panel.menu_button_rect()));
    ASSERT_NE(panel.menu(), nullptr);
    click({ 200, 20 });
    EXPECT_EQ(panel.menu(), nullptr);
    EXPECT_EQ(listener.launched.size(), 1u);
    EXPECT_TRUE(guard_intact());
}

} // namespace

namespace {

TEST_F(WindowManagerTest, RecoveryRepaintsAndExposesEverything)
{
    Window* a = open({ 10, 10, 100, 80 });
    Window* b = open({ 50, 40, 100, 80 });
    wm.pointer_set({ 60, 45 }, 1); // a drag in progress
    EXPECT_TRUE(wm.is_dragging());
    surface().fill_rect(surface().bounds(), 0x000000, surface().bounds());
    listener.exposed.clear();
    wm.recover();
    EXPECT_FALSE(wm.is_dragging());
    EXPECT_EQ(listener.exposures_of(*a), 1u);
    EXPECT_EQ(listener.exposures_of(*b), 1u);
    EXPECT_EQ(at(300, 200), desktop_at(300, 200));
    EXPECT_EQ(at(50, 40), gui::skin::active.outer);
    EXPECT_TRUE(guard_intact());
}

} // namespace

namespace {

TEST_F(WindowManagerTest, SizableWindowsResizeByTheirFrame)
{
    Window* a = open({ 10, 10, 150, 100 }, gui::StyleSkinned);
    listener.exposed.clear();
    // The bottom-right corner.
    wm.pointer_set({ 10 + 148, 10 + 98 }, 0);
    wm.pointer_set({ 10 + 148, 10 + 98 }, 1);
    wm.pointer_moved(40, 30, 1);
    wm.pointer_set(wm.pointer(), 0);
    EXPECT_EQ(a->frame(), (Rect { 10, 10, 190, 130 }));
    EXPECT_GE(listener.exposures_of(*a), 1u) << "a resized window is drawn again";
    EXPECT_EQ(wm.button_at(*a, { 190 - 10, 8 })->id, gui::skin::close_button_id);
    // The left edge, not below the minimum width.
    wm.pointer_set({ 11, 60 }, 1);
    wm.pointer_moved(500, 0, 1);
    wm.pointer_set(wm.pointer(), 0);
    EXPECT_EQ(a->frame().width, gui::min_resized_width);
    EXPECT_EQ(a->frame().right(), 10 + 190);
    // Fixed styles do not resize.
    Window* fixed = open({ 200, 150, 100, 60 }, gui::StyleSkinnedFixed);
    wm.pointer_set({ 200 + 99, 150 + 59 }, 1);
    wm.pointer_moved(10, 10, 1);
    wm.pointer_set(wm.pointer(), 0);
    EXPECT_EQ(fixed->frame(), (Rect { 200, 150, 100, 60 }));
    EXPECT_TRUE(guard_intact());
}

} // namespace
