// Kernel symbol lookup for backtraces. The table is generated from the
// first link of the kernel by tools/gen_ksyms.py and linked into the .ksyms
// section by the second link (see kernel/CMakeLists.txt).
#pragma once

#include "lib/Types.h"

namespace kernel {

struct SymbolLookup {
    const char* name;  // null when the address is in no known function
    u32 offset;        // address - symbol start
};

SymbolLookup symbolize(u32 address);
size_t symbol_count();

// Prints "  #N 0xADDRESS name+0xOFFSET" lines, starting with `eip`, then
// walking the frame-pointer chain from `ebp`. Stops at a null or
// implausible frame pointer, so a corrupt stack cannot fault again.
void print_backtrace(u32 eip, u32 ebp);

} // namespace kernel
