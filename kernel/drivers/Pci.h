// PCI configuration space through configuration mechanism #1 (PCI Local Bus
// Specification 3.0, section 3.2.2.3.2): the address of a 32-bit register
// goes to port 0xCF8, its value is read or written at 0xCFC. Each access
// writes the pair with interrupts off, so an interrupt handler that uses PCI
// cannot change the address between the two halves.
//
// Devices are found by brute force over every bus, device and function
// (buses 0-255); that needs no knowledge of bridges and takes a few
// milliseconds, and it is done only at boot.
#pragma once

#include "lib/Error.h"
#include "lib/Types.h"

namespace drivers::pci {

struct Location {
    u8 bus { 0 };
    u8 device { 0 };   // 0-31
    u8 function { 0 }; // 0-7
};

// The identifying part of a function's configuration header (PCI 3.0,
// section 6.1).
struct Device {
    Location location;
    u16 vendor_id;
    u16 device_id;
    u8 class_code;
    u8 subclass;
    u8 programming_interface;
    u8 revision;
    u8 header_type; // without the multi-function bit: 0 device, 1 bridge, 2 CardBus
};

// A decoded base address register (PCI 3.0, section 6.2.5.1).
struct Bar {
    PhysicalAddress address; // of the memory or the first I/O port
    u64 size;                // bytes; 0 when the BAR is not implemented
    bool is_io;
    bool is_64bit;
    bool prefetchable;
};

// Configuration registers. `offset` is a byte offset into the 256-byte
// space; 16- and 32-bit accesses must be naturally aligned (the low bits
// are ignored otherwise).
u32 read32(Location, u8 offset);
u16 read16(Location, u8 offset);
u8 read8(Location, u8 offset);
void write32(Location, u8 offset, u32 value);
void write16(Location, u8 offset, u16 value);
void write8(Location, u8 offset, u8 value);

// Standard header offsets.
constexpr u8 offset_vendor_id = 0x00;
constexpr u8 offset_device_id = 0x02;
constexpr u8 offset_command = 0x04;
constexpr u8 offset_revision = 0x08;
constexpr u8 offset_programming_interface = 0x09;
constexpr u8 offset_subclass = 0x0A;
constexpr u8 offset_class_code = 0x0B;
constexpr u8 offset_header_type = 0x0E;
constexpr u8 offset_bar0 = 0x10;

// Command register bits.
constexpr u16 command_io_space = 1u << 0;
constexpr u16 command_memory_space = 1u << 1;
constexpr u16 command_bus_master = 1u << 2;

// True when the host bridge answers through mechanism #1 (checked once).
bool is_available();

// Calls `visit(const Device&)` for every present function, in bus, device,
// function order; `visit` returns false to stop early.
void for_each_device(bool (*visit)(const Device&, void* context), void* context);

template<typename Visitor>
void for_each_device(Visitor visit)
{
    for_each_device([](const Device& device, void* context) { return (*static_cast<Visitor*>(context))(device); },
        &visit);
}

// The first function with this vendor and device id, or NotFound.
ErrorOr<Device> find_device(u16 vendor_id, u16 device_id);

// Decodes base address register `index` (0-5 for devices, 0-1 for bridges)
// and measures its size by the usual all-ones probe, with the device's
// decoding switched off meanwhile. OutOfRange for an index the header type
// does not have or the upper half of a 64-bit BAR.
ErrorOr<Bar> read_bar(const Device&, u32 index);

} // namespace drivers::pci
