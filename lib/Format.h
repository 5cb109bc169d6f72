// printf-style formatting into any byte sink, for the kernel log, the shell
// and user programs. Supported conversions: %s %c %d %i %u %x %X %p %% with
// optional '-' (left align), '0' (zero pad), a width, and the length
// modifiers 'l' and 'll'. A null %s prints "(null)". Unknown conversions are
// printed literally so a bad format string can never read stray arguments
// beyond the one it names.
#pragma once

#include <stdarg.h>

#include "lib/Types.h"

namespace lib {

class FormatSink {
public:
    virtual void put(char c) = 0;
    virtual void write(const char* text, size_t length)
    {
        for (size_t i = 0; i < length; ++i)
            put(text[i]);
    }

protected:
    ~FormatSink() = default;
};

// Writes into a fixed buffer, always NUL-terminates (when capacity > 0) and
// counts the characters that would have been written, like snprintf.
class BufferSink final : public FormatSink {
public:
    BufferSink(char* buffer, size_t capacity);
    void put(char c) override;
    size_t length() const { return m_length; }

private:
    char* m_buffer;
    size_t m_capacity;
    size_t m_length { 0 };
};

void vformat(FormatSink& sink, const char* format, va_list args);
[[gnu::format(printf, 2, 3)]] void format(FormatSink& sink, const char* format, ...);

// snprintf equivalent; returns the length the full output would have had.
[[gnu::format(printf, 3, 4)]] size_t format_to(char* buffer, size_t capacity, const char* format, ...);

} // namespace lib
