// CRC-32 as used by Ethernet, zlib, PNG and the GPT headers (IEEE 802.3:
// polynomial 0x04C11DB7 processed bit-reflected as 0xEDB88320, initial value
// and final XOR 0xFFFFFFFF). crc32("123456789") is 0xCBF43926.
#pragma once

#include "lib/Types.h"

namespace lib {

// The CRC of `length` bytes at `data`. To checksum data in pieces, pass the
// previous result as `previous`: crc32(b, n, crc32(a, m)) equals the CRC of
// a followed by b. The initial value 0 starts a new checksum.
u32 crc32(const void* data, size_t length, u32 previous = 0);

} // namespace lib
