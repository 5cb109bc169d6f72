#include "kernel/fs/KernelRamdisk.h"

#include "kernel/arch/i386/Layout.h"
#include "kernel/boot/MultibootInfo.h"
#include "kernel/debug/Log.h"
#include "kernel/drivers/Rtc.h"
#include "kernel/fs/Vfs.h"

namespace kernel {

namespace {

bool s_available;
constexpr size_t tmp_disk_size = 4 * 1024 * 1024;

fs::FatTimestamp rtc_now()
{
    auto now = drivers::rtc::read();
    return { now.year, now.month, now.day, now.hour, now.minute, now.second };
}

} // namespace

void initialize_ramdisk(const boot::BootInfo& info)
{
    fs::set_clock_source(rtc_now);
    auto tmp = fs::create_tmp_disk(tmp_disk_size);
    if (tmp.is_error())
        log_warning("tmp0: cannot create the RAM disk: %s", tmp.error().name());
    if (info.module_count == 0) {
        log_warning("ramdisk: no boot module, /sys is not available");
        return;
    }
    const auto& module = info.modules[0];
    if (module.end > arch::direct_map_size || module.end <= module.start) {
        log_warning("ramdisk: module at 0x%llx-0x%llx is outside the direct map", module.start, module.end);
        return;
    }
    auto mounted = fs::mount_ramdisk(arch::physical_to_virtual<u8>(module.start),
        static_cast<size_t>(module.end - module.start));
    if (mounted.is_error()) {
        log_warning("ramdisk: cannot mount the boot module: %s (%s)", mounted.error().name(),
            mounted.error().context() ? mounted.error().context() : "");
        return;
    }
    s_available = true;
    log_info("ramdisk: FAT volume of %u KiB mounted as /sys and /rd/1; RAM disk /tmp0/1 of %u KiB",
        static_cast<unsigned>((module.end - module.start) / 1024), static_cast<unsigned>(tmp_disk_size / 1024));
}

bool ramdisk_available() { return s_available; }

ErrorOr<StringView> absolute_path(StringView path, char* buffer, size_t capacity)
{
    if (path.is_empty())
        return Error(ErrorCode::NotFound, "empty path");
    if (path.find('/') != path.length())
        return path;
    constexpr StringView prefix = { "/sys/", 5 };
    if (prefix.length() + path.length() + 1 > capacity)
        return Error(ErrorCode::InvalidArgument, "path too long");
    for (size_t i = 0; i < prefix.length(); ++i)
        buffer[i] = prefix[i];
    for (size_t i = 0; i < path.length(); ++i)
        buffer[prefix.length() + i] = path[i];
    buffer[prefix.length() + path.length()] = '\0';
    return StringView(buffer, prefix.length() + path.length());
}

} // namespace kernel
