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

struct KeyEvent {
    u8 scancode { 0 };     // set-1 make code (without 0x80)
    bool extended { false }; // preceded by 0xE0
    bool released { false };
    u8 ascii { 0 };        // translated character (0: none), after modifiers
    u32 modifiers { 0 };   // state after this event
};

struct MouseEvent {
    i32 dx { 0 };          // right is positive
    i32 dy { 0 };          // DOWN is positive (screen direction)
    i32 wheel { 0 };       // vertical wheel, down (towards the user) positive
    i32 wheel_horizontal { 0 };
    u32 buttons { 0 };     // bit 0 left, 1 right, 2 middle, 3 and 4 side buttons
    bool absolute { false }; // a tablet: x/y below are positions in 0..0x7FFF
    i32 x { 0 };
    i32 y { 0 };
};

using KeyHandler = void (*)(const KeyEvent&);
using MouseHandler = void (*)(const MouseEvent&);
void set_key_handler(KeyHandler);
void set_mouse_handler(MouseHandler);

// Turns set-1 scancode bytes into key events, tracking modifiers and lock
// states; US layout for the ASCII translation. Portable.
class KeyboardDecoder {
public:
    // Returns true and fills `event` when `byte` completes a key event.
    bool feed(u8 byte, KeyEvent& event);
    u32 modifiers() const { return m_modifiers; }

private:
    bool m_extended { false };
    u32 m_modifiers { 0 };
};

// The US-layout character for a set-1 make code with the given modifiers
// (0 when the key has none). Portable, table-driven.
u8 translate_key(u8 scancode, bool extended, u32 modifiers);

} // namespace gui
