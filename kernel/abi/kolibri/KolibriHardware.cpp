#include "kernel/abi/kolibri/KolibriHardware.h"

#include "kernel/abi/kolibri/KolibriSettings.h"
#include "kernel/abi/kolibri/KolibriSyscalls.h"
#include "kernel/debug/Log.h"
#include "kernel/drivers/Pci.h"
#include "kernel/task/Process.h"
#include "kernel/task/Scheduler.h"
#include "lib/Utility.h"

namespace kolibri {

namespace {

using arch::TrapFrame;
namespace pci = drivers::pci;

constexpr u32 error_value = 0xFFFFFFFF;
constexpr u32 carry_flag = 1u << 0;

// What KolibriOS's boot loader learns from the PCI BIOS (int 1Ah B101h)
// and keeps in BOOT.pci_data; Colibri has no BIOS to ask. Mechanism 1 is
// the one the kernel uses; 2.10 is the version QEMU's SeaBIOS reports.
constexpr u32 access_mechanism = 1;
constexpr u32 bios_version = 0x0210;

// The highest bus number with a device (scanned once; 0 without PCI).
u32 last_bus()
{
    static int s_last_bus = -1;
    if (s_last_bus < 0) {
        u32 highest = 0;
        pci::for_each_device([&](const pci::Device& device) {
            highest = lib::max<u32>(highest, device.location.bus);
            return true;
        });
        s_last_bus = int(highest);
    }
    return u32(s_last_bus);
}

pci::Location location_of(u32 bus, u32 devfn)
{
    return { u8(bus), u8((devfn >> 3) & 0x1F), u8(devfn & 7) };
}

// pci_read_reg (bus/pci/pci32.inc), mechanism 1: the dword-aligned
// address goes to 0xCF8 and the value is read at 0xCFC + (register & 3)
// with the size asked for; only AL / AX / EAX are loaded, so the rest of
// EAX keeps the configuration address (0x80000000 | bus << 16 | devfn <<
// 8 | register). A word or dword that runs past 0xCFF reads bytes of the
// ports after it; Colibri gives 0xFF for them.
u32 read_register(u32 bus, u32 devfn, u32 reg, u32 size)
{
    pci::Location location = location_of(bus, devfn);
    u32 address = 0x80000000u | (bus & 0xFF) << 16 | (devfn & 0xFF) << 8 | (reg & 0xFF);
    u32 shift = (reg & 3) * 8;
    u64 window = u64(pci::read32(location, u8(reg & 0xFC))) >> shift;
    window |= ~u64(0) << (32 - shift); // past 0xCFF
    switch (size) {
    case 0:
        return (address & 0xFFFFFF00u) | u32(window & 0xFF);
    case 1:
        return (address & 0xFFFF0000u) | u32(window & 0xFFFF);
    default:
        return u32(window);
    }
}

// Function 62's writes, and 57's: Colibri's own drivers use the storage
// controllers, the display and the bridges; a program that rewrote their
// BARs or command registers would pull the ground from under the kernel.
// Those, and words or dwords not naturally aligned (which KolibriOS sends
// to odd data ports), are refused; other devices are written as
// pci_write_reg does.
bool write_register(u32 bus, u32 devfn, u32 reg, u32 size, u32 value)
{
    pci::Location location = location_of(bus, devfn);
    u8 offset = u8(reg);
    u8 device_class = pci::read8(location, pci::offset_class_code);
    bool present = pci::read16(location, pci::offset_vendor_id) != 0xFFFF;
    bool unaligned = (size == 1 && (offset & 1)) || (size == 2 && (offset & 3));
    if (unaligned || (present && (device_class == 0x01 || device_class == 0x03 || device_class == 0x06))) {
        kernel::log_info("PCI write by %s to %02x:%02x.%u register 0x%02x refused (%s)", task::current_process()->name(),
            bus & 0xFF, location.device, location.function, offset,
            unaligned ? "not aligned" : "a device Colibri drives");
        return false;
    }
    if (size == 0)
        pci::write8(location, offset, u8(value));
    else if (size == 1)
        pci::write16(location, offset, u16(value));
    else
        pci::write32(location, offset, value);
    return true;
}

bool pci_usable() { return pci_access_enabled() && pci::is_available(); }

// For 57.2 / 57.3: the index-th function (SI) with these ids or this class.
bool find_function(bool by_class, u32 first, u32 second, u32 index, u32& bus, u32& devfn)
{
    bool found = false;
    pci::for_each_device([&](const pci::Device& device) {
        bool match = by_class
            ? (u32(device.class_code) << 16 | u32(device.subclass) << 8 | device.programming_interface) == first
            : device.vendor_id == first && device.device_id == second;
        if (!match)
            return true;
        if (index-- != 0)
            return true;
        bus = device.location.bus;
        devfn = u32(device.location.device) << 3 | device.location.function;
        found = true;
        return false;
    });
    return found;
}

u32 with_ah(u32 eax, u32 ah) { return (eax & 0xFFFF00FFu) | (ah & 0xFF) << 8; }

} // namespace

// 24 (syscall_cdaudio): ECX = the drive (0-11), EBX = 4 eject, 5 load the
// tray, for an ATAPI drive of DRIVE_DATA; anything else returns at once
// with EAX unchanged. Colibri has no ATAPI driver: no drive is one, so
// every call returns with EAX unchanged.
void sys_cd_audio(TrapFrame& frame)
{
    if ((frame.ebx == 4 || frame.ebx == 5) && frame.ecx <= 11)
        log_unimplemented(frame);
}

// 49 (sys_apm): with no APM BIOS (apm_vf = 0: Colibri never asks the
// BIOS, it boots through Multiboot) the answer is EAX = 8 ("32-bit
// protected-mode interface not supported") with the carry flag set.
void sys_apm(TrapFrame& frame)
{
    frame.eax = 8;
    frame.eflags |= carry_flag;
}

// 57 (sys_pcibios): EBP = the PCI BIOS function (AL of B1xxh). KolibriOS
// calls the BIOS32 entry when it found one and emulates a few functions
// otherwise; Colibri does what the BIOS does for those: 1 present (EDX =
// 'PCI ', AL = mechanisms, BX = version, CL = last bus), 2 find a device
// (DX vendor, CX device, SI index → BX = bus << 8 | devfn, or AH = 0x86),
// 3 find a class (ECX = class code), 8/9/0Ah read a byte/word/dword (BH
// bus, BL devfn, DI register → ECX), 0Bh/0Ch/0Dh write ECX. AH = 0 on
// success; 0x81 for any other function or when PCI access is off (21.12).
void sys_pci_bios(TrapFrame& frame)
{
    u32 function = frame.ebp;
    if (!pci_usable()) {
        frame.eax = with_ah(frame.eax, 0x81);
        return;
    }
    switch (function) {
    case 1:
        frame.edx = 0x20494350; // 'PCI '
        frame.eax = (frame.eax & 0xFFFF0000u) | access_mechanism;
        frame.ebx = (frame.ebx & 0xFFFF0000u) | bios_version;
        frame.ecx = (frame.ecx & 0xFFFFFF00u) | last_bus();
        return;
    case 2:
    case 3: {
        u32 bus = 0, devfn = 0;
        bool found = function == 2 ? find_function(false, frame.edx & 0xFFFF, frame.ecx & 0xFFFF, frame.esi & 0xFFFF, bus, devfn)
                                   : find_function(true, frame.ecx & 0xFFFFFF, 0, frame.esi & 0xFFFF, bus, devfn);
        if (!found) {
            frame.eax = with_ah(frame.eax, 0x86); // DEVICE_NOT_FOUND
            return;
        }
        frame.ebx = (frame.ebx & 0xFFFF0000u) | bus << 8 | devfn;
        frame.eax = with_ah(frame.eax, 0);
        return;
    }
    case 8:
    case 9:
    case 10: {
        u32 bus = (frame.ebx >> 8) & 0xFF, devfn = frame.ebx & 0xFF, reg = frame.edi & 0xFF;
        u32 value = read_register(bus, devfn, reg, function & 3);
        frame.ecx = value;
        frame.eax = with_ah(value, 0);
        frame.ebx = (frame.ebx & 0xFFFF0000u) | devfn << 8 | reg;
        return;
    }
    case 11:
    case 12:
    case 13: {
        u32 bus = (frame.ebx >> 8) & 0xFF, devfn = frame.ebx & 0xFF, reg = frame.edi & 0xFF;
        bool written = write_register(bus, devfn, reg, (function + 1) & 3, frame.ecx);
        frame.eax = written ? 0 : with_ah(frame.eax, 0x81);
        frame.ebx = (frame.ebx & 0xFFFF0000u) | devfn << 8 | reg;
        return;
    }
    default:
        frame.eax = with_ah(frame.eax, 0x81); // FUNC_NOT_SUPPORTED
        return;
    }
}

// 62 (pci_api): BL = the subfunction (only the low byte counts), BH = the
// bus, CH = devfn, CL = the register, EDX = the value to write. -1 when
// PCI access is off (21.12) or for a subfunction above 10, 3 or 7. 0: EAX
// = the version; 1 / 2: AL = the last bus / the access mechanism, the
// rest of EAX as EBX was; 4/5/6 read a byte/word/dword (read_register
// explains EAX); 8/9/10 write → 0 (-1 when refused, write_register).
void sys_pci(TrapFrame& frame)
{
    u32 subfunction = frame.ebx & 0xFF;
    if (!pci_usable() || subfunction > 10) {
        frame.eax = error_value;
        return;
    }
    u32 bus = (frame.ebx >> 8) & 0xFF;
    u32 devfn = (frame.ecx >> 8) & 0xFF;
    u32 reg = frame.ecx & 0xFF;
    switch (subfunction) {
    case 0:
        frame.eax = bios_version;
        return;
    case 1:
        frame.eax = (frame.ebx & 0xFFFFFF00u) | last_bus();
        return;
    case 2:
        frame.eax = (frame.ebx & 0xFFFFFF00u) | access_mechanism;
        return;
    case 4:
    case 5:
    case 6:
        frame.eax = read_register(bus, devfn, reg, subfunction & 3);
        return;
    case 8:
    case 9:
    case 10:
        frame.eax = write_register(bus, devfn, reg, subfunction & 3, frame.edx) ? 0 : error_value;
        return;
    default: // 3, 7: pci_service_not_supported
        frame.eax = error_value;
        return;
    }
}

} // namespace kolibri
