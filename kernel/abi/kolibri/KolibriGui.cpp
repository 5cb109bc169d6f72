// KolibriOS window and drawing functions (sysfuncs.txt): 0, 1, 4, 7, 8,
// 12, 13, 14, 38, 47, 48, 67, 71. Each takes the GUI lock, finds the
// calling thread's window and draws through the window manager, which
// clips to what of that window is visible; a thread without a window
// draws nothing. User memory is read through copy_from_user only, and
// only the parts that will be drawn.
#include "lib/New.h"
#include "kernel/abi/kolibri/KolibriGui.h"
#include "kernel/abi/kolibri/KolibriSystem.h"

#include "kernel/abi/kolibri/KolibriPaths.h"
#include "kernel/abi/kolibri/KolibriState.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/debug/Log.h"
#include "kernel/gui/Decoration.h"
#include "kernel/gui/Display.h"
#include "kernel/gui/Font.h"
#include "kernel/gui/KernelGui.h"
#include "kernel/gui/KernelSkin.h"
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
        gui::TextStyle opaque = style;
        opaque.top_byte = 0xFF;
        gui::draw_text(surface, surface.bounds(), x, i32(y - top), text, length, opaque);
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

// Reads the caption at `address` (0: none) and gives it to the window;
// the header is repainted when the caption changed, or with `repaint`.
// As window._.draw_window_caption (gui/window.inc): with `encoding` 0
// the first byte tells: 1 cp866, 2 UTF-16LE, 3 UTF-8 (and is skipped),
// 0 no caption, anything else cp866 text.
void read_caption(gui::WindowManager& wm, Window& window, u32 address, u32 encoding, bool repaint)
{
    if (address == 0) {
        if (window.caption_length() || repaint)
            wm.set_caption(window, nullptr, 0, gui::TextEncoding::Cp866);
        return;
    }
    u8 caption[gui::max_caption_bytes + 2] {};
    size_t length = copy_readable(caption, address, gui::max_caption_bytes + 1);
    const u8* text = caption;
    if (encoding == 0 && length && caption[0] < 4) {
        encoding = caption[0];
        ++text;
        --length;
        if (encoding == 0)
            length = 0;
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
    end = lib::min(end, gui::max_caption_bytes);
    bool same = end == window.caption_length() && kind == window.caption_encoding();
    for (size_t i = 0; same && i < end; ++i)
        same = text[i] == window.caption()[i];
    if (!same || repaint)
        wm.set_caption(window, text, end, kind);
}

} // namespace

