// printf and friends. One formatter writes through a sink: a bounded string
// (snprintf) or a FILE (stdout is line-buffered, stderr unbuffered).
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct ColibriFile {
    int fd;
    size_t used;
    size_t capacity; // 0 = unbuffered
    char* buffer;
};

static char s_stdout_buffer[256];
static FILE s_stdout = { STDOUT_FILENO, 0, sizeof(s_stdout_buffer), s_stdout_buffer };
static FILE s_stderr = { STDERR_FILENO, 0, 0, NULL };
FILE* stdout = &s_stdout;
FILE* stderr = &s_stderr;

static void write_all(int fd, const char* data, size_t length)
{
    while (length) {
        long written = sys_write(fd, data, length);
        if (written <= 0)
            return;
        data += written;
        length -= (size_t)written;
    }
}

int fflush(FILE* stream)
{
    if (!stream) {
        fflush(stdout);
        return fflush(stderr);
    }
    if (stream->used) {
        write_all(stream->fd, stream->buffer, stream->used);
        stream->used = 0;
    }
    return 0;
}

static void file_put(FILE* stream, const char* data, size_t length)
{
    if (!stream->capacity) {
        write_all(stream->fd, data, length);
        return;
    }
    for (size_t i = 0; i < length; ++i) {
        stream->buffer[stream->used++] = data[i];
        if (data[i] == '\n' || stream->used == stream->capacity)
            fflush(stream);
    }
}

// Where formatted text goes: a FILE, or a string of `size` bytes.
struct Sink {
    FILE* file;
    char* string;
    size_t size;
    size_t length; // characters produced so far (returned by printf)
};

static void sink_put(struct Sink* sink, const char* data, size_t length)
{
    if (sink->file) {
        file_put(sink->file, data, length);
    } else {
        for (size_t i = 0; i < length; ++i) {
            if (sink->length + i + 1 < sink->size)
                sink->string[sink->length + i] = data[i];
        }
    }
    sink->length += length;
}

static void sink_repeat(struct Sink* sink, char c, int count)
{
    for (int i = 0; i < count; ++i)
        sink_put(sink, &c, 1);
}

enum { FLAG_LEFT = 1, FLAG_ZERO = 2, FLAG_PLUS = 4, FLAG_SPACE = 8, FLAG_ALTERNATE = 16 };

static void format_number(struct Sink* sink, unsigned long long value, int negative, unsigned base, int upper,
    int flags, int width, int precision)
{
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char text[24];
    int length = 0;
    while (value) {
        text[length++] = digits[value % base];
        value /= base;
    }
    if (precision < 0 && length == 0)
        text[length++] = '0';
    int zeros = precision > length ? precision - length : 0;
    const char* prefix = "";
    if (negative)
        prefix = "-";
    else if (flags & FLAG_PLUS)
        prefix = "+";
    else if (flags & FLAG_SPACE)
        prefix = " ";
    else if ((flags & FLAG_ALTERNATE) && base == 16)
        prefix = upper ? "0X" : "0x";
    else if ((flags & FLAG_ALTERNATE) && base == 8 && zeros == 0)
        prefix = "0";
    int prefix_length = (int)strlen(prefix);
    int padding = width - prefix_length - zeros - length;
    if (padding < 0)
        padding = 0;
    if ((flags & FLAG_ZERO) && !(flags & FLAG_LEFT) && precision < 0) {
        zeros += padding;
        padding = 0;
    }
    if (!(flags & FLAG_LEFT))
        sink_repeat(sink, ' ', padding);
    sink_put(sink, prefix, (size_t)prefix_length);
    sink_repeat(sink, '0', zeros);
    while (length)
        sink_put(sink, &text[--length], 1);
    if (flags & FLAG_LEFT)
        sink_repeat(sink, ' ', padding);
}

