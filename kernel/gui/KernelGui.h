// The window system in the kernel (kernel-only; KernelGui.cpp): the one
// WindowManager over the display's back buffer, the desktop panel, the
// mouse cursor, and the GUI thread that turns keyboard and mouse input into
// window-manager actions and events, and copies what changed to the screen.
//
// Locking (one CPU):
//  * GuiLock is a sleeping mutex around every use of the WindowManager and
//    of the back buffer. System calls that draw take it; so does the GUI
//    thread. It is not held in interrupt context. A thread that was killed
//    while holding it (a process terminated from outside in the middle of a
//    drawing call) does not block the GUI: the next locker sees that the
//    owner is dead and takes the lock over. The window manager is then at
//    worst in the middle of painting, never in the middle of changing a
//    list, because it only changes its lists in short stretches that nothing
//    can interrupt but an interrupt handler, and those never touch it.
//  * The input drivers call the handlers installed here in interrupt
//    context; they only put the event into a ring (interrupts are off
//    there) and wake the GUI thread.
//  * The per-thread event state of the personality (KolibriGui.cpp) and a
//    window's client pointer are touched only with interrupts disabled, so
//    process teardown (which runs with interrupts disabled) can detach
//    them at any moment; the GUI thread then removes the orphaned windows.
//  Order: GuiLock, then interrupts-off sections; never the other way round.
#pragma once

#include "kernel/gui/Input.h"
#include "kernel/gui/WindowManager.h"

namespace gui {

// Called once at boot after the display, the scheduler and the ramdisk:
// paints the desktop and the panel, installs the input handlers and starts
// the GUI thread. Does nothing without a display.
void initialize_gui();
bool gui_available();

// Scoped ownership of the window system.
class GuiLock {
public:
    GuiLock();
    ~GuiLock();
    GuiLock(const GuiLock&) = delete;
    GuiLock& operator=(const GuiLock&) = delete;
};

// Under GuiLock only.
WindowManager& window_manager();

// After drawing: the GUI thread copies the changes to the screen soon.
void request_flush();
// Copies the changes (and the cursor) to the screen; under GuiLock. After
// an exposure the copy waits a little (at most exposure_hold_ms) for the
// program to redraw, so the screen does not show the bare frame first;
// `end_of_redraw` (function 12.2) ends that wait.
void flush_now(bool end_of_redraw = false);
constexpr u64 exposure_hold_ms = 25;

// Wakes the GUI thread (it then also removes windows of dead threads).
void wake_gui_thread();

// A program's mouse cursor (function 37.4): 32 x 32 ARGB pixels, row by
// row from the top, the alpha a mask (0 transparent, 255 opaque); the hot
// spot is the pixel at the pointer's position.
struct Cursor {
    static constexpr i32 size = 32;
    u32 pixels[size * size] {};
    i32 hot_x { 0 };
    i32 hot_y { 0 };
};

// What the window system reports to the program personality (KolibriOS
// events). Called under GuiLock from the GUI thread or a system call.
struct GuiClientHooks {
    void (*window_exposed)(Window&);
    void (*button_clicked)(Window&, u32 id, u32 mouse_buttons);
    // A key for the active window (null: no window has the focus).
    void (*key)(const KeyEvent&, Window* active);
    // The pointer moved or a mouse button changed.
    void (*mouse_changed)();
    // Periodic: remove windows whose owner is gone.
    void (*sweep)();
    // The cursor to show while the pointer is over `window` (a copy into
    // `cursor`); false: the standard arrow. From the GUI thread.
    bool (*window_cursor)(Window& window, Cursor& cursor);
};
void set_client_hooks(const GuiClientHooks&);
// Called when function 0 is about to paint a program window, in the
// program's thread under GuiLock (WindowManagerListener::window_defining):
// the personality re-reads the window's shape there (function 50).
void set_window_defining_hook(void (*)(Window&));

// Function 48.6 by process `pid` has just set the working area (under
// GuiLock). The panel steps aside while a program's working area is not
// the panel's own (a KolibriOS taskbar draws its own bar at an edge), and
// comes back when a program sets the panel's area again or when every
// program that set another area has exited.
void working_area_set_by_program(u32 pid);

// The modifier state after the last key (function 66.3).
u32 keyboard_modifiers();
// Wheel movement since the last call (function 37.7); zeroed by reading.
void take_scroll(i32& vertical, i32& horizontal);

} // namespace gui
