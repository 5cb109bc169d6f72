#include "kernel/boot/BootReport.h"

#include "kernel/boot/MultibootInfo.h"
#include "kernel/mm/MemoryMap.h"

namespace boot {

namespace {

const char* type_name(MemoryType type)
{
    switch (type) {
    case MemoryType::Available: return "available";
    case MemoryType::Reserved: return "reserved";
    case MemoryType::AcpiReclaimable: return "ACPI reclaimable";
    case MemoryType::AcpiNvs: return "ACPI NVS";
    case MemoryType::Bad: return "bad";
    }
    return "reserved";
}

} // namespace

void write_boot_report(lib::FormatSink& out, const BootInfo& info)
{
    auto usable = mm::MemoryMap::from_boot_info(info);
    u64 usable_kib = usable.total_bytes() / 1024;
    lib::format(out, "memory: %llu MiB usable in %u ranges", usable_kib / 1024,
        static_cast<unsigned>(usable.range_count()));
    if (info.has_basic_memory)
        lib::format(out, " (lower %u KiB, upper %u KiB)", info.mem_lower_kib, info.mem_upper_kib);
    lib::format(out, "\n");
    if (info.has_memory_map) {
        lib::format(out, "memory map: %u entries\n", static_cast<unsigned>(info.range_count));
        for (size_t i = 0; i < info.range_count; ++i) {
            const auto& range = info.ranges[i];
            lib::format(out, "  0x%09llx-0x%09llx %s\n", range.base,
                range.length ? range.base + range.length - 1 : range.base, type_name(range.type));
        }
    } else {
        lib::format(out, "memory map: none from the loader, using mem_lower/mem_upper\n");
    }
    for (size_t i = 0; i < info.module_count; ++i) {
        const auto& module = info.modules[i];
        lib::format(out, "module: '%s' at 0x%llx-0x%llx (%llu KiB)\n", module.name, module.start, module.end,
            (module.end - module.start) / 1024);
    }
    if (info.module_count == 0)
        lib::format(out, "module: none (no ramdisk)\n");
    lib::format(out, "command line: '%s'\n", info.command_line);
    if (info.loader_name[0])
        lib::format(out, "loader: %s\n", info.loader_name);
    if (info.has_framebuffer) {
        const auto& fb = info.framebuffer;
        if (fb.type == 2)
            lib::format(out, "display: VGA text %ux%u\n", fb.width, fb.height);
        else
            lib::format(out, "display: %ux%ux%u framebuffer at 0x%llx, pitch %u\n", fb.width, fb.height, fb.bpp,
                fb.address, fb.pitch);
    }
}

} // namespace boot
