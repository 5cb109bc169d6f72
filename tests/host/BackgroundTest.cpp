#include <gtest/gtest.h>

#include <vector>

#include "kernel/gui/Background.h"

using gui::BackgroundImage;
using gui::BackgroundMode;
using gui::Color;
using gui::Rect;
using gui::Surface;

namespace {

constexpr Color guard_color = 0xABCDEF;

// An image with its own storage, and a screen with a guard band around it
// that nothing may touch.
struct Fixture {
    Fixture(i32 image_width, i32 image_height, i32 screen_width = 40, i32 screen_height = 30)
        : storage(size_t(BackgroundImage::bytes_for(u32(image_width), u32(image_height))) + 16, 0x5A)
        , stride(screen_width + 2 * guard)
        , pixels(size_t(stride) * size_t(screen_height + 2 * guard), guard_color)
        , screen(&pixels[size_t(guard) * size_t(stride) + guard], screen_width, screen_height, stride)
    {
        image.attach(storage.data(), image_width, image_height);
    }

    bool guard_intact() const
    {
        for (i32 y = -guard; y < screen.height() + guard; ++y) {
            for (i32 x = -guard; x < screen.width() + guard; ++x) {
                bool inside = x >= 0 && y >= 0 && x < screen.width() && y < screen.height();
                if (!inside && pixels[size_t(y + guard) * size_t(stride) + size_t(x + guard)] != guard_color)
                    return false;
            }
        }
        return true;
    }
    // The bytes after the image itself were never written.
    bool storage_tail_intact() const
    {
        for (size_t i = image.byte_size(); i < storage.size(); ++i) {
            if (storage[i] != 0x5A)
                return false;
        }
        return true;
    }

