// Kernel glue between the PS/2 driver and the window system: the IRQ 1 and
// IRQ 12 handlers decode bytes into events and pass them to the installed
// handlers (interrupt context), and an optional kernel thread logs them.
#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Interrupts.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/debug/Log.h"
#include "kernel/drivers/Ps2.h"
#include "kernel/gui/Input.h"
#include "kernel/task/Thread.h"
#include "kernel/task/WaitQueue.h"

namespace gui {

namespace {

constexpr u8 keyboard_irq = 1;
constexpr u8 mouse_irq = 12;

// The bytes of one mouse packet arrive within about a millisecond; a longer
// gap means a byte was lost and the next one starts a new packet.
constexpr u64 mouse_packet_gap_ms = 50;

// Handlers are read in interrupt context and written with interrupts off.
KeyHandler s_key_handler;
MouseHandler s_mouse_handler;

KeyboardDecoder s_keyboard;
drivers::ps2::MousePacketDecoder s_mouse;
u64 s_last_mouse_byte_ms;

// inputlog: events queued by the interrupt handlers, logged by a thread.
// A key also carries the TSC read when the interrupt that delivered its
// last byte entered on_interrupt: tools/bench.py (event_roundtrip_us)
// subtracts it from the TSC a program reads when function 10 returns the
// key. Only with inputlog; nothing else reads it.
struct LoggedEvent {
    bool is_key;
    KeyEvent key;
    MouseEvent mouse;
    u64 irq_tsc;
};
constexpr size_t log_capacity = 64;
LoggedEvent s_log_ring[log_capacity];
size_t s_log_head; // next slot to fill (interrupt context)
size_t s_log_tail; // next slot to log (the thread, interrupts off)
u32 s_log_dropped;
bool s_logging;
u64 s_irq_tsc; // inputlog: the TSC at the entry of the current interrupt
task::WaitQueue s_log_waiters;

void queue_for_log(const LoggedEvent& event)
{
    size_t next = (s_log_head + 1) % log_capacity;
    if (next == s_log_tail) {
        ++s_log_dropped;
        return;
    }
    s_log_ring[s_log_head] = event;
    s_log_head = next;
    s_log_waiters.wake_one();
}

void log_event(const LoggedEvent& event)
{
    if (!event.is_key) {
        const MouseEvent& m = event.mouse;
        kernel::log_debug("input: mouse dx=%d dy=%d wheel=%d hwheel=%d buttons=0x%x", m.dx, m.dy, m.wheel,
            m.wheel_horizontal, m.buttons);
        return;
    }
    const KeyEvent& k = event.key;
    char printable[8] = "";
    if (k.ascii >= 0x20 && k.ascii < 0x7F) {
        printable[0] = ' ';
        printable[1] = '\'';
        printable[2] = static_cast<char>(k.ascii);
        printable[3] = '\'';
        printable[4] = '\0';
    }
    kernel::log_debug("input: key 0x%02x%s %s ascii 0x%02x%s mods 0x%x", k.scancode, k.extended ? " ext" : "",
        k.released ? "up" : "down", k.ascii, printable, k.modifiers);
    // A line of its own, so the line above keeps its format.
    kernel::log_debug("input: key 0x%02x%s %s irq tsc=0x%llx", k.scancode, k.extended ? " ext" : "",
        k.released ? "up" : "down", event.irq_tsc);
}

int log_thread(void*)
{
    for (;;) {
        LoggedEvent event;
        u32 dropped;
        {
            arch::InterruptDisabler disabler;
            while (s_log_tail == s_log_head)
                s_log_waiters.wait();
            event = s_log_ring[s_log_tail];
            s_log_tail = (s_log_tail + 1) % log_capacity;
            dropped = s_log_dropped;
            s_log_dropped = 0;
        }
        if (dropped != 0)
            kernel::log_debug("input: %u events not logged (queue full)", dropped);
        log_event(event);
    }
}

u8 leds_for(u32 modifiers)
{
    u8 leds = 0;
    if (modifiers & ModScrollLock)
        leds |= drivers::ps2::led_scroll_lock;
    if (modifiers & ModNumLock)
        leds |= drivers::ps2::led_num_lock;
    if (modifiers & ModCapsLock)
        leds |= drivers::ps2::led_caps_lock;
    return leds;
}

void keyboard_byte(u8 byte)
{
    if (drivers::ps2::consume_keyboard_reply(byte))
        return;
    constexpr u32 locks = ModCapsLock | ModNumLock | ModScrollLock;
    u32 locks_before = s_keyboard.modifiers() & locks;
    KeyEvent event;
    if (!s_keyboard.feed(byte, event))
        return;
    if ((event.modifiers & locks) != locks_before)
        drivers::ps2::set_keyboard_leds(leds_for(event.modifiers));
    if (s_key_handler)
        s_key_handler(event);
    if (s_logging)
        queue_for_log({ true, event, {}, s_irq_tsc });
}

void mouse_byte(u8 byte)
{
    u64 now = arch::pit::uptime_ms();
    if (s_mouse.in_packet() && now - s_last_mouse_byte_ms > mouse_packet_gap_ms)
        s_mouse.reset();
    s_last_mouse_byte_ms = now;
    MouseEvent event;
    if (!s_mouse.feed(byte, event))
        return;
    if (s_mouse_handler)
        s_mouse_handler(event);
    if (s_logging)
        queue_for_log({ false, {}, event, 0 });
}

// Both lines read the same output buffer, and a byte's source is in the
// status register, so either handler drains whatever is waiting. Bounded:
// a controller stuck at "output full" must not hang the interrupt.
void on_interrupt(arch::TrapFrame&)
{
    if (s_logging)
        s_irq_tsc = arch::read_timestamp_counter();
    for (int i = 0; i < 16; ++i) {
        u8 byte;
        bool from_mouse;
        if (!drivers::ps2::read(byte, from_mouse))
            break;
        if (from_mouse)
            mouse_byte(byte);
        else
            keyboard_byte(byte);
    }
}

} // namespace

void set_key_handler(KeyHandler handler)
{
    arch::InterruptDisabler disabler;
    s_key_handler = handler;
}

void set_mouse_handler(MouseHandler handler)
{
    arch::InterruptDisabler disabler;
    s_mouse_handler = handler;
}

void initialize_input(bool log_events)
{
    drivers::ps2::Devices devices = drivers::ps2::initialize();
    if (!devices.controller)
        return;
    s_mouse.set_device_id(devices.mouse_id);
    if (log_events) {
        if (task::create_kernel_thread("inputlog", log_thread, nullptr, task::priority_low).is_error())
            kernel::log_warning("input: cannot start the inputlog thread");
        else
            s_logging = true;
    }
    arch::register_irq_handler(keyboard_irq, on_interrupt);
    if (devices.mouse)
        arch::register_irq_handler(mouse_irq, on_interrupt);
    drivers::ps2::enable_interrupts(devices);
}

} // namespace gui
