// Window shapes (KolibriOS function 50) in the window manager: the shape
// decides what is the window for drawing, the desktop and the mouse.
#include <gtest/gtest.h>

#include <vector>

#include "kernel/gui/Decoration.h"
#include "kernel/gui/WindowManager.h"

using gui::Color;
using gui::Point;
using gui::Rect;
using gui::Region;
using gui::Surface;
using gui::Window;
using gui::WindowDefinition;
using gui::WindowManager;

namespace {

constexpr i32 screen_width = 200;
constexpr i32 screen_height = 150;

class Listener final : public gui::WindowManagerListener {
public:
    void window_exposed(Window& window) override { exposed.push_back(window.id()); }
    void window_defining(Window& window) override { defined.push_back(window.id()); }
    std::vector<u32> exposed;
    std::vector<u32> defined;
};

class WindowShapeTest : public ::testing::Test {
protected:
    WindowShapeTest()
        : m_pixels(size_t(screen_width) * screen_height, 0)
        , m_surface(m_pixels.data(), screen_width, screen_height, screen_width)
        , wm(m_surface, listener)
    {
        wm.repaint_everything();
    }

    // A style-1 window (nothing drawn by the system) of `size` x `size`.
    Window* open(i32 x, i32 y, i32 size)
    {
        WindowDefinition definition;
        definition.frame = { x, y, size, size };
        definition.style = gui::StyleBare;
        Window* window = wm.create_window(1, definition);
        EXPECT_NE(window, nullptr);
        wm.paint_window(*window);
        return window;
    }

    Color at(i32 x, i32 y) const { return m_surface.pixel(x, y); }
    Color desktop_at(i32 x, i32 y)
    {
        std::vector<u32> pixels(size_t(screen_width) * screen_height, 0);
        Surface reference(pixels.data(), screen_width, screen_height, screen_width);
        gui::paint_desktop(reference, reference.bounds());
        return reference.pixel(x, y);
    }

    // A size x size mask whose left half is set.
    static std::vector<u8> left_half(i32 size)
    {
        std::vector<u8> mask(size_t(size) * size, 0);
        for (i32 y = 0; y < size; ++y) {
            for (i32 x = 0; x < size / 2; ++x)
                mask[size_t(y) * size + x] = 1;
        }
        return mask;
    }

