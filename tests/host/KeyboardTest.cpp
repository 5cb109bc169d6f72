#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "kernel/drivers/Ps2.h"
#include "kernel/gui/Input.h"

using namespace gui;

namespace {

std::vector<KeyEvent> feed(KeyboardDecoder& decoder, std::initializer_list<int> bytes)
{
    std::vector<KeyEvent> events;
    for (int byte : bytes) {
        KeyEvent event;
        if (decoder.feed(static_cast<u8>(byte), event))
            events.push_back(event);
    }
    return events;
}

// Press and release of one plain key; returns the character of the press.
u8 type(KeyboardDecoder& decoder, u8 code)
{
    auto events = feed(decoder, { code, code | 0x80 });
    EXPECT_EQ(events.size(), 2u);
    return events.empty() ? 0 : events[0].ascii;
}

std::vector<gui::MouseEvent> feed_mouse(drivers::ps2::MousePacketDecoder& decoder, std::initializer_list<int> bytes)
{
    std::vector<gui::MouseEvent> events;
    for (int byte : bytes) {
        gui::MouseEvent event;
        if (decoder.feed(static_cast<u8>(byte), event))
            events.push_back(event);
    }
    return events;
}

} // namespace

TEST(KeyboardDecoder, PlainKeyPressAndRelease)
{
    KeyboardDecoder decoder;
    auto events = feed(decoder, { 0x1E, 0x9E });
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].scancode, 0x1E);
    EXPECT_FALSE(events[0].released);
    EXPECT_FALSE(events[0].extended);
    EXPECT_EQ(events[0].ascii, 'a');
    EXPECT_EQ(events[0].modifiers, 0u);
    EXPECT_EQ(events[1].scancode, 0x1E);
    EXPECT_TRUE(events[1].released);
    EXPECT_EQ(events[1].ascii, 0); // releases type nothing
}

TEST(KeyboardDecoder, UsLayoutRows)
{
    KeyboardDecoder decoder;
    std::string typed;
    for (u8 code = 0x02; code <= 0x0D; ++code)
        typed += static_cast<char>(type(decoder, code));
    for (u8 code = 0x10; code <= 0x1B; ++code)
        typed += static_cast<char>(type(decoder, code));
    for (u8 code = 0x1E; code <= 0x29; ++code)
        typed += static_cast<char>(type(decoder, code));
    for (u8 code = 0x2B; code <= 0x35; ++code)
        typed += static_cast<char>(type(decoder, code));
    typed += static_cast<char>(type(decoder, 0x39));
    EXPECT_EQ(typed, "1234567890-=qwertyuiop[]asdfghjkl;'`\\zxcvbnm,./ ");
}

TEST(KeyboardDecoder, ShiftedRows)
{
    KeyboardDecoder decoder;
    feed(decoder, { 0x36 }); // right shift down
    EXPECT_EQ(decoder.modifiers(), u32(ModRightShift));
    std::string typed;
    for (u8 code = 0x02; code <= 0x0D; ++code)
        typed += static_cast<char>(type(decoder, code));
    for (u8 code = 0x10; code <= 0x1B; ++code)
        typed += static_cast<char>(type(decoder, code));
    for (u8 code = 0x1E; code <= 0x29; ++code)
        typed += static_cast<char>(type(decoder, code));
    for (u8 code = 0x2B; code <= 0x35; ++code)
        typed += static_cast<char>(type(decoder, code));
    EXPECT_EQ(typed, "!@#$%^&*()_+QWERTYUIOP{}ASDFGHJKL:\"~|ZXCVBNM<>?");
    feed(decoder, { 0xB6 });
    EXPECT_EQ(decoder.modifiers(), 0u);
    EXPECT_EQ(type(decoder, 0x1E), 'a');
}

