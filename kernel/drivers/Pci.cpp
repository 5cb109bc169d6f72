#include "kernel/drivers/Pci.h"

#include "kernel/arch/i386/Cpu.h"

namespace drivers::pci {

namespace {

constexpr u16 address_port = 0xCF8;
constexpr u16 data_port = 0xCFC;
constexpr u32 enable_bit = 1u << 31;
constexpr u8 multi_function_bit = 0x80;
constexpr u16 no_device = 0xFFFF; // what a read from an empty slot returns

// PCI 3.0, 6.2.5.1: the low bits of a BAR describe it.
constexpr u32 bar_io_space = 1u << 0;
constexpr u32 bar_memory_type_mask = 3u << 1;
constexpr u32 bar_memory_type_64 = 2u << 1;
constexpr u32 bar_prefetchable = 1u << 3;
constexpr u32 bar_memory_mask = ~0xFu;
constexpr u32 bar_io_mask = ~0x3u;

u32 configuration_address(Location location, u8 offset)
{
    return enable_bit | u32(location.bus) << 16 | u32(location.device & 0x1F) << 11
        | u32(location.function & 0x7) << 8 | (offset & 0xFC);
}

Device read_device(Location location)
{
    Device device {};
    device.location = location;
    u32 const ids = read32(location, offset_vendor_id);
    device.vendor_id = static_cast<u16>(ids);
    device.device_id = static_cast<u16>(ids >> 16);
    u32 const class_word = read32(location, offset_revision);
    device.revision = static_cast<u8>(class_word);
    device.programming_interface = static_cast<u8>(class_word >> 8);
    device.subclass = static_cast<u8>(class_word >> 16);
    device.class_code = static_cast<u8>(class_word >> 24);
    device.header_type = read8(location, offset_header_type) & ~multi_function_bit;
    return device;
}

// Writes `value` to a BAR and reads back what sticks.
u32 probe(Location location, u8 offset, u32 value)
{
    write32(location, offset, value);
    return read32(location, offset);
}

} // namespace

u32 read32(Location location, u8 offset)
{
    arch::InterruptDisabler disabler;
    arch::out32(address_port, configuration_address(location, offset));
    return arch::in32(data_port);
}

u16 read16(Location location, u8 offset)
{
    arch::InterruptDisabler disabler;
    arch::out32(address_port, configuration_address(location, offset));
    return arch::in16(static_cast<u16>(data_port + (offset & 2)));
}

u8 read8(Location location, u8 offset)
{
    arch::InterruptDisabler disabler;
    arch::out32(address_port, configuration_address(location, offset));
    return arch::in8(static_cast<u16>(data_port + (offset & 3)));
}

void write32(Location location, u8 offset, u32 value)
{
    arch::InterruptDisabler disabler;
    arch::out32(address_port, configuration_address(location, offset));
    arch::out32(data_port, value);
}

void write16(Location location, u8 offset, u16 value)
{
    arch::InterruptDisabler disabler;
    arch::out32(address_port, configuration_address(location, offset));
    arch::out16(static_cast<u16>(data_port + (offset & 2)), value);
}

void write8(Location location, u8 offset, u8 value)
{
    arch::InterruptDisabler disabler;
    arch::out32(address_port, configuration_address(location, offset));
    arch::out8(static_cast<u16>(data_port + (offset & 3)), value);
}

bool is_available()
{
    static int s_available = -1;
    if (s_available < 0) {
        // Mechanism #1 keeps the enable bit written to 0xCF8; with no PCI
        // (or only the long-gone mechanism #2) the port reads back otherwise.
        arch::InterruptDisabler disabler;
        u32 const saved = arch::in32(address_port);
        arch::out32(address_port, enable_bit);
        s_available = arch::in32(address_port) == enable_bit ? 1 : 0;
        arch::out32(address_port, saved);
    }
    return s_available == 1;
}

void for_each_device(bool (*visit)(const Device&, void* context), void* context)
{
    if (!is_available())
        return;
    for (u32 bus = 0; bus < 256; ++bus) {
        for (u8 slot = 0; slot < 32; ++slot) {
            Location location { static_cast<u8>(bus), slot, 0 };
            if (read16(location, offset_vendor_id) == no_device)
                continue;
            // Functions 1-7 exist only on multi-function devices (PCI 3.0, 6.2.1).
            u8 const functions = (read8(location, offset_header_type) & multi_function_bit) ? 8 : 1;
            for (u8 function = 0; function < functions; ++function) {
                location.function = function;
                if (function != 0 && read16(location, offset_vendor_id) == no_device)
                    continue;
                if (!visit(read_device(location), context))
                    return;
            }
        }
    }
}

ErrorOr<Device> find_device(u16 vendor_id, u16 device_id)
{
    Device found {};
    bool matched = false;
    for_each_device([&](const Device& device) {
        if (device.vendor_id != vendor_id || device.device_id != device_id)
            return true;
        found = device;
        matched = true;
        return false;
    });
    if (!matched)
        return Error(ErrorCode::NotFound, "no such PCI device");
    return found;
}

ErrorOr<Bar> read_bar(const Device& device, u32 index)
{
    u32 const bar_count = device.header_type == 0 ? 6 : device.header_type == 1 ? 2 : 0;
    if (index >= bar_count)
        return Error(ErrorCode::OutOfRange, "PCI BAR index");
    Location const location = device.location;
    u8 const offset = static_cast<u8>(offset_bar0 + 4 * index);
    u32 const low = read32(location, offset);

    Bar bar {};
    bar.is_io = (low & bar_io_space) != 0;
    bar.is_64bit = !bar.is_io && (low & bar_memory_type_mask) == bar_memory_type_64;
    bar.prefetchable = !bar.is_io && (low & bar_prefetchable) != 0;
    if (bar.is_64bit && index + 1 >= bar_count)
        return Error(ErrorCode::Corrupt, "64-bit PCI BAR in the last slot");
    u8 const high_offset = static_cast<u8>(offset + 4);
    u32 const high = bar.is_64bit ? read32(location, high_offset) : 0;
    bar.address = bar.is_io ? (low & bar_io_mask) : (u64(high) << 32 | (low & bar_memory_mask));

    // Size: write all ones, read back which address bits stick (PCI 3.0,
    // 6.2.5.1), restore. Decoding is off meanwhile so the half-written BAR
    // never claims bus cycles meant for something else.
    arch::InterruptDisabler disabler;
    u16 const command = read16(location, offset_command);
    write16(location, offset_command, static_cast<u16>(command & ~(command_io_space | command_memory_space)));
    u32 const low_mask = probe(location, offset, ~0u);
    write32(location, offset, low);
    u32 high_mask = 0;
    if (bar.is_64bit) {
        high_mask = probe(location, high_offset, ~0u);
        write32(location, high_offset, high);
    }
    write16(location, offset_command, command);

    // The lowest address bit that sticks is the size; a BAR whose address
    // bits all read back zero is not implemented.
    if (bar.is_io) {
        // I/O BARs may leave the upper 16 bits hard-wired to zero.
        u32 const mask = low_mask & bar_io_mask;
        bar.size = mask == 0 ? 0 : static_cast<u32>(~(mask | 0xFFFF0000u) + 1);
    } else if (bar.is_64bit) {
        u64 const mask = u64(high_mask) << 32 | (low_mask & bar_memory_mask);
        bar.size = mask == 0 ? 0 : ~mask + 1;
    } else {
        u32 const mask = low_mask & bar_memory_mask;
        bar.size = mask == 0 ? 0 : static_cast<u32>(~mask + 1);
    }
    return bar;
}

} // namespace drivers::pci
