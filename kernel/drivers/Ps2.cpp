// 8042 controller programming after the IBM PS/2 Technical Reference
// (keyboard/auxiliary device controller: commands 0x20-0xD4, the command
// byte, the status register) and the mouse protocol of the PS/2 mouse plus
// Microsoft's IntelliMouse extensions (sample-rate "knocks" that change the
// device id to 3 and then 4).
#include "kernel/drivers/Ps2.h"

#include "kernel/arch/i386/Clock.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/debug/Log.h"

namespace drivers::ps2 {

namespace {

constexpr u16 data_port = 0x60;
constexpr u16 status_port = 0x64;  // read
constexpr u16 command_port = 0x64; // write

// Status register.
constexpr u8 status_output_full = 1 << 0;
constexpr u8 status_input_full = 1 << 1;
constexpr u8 status_from_aux = 1 << 5;

// Controller commands.
constexpr u8 command_read_config = 0x20;
constexpr u8 command_write_config = 0x60;
constexpr u8 command_disable_aux = 0xA7;
constexpr u8 command_enable_aux = 0xA8;
constexpr u8 command_test_aux = 0xA9;
constexpr u8 command_self_test = 0xAA;
constexpr u8 command_test_keyboard_port = 0xAB;
constexpr u8 command_disable_keyboard = 0xAD;
constexpr u8 command_enable_keyboard = 0xAE;
constexpr u8 command_write_aux = 0xD4;

// Controller command byte ("configuration byte").
constexpr u8 config_keyboard_interrupt = 1 << 0;
constexpr u8 config_aux_interrupt = 1 << 1;
constexpr u8 config_keyboard_clock_off = 1 << 4;
constexpr u8 config_aux_clock_off = 1 << 5;
constexpr u8 config_translate = 1 << 6;

constexpr u8 self_test_passed = 0x55;

// Device commands and replies (shared by keyboard and mouse).
constexpr u8 device_reset = 0xFF;
constexpr u8 device_set_defaults = 0xF6;
constexpr u8 device_enable_reporting = 0xF4;
constexpr u8 device_get_id = 0xF2;
constexpr u8 device_set_sample_rate = 0xF3;
constexpr u8 keyboard_set_scancode_set = 0xF0;
constexpr u8 keyboard_set_leds = 0xED;
constexpr u8 reply_ack = 0xFA;
constexpr u8 reply_resend = 0xFE;
constexpr u8 reply_self_test_passed = 0xAA;

// Generous for real hardware (a keyboard's power-on self-test after a reset
// takes up to about half a second); an emulator answers at once.
constexpr u64 reply_timeout_ns = 50'000'000;
constexpr u64 reset_timeout_ns = 700'000'000;
constexpr u64 write_timeout_ns = 20'000'000;

class Deadline {
public:
    explicit Deadline(u64 timeout_ns)
        : m_end(arch::clock::monotonic_ns() + timeout_ns)
    {
    }
    bool passed() const { return arch::clock::monotonic_ns() > m_end; }

private:
    u64 m_end;
};

bool wait_input_empty(u64 timeout_ns = write_timeout_ns)
{
    Deadline deadline(timeout_ns);
    while (arch::in8(status_port) & status_input_full) {
        if (deadline.passed())
            return false;
    }
    return true;
}

bool write_command(u8 command)
{
    if (!wait_input_empty())
        return false;
    arch::out8(command_port, command);
    return true;
}

bool write_data(u8 value)
{
    if (!wait_input_empty())
        return false;
    arch::out8(data_port, value);
    return true;
}

// The next byte from the controller (replies to controller commands).
bool read_byte(u8& byte, u64 timeout_ns = reply_timeout_ns)
{
    Deadline deadline(timeout_ns);
    while (!(arch::in8(status_port) & status_output_full)) {
        if (deadline.passed())
            return false;
    }
    byte = arch::in8(data_port);
    return true;
}

// The next byte from one device; bytes of the other are dropped (someone
// typing while the mouse is set up).
bool read_device_byte(bool from_mouse, u8& byte, u64 timeout_ns = reply_timeout_ns)
{
    Deadline deadline(timeout_ns);
    for (;;) {
        u8 status = arch::in8(status_port);
        if (status & status_output_full) {
            u8 value = arch::in8(data_port);
            if (bool(status & status_from_aux) == from_mouse) {
                byte = value;
                return true;
            }
        }
        if (deadline.passed())
            return false;
    }
}

void flush_output()
{
    // The buffer holds one byte at a time; a few dozen covers whatever
    // keys and mouse movement piled up before we looked.
    for (int i = 0; i < 64 && (arch::in8(status_port) & status_output_full); ++i) {
        (void)arch::in8(data_port);
        arch::io_wait();
    }
}

bool read_config(u8& config)
{
    return write_command(command_read_config) && read_byte(config);
}

bool write_config(u8 config)
{
    return write_command(command_write_config) && write_data(config);
}

// Sends one byte to a device and waits for its acknowledgement, resending
// when it asks to (up to three tries).
bool send_to_device(bool to_mouse, u8 value)
{
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (to_mouse && !write_command(command_write_aux))
            return false;
        if (!write_data(value))
            return false;
        u8 reply;
        if (!read_device_byte(to_mouse, reply))
            return false;
        if (reply == reply_ack)
            return true;
        if (reply != reply_resend)
            return false;
    }
    return false;
}

bool reset_device(bool mouse)
{
    if (!send_to_device(mouse, device_reset))
        return false;
    u8 reply;
    if (!read_device_byte(mouse, reply, reset_timeout_ns) || reply != reply_self_test_passed)
        return false;
    if (mouse)
        (void)read_device_byte(true, reply); // the device id (0) that follows
    return true;
}

bool set_mouse_sample_rate(u8 rate)
{
    return send_to_device(true, device_set_sample_rate) && send_to_device(true, rate);
}

bool read_mouse_id(u8& id) { return send_to_device(true, device_get_id) && read_device_byte(true, id); }

// The IntelliMouse "knock": three sample rates in a row switch a mouse that
// knows the extension to the next id.
u8 knock(u8 first, u8 second, u8 third)
{
    u8 id = 0;
    if (set_mouse_sample_rate(first) && set_mouse_sample_rate(second) && set_mouse_sample_rate(third))
        (void)read_mouse_id(id);
    return id;
}

bool initialize_keyboard()
{
    if (!reset_device(false)) {
        kernel::log_warning("ps2: the keyboard did not pass its reset");
        return false;
    }
    // Set 2 is the power-on default, but a BIOS may have changed it; the
    // controller translates set 2 into set 1 (config_translate).
    if (!send_to_device(false, keyboard_set_scancode_set) || !send_to_device(false, 2))
        kernel::log_warning("ps2: the keyboard refused scancode set 2; keeping its current set");
    if (!send_to_device(false, keyboard_set_leds) || !send_to_device(false, 0))
        kernel::log_debug("ps2: the keyboard does not take LED commands");
    if (!send_to_device(false, device_enable_reporting)) {
        kernel::log_warning("ps2: the keyboard did not enable scanning");
        return false;
    }
    return true;
}

bool initialize_mouse(u8& id)
{
    if (!reset_device(true))
        return false;
    if (!send_to_device(true, device_set_defaults))
        return false;
    id = 0;
    if (knock(200, 100, 80) == 3) {
        id = 3;
        if (knock(200, 200, 80) == 4)
            id = 4;
    }
    // 100 reports per second once the knocks are done (they leave it at 80).
    (void)set_mouse_sample_rate(100);
    return send_to_device(true, device_enable_reporting);
}

// The configuration byte initialize() settled on (interrupts off).
u8 s_config;

// The LED update in flight: the keyboard acknowledges 0xED, then we send
// the bits, which it acknowledges again. Changed with interrupts off.
enum class LedState : u8 { Idle, WaitingCommandAck, WaitingValueAck };
LedState s_led_state = LedState::Idle;
u8 s_led_value;
bool s_led_update_pending;
u64 s_led_started_ms;
// A keyboard that stops answering must not block LED updates for good.
constexpr u64 led_reply_timeout_ms = 100;

void start_led_update()
{
    s_led_update_pending = false;
    s_led_state = LedState::Idle;
    if (!write_data(keyboard_set_leds))
        return;
    s_led_state = LedState::WaitingCommandAck;
    s_led_started_ms = arch::pit::uptime_ms();
}

} // namespace

