// Safe parsing of the Multiboot v1 information structure (Multiboot
// specification 0.6.96, section 3.3) into a self-contained BootInfo.
//
// Everything the boot loader hands us is treated as untrusted input: every
// pointer inside the structure is read through a PhysicalMemoryWindow that
// checks bounds, and every count and length is clamped. The parser copies what
// it needs, so the kernel may reuse the loader's memory afterwards.
//
// Error policy: parse_multiboot fails (ErrorCode::Corrupt) only when the kernel
// cannot go on at all: the info structure itself is unreadable, or it carries
// no usable memory information (neither a memory map with entries nor
// mem_lower/mem_upper). A broken optional part (memory map, modules, strings,
// framebuffer) is skipped or cut short, recorded in BootInfo::problems, and
// parsing continues, so that a machine with a quirky loader still boots and can
// say on the serial port what was wrong.
#pragma once

#include "lib/Error.h"
#include "lib/Types.h"

namespace boot {

// Region types of the memory map (spec 3.3, "mmap_*"). Any value the spec does
// not define is reported as Reserved: memory we do not understand is not RAM.
enum class MemoryType : u32 {
    Available = 1,
    Reserved = 2,
    AcpiReclaimable = 3,
    AcpiNvs = 4,
    Bad = 5,
};

struct MemoryRange {
    PhysicalAddress base;
    u64 length;
    MemoryType type;
};

// A boot module (the ramdisk). `end` is exclusive, as GRUB and QEMU set it.
struct BootModule {
    PhysicalAddress start;
    PhysicalAddress end;
    char name[64]; // the module's string (usually its command line), truncated
};

struct Framebuffer {
    PhysicalAddress address;
    u32 pitch;
    u32 width;
    u32 height;
    u8 bpp;
    u8 type; // 0 indexed, 1 RGB, 2 EGA text
    // Only meaningful for type 1 (RGB); zero otherwise.
    u8 red_position, red_size, green_position, green_size, blue_position, blue_size;
};

// A read-only view of physical memory [0, size) mapped at `base`: in the
// kernel this is the direct map, in tests a plain buffer.
class PhysicalMemoryWindow {
public:
    // `base` must point at `size` readable bytes (size may be 0).
    PhysicalMemoryWindow(const u8* base, u64 size);

    u64 size() const { return m_size; }

    // Copies `length` bytes at physical `address` into `out`. Returns false
    // (and copies nothing) if any byte lies outside the window; the check
    // cannot be fooled by address + length wrapping around.
    bool read(PhysicalAddress address, void* out, size_t length) const;

    // Copies the NUL-terminated string at `address` into `out` (capacity
    // bytes, always NUL-terminated on return). A string longer than
    // capacity - 1 is truncated and still counts as success; `*truncated`
    // (if given) says so. Returns false, with `out` set to "", when the
    // window ends before a NUL or a full buffer, or when capacity is 0.
    bool read_string(PhysicalAddress address, char* out, size_t capacity, bool* truncated = nullptr) const;

private:
    const u8* m_base;
    u64 m_size;
};

// Things the parser found wrong and worked around; bits of BootInfo::problems.
enum BootInfoProblem : u32 {
    MemoryMapOutsideWindow = 1u << 0,  // mmap_addr/mmap_length not (fully) readable
    MemoryMapBadEntry = 1u << 1,       // an entry's size field < 20: walking stopped there
    MemoryMapTrailingBytes = 1u << 2,  // mmap_length ends inside an entry; the partial entry was ignored
    MemoryMapTooManyEntries = 1u << 3, // more than max_ranges entries; the first ones were kept
    ModulesOutsideWindow = 1u << 4,    // the module array is not (fully) readable; readable entries kept
    ModuleInvalid = 1u << 5,           // a module with end < start was skipped
    TooManyModules = 1u << 6,          // more than max_modules modules; the first ones were kept
    ModuleNameUnreadable = 1u << 7,    // a module string outside the window (name left empty)
    CommandLineUnreadable = 1u << 8,   // command line outside the window (left empty)
    CommandLineTruncated = 1u << 9,
    LoaderNameUnreadable = 1u << 10,
    FramebufferInvalid = 1u << 11,     // unknown type or impossible geometry; has_framebuffer = false
};

struct BootInfo {
    static constexpr size_t max_ranges = 64;
    static constexpr size_t max_modules = 8;

    u32 flags; // the raw flags word of the info structure

    bool has_basic_memory;
    u32 mem_lower_kib; // conventional memory from 0
    u32 mem_upper_kib; // memory from 1 MiB up to the first hole

    // True when the memory map flag was set and at least one entry was read.
    bool has_memory_map;
    // Raw entries in firmware order, unsorted, possibly overlapping (see
    // mm::MemoryMap for normalization). Zero-length entries are kept too.
    MemoryRange ranges[max_ranges];
    size_t range_count;
    size_t ranges_dropped; // entries beyond max_ranges

    BootModule modules[max_modules];
    size_t module_count;
    size_t modules_dropped; // beyond max_modules, or invalid

    char command_line[256];
    char loader_name[64];

    bool has_framebuffer;
    Framebuffer framebuffer;

    u32 problems; // BootInfoProblem bits
};

// The value a Multiboot loader leaves in EAX (spec 3.2).
constexpr u32 multiboot_bootloader_magic = 0x2BADB002;

// Parses the info structure at physical `info_address`, reading only through
// `memory`. `out` is fully overwritten (also on error). Fails with Corrupt
// when the structure is unreadable or has no usable memory information; see
// the file comment for what is skipped instead.
ErrorOr<void> parse_multiboot(PhysicalAddress info_address, const PhysicalMemoryWindow& memory, BootInfo& out);

} // namespace boot
