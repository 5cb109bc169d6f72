// The screen singleton behind Display.h: picks the framebuffer, maps it,
// owns the back buffer and copies dirty rectangles to the hardware.
#include "kernel/gui/Display.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Layout.h"
#include "kernel/arch/i386/Paging.h"
#include "kernel/boot/CommandLine.h"
#include "kernel/debug/Log.h"
#include "kernel/drivers/BochsDisplay.h"
#include "kernel/drivers/VgaText.h"
#include "kernel/gui/DirectScreen.h"
#include "kernel/gui/DirtyRegion.h"
#include "kernel/mm/KernelMemory.h"
#include "kernel/mm/PhysicalFrameAllocator.h"

extern "C" void* memcpy(void* destination, const void* source, size_t count);

namespace gui {

namespace {

constexpr u32 default_width = 1024;
constexpr u32 default_height = 768;
constexpr u32 default_bits_per_pixel = 32;
// Larger modes would need a back buffer beyond reason for this machine class.
constexpr u32 max_width = 4096;
constexpr u32 max_height = 4096;
constexpr u32 page_size = 4096;

// The desktop until the window manager paints its own: a vertical gradient
// from a muted steel blue at the top to a deep navy at the bottom.
constexpr Color desktop_top = 0x234E86;
constexpr Color desktop_bottom = 0x0B1D3A;

// Where each colour channel sits in a framebuffer pixel (Multiboot 0.6.96,
// section 3.3, "framebuffer_red_field_position" and friends).
struct ChannelLayout {
    u8 red_position, red_size;
    u8 green_position, green_size;
    u8 blue_position, blue_size;
};

enum class PixelWriter : u8 {
    Copy32,    // 32 bpp with red at 16, green at 8, blue at 0: rows are copied as they are
    Convert32, // 32 bpp, other channel positions
    Convert24, // 3 bytes per pixel, little-endian
    Convert16, // 2 bytes per pixel (RGB 5:6:5, 5:5:5 or anything else that fits)
};

struct Mode {
    u32 width;
    u32 height;
    u32 bits_per_pixel;
};

struct Candidate {
    PhysicalAddress address;
    u32 width;
    u32 height;
    u32 bits_per_pixel;
    u32 pitch;
    ChannelLayout layout;
    const char* source;
};

struct State {
    bool available;
    DisplayInfo info;
    u8* framebuffer; // virtual address in the device window
    PixelWriter writer;
    // Per channel: right shift from 8 bits to the channel's size, then left
    // shift to its position.
    u8 red_drop, red_shift, green_drop, green_shift, blue_drop, blue_shift;
    Surface back_buffer;
    DirtyRegion dirty;
    DisplayStatistics statistics;
};

State s_display;

// The format functions know no precision: copy a view into a C string.
struct ShortText {
    char text[32];
    explicit ShortText(StringView view)
    {
        size_t const length = lib::min(view.length(), sizeof(text) - 1);
        for (size_t i = 0; i < length; ++i)
            text[i] = view[i];
        text[length] = 0;
    }
};

bool parse_decimal(StringView text, u32 limit, u32& out)
{
    u64 value;
    if (!lib::parse_unsigned(text, value) || value == 0 || value > limit)
        return false;
    out = static_cast<u32>(value);
    return true;
}

// `video=WIDTHxHEIGHT` or `video=WIDTHxHEIGHTxBPP` (depth 32 when omitted).
bool parse_mode(StringView text, Mode& out)
{
    size_t const first = text.find('x');
    if (first == text.length())
        return false;
    StringView const rest = text.substring(first + 1);
    size_t const second = rest.find('x');
    Mode mode { 0, 0, default_bits_per_pixel };
    if (!parse_decimal(text.substring(0, first), max_width, mode.width)
        || !parse_decimal(rest.substring(0, second), max_height, mode.height))
        return false;
    if (second != rest.length() && !parse_decimal(rest.substring(second + 1), 32, mode.bits_per_pixel))
        return false;
    out = mode;
    return true;
}

constexpr ChannelLayout bochs_layout(u32 bits_per_pixel)
{
    if (bits_per_pixel == 16)
        return { 11, 5, 5, 6, 0, 5 };
    if (bits_per_pixel == 15)
        return { 10, 5, 5, 5, 0, 5 };
    return { 16, 8, 8, 8, 0, 8 };
}

bool from_bochs(const Mode& mode, Candidate& out)
{
    auto framebuffer = drivers::bochs_display::set_mode({ mode.width, mode.height, mode.bits_per_pixel });
    if (framebuffer.is_error()) {
        kernel::log_warning("display: the Bochs adapter refused %ux%ux%u: %s", mode.width, mode.height,
            mode.bits_per_pixel, framebuffer.error().context());
        return false;
    }
    auto& value = framebuffer.value();
    out = { value.address, value.width, value.height, value.bits_per_pixel, value.pitch,
        bochs_layout(value.bits_per_pixel), "bochs-dispi" };
    return true;
}

bool channel_fits(u8 position, u8 size, u32 bits_per_pixel)
{
    return size >= 1 && size <= 8 && u32(position) + size <= bits_per_pixel;
}

// The loader's framebuffer, if it is a direct-colour one we can draw on.
bool from_multiboot(const boot::BootInfo& boot_info, Candidate& out)
{
    if (!boot_info.has_framebuffer)
        return false;
    auto& framebuffer = boot_info.framebuffer;
    if (framebuffer.type == 2)
        return false; // EGA text: the loader left the screen in text mode
    u32 const bpp = framebuffer.bpp;
    ChannelLayout const layout { framebuffer.red_position, framebuffer.red_size, framebuffer.green_position,
        framebuffer.green_size, framebuffer.blue_position, framebuffer.blue_size };
    u32 const storage_bits = bpp == 15 ? 16 : bpp;
    bool const usable = framebuffer.type == 1 && (bpp == 15 || bpp == 16 || bpp == 24 || bpp == 32)
        && framebuffer.width > 0 && framebuffer.width <= max_width && framebuffer.height > 0
        && framebuffer.height <= max_height && u64(framebuffer.pitch) >= u64(framebuffer.width) * storage_bits / 8
        && channel_fits(layout.red_position, layout.red_size, storage_bits)
        && channel_fits(layout.green_position, layout.green_size, storage_bits)
        && channel_fits(layout.blue_position, layout.blue_size, storage_bits);
    if (!usable) {
        kernel::log_warning("display: ignoring the loader's framebuffer (type %u, %ux%ux%u, pitch %u, red %u:%u, "
                            "green %u:%u, blue %u:%u): not a direct-colour mode Colibri can draw on",
            framebuffer.type, framebuffer.width, framebuffer.height, bpp, framebuffer.pitch, layout.red_position,
            layout.red_size, layout.green_position, layout.green_size, layout.blue_position, layout.blue_size);
        return false;
    }
    out = { framebuffer.address, framebuffer.width, framebuffer.height, bpp, framebuffer.pitch, layout, "multiboot" };
    return true;
}

void choose_writer(const Candidate& candidate)
{
    auto& layout = candidate.layout;
    s_display.red_drop = static_cast<u8>(8 - layout.red_size);
    s_display.red_shift = layout.red_position;
    s_display.green_drop = static_cast<u8>(8 - layout.green_size);
    s_display.green_shift = layout.green_position;
    s_display.blue_drop = static_cast<u8>(8 - layout.blue_size);
    s_display.blue_shift = layout.blue_position;
    bool const standard = layout.red_position == 16 && layout.red_size == 8 && layout.green_position == 8
        && layout.green_size == 8 && layout.blue_position == 0 && layout.blue_size == 8;
    if (candidate.bits_per_pixel == 32)
        s_display.writer = standard ? PixelWriter::Copy32 : PixelWriter::Convert32;
    else if (candidate.bits_per_pixel == 24)
        s_display.writer = PixelWriter::Convert24;
    else
        s_display.writer = PixelWriter::Convert16;
}

inline u32 convert(Color color)
{
    u32 const red = (color >> 16) & 0xFF;
    u32 const green = (color >> 8) & 0xFF;
    u32 const blue = color & 0xFF;
    return (red >> s_display.red_drop) << s_display.red_shift | (green >> s_display.green_drop) << s_display.green_shift
        | (blue >> s_display.blue_drop) << s_display.blue_shift;
}

// Copies one rectangle (inside the screen) of the back buffer to the framebuffer.
void copy_to_framebuffer(const Rect& rect)
{
    u32 const pitch = s_display.info.pitch;
    for (i32 y = rect.y; y < rect.y + rect.height; ++y) {
        const u32* source = s_display.back_buffer.row(y) + rect.x;
        u8* line = s_display.framebuffer + size_t(y) * pitch;
        switch (s_display.writer) {
        case PixelWriter::Copy32:
            memcpy(line + size_t(rect.x) * 4, source, size_t(rect.width) * 4);
            break;
        case PixelWriter::Convert32: {
            auto target = reinterpret_cast<u32*>(line) + rect.x;
            for (i32 i = 0; i < rect.width; ++i)
                target[i] = convert(source[i]);
            break;
        }
        case PixelWriter::Convert24: {
            u8* target = line + size_t(rect.x) * 3;
            for (i32 i = 0; i < rect.width; ++i, target += 3) {
                u32 const pixel = convert(source[i]);
                target[0] = static_cast<u8>(pixel);
                target[1] = static_cast<u8>(pixel >> 8);
                target[2] = static_cast<u8>(pixel >> 16);
            }
            break;
        }
        case PixelWriter::Convert16: {
            auto target = reinterpret_cast<u16*>(line) + rect.x;
            for (i32 i = 0; i < rect.width; ++i)
                target[i] = static_cast<u16>(convert(source[i]));
            break;
        }
        }
    }
}

u8 blend_channel(Color top, Color bottom, u32 shift, i64 numerator, i64 denominator)
{
    i64 const from = (top >> shift) & 0xFF;
    i64 const to = (bottom >> shift) & 0xFF;
    return static_cast<u8>(from + (to - from) * numerator / denominator);
}

void paint_desktop()
{
    Surface& surface = s_display.back_buffer;
    i64 const last = lib::max<i64>(surface.height() - 1, 1);
    for (i32 y = 0; y < surface.height(); ++y) {
        Color const color = Color(blend_channel(desktop_top, desktop_bottom, 16, y, last)) << 16
            | Color(blend_channel(desktop_top, desktop_bottom, 8, y, last)) << 8
            | blend_channel(desktop_top, desktop_bottom, 0, y, last);
        surface.fill_rect({ 0, y, surface.width(), 1 }, color, surface.bounds());
    }
    mark_dirty(surface.bounds());
}

bool activate(const Candidate& candidate)
{
    u64 const framebuffer_bytes = u64(candidate.pitch) * candidate.height;
    auto mapped = arch::paging::map_device_memory(candidate.address, static_cast<size_t>(framebuffer_bytes));
    if (mapped.is_error()) {
        kernel::log_error("display: cannot map the framebuffer at 0x%llx: %s", candidate.address,
            mapped.error().context());
        return false;
    }
    size_t const back_bytes = size_t(candidate.width) * candidate.height * 4;
    size_t const frames = (back_bytes + page_size - 1) / page_size;
    auto frame = kernel::frame_allocator().allocate_contiguous(frames);
    if (frame.is_error() || frame.value() + back_bytes > arch::direct_map_size) {
        if (!frame.is_error())
            (void)kernel::frame_allocator().free_contiguous(frame.value(), frames);
        kernel::log_error("display: no memory for a %ux%u back buffer (%u KiB)", candidate.width, candidate.height,
            unsigned(back_bytes / 1024));
        return false;
    }

    s_display.framebuffer = reinterpret_cast<u8*>(mapped.value());
    s_display.back_buffer = Surface(arch::physical_to_virtual<u32>(frame.value()), i32(candidate.width),
        i32(candidate.height), i32(candidate.width));
    s_display.info = { i32(candidate.width), i32(candidate.height), candidate.bits_per_pixel, candidate.pitch,
        candidate.address, candidate.source };
    s_display.dirty.reset(s_display.back_buffer.bounds());
    choose_writer(candidate);
    s_display.available = true;
    return true;
}

} // namespace

void initialize_display(const boot::BootInfo& boot_info, StringView command_line_text)
{
    boot::CommandLine command_line(command_line_text);
    StringView const video = command_line.value("video");
    if (video == "off" || video == "text") {
        kernel::log_info("display: none (video=%s), text console only", ShortText(video).text);
        return;
    }
    Mode requested { default_width, default_height, default_bits_per_pixel };
    bool const explicit_mode = !video.is_empty();
    if (explicit_mode && !parse_mode(video, requested)) {
        kernel::log_warning("display: cannot read video=%s (expected WIDTHxHEIGHTxBPP), using %ux%ux%u",
            ShortText(video).text, default_width, default_height, default_bits_per_pixel);
        requested = { default_width, default_height, default_bits_per_pixel };
    }

    bool const bochs = !drivers::bochs_display::detect().is_error();
    // An explicit mode needs the adapter we can program; otherwise the mode
    // the loader set wins, and the adapter is the fallback.
    Candidate candidate {};
    bool found = explicit_mode && bochs && from_bochs(requested, candidate);
    if (!found && from_multiboot(boot_info, candidate)) {
        found = true;
        if (explicit_mode)
            kernel::log_warning("display: video=%s not possible, keeping the loader's mode", ShortText(video).text);
    }
    if (!found && bochs)
        found = from_bochs({ default_width, default_height, default_bits_per_pixel }, candidate);
    if (!found) {
        kernel::log_info("display: none (no framebuffer from the loader, no Bochs display adapter), text console only");
        return;
    }
    if (!activate(candidate))
        return;
    // The screen is in a graphics mode now: text written to 0xB8000 would
    // not show (or, with the Bochs adapter, land in video memory).
    drivers::vga_text::disable();

    paint_desktop();
    u64 const start = arch::read_timestamp_counter();
    flush();
    u64 const cycles = arch::read_timestamp_counter() - start;
    kernel::log_info("display: %ux%ux%u from %s at 0x%llx, pitch %u, back buffer at 0x%llx", candidate.width,
        candidate.height, candidate.bits_per_pixel, candidate.source, candidate.address, candidate.pitch,
        arch::virtual_to_physical(s_display.back_buffer.pixels()));
    kernel::log_debug("display: a full-screen flush took %llu thousand TSC cycles", cycles / 1000);
    initialize_direct_screen();
}

bool display_available() { return s_display.available; }

const DisplayInfo& display_info() { return s_display.info; }

Surface& back_buffer() { return s_display.back_buffer; }

void mark_dirty(const Rect& rect)
{
    arch::InterruptDisabler disabler;
    s_display.dirty.add(rect);
}

void flush()
{
    if (!s_display.available)
        return;
    Rect rects[DirtyRegion::capacity];
    size_t count = 0;
    {
        // Take the list and account for it atomically; the copying itself
        // runs with interrupts as the caller had them.
        arch::InterruptDisabler disabler;
        for (const Rect& rect : s_display.dirty) {
            rects[count++] = rect;
            s_display.statistics.pixels_copied += u64(rect.area());
        }
        s_display.dirty.clear();
        ++s_display.statistics.flushes;
    }
    for (size_t i = 0; i < count; ++i)
        copy_to_framebuffer(rects[i]);
}

DisplayStatistics display_statistics()
{
    arch::InterruptDisabler disabler;
    return s_display.statistics;
}

} // namespace gui
