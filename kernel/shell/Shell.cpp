#include "kernel/shell/Shell.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/arch/i386/Power.h"
#include "kernel/debug/Log.h"
#include "kernel/drivers/Serial.h"
#include "kernel/mm/KernelMemory.h"
#include "kernel/mm/PhysicalFrameAllocator.h"
#include "kernel/Version.h"
#include "lib/Format.h"
#include "lib/LineEditor.h"
#include "lib/String.h"

namespace kernel {

namespace {

constexpr const char* prompt = "colibri> ";

class SerialSink final : public lib::FormatSink {
public:
    void put(char c) override
    {
        if (c == '\n')
            drivers::serial::put('\r');
        drivers::serial::put(c);
    }
};

[[gnu::format(printf, 1, 2)]] void print(const char* format, ...)
{
    SerialSink sink;
    va_list args;
    va_start(args, format);
    lib::vformat(sink, format, args);
    va_end(args);
}

struct Command {
    const char* name;
    const char* help;
    void (*run)(StringView arguments);
};

void command_help(StringView);

void command_mem(StringView)
{
    auto stats = memory_statistics();
    constexpr size_t kib_per_frame = 4;
    print("frames: %u total, %u used, %u free (%u KiB free of %u KiB)\n", static_cast<unsigned>(stats.total_frames),
        static_cast<unsigned>(stats.used_frames), static_cast<unsigned>(stats.free_frames),
        static_cast<unsigned>(stats.free_frames * kib_per_frame), static_cast<unsigned>(stats.total_frames * kib_per_frame));
    print("heap: %u bytes in use in %u allocations, %u KiB in arenas\n", static_cast<unsigned>(stats.heap_bytes_in_use),
        static_cast<unsigned>(stats.heap_live_allocations), static_cast<unsigned>(stats.heap_arena_bytes / 1024));
}

void command_uptime(StringView)
{
    u64 ms = arch::pit::uptime_ms();
    u64 seconds = ms / 1000;
    print("up %llu.%03llu s (%llu:%02llu:%02llu), %llu ticks at %u Hz\n", seconds, ms % 1000, seconds / 3600,
        (seconds / 60) % 60, seconds % 60, arch::pit::ticks(), arch::pit::tick_hz);
}

void command_log(StringView)
{
    for_each_log_chunk([](const char* text, size_t length) { drivers::serial::write(text, length); });
}

void command_version(StringView)
{
    print("Colibri %s\n", colibri_version);
}

void command_halt(StringView)
{
    print("Powering off.\n");
    arch::power_off(0);
}

void command_reboot(StringView)
{
    print("Rebooting.\n");
    arch::reboot();
}

constexpr Command s_commands[] = {
    { "help", "list the commands", command_help },
    { "mem", "physical frames and kernel heap use", command_mem },
    { "uptime", "time since boot", command_uptime },
    { "log", "print the kernel log", command_log },
    { "version", "print the kernel version", command_version },
    { "halt", "power the machine off", command_halt },
    { "reboot", "restart the machine", command_reboot },
};

void command_help(StringView)
{
    for (const auto& command : s_commands)
        print("  %-8s %s\n", command.name, command.help);
}

void execute(StringView line)
{
    line = line.trimmed();
    if (line.is_empty())
        return;
    size_t space = line.find(' ');
    StringView name = line.substring(0, space);
    StringView arguments = line.substring(space).trimmed();
    for (const auto& command : s_commands) {
        if (name == command.name) {
            command.run(arguments);
            return;
        }
    }
    char buffer[lib::LineEditor::capacity + 1];
    size_t length = lib::min(name.length(), sizeof(buffer) - 1);
    for (size_t i = 0; i < length; ++i)
        buffer[i] = name[i];
    buffer[length] = '\0';
    print("unknown command: %s\n", buffer);
}

} // namespace

void run_shell()
{
    lib::LineEditor editor([](const char* text, size_t length, void*) { drivers::serial::write(text, length); },
        nullptr);
    print("Type 'help' for the list of commands.\n%s", prompt);
    for (;;) {
        int c = drivers::serial::try_read();
        if (c < 0) {
            // Sleep until the next interrupt (a received byte or the tick).
            arch::enable_interrupts_and_halt();
            continue;
        }
        if (editor.feed(static_cast<char>(c)) == lib::LineEditor::Result::LineReady) {
            execute(StringView(editor.line(), editor.length()));
            print("%s", prompt);
        }
    }
}

} // namespace kernel
