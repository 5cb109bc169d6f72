// The window stack: windows in z-order, focus, the visible region of each
// window (the clip of every primitive drawn for it), the parts a change of
// the stack exposes, window decorations (KolibriOS function 0 styles 0-4,
// our own skin for 3 and 4), buttons (function 8) and what the mouse does
// to all of this (activate, press buttons, drag captions).
//
// Portable and single-threaded: the kernel glue (KernelGui.cpp) serialises
// every call and turns the listener's callbacks into KolibriOS events;
// host tests drive it against an in-memory Surface.
//
// Coordinates: a Window's frame is in screen pixels. Buttons are stored in
// window coordinates (relative to the frame's top-left). Drawing calls take
// the program's coordinates, which KolibriOS makes relative to the window,
// or to its client area when the window was defined with the
// "client-relative" flag (function 0, EDX bit 29): Window::origin() is
// where the program's (0, 0) is on the screen. Every primitive is clipped
// to the window's frame and to the parts of it no other window covers.
#pragma once

#include "kernel/gui/Font.h"
#include "kernel/gui/Geometry.h"
#include "kernel/gui/Region.h"
#include "kernel/gui/Surface.h"
#include "lib/Types.h"
#include "lib/Vector.h"

namespace gui {

// Normal windows belong to programs; Top windows (the panel, its menu) are
// the kernel's and always stay above them.
enum class WindowLayer : u8 { Normal, Top };

// Function 0's styles (EDX bits 24-27).
enum WindowStyle : u8 {
    StyleFixed = 0,        // type I
    StyleBare = 1,         // only an area, nothing drawn
    StyleSizable = 2,      // type II
    StyleSkinned = 3,
    StyleSkinnedFixed = 4,
};

// Function 0's registers, decoded.
struct WindowDefinition {
    Rect frame;                 // position and size in pixels (size = given + 1)
    u8 style { StyleFixed };
    bool has_caption { false };     // EDX bit 28
    bool client_relative { false }; // EDX bit 29
    bool no_fill { false };         // EDX bit 30
    bool gradient_fill { false };   // EDX bit 31
    Color work_color { 0 };         // EDX bits 0-23
    Color header_color { 0 };       // ESI bits 0-23 (styles 0 and 2)
    u32 header_register { 0 };      // ESI as given: types I and II step it per header line
    u8 header_gradient { 0 };       // ESI bits 28-31: 8 gradient, 4 negative (type II)
    bool unmovable { false };       // ESI bits 24-27 = 1
    Color frame_color { 0 };        // EDI (styles 0 and 2)
};

// Decodes function 0's EBX..EDI. False for the reserved styles 5-15 (the
// call is then ignored, as documented).
bool decode_window_definition(u32 ebx, u32 ecx, u32 edx, u32 esi, u32 edi, WindowDefinition&);

struct Button {
    u32 id { 0 };
    Rect rect;                  // window coordinates
    Color color { 0 };
    bool drawn { true };        // function 8, EDX bit 30 clear
    bool press_frame { true };  // EDX bit 29 clear: an inverted frame while pressed
    bool system { false };      // close/minimize of a skinned window (part of the skin)
};

constexpr size_t max_caption_bytes = 256;
// The smallest window the user can resize to.
constexpr i32 min_resized_width = 100;
constexpr i32 min_resized_height = 50;
// How far into its frame a sizable window can be grabbed for resizing.
constexpr i32 resize_border = 5;
constexpr size_t max_buttons_per_window = 1024;

class Window {
public:
    u32 id() const { return m_id; }
    // The thread that owns the window (0: the kernel).
    u32 owner() const { return m_owner; }
    WindowLayer layer() const { return m_layer; }
    const Rect& frame() const { return m_frame; }
    const WindowDefinition& definition() const { return m_definition; }
    u8 style() const { return m_definition.style; }
    bool is_skinned() const { return style() == StyleSkinned || style() == StyleSkinnedFixed; }
    bool is_minimized() const { return m_minimized; }
    // The parts of the frame that are on screen and not covered.
    const Region& visible() const { return m_visible; }
    // Function 50: a shaped window is only the part of its frame in
    // shape() (window coordinates); elsewhere the desktop and the windows
    // below show through, and the mouse reaches them.
    bool is_shaped() const { return m_shaped; }
    const Region& shape() const { return m_shape; }

