// Memory and string functions: plain byte loops, small rather than fast.
#include <stdlib.h>
#include <string.h>

void* memcpy(void* __restrict destination, const void* __restrict source, size_t count)
{
    unsigned char* to = destination;
    const unsigned char* from = source;
    while (count--)
        *to++ = *from++;
    return destination;
}

void* memmove(void* destination, const void* source, size_t count)
{
    unsigned char* to = destination;
    const unsigned char* from = source;
    if (to < from) {
        while (count--)
            *to++ = *from++;
    } else if (to > from) {
        while (count--)
            to[count] = from[count];
    }
    return destination;
}

void* memset(void* destination, int value, size_t count)
{
    unsigned char* to = destination;
    while (count--)
        *to++ = (unsigned char)value;
    return destination;
}

int memcmp(const void* a, const void* b, size_t count)
{
    const unsigned char* left = a;
    const unsigned char* right = b;
    for (size_t i = 0; i < count; ++i) {
        if (left[i] != right[i])
            return left[i] < right[i] ? -1 : 1;
    }
    return 0;
}

void* memchr(const void* memory, int value, size_t count)
{
    const unsigned char* bytes = memory;
    for (size_t i = 0; i < count; ++i) {
        if (bytes[i] == (unsigned char)value)
            return (void*)(bytes + i);
    }
    return NULL;
}

size_t strlen(const char* text)
{
    size_t length = 0;
    while (text[length])
        ++length;
    return length;
}

size_t strnlen(const char* text, size_t limit)
{
    size_t length = 0;
    while (length < limit && text[length])
        ++length;
    return length;
}

int strcmp(const char* a, const char* b)
{
    while (*a && *a == *b) {
        ++a;
        ++b;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char* a, const char* b, size_t count)
{
    for (; count; --count, ++a, ++b) {
        if (*a != *b || !*a)
            return (unsigned char)*a - (unsigned char)*b;
    }
    return 0;
}

char* strcpy(char* __restrict destination, const char* __restrict source)
{
    char* to = destination;
    while ((*to++ = *source++))
        ;
    return destination;
}

// As in C: pads with NULs and does not terminate when source is too long.
char* strncpy(char* __restrict destination, const char* __restrict source, size_t count)
{
    size_t i = 0;
    for (; i < count && source[i]; ++i)
        destination[i] = source[i];
    for (; i < count; ++i)
        destination[i] = '\0';
    return destination;
}

char* strcat(char* __restrict destination, const char* __restrict source)
{
    strcpy(destination + strlen(destination), source);
    return destination;
}

char* strchr(const char* text, int c)
{
    for (;; ++text) {
        if (*text == (char)c)
            return (char*)text;
        if (!*text)
            return NULL;
    }
}

char* strrchr(const char* text, int c)
{
    const char* found = NULL;
    for (;; ++text) {
        if (*text == (char)c)
            found = text;
        if (!*text)
            return (char*)found;
    }
}

char* strstr(const char* haystack, const char* needle)
{
    size_t length = strlen(needle);
    for (; *haystack; ++haystack) {
        if (strncmp(haystack, needle, length) == 0)
            return (char*)haystack;
    }
    return length == 0 ? (char*)haystack : NULL;
}

char* strdup(const char* text)
{
    size_t size = strlen(text) + 1;
    char* copy = malloc(size);
    if (copy)
        memcpy(copy, text, size);
    return copy;
}
