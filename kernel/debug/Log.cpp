#include "kernel/debug/Log.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/drivers/Serial.h"
#include "kernel/drivers/VgaText.h"
#include "lib/Format.h"
#include "lib/String.h"

namespace kernel {

namespace {

constexpr size_t ring_capacity = 32 * 1024;
char s_ring[ring_capacity];
size_t s_ring_next;   // where the next byte goes
bool s_ring_wrapped;  // the ring has been filled at least once
LogLevel s_console_level = LogLevel::Info;

void ring_write(const char* text, size_t length)
{
    for (size_t i = 0; i < length; ++i) {
        s_ring[s_ring_next] = text[i];
        if (++s_ring_next == ring_capacity) {
            s_ring_next = 0;
            s_ring_wrapped = true;
        }
    }
}

// Formats one whole record before emitting it so interleaved output from an
// interrupt handler never lands in the middle of a line.
class LineSink final : public lib::FormatSink {
public:
    void put(char c) override
    {
        if (m_length < sizeof(m_buffer))
            m_buffer[m_length++] = c;
    }
    const char* text() const { return m_buffer; }
    size_t length() const { return m_length; }

private:
    char m_buffer[512];
    size_t m_length { 0 };
};

void emit(const char* text, size_t length, bool to_console)
{
    arch::InterruptDisabler disabler;
    ring_write(text, length);
    if (to_console) {
        drivers::serial::write(text, length);
        drivers::vga_text::write(text, length);
    }
}

const char* level_name(LogLevel level)
{
    switch (level) {
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warning: return "warning";
    case LogLevel::Error: return "error";
    }
    return "?";
}

void vlog(LogLevel level, const char* format, va_list args)
{
    LineSink line;
    u64 ms = arch::pit::uptime_ms();
    lib::format(line, "[%5u.%03u] %s: ", static_cast<unsigned>(ms / 1000), static_cast<unsigned>(ms % 1000),
        level_name(level));
    lib::vformat(line, format, args);
    if (line.length() == 0 || line.text()[line.length() - 1] != '\n')
        line.put('\n');
    emit(line.text(), line.length(), level >= s_console_level);
}

} // namespace

void set_console_log_level(LogLevel level) { s_console_level = level; }

bool parse_log_level(const char* name, size_t length, LogLevel& out)
{
    StringView text(name, length);
    if (text == "debug")
        out = LogLevel::Debug;
    else if (text == "info")
        out = LogLevel::Info;
    else if (text == "warning" || text == "warn")
        out = LogLevel::Warning;
    else if (text == "error")
        out = LogLevel::Error;
    else
        return false;
    return true;
}

void log(LogLevel level, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    vlog(level, format, args);
    va_end(args);
}

#define DEFINE_LEVEL_FUNCTION(name, level) \
    void name(const char* format, ...)     \
    {                                      \
        va_list args;                      \
        va_start(args, format);            \
        vlog(level, format, args);         \
        va_end(args);                      \
    }

DEFINE_LEVEL_FUNCTION(log_debug, LogLevel::Debug)
DEFINE_LEVEL_FUNCTION(log_info, LogLevel::Info)
DEFINE_LEVEL_FUNCTION(log_warning, LogLevel::Warning)
DEFINE_LEVEL_FUNCTION(log_error, LogLevel::Error)

void console_vprint(const char* format, va_list args)
{
    LineSink line;
    lib::vformat(line, format, args);
    emit(line.text(), line.length(), true);
}

void console_write(const char* text, size_t length)
{
    emit(text, length, true);
}

void console_print(const char* format, ...)
{
    va_list args;
    va_start(args, format);
    console_vprint(format, args);
    va_end(args);
}

void for_each_log_chunk(void (*sink)(const char* text, size_t length))
{
    if (s_ring_wrapped)
        sink(s_ring + s_ring_next, ring_capacity - s_ring_next);
    sink(s_ring, s_ring_next);
}

} // namespace kernel
