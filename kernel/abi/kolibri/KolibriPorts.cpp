// KolibriOS function 46: reserve and free I/O ports (r_f_port_area in
// kernel.asm), with the access given through the TSS I/O permission bitmap
// of the reserving process alone (arch::IoPermissionMap, switched with the
// process; KolibriOS opens the ports in its one global bitmap for every
// program).
#include "lib/New.h"
#include "kernel/abi/kolibri/KolibriHardware.h"

#include "kernel/abi/kolibri/KolibriState.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Gdt.h"
#include "kernel/debug/Log.h"
#include "kernel/drivers/Pci.h"
#include "kernel/task/Process.h"
#include "kernel/task/Scheduler.h"

namespace kolibri {

namespace {

using arch::TrapFrame;

constexpr u32 failure = 1;

// RESERVED_PORTS: one table for the system, 16-byte records {owner
// thread, first, last}; at most 255 (the count is checked before each
// reservation), the first four the kernel's own (reserve_irqs_ports).
struct Reservation {
    u32 thread_id;              // 0: the kernel's
    task::KolibriState* owner;  // the process (null: the kernel's)
    u32 first;
    u32 last;
};
constexpr u32 max_reservations = 255;
Reservation s_reservations[max_reservations + 1] = {
    { 0, nullptr, 0x00, 0x2D },
    { 0, nullptr, 0x30, 0x4D },
    { 0, nullptr, 0x50, 0xDF },
    { 0, nullptr, 0xE5, 0xFF },
};
u32 s_reservation_count = 4;

// Ports of Colibri's own drivers that KolibriOS's four areas do not cover
// (they take the PIC, PIT, PS/2, CMOS, the speaker gate, the DMA pages
// and QEMU's debug ports 0xE9/0xF4). A program that got them could break
// the disks, the display, the serial log or PCI for everyone.
struct PortRange {
    u16 first;
    u16 last;
    const char* user;
};
constexpr PortRange s_colibri_ports[] = {
    { 0x170, 0x177, "ATA" },
    { 0x1CE, 0x1D0, "the Bochs/QEMU display" },
    { 0x1F0, 0x1F7, "ATA" },
    { 0x376, 0x377, "ATA" },
    { 0x3B0, 0x3DF, "VGA" },
    { 0x3F6, 0x3F7, "ATA" },
    { 0x3F8, 0x3FF, "the serial console" },
    { 0x600, 0x63F, "ACPI power management" },
    { 0xB000, 0xB03F, "ACPI power management" },
    { 0xCF8, 0xCFF, "PCI configuration" },
};

// The I/O BARs of the PCI functions Colibri's drivers may use (storage,
// display, bridges): read as they are (no size probe, which would
// disturb the device); an I/O BAR decodes at most 256 bytes (PCI 3.0,
// 6.2.5.1), so that much from its base is taken.
const char* pci_user_of(u32 first, u32 last)
{
    const char* user = nullptr;
    drivers::pci::for_each_device([&](const drivers::pci::Device& device) {
        if (device.class_code != 0x01 && device.class_code != 0x03 && device.class_code != 0x06)
            return true;
        u32 bars = device.header_type == 0 ? 6 : device.header_type == 1 ? 2 : 0;
        for (u32 i = 0; i < bars; ++i) {
            u32 bar = drivers::pci::read32(device.location, u8(drivers::pci::offset_bar0 + 4 * i));
            if (!(bar & 1))
                continue;
            u32 base = bar & 0xFFFC;
            if (base == 0)
                continue;
            if (first <= base + 255 && last >= base) {
                user = "a PCI device Colibri drives";
                return false;
            }
        }
        return true;
    });
    return user;
}

const char* colibri_user_of(u32 first, u32 last)
{
    for (const PortRange& range : s_colibri_ports) {
        if (first <= range.last && last >= range.first)
            return range.user;
    }
    return pci_user_of(first, last);
}

// Opens (allow) or closes the ports in the process's map, made on first
// use; false when there is no memory for it. Interrupts off.
bool set_ports_locked(task::Process& process, u32 first, u32 last, bool allow)
{
    arch::IoPermissionMap* map = process.io_permissions();
    if (!map) {
        if (!allow)
            return true;
        map = new (lib::nothrow) arch::IoPermissionMap;
        if (!map)
            return false;
        process.set_io_permissions(map);
    }
    for (u32 port = first; port <= last; ++port) {
        u8 bit = u8(1u << (port & 7));
        if (allow)
            map->denied[port >> 3] &= u8(~bit);
        else
            map->denied[port >> 3] |= bit;
    }
    arch::io_permissions_changed(*map);
    if (task::current_process() == &process)
        arch::load_io_permissions(map);
    return true;
}

// 46.0: ports ECX..EDX. 1 when ECX > EDX, EDX > 0xFFFF, the table is full
// or the range meets a reserved one; else 0 and the ports are open to
// the process.
u32 reserve(u32 first, u32 last)
{
    if (first > last || last >= 65536)
        return failure;
    task::Process* process = task::current_process();
    task::KolibriState* owner = process->kolibri();
    {
        arch::InterruptDisabler disabler;
        if (s_reservation_count >= max_reservations)
            return failure;
        for (u32 i = 0; i < s_reservation_count; ++i) {
            if (first <= s_reservations[i].last && last >= s_reservations[i].first)
                return failure;
        }
    }
    if (const char* user = colibri_user_of(first, last)) {
        kernel::log_info("46 by %s: ports 0x%x-0x%x refused: %s uses them", process->name(), first, last, user);
        return failure;
    }
    arch::InterruptDisabler disabler;
    // Checked again: another thread may have taken the room meanwhile.
    if (s_reservation_count >= max_reservations)
        return failure;
    for (u32 i = 0; i < s_reservation_count; ++i) {
        if (first <= s_reservations[i].last && last >= s_reservations[i].first)
            return failure;
    }
    if (!set_ports_locked(*process, first, last, true))
        return failure;
    s_reservations[s_reservation_count++] = { task::current_thread()->id, owner, first, last };
    return 0;
}

// 46.1 (any EBX but 0): the calling thread's reservation of exactly
// ECX..EDX goes and the ports close again: 0; 1 when there is none.
u32 release(u32 first, u32 last)
{
    task::Process* process = task::current_process();
    u32 thread_id = task::current_thread()->id;
    arch::InterruptDisabler disabler;
    for (u32 i = 0; i < s_reservation_count; ++i) {
        Reservation& r = s_reservations[i];
        if (r.thread_id != thread_id || r.first != first || r.last != last)
            continue;
        for (u32 j = i + 1; j < s_reservation_count; ++j)
            s_reservations[j - 1] = s_reservations[j];
        --s_reservation_count;
        (void)set_ports_locked(*process, first, last, false);
        return 0;
    }
    return failure;
}

} // namespace

// 46: EBX = 0 reserve, anything else free; ECX..EDX the ports (inclusive).
void sys_ports(TrapFrame& frame)
{
    frame.eax = frame.ebx == 0 ? reserve(frame.ecx, frame.edx) : release(frame.ecx, frame.edx);
}

void release_ports(task::KolibriState& owner)
{
    arch::InterruptDisabler disabler;
    u32 kept = 0;
    for (u32 i = 0; i < s_reservation_count; ++i) {
        if (s_reservations[i].owner != &owner)
            s_reservations[kept++] = s_reservations[i];
    }
    s_reservation_count = kept;
}

} // namespace kolibri
