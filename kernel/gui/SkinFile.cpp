#include "kernel/gui/SkinFile.h"

namespace gui {

namespace {

constexpr size_t header_size = 20;
// height, 4 margins, 6 colours, the table's size.
constexpr size_t params_size = 4 + 8 + 24 + 4;
constexpr size_t button_entry_size = 12;
constexpr size_t bitmap_entry_size = 8;

u32 read32(const u8* at) { return u32(at[0]) | u32(at[1]) << 8 | u32(at[2]) << 16 | u32(at[3]) << 24; }
u16 read16(const u8* at) { return u16(at[0] | at[1] << 8); }
i32 read_signed16(const u8* at) { return i32(i16(read16(at))); }

// Is [offset, offset + size) inside a file of `length` bytes?
bool fits(size_t length, u64 offset, u64 size) { return offset <= length && size <= length - offset; }

ErrorOr<void> read_bitmap(const u8* bytes, size_t length, u32 offset, SkinBitmap& bitmap)
{
    if (!fits(length, offset, 8))
        return Error(ErrorCode::Corrupt, "skin: a bitmap's header lies outside the file");
    u32 width = read32(bytes + offset);
    u32 height = read32(bytes + offset + 4);
    if (width == 0 || height == 0 || width > u32(max_skin_bitmap_width) || height > u32(max_skin_height))
        return Error(ErrorCode::Corrupt, "skin: a bitmap's size is absurd");
    if (!fits(length, u64(offset) + 8, u64(width) * height * 3))
        return Error(ErrorCode::Corrupt, "skin: a bitmap's pixels run past the end of the file");
    bitmap.pixels = bytes + offset + 8;
    bitmap.width = i32(width);
    bitmap.height = i32(height);
    return {};
}

} // namespace

u32 SkinBitmap::pixel(i32 x, i32 y) const
{
    const u8* at = pixels + (size_t(y) * size_t(width) + size_t(x)) * 3;
    return u32(at[0]) | u32(at[1]) << 8 | u32(at[2]) << 16;
}

bool is_skin_file(const u8* bytes, size_t length)
{
    return length >= 4 && bytes[0] == 'S' && bytes[1] == 'K' && bytes[2] == 'I' && bytes[3] == 'N';
}

ErrorOr<SkinFile> SkinFile::parse(const u8* bytes, size_t length)
{
    if (!is_skin_file(bytes, length))
        return Error(ErrorCode::NotFound, "not a skin file (no 'SKIN' at its start)");
    if (length < header_size)
        return Error(ErrorCode::Corrupt, "skin: the header is cut short");
    SkinFile skin;
    u32 params = read32(bytes + 8);
    u32 buttons = read32(bytes + 12);
    u32 bitmaps = read32(bytes + 16);

    // parse_skin_data: the parameters.
    if (!fits(length, params, params_size))
        return Error(ErrorCode::Corrupt, "skin: the parameters lie outside the file");
    const u8* p = bytes + params;
    u32 height = read32(p);
    if (height == 0 || height > u32(max_skin_height))
        return Error(ErrorCode::Corrupt, "skin: the header height is absurd");
    skin.height = i32(height);
    skin.margin_right = read16(p + 4);
    skin.margin_left = read16(p + 6);
    skin.margin_bottom = read16(p + 8);
    skin.margin_top = read16(p + 10);
    skin.active.inner = read32(p + 12) & 0xFFFFFF;
    skin.active.outer = read32(p + 16) & 0xFFFFFF;
    skin.active.frame = read32(p + 20) & 0xFFFFFF;
    skin.inactive.inner = read32(p + 24) & 0xFFFFFF;
    skin.inactive.outer = read32(p + 28) & 0xFFFFFF;
    skin.inactive.frame = read32(p + 32) & 0xFFFFFF;
    size_t colors_size = read32(p + 36) & 0xFF;
    if (!fits(length, u64(params) + params_size, colors_size))
        return Error(ErrorCode::Corrupt, "skin: the colour table runs past the end of the file");
    skin.colors = p + params_size;
    skin.colors_size = colors_size;

    // The bitmaps, up to a zero dword; unknown kinds are skipped.
    for (u64 at = bitmaps;; at += bitmap_entry_size) {
        if (!fits(length, at, 4))
            return Error(ErrorCode::Corrupt, "skin: the bitmap list runs past the end of the file");
        if (read32(bytes + at) == 0)
            break;
        if (!fits(length, at, bitmap_entry_size))
            return Error(ErrorCode::Corrupt, "skin: the bitmap list runs past the end of the file");
        u16 kind = read16(bytes + at);
        SkinFace& face = read16(bytes + at + 2) ? skin.active : skin.inactive;
        SkinBitmap* bitmap = kind == 1 ? &face.left : kind == 2 ? &face.oper : kind == 3 ? &face.base : nullptr;
        if (bitmap)
            TRY(read_bitmap(bytes, length, read32(bytes + at + 4), *bitmap));
    }

    // The buttons, up to a zero dword; unknown types are skipped.
    for (u64 at = buttons;; at += button_entry_size) {
        if (!fits(length, at, 4))
            return Error(ErrorCode::Corrupt, "skin: the button list runs past the end of the file");
        u32 type = read32(bytes + at);
        if (type == 0)
            break;
        if (!fits(length, at, button_entry_size))
            return Error(ErrorCode::Corrupt, "skin: the button list runs past the end of the file");
        SkinButton* button = type == 1 ? &skin.close : type == 2 ? &skin.minimize : nullptr;
        if (!button)
            continue;
        button->present = true;
        button->left = read_signed16(bytes + at + 4);
        button->top = read_signed16(bytes + at + 6);
        button->width = read_signed16(bytes + at + 8);
        button->height = read_signed16(bytes + at + 10);
    }
    return skin;
}

} // namespace gui
