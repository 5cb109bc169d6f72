// SPDX-License-Identifier: BSD-2-Clause
// The vectors of LzmaTest.cpp and KpckTest.cpp, written at build time by
// tests/host/gen_kpck_vectors.py (Python's lzma module and tools/kpack.py).
#pragma once

#include <vector>

#include "lib/Types.h"

namespace kpck_test {

struct RawVector {
    const char* name;
    const u8* plain; // nullptr: see repeat_data()
    size_t plain_length;
    const u8* stream;
    size_t stream_length;
};

struct KpckVector {
    const char* name;
    const u8* plain;
    size_t plain_length;
    const u8* file;
    size_t file_length;
};

#include "KpckVectors.inc"

// The "repeat" vector's data (too long to store): gen_kpck_vectors.py's
// repeat_data().
inline std::vector<u8> repeat_data()
{
    std::vector<u8> data(40000, 'a');
    for (int i = 0; i < 3000; ++i) {
        for (char c = '0'; c <= '9'; ++c)
            data.push_back(u8(c));
    }
    return data;
}

inline std::vector<u8> plain_of(const RawVector& vector)
{
    if (!vector.plain)
        return repeat_data();
    return std::vector<u8>(vector.plain, vector.plain + vector.plain_length);
}

} // namespace kpck_test