    // The work area in window coordinates (KolibriOS "client box").
    Rect client_rect() const;
    // Screen position of the program's drawing origin.
    Point origin() const;
    // Height of the draggable header (0: none).
    i32 header_height() const;
    bool is_movable() const;
    // Styles 2 and 3 can be resized by their frame (function 0).
    bool is_resizable() const;

    const u8* caption() const { return m_caption; }
    size_t caption_length() const { return m_caption_length; }
    TextEncoding caption_encoding() const { return m_caption_encoding; }
    // What the panel shows: the caption, else the name given at creation.
    const char* name() const { return m_name; }

    const lib::Vector<Button>& buttons() const { return m_buttons; }

    // Opaque data of the glue (the owner's event state).
    void* client() const { return m_client; }
    void set_client(void* client) { m_client = client; }

private:
    friend class WindowManager;
    Window() = default;

    u32 m_id { 0 };
    u32 m_owner { 0 };
    WindowLayer m_layer { WindowLayer::Normal };
    Rect m_frame;
    WindowDefinition m_definition;
    bool m_minimized { false };
    Region m_visible;
    Region m_old_visible; // during a restack only
    Region m_shape;       // window coordinates, when m_shaped
    bool m_shaped { false };
    u8 m_caption[max_caption_bytes] {};
    size_t m_caption_length { 0 };
    TextEncoding m_caption_encoding { TextEncoding::Cp866 };
    char m_name[32] {};
    lib::Vector<Button> m_buttons;
    u32 m_button_generation { 0 }; // changes whenever the buttons are redefined
    void* m_client { nullptr };
};

// What the window manager tells its owner. Every method has a do-nothing
// default.
class WindowManagerListener {
public:
    // Pixels of the screen changed (to be copied to the framebuffer).
    virtual void screen_changed(const Rect&) { }
    // A program window has parts to redraw (KolibriOS event 1). The window
    // manager has already painted its decoration there.
    virtual void window_exposed(Window&) { }
    // A button was pressed and released over it (event 3); `mouse_buttons`
    // are the mouse buttons held at the press.
    virtual void button_clicked(Window&, u32 /*id*/, u32 /*mouse_buttons*/) { }
    // Kernel windows (the panel) paint themselves.
    virtual void paint_kernel_window(Window&, const Rect& /*clip*/) { }
    // The mouse over a kernel window: position in window coordinates, the
    // buttons now and before. Moves without buttons are reported too, and
    // a kernel window the pointer left gets one report at (-1, -1).
    virtual void kernel_window_mouse(Window&, Point, u32 /*buttons*/, u32 /*previous_buttons*/) { }
    // A mouse button went down at `position` over `target` (null: desktop).
    virtual void pointer_pressed(Point, Window* /*target*/) { }
    // Windows were added, removed, minimized, restored or re-captioned, or
    // the active window changed.
    virtual void windows_changed() { }
    // Function 0 is about to paint a program window (paint_window), in the
    // owner's thread: the glue may give the window its shape again from
    // the program's data (function 50 remarks: the shape is read at every
    // function 0).
    virtual void window_defining(Window&) { }
    // Brackets every change of the window list and of a window's buttons,
    // so the glue can make them indivisible (the kernel disables
    // interrupts: a thread killed while it uses the window manager then
    // never leaves a list half-changed). Calls nest.
    virtual void begin_atomic() { }
    virtual void end_atomic() { }

protected:
    ~WindowManagerListener() = default;
};

class WindowManager {
public:
    WindowManager(Surface& screen, WindowManagerListener&);
    ~WindowManager();
    WindowManager(const WindowManager&) = delete;
    WindowManager& operator=(const WindowManager&) = delete;

    Surface& screen() { return m_screen; }
    Rect screen_rect() const { return m_screen.bounds(); }