TEST(KeyboardDecoder, SpecialKeys)
{
    KeyboardDecoder decoder;
    EXPECT_EQ(type(decoder, 0x1C), 13); // Enter
    EXPECT_EQ(type(decoder, 0x0E), 8);  // Backspace
    EXPECT_EQ(type(decoder, 0x0F), 9);  // Tab
    EXPECT_EQ(type(decoder, 0x01), 27); // Esc
    EXPECT_EQ(type(decoder, 0x3B), 0);  // F1
    EXPECT_EQ(type(decoder, 0x58), 0);  // F12
    EXPECT_EQ(type(decoder, 0x37), '*'); // keypad *
}

TEST(KeyboardDecoder, LeftAndRightModifiers)
{
    KeyboardDecoder decoder;
    auto events = feed(decoder, { 0x2A, 0x1D, 0x38, 0xE0, 0x1D, 0xE0, 0x38 });
    ASSERT_EQ(events.size(), 5u);
    EXPECT_EQ(events[0].modifiers, u32(ModLeftShift));
    EXPECT_EQ(events[1].modifiers, u32(ModLeftShift | ModLeftCtrl));
    EXPECT_EQ(events[2].modifiers, u32(ModLeftShift | ModLeftCtrl | ModLeftAlt));
    EXPECT_TRUE(events[3].extended);
    EXPECT_EQ(events[3].scancode, 0x1D);
    EXPECT_EQ(events[4].modifiers, u32(ModLeftShift | ModLeftCtrl | ModLeftAlt | ModRightCtrl | ModRightAlt));
    for (const auto& event : events)
        EXPECT_EQ(event.ascii, 0);
    // Releasing the left ones keeps the right ones.
    feed(decoder, { 0xAA, 0x9D, 0xB8 });
    EXPECT_EQ(decoder.modifiers(), u32(ModRightCtrl | ModRightAlt));
    feed(decoder, { 0xE0, 0x9D, 0xE0, 0xB8 });
    EXPECT_EQ(decoder.modifiers(), 0u);
}

TEST(KeyboardDecoder, CtrlLetterGivesControlCharacters)
{
    KeyboardDecoder decoder;
    feed(decoder, { 0x1D });
    EXPECT_EQ(type(decoder, 0x2E), 3);  // Ctrl+C
    EXPECT_EQ(type(decoder, 0x1E), 1);  // Ctrl+A
    EXPECT_EQ(type(decoder, 0x2C), 26); // Ctrl+Z
    EXPECT_EQ(type(decoder, 0x1A), 27); // Ctrl+[
    EXPECT_EQ(type(decoder, 0x2B), 28); // Ctrl+backslash
    EXPECT_EQ(type(decoder, 0x1B), 29); // Ctrl+]
    EXPECT_EQ(type(decoder, 0x07), 30); // Ctrl+^
    EXPECT_EQ(type(decoder, 0x0C), 31); // Ctrl+_
    EXPECT_EQ(type(decoder, 0x02), '1'); // no control character: unchanged
    // Shift and Caps Lock do not matter for control letters.
    feed(decoder, { 0x2A });
    EXPECT_EQ(type(decoder, 0x2E), 3);
    feed(decoder, { 0xAA, 0x9D, 0xE0, 0x1D });
    EXPECT_EQ(decoder.modifiers(), u32(ModRightCtrl));
    EXPECT_EQ(type(decoder, 0x2E), 3); // right Ctrl works too
}

TEST(KeyboardDecoder, CapsLockTogglesLettersOnly)
{
    KeyboardDecoder decoder;
    auto events = feed(decoder, { 0x3A, 0xBA });
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].modifiers, u32(ModCapsLock));
    EXPECT_EQ(type(decoder, 0x1E), 'A');
    EXPECT_EQ(type(decoder, 0x02), '1');
    feed(decoder, { 0x2A });
    EXPECT_EQ(type(decoder, 0x1E), 'a'); // Shift inverts Caps Lock
    EXPECT_EQ(type(decoder, 0x02), '!');
    feed(decoder, { 0xAA, 0x3A, 0xBA });
    EXPECT_EQ(decoder.modifiers(), 0u);
    EXPECT_EQ(type(decoder, 0x1E), 'a');
}

