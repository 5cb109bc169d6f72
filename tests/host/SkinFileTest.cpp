// gui::SkinFile: skins built byte by byte here (the layout of
// skins/skin.inc) parse to their values; hostile ones (cut short, offsets
// outside the file, absurd sizes) are refused; every truncation of a good
// skin is refused or parses inside an exact-size buffer (ASan).
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "kernel/gui/Decoration.h"
#include "kernel/gui/Skin.h"
#include "kernel/gui/SkinFile.h"
#include "kernel/gui/WindowManager.h"

using gui::SkinFile;

namespace {

struct Builder {
    std::vector<u8> bytes;

    size_t here() const { return bytes.size(); }
    void d32(u32 value)
    {
        for (int i = 0; i < 4; ++i)
            bytes.push_back(u8(value >> (8 * i)));
    }
    void d16(u16 value)
    {
        bytes.push_back(u8(value));
        bytes.push_back(u8(value >> 8));
    }
    void put32(size_t at, u32 value)
    {
        for (int i = 0; i < 4; ++i)
            bytes[at + i] = u8(value >> (8 * i));
    }
    // A bitmap of one colour (0xRRGGBB) but its top left pixel `corner`.
    size_t bitmap(u32 width, u32 height, u32 color, u32 corner)
    {
        size_t at = here();
        d32(width);
        d32(height);
        for (u32 i = 0; i < width * height; ++i) {
            u32 c = i == 0 ? corner : color;
            bytes.push_back(u8(c));
            bytes.push_back(u8(c >> 8));
            bytes.push_back(u8(c >> 16));
        }
        return at;
    }
};

// The header, params (height 18, margins right 60 left 6 bottom 2 top
// 3, colours, an 8-byte table), two buttons, then six bitmaps.
struct TestSkin {
    Builder b;
    size_t params_field = 8, buttons_field = 12, bitmaps_field = 16;
    size_t first_bitmap_entry = 0;
    size_t left_active_bitmap = 0;

    TestSkin()
    {
        b.d32(0x4E494B53); // 'SKIN'
        b.d32(1);
        b.d32(0);
        b.d32(0);
        b.d32(0);
        b.put32(params_field, u32(b.here()));
        b.d32(18);
        b.d16(60);
        b.d16(6);
        b.d16(2);
        b.d16(3);
        b.d32(0x111111);
        b.d32(0x222222);
        b.d32(0x333333);
        b.d32(0x444444);
        b.d32(0x555555);
        b.d32(0x666666);
        b.d32(8);
        b.d32(0xABCDEF);
        b.d32(0x123456);
        b.put32(buttons_field, u32(b.here()));
        b.d32(1); // close
        b.d16(u16(-20));
        b.d16(2);
        b.d16(16);
        b.d16(14);
        b.d32(7); // unknown: skipped
        b.d16(0);
        b.d16(0);
        b.d16(0);
        b.d16(0);
        b.d32(2); // minimize
        b.d16(u16(-40));
        b.d16(2);
        b.d16(16);
        b.d16(14);
        b.d32(0);
        b.put32(bitmaps_field, u32(b.here()));
        first_bitmap_entry = b.here();
        for (int i = 0; i < 6; ++i) {
            b.d32(0);
            b.d32(0);
        }
        b.d32(0);
        u32 colors[6] = { 0xFF0000, 0x00FF00, 0x0000FF, 0x800000, 0x008000, 0x000080 };
        for (int i = 0; i < 6; ++i) {
            u16 kind = u16(i % 3 + 1);
            u16 type = i < 3 ? 1 : 0;
            size_t at = b.bitmap(u32(3 + i), 18, colors[i], 0xFFFFFF);
            if (i == 0)
                left_active_bitmap = at;
            size_t entry = first_bitmap_entry + size_t(i) * 8;
            b.bytes[entry] = u8(kind);
            b.bytes[entry + 2] = u8(type);
            b.put32(entry + 4, u32(at));
        }
    }
};

ErrorOr<SkinFile> parse_exact(const std::vector<u8>& bytes, size_t length)
{
    // An exact-size copy so that ASan sees any read past the end.
    static std::unique_ptr<u8[]> copy;
    copy.reset(new u8[length ? length : 1]);
    if (length)
        std::memcpy(copy.get(), bytes.data(), length);
    return SkinFile::parse(copy.get(), length);
}

} // namespace