Devices initialize()
{
    Devices devices;
    // A machine without an 8042 (legacy-free, USB only) floats the bus.
    if (arch::in8(status_port) == 0xFF) {
        kernel::log_info("ps2: no controller");
        return devices;
    }
    if (!write_command(command_disable_keyboard) || !write_command(command_disable_aux)) {
        kernel::log_warning("ps2: the controller does not take commands");
        return devices;
    }
    flush_output();

    u8 config;
    if (!read_config(config)) {
        kernel::log_warning("ps2: cannot read the controller configuration");
        return devices;
    }
    devices.controller = true;
    // Interrupts off while we poll; translation on so the keyboard's set 2
    // arrives as set 1.
    config &= static_cast<u8>(~(config_keyboard_interrupt | config_aux_interrupt));
    config |= config_translate;
    (void)write_config(config);

    u8 reply = 0;
    if (!write_command(command_self_test) || !read_byte(reply) || reply != self_test_passed)
        kernel::log_warning("ps2: controller self-test answered 0x%02x, continuing", reply);
    // The self-test resets some controllers: write the configuration again.
    (void)write_config(config);

    // A controller with a second port clears "aux clock off" when the port
    // is enabled.
    bool dual = false;
    u8 probe;
    if (write_command(command_enable_aux) && read_config(probe))
        dual = !(probe & config_aux_clock_off);
    (void)write_command(command_disable_aux);

    bool keyboard_port = write_command(command_test_keyboard_port) && read_byte(reply) && reply == 0;
    if (!keyboard_port)
        kernel::log_warning("ps2: keyboard port test failed (0x%02x), trying anyway", reply);
    bool aux_port = false;
    if (dual) {
        aux_port = write_command(command_test_aux) && read_byte(reply) && reply == 0;
        if (!aux_port)
            kernel::log_warning("ps2: aux port test failed (0x%02x), trying anyway", reply);
    }

    (void)write_command(command_enable_keyboard);
    if (dual)
        (void)write_command(command_enable_aux);
    config &= static_cast<u8>(~config_keyboard_clock_off);
    if (dual)
        config &= static_cast<u8>(~config_aux_clock_off);
    (void)write_config(config);
    flush_output();

    devices.keyboard = initialize_keyboard();
    if (dual) {
        u8 id = 0;
        devices.mouse = initialize_mouse(id);
        devices.mouse_id = id;
        if (!devices.mouse) {
            kernel::log_info("ps2: no mouse on the aux port");
            (void)write_command(command_disable_aux);
            config |= config_aux_clock_off;
        }
    }
    flush_output();
    s_config = config;
    kernel::log_info("ps2: keyboard %s, mouse %s (id %u)", devices.keyboard ? "ready" : "absent",
        devices.mouse ? "ready" : "absent", devices.mouse_id);
    return devices;
}

