// The kernel's virtual memory layout (see docs/architecture.md).
//
//   0x00000000 - 0xBFFFFFFF  user space (KolibriOS programs are linked at 0)
//   0xC0000000 - 0xEFFFFFFF  direct map of physical memory 0 - 768 MiB,
//                            4 MiB pages; the kernel image sits at 0xC0100000
//   0xF0000000 - 0xFFFFFFFF  reserved for device mappings (framebuffer, ...)
#pragma once

#include "lib/Types.h"

namespace arch {

constexpr uintptr_t kernel_virtual_base = 0xC0000000;
constexpr u64 direct_map_size = 768ull * 1024 * 1024;
constexpr u32 large_page_size = 4 * 1024 * 1024;

// Only valid for physical addresses below direct_map_size.
template<typename T = void>
inline T* physical_to_virtual(PhysicalAddress address)
{
    return reinterpret_cast<T*>(static_cast<uintptr_t>(address) + kernel_virtual_base);
}

inline PhysicalAddress virtual_to_physical(const void* address)
{
    return reinterpret_cast<uintptr_t>(address) - kernel_virtual_base;
}

} // namespace arch

// Linker-script symbols; their addresses are what matters.
extern "C" char __kernel_start[];
extern "C" char __kernel_end[];
extern "C" char __text_start[];
extern "C" char __text_end[];
