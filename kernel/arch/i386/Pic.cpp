#include "kernel/arch/i386/Pic.h"

#include "kernel/arch/i386/Cpu.h"

namespace arch::pic {

namespace {

constexpr u16 master_command = 0x20;
constexpr u16 master_data = 0x21;
constexpr u16 slave_command = 0xA0;
constexpr u16 slave_data = 0xA1;

constexpr u8 icw1_init_with_icw4 = 0x11;
constexpr u8 icw4_8086_mode = 0x01;
constexpr u8 ocw2_end_of_interrupt = 0x20;
constexpr u8 ocw3_read_isr = 0x0B;

} // namespace

void initialize(u8 base_vector)
{
    // 8259A datasheet: ICW1 starts initialisation, ICW2 gives the vector
    // base, ICW3 wires the cascade (slave on master line 2), ICW4 the mode.
    out8(master_command, icw1_init_with_icw4);
    io_wait();
    out8(slave_command, icw1_init_with_icw4);
    io_wait();
    out8(master_data, base_vector);
    io_wait();
    out8(slave_data, static_cast<u8>(base_vector + 8));
    io_wait();
    out8(master_data, 1 << 2);
    io_wait();
    out8(slave_data, 2);
    io_wait();
    out8(master_data, icw4_8086_mode);
    io_wait();
    out8(slave_data, icw4_8086_mode);
    io_wait();
    // Mask everything except the cascade line; drivers unmask their IRQs.
    out8(master_data, 0xFF & ~(1 << 2));
    out8(slave_data, 0xFF);
}

void unmask(u8 irq)
{
    u16 port = irq < 8 ? master_data : slave_data;
    out8(port, in8(port) & ~(1 << (irq & 7)));
}

void mask(u8 irq)
{
    u16 port = irq < 8 ? master_data : slave_data;
    out8(port, in8(port) | (1 << (irq & 7)));
}

void end_of_interrupt(u8 irq)
{
    if (irq >= 8)
        out8(slave_command, ocw2_end_of_interrupt);
    out8(master_command, ocw2_end_of_interrupt);
}

bool is_spurious(u8 irq)
{
    if (irq != 7 && irq != 15)
        return false;
    u16 port = irq == 7 ? master_command : slave_command;
    out8(port, ocw3_read_isr);
    bool in_service = in8(port) & (1 << 7);
    if (!in_service && irq == 15) {
        // The master did see the cascade line: acknowledge it there only.
        out8(master_command, ocw2_end_of_interrupt);
    }
    return !in_service;
}

} // namespace arch::pic
