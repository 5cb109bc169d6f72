// KolibriOS window and drawing functions (sysfuncs.txt): 0, 1, 4, 7, 8,
// 12, 13, 14, 38, 47, 48, 67, 71. Each takes the GUI lock, finds the
// calling thread's window and draws through the window manager, which
// clips to what of that window is visible; a thread without a window
// draws nothing. User memory is read through copy_from_user only, and
// only the parts that will be drawn.
#include "lib/New.h"
#include "kernel/abi/kolibri/KolibriGui.h"
#include "kernel/abi/kolibri/KolibriSystem.h"

#include "kernel/abi/kolibri/KolibriState.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/gui/Display.h"
#include "kernel/gui/Font.h"
#include "kernel/gui/KernelGui.h"
#include "kernel/gui/Skin.h"
#include "kernel/task/Process.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/UserMemory.h"

namespace kolibri {

namespace {

using arch::TrapFrame;
using gui::Window;

constexpr u32 page_size = 4096;

// Copies up to `capacity` bytes from user memory, page by page, stopping at
// the first page that cannot be read; returns how many were copied.
size_t copy_readable(u8* out, u32 address, size_t capacity)
{
    size_t copied = 0;
    while (copied < capacity) {
        u32 at = address + u32(copied);
        if (at < address)
            break; // wrapped around
        size_t chunk = lib::min<size_t>(capacity - copied, page_size - (at % page_size));
        if (task::copy_from_user(out + copied, at, chunk).is_error())
            break;
        copied += chunk;
    }
    return copied;
}

// The text buffer of functions 4, 47 and 71 (used under the GUI lock).
u8 s_text[gui::max_nul_terminated + 4];

// Function 4/47 with flag C: the text goes into the program's own image at
// `buffer` (dword width, dword height, then width * height 32-bit pixels),
// at (x, y) of that image. Only the rows the text touches are copied in
// and out.
void draw_text_to_user_buffer(u32 buffer, i32 x, i32 y, const u8* text, size_t length, const gui::TextStyle& style)
{
    constexpr u32 max_side = 0x4000;
    constexpr u64 max_bytes = 8 * 1024 * 1024;
    u32 header[2];
    if (task::copy_from_user(header, buffer, sizeof(header)).is_error())
        return;
    u32 width = header[0], height = header[1];
    if (width == 0 || height == 0 || width > max_side || height > max_side)
        return;
    i64 top = lib::max<i64>(y, 0);
    i64 bottom = lib::min<i64>(i64(y) + gui::char_height(style), height);
    if (bottom <= top)
        return;
    u64 bytes = u64(bottom - top) * width * 4;
    if (bytes > max_bytes)
        return;
    auto* pixels = new (lib::nothrow) u32[size_t(bytes / 4)];
    if (!pixels)
        return;
    u32 first = buffer + 8 + u32(top) * width * 4;
    if (!task::copy_from_user(pixels, first, size_t(bytes)).is_error()) {
        gui::Surface surface(pixels, i32(width), i32(bottom - top), i32(width));
        gui::draw_text(surface, surface.bounds(), x, i32(y - top), text, length, style);
        (void)task::copy_to_user(first, pixels, size_t(bytes));
    }
    delete[] pixels;
}

// The calling thread's window, or null. Under the GUI lock.
Window* current_window()
{
    GuiThread* thread = current_gui_thread();
    return thread ? thread->window : nullptr;
}

i32 high16(u32 value) { return i32(value >> 16); }
i32 low16(u32 value) { return i32(value & 0xFFFF); }
i32 signed_high16(u32 value) { return i32(i16(value >> 16)); }
i32 signed_low16(u32 value) { return i32(i16(value & 0xFFFF)); }

// A coordinate register (full 32 bits) as a screen-sized value: anything
// beyond the screen stays beyond it.
i32 coordinate(u32 value) { return i32(lib::min<i64>(i64(i32(value)), 0x3FFFFFFF)); }

// The caption of a skinned window or of function 71: KolibriOS lets the
// first byte name the encoding (1 cp866, 2 UTF-16LE, 3 UTF-8). Without a
// window yet, the thread keeps it for function 0.
void set_caption_from_user(gui::WindowManager& wm, GuiThread& thread, u32 address, u32 encoding_hint)
{
    auto apply = [&](const u8* text, size_t length, gui::TextEncoding encoding) {
        if (thread.window) {
            wm.set_caption(*thread.window, text, length, encoding);
            return;
        }
        length = lib::min<size_t>(length, GuiThread::caption_capacity);
        for (size_t i = 0; i < length; ++i)
            thread.pending_caption[i] = text[i];
        thread.pending_caption_length = u32(length);
        thread.pending_caption_encoding = u8(encoding);
        thread.has_pending_caption = true;
    };
    if (address == 0) {
        apply(nullptr, 0, gui::TextEncoding::Cp866);
        return;
    }
    u8 caption[gui::max_caption_bytes + 2] {};
    size_t length = copy_readable(caption, address, gui::max_caption_bytes + 1);
    const u8* text = caption;
    u32 encoding = encoding_hint;
    if (encoding == 0 && length && caption[0] >= 1 && caption[0] <= 3) {
        encoding = caption[0];
        ++text;
        --length;
    }
    gui::TextEncoding kind = encoding == 2 ? gui::TextEncoding::Utf16Le
        : encoding == 3                    ? gui::TextEncoding::Utf8
                                           : gui::TextEncoding::Cp866;
    // The string ends at its terminator (a 16-bit one for UTF-16).
    size_t end = 0;
    if (kind == gui::TextEncoding::Utf16Le) {
        while (end + 1 < length && (text[end] || text[end + 1]))
            end += 2;
    } else {
        while (end < length && text[end])
            ++end;
    }
    apply(text, lib::min(end, gui::max_caption_bytes), kind);
}

} // namespace

// 0: define and draw the window.
void sys_define_window(TrapFrame& frame)
{
    gui::WindowDefinition definition;
    if (!gui::decode_window_definition(frame.ebx, frame.ecx, frame.edx, frame.esi, frame.edi, definition))
        return;
    GuiThread* thread = current_gui_thread();
    if (!thread)
        return;
    if (!gui::gui_available()) {
        // No screen: nothing to draw, but the redraw is done, so an event
        // loop does not spin on it.
        arch::InterruptDisabler disabler;
        thread->set_pending(EventRedraw, false);
        return;
    }
    gui::GuiLock lock;
    gui::WindowManager& wm = gui::window_manager();
    Window* window = thread->window;
    if (!window) {
        window = wm.create_window(task::current_thread()->id, definition, gui::WindowLayer::Normal,
            task::current_process()->name());
        if (!window)
            return;
        {
            arch::InterruptDisabler disabler;
            window->set_client(thread);
            thread->window = window;
        }
        if (thread->has_pending_caption) {
            thread->has_pending_caption = false;
            wm.set_caption(*window, thread->pending_caption, thread->pending_caption_length,
                gui::TextEncoding(thread->pending_caption_encoding));
        }
    } else {
        wm.redefine(*window, definition);
    }
    // Styles 3 and 4 take the caption from EDI until the first redraw ends
    // (function 0, remarks); the others from function 71.
    if (window->is_skinned() && definition.has_caption && frame.edi && !window->caption_locked())
        set_caption_from_user(wm, *thread, frame.edi, 0);
    wm.paint_window(*window);
    {
        arch::InterruptDisabler disabler;
        thread->set_pending(EventRedraw, false);
    }
}

// 12: begin (1) / end (2) redraw. Beginning removes the buttons.
void sys_redraw(TrapFrame& frame)
{
    if (frame.ebx != 1 && frame.ebx != 2)
        return;
    if (!gui::gui_available())
        return;
    gui::GuiLock lock;
    Window* window = current_window();
    if (frame.ebx == 1) {
        if (window)
            gui::window_manager().clear_buttons(*window);
        return;
    }
    if (window)
        window->lock_caption();
    gui::flush_now(true);
}

// 1: put a pixel (EDX bit 24: invert).
void sys_put_pixel(TrapFrame& frame)
{
    if (!gui::gui_available())
        return;
    gui::GuiLock lock;
    if (Window* window = current_window())
        gui::window_manager().put_pixel(*window, coordinate(frame.ebx), coordinate(frame.ecx), frame.edx & 0xFFFFFF,
            frame.edx & 0x01000000);
}

// 13: fill a rectangle (EDX bit 31: gradient).
void sys_draw_rect(TrapFrame& frame)
{
    if (!gui::gui_available())
        return;
    gui::Rect rect { high16(frame.ebx), high16(frame.ecx), low16(frame.ebx), low16(frame.ecx) };
    if (rect.is_empty())
        return;
    gui::GuiLock lock;
    if (Window* window = current_window())
        gui::window_manager().fill_rect(*window, rect, frame.edx & 0xFFFFFF, frame.edx & 0x80000000);
}

// 38: a line, both ends drawn (EDX bit 24: inverted).
void sys_draw_line(TrapFrame& frame)
{
    if (!gui::gui_available())
        return;
    gui::GuiLock lock;
    if (Window* window = current_window())
        gui::window_manager().draw_line(*window, signed_high16(frame.ebx), signed_high16(frame.ecx),
            signed_low16(frame.ebx), signed_low16(frame.ecx), frame.edx & 0xFFFFFF, frame.edx & 0x01000000);
}

// 4: text. EBX = x << 16 | y, ECX style, EDX string, ESI length, EDI
// background colour, or with flag C the program's image to draw into.
void sys_draw_text(TrapFrame& frame)
{
    size_t length = 0;
    gui::TextStyle style = gui::kolibri_text_style(frame.ecx, frame.edi, frame.esi, length);
    if (!gui::gui_available() && !style.to_user_buffer)
        return;
    // The lock also guards s_text (a program's own buffer needs no screen).
    gui::GuiLock lock;
    Window* window = gui::gui_available() ? current_window() : nullptr;
    if (!window && !style.to_user_buffer)
        return;
    size_t wanted = length == gui::nul_terminated ? gui::max_nul_terminated : length;
    size_t copied = copy_readable(s_text, frame.edx, wanted);
    if (copied == 0)
        return;
    // A NUL-terminated text that ran into unreadable memory ends there.
    for (size_t i = copied; i < sizeof(s_text); ++i)
        s_text[i] = 0;
    size_t count = length == gui::nul_terminated ? gui::nul_terminated : copied;
    if (style.to_user_buffer)
        draw_text_to_user_buffer(frame.edi, signed_high16(frame.ebx), signed_low16(frame.ebx), s_text, count, style);
    else
        gui::window_manager().draw_text(*window, signed_high16(frame.ebx), signed_low16(frame.ebx), s_text, count,
            style);
}

// 47: a number. EBX format, ECX the number or a pointer to it, EDX
// x << 16 | y, ESI colour and font, EDI background.
void sys_draw_number(TrapFrame& frame)
{
    gui::KolibriNumberFormat format = gui::kolibri_number_format(frame.ebx);
    if (!format.draws)
        return;
    gui::TextStyle style = gui::kolibri_number_style(frame.esi, frame.edi);
    u64 value = frame.ecx;
    if (format.value_is_pointer) {
        u64 read = 0;
        if (task::copy_from_user(&read, frame.ecx, format.is_64bit ? 8 : 4).is_error())
            return;
        value = read;
    }
    char digits[72];
    size_t count = gui::format_kolibri_number(value, format.base, format.digits, format.show_leading_zeros, digits,
        sizeof(digits));
    if (style.to_user_buffer) {
        draw_text_to_user_buffer(frame.edi, signed_high16(frame.edx), signed_low16(frame.edx),
            reinterpret_cast<const u8*>(digits), count, style);
        return;
    }
    if (!gui::gui_available())
        return;
    gui::GuiLock lock;
    if (Window* window = current_window())
        gui::window_manager().draw_text(*window, signed_high16(frame.edx), signed_low16(frame.edx),
            reinterpret_cast<const u8*>(digits), count, style);
}

// 7: a 24-bit image (BB GG RR per pixel, rows of 3 * width bytes).
void sys_draw_image(TrapFrame& frame)
{
    if (!gui::gui_available())
        return;
    i32 width = high16(frame.ecx), height = low16(frame.ecx);
    i32 x = signed_high16(frame.edx), y = signed_low16(frame.edx);
    if (width <= 0 || height <= 0)
        return;
    gui::GuiLock lock;
    Window* window = current_window();
    if (!window)
        return;
    gui::WindowManager& wm = gui::window_manager();
    gui::Point origin = window->origin();
    gui::Region part = wm.visible_part(*window, { x, y, width, height });
    // One row piece at a time through a small buffer: only the visible
    // pixels are read from the program.
    constexpr i32 chunk = 256;
    u8 raw[chunk * 3];
    u32 pixels[chunk];
    for (const gui::Rect& rect : part) {
        for (i32 row = rect.y; row < rect.y + rect.height; ++row) {
            i32 image_row = row - (origin.y + y);
            for (i32 column = rect.x; column < rect.x + rect.width; column += chunk) {
                i32 count = lib::min<i32>(chunk, i32(rect.right()) - column);
                i32 image_column = column - (origin.x + x);
                u64 offset = (u64(image_row) * u64(width) + u64(image_column)) * 3;
                if (offset > 0xFFFFFFFFull || task::copy_from_user(raw, frame.ebx + u32(offset), size_t(count) * 3).is_error())
                    return; // the program's image is not readable: stop drawing
                for (i32 i = 0; i < count; ++i)
                    pixels[i] = u32(raw[3 * i + 2]) << 16 | u32(raw[3 * i + 1]) << 8 | raw[3 * i];
                wm.blit(*window, column - origin.x, row - origin.y, pixels, count, 1, count);
            }
        }
    }
}

// 8: define (EDX bit 31 clear) or delete (set) a button.
void sys_button(TrapFrame& frame)
{
    if (!gui::gui_available())
        return;
    gui::GuiLock lock;
    Window* window = current_window();
    if (!window)
        return;
    gui::WindowManager& wm = gui::window_manager();
    u32 id = frame.edx & 0xFFFFFF;
    if (frame.edx & 0x80000000) {
        wm.remove_buttons(*window, id);
        return;
    }
    i32 width = low16(frame.ebx), height = low16(frame.ecx);
    // Sizes must be above 0 and below 0x8000 (function 8, remarks); like
    // windows, a button covers its size plus one pixel.
    if (width <= 0 || height <= 0 || width >= 0x8000 || height >= 0x8000)
        return;
    gui::Point origin = window->origin();
    gui::Button button;
    button.id = id;
    button.rect = gui::Rect { signed_high16(frame.ebx), signed_high16(frame.ecx), width + 1, height + 1 }
                      .translated(origin.x - window->frame().x, origin.y - window->frame().y);
    button.color = frame.esi & 0xFFFFFF;
    button.drawn = !(frame.edx & (1u << 30));
    button.press_frame = !(frame.edx & (1u << 29));
    wm.add_button(*window, button);
}

// 14: screen size, each minus one.
void sys_screen_size(TrapFrame& frame)
{
    if (!gui::display_available()) {
        frame.eax = (639u << 16) | 479u;
        return;
    }
    const gui::DisplayInfo& info = gui::display_info();
    frame.eax = (u32(info.width - 1) << 16) | u32(info.height - 1);
}

void redraw_all_windows()
{
    if (!gui::gui_available())
        return;
    gui::GuiLock lock;
    auto& wm = gui::window_manager();
    for (size_t i = 0; i < wm.window_count(); ++i)
        raise_event(wm.window_at_depth(i).owner(), 1);
}

// 48: the style of windows.
void sys_style(TrapFrame& frame)
{
    static u32 s_colors[10] = {};
    static bool s_colors_set = false;
    switch (frame.ebx) {
    case 0: // apply settings: every window redraws
        redraw_all_windows();
        return;
    case 6: { // set the working area: ECX = left << 16 | right, EDX = top << 16 | bottom
        if (!gui::gui_available())
            return;
        gui::GuiLock lock;
        auto& wm = gui::window_manager();
        gui::Rect area = wm.working_area();
        i64 left = frame.ecx >> 16, right = frame.ecx & 0xFFFF;
        i64 top = frame.edx >> 16, bottom = frame.edx & 0xFFFF;
        // A side pair that is not ordered leaves that axis as it was.
        i64 new_left = left < right ? left : area.left(), new_right = left < right ? right + 1 : area.right();
        i64 new_top = top < bottom ? top : area.top(), new_bottom = top < bottom ? bottom + 1 : area.bottom();
        if (gui::display_available()) {
            new_right = lib::min<i64>(new_right, gui::display_info().width);
            new_bottom = lib::min<i64>(new_bottom, gui::display_info().height);
        }
        wm.set_working_area(gui::Rect::from_edges(new_left, new_top, new_right, new_bottom));
        for (size_t i = 0; i < wm.window_count(); ++i)
            raise_event(wm.window_at_depth(i).owner(), 1);
        return;
    }
    case 10: // font smoothing
    case 12: // font size
        return;
    case 1: // button style: ours has one
        return;
    case 2: { // set the standard colours
        u32 size = lib::min<u32>(frame.edx, sizeof(s_colors));
        u32 colors[10];
        for (u32 i = 0; i < 10; ++i)
            colors[i] = s_colors_set ? s_colors[i] : gui::skin::standard_colors[i];
        if (copy_from_program(colors, frame.ecx, size).is_error())
            return;
        arch::InterruptDisabler disabler;
        for (u32 i = 0; i < 10; ++i)
            s_colors[i] = colors[i];
        s_colors_set = true;
        return;
    }
    case 3: { // get the standard colours
        u32 colors[10];
        for (u32 i = 0; i < 10; ++i)
            colors[i] = s_colors_set ? s_colors[i] : gui::skin::standard_colors[i];
        (void)copy_to_program(frame.ecx, colors, lib::min<u32>(frame.edx, sizeof(colors)));
        return;
    }
    case 4:
        frame.eax = gui::skin::height;
        return;
    case 5: { // working area, inclusive corners
        gui::Rect area { 0, 0, 640, 480 };
        if (gui::gui_available()) {
            gui::GuiLock lock;
            area = gui::window_manager().working_area();
        } else if (gui::display_available()) {
            area = { 0, 0, gui::display_info().width, gui::display_info().height };
        }
        frame.eax = (u32(area.x) << 16) | u32(area.right() - 1);
        frame.ebx = (u32(area.y) << 16) | u32(area.bottom() - 1);
        return;
    }
    case 7: // caption margins of the skin
        frame.eax = (u32(gui::skin::caption_left) << 16) | u32(gui::skin::caption_right);
        frame.ebx = (u32(gui::skin::caption_top) << 16) | u32(gui::skin::caption_bottom);
        return;
    case 8: // load a skin from a file: ours is built in and skin files
            // are not read; answer "file not found" (KolibriOS's error 5)
            // rather than claim a success that changed nothing.
        frame.eax = static_cast<u32>(-5);
        return;
    case 9: // font smoothing: off
        frame.eax = 0;
        return;
    case 11: // font size
        frame.eax = 9;
        return;
    default:
        unimplemented_gui(frame);
    }
}

// 67: move/resize the window; -1 keeps a value. Sizes as in function 0.
void sys_change_window(TrapFrame& frame)
{
    if (!gui::gui_available())
        return;
    gui::GuiLock lock;
    Window* window = current_window();
    if (!window)
        return;
    gui::Rect rect = window->frame();
    if (frame.ebx != 0xFFFFFFFF)
        rect.x = i32(lib::min<u32>(frame.ebx, 0xFFFF));
    if (frame.ecx != 0xFFFFFFFF)
        rect.y = i32(lib::min<u32>(frame.ecx, 0xFFFF));
    if (frame.edx != 0xFFFFFFFF)
        rect.width = i32(lib::min<u32>(frame.edx, 0xFFFF)) + 1;
    if (frame.esi != 0xFFFFFFFF)
        rect.height = i32(lib::min<u32>(frame.esi, 0xFFFF)) + 1;
    gui::window_manager().set_frame(*window, rect);
    // The program redraws its window after a move or resize, as on KolibriOS.
    raise_event(window->owner(), 1);
}

// 71.1 / 71.2: set the caption (ECX string, 0 removes it; 71.2: EDX the
// encoding, 0 = by the first byte).
void sys_window_caption(TrapFrame& frame)
{
    if (frame.ebx != 1 && frame.ebx != 2) {
        unimplemented_gui(frame);
        return;
    }
    if (!gui::gui_available())
        return;
    GuiThread* thread = current_gui_thread();
    if (!thread)
        return;
    gui::GuiLock lock;
    u32 encoding = frame.ebx == 2 && frame.edx <= 3 ? frame.edx : 0;
    set_caption_from_user(gui::window_manager(), *thread, frame.ecx, encoding);
}

} // namespace kolibri
