// The window and event functions of the KolibriOS personality
// (sysfuncs.txt): windows, drawing, buttons, keys, the mouse and the event
// queue of each thread. KolibriGui.cpp holds the window and drawing
// functions, KolibriEvents.cpp the per-thread event state and the input
// functions. Both run on top of the kernel window system (gui/KernelGui.h).
//
// Every KolibriOS thread that uses these functions gets a GuiThread: its
// event mask (function 40), pending events, key and button buffers, and its
// window (KolibriOS gives each thread at most one). The GuiThreads of a
// process hang off its KolibriState and die with it.
#pragma once

#include "kernel/arch/i386/Interrupts.h"
#include "kernel/event/EventQueue.h"
#include "kernel/gui/Geometry.h"
#include "kernel/task/WaitQueue.h"
#include "lib/Types.h"

namespace gui {
class Window;
struct Cursor;
}
namespace task {
struct KolibriState;
}

namespace kolibri {

// Event numbers (sysfuncs.txt, "List of events").
enum Event : u32 {
    EventRedraw = 1,
    EventKey = 2,
    EventButton = 3,
    EventBackground = 5,
    EventMouse = 6,
    EventIpc = 7,
    EventNetwork = 8,
    EventDebug = 9,
    EventNetwork2 = 10, // IP configuration or link changed (all threads)
};

// Function 40's default: redraw, key and button.
constexpr u32 default_event_mask = 7;

// A system-wide hotkey (function 66.4) of one thread.
struct GuiHotkey {
    u8 scancode { 0 };   // CL: 0 a combination of control keys alone
    u32 modifiers { 0 }; // EDX: 0xXYZ, a rule for Alt, Ctrl and Shift
    u32 order { 0 };     // when it was set: the newest match gets the key
    GuiHotkey* next { nullptr };
};

struct GuiThread {
    static constexpr u32 key_capacity = 120;  // as KolibriOS's key buffer
    // All threads together hold at most this many hotkeys (function 66.4).
    static constexpr u32 hotkey_limit = 256;

    GuiThread() = default;
    GuiThread(const GuiThread&) = delete;
    GuiThread& operator=(const GuiThread&) = delete;
    // Frees the hotkeys (a thread's hotkeys end with it); interrupts off.
    ~GuiThread();

    // KolibriOS keeps one pressed button per thread: a new press replaces
    // one not yet read with function 17.
    static constexpr u32 button_capacity = 1;

    // A GuiThread for KolibriOS thread `thread_id` of process `process_id`,
    // with a redraw pending (so the usual event loop draws its window first)
    // and its queue watching its events under the default mask; null when
    // out of memory.
    static GuiThread* create(u32 thread_id, u32 process_id);

    // Event `event` (1..32) pending or not; interrupts off. Reporting
    // follows from the queue: a change that makes a wanted event pending
    // wakes the thread's waiters, one the mask excludes wakes nobody.
    bool pending(u32 event) const { return events.readiness() & event_bit(event); }
    void set_pending(u32 event, bool on)
    {
        u32 bits = events.readiness();
        events.notify(on ? bits | event_bit(event) : bits & ~event_bit(event));
    }
    // Function 40: the new mask; the queue's interest follows it.
    void set_event_mask(u32 mask);
    static constexpr u32 event_bit(u32 event) { return 1u << (event - 1); }