static int format(struct Sink* sink, const char* f, va_list arguments)
{
    while (*f) {
        if (*f != '%') {
            const char* run = f;
            while (*f && *f != '%')
                ++f;
            sink_put(sink, run, (size_t)(f - run));
            continue;
        }
        ++f;
        int flags = 0;
        for (;; ++f) {
            if (*f == '-') flags |= FLAG_LEFT;
            else if (*f == '0') flags |= FLAG_ZERO;
            else if (*f == '+') flags |= FLAG_PLUS;
            else if (*f == ' ') flags |= FLAG_SPACE;
            else if (*f == '#') flags |= FLAG_ALTERNATE;
            else break;
        }
        int width = 0;
        if (*f == '*') {
            width = va_arg(arguments, int);
            if (width < 0) {
                flags |= FLAG_LEFT;
                width = -width;
            }
            ++f;
        } else {
            while (*f >= '0' && *f <= '9')
                width = width * 10 + (*f++ - '0');
        }
        int precision = -1;
        if (*f == '.') {
            ++f;
            precision = 0;
            if (*f == '*') {
                precision = va_arg(arguments, int);
                ++f;
            } else {
                while (*f >= '0' && *f <= '9')
                    precision = precision * 10 + (*f++ - '0');
            }
        }
        int longs = 0; // 2 = long long
        for (;; ++f) {
            if (*f == 'l') ++longs;
            else if (*f == 'j') longs = 2;
            else if (*f == 'h' || *f == 'z' || *f == 't') continue;
            else break;
        }
        char conversion = *f ? *f++ : '\0';
        switch (conversion) {
        case 'd':
        case 'i': {
            long long value = longs >= 2 ? va_arg(arguments, long long) : va_arg(arguments, int);
            unsigned long long magnitude = value < 0 ? 0ull - (unsigned long long)value : (unsigned long long)value;
            format_number(sink, magnitude, value < 0, 10, 0, flags, width, precision);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            unsigned long long value = longs >= 2 ? va_arg(arguments, unsigned long long) : va_arg(arguments, unsigned);
            unsigned base = conversion == 'u' ? 10 : conversion == 'o' ? 8 : 16;
            format_number(sink, value, 0, base, conversion == 'X', flags & ~(FLAG_PLUS | FLAG_SPACE), width, precision);
            break;
        }
        case 'p':
            format_number(sink, (uintptr_t)va_arg(arguments, void*), 0, 16, 0, FLAG_ALTERNATE, width, -1);
            break;
        case 'c': {
            char c = (char)va_arg(arguments, int);
            if (!(flags & FLAG_LEFT))
                sink_repeat(sink, ' ', width - 1);
            sink_put(sink, &c, 1);
            if (flags & FLAG_LEFT)
                sink_repeat(sink, ' ', width - 1);
            break;
        }
        case 's': {
            const char* text = va_arg(arguments, const char*);
            if (!text)
                text = "(null)";
            int length = (int)(precision >= 0 ? strnlen(text, (size_t)precision) : strlen(text));
            if (!(flags & FLAG_LEFT))
                sink_repeat(sink, ' ', width - length);
            sink_put(sink, text, (size_t)length);
            if (flags & FLAG_LEFT)
                sink_repeat(sink, ' ', width - length);
            break;
        }
        case '%':
            sink_put(sink, "%", 1);
            break;
        default: // unknown: print it as written
            sink_put(sink, "%", 1);
            if (conversion)
                sink_put(sink, &conversion, 1);
            break;
        }
    }
    return (int)sink->length;
}

int vsnprintf(char* buffer, size_t size, const char* f, va_list arguments)
{
    struct Sink sink = { NULL, buffer, size, 0 };
    int length = format(&sink, f, arguments);
    if (size)
        buffer[sink.length < size ? sink.length : size - 1] = '\0';
    return length;
}

int snprintf(char* buffer, size_t size, const char* f, ...)
{
    va_list arguments;
    va_start(arguments, f);
    int length = vsnprintf(buffer, size, f, arguments);
    va_end(arguments);
    return length;
}

int sprintf(char* buffer, const char* f, ...)
{
    va_list arguments;
    va_start(arguments, f);
    int length = vsnprintf(buffer, SIZE_MAX, f, arguments);
    va_end(arguments);
    return length;
}

int vfprintf(FILE* stream, const char* f, va_list arguments)
{
    struct Sink sink = { stream, NULL, 0, 0 };
    return format(&sink, f, arguments);
}

int vprintf(const char* f, va_list arguments) { return vfprintf(stdout, f, arguments); }

int printf(const char* f, ...)
{
    va_list arguments;
    va_start(arguments, f);
    int length = vfprintf(stdout, f, arguments);
    va_end(arguments);
    return length;
}

int fprintf(FILE* stream, const char* f, ...)
{
    va_list arguments;
    va_start(arguments, f);
    int length = vfprintf(stream, f, arguments);
    va_end(arguments);
    return length;
}

int dprintf(int fd, const char* f, ...)
{
    FILE unbuffered = { fd, 0, 0, NULL };
    va_list arguments;
    va_start(arguments, f);
    int length = vfprintf(&unbuffered, f, arguments);
    va_end(arguments);
    return length;
}

int fputs(const char* text, FILE* stream)
{
    file_put(stream, text, strlen(text));
    return 0;
}

int puts(const char* text)
{
    fputs(text, stdout);
    return fputc('\n', stdout);
}

int fputc(int c, FILE* stream)
{
    char byte = (char)c;
    file_put(stream, &byte, 1);
    return (unsigned char)byte;
}

int putchar(int c) { return fputc(c, stdout); }