TEST(SkinFile, ParsesEverySection)
{
    TestSkin skin;
    auto parsed = parse_exact(skin.b.bytes, skin.b.bytes.size());
    ASSERT_FALSE(parsed.is_error()) << parsed.error().context();
    const SkinFile& s = parsed.value();
    EXPECT_EQ(s.height, 18);
    EXPECT_EQ(s.margin_right, 60);
    EXPECT_EQ(s.margin_left, 6);
    EXPECT_EQ(s.margin_bottom, 2);
    EXPECT_EQ(s.margin_top, 3);
    EXPECT_EQ(s.active.inner, 0x111111u);
    EXPECT_EQ(s.active.outer, 0x222222u);
    EXPECT_EQ(s.active.frame, 0x333333u);
    EXPECT_EQ(s.inactive.inner, 0x444444u);
    EXPECT_EQ(s.inactive.outer, 0x555555u);
    EXPECT_EQ(s.inactive.frame, 0x666666u);
    ASSERT_EQ(s.colors_size, 8u);
    EXPECT_EQ(s.colors[0], 0xEF);
    EXPECT_EQ(s.colors[4], 0x56);
    EXPECT_TRUE(s.close.present);
    EXPECT_EQ(s.close.left, -20);
    EXPECT_EQ(s.close.top, 2);
    EXPECT_EQ(s.close.width, 16);
    EXPECT_EQ(s.close.height, 14);
    EXPECT_TRUE(s.minimize.present);
    EXPECT_EQ(s.minimize.left, -40);
    EXPECT_EQ(s.active.left.width, 3);
    EXPECT_EQ(s.active.oper.width, 4);
    EXPECT_EQ(s.active.base.width, 5);
    EXPECT_EQ(s.inactive.left.width, 6);
    EXPECT_EQ(s.inactive.oper.width, 7);
    EXPECT_EQ(s.inactive.base.width, 8);
    EXPECT_EQ(s.active.left.height, 18);
    EXPECT_EQ(s.active.left.pixel(0, 0), 0xFFFFFFu);
    EXPECT_EQ(s.active.left.pixel(1, 0), 0xFF0000u);
    EXPECT_EQ(s.active.oper.pixel(3, 17), 0x00FF00u);
    EXPECT_EQ(s.active.base.pixel(2, 5), 0x0000FFu);
    EXPECT_EQ(s.inactive.left.pixel(5, 17), 0x800000u);
    EXPECT_EQ(s.inactive.base.pixel(7, 17), 0x000080u);
}

TEST(SkinFile, NotASkinIsNotFound)
{
    std::vector<u8> text = { 'M', 'E', 'N', 'U', 'E', 'T', '0', '1' };
    auto parsed = parse_exact(text, text.size());
    ASSERT_TRUE(parsed.is_error());
    EXPECT_EQ(parsed.error().code(), ErrorCode::NotFound);
    auto empty = parse_exact(text, 0);
    ASSERT_TRUE(empty.is_error());
    EXPECT_EQ(empty.error().code(), ErrorCode::NotFound);
}

TEST(SkinFile, MissingListsAndButtonsAreEmpty)
{
    TestSkin skin;
    // Buttons list and bitmap list both at a zero dword.
    skin.b.put32(skin.buttons_field, u32(skin.first_bitmap_entry + 6 * 8));
    skin.b.put32(skin.bitmaps_field, u32(skin.first_bitmap_entry + 6 * 8));
    auto parsed = parse_exact(skin.b.bytes, skin.b.bytes.size());
    ASSERT_FALSE(parsed.is_error());
    EXPECT_FALSE(parsed.value().close.present);
    EXPECT_FALSE(parsed.value().active.left.present());
    EXPECT_FALSE(parsed.value().inactive.base.present());
}

TEST(SkinFile, EveryTruncationIsRefused)
{
    TestSkin skin;
    // The last bitmap's pixels end the file: any shorter copy lacks
    // something a list or a bitmap points at.
    for (size_t length = 4; length < skin.b.bytes.size(); ++length) {
        auto parsed = parse_exact(skin.b.bytes, length);
        ASSERT_TRUE(parsed.is_error()) << "length " << length;
        EXPECT_EQ(parsed.error().code(), ErrorCode::Corrupt) << "length " << length;
    }
}

