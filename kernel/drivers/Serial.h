// 16550 UART on COM1: the kernel log and the administration shell.
#pragma once

#include "lib/Types.h"

namespace drivers::serial {

// Programs COM1 for 115200 baud, 8N1, FIFOs on. Safe to call before
// interrupts are set up; output is polled.
void initialize();
// Enables the receive interrupt (IRQ 4) once the IDT is ready.
void enable_receive_interrupt();
void write(const char* text, size_t length);
void put(char c);
// Next received character, or -1 when none is waiting.
int try_read();
// Called from the receive interrupt after new bytes arrived (the shell uses
// it to wake up instead of polling).
void set_receive_notifier(void (*notifier)());

} // namespace drivers::serial
