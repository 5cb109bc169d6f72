#include "kernel/fs/KernelRamdisk.h"

#include "kernel/arch/i386/Layout.h"
#include "kernel/boot/MultibootInfo.h"
#include "kernel/debug/Log.h"

namespace kernel {

namespace {

fs::FatVolume* s_volume;

bool equals_ignoring_case(StringView a, StringView b)
{
    if (a.length() != b.length())
        return false;
    for (size_t i = 0; i < a.length(); ++i) {
        char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
        char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] + 32) : b[i];
        if (x != y)
            return false;
    }
    return true;
}

} // namespace

void initialize_ramdisk(const boot::BootInfo& info)
{
    if (info.module_count == 0) {
        log_warning("ramdisk: no boot module, /sys is not available");
        return;
    }
    const auto& module = info.modules[0];
    if (module.end > arch::direct_map_size || module.end <= module.start) {
        log_warning("ramdisk: module at 0x%llx-0x%llx is outside the direct map", module.start, module.end);
        return;
    }
    auto volume = fs::FatVolume::mount(arch::physical_to_virtual<const u8>(module.start),
        static_cast<size_t>(module.end - module.start));
    if (volume.is_error()) {
        log_warning("ramdisk: cannot mount the boot module: %s (%s)", volume.error().name(),
            volume.error().context() ? volume.error().context() : "");
        return;
    }
    s_volume = volume.release_value();
    log_info("ramdisk: FAT volume of %u KiB mounted as /sys and /rd/1",
        static_cast<unsigned>((module.end - module.start) / 1024));
}

bool ramdisk_available() { return s_volume != nullptr; }
fs::FatVolume* ramdisk_volume() { return s_volume; }

ErrorOr<StringView> ramdisk_relative_path(StringView path)
{
    if (path.is_empty())
        return Error(ErrorCode::NotFound, "empty path");
    if (path[0] != '/')
        return path;
    StringView rest = path.substring(1);
    size_t slash = rest.find('/');
    StringView first = rest.substring(0, slash);
    StringView after = rest.substring(slash == rest.length() ? slash : slash + 1);
    if (equals_ignoring_case(first, "sys"))
        return after;
    if (equals_ignoring_case(first, "rd")) {
        size_t next = after.find('/');
        if (after.substring(0, next) == "1")
            return after.substring(next == after.length() ? next : next + 1);
    }
    return Error(ErrorCode::NotFound, "not on the ramdisk (use /sys/... or /rd/1/...)");
}

ErrorOr<fs::FatFile> open_path(StringView path)
{
    if (!s_volume)
        return Error(ErrorCode::NotFound, "no ramdisk");
    StringView relative = TRY(ramdisk_relative_path(path));
    return s_volume->open(relative);
}

} // namespace kernel