TEST(SkinFile, OffsetsOutsideTheFileAreRefused)
{
    for (size_t field : { size_t(8), size_t(12), size_t(16) }) {
        for (u32 offset : { 0xFFFFFFFFu, 0xFFFFFFF0u, 0x7FFFFFFFu, 0x100000u }) {
            TestSkin skin;
            skin.b.put32(field, offset);
            auto parsed = parse_exact(skin.b.bytes, skin.b.bytes.size());
            ASSERT_TRUE(parsed.is_error()) << field << " " << offset;
            EXPECT_EQ(parsed.error().code(), ErrorCode::Corrupt);
        }
    }
    TestSkin skin;
    skin.b.put32(skin.first_bitmap_entry + 4, 0xFFFFFFFC);
    EXPECT_TRUE(parse_exact(skin.b.bytes, skin.b.bytes.size()).is_error());
    // Parameters that fit but a colour table that runs past the end.
    TestSkin table;
    table.b.put32(table.b.bytes.size() - 4, 0); // keep the file's end
    table.b.put32(table.params_field, u32(table.b.bytes.size() - 40));
    table.b.put32(table.b.bytes.size() - 40, 18);
    table.b.put32(table.b.bytes.size() - 4, 200);
    EXPECT_TRUE(parse_exact(table.b.bytes, table.b.bytes.size()).is_error());
}

TEST(SkinFile, AbsurdSizesAreRefused)
{
    struct Case {
        u32 width, height;
    };
    for (Case c : { Case { 0, 18 }, Case { 3, 0 }, Case { 0x10000, 18 }, Case { 3, 0x40000000 },
             Case { 0x55555556, 3 }, Case { 4096, 256 } }) {
        TestSkin skin;
        skin.b.put32(skin.left_active_bitmap, c.width);
        skin.b.put32(skin.left_active_bitmap + 4, c.height);
        auto parsed = parse_exact(skin.b.bytes, skin.b.bytes.size());
        ASSERT_TRUE(parsed.is_error()) << c.width << "x" << c.height;
        EXPECT_EQ(parsed.error().code(), ErrorCode::Corrupt);
    }
    for (u32 height : { 0u, 257u, 0x80000000u }) {
        TestSkin skin;
        skin.b.put32(skin.b.bytes[8] | skin.b.bytes[9] << 8, height);
        EXPECT_TRUE(parse_exact(skin.b.bytes, skin.b.bytes.size()).is_error()) << height;
    }
}

TEST(SkinFile, FlippedBytesNeverReadOutside)
{
    TestSkin skin;
    for (size_t at = 0; at < 200 && at < skin.b.bytes.size(); ++at) {
        for (u8 value : { u8(0), u8(0xFF), u8(0x80) }) {
            auto bytes = skin.b.bytes;
            bytes[at] = value;
            auto parsed = parse_exact(bytes, bytes.size());
            if (parsed.is_error())
                continue;
            // Whatever parsed must be readable everywhere (ASan checks).
            const SkinFile& s = parsed.value();
            u32 sum = 0;
            for (const gui::SkinFace* face : { &s.active, &s.inactive }) {
                for (const gui::SkinBitmap* bitmap : { &face->left, &face->oper, &face->base }) {
                    if (bitmap->present())
                        sum += bitmap->pixel(bitmap->width - 1, bitmap->height - 1);
                }
            }
            for (size_t i = 0; i < s.colors_size; ++i)
                sum += s.colors[i];
            (void)sum;
        }
    }
}