    // Screen area for program windows (without the panel; function 48.5).
    Rect working_area() const { return m_working_area; }
    void set_working_area(const Rect&);
    // After a change of the working area (function 48.6; repos_windows in
    // gui/window.inc): a program window that runs off the screen's right
    // or bottom edge is moved (and if need be shrunk) back onto it.
    // KolibriOS also fits maximized windows to the new area; Colibri has
    // no maximized state, so nothing else changes.
    void keep_windows_on_screen();

    // A new window on top of its layer. Its frame is fitted to the screen
    // as function 0 documents (a position that does not fit becomes 0, a
    // size that still does not fit becomes the screen size). A Normal
    // window becomes the active one. Nothing is painted for it; the caller
    // paints it (function 0 does). Null when memory is exhausted.
    Window* create_window(u32 owner, const WindowDefinition&, WindowLayer = WindowLayer::Normal, const char* name = "");
    // Removes the window; what it covered is exposed.
    void destroy_window(Window*);
    // Function 0 on an existing window: new style and colours (position and
    // size stay), then the decoration is painted.
    void redefine(Window&, const WindowDefinition&);
    // Paints the decoration (frame, header, caption, system buttons) and,
    // unless the definition says not to, fills the work area; function 0
    // does this on every call. Skinned windows get their close and minimize
    // buttons (re)defined.
    void paint_window(Window&);

    void set_caption(Window&, const u8* text, size_t length, TextEncoding);
    // Function 71 also turns the caption on (it sets WSTYLE_HASCAPTION,
    // which the next function 0 sets from EDX bit 28 again).
    void show_caption(Window& window) { window.m_definition.has_caption = true; }

    // Function 50: `mask` is `columns` x `rows` bytes, row by row; a
    // nonzero byte at (c, r) puts the square of 2^scale x 2^scale pixels
    // at (c << scale, r << scale) of the frame into the window. Pixels
    // beyond the mask are outside. A null mask makes the window
    // rectangular again. What changes hands is repainted and exposed.
    // False (nothing changes) for a scale above max_shape_scale, a mask
    // larger than max_shape_bytes, or a shape of more than
    // max_shape_pieces rectangles.
    static constexpr u32 max_shape_scale = 15;
    static constexpr u64 max_shape_bytes = 4 * 1024 * 1024;
    static constexpr size_t max_shape_pieces = 512;
    bool set_shape(Window&, const u8* mask, i32 columns, i32 rows, u32 scale);

    // Raises the window to the top of its layer and gives it the keyboard
    // (restoring it when minimized).
    void activate(Window&);
    Window* active() const { return m_active; }
    void minimize(Window&);
    // Moves and resizes (function 67); the frame is not fitted to the screen.
    void set_frame(Window&, const Rect&);

    // Windows bottom to top.
    size_t window_count() const { return m_stack.size(); }
    Window& window_at_depth(size_t index) const { return *m_stack[index]; }
    // Position in the stack (0 = bottom), or -1.
    i32 depth_of(const Window&) const;
    Window* find_window(u32 id) const;
    // The topmost visible window at a screen point (null: the desktop).
    Window* window_at(Point) const;

    // Buttons (function 8). Definition draws the button unless told not
    // to; ids are 24 bits. Removal deletes every button with that id.
    bool add_button(Window&, const Button&);
    void remove_buttons(Window&, u32 id);
    // Function 12.1: every button goes (also close/minimize, which the
    // following function 0 defines again).
    void clear_buttons(Window&);
    // The button under a window point, last defined first (null: none).
    const Button* button_at(const Window&, Point window_point) const;

    // Primitives in the program's coordinates (relative to origin()),
    // clipped to the visible part of the window.
    void fill_rect(Window&, const Rect&, Color, bool gradient = false);
    void put_pixel(Window&, i32 x, i32 y, Color, bool invert);
    void draw_line(Window&, i32 x0, i32 y0, i32 x1, i32 y1, Color, bool invert);
    void draw_text(Window&, i32 x, i32 y, const u8* text, size_t length, const TextStyle&);
    // `width` x `height` pixels of 0x00RRGGBB at (x, y), rows `stride` apart.
    void blit(Window&, i32 x, i32 y, const u32* pixels, i32 width, i32 height, i32 stride);
    // The visible screen rectangles of `rect` (program coordinates) of a
    // window: for callers that produce pixels row by row (function 7).
    Region visible_part(const Window&, const Rect& rect) const;

