#include "kernel/boot/MultibootInfo.h"

#include "lib/Utility.h"

namespace boot {

namespace {

// Flag bits of the info structure (spec 3.3).
constexpr u32 flag_basic_memory = 1u << 0;
constexpr u32 flag_command_line = 1u << 2;
constexpr u32 flag_modules = 1u << 3;
constexpr u32 flag_memory_map = 1u << 6;
constexpr u32 flag_loader_name = 1u << 9;
constexpr u32 flag_framebuffer = 1u << 12;

// Byte offsets of the fields we use (spec 3.3, the table of the info layout).
constexpr size_t offset_mem_lower = 4;
constexpr size_t offset_mem_upper = 8;
constexpr size_t offset_cmdline = 16;
constexpr size_t offset_mods_count = 20;
constexpr size_t offset_mods_addr = 24;
constexpr size_t offset_mmap_length = 44;
constexpr size_t offset_mmap_addr = 48;
constexpr size_t offset_loader_name = 64;
constexpr size_t offset_framebuffer_addr = 88;
constexpr size_t offset_framebuffer_pitch = 96;
constexpr size_t offset_framebuffer_width = 100;
constexpr size_t offset_framebuffer_height = 104;
constexpr size_t offset_framebuffer_bpp = 108;
constexpr size_t offset_framebuffer_type = 109;
// The spec's table puts color_info at 110, but its own multiboot.h (and so
// GRUB) declares it as a union holding a 32-bit field, which C aligns to
// 112. Loaders follow GRUB; so does Colibri's stage 2.
constexpr size_t offset_color_info = 112;
constexpr size_t info_size_max = 118;

// How many bytes of the structure exist when flag bit N is set: the end of
// the last field that bit N makes valid. A loader may legally hand us a
// structure that ends early when the later flags are clear, so we read only
// as far as the highest set flag requires.
constexpr size_t info_end_for_flag[] = {
    12,  // 0: mem_lower, mem_upper
    16,  // 1: boot_device
    20,  // 2: cmdline
    28,  // 3: mods_count, mods_addr
    44,  // 4: a.out symbols
    44,  // 5: ELF section headers
    52,  // 6: mmap_length, mmap_addr
    60,  // 7: drives
    64,  // 8: config_table
    68,  // 9: boot_loader_name
    72,  // 10: apm_table
    88,  // 11: VBE
    118, // 12: framebuffer
};

// A memory map entry: u32 size (not counting itself), u64 base, u64 length,
// u32 type. `size` may be larger than 20 for future extensions.
constexpr u32 mmap_entry_payload = 20;
// A module entry: mod_start, mod_end, string, reserved (spec 3.3).
constexpr size_t module_entry_size = 16;

u32 load_u32(const u8* bytes)
{
    // Multiboot is little-endian (it is x86); assemble bytes so that the host
    // tests do not depend on alignment either.
    return static_cast<u32>(bytes[0]) | static_cast<u32>(bytes[1]) << 8 | static_cast<u32>(bytes[2]) << 16
        | static_cast<u32>(bytes[3]) << 24;
}

u64 load_u64(const u8* bytes)
{
    return static_cast<u64>(load_u32(bytes)) | static_cast<u64>(load_u32(bytes + 4)) << 32;
}

void clear_bytes(void* destination, size_t length)
{
    auto* bytes = static_cast<u8*>(destination);
    for (size_t i = 0; i < length; ++i)
        bytes[i] = 0;
}

MemoryType memory_type_from_raw(u32 raw)
{
    if (raw >= static_cast<u32>(MemoryType::Available) && raw <= static_cast<u32>(MemoryType::Bad))
        return static_cast<MemoryType>(raw);
    return MemoryType::Reserved;
}

void parse_memory_map(const u8* info, const PhysicalMemoryWindow& memory, BootInfo& out)
{
    u64 const map_start = load_u32(info + offset_mmap_addr);
    u64 const map_end = map_start + load_u32(info + offset_mmap_length); // u64: cannot wrap
    u64 entry = map_start;
    // Each step advances by at least 4 + 20 bytes (smaller sizes stop the
    // walk), so the loop ends after at most mmap_length / 24 iterations.
    while (entry < map_end) {
        if (map_end - entry < 4 + mmap_entry_payload) {
            out.problems |= MemoryMapTrailingBytes;
            break;
        }
        u8 raw[4 + mmap_entry_payload];
        if (!memory.read(entry, raw, sizeof(raw))) {
            out.problems |= MemoryMapOutsideWindow;
            break;
        }
        u32 const entry_size = load_u32(raw);
        if (entry_size < mmap_entry_payload) {
            // A size of 0 would make the walk creep forward 4 bytes at a time
            // through garbage; nothing after a broken entry can be trusted.
            out.problems |= MemoryMapBadEntry;
            break;
        }
        if (out.range_count < BootInfo::max_ranges) {
            MemoryRange& range = out.ranges[out.range_count++];
            range.base = load_u64(raw + 4);
            range.length = load_u64(raw + 12);
            range.type = memory_type_from_raw(load_u32(raw + 20));
        } else {
            out.problems |= MemoryMapTooManyEntries;
            ++out.ranges_dropped;
        }
        // Spec 3.3: the next entry starts `size` bytes after the size field.
        entry += static_cast<u64>(entry_size) + 4;
    }
    out.has_memory_map = out.range_count > 0;
}

void parse_modules(const u8* info, const PhysicalMemoryWindow& memory, BootInfo& out)
{
    u32 const count = load_u32(info + offset_mods_count);
    u64 const array = load_u32(info + offset_mods_addr);
    for (u32 i = 0; i < count; ++i) {
        if (out.module_count == BootInfo::max_modules) {
            out.problems |= TooManyModules;
            out.modules_dropped += count - i;
            return;
        }
        u8 raw[module_entry_size];
        if (!memory.read(array + static_cast<u64>(i) * module_entry_size, raw, sizeof(raw))) {
            out.problems |= ModulesOutsideWindow;
            out.modules_dropped += count - i;
            return;
        }
        u32 const start = load_u32(raw);
        u32 const end = load_u32(raw + 4);
        if (end < start) {
            out.problems |= ModuleInvalid;
            ++out.modules_dropped;
            continue;
        }
        BootModule& module = out.modules[out.module_count++];
        module.start = start;
        module.end = end;
        if (!memory.read_string(load_u32(raw + 8), module.name, sizeof(module.name)))
            out.problems |= ModuleNameUnreadable;
    }
}

void parse_framebuffer(const u8* info, BootInfo& out)
{
    Framebuffer framebuffer {};
    framebuffer.address = load_u64(info + offset_framebuffer_addr);
    framebuffer.pitch = load_u32(info + offset_framebuffer_pitch);
    framebuffer.width = load_u32(info + offset_framebuffer_width);
    framebuffer.height = load_u32(info + offset_framebuffer_height);
    framebuffer.bpp = info[offset_framebuffer_bpp];
    framebuffer.type = info[offset_framebuffer_type];
    if (framebuffer.type == 1) {
        u8 const* color = info + offset_color_info;
        framebuffer.red_position = color[0];
        framebuffer.red_size = color[1];
        framebuffer.green_position = color[2];
        framebuffer.green_size = color[3];
        framebuffer.blue_position = color[4];
        framebuffer.blue_size = color[5];
    }

    // Reject what a driver could not draw into safely: an unknown type, an
    // empty surface, rows shorter than their pixels, or a surface that
    // wraps the 64-bit address space.
    bool valid = framebuffer.type <= 2 && framebuffer.width != 0 && framebuffer.height != 0
        && framebuffer.bpp != 0 && framebuffer.pitch != 0;
    if (valid) {
        u64 const row_bits = static_cast<u64>(framebuffer.width) * framebuffer.bpp;
        valid = static_cast<u64>(framebuffer.pitch) * 8 >= row_bits;
        u64 const bytes = static_cast<u64>(framebuffer.pitch) * framebuffer.height; // < 2^64
        valid = valid && framebuffer.address + bytes >= framebuffer.address;
    }
    if (!valid) {
        out.problems |= FramebufferInvalid;
        return;
    }
    out.framebuffer = framebuffer;
    out.has_framebuffer = true;
}

} // namespace

PhysicalMemoryWindow::PhysicalMemoryWindow(const u8* base, u64 size)
    : m_base(base)
    , m_size(base ? size : 0)
{
}

bool PhysicalMemoryWindow::read(PhysicalAddress address, void* out, size_t length) const
{
    // Written so that no sum can wrap: length <= size, then address <= size - length.
    u64 const wanted = length;
    if (wanted > m_size || address > m_size - wanted)
        return false;
    auto* destination = static_cast<u8*>(out);
    const u8* source = m_base + static_cast<size_t>(address);
    for (size_t i = 0; i < length; ++i)
        destination[i] = source[i];
    return true;
}

bool PhysicalMemoryWindow::read_string(PhysicalAddress address, char* out, size_t capacity, bool* truncated) const
{
    if (truncated)
        *truncated = false;
    if (capacity == 0)
        return false;
    out[0] = '\0';
    if (address >= m_size)
        return false;
    u64 const available = m_size - address;
    const u8* source = m_base + static_cast<size_t>(address);
    for (size_t i = 0; i < capacity; ++i) {
        if (i == available) {
            out[0] = '\0';
            return false;
        }
        if (i == capacity - 1) {
            out[i] = '\0';
            if (truncated)
                *truncated = source[i] != '\0';
            return true;
        }
        out[i] = static_cast<char>(source[i]);
        if (source[i] == '\0')
            return true;
    }
    return true; // not reached: the loop returns at i == capacity - 1
}

ErrorOr<void> parse_multiboot(PhysicalAddress info_address, const PhysicalMemoryWindow& memory, BootInfo& out)
{
    clear_bytes(&out, sizeof(out));

    u8 info[info_size_max];
    clear_bytes(info, sizeof(info));
    if (!memory.read(info_address, info, 4))
        return Error(ErrorCode::Corrupt, "multiboot: info structure outside memory");
    out.flags = load_u32(info);

    size_t needed = 4;
    for (size_t bit = 0; bit < lib::array_size(info_end_for_flag); ++bit) {
        if (out.flags & (1u << bit))
            needed = lib::max(needed, info_end_for_flag[bit]);
    }
    if (!memory.read(info_address, info, needed))
        return Error(ErrorCode::Corrupt, "multiboot: info structure truncated");

    if (out.flags & flag_basic_memory) {
        out.has_basic_memory = true;
        out.mem_lower_kib = load_u32(info + offset_mem_lower);
        out.mem_upper_kib = load_u32(info + offset_mem_upper);
    }
    if (out.flags & flag_memory_map)
        parse_memory_map(info, memory, out);
    if (out.flags & flag_modules)
        parse_modules(info, memory, out);
    if (out.flags & flag_command_line) {
        bool truncated = false;
        if (!memory.read_string(load_u32(info + offset_cmdline), out.command_line, sizeof(out.command_line), &truncated))
            out.problems |= CommandLineUnreadable;
        if (truncated)
            out.problems |= CommandLineTruncated;
    }
    if (out.flags & flag_loader_name) {
        if (!memory.read_string(load_u32(info + offset_loader_name), out.loader_name, sizeof(out.loader_name)))
            out.problems |= LoaderNameUnreadable;
    }
    if (out.flags & flag_framebuffer)
        parse_framebuffer(info, out);

    if (!out.has_memory_map && !out.has_basic_memory)
        return Error(ErrorCode::Corrupt, "multiboot: no usable memory information");
    return {};
}

} // namespace boot