    Listener listener;
    std::vector<u32> m_pixels;
    Surface m_surface;
    WindowManager wm;
};

TEST_F(WindowShapeTest, OnlyTheShapeIsTheWindow)
{
    Window* window = open(20, 30, 64);
    wm.fill_rect(*window, { 0, 0, 64, 64 }, 0x00A0FF);
    auto mask = left_half(64);
    ASSERT_TRUE(wm.set_shape(*window, mask.data(), 64, 64, 0));
    EXPECT_TRUE(window->is_shaped());
    EXPECT_EQ(window->visible().area(), 32 * 64);
    // The right half is desktop again, painted as such.
    EXPECT_EQ(at(20 + 40, 30 + 10), desktop_at(20 + 40, 30 + 10));
    EXPECT_TRUE(wm.desktop_visible().contains(20 + 40, 30 + 10));
    EXPECT_FALSE(wm.desktop_visible().contains(20 + 10, 30 + 10));
    // Hit testing follows the shape.
    EXPECT_EQ(wm.window_at({ 20 + 10, 30 + 10 }), window);
    EXPECT_EQ(wm.window_at({ 20 + 40, 30 + 10 }), nullptr);
    // Drawing is clipped to it.
    wm.fill_rect(*window, { 0, 0, 64, 64 }, 0x123456);
    EXPECT_EQ(at(20 + 31, 30 + 63), 0x123456u);
    EXPECT_NE(at(20 + 32, 30), 0x123456u);
}

TEST_F(WindowShapeTest, WindowsBelowShowThroughAndGetExposed)
{
    Window* below = open(10, 10, 100);
    Window* above = open(20, 20, 64);
    listener.exposed.clear();
    auto mask = left_half(64);
    ASSERT_TRUE(wm.set_shape(*above, mask.data(), 64, 64, 0));
    EXPECT_EQ(wm.window_at({ 20 + 40, 20 + 10 }), below);
    EXPECT_TRUE(below->visible().contains(20 + 40, 20 + 10));
    bool below_exposed = false;
    for (u32 id : listener.exposed)
        below_exposed |= id == below->id();
    EXPECT_TRUE(below_exposed);
    // Back to a rectangle: the window covers its whole frame again.
    ASSERT_TRUE(wm.set_shape(*above, nullptr, 0, 0, 0));
    EXPECT_FALSE(above->is_shaped());
    EXPECT_EQ(wm.window_at({ 20 + 40, 20 + 10 }), above);
    EXPECT_EQ(above->visible().area(), 64 * 64);
}

TEST_F(WindowShapeTest, ScaleMakesEachByteASquare)
{
    Window* window = open(0, 0, 64);
    // 32 x 32 bytes, top half set: with scale 1 the top 32 rows.
    std::vector<u8> mask(32 * 32, 0);
    for (size_t i = 0; i < 32 * 16; ++i)
        mask[i] = 1;
    ASSERT_TRUE(wm.set_shape(*window, mask.data(), 32, 32, 1));
    EXPECT_EQ(window->visible().area(), 64 * 32);
    EXPECT_EQ(wm.window_at({ 63, 31 }), window);
    EXPECT_EQ(wm.window_at({ 0, 32 }), nullptr);
    // A one-pixel hole at byte (3, 2) is a 2 x 2 hole at (6, 4).
    mask[2 * 32 + 3] = 0;
    ASSERT_TRUE(wm.set_shape(*window, mask.data(), 32, 32, 1));
    EXPECT_EQ(window->visible().area(), 64 * 32 - 4);
    EXPECT_EQ(wm.window_at({ 7, 5 }), nullptr);
    EXPECT_EQ(wm.window_at({ 8, 5 }), window);
}

TEST_F(WindowShapeTest, TheShapeMovesWithTheWindow)
{
    Window* window = open(10, 10, 40);
    auto mask = left_half(40);
    ASSERT_TRUE(wm.set_shape(*window, mask.data(), 40, 40, 0));
    wm.set_frame(*window, { 100, 50, 40, 40 });
    EXPECT_EQ(wm.window_at({ 105, 55 }), window);
    EXPECT_EQ(wm.window_at({ 125, 55 }), nullptr);
    EXPECT_EQ(wm.window_at({ 15, 15 }), nullptr);
    EXPECT_EQ(window->visible().area(), 20 * 40);
    // Grown beyond its mask: the new pixels are outside the shape.
    wm.set_frame(*window, { 100, 50, 60, 60 });
    EXPECT_EQ(window->visible().area(), 20 * 40);
    // Partly off the screen: only what is on it.
    wm.set_frame(*window, { screen_width - 10, 50, 40, 40 });
    EXPECT_EQ(window->visible().area(), 10 * 40);
}

TEST_F(WindowShapeTest, ShapesAreBandsOfRectangles)
{
    Window* window = open(0, 0, 64);
    // A filled circle: one rectangle per band of equal rows at most.
    std::vector<u8> mask(64 * 64, 0);
    i64 inside = 0;
    for (i32 y = 0; y < 64; ++y) {
        for (i32 x = 0; x < 64; ++x) {
            bool in = (x - 32) * (x - 32) + (y - 32) * (y - 32) < 30 * 30;
            mask[size_t(y) * 64 + x] = in;
            inside += in;
        }
    }
    ASSERT_TRUE(wm.set_shape(*window, mask.data(), 64, 64, 0));
    EXPECT_EQ(window->shape().area(), inside);
    EXPECT_LE(window->shape().count(), 64u);
    for (i32 y = 0; y < 64; ++y) {
        for (i32 x = 0; x < 64; ++x)
            ASSERT_EQ(window->shape().contains(x, y), mask[size_t(y) * 64 + x] != 0) << x << "," << y;
    }
}

TEST_F(WindowShapeTest, AnEmptyMaskLeavesNothingOfTheWindow)
{
    Window* window = open(10, 10, 16);
    std::vector<u8> mask(16 * 16, 0);
    ASSERT_TRUE(wm.set_shape(*window, mask.data(), 16, 16, 0));
    EXPECT_TRUE(window->visible().is_empty());
    EXPECT_EQ(wm.window_at({ 12, 12 }), nullptr);
    wm.fill_rect(*window, { 0, 0, 16, 16 }, 0x654321);
    EXPECT_EQ(at(12, 12), desktop_at(12, 12));
}

TEST_F(WindowShapeTest, HostileShapesAreRefused)
{
    Window* window = open(10, 10, 64);
    auto mask = left_half(64);
    EXPECT_FALSE(wm.set_shape(*window, mask.data(), 64, 64, WindowManager::max_shape_scale + 1));
    EXPECT_FALSE(wm.set_shape(*window, mask.data(), -1, 64, 0));
    EXPECT_FALSE(wm.set_shape(*window, mask.data(), 0x7FFFFFFF, 0x7FFFFFFF, 0));
    EXPECT_FALSE(window->is_shaped());
    // A checkerboard has a rectangle per set byte: too many pieces.
    std::vector<u8> checkerboard(200 * 200, 0);
    for (i32 y = 0; y < 200; ++y) {
        for (i32 x = 0; x < 200; ++x)
            checkerboard[size_t(y) * 200 + x] = (x + y) % 2;
    }
    EXPECT_FALSE(wm.set_shape(*window, checkerboard.data(), 200, 200, 0));
    EXPECT_FALSE(window->is_shaped());
    EXPECT_EQ(window->visible().area(), 64 * 64);
    // A huge scale on a small mask stays within the rectangle arithmetic.
    std::vector<u8> one(1, 1);
    ASSERT_TRUE(wm.set_shape(*window, one.data(), 1, 1, WindowManager::max_shape_scale));
    EXPECT_EQ(window->visible().area(), 64 * 64);
}

TEST_F(WindowShapeTest, AsManyPiecesAsAllowedStillWork)
{
    // 32 rows of 16 runs, each row unlike the one above: 512 pieces.
    Window* window = open(10, 10, 32);
    auto stripes = [](i32 columns) {
        std::vector<u8> mask(size_t(columns) * 32, 0);
        for (i32 y = 0; y < 32; ++y) {
            for (i32 x = 0; x < columns; ++x)
                mask[size_t(y) * size_t(columns) + size_t(x)] = (x + y) % 2;
        }
        return mask;
    };
    static_assert(WindowManager::max_shape_pieces == 32 * 16);
    auto mask = stripes(32);
    ASSERT_TRUE(wm.set_shape(*window, mask.data(), 32, 32, 0));
    EXPECT_EQ(window->shape().area(), 32 * 16);
    EXPECT_EQ(window->visible().area(), 32 * 16);
    EXPECT_EQ(wm.window_at({ 10, 10 }), nullptr);
    EXPECT_EQ(wm.window_at({ 11, 10 }), window);
    // One more run per row is too many.
    auto more = stripes(34);
    EXPECT_FALSE(wm.set_shape(*window, more.data(), 34, 32, 0));
    EXPECT_EQ(window->visible().area(), 32 * 16);
}

TEST_F(WindowShapeTest, SettingTheSameShapeAgainExposesNothing)
{
    Window* window = open(10, 10, 64);
    auto mask = left_half(64);
    ASSERT_TRUE(wm.set_shape(*window, mask.data(), 64, 64, 0));
    listener.exposed.clear();
    ASSERT_TRUE(wm.set_shape(*window, mask.data(), 64, 64, 0));
    EXPECT_TRUE(listener.exposed.empty());
}

TEST_F(WindowShapeTest, FunctionZeroAsksForTheShape)
{
    Window* window = open(10, 10, 32);
    listener.defined.clear();
    wm.paint_window(*window);
    ASSERT_EQ(listener.defined.size(), 1u);
    EXPECT_EQ(listener.defined[0], window->id());
}

} // namespace