void enable_interrupts(const Devices& devices)
{
    if (!devices.controller)
        return;
    arch::InterruptDisabler disabler;
    // Written, not read back: a key pressed meanwhile would sit in the
    // output buffer where the configuration byte's reply should be.
    u8 config = s_config | config_keyboard_interrupt;
    if (devices.mouse)
        config |= config_aux_interrupt;
    (void)write_config(config);
}

bool read(u8& byte, bool& from_mouse)
{
    u8 status = arch::in8(status_port);
    if (!(status & status_output_full))
        return false;
    byte = arch::in8(data_port);
    from_mouse = status & status_from_aux;
    return true;
}

void set_keyboard_leds(u8 leds)
{
    arch::InterruptDisabler disabler;
    s_led_value = leds;
    if (s_led_state == LedState::Idle || arch::pit::uptime_ms() - s_led_started_ms > led_reply_timeout_ms)
        start_led_update();
    else
        s_led_update_pending = true; // sent when the current one finishes
}

bool consume_keyboard_reply(u8 byte)
{
    arch::InterruptDisabler disabler;
    if (s_led_state == LedState::Idle || (byte != reply_ack && byte != reply_resend))
        return false;
    if (byte == reply_resend) {
        // The keyboard did not understand: give up on this update rather
        // than risk a loop with a keyboard that has no LEDs.
        s_led_state = LedState::Idle;
        return true;
    }
    if (s_led_state == LedState::WaitingCommandAck) {
        s_led_state = write_data(s_led_value) ? LedState::WaitingValueAck : LedState::Idle;
    } else {
        s_led_state = LedState::Idle;
        if (s_led_update_pending)
            start_led_update();
    }
    return true;
}

} // namespace drivers::ps2
