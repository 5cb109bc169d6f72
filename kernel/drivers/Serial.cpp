#include "kernel/drivers/Serial.h"

#include "kernel/arch/i386/Clock.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Interrupts.h"

namespace drivers::serial {

namespace {

constexpr u16 com1 = 0x3F8;
// Register offsets (16550 datasheet).
constexpr u16 data = 0;
constexpr u16 interrupt_enable = 1;
constexpr u16 fifo_control = 2;
constexpr u16 line_control = 3;
constexpr u16 modem_control = 4;
constexpr u16 line_status = 5;

constexpr u8 line_status_data_ready = 0x01;
constexpr u8 line_status_transmit_empty = 0x20;

// Received characters, filled by the IRQ handler, drained by the shell.
// Single producer (IRQ) and single consumer (with interrupts off while it
// touches the indices), so a plain ring suffices.
constexpr size_t receive_capacity = 256;
char s_receive[receive_capacity];
volatile size_t s_receive_head;
volatile size_t s_receive_tail;
bool s_present;
void (*s_notifier)();

void drain_receiver()
{
    while (arch::in8(com1 + line_status) & line_status_data_ready) {
        char c = static_cast<char>(arch::in8(com1 + data));
        size_t next = (s_receive_head + 1) % receive_capacity;
        if (next != s_receive_tail) {
            s_receive[s_receive_head] = c;
            s_receive_head = next;
        }
    }
}

void on_receive(arch::TrapFrame&)
{
    drain_receiver();
    if (s_notifier && s_receive_head != s_receive_tail)
        s_notifier();
}

} // namespace

void initialize()
{
    arch::out8(com1 + interrupt_enable, 0x00);
    arch::out8(com1 + line_control, 0x80); // DLAB: next two bytes set the divisor
    arch::out8(com1 + data, 0x01);         // 115200 / 1
    arch::out8(com1 + interrupt_enable, 0x00);
    arch::out8(com1 + line_control, 0x03); // 8 data bits, no parity, 1 stop bit
    arch::out8(com1 + fifo_control, 0xC7); // enable and clear FIFOs, 14-byte threshold
    arch::out8(com1 + modem_control, 0x0B); // DTR, RTS, OUT2 (routes the IRQ)
    // A missing UART reads back 0xFF from the line status register.
    s_present = arch::in8(com1 + line_status) != 0xFF;
}

void enable_receive_interrupt()
{
    if (!s_present)
        return;
    arch::register_irq_handler(4, on_receive);
    arch::out8(com1 + interrupt_enable, 0x01);
    drain_receiver();
}

void put(char c)
{
    if (!s_present)
        return;
    // Bounded wait: a wedged UART must not hang the kernel forever, but a
    // slow one (an emulator whose host side is busy holds the transmitter
    // until it has passed the byte on) must not lose characters either, so
    // the bound is a generous amount of time, not a spin count.
    constexpr u64 patience_ns = 500'000'000;
    u64 start = arch::clock::monotonic_ns();
    for (u32 spins = 0;; ++spins) {
        if (arch::in8(com1 + line_status) & line_status_transmit_empty)
            break;
        // Before the clock is calibrated (early boot) count spins instead.
        if ((spins & 1023) == 1023 && arch::clock::monotonic_ns() - start > patience_ns)
            break;
        if (arch::clock::tsc_hz() == 0 && spins > 10'000'000)
            break;
    }
    arch::out8(com1 + data, static_cast<u8>(c));
}

void write(const char* text, size_t length)
{
    for (size_t i = 0; i < length; ++i) {
        if (text[i] == '\n')
            put('\r');
        put(text[i]);
    }
}

void set_receive_notifier(void (*notifier)()) { s_notifier = notifier; }

int try_read()
{
    arch::InterruptDisabler disabler;
    if (s_receive_tail == s_receive_head) {
        // Also poll, in case interrupts are off (early boot, panic).
        drain_receiver();
        if (s_receive_tail == s_receive_head)
            return -1;
    }
    char c = s_receive[s_receive_tail];
    s_receive_tail = (s_receive_tail + 1) % receive_capacity;
    return static_cast<unsigned char>(c);
}

} // namespace drivers::serial