// Where functions 7 and 65 put an image given at EDX = x << 16 | y, in
// the program's coordinates: as sys_putimage (kernel.asm) and
// vesa20_putimage (video/vesa20.inc) do, each half plus the client box
// offset is taken modulo 65536 and unsigned, relative to the window's
// corner, so a "negative" position lies far off to the right or below
// and draws nothing (nothing is clipped on the left or top).
gui::Point image_position(const Window& window, u32 edx)
{
    gui::Point origin = window.origin();
    i32 client_x = origin.x - window.frame().x, client_y = origin.y - window.frame().y;
    i32 x = i32(u16(u32(edx >> 16) + u32(client_x)));
    i32 y = i32(u16(u32(edx & 0xFFFF) + u32(client_y)));
    return { x - client_x, y - client_y };
}

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
        // The first function 0 sets the caption: EDI for skinned
        // windows, none for the others, whatever function 71 set before
        // (window._.sys_set_window, gui/window.inc).
        thread->caption_address = window->is_skinned() ? frame.edi : 0;
        thread->caption_encoding = 0;
    } else {
        wm.redefine(*window, definition);
    }
    // Every function 0 draws the caption from the program's memory again.
    read_caption(wm, *window, thread->caption_address, thread->caption_encoding, false);
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
    // dtext (gui/font.inc) draws nothing when the first character's
    // offset, y * row width + x, is negative: on the screen (the window's
    // origin added) or in the program's buffer (its width at EDI).
    i64 row_width = 0, start_x = signed_high16(frame.ebx), start_y = signed_low16(frame.ebx);
    if (style.to_user_buffer) {
        u32 buffer_width = 0;
        if (task::copy_from_user(&buffer_width, frame.edi, sizeof(buffer_width)).is_error())
            return;
        row_width = buffer_width;
    } else {
        gui::Point origin = window->origin();
        u32 position = frame.ebx + (u32(origin.x) << 16) + u32(origin.y);
        start_x = i16(position >> 16);
        start_y = i16(position & 0xFFFF);
        row_width = gui::window_manager().screen_rect().width;
    }
    if (start_y * row_width + start_x < 0)
        return;
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
    u64 value = format.is_64bit ? u64(frame.ebp) << 32 | frame.ecx : frame.ecx;
    if (format.pointer_checked) {
        u64 read = 0;
        if (task::copy_from_user(&read, frame.ecx, format.is_64bit ? 8 : 4).is_error())
            return;
        if (format.value_is_pointer)
            value = read;
    }
    char digits[72];
    size_t count = gui::format_kolibri_number(value, format.base, format.digits, format.show_leading_zeros, digits,
        sizeof(digits));
    if (style.to_user_buffer) {
        // draw_num_text (kernel.asm) adds the window's drawing origin to
        // the position even when the digits go to the program's buffer
        // (function 4 does not): the same packed 32-bit sum here.
        u32 position = frame.edx;
        if (gui::gui_available()) {
            gui::GuiLock lock;
            if (Window* window = current_window()) {
                gui::Point origin = window->origin();
                position += (u32(origin.x) << 16) + u32(origin.y);
            }
        }
        draw_text_to_user_buffer(frame.edi, signed_high16(position), signed_low16(position),
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
    // sys_putimage (kernel.asm): a size of 0x8000 or more, or 0, draws
    // nothing.
    if ((frame.ecx & 0x80008000) || !(frame.ecx & 0xFFFF) || !(frame.ecx & 0xFFFF0000))
        return;
    i32 width = high16(frame.ecx), height = low16(frame.ecx);
    gui::GuiLock lock;
    Window* window = current_window();
    if (!window)
        return;
    gui::WindowManager& wm = gui::window_manager();
    gui::Point origin = window->origin();
    gui::Point at = image_position(*window, frame.edx);
    i32 x = at.x, y = at.y;
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
    // syscall_button (gui/button.inc) keeps the position as 16-bit window
    // coordinates: x plus the client box offset modulo 65536, unsigned,
    // so a "negative" x or y puts the button out of reach.
    gui::Point origin = window->origin();
    i32 client_x = origin.x - window->frame().x, client_y = origin.y - window->frame().y;
    gui::Button button;
    button.id = id;
    button.rect = gui::Rect { i32(u16(u32(high16(frame.ebx)) + u32(client_x))),
        i32(u16(u32(high16(frame.ecx)) + u32(client_y))), width + 1, height + 1 };
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

namespace {

// 48.8 / 48.13 (.setSkin / .setSkinUnicode, read_skin_file in
// gui/skincode.inc): EAX = 0 loaded (and every window redraws), 1 the
// file cannot be read, 2 it is not a skin. 48.8 hands the path to
// load_file as it is, 48.13 makes it full first; both are resolved here
// as function 70 paths are (relative to the current folder).
void load_skin(TrapFrame& frame, u32 encoding)
{
    frame.eax = 1;
    task::Process* process = task::current_process();
    if (!process || !process->kolibri())
        return;
    task::CallBuffer storage(sizeof(PathScratch));
    auto* scratch = reinterpret_cast<PathScratch*>(storage.bytes());
    if (!scratch)
        return;
    const char* folder = process->kolibri()->current_folder[0] ? process->kolibri()->current_folder : "/sys";
    u32 status = 0;
    if (resolve_path(*scratch, frame.ecx, encoding, folder, "", scratch->path, status).is_error()) {
        kernel::log_info("48.%u by %s: bad skin path at 0x%x", frame.ebx, process->name(), frame.ecx);
        return;
    }
    frame.eax = gui::load_skin_file(scratch->path);
    if (frame.eax == 1)
        kernel::log_info("48.%u by %s: cannot read the skin file %s", frame.ebx, process->name(), scratch->path);
    if (frame.eax == 0)
        redraw_all_windows();
}

} // namespace

// 48: the style of windows, as syscall_display_settings (gui/window.inc):
// EBX above 13 does nothing.
void sys_style(TrapFrame& frame)
{
    // 48.1 and 48.2 mark a change (windowtypechanged); only then does
    // 48.0 redraw every window.
    static bool s_style_changed = false;
    static u32 s_button_style = 0;
    // 48.10 / 48.12 only store a byte for 48.9 / 48.11 (fontSmoothing,
    // fontSize in gui/font.inc). We never smooth text, so the smoothing
    // we report starts at 0 (KolibriOS starts at 2, subpixel); the font
    // size starts at 0 as there.
    static u8 s_font_smoothing = 0;
    static u8 s_font_size = 0;
    switch (frame.ebx) {
    case 0: // apply settings: every window redraws, after a change
        if (s_style_changed) {
            s_style_changed = false;
            redraw_all_windows();
        }
        return;
    case 6: { // set the working area: ECX = left << 16 | right, EDX = top << 16 | bottom
        if (!gui::gui_available())
            return;
        gui::GuiLock lock;
        auto& wm = gui::window_manager();
        gui::Rect area = wm.working_area();
        // Signed 16-bit halves; a pair that is not ordered leaves that
        // axis as it was; a negative left/top becomes 0, a right/bottom
        // past the screen its last pixel (.setScreenWorkingArea).
        i64 left = signed_high16(frame.ecx), right = signed_low16(frame.ecx);
        i64 top = signed_high16(frame.edx), bottom = signed_low16(frame.edx);
        gui::Rect screen = wm.screen_rect();
        bool horizontal = left < right, vertical = top < bottom;
        if (!horizontal && !vertical)
            return;
        i64 new_left = horizontal ? lib::max<i64>(left, 0) : area.left();
        i64 new_right = horizontal ? lib::min<i64>(right, screen.width - 1) + 1 : area.right();
        i64 new_top = vertical ? lib::max<i64>(top, 0) : area.top();
        i64 new_bottom = vertical ? lib::min<i64>(bottom, screen.height - 1) + 1 : area.bottom();
        wm.set_working_area(gui::Rect::from_edges(new_left, new_top, new_right, new_bottom));
        // repos_windows: windows stay on the screen and all redraw. The
        // panel steps aside for a program that reserves screen edges
        // (a KolibriOS taskbar), KernelGui.h says when it comes back.
        wm.keep_windows_on_screen();
        gui::working_area_set_by_program(task::current_process() ? task::current_process()->pid() : 0);
        for (size_t i = 0; i < wm.window_count(); ++i)
            raise_event(wm.window_at_depth(i).owner(), 1);
        return;
    }
    case 1: // button style: 0 flat, 1 gradient (ECX bit 0); ours has one look
        if ((frame.ecx & 1) != s_button_style) {
            s_button_style = frame.ecx & 1;
            s_style_changed = true;
        }
        return;
    case 2: { // set the standard colours: EDX bytes (at most 192) from ECX
        u32 size = lib::min<u32>(frame.edx, gui::standard_color_bytes);
        u8 colors[gui::standard_color_bytes];
        if (copy_from_program(colors, frame.ecx, size).is_error())
            return;
        {
            arch::InterruptDisabler disabler;
            gui::set_standard_colors(colors, size);
        }
        s_style_changed = true;
        return;
    }
    case 3: { // get the standard colours: EDX bytes (at most 192) to ECX
        u32 size = lib::min<u32>(frame.edx, gui::standard_color_bytes);
        (void)copy_to_program(frame.ecx, gui::standard_colors(), size);
        return;
    }
    case 4:
        frame.eax = u32(gui::skin_header_height());
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
    case 7: { // caption margins of the skin
        gui::CaptionMargins margins = gui::skin_caption_margins();
        frame.eax = (u32(margins.left) << 16) | u32(margins.right & 0xFFFF);
        frame.ebx = (u32(margins.top) << 16) | u32(margins.bottom & 0xFFFF);
        return;
    }
    case 8: // load a skin from the file at ECX (.setSkin)
    case 13: // the same with the path's encoding in EDX (.setSkinUnicode)
        load_skin(frame, frame.ebx == 13 ? frame.edx : encoding_default);
        return;
    case 9:
        frame.eax = s_font_smoothing;
        return;
    case 10:
        s_font_smoothing = u8(frame.ecx);
        return;
    case 11:
        frame.eax = s_font_size;
        return;
    case 12:
        s_font_size = u8(frame.ecx);
        return;
    default:
        return; // .ftable ends at 13: nothing happens
    }
}

// 67: move/resize the window; -1 keeps a value. Sizes as in function 0.
// As syscall_move_window and window._.set_window_box (gui/window.inc):
// the four registers are the new box as they are (32-bit, sizes one less
// than the pixels), fitted to the screen like function 0's first call
// (window._.check_window_position): a size at or above the screen's
// (compared unsigned, so a negative one too) becomes the screen's, a
// negative position 0, and a window off the right or bottom edge is
// moved back onto the screen.
void sys_change_window(TrapFrame& frame)
{
    if (!gui::gui_available())
        return;
    gui::GuiLock lock;
    Window* window = current_window();
    if (!window)
        return;
    gui::WindowManager& wm = gui::window_manager();
    const gui::Rect& old = window->frame();
    gui::Rect screen = wm.screen_rect();
    u32 left = frame.ebx != 0xFFFFFFFF ? frame.ebx : u32(old.x);
    u32 top = frame.ecx != 0xFFFFFFFF ? frame.ecx : u32(old.y);
    u32 box_width = frame.edx != 0xFFFFFFFF ? frame.edx : u32(old.width - 1);
    u32 box_height = frame.esi != 0xFFFFFFFF ? frame.esi : u32(old.height - 1);
    auto fit = [](u32 position, u32& size, i32 screen_size) {
        if (size >= u32(screen_size))
            size = u32(screen_size - 1);
        i64 at = i32(position);
        if (at < 0)
            return i64(0);
        if (at + i64(size) >= screen_size)
            return i64(screen_size) - i64(size) - 1;
        return at;
    };
    i64 x = fit(left, box_width, screen.width);
    i64 y = fit(top, box_height, screen.height);
    gui::Rect rect { i32(x), i32(y), i32(box_width) + 1, i32(box_height) + 1 };
    // The same box changes nothing, not even a redraw event
    // (window._.set_window_box compares first).
    if (rect == old)
        return;
    wm.set_frame(*window, rect);
    // The program redraws its window after a move or resize, as on KolibriOS.
    raise_event(window->owner(), 1);
}

// 71: set the caption, as syscall_window_settings (gui/window.inc): any
// EBX sets it (ECX the string, 0 none); only with EBX = 2 is EDX the
// encoding (0-3; above 3 counts as 0: by the first byte). It also turns
// the caption on, until the next function 0 takes EDX bit 28 again, and
// repaints the header. Before the first function 0 it has no lasting
// effect: that call sets the caption itself.
void sys_window_caption(TrapFrame& frame)
{
    if (!gui::gui_available())
        return;
    GuiThread* thread = current_gui_thread();
    if (!thread)
        return;
    gui::GuiLock lock;
    if (!thread->window)
        return;
    u32 encoding = frame.ebx == 2 && (frame.edx & 0xFF) < 4 ? frame.edx & 0xFF : 0;
    thread->caption_address = frame.ecx;
    thread->caption_encoding = u8(encoding);
    gui::WindowManager& wm = gui::window_manager();
    wm.show_caption(*thread->window);
    read_caption(wm, *thread->window, frame.ecx, encoding, true);
}

} // namespace kolibri
