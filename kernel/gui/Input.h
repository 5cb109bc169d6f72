// What the input drivers (PS/2 keyboard and mouse; kernel/drivers/Ps2*)
// hand to the window system, and the keyboard translation (portable,
// host-tested in Keyboard.cpp).
//
// Drivers call the installed handlers from interrupt context: a handler
// must only queue the event and wake a thread.
#pragma once

#include "lib/Types.h"

namespace gui {

// Modifier bits, as KolibriOS function 66.3 reports them.
enum Modifier : u32 {
    ModLeftShift = 1u << 0,
    ModRightShift = 1u << 1,
    ModLeftCtrl = 1u << 2,
    ModRightCtrl = 1u << 3,
    ModLeftAlt = 1u << 4,
    ModRightAlt = 1u << 5,
    ModCapsLock = 1u << 6,
    ModNumLock = 1u << 7,
    ModScrollLock = 1u << 8,
};

// The characters KolibriOS's keymap gives the navigation keys (grey keys,
// and the keypad with Num Lock off) in ASCII mode (function 2).
enum NavigationKey : u8 {
    KeyLeft = 0xB0,
    KeyDown = 0xB1,
    KeyUp = 0xB2,
    KeyRight = 0xB3,
    KeyHome = 0xB4,
    KeyEnd = 0xB5,
    KeyDelete = 0xB6,
    KeyPageDown = 0xB7,
    KeyPageUp = 0xB8,
    KeyInsert = 0xB9,
};

struct KeyEvent {
    u8 scancode { 0 };     // set-1 make code (without 0x80)
    bool extended { false }; // preceded by 0xE0
    bool released { false };
    u8 ascii { 0 };        // translated character (0: none), after modifiers;
                           // always 0 for a release
    u32 modifiers { 0 };   // state after this event
};

struct MouseEvent {
    i32 dx { 0 };          // right is positive
    i32 dy { 0 };          // DOWN is positive (screen direction)
    i32 wheel { 0 };       // vertical wheel, down (towards the user) positive
    i32 wheel_horizontal { 0 }; // right positive
    u32 buttons { 0 };     // bit 0 left, 1 right, 2 middle, 3 and 4 side buttons
    bool absolute { false }; // a tablet: x/y below are positions in 0..0x7FFF
    i32 x { 0 };
    i32 y { 0 };
};

using KeyHandler = void (*)(const KeyEvent&);
using MouseHandler = void (*)(const MouseEvent&);
void set_key_handler(KeyHandler);
void set_mouse_handler(MouseHandler);

// Kernel only (KernelInput.cpp): finds the PS/2 keyboard and mouse and hooks
// their interrupts. With `log_events` (command line `inputlog`) every event
// is also logged at debug level by a kernel thread.
void initialize_input(bool log_events);

// Turns set-1 scancode bytes into key events, tracking modifiers and lock
// states; US layout for the ASCII translation. Portable.
//
// The Pause key's 0xE1 sequence and the "fake shifts" some keyboards wrap
// around grey keys (0xE0 0x2A, 0xE0 0x36 and their releases) produce no
// event. Controller replies that are no key (0x00 and 0xFF overrun, 0xFA
// acknowledge, 0xFE resend, 0xEE echo) are dropped. A lock key toggles its
// bit when pressed, not again while it auto-repeats.
class KeyboardDecoder {
public:
    // Returns true and fills `event` when `byte` completes a key event.
    bool feed(u8 byte, KeyEvent& event);
    u32 modifiers() const { return m_modifiers; }

private:
    bool m_extended { false };
    u8 m_pause_bytes_to_skip { 0 }; // inside an 0xE1 (Pause) sequence
    u32 m_modifiers { 0 };
    u32 m_held_locks { 0 }; // lock keys down now: typematic repeat must not toggle
};

// The US-layout character for a set-1 make code with the given modifiers
// (0 when the key has none). Portable, table-driven.
//  * Shift and Caps Lock (letters only) select the shifted character.
//  * Ctrl+letter gives 1-26; Ctrl with [ \ ] 6 - gives 27-31 (as terminals).
//  * Enter 13, Backspace 8, Tab 9, Esc 27; keypad Enter 13, keypad / * - +.
//  * Keypad digits and '.' with Num Lock on and no Shift; otherwise the
//    keypad and the grey keys give the NavigationKey codes.
//  * Alt does not change the character; function keys and others give 0.
u8 translate_key(u8 scancode, bool extended, u32 modifiers);

} // namespace gui
