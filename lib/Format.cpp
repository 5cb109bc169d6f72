#include "lib/Format.h"

namespace lib {

BufferSink::BufferSink(char* buffer, size_t capacity)
    : m_buffer(buffer)
    , m_capacity(capacity)
{
    if (m_capacity > 0)
        m_buffer[0] = '\0';
}

void BufferSink::put(char c)
{
    if (m_length + 1 < m_capacity) {
        m_buffer[m_length] = c;
        m_buffer[m_length + 1] = '\0';
    }
    ++m_length;
}

namespace {

struct Spec {
    bool left_align { false };
    bool zero_pad { false };
    unsigned width { 0 };
};

void pad(FormatSink& sink, unsigned count, char fill)
{
    for (unsigned i = 0; i < count; ++i)
        sink.put(fill);
}

void emit(FormatSink& sink, const Spec& spec, const char* text, size_t length, bool numeric)
{
    unsigned padding = spec.width > length ? spec.width - static_cast<unsigned>(length) : 0;
    if (spec.left_align) {
        sink.write(text, length);
        pad(sink, padding, ' ');
        return;
    }
    if (numeric && spec.zero_pad && length > 0 && text[0] == '-') {
        // Zero padding goes between the sign and the digits.
        sink.put('-');
        pad(sink, padding, '0');
        sink.write(text + 1, length - 1);
        return;
    }
    pad(sink, padding, numeric && spec.zero_pad ? '0' : ' ');
    sink.write(text, length);
}

void emit_unsigned(FormatSink& sink, const Spec& spec, u64 value, unsigned base, bool upper, bool negative)
{
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buffer[24];
    size_t position = sizeof(buffer);
    do {
        buffer[--position] = digits[value % base];
        value /= base;
    } while (value != 0);
    if (negative)
        buffer[--position] = '-';
    emit(sink, spec, buffer + position, sizeof(buffer) - position, true);
}

size_t string_length(const char* text)
{
    size_t length = 0;
    while (text[length])
        ++length;
    return length;
}

} // namespace

void vformat(FormatSink& sink, const char* format, va_list args)
{
    for (const char* p = format; *p; ++p) {
        if (*p != '%') {
            sink.put(*p);
            continue;
        }
        const char* start = p++;
        Spec spec;
        for (;; ++p) {
            if (*p == '-')
                spec.left_align = true;
            else if (*p == '0')
                spec.zero_pad = true;
            else
                break;
        }
        while (*p >= '0' && *p <= '9') {
            if (spec.width < 1000)
                spec.width = spec.width * 10 + static_cast<unsigned>(*p - '0');
            ++p;
        }
        int longs = 0;
        while (*p == 'l' && longs < 2) {
            ++longs;
            ++p;
        }
        switch (*p) {
        case '%':
            sink.put('%');
            break;
        case 'c': {
            char c = static_cast<char>(va_arg(args, int));
            emit(sink, spec, &c, 1, false);
            break;
        }
        case 's': {
            const char* text = va_arg(args, const char*);
            if (!text)
                text = "(null)";
            emit(sink, spec, text, string_length(text), false);
            break;
        }
        case 'd':
        case 'i': {
            i64 value = longs == 2 ? va_arg(args, long long) : longs == 1 ? va_arg(args, long) : va_arg(args, int);
            u64 magnitude = value < 0 ? u64(0) - static_cast<u64>(value) : static_cast<u64>(value);
            emit_unsigned(sink, spec, magnitude, 10, false, value < 0);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            u64 value = longs == 2 ? va_arg(args, unsigned long long)
                : longs == 1       ? va_arg(args, unsigned long)
                                   : va_arg(args, unsigned int);
            emit_unsigned(sink, spec, value, *p == 'u' ? 10 : 16, *p == 'X', false);
            break;
        }
        case 'p': {
            auto value = reinterpret_cast<uintptr_t>(va_arg(args, void*));
            sink.write("0x", 2);
            Spec pointer_spec { false, true, sizeof(uintptr_t) * 2 };
            emit_unsigned(sink, pointer_spec, value, 16, false, false);
            break;
        }
        default:
            // Unknown or truncated conversion: print it as text, consume nothing.
            for (const char* q = start; q <= p && *q; ++q)
                sink.put(*q);
            if (!*p)
                return;
            break;
        }
    }
}

void format(FormatSink& sink, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    vformat(sink, format, args);
    va_end(args);
}

size_t format_to(char* buffer, size_t capacity, const char* format, ...)
{
    BufferSink sink(buffer, capacity);
    va_list args;
    va_start(args, format);
    vformat(sink, format, args);
    va_end(args);
    return sink.length();
}

} // namespace lib
