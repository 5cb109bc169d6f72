// The kernel log: leveled messages that go to the consoles (COM1 and the VGA
// text screen) and into a ring buffer that the shell's `log` command prints.
#pragma once

#include <stdarg.h>

#include "lib/Types.h"

namespace kernel {

enum class LogLevel : u8 { Debug, Info, Warning, Error };

// Messages below this level are kept in the ring but not printed.
void set_console_log_level(LogLevel);
// Parses "debug", "info", "warning"/"warn", "error"; false if unknown.
bool parse_log_level(const char* name, size_t length, LogLevel& out);

[[gnu::format(printf, 2, 3)]] void log(LogLevel, const char* format, ...);
[[gnu::format(printf, 1, 2)]] void log_debug(const char* format, ...);
[[gnu::format(printf, 1, 2)]] void log_info(const char* format, ...);
[[gnu::format(printf, 1, 2)]] void log_warning(const char* format, ...);
[[gnu::format(printf, 1, 2)]] void log_error(const char* format, ...);

// Unprefixed output to every console, also recorded in the ring (banner,
// panic reports).
[[gnu::format(printf, 1, 2)]] void console_print(const char* format, ...);
void console_vprint(const char* format, va_list);
void console_write(const char* text, size_t length);

// Calls `sink` with the ring's contents, oldest first, in at most two pieces.
void for_each_log_chunk(void (*sink)(const char* text, size_t length));

} // namespace kernel
