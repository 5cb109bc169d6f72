#include "kernel/debug/Symbols.h"

#include "kernel/arch/i386/Layout.h"
#include "kernel/debug/Log.h"

extern "C" const u8 __ksyms_start[];
extern "C" const u8 __ksyms_end[];

namespace kernel {

namespace {

// Table layout written by tools/gen_ksyms.py (little endian):
//   u32 magic 'KSYM', u32 count, count x { u32 address, u32 name_offset },
//   then NUL-terminated names; name_offset counts from the start of the table.
// Entries are sorted by address.
struct [[gnu::packed]] SymbolEntry {
    u32 address;
    u32 name_offset;
};

constexpr u32 table_magic = 0x4D59534B; // "KSYM"

size_t table_size() { return static_cast<size_t>(__ksyms_end - __ksyms_start); }

bool table_valid()
{
    if (table_size() < 8)
        return false;
    auto header = reinterpret_cast<const u32*>(__ksyms_start);
    return header[0] == table_magic && 8 + u64(header[1]) * sizeof(SymbolEntry) <= table_size();
}

} // namespace

size_t symbol_count()
{
    return table_valid() ? reinterpret_cast<const u32*>(__ksyms_start)[1] : 0;
}

SymbolLookup symbolize(u32 address)
{
    size_t count = symbol_count();
    if (count == 0 || address < reinterpret_cast<u32>(__text_start) || address >= reinterpret_cast<u32>(__text_end))
        return { nullptr, 0 };
    auto entries = reinterpret_cast<const SymbolEntry*>(__ksyms_start + 8);
    // Binary search for the last entry whose address <= address.
    size_t low = 0;
    size_t high = count;
    while (high - low > 1) {
        size_t middle = low + (high - low) / 2;
        if (entries[middle].address <= address)
            low = middle;
        else
            high = middle;
    }
    if (entries[low].address > address || entries[low].name_offset >= table_size())
        return { nullptr, 0 };
    return { reinterpret_cast<const char*>(__ksyms_start + entries[low].name_offset), address - entries[low].address };
}

static void print_frame(unsigned index, u32 address)
{
    SymbolLookup symbol = symbolize(address);
    if (symbol.name)
        console_print("  #%u 0x%08x %s+0x%x\n", index, address, symbol.name, symbol.offset);
    else
        console_print("  #%u 0x%08x ???\n", index, address);
}

void print_backtrace(u32 eip, u32 ebp)
{
    console_print("backtrace:\n");
    unsigned index = 0;
    print_frame(index++, eip);
    constexpr unsigned max_frames = 32;
    while (ebp != 0 && index < max_frames) {
        // Frame pointers live in kernel memory and are 4-byte aligned;
        // anything else means the chain is broken.
        if (ebp < arch::kernel_virtual_base || (ebp & 3) != 0 || ebp > 0xFFFFFFF0u)
            break;
        auto frame = reinterpret_cast<const u32*>(ebp);
        u32 return_address = frame[1];
        u32 next = frame[0];
        if (return_address == 0)
            break;
        // Return addresses point after the call; -1 names the calling line.
        print_frame(index++, return_address - 1);
        if (next <= ebp)
            break; // stacks grow down: callers' frames are at higher addresses
        ebp = next;
    }
}

} // namespace kernel