    static constexpr i32 guard = 4;
    std::vector<u8> storage;
    i32 stride;
    std::vector<u32> pixels;
    Surface screen;
    BackgroundImage image;
};

TEST(Background, SizesWithinTheLimits)
{
    EXPECT_EQ(BackgroundImage::bytes_for(1, 1), 3u);
    EXPECT_EQ(BackgroundImage::bytes_for(1024, 768), 1024u * 768 * 3);
    EXPECT_EQ(BackgroundImage::bytes_for(0, 10), 0u);
    EXPECT_EQ(BackgroundImage::bytes_for(10, 0), 0u);
    EXPECT_EQ(BackgroundImage::bytes_for(0xFFFFFFFF, 0xFFFFFFFF), 0u);
    EXPECT_EQ(BackgroundImage::bytes_for(100000, 100000), 0u);
    EXPECT_EQ(BackgroundImage::bytes_for(BackgroundImage::max_side, BackgroundImage::max_side), 0u);
    EXPECT_EQ(BackgroundImage::bytes_for(BackgroundImage::max_side + 1, 1), 0u);
    EXPECT_EQ(BackgroundImage::bytes_for(BackgroundImage::max_side, 1), u64(BackgroundImage::max_side) * 3);
}

TEST(Background, PixelsAreBlueGreenRedTriples)
{
    Fixture f(3, 2);
    // (x + y * width) * 3, as 15.2 documents.
    EXPECT_TRUE(f.image.put_pixel((1 + 1 * 3) * 3, 0x00123456));
    EXPECT_EQ(f.storage[12], 0x56);
    EXPECT_EQ(f.storage[13], 0x34);
    EXPECT_EQ(f.storage[14], 0x12);
    EXPECT_EQ(f.image.pixel(1, 1), 0x123456u);
    // The last pixel, then just past it.
    EXPECT_TRUE(f.image.put_pixel(15, 0xFFFFFF));
    EXPECT_EQ(f.image.pixel(2, 1), 0xFFFFFFu);
    EXPECT_FALSE(f.image.put_pixel(16, 0x111111));
    EXPECT_FALSE(f.image.put_pixel(18, 0x111111));
    EXPECT_FALSE(f.image.put_pixel(0xFFFFFFF0, 0x111111));
    EXPECT_FALSE(f.image.put_pixel(~0ull, 0x111111));
    EXPECT_TRUE(f.storage_tail_intact());
    EXPECT_EQ(f.image.pixel(-1, 0), 0u);
    EXPECT_EQ(f.image.pixel(3, 0), 0u);
}

TEST(Background, BlocksAreClippedToTheImage)
{
    Fixture f(2, 2);
    const u8 block[] = { 0x30, 0x20, 0x10, 0x60, 0x50, 0x40, 0x90, 0x80, 0x70 };
    EXPECT_EQ(f.image.write(0, block, sizeof(block)), sizeof(block));
    EXPECT_EQ(f.image.pixel(0, 0), 0x102030u);
    EXPECT_EQ(f.image.pixel(1, 0), 0x405060u);
    EXPECT_EQ(f.image.pixel(0, 1), 0x708090u);
    // Running past the end: only the part inside is written.
    EXPECT_EQ(f.image.write(9, block, sizeof(block)), 3u);
    EXPECT_EQ(f.image.pixel(1, 1), 0x102030u);
    EXPECT_EQ(f.image.write(12, block, sizeof(block)), 0u);
    EXPECT_EQ(f.image.write(0x7FFFFFF0, block, sizeof(block)), 0u);
    EXPECT_EQ(f.image.write(0, nullptr, 5), 0u);
    EXPECT_EQ(f.image.bytes_inside(10, 0xFFFFFFFF), 2u);
    EXPECT_EQ(f.image.bytes_inside(~0ull, 3), 0u);
    EXPECT_TRUE(f.storage_tail_intact());
}

TEST(Background, WithoutAnImageNothingHappens)
{
    BackgroundImage image;
    EXPECT_FALSE(image.is_set());
    EXPECT_FALSE(image.put_pixel(0, 0x123456));
    u8 byte = 1;
    EXPECT_EQ(image.write(0, &byte, 1), 0u);
    EXPECT_EQ(image.pixel(0, 0), 0u);
    std::vector<u32> pixels(16, guard_color);
    Surface screen(pixels.data(), 4, 4, 4);
    image.paint(screen, screen.bounds());
    for (u32 pixel : pixels)
        EXPECT_EQ(pixel, guard_color);
    image.attach(nullptr, 4, 4);
    EXPECT_FALSE(image.is_set());
}

TEST(Background, OnePixelStretchedCoversTheScreen)
{
    Fixture f(1, 1);
    f.image.set_mode(BackgroundMode::Stretch);
    f.image.put_pixel(0, 0xC08040);
    f.image.paint(f.screen, f.screen.bounds());
    for (i32 y = 0; y < f.screen.height(); ++y) {
        for (i32 x = 0; x < f.screen.width(); ++x)
            ASSERT_EQ(f.screen.pixel(x, y), 0xC08040u) << x << "," << y;
    }
    EXPECT_TRUE(f.guard_intact());
}

TEST(Background, TilesRepeatFromTheTopLeftCorner)
{
    Fixture f(2, 2);
    f.image.set_mode(BackgroundMode::Tile);
    f.image.put_pixel(0, 0xFF0000);
    f.image.put_pixel(3, 0x00FF00);
    f.image.put_pixel(6, 0x0000FF);
    f.image.put_pixel(9, 0xFFFFFF);
    f.image.paint(f.screen, f.screen.bounds());
    for (i32 y = 0; y < f.screen.height(); ++y) {
        for (i32 x = 0; x < f.screen.width(); ++x)
            ASSERT_EQ(f.screen.pixel(x, y), f.image.pixel(x % 2, y % 2)) << x << "," << y;
    }
    EXPECT_EQ(f.image.pixel_on_screen(41, 7, f.screen.bounds()), 0xFFFFFFu);
    EXPECT_TRUE(f.guard_intact());
}

TEST(Background, StretchingScalesEachAxis)
{
    // 4 x 3 onto 40 x 30: every image pixel becomes a 10 x 10 block.
    Fixture f(4, 3);
    f.image.set_mode(BackgroundMode::Stretch);
    for (i32 y = 0; y < 3; ++y) {
        for (i32 x = 0; x < 4; ++x)
            f.image.put_pixel(u64(x + y * 4) * 3, Color(x * 0x40) << 16 | Color(y * 0x40));
    }
    f.image.paint(f.screen, f.screen.bounds());
    for (i32 y = 0; y < 30; ++y) {
        for (i32 x = 0; x < 40; ++x)
            ASSERT_EQ(f.screen.pixel(x, y), f.image.pixel(x / 10, y / 10)) << x << "," << y;
    }
    // An image larger than the screen is sampled, never read past its end.
    Fixture big(100, 70, 40, 30);
    big.image.put_pixel(big.image.byte_size() - 3, 0x777777);
    big.image.paint(big.screen, big.screen.bounds());
    EXPECT_EQ(big.screen.pixel(39, 29), big.image.pixel(97, 67));
    EXPECT_TRUE(big.guard_intact());
}

TEST(Background, PaintingStaysInsideTheClip)
{
    Fixture f(1, 1);
    f.image.put_pixel(0, 0x102030);
    Rect clip { 5, 6, 7, 3 };
    f.image.paint(f.screen, clip);
    for (i32 y = 0; y < f.screen.height(); ++y) {
        for (i32 x = 0; x < f.screen.width(); ++x)
            ASSERT_EQ(f.screen.pixel(x, y), clip.contains(x, y) ? 0x102030u : guard_color) << x << "," << y;
    }
    // Clips partly or wholly off the screen.
    f.image.paint(f.screen, { -100, -100, 95, 95 });
    f.image.paint(f.screen, { 35, 25, 0x3FFFFFFF, 0x3FFFFFFF });
    f.image.paint(f.screen, { 10, 10, -5, 4 });
    EXPECT_EQ(f.screen.pixel(39, 29), 0x102030u);
    EXPECT_EQ(f.screen.pixel(0, 0), guard_color);
    EXPECT_TRUE(f.guard_intact());
}

TEST(Background, WideClipsArePaintedInChunks)
{
    // More than one chunk of columns (256) in one call.
    Fixture f(3, 1, 600, 2);
    f.image.set_mode(BackgroundMode::Tile);
    f.image.put_pixel(0, 0x010101);
    f.image.put_pixel(3, 0x020202);
    f.image.put_pixel(6, 0x030303);
    f.image.paint(f.screen, f.screen.bounds());
    for (i32 x = 0; x < 600; ++x) {
        ASSERT_EQ(f.screen.pixel(x, 0), Color(x % 3 + 1) * 0x010101) << x;
        ASSERT_EQ(f.screen.pixel(x, 1), Color(x % 3 + 1) * 0x010101) << x;
    }
    EXPECT_TRUE(f.guard_intact());
}

TEST(Background, ModeChangesTakeEffectAtTheNextPaint)
{
    Fixture f(2, 1, 4, 1);
    f.image.put_pixel(0, 0xAA0000);
    f.image.put_pixel(3, 0x00BB00);
    EXPECT_EQ(f.image.mode(), BackgroundMode::Stretch);
    f.image.paint(f.screen, f.screen.bounds());
    EXPECT_EQ(f.screen.pixel(1, 0), 0xAA0000u);
    EXPECT_EQ(f.screen.pixel(2, 0), 0x00BB00u);
    f.image.set_mode(BackgroundMode::Tile);
    f.image.paint(f.screen, f.screen.bounds());
    EXPECT_EQ(f.screen.pixel(1, 0), 0x00BB00u);
    EXPECT_EQ(f.screen.pixel(2, 0), 0xAA0000u);
}

} // namespace
