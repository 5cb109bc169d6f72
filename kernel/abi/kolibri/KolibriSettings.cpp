#include "kernel/abi/kolibri/KolibriSettings.h"

#include "kernel/abi/kolibri/KolibriSystem.h"
#include "kernel/arch/i386/Clock.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/gui/Input.h"
#include "kernel/task/UserMemory.h"

namespace kolibri {

namespace {

using arch::TrapFrame;

constexpr u32 error_value = 0xFFFFFFFF;
// OS_BASE of KolibriOS (const.inc), the bound of is_region_userspace.
constexpr u32 kernel_base = 0x80000000;
constexpr u32 layout_size = 128;
// SYSLANG of a KolibriOS build for English: both the language (syslang)
// and the keyboard's country (keyboard) start with it (data32.inc).
constexpr u32 english = 1;

enum Layout : u32 { Normal, Shift, Alt, LayoutCount };

struct Settings {
    bool layouts_ready { false };
    bool layouts_set { false };  // a program installed a table (21.2)
    u8 layouts[LayoutCount][layout_size] {};
    u32 country { english };   // a word, as [keyboard] is written with dx
    u32 language { english };  // syslang: any dword
    u32 disk_access { 0 };     // lba_read_enabled: bit 0 of ECX
    u32 pci_access { 1 };      // pci_access_enabled: bit 0 of ECX; the kernel sets it before pci_enum (kernel.asm)
};
Settings s_settings;

// The tables start as the keyboard driver's US layout: normal, Shift, and
// Alt (which changes nothing on a US keyboard). Interrupts off.
void prepare_layouts_locked()
{
    if (s_settings.layouts_ready)
        return;
    for (u32 code = 0; code < layout_size; ++code) {
        u8 normal = gui::translate_key(u8(code), false, 0);
        s_settings.layouts[Normal][code] = normal;
        s_settings.layouts[Shift][code] = gui::translate_key(u8(code), false, gui::ModLeftShift);
        s_settings.layouts[Alt][code] = normal;
    }
    s_settings.layouts_ready = true;
}

// The layout ECX selects (1 normal, 2 Shift, 3 Alt), or LayoutCount.
u32 layout_of(u32 selector)
{
    return selector >= 1 && selector <= 3 ? selector - 1 : LayoutCount;
}

// 21.2: ECX = 1/2/3, EDX = a 128-byte table to install; ECX = 9, DX =
// the keyboard's country. Another ECX is -1. sys_setup reads the table
// without checking where EDX points; Colibri copies it through the user
// door and answers -1 for a table that is not the program's, leaving the
// old one.
u32 set_keyboard(u32 selector, u32 address)
{
    if (selector == 9) {
        arch::InterruptDisabler disabler;
        s_settings.country = address & 0xFFFF;
        return 0;
    }
    u32 layout = layout_of(selector);
    if (layout == LayoutCount)
        return error_value;
    u8 table[layout_size];
    if (copy_from_program(table, address, sizeof(table)).is_error())
        return error_value;
    arch::InterruptDisabler disabler;
    prepare_layouts_locked();
    for (u32 i = 0; i < layout_size; ++i)
        s_settings.layouts[layout][i] = table[i];
    s_settings.layouts_set = true;
    return 0;
}

// 26.2: EDX must be 128 bytes below OS_BASE for every ECX (even 9), else
// -1 (is_region_userspace before the ECX dispatch). ECX = 1/2/3: the
// table goes to EDX and EAX is left as it was (memmove does not touch the
// answer); ECX = 9: EAX = the country word; another ECX: -1.
void get_keyboard(TrapFrame& frame)
{
    u32 address = frame.edx;
    if (address >= kernel_base || u64(address) + layout_size > kernel_base) {
        frame.eax = error_value;
        return;
    }
    if (frame.ecx == 9) {
        frame.eax = s_settings.country;
        return;
    }
    u32 layout = layout_of(frame.ecx);
    if (layout == LayoutCount) {
        frame.eax = error_value;
        return;
    }
    u8 table[layout_size];
    {
        arch::InterruptDisabler disabler;
        prepare_layouts_locked();
        for (u32 i = 0; i < layout_size; ++i)
            table[i] = s_settings.layouts[layout][i];
    }
    // KolibriOS would fault on an unmapped page, or overwrite the program
    // header for EDX = 0; Colibri answers -1 (copy_to_program).
    if (copy_to_program(address, table, sizeof(table)).is_error())
        frame.eax = error_value;
}

} // namespace

bool pci_access_enabled() { return s_settings.pci_access != 0; }

u8 layout_character(const gui::KeyEvent& event)
{
    constexpr u8 keypad_first = 0x47, keypad_last = 0x53;
    u8 code = event.scancode;
    if (!s_settings.layouts_set || event.released || event.extended || code >= layout_size
        || (code >= keypad_first && code <= keypad_last))
        return event.ascii;
    // hid/keyboard.inc, a plain key: the normal table; Ctrl takes 0x60 off
    // it; Caps Lock or Shift (not both) take the Shift table instead, Alt
    // the Alt table (last, so it wins).
    u32 modifiers = event.modifiers;
    bool shift = modifiers & (gui::ModLeftShift | gui::ModRightShift);
    bool ctrl = modifiers & (gui::ModLeftCtrl | gui::ModRightCtrl);
    bool alt = modifiers & (gui::ModLeftAlt | gui::ModRightAlt);
    bool caps = modifiers & gui::ModCapsLock;
    u8 character = s_settings.layouts[Normal][code];
    if (ctrl)
        character = u8(character - 0x60);
    if (caps != shift)
        character = s_settings.layouts[Shift][code];
    if (alt)
        character = s_settings.layouts[Alt][code];
    return character;
}

// 21: sys_setup. EAX = 0 on success, -1 for an unknown subfunction or
// selector.
void sys_setup(TrapFrame& frame)
{
    switch (frame.ebx) {
    case 2:
        frame.eax = set_keyboard(frame.ecx, frame.edx);
        return;
    case 5: // the system language: any value is taken
        s_settings.language = frame.ecx;
        frame.eax = 0;
        return;
    case 11: // low-level disk access: bit 0 (Colibri has no such access; kept for 26.11)
        s_settings.disk_access = frame.ecx & 1;
        frame.eax = 0;
        return;
    case 12: // low-level PCI access: bit 0 (function 62 obeys it)
        s_settings.pci_access = frame.ecx & 1;
        frame.eax = 0;
        return;
    default:
        frame.eax = error_value;
        return;
    }
}

// 26: sys_getsetup.
void sys_system_get(TrapFrame& frame)
{
    switch (frame.ebx) {
    case 2:
        get_keyboard(frame);
        return;
    case 5: // the system language
        frame.eax = s_settings.language;
        return;
    case 9: // timer_ticks: hundredths of a second since boot
        frame.eax = u32(arch::pit::ticks() * 100 / arch::pit::tick_hz);
        return;
    case 10: { // get_clock_ns: nanoseconds since boot in EDX:EAX
        u64 ns = arch::clock::monotonic_ns();
        frame.eax = u32(ns);
        frame.edx = u32(ns >> 32);
        return;
    }
    case 11:
        frame.eax = s_settings.disk_access;
        return;
    case 12:
        frame.eax = s_settings.pci_access;
        return;
    default:
        frame.eax = error_value;
        return;
    }
}

} // namespace kolibri