TEST(KeyboardDecoder, HeldLockKeyTogglesOnce)
{
    KeyboardDecoder decoder;
    // Typematic repeat sends the make code again while the key is held.
    feed(decoder, { 0x45, 0x45, 0x45 });
    EXPECT_EQ(decoder.modifiers(), u32(ModNumLock));
    feed(decoder, { 0xC5, 0x46, 0xC6 });
    EXPECT_EQ(decoder.modifiers(), u32(ModNumLock | ModScrollLock));
    feed(decoder, { 0x45, 0xC5, 0x46, 0xC6 });
    EXPECT_EQ(decoder.modifiers(), 0u);
}

TEST(KeyboardDecoder, KeypadFollowsNumLock)
{
    KeyboardDecoder decoder;
    // Num Lock off: navigation codes, as KolibriOS's keymap gives them.
    EXPECT_EQ(type(decoder, 0x47), KeyHome);
    EXPECT_EQ(type(decoder, 0x48), KeyUp);
    EXPECT_EQ(type(decoder, 0x49), KeyPageUp);
    EXPECT_EQ(type(decoder, 0x4B), KeyLeft);
    EXPECT_EQ(type(decoder, 0x4C), 0);
    EXPECT_EQ(type(decoder, 0x4D), KeyRight);
    EXPECT_EQ(type(decoder, 0x4F), KeyEnd);
    EXPECT_EQ(type(decoder, 0x50), KeyDown);
    EXPECT_EQ(type(decoder, 0x51), KeyPageDown);
    EXPECT_EQ(type(decoder, 0x52), KeyInsert);
    EXPECT_EQ(type(decoder, 0x53), KeyDelete);
    EXPECT_EQ(type(decoder, 0x4A), '-');
    EXPECT_EQ(type(decoder, 0x4E), '+');

    feed(decoder, { 0x45, 0xC5 });
    std::string typed;
    for (u8 code = 0x47; code <= 0x53; ++code)
        typed += static_cast<char>(type(decoder, code));
    EXPECT_EQ(typed, "789-456+1230.");
    // Shift with Num Lock on gives the navigation keys back.
    feed(decoder, { 0x2A });
    EXPECT_EQ(type(decoder, 0x4F), KeyEnd);
    EXPECT_EQ(type(decoder, 0x4E), '+');
}

TEST(KeyboardDecoder, ExtendedKeys)
{
    KeyboardDecoder decoder;
    auto events = feed(decoder, { 0xE0, 0x48, 0xE0, 0xC8 });
    ASSERT_EQ(events.size(), 2u);
    EXPECT_TRUE(events[0].extended);
    EXPECT_EQ(events[0].scancode, 0x48);
    EXPECT_EQ(events[0].ascii, KeyUp);
    EXPECT_TRUE(events[1].extended);
    EXPECT_TRUE(events[1].released);

    // Grey keys ignore Num Lock.
    feed(decoder, { 0x45, 0xC5 });
    events = feed(decoder, { 0xE0, 0x53, 0xE0, 0x1C, 0xE0, 0x35, 0xE0, 0x5B });
    ASSERT_EQ(events.size(), 3u + 1u);
    EXPECT_EQ(events[0].ascii, KeyDelete);
    EXPECT_EQ(events[1].ascii, 13); // keypad Enter
    EXPECT_EQ(events[2].ascii, '/'); // keypad /
    EXPECT_EQ(events[3].ascii, 0);   // left Windows key
    // The prefix applies to one byte only.
    events = feed(decoder, { 0xE0, 0x1C, 0x1C });
    ASSERT_EQ(events.size(), 2u);
    EXPECT_TRUE(events[0].extended);
    EXPECT_FALSE(events[1].extended);
}

