// Formatted output. stdout (fd 1) is buffered and flushed at each newline,
// when full, by fflush and at exit; stderr (fd 2) is unbuffered.
// Formats: %d %i %u %x %X %o %c %s %p %%, flags - 0 + space #, width,
// precision, length modifiers hh h l ll z j t.
#pragma once

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ColibriFile FILE;
extern FILE* stdout;
extern FILE* stderr;

int printf(const char* format, ...) __attribute__((format(printf, 1, 2)));
int fprintf(FILE* stream, const char* format, ...) __attribute__((format(printf, 2, 3)));
int dprintf(int fd, const char* format, ...) __attribute__((format(printf, 2, 3)));
int sprintf(char* buffer, const char* format, ...) __attribute__((format(printf, 2, 3)));
int snprintf(char* buffer, size_t size, const char* format, ...) __attribute__((format(printf, 3, 4)));
int vprintf(const char* format, va_list arguments);
int vfprintf(FILE* stream, const char* format, va_list arguments);
int vsnprintf(char* buffer, size_t size, const char* format, va_list arguments);
int puts(const char* text);
int rename(const char* from, const char* to); // within one volume (EXDEV otherwise)
int fputs(const char* text, FILE* stream);
int putchar(int c);
int fputc(int c, FILE* stream);
int fflush(FILE* stream);

#ifdef __cplusplus
}
#endif
