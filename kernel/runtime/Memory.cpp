// The C memory primitives the compiler may emit calls to, even in a
// freestanding kernel (struct copies, zero-initialisation).
#include "lib/Types.h"

extern "C" {

void* memcpy(void* destination, const void* source, size_t count)
{
    auto d = static_cast<u8*>(destination);
    auto s = static_cast<const u8*>(source);
    // rep movsb is fast on every CPU since the P6 for the sizes we copy.
    asm volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(count)::"memory");
    return destination;
}

void* memmove(void* destination, const void* source, size_t count)
{
    auto d = static_cast<u8*>(destination);
    auto s = static_cast<const u8*>(source);
    if (d <= s || d >= s + count)
        return memcpy(destination, source, count);
    while (count--)
        d[count] = s[count];
    return destination;
}

void* memset(void* destination, int value, size_t count)
{
    auto d = static_cast<u8*>(destination);
    asm volatile("rep stosb" : "+D"(d), "+c"(count) : "a"(value) : "memory");
    return destination;
}

int memcmp(const void* a, const void* b, size_t count)
{
    auto x = static_cast<const u8*>(a);
    auto y = static_cast<const u8*>(b);
    for (size_t i = 0; i < count; ++i) {
        if (x[i] != y[i])
            return x[i] - y[i];
    }
    return 0;
}

size_t strlen(const char* text)
{
    size_t length = 0;
    while (text[length])
        ++length;
    return length;
}

}