    // The mouse. Deltas move the pointer (kept on screen); the buttons are
    // the state after the event (bit 0 left, 1 right, 2 middle).
    void pointer_moved(i32 dx, i32 dy, u32 buttons);
    void pointer_set(Point, u32 buttons);
    Point pointer() const { return m_pointer; }
    u32 pointer_buttons() const { return m_pointer_buttons; }
    bool is_dragging() const { return m_drag.window != nullptr; }

    // Paints the desktop, every decoration and kernel window again and
    // exposes every program window.
    void repaint_everything();

    // After a user of the window manager stopped in the middle of an
    // operation (see KernelGui.h): forgets presses and drags, recomputes
    // every visible region from scratch and repaints and exposes
    // everything.
    void recover();

    // Paints part of the screen that is desktop (for the background
    // functions); `rect` in screen coordinates.
    void repaint_desktop(const Rect&);
    // Has a kernel window paint its visible part again (all of it, or the
    // part inside `area`, screen coordinates).
    void repaint_kernel_window(Window&, const Rect* area = nullptr);

    // For tests and diagnostics.
    const Region& desktop_visible() const { return m_desktop_visible; }

private:
    struct Press {
        Window* window { nullptr };
        Button button;
        u32 generation { 0 };
        u32 mouse_buttons { 0 };
    };
    class Atomic {
    public:
        explicit Atomic(WindowManagerListener& listener)
            : m_listener(listener)
        {
            m_listener.begin_atomic();
        }
        ~Atomic() { m_listener.end_atomic(); }
        Atomic(const Atomic&) = delete;
        Atomic& operator=(const Atomic&) = delete;

    private:
        WindowManagerListener& m_listener;
    };
    struct Drag {
        Window* window { nullptr };
        Point grab; // pointer position relative to the frame
        // Resizing instead of moving: which edges follow the pointer.
        bool left { false };
        bool right { false };
        bool bottom { false };
        Rect start; // the frame when the drag began
        Point start_pointer;
    };

    // Recomputes every visible region after a change of the stack and
    // repaints/exposes what became visible. `moved` (with its offset) is a
    // window whose pixels can be carried along; `quiet` is a window the
    // caller paints itself.
    void restack(Window* moved = nullptr, i32 dx = 0, i32 dy = 0, Window* quiet = nullptr);
    void expose(Window&, const Region&);
    void paint_decoration(Window&, const Region& clip, bool work_area);
    void paint_button(Window&, const Button&);
    void invert_button_frame(Window&, const Button&);
    void damage(const Rect&);
    void damage(const Region&);
    void remove_from_stack(Window*);
    void insert_in_stack(Window*);
    void sink_below_newer_threads(Window*);
    void choose_active();
    void handle_buttons(u32 previous);
    void drag_to(Point);
    void resize_to(Point);
    Rect fit_to_screen(const Rect&) const;
    // The screen pixels the window occupies when nothing covers it: its
    // frame, or its shape, on the screen (WindowShape.cpp).
    Region area_on_screen(const Window&, const Rect& screen) const;
    template<typename Draw>
    void for_each_clip(Window&, const Rect& bounds, Draw);

    Surface& m_screen;
    WindowManagerListener& m_listener;
    lib::Vector<Window*> m_stack; // bottom to top
    Region m_desktop_visible;
    Window* m_active { nullptr };
    Rect m_working_area;
    u32 m_next_id { 1 };
    Point m_pointer;
    u32 m_pointer_buttons { 0 };
    Press m_press;
    Drag m_drag;
    Window* m_pointer_kernel_window { nullptr }; // a kernel window got the press
    Window* m_hover_kernel_window { nullptr };   // the kernel window under the pointer
};

} // namespace gui
