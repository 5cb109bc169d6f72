// Set-1 scancodes to key events and US-layout characters. Scancode values
// follow the IBM PC/XT (set 1) table, which is what the 8042 hands us with
// translation on; the 0xE0 and 0xE1 prefixes are the AT-era extensions.
#include "kernel/gui/Input.h"

namespace gui {

namespace {

// Make codes 0x00-0x58 of the main block; keypad keys (0x47-0x53) are
// translated separately because Num Lock decides what they mean.
constexpr size_t table_size = 0x59;

constexpr u8 escape = 27;
constexpr u8 backspace = 8;
constexpr u8 tab = 9;
constexpr u8 enter = 13;

struct Layout {
    u8 normal[table_size];
    u8 shifted[table_size];
};

constexpr Layout make_us_layout()
{
    Layout layout {};
    auto set_row = [&](u8 first, const char* normal, const char* shifted) {
        for (u8 i = 0; normal[i]; ++i) {
            layout.normal[first + i] = static_cast<u8>(normal[i]);
            layout.shifted[first + i] = static_cast<u8>(shifted[i]);
        }
    };
    auto set_key = [&](u8 code, u8 normal, u8 shifted) {
        layout.normal[code] = normal;
        layout.shifted[code] = shifted;
    };
    set_key(0x01, escape, escape);
    set_row(0x02, "1234567890-=", "!@#$%^&*()_+");
    set_key(0x0E, backspace, backspace);
    set_key(0x0F, tab, tab);
    set_row(0x10, "qwertyuiop[]", "QWERTYUIOP{}");
    set_key(0x1C, enter, enter);
    set_row(0x1E, "asdfghjkl;'`", "ASDFGHJKL:\"~");
    set_row(0x2B, "\\zxcvbnm,./", "|ZXCVBNM<>?");
    set_key(0x37, '*', '*'); // keypad *
    set_key(0x39, ' ', ' ');
    set_key(0x56, '\\', '|'); // the extra key left of Z on 102-key boards
    return layout;
}

constexpr Layout s_us = make_us_layout();

constexpr u8 keypad_first = 0x47;
constexpr u8 keypad_last = 0x53;
// Keypad 7 8 9 - 4 5 6 + 1 2 3 0 . with Num Lock on, and without.
constexpr char s_keypad_digits[] = "789-456+1230.";
constexpr u8 s_keypad_navigation[] = { KeyHome, KeyUp, KeyPageUp, '-', KeyLeft, 0, KeyRight, '+', KeyEnd,
    KeyDown, KeyPageDown, KeyInsert, KeyDelete };
static_assert(sizeof(s_keypad_navigation) == keypad_last - keypad_first + 1);
static_assert(sizeof(s_keypad_digits) - 1 == keypad_last - keypad_first + 1);

constexpr u32 shift_mask = ModLeftShift | ModRightShift;
constexpr u32 ctrl_mask = ModLeftCtrl | ModRightCtrl;

u8 translate_extended(u8 scancode)
{
    switch (scancode) {
    case 0x1C: return enter; // keypad Enter
    case 0x35: return '/';   // keypad /
    case 0x47: return KeyHome;
    case 0x48: return KeyUp;
    case 0x49: return KeyPageUp;
    case 0x4B: return KeyLeft;
    case 0x4D: return KeyRight;
    case 0x4F: return KeyEnd;
    case 0x50: return KeyDown;
    case 0x51: return KeyPageDown;
    case 0x52: return KeyInsert;
    case 0x53: return KeyDelete;
    default: return 0;
    }
}

// The control character Ctrl gives with a non-letter, or 0 when it leaves
// the key alone (the conventions of a VT100-style terminal).
u8 control_character(u8 base)
{
    switch (base) {
    case '[': return 27;
    case '\\': return 28;
    case ']': return 29;
    case '6': return 30; // Ctrl+^
    case '-': return 31; // Ctrl+_
    default: return 0;
    }
}

// Bytes the controller or keyboard sends that are no key (IBM PS/2
// Technical Reference, keyboard commands and responses).
bool is_protocol_byte(u8 byte)
{
    return byte == 0x00 || byte == 0xFF || byte == 0xFA || byte == 0xFE || byte == 0xEE;
}

} // namespace

u8 translate_key(u8 scancode, bool extended, u32 modifiers)
{
    if (extended)
        return translate_extended(scancode);
    bool shift = modifiers & shift_mask;
    if (scancode >= keypad_first && scancode <= keypad_last) {
        size_t index = scancode - keypad_first;
        if ((modifiers & ModNumLock) && !shift)
            return static_cast<u8>(s_keypad_digits[index]);
        return s_keypad_navigation[index];
    }
    if (scancode >= table_size)
        return 0;
    u8 base = s_us.normal[scancode];
    if (base == 0)
        return 0;
    bool letter = base >= 'a' && base <= 'z';
    if (modifiers & ctrl_mask) {
        if (letter)
            return static_cast<u8>(base - 'a' + 1);
        if (u8 control = control_character(base))
            return control;
    }
    bool use_shifted = letter ? shift != bool(modifiers & ModCapsLock) : shift;
    return use_shifted ? s_us.shifted[scancode] : base;
}

bool KeyboardDecoder::feed(u8 byte, KeyEvent& event)
{
    // Pause sends E1 1D 45 E1 9D C5 on press and nothing on release: each
    // E1 is followed by two bytes that must not reach the Ctrl and Num
    // Lock logic.
    if (m_pause_bytes_to_skip > 0) {
        --m_pause_bytes_to_skip;
        return false;
    }
    if (byte == 0xE1) {
        m_pause_bytes_to_skip = 2;
        m_extended = false;
        return false;
    }
    if (byte == 0xE0) {
        m_extended = true;
        return false;
    }
    bool extended = m_extended;
    m_extended = false;
    if (!extended && is_protocol_byte(byte))
        return false;

    u8 code = byte & 0x7F;
    bool released = byte & 0x80;
    // Fake shifts: E0 2A / E0 AA / E0 36 / E0 B6 surround grey keys and
    // Print Screen so that a scancode-set-1-only program sees them as
    // unshifted; they are not real Shift presses.
    if (extended && (code == 0x2A || code == 0x36))
        return false;

    u32 modifier = 0;
    u32 lock = 0;
    switch (code) {
    case 0x2A: modifier = ModLeftShift; break;
    case 0x36: modifier = ModRightShift; break;
    case 0x1D: modifier = extended ? ModRightCtrl : ModLeftCtrl; break;
    case 0x38: modifier = extended ? ModRightAlt : ModLeftAlt; break;
    // E0 45 does not exist and E0 46 is Ctrl+Break, not Scroll Lock.
    case 0x3A: lock = extended ? 0 : ModCapsLock; break;
    case 0x45: lock = extended ? 0 : ModNumLock; break;
    case 0x46: lock = extended ? 0 : ModScrollLock; break;
    default: break;
    }
    if (modifier != 0) {
        if (released)
            m_modifiers &= ~modifier;
        else
            m_modifiers |= modifier;
    }
    if (lock != 0) {
        if (released) {
            m_held_locks &= ~lock;
        } else if (!(m_held_locks & lock)) {
            m_held_locks |= lock;
            m_modifiers ^= lock;
        }
    }

    event.scancode = code;
    event.extended = extended;
    event.released = released;
    event.ascii = released ? 0 : translate_key(code, extended, m_modifiers);
    event.modifiers = m_modifiers;
    return true;
}

} // namespace gui