// drawwindow_IV with TestSkin: active bitmaps left (3 wide, red), base
// (5 wide, blue) tiled, oper (4 wide, green) at the right edge; the
// frame lines below the header; the skin's buttons (not drawn); inactive
// bitmaps when another window is active; back to the built-in skin.
TEST(SkinFile, WindowsAreDrawnFromTheSkin)
{
    TestSkin skin;
    auto parsed = SkinFile::parse(skin.b.bytes.data(), skin.b.bytes.size());
    ASSERT_FALSE(parsed.is_error());
    SkinFile loaded = parsed.value();
    constexpr i32 width = 320, height = 240;
    std::vector<u32> pixels(size_t(width) * height, 0);
    gui::Surface surface(pixels.data(), width, height, width);
    struct Listener final : gui::WindowManagerListener { } listener;
    gui::WindowManager wm(surface, listener);
    gui::set_loaded_skin(&loaded);
    auto at = [&](i32 x, i32 y) { return pixels[size_t(y) * width + x]; };
    auto open = [&](gui::Rect frame, u32 owner) {
        gui::WindowDefinition d;
        d.frame = frame;
        d.style = gui::StyleSkinned;
        d.work_color = 0xE0E0E0;
        gui::Window* window = wm.create_window(owner, d);
        EXPECT_NE(window, nullptr);
        wm.paint_window(*window);
        return window;
    };
    gui::Window* a = open({ 10, 10, 100, 60 }, 1);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(gui::skin_header_height(), 18);
    EXPECT_EQ(a->client_rect().y, 18);
    EXPECT_EQ(at(10, 10), 0xFFFFFFu) << "the left bitmap's corner pixel";
    EXPECT_EQ(at(12, 27), 0xFF0000u) << "left";
    EXPECT_EQ(at(13, 15), 0x0000FFu) << "base from x = left's width";
    EXPECT_EQ(at(60, 15), 0x0000FFu) << "base tiled";
    EXPECT_EQ(at(10 + 96, 15), 0x00FF00u) << "oper against the right edge (x = box width - 4 + 1)";
    EXPECT_EQ(at(10 + 99, 27), 0x00FF00u);
    EXPECT_EQ(at(10 + 95, 15), 0x0000FFu) << "base up to the oper bitmap";
    EXPECT_EQ(at(10, 40), 0x222222u) << "outer";
    EXPECT_EQ(at(12, 40), 0x333333u) << "frame";
    EXPECT_EQ(at(14, 40), 0x111111u) << "inner";
    EXPECT_EQ(at(15, 40), 0xE0E0E0u) << "work area";
    EXPECT_EQ(at(60, 69), 0x222222u) << "bottom outer";
    EXPECT_EQ(at(60, 28), 0xE0E0E0u) << "work area from the skin height";
    // The skin's buttons: close 16x14 at width - 20, minimize at - 40.
    const gui::Button* close = wm.button_at(*a, { 100 - 20 + 1, 3 });
    ASSERT_NE(close, nullptr);
    EXPECT_EQ(close->id, gui::skin::close_button_id);
    EXPECT_EQ(close->rect, (gui::Rect { 80, 2, 16, 14 }));
    const gui::Button* minimize = wm.button_at(*a, { 100 - 40 + 1, 3 });
    ASSERT_NE(minimize, nullptr);
    EXPECT_EQ(minimize->id, gui::skin::minimize_button_id);
    EXPECT_EQ(at(10 + 100 - 40 + 2, 15), 0x0000FFu) << "buttons are not drawn";
    // Another window active: `a` repaints with the inactive look.
    gui::Window* b = open({ 150, 100, 100, 60 }, 2);
    ASSERT_NE(b, nullptr);
    wm.paint_window(*a);
    EXPECT_EQ(at(12, 27), 0x800000u) << "inactive left";
    EXPECT_EQ(at(40, 15), 0x000080u) << "inactive base";
    EXPECT_EQ(at(10 + 99, 27), 0x008000u) << "inactive oper";
    EXPECT_EQ(at(10, 40), 0x555555u) << "inactive outer";
    EXPECT_EQ(at(12, 40), 0x666666u) << "inactive frame";
    EXPECT_EQ(at(14, 40), 0x444444u) << "inactive inner";
    // A window narrower than left + oper: only what fits, inside it.
    gui::Window* narrow = open({ 200, 10, 5, 30 }, 3);
    ASSERT_NE(narrow, nullptr);
    EXPECT_EQ(at(199, 15), 0u);
    EXPECT_EQ(at(205, 15), 0u);
    gui::set_loaded_skin(nullptr);
    EXPECT_EQ(gui::skin_header_height(), gui::skin::height);
}
