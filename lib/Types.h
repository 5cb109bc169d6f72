// Fixed-width integer types for code shared by the kernel, user space and
// host tests. Only compiler-provided freestanding headers are used.
#pragma once

#include <stddef.h>
#include <stdint.h>

using u8 = uint8_t;
using u16 = uint16_t;
using u32 = uint32_t;
using u64 = unsigned long long; // not uint64_t: %llu must match on every target
using i8 = int8_t;
using i16 = int16_t;
using i32 = int32_t;
using i64 = long long;

// A physical address. 64 bits wide because firmware memory maps describe
// memory above 4 GiB even on a 32-bit machine.
using PhysicalAddress = u64;