TEST(KeyboardDecoder, FakeShiftsAreIgnored)
{
    KeyboardDecoder decoder;
    // Print Screen: E0 2A E0 37, released E0 B7 E0 AA.
    auto events = feed(decoder, { 0xE0, 0x2A, 0xE0, 0x37, 0xE0, 0xB7, 0xE0, 0xAA });
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].scancode, 0x37);
    EXPECT_TRUE(events[0].extended);
    EXPECT_EQ(events[0].ascii, 0); // not keypad *
    EXPECT_EQ(decoder.modifiers(), 0u);
    // A grey arrow with real Shift held: E0 AA E0 4B ... E0 CB E0 2A.
    feed(decoder, { 0x2A });
    events = feed(decoder, { 0xE0, 0xAA, 0xE0, 0x4B, 0xE0, 0xCB, 0xE0, 0x2A });
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].modifiers, u32(ModLeftShift));
    EXPECT_EQ(decoder.modifiers(), u32(ModLeftShift));
    feed(decoder, { 0xE0, 0x36, 0xE0, 0xB6 });
    EXPECT_EQ(decoder.modifiers(), u32(ModLeftShift));
}

TEST(KeyboardDecoder, PauseSequenceIsIgnoredCleanly)
{
    KeyboardDecoder decoder;
    auto events = feed(decoder, { 0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5 });
    EXPECT_TRUE(events.empty());
    EXPECT_EQ(decoder.modifiers(), 0u); // neither Ctrl nor Num Lock
    EXPECT_EQ(type(decoder, 0x1E), 'a');
    // With Ctrl held (Ctrl+Pause is Break: E0 46 E0 C6, no Scroll Lock).
    feed(decoder, { 0x1D });
    events = feed(decoder, { 0xE0, 0x46, 0xE0, 0xC6 });
    ASSERT_EQ(events.size(), 2u);
    EXPECT_TRUE(events[0].extended);
    EXPECT_EQ(decoder.modifiers(), u32(ModLeftCtrl));
}

TEST(KeyboardDecoder, ProtocolBytesAreNoKeys)
{
    KeyboardDecoder decoder;
    EXPECT_TRUE(feed(decoder, { 0xFA, 0xFE, 0xEE, 0x00, 0xFF }).empty());
    EXPECT_EQ(type(decoder, 0x10), 'q');
}

TEST(KeyboardDecoder, AltKeepsTheCharacter)
{
    KeyboardDecoder decoder;
    feed(decoder, { 0x38 });
    auto events = feed(decoder, { 0x1E });
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].ascii, 'a');
    EXPECT_EQ(events[0].modifiers, u32(ModLeftAlt));
}

TEST(KeyboardTranslate, OutOfTableCodes)
{
    for (int code = 0x59; code < 0x80; ++code) {
        EXPECT_EQ(translate_key(static_cast<u8>(code), false, 0), 0) << code;
        EXPECT_EQ(translate_key(static_cast<u8>(code), true, 0), 0) << code;
    }
    EXPECT_EQ(translate_key(0x00, false, 0), 0);
    EXPECT_EQ(translate_key(0x1E, false, ModLeftShift), 'A');
    EXPECT_EQ(translate_key(0x1E, false, ModCapsLock | ModRightShift), 'a');
}

// Mouse packets (kernel/drivers/Ps2.h, portable part).

