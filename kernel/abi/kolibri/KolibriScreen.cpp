// KolibriOS screen, background, shape and palette-image functions
// (sysfuncs.txt: 15, 25, 35, 36, 39, 50, 61, 65); see KolibriScreen.h.
//
// Where things live:
//  * The desktop background image (gui::BackgroundImage) is kept in
//    physically contiguous pages of its own, so function 15.6 can map
//    exactly those pages into a program. A painter installed into the
//    window manager draws it wherever the desktop shows.
//  * Reading the screen (35, 36) reads the back buffer, which never holds
//    the mouse cursor (KernelGui.cpp), so programs read what was drawn.
//  * Function 25 draws into the back buffer on the desktop only: its
//    images lie under every window and last until that part of the desktop
//    is painted again (event 5 tells the program when).
//  * Function 61 describes the screen programs find at 0xFE000000 and
//    gs:0: the back buffer (kernel/gui/DirectScreen.h).
//  * Function 65 clips and reads like function 7 (KolibriGui.cpp), so 65
//    with 24 bits per pixel and EBP = 0 draws exactly what 7 draws.
//
// Pointers: every one goes through copy_from_user/copy_to_user, and only
// the bytes of what is drawn or read are touched. A null pointer does
// nothing: a KolibriOS program lives at address 0, so a null "buffer"
// would be its own header and code.
//
// Locking: everything here, the background image included, is used under
// GuiLock; the records of background mappings are checked against the
// address spaces with interrupts off (task::AddressSpaceGuard), inside it.
#include "lib/New.h"
#include "kernel/abi/kolibri/KolibriScreen.h"

#include "kernel/abi/kolibri/KolibriGui.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Gdt.h"
#include "kernel/arch/i386/Layout.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/gui/Background.h"
#include "kernel/gui/Decoration.h"
#include "kernel/gui/DirectScreen.h"
#include "kernel/gui/Display.h"
#include "kernel/gui/KernelGui.h"
#include "kernel/mm/AddressSpace.h"
#include "kernel/mm/KernelMemory.h"
#include "kernel/mm/PhysicalFrameAllocator.h"
#include "kernel/task/AddressSpaceGuard.h"
#include "kernel/task/Process.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/Thread.h"
#include "kernel/task/UserMemory.h"

