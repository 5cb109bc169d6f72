#include "lib/Crc32.h"

namespace lib {

namespace {

struct Crc32Table {
    u32 entries[256];
};

// The byte-at-a-time table: entry n is the CRC register after shifting the
// byte n through eight steps of the reflected polynomial.
constexpr Crc32Table make_table()
{
    Crc32Table table {};
    for (u32 n = 0; n < 256; ++n) {
        u32 value = n;
        for (int bit = 0; bit < 8; ++bit)
            value = (value & 1) ? (value >> 1) ^ 0xEDB88320u : value >> 1;
        table.entries[n] = value;
    }
    return table;
}

constexpr Crc32Table s_table = make_table();

} // namespace

u32 crc32(const void* data, size_t length, u32 previous)
{
    // The register is kept inverted between calls, so undo the final XOR
    // of the previous piece before continuing.
    u32 crc = ~previous;
    const u8* bytes = static_cast<const u8*>(data);
    for (size_t i = 0; i < length; ++i)
        crc = s_table.entries[(crc ^ bytes[i]) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

} // namespace lib