    u32 thread_id { 0 };
    u32 process_id { 0 };
    u32 event_mask { default_event_mask };
    // The thread's events as an event source (kernel/event): bit n-1 is
    // event n, as in function 40's mask. Redraw, key and button stay
    // pending until functions 0, 2 and 17 consume them; the others go when
    // reported. `queue` watches it, level-triggered, with the events the
    // mask lets through as its interest; functions 10, 11 and 23 collect
    // from the queue, and its wake hook wakes `waiters`.
    event::EventSource events;
    event::EventQueue queue;
    u32 keys[key_capacity];  // function 2's EAX values (key_count of them from key_head)
    u32 key_head { 0 };
    u32 key_count { 0 };
    u32 buttons[button_capacity]; // function 17's EAX values
    u32 button_head { 0 };
    u32 button_count { 0 };
    bool scancodes { false };   // function 66.1: keyboard_mode is not 0
    u8 keyboard_mode { 0 };     // 66.1's CL as it was given (66.2, function 9 +75)
    GuiHotkey* hotkeys { nullptr }; // function 66.4/66.5
    // Function 37.5: the cursor over this thread's window (0/null: the
    // arrow). It belongs to the process's LoadedCursor list.
    u32 cursor_handle { 0 };
    const gui::Cursor* cursor { nullptr };
    gui::Window* window { nullptr };
    // The caption as KolibriOS keeps it (WDATA.caption and
    // captionEncoding, gui/window.inc): an address in the program, read
    // again each time function 0 or 71 draws it (0: none), and 71.2's
    // encoding (1-3; 0: the first byte tells).
    u32 caption_address { 0 };
    u8 caption_encoding { 0 };
    task::WaitQueue waiters;    // function 10/23 sleepers, woken by `queue`
    GuiThread* next { nullptr };
};

// Appends a function 2 value to the thread's key buffer and makes the key
// event pending; false (the key dropped, as KolibriOS does) when the
// buffer is full. Interrupts off.
bool push_key(GuiThread& thread, u32 value);

// A cursor loaded by function 37.4; the process's list (KolibriState)
// owns them, and they die with it (release_gui_state) or by function 37.6.
struct LoadedCursor;

// Functions 7 and 65: where an image given at EDX = x << 16 | y goes, in
// the program's drawing coordinates (see KolibriGui.cpp). Under GuiLock.
gui::Point image_position(const gui::Window&, u32 edx);

// Installs the window system hooks; called once after the GUI started.
void initialize_kolibri_gui();

// Posts event `event` (1..32) to a KolibriOS thread and wakes it; other
// subsystems use it for IPC (7), network (8, 10) and debug (9) events. False
// when no such KolibriOS thread exists.
bool raise_event(u32 thread_id, u32 event);
// Event 5 for every thread (the desktop background was redrawn).
void raise_background_event();

// What function 9 reports about a thread's window (sysfuncs.txt, function
// 9: offsets +4, +34..+49, +54..+70). Sizes are KolibriOS-style, one less
// than the pixels; the client box is relative to the window.
struct ThreadWindowInfo {
    bool has_window { false };
    u16 stack_position { 0 };     // +4: position in the window stack (1 = bottom)
    i32 x { 0 }, y { 0 };          // +34, +38
    i32 x_size { 0 }, y_size { 0 }; // +42, +46
    i32 client_x { 0 }, client_y { 0 };          // +54, +58
    i32 client_width { 0 }, client_height { 0 }; // +62, +66
    u8 state { 0 };                // +70: bit 1 minimized
    bool active { false };         // the window has the keyboard
};
// False when the GUI is off or the thread has no window (then `info` says
// so and the rest is zero, as KolibriOS reports for windowless threads).
bool thread_window_info(u32 thread_id, ThreadWindowInfo& info);
// The thread whose window is at 1-based stack position `position` (0: none).
u32 thread_at_stack_position(u32 position);

// Process teardown (from destroy_kolibri_state, interrupts disabled): the
// windows are detached (the GUI thread removes them) and the per-thread
// state freed.
void release_gui_state(task::KolibriState&);
// The calling thread ends while its process goes on (function -1).
void gui_thread_exiting();

// The calling thread's state, created on first use (null: no memory or
// not a KolibriOS thread).
GuiThread* current_gui_thread();

// Function handlers (dispatch table in KolibriSyscalls.cpp).
void sys_define_window(arch::TrapFrame&);   // 0
void sys_put_pixel(arch::TrapFrame&);       // 1
void sys_get_key(arch::TrapFrame&);         // 2
void sys_draw_text(arch::TrapFrame&);       // 4
void sys_draw_image(arch::TrapFrame&);      // 7
void sys_button(arch::TrapFrame&);          // 8
void sys_wait_event(arch::TrapFrame&);      // 10
void sys_check_event(arch::TrapFrame&);     // 11
void sys_redraw(arch::TrapFrame&);          // 12
void sys_draw_rect(arch::TrapFrame&);       // 13
void sys_screen_size(arch::TrapFrame&);     // 14
void sys_get_button(arch::TrapFrame&);      // 17
void sys_wait_event_timeout(arch::TrapFrame&); // 23
void sys_mouse(arch::TrapFrame&);           // 37
void sys_draw_line(arch::TrapFrame&);       // 38
void sys_event_mask(arch::TrapFrame&);      // 40
void sys_draw_number(arch::TrapFrame&);     // 47
void sys_style(arch::TrapFrame&);           // 48
void sys_keyboard(arch::TrapFrame&);        // 66
void sys_change_window(arch::TrapFrame&);   // 67
void sys_window_caption(arch::TrapFrame&);  // 71

// Shared by both files: the reply of a function that is not available in
// this configuration (no display) or with these arguments.
void unimplemented_gui(arch::TrapFrame&);

} // namespace kolibri