namespace kolibri {

namespace {

using arch::TrapFrame;
using gui::Rect;

constexpr u32 error_value = 0xFFFFFFFF;

i32 high16(u32 value) { return i32(value >> 16); }
i32 low16(u32 value) { return i32(value & 0xFFFF); }
i32 signed_high16(u32 value) { return i32(i16(value >> 16)); }
i32 signed_low16(u32 value) { return i32(i16(value & 0xFFFF)); }

gui::Window* current_window()
{
    GuiThread* thread = current_gui_thread();
    return thread ? thread->window : nullptr;
}

// --- The background image (15, 39) -------------------------------------------------

gui::BackgroundImage s_background;
PhysicalAddress s_background_base;
size_t s_background_frames;
bool s_painter_installed;
// 15.8: the bounding box of the last repaint of the desktop. Repaints
// less than repaint_burst_ms apart count as one (a window move repaints
// the desktop in several pieces).
constexpr u64 repaint_burst_ms = 10;
Rect s_last_repaint;
u64 s_last_repaint_ms;
bool s_repainted;

// 15.6 mappings: which process has the image mapped where. While one
// exists, 15.1 leaves the size alone (15.6 remarks), so the pages a
// program can see are never freed under it.
struct BackgroundMapping {
    u32 pid { 0 };
    u32 address { 0 };
    u32 length { 0 };
};
constexpr size_t max_mappings = 16;
BackgroundMapping s_mappings[max_mappings];
// Where 15.6 places mappings when that range is free.
constexpr uintptr_t mapping_hint = 0x70000000;

void note_desktop_painted(const Rect& rect)
{
    u64 now = arch::pit::uptime_ms();
    if (!s_repainted || now - s_last_repaint_ms > repaint_burst_ms)
        s_last_repaint = rect;
    else
        s_last_repaint = s_last_repaint.united(rect);
    s_last_repaint_ms = now;
    s_repainted = true;
}

// The window manager's desktop painter (under GuiLock). Every repaint of
// the desktop is a background redraw for the programs: they get event 5
// and find the area with 15.8, so they can restore what they put on the
// background layer (function 25).
void paint_background(gui::Surface& surface, const Rect& clip, void*)
{
    if (s_background.is_set())
        s_background.paint(surface, clip);
    else
        gui::paint_default_desktop(surface, clip);
    note_desktop_painted(clip.intersected(surface.bounds()));
    raise_background_event();
}

void install_painter()
{
    if (s_painter_installed)
        return;
    gui::set_desktop_painter(paint_background, nullptr);
    s_painter_installed = true;
}

// True when the mapping still exists: its process is alive and still has
// our pages at that address. Interrupts off.
bool mapping_alive_locked(const BackgroundMapping& mapping)
{
    task::Process* process = task::Process::find(mapping.pid);
    if (!process)
        return false;
    const mm::Region* region = process->address_space().find_region(mapping.address);
    return region && region->backing() == mm::Backing::Device && region->start() == mapping.address
        && region->physical_address_of(mapping.address) == s_background_base;
}

// Forgets mappings whose process ended or unmapped them otherwise; true
// when some remain.
bool prune_mappings()
{
    task::AddressSpaceGuard guard;
    bool any = false;
    for (auto& mapping : s_mappings) {
        if (mapping.pid == 0)
            continue;
        if (mapping_alive_locked(mapping))
            any = true;
        else
            mapping = {};
    }
    return any;
}

void free_background_frames(PhysicalAddress base, size_t frames)
{
    if (!frames)
        return;
    arch::InterruptDisabler disabler;
    (void)kernel::frame_allocator().free_contiguous(base, frames);
}

// 15.1: a new image, black, of the given size.
void set_background_size(u32 width, u32 height)
{
    u64 bytes = gui::BackgroundImage::bytes_for(width, height);
    if (bytes == 0)
        return;
    if (prune_mappings())
        return; // a program has the image mapped: the size stays
    size_t frames = size_t((bytes + mm::page_size - 1) / mm::page_size);
    PhysicalAddress base;
    {
        arch::InterruptDisabler disabler;
        auto allocated = kernel::frame_allocator().allocate_contiguous(frames);
        if (allocated.is_error())
            return;
        base = allocated.value();
    }
    if (base + frames * mm::page_size > arch::direct_map_size) {
        free_background_frames(base, frames);
        return;
    }
    u8* pixels = arch::physical_to_virtual<u8>(base);
    for (size_t i = 0; i < frames * mm::page_size; ++i)
        pixels[i] = 0;
    PhysicalAddress old_base = s_background_base;
    size_t old_frames = s_background_frames;
    s_background.attach(pixels, i32(width), i32(height));
    s_background_base = base;
    s_background_frames = frames;
    free_background_frames(old_base, old_frames);
}

// 15.5: `length` bytes from the program at `source` to byte `offset`.
void put_background_block(u32 source, u64 offset, u32 length)
{
    size_t count = source ? s_background.bytes_inside(offset, length) : 0;
    constexpr size_t chunk = 4096;
    for (size_t done = 0; done < count; done += chunk) {
        size_t piece = lib::min(chunk, count - done);
        if (task::copy_from_user(s_background.data() + offset + done, source + u32(done), piece).is_error())
            return; // what was readable is in
    }
}

// 15.6: map the image into the calling process; its address or 0.
u32 map_background()
{
    if (!s_background.is_set())
        return 0;
    prune_mappings();
    BackgroundMapping* slot = nullptr;
    for (auto& mapping : s_mappings) {
        if (mapping.pid == 0) {
            slot = &mapping;
            break;
        }
    }
    if (!slot)
        return 0;
    size_t length = s_background_frames * mm::page_size;
    task::AddressSpaceGuard guard;
    auto address = task::current_process()->address_space().map_device(mapping_hint, length,
        mm::Protection::Read | mm::Protection::Write, s_background_base);
    if (address.is_error())
        return 0;
    *slot = { task::current_process()->pid(), u32(address.value()), u32(length) };
    return u32(address.value());
}

// 15.7: 1 when `address` was mapped by 15.6 in this process (and is now
// unmapped), else 0.
u32 unmap_background(u32 address)
{
    if (address == 0)
        return 0;
    prune_mappings();
    u32 pid = task::current_process()->pid();
    for (auto& mapping : s_mappings) {
        if (mapping.pid != pid || mapping.address != address)
            continue;
        task::AddressSpaceGuard guard;
        (void)task::current_process()->address_space().unmap(mapping.address, mapping.length);
        mapping = {};
        return 1;
    }
    return 0;
}

// Repaints the desktop inside `rect` (screen coordinates) from the image:
// 15.3 and 15.9. The programs get event 5 even when no desktop shows there.
void redraw_background(const Rect& rect)
{
    install_painter();
    gui::WindowManager& wm = gui::window_manager();
    Rect area = rect.intersected(wm.screen_rect());
    if (area.is_empty())
        return;
    wm.repaint_desktop(area);
    s_last_repaint = area;
    s_last_repaint_ms = arch::pit::uptime_ms();
    s_repainted = true;
    raise_background_event();
    gui::request_flush();
}

// --- Shapes (50) -------------------------------------------------------------------------

// What a thread set with 50.0 and 50.1 (KolibriOS keeps it per thread and
// reads the data at every function 0). Thread identifiers are never
// reused, so a record of an ended thread is only dead weight; it is
// dropped when the table fills up.
struct ShapeRecord {
    u32 thread_id { 0 };
    u32 data { 0 };  // 50.0 pointer (0: rectangular)
    u32 scale { 0 }; // 50.1
};
constexpr size_t max_shape_records = 64;
ShapeRecord s_shapes[max_shape_records];

ShapeRecord* find_shape_record(u32 thread_id)
{
    for (auto& record : s_shapes) {
        if (record.thread_id == thread_id)
            return &record;
    }
    return nullptr;
}

ShapeRecord* shape_record_for(u32 thread_id)
{
    if (ShapeRecord* record = find_shape_record(thread_id))
        return record;
    for (int pass = 0; pass < 2; ++pass) {
        for (auto& record : s_shapes) {
            if (record.thread_id == 0) {
                record = { thread_id, 0, 0 };
                return &record;
            }
        }
        arch::InterruptDisabler disabler;
        for (auto& record : s_shapes) {
            if (!task::thread_alive(record.thread_id))
                record = {};
        }
    }
    return nullptr;
}

// Gives the window the shape its thread set, reading the data from the
// program (the calling thread must be the window's owner). Unreadable
// data or a scale that leaves no mask make the window rectangular.
void apply_shape(gui::Window& window, const ShapeRecord& record)
{
    gui::WindowManager& wm = gui::window_manager();
    if (record.data == 0) {
        wm.set_shape(window, nullptr, 0, 0, 0);
        return;
    }
    i32 columns = window.frame().width >> record.scale;
    i32 rows = window.frame().height >> record.scale;
    u64 bytes = u64(columns) * u64(rows);
    if (columns <= 0 || rows <= 0 || bytes > gui::WindowManager::max_shape_bytes) {
        wm.set_shape(window, nullptr, 0, 0, 0);
        return;
    }
    task::CallBuffer mask(static_cast<size_t>(bytes));
    if (!mask.bytes())
        return;
    if (task::copy_from_user(mask.bytes(), record.data, size_t(bytes)).is_error()
        || !wm.set_shape(window, mask.bytes(), columns, rows, record.scale))
        wm.set_shape(window, nullptr, 0, 0, 0);
}

// Function 0 is painting a window (under GuiLock, in the caller's thread).
void window_defining(gui::Window& window)
{
    task::Thread* thread = task::current_thread();
    if (!thread || window.owner() != thread->id || !task::current_process()->kolibri())
        return;
    if (ShapeRecord* record = find_shape_record(thread->id))
        apply_shape(window, *record);
}

// --- Palette images (65) -------------------------------------------------------------------

// How many bits a pixel of each depth takes in the image (9 is a grey
// byte); 0 for depths function 65 does not know.
u32 storage_bits(u32 depth)
{
    switch (depth) {
    case 1:
    case 2:
    case 4:
    case 8:
        return depth;
    case 9:
        return 8;
    case 15:
    case 16:
        return 16;
    case 24:
        return 24;
    case 32:
        return 32;
    default:
        return 0;
    }
}

// 15 and 16 bits per pixel widen each channel by shifting it up, the low
// bits 0 (putimage_get15bpp / putimage_get16bpp in kernel.asm): 0x7FFF is
// 0xF8F8F8, not white.
u32 expand5(u32 value) { return value << 3; }
u32 expand6(u32 value) { return value << 2; }

// Pixel `bit` bits into `raw` of an image of depth `depth`, as 0x00RRGGBB.
gui::Color decode_pixel(const u8* raw, u64 bit, u32 depth, const u32* palette)
{
    const u8* at = raw + bit / 8;
    switch (depth) {
    case 1:
    case 2:
    case 4: {
        u32 shift = 8 - depth - u32(bit % 8);
        return palette[(*at >> shift) & ((1u << depth) - 1)];
    }
    case 8:
        return palette[*at];
    case 9:
        return gui::Color(*at) * 0x010101;
    case 15: {
        u32 value = u32(at[0]) | u32(at[1]) << 8;
        return expand5((value >> 10) & 31) << 16 | expand5((value >> 5) & 31) << 8 | expand5(value & 31);
    }
    case 16: {
        u32 value = u32(at[0]) | u32(at[1]) << 8;
        return expand5((value >> 11) & 31) << 16 | expand6((value >> 5) & 63) << 8 | expand5(value & 31);
    }
    default: // 24 and 32: blue, green, red (and an ignored byte)
        return gui::Color(at[2]) << 16 | gui::Color(at[1]) << 8 | at[0];
    }
}

} // namespace

// 15: the desktop background.
void sys_background(TrapFrame& frame)
{
    if (!gui::gui_available()) {
        if (frame.ebx == 6 || frame.ebx == 7)
            frame.eax = 0;
        return;
    }
    gui::GuiLock lock;
    install_painter();
    switch (frame.ebx) {
    case 1: // size: ECX width, EDX height
        set_background_size(frame.ecx, frame.edx);
        return;
    case 2: // pixel: ECX byte offset, EDX colour
        s_background.put_pixel(frame.ecx, frame.edx);
        return;
    case 3: // redraw
        redraw_background(gui::window_manager().screen_rect());
        return;
    case 4: // mode: 1 tile, 2 stretch
        if (frame.ecx == 1 || frame.ecx == 2)
            s_background.set_mode(gui::BackgroundMode(frame.ecx));
        return;
    case 5: // block: ECX source, EDX offset, ESI length
        put_background_block(frame.ecx, frame.edx, frame.esi);
        return;
    case 6:
        frame.eax = map_background();
        return;
    case 7:
        frame.eax = unmap_background(frame.ecx);
        return;
    case 8: { // the last redrawn area, inclusive corners
        Rect area = s_repainted ? s_last_repaint : gui::window_manager().screen_rect();
        frame.eax = u32(area.x) << 16 | u32(area.right() - 1);
        frame.ebx = u32(area.y) << 16 | u32(area.bottom() - 1);
        return;
    }
    case 9: { // redraw ECX = left << 16 | right, EDX = top << 16 | bottom
        i32 left = high16(frame.ecx), right = low16(frame.ecx);
        i32 top = high16(frame.edx), bottom = low16(frame.edx);
        if (left > right || top > bottom)
            return;
        redraw_background(Rect::from_edges(left, top, i64(right) + 1, i64(bottom) + 1));
        return;
    }
    default:
        unimplemented_gui(frame);
    }
}

// 39: the background image read back.
void sys_background_get(TrapFrame& frame)
{
    gui::GuiLock lock;
    switch (frame.ebx) {
    case 1: // size
        frame.eax = u32(s_background.width()) << 16 | u32(s_background.height());
        return;
    case 2: { // pixel at byte offset ECX; 2 when there is none
        if (s_background.bytes_inside(frame.ecx, 3) != 3) {
            frame.eax = 2;
            return;
        }
        const u8* at = s_background.data() + frame.ecx;
        frame.eax = u32(at[2]) << 16 | u32(at[1]) << 8 | at[0];
        return;
    }
    case 3: { // rectangle ECX = x << 16 | y, EDX = width << 16 | height to ESI
        Rect rect { high16(frame.ecx), low16(frame.ecx), high16(frame.edx), low16(frame.edx) };
        Rect image { 0, 0, s_background.width(), s_background.height() };
        if (rect.is_empty() || !image.contains(rect) || frame.esi == 0) {
            frame.eax = error_value;
            return;
        }
        u32 row_pixels[256];
        for (i32 y = 0; y < rect.height; ++y) {
            for (i32 x = 0; x < rect.width; x += 256) {
                i32 count = lib::min(256, rect.width - x);
                for (i32 i = 0; i < count; ++i)
                    row_pixels[i] = s_background.pixel(rect.x + x + i, rect.y + y);
                u64 offset = (u64(y) * u64(rect.width) + u64(x)) * 4;
                if (offset > 0xFFFFFFFFull
                    || task::copy_to_user(frame.esi + u32(offset), row_pixels, size_t(count) * 4).is_error()) {
                    frame.eax = error_value;
                    return;
                }
            }
        }
        frame.eax = 0;
        return;
    }
    case 4: // mode
        frame.eax = u32(s_background.mode());
        return;
    default:
        unimplemented_gui(frame);
    }
}

// 25: a BGRT image (T = 0 transparent, else opaque) at screen position
// EDX, size ECX, from EBX; only onto the desktop, under the windows.
void sys_background_layer(TrapFrame& frame)
{
    if (!gui::gui_available())
        return;
    i32 width = high16(frame.ecx), height = low16(frame.ecx);
    i32 x = signed_high16(frame.edx), y = signed_low16(frame.edx);
    if (width <= 0 || height <= 0 || frame.ebx == 0)
        return;
    gui::GuiLock lock;
    install_painter();
    gui::WindowManager& wm = gui::window_manager();
    gui::Surface& screen = wm.screen();
    gui::Region area = wm.desktop_visible().clone();
    area.intersect(Rect { x, y, width, height });
    constexpr i32 chunk = 256;
    u8 raw[chunk * 4];
    for (const Rect& rect : area) {
        for (i32 row = rect.y; row < rect.bottom(); ++row) {
            for (i32 column = rect.x; column < rect.right(); column += chunk) {
                i32 count = i32(lib::min<i64>(chunk, rect.right() - column));
                u64 offset = (u64(row - y) * u64(width) + u64(column - x)) * 4;
                if (offset > 0xFFFFFFFFull
                    || task::copy_from_user(raw, frame.ebx + u32(offset), size_t(count) * 4).is_error()) {
                    gui::mark_dirty(area.bounding_rect());
                    gui::request_flush();
                    return; // the image is not readable: stop there
                }
                u32* target = screen.row(row) + column;
                for (i32 i = 0; i < count; ++i) {
                    const u8* pixel = raw + 4 * i;
                    if (pixel[3])
                        target[i] = u32(pixel[2]) << 16 | u32(pixel[1]) << 8 | pixel[0];
                }
            }
        }
    }
    gui::mark_dirty(area.bounding_rect());
    gui::request_flush();
}

// 35: the screen pixel at EBX = y * width + x, as 0x00RRGGBB (0 off the
// screen).
void sys_read_pixel(TrapFrame& frame)
{
    if (!gui::display_available()) {
        frame.eax = 0;
        return;
    }
    gui::GuiLock lock;
    const gui::Surface& screen = gui::back_buffer();
    u64 pixels = u64(screen.width()) * u64(screen.height());
    if (frame.ebx >= pixels) {
        frame.eax = 0;
        return;
    }
    // A program's direct write (0xFE000000) may leave the fourth byte set;
    // KolibriOS' Vesa20_getpixel32 drops it too.
    frame.eax = screen.pixel(i32(frame.ebx % u32(screen.width())), i32(frame.ebx / u32(screen.width()))) & 0xFFFFFF;
}

// 36: the screen rectangle at EDX of size ECX into EBX as BGR triples.
// Pixels off the screen are skipped (their bytes in the buffer are left
// as they were).
void sys_read_area(TrapFrame& frame)
{
    if (!gui::display_available())
        return;
    i32 width = high16(frame.ecx), height = low16(frame.ecx);
    i32 x = signed_high16(frame.edx), y = signed_low16(frame.edx);
    if (width <= 0 || height <= 0 || frame.ebx == 0)
        return;
    gui::GuiLock lock;
    const gui::Surface& screen = gui::back_buffer();
    Rect area = Rect { x, y, width, height }.intersected(screen.bounds());
    constexpr i32 chunk = 256;
    u8 raw[chunk * 3];
    for (i32 row = area.y; row < area.bottom(); ++row) {
        for (i32 column = area.x; column < area.right(); column += chunk) {
            i32 count = i32(lib::min<i64>(chunk, area.right() - column));
            const u32* source = screen.row(row) + column;
            for (i32 i = 0; i < count; ++i) {
                raw[3 * i] = u8(source[i]);
                raw[3 * i + 1] = u8(source[i] >> 8);
                raw[3 * i + 2] = u8(source[i] >> 16);
            }
            u64 offset = (u64(row - y) * u64(width) + u64(column - x)) * 3;
            if (offset > 0xFFFFFFFFull
                || task::copy_to_user(frame.ebx + u32(offset), raw, size_t(count) * 3).is_error())
                return; // the buffer is not writable: stop there
        }
    }
}

// 50: the window shape. 50.0 ECX = shape data (0: rectangular), 50.1
// ECX = scale. The data is read now (when the window exists) and again at
// every function 0.
void sys_window_shape(TrapFrame& frame)
{
    if (frame.ebx != 0 && frame.ebx != 1) {
        unimplemented_gui(frame);
        return;
    }
    if (frame.ebx == 1 && frame.ecx > gui::WindowManager::max_shape_scale)
        return;
    if (!gui::gui_available())
        return;
    task::Thread* thread = task::current_thread();
    gui::GuiLock lock;
    gui::set_window_defining_hook(window_defining);
    ShapeRecord* record = shape_record_for(thread->id);
    if (!record)
        return;
    if (frame.ebx == 0)
        record->data = frame.ecx;
    else
        record->scale = frame.ecx;
    if (gui::Window* window = current_window())
        apply_shape(*window, *record);
}

// 61: parameters of direct screen access: 1 size, 2 bits per pixel,
// 3 bytes per line, of what programs find at 0xFE000000 and gs:0 (the
// back buffer: kernel/gui/DirectScreen.h); sys_gs in kernel.asm answers
// the same of the real framebuffer, and -1 for other subfunctions. The
// calling thread's gs is set to the graphics segment (KolibriOS loads it
// into every thread at every task switch, core/sched.inc).
void sys_screen_access(TrapFrame& frame)
{
    gui::DirectScreen screen;
    if (gui::direct_screen_available())
        screen = gui::direct_screen();
    else if (gui::display_available())
        screen = { 0, 0, gui::display_info().width, gui::display_info().height, 32, u32(gui::display_info().width) * 4 };
    else
        screen = { 0, 0, 640, 480, 32, 640 * 4 };
    switch (frame.ebx) {
    case 1:
        frame.eax = u32(screen.width) << 16 | u32(screen.height);
        break;
    case 2:
        frame.eax = screen.bits_per_pixel;
        break;
    case 3:
        frame.eax = screen.pitch;
        break;
    default:
        frame.eax = error_value;
        return;
    }
    if (gui::direct_screen_available())
        frame.gs = arch::user_graphics_selector;
}

// 65: an image of ESI bits per pixel (1, 2, 4, 8 with the palette at EDI;
// 9 grey; 15, 16, 24, 32 direct) at EDX, size ECX, from EBX; rows start
// on a byte and are EBP bytes apart beyond their own length.
void sys_draw_palette_image(TrapFrame& frame)
{
    if (!gui::gui_available())
        return;
    u32 depth = frame.esi;
    u32 bits = storage_bits(depth);
    i32 width = high16(frame.ecx), height = low16(frame.ecx);
    if (bits == 0 || width <= 0 || height <= 0 || frame.ebx == 0)
        return;
    u32 palette[256];
    if (depth <= 8 && (frame.edi == 0 || task::copy_from_user(palette, frame.edi, size_t(4) << depth).is_error()))
        return;
    i64 row_bytes = (i64(width) * bits + 7) / 8;
    i64 row_stride = row_bytes + i64(i32(frame.ebp));

    gui::GuiLock lock;
    gui::Window* window = current_window();
    if (!window)
        return;
    gui::WindowManager& wm = gui::window_manager();
    gui::Point origin = window->origin();
    gui::Point at = image_position(*window, frame.edx);
    i32 x = at.x, y = at.y;
    gui::Region part = wm.visible_part(*window, { x, y, width, height });
    // One row piece at a time: only the bytes of visible pixels are read.
    constexpr i32 chunk = 256;
    u8 raw[chunk * 4 + 4];
    u32 pixels[chunk];
    for (const Rect& rect : part) {
        for (i32 row = rect.y; row < rect.bottom(); ++row) {
            i64 image_row = row - (i64(origin.y) + y);
            for (i32 column = rect.x; column < rect.right(); column += chunk) {
                i32 count = i32(lib::min<i64>(chunk, rect.right() - column));
                i64 image_column = column - (i64(origin.x) + x);
                u64 first_bit = u64(image_column) * bits;
                u64 end_bit = u64(image_column + count) * bits;
                i64 address = i64(frame.ebx) + image_row * row_stride + i64(first_bit / 8);
                u64 length = (end_bit + 7) / 8 - first_bit / 8;
                if (address < 0 || address + i64(length) > 0x100000000ll
                    || task::copy_from_user(raw, u32(address), size_t(length)).is_error())
                    return; // the image is not readable: stop drawing
                u64 skip = first_bit % 8;
                for (i32 i = 0; i < count; ++i)
                    pixels[i] = decode_pixel(raw, skip + u64(i) * bits, depth, palette);
                wm.blit(*window, column - origin.x, row - origin.y, pixels, count, 1, count);
            }
        }
    }
}

} // namespace kolibri