TEST(KeyboardMousePacket, StandardPacketWithSigns)
{
    drivers::ps2::MousePacketDecoder decoder;
    EXPECT_EQ(decoder.packet_size(), 3);
    // Left button, dx = +10, dy = +5 (up): screen dy = -5.
    auto events = feed_mouse(decoder, { 0x09, 10, 5 });
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].dx, 10);
    EXPECT_EQ(events[0].dy, -5);
    EXPECT_EQ(events[0].buttons, 1u);
    EXPECT_EQ(events[0].wheel, 0);
    // dx = -3 (sign bit 4, 0xFD), dy = -200 (down: 0x38 with sign bit 5),
    // right and middle buttons.
    events = feed_mouse(decoder, { 0x08 | 0x10 | 0x20 | 0x06, 0xFD, 0x38 });
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].dx, -3);
    EXPECT_EQ(events[0].dy, 200);
    EXPECT_EQ(events[0].buttons, 6u);
    // Extremes of the 9-bit range.
    events = feed_mouse(decoder, { 0x08 | 0x10, 0x00, 0xFF });
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].dx, -256);
    EXPECT_EQ(events[0].dy, -255);
}

TEST(KeyboardMousePacket, OverflowDropsThatAxis)
{
    drivers::ps2::MousePacketDecoder decoder;
    auto events = feed_mouse(decoder, { 0x08 | 0x40 | 0x01, 0x7F, 0x02 });
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].dx, 0);
    EXPECT_EQ(events[0].dy, -2);
    EXPECT_EQ(events[0].buttons, 1u);
    events = feed_mouse(decoder, { 0x08 | 0x80, 0x04, 0x7F });
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].dx, 4);
    EXPECT_EQ(events[0].dy, 0);
}

TEST(KeyboardMousePacket, ResyncOnMissingAlwaysOneBit)
{
    drivers::ps2::MousePacketDecoder decoder;
    // A stray movement byte (bit 3 clear) is dropped; the packet after it
    // decodes normally.
    auto events = feed_mouse(decoder, { 0x05, 0x08, 1, 2 });
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].dx, 1);
    EXPECT_EQ(events[0].dy, -2);
    // reset() drops a partial packet.
    feed_mouse(decoder, { 0x08, 7 });
    EXPECT_TRUE(decoder.in_packet());
    decoder.reset();
    events = feed_mouse(decoder, { 0x09, 0, 0 });
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].buttons, 1u);
    EXPECT_EQ(events[0].dx, 0);
}

TEST(KeyboardMousePacket, IntelliMouseWheel)
{
    drivers::ps2::MousePacketDecoder decoder;
    decoder.set_device_id(3);
    EXPECT_EQ(decoder.packet_size(), 4);
    auto events = feed_mouse(decoder, { 0x08, 0, 0, 0x01, 0x08, 0, 0, 0xFE });
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].wheel, 1); // towards the user
    EXPECT_EQ(events[1].wheel, -2);
    // An id-3 byte 3 with high bits set is still just the wheel.
    events = feed_mouse(decoder, { 0x08, 0, 0, 0x30 });
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].wheel, 0x30);
    EXPECT_EQ(events[0].buttons, 0u);
}

TEST(KeyboardMousePacket, FiveButtonExplorer)
{
    drivers::ps2::MousePacketDecoder decoder;
    decoder.set_device_id(4);
    EXPECT_EQ(decoder.packet_size(), 4);
    // Wheel -1 (4-bit 0xF), button 4 down.
    auto events = feed_mouse(decoder, { 0x08, 0, 0, 0x1F });
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].wheel, -1);
    EXPECT_EQ(events[0].buttons, 1u << 3);
    // Button 5 and left, wheel +7.
    events = feed_mouse(decoder, { 0x09, 0, 0, 0x27 });
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].wheel, 7);
    EXPECT_EQ(events[0].buttons, (1u << 4) | 1u);
    // Tilt-wheel packets: horizontal (01) and vertical (10) 6-bit values;
    // the side buttons keep their last state.
    events = feed_mouse(decoder, { 0x08, 0, 0, 0x40 | 0x3F, 0x08, 0, 0, 0x80 | 0x05 });
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].wheel_horizontal, 1);
    EXPECT_EQ(events[0].wheel, 0);
    EXPECT_EQ(events[0].buttons, 1u << 4);
    EXPECT_EQ(events[1].wheel, 5);
    EXPECT_EQ(events[1].wheel_horizontal, 0);
}
