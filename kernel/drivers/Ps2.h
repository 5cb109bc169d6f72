// The 8042 PS/2 controller, the keyboard on its first port and the mouse on
// its second (aux) port.
//
// initialize() talks to the devices by polling, with their interrupts off
// at the controller; the caller hooks IRQ 1 and IRQ 12 and then calls
// enable_interrupts(). In the interrupt handlers, read() hands out the
// waiting bytes and says which device sent each.
//
// MousePacketDecoder is portable (header-only, host-tested).
#pragma once

#include "kernel/gui/Input.h"
#include "lib/Types.h"

namespace drivers::ps2 {

struct Devices {
    bool controller { false }; // an 8042 answered at all
    bool keyboard { false };
    bool mouse { false };
    // 0: standard 3-button mouse, 3: IntelliMouse (wheel), 4: IntelliMouse
    // Explorer (wheel and buttons 4 and 5).
    u8 mouse_id { 0 };
};

// Programs the controller (scancode translation to set 1 on) and the
// devices behind it. Takes up to about a second when nothing answers.
Devices initialize();
// Turns on IRQ 1 (and IRQ 12 when a mouse was found) in the controller.
void enable_interrupts(const Devices&);

// One byte from the controller's output buffer, if there is one; `from_mouse`
// tells whether the aux port sent it. Interrupt context.
bool read(u8& byte, bool& from_mouse);

// Keyboard LED bits of the "set indicators" (0xED) command.
constexpr u8 led_scroll_lock = 1 << 0;
constexpr u8 led_num_lock = 1 << 1;
constexpr u8 led_caps_lock = 1 << 2;

// Starts updating the keyboard LEDs without waiting for the keyboard (safe
// in interrupt context). The keyboard's acknowledgements arrive as ordinary
// keyboard bytes: pass each one to consume_keyboard_reply() first.
void set_keyboard_leds(u8 leds);
// True when `byte` was a reply to set_keyboard_leds() (and is no key).
bool consume_keyboard_reply(u8 byte);

// Reassembles mouse packets: 3 bytes, or 4 for the wheel mice (device id 3
// and 4). Byte 0 is buttons | always-1 (bit 3) | X and Y sign (bits 4, 5) |
// X and Y overflow (bits 6, 7); bytes 1 and 2 the low 8 bits of the 9-bit
// two's-complement movement, Y up positive; byte 3 the wheel.
//
// A byte 0 without bit 3 cannot start a packet and is dropped, which
// resynchronises after a lost byte; the caller also calls reset() when the
// bytes of one packet are too far apart in time.
class MousePacketDecoder {
public:
    void set_device_id(u8 id)
    {
        m_device_id = id;
        m_count = 0;
    }
    u8 device_id() const { return m_device_id; }
    u8 packet_size() const { return m_device_id == 3 || m_device_id == 4 ? 4 : 3; }
    // Forgets a partial packet.
    void reset() { m_count = 0; }
    bool in_packet() const { return m_count != 0; }

    // Returns true and fills `event` when `byte` completes a packet.
    bool feed(u8 byte, gui::MouseEvent& event)
    {
        if (m_count == 0 && !(byte & always_one))
            return false;
        m_bytes[m_count++] = byte;
        if (m_count < packet_size())
            return false;
        m_count = 0;
        decode(event);
        return true;
    }

private:
    static constexpr u8 always_one = 1 << 3;
    static constexpr u8 x_sign = 1 << 4;
    static constexpr u8 y_sign = 1 << 5;
    static constexpr u8 x_overflow = 1 << 6;
    static constexpr u8 y_overflow = 1 << 7;

    static i32 sign_extend(u32 value, u32 bits)
    {
        u32 sign = 1u << (bits - 1);
        value &= (1u << bits) - 1;
        return static_cast<i32>(value ^ sign) - static_cast<i32>(sign);
    }

    void decode(gui::MouseEvent& event)
    {
        u8 status = m_bytes[0];
        event = {};
        // An overflowing axis carries no usable value: drop its movement.
        if (!(status & x_overflow))
            event.dx = sign_extend(m_bytes[1] | ((status & x_sign) ? 0x100u : 0u), 9);
        if (!(status & y_overflow))
            event.dy = -sign_extend(m_bytes[2] | ((status & y_sign) ? 0x100u : 0u), 9);
        u32 buttons = status & 0x07; // left, right, middle: the same bits as MouseEvent
        if (m_device_id == 3) {
            event.wheel = static_cast<i8>(m_bytes[3]); // towards the user positive
        } else if (m_device_id == 4) {
            // IntelliMouse Explorer: bits 0-3 the wheel, 4 and 5 buttons 4
            // and 5. Mice with a tilt wheel instead use bits 6-7 = 01
            // (horizontal) or 10 (vertical) with a 6-bit value and no
            // button bits (the buttons keep their state).
            u8 extra = m_bytes[3];
            switch (extra & 0xC0) {
            case 0x40:
                event.wheel_horizontal = -sign_extend(extra, 6);
                buttons |= m_extra_buttons;
                break;
            case 0x80:
                event.wheel = sign_extend(extra, 6);
                buttons |= m_extra_buttons;
                break;
            default:
                event.wheel = sign_extend(extra, 4);
                m_extra_buttons = ((extra >> 4) & 0x03) << 3;
                buttons |= m_extra_buttons;
                break;
            }
        }
        event.buttons = buttons;
    }

    u8 m_bytes[4] {};
    u8 m_count { 0 };
    u8 m_device_id { 0 };
    u32 m_extra_buttons { 0 };
};

} // namespace drivers::ps2
