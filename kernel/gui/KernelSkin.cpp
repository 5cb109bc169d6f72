#include "kernel/gui/KernelSkin.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/debug/Log.h"
#include "kernel/exec/KernelKpck.h"
#include "kernel/exec/Kpck.h"
#include "kernel/fs/KernelRamdisk.h"
#include "kernel/fs/Vfs.h"
#include "kernel/gui/Decoration.h"
#include "kernel/gui/KernelGui.h"
#include "kernel/gui/SkinFile.h"
#include "kernel/mm/KernelMemory.h"

namespace gui {

namespace {

// Real skins are tens of kilobytes; this bounds what a file can make the
// kernel hold, packed or unpacked.
constexpr u32 max_skin_file = 4 * 1024 * 1024;

// The skin in use: its bytes (kernel heap) and the views into them.
u8* s_bytes;
SkinFile s_skin;

u32 load(const char* path, bool at_boot)
{
    auto info = fs::stat(StringView(path));
    if (info.is_error() || info.value().is_directory())
        return 1;
    if (info.value().size > max_skin_file) {
        kernel::log_warning("skin: %s is larger than 4 MiB", path);
        return 2;
    }
    size_t length = size_t(info.value().size);
    auto* bytes = static_cast<u8*>(kernel::kmalloc(length ? length : 1));
    if (!bytes) {
        kernel::log_warning("skin: no memory for %s", path);
        return 1;
    }
    auto read = fs::read(StringView(path), 0, bytes, length);
    if (read.is_error() || read.value() != length) {
        kernel::kfree(bytes);
        return 1;
    }
    // load_file (core/dll.inc) unpacks KPCK files.
    if (exec::kpck::is_packed(bytes, length)) {
        auto unpacked = exec::unpack_to_kernel_heap(bytes, length, max_skin_file);
        kernel::kfree(bytes);
        if (unpacked.is_error()) {
            kernel::log_warning("skin: cannot unpack %s: %s (%s)", path,
                unpacked.error().context() ? unpacked.error().context() : "", unpacked.error().name());
            return 2;
        }
        bytes = unpacked.value().bytes;
        length = unpacked.value().length;
    }
    auto parsed = SkinFile::parse(bytes, length);
    if (parsed.is_error()) {
        kernel::log_warning("skin: %s refused: %s", path,
            parsed.error().context() ? parsed.error().context() : parsed.error().name());
        kernel::kfree(bytes);
        return 2;
    }
    u8* old = s_bytes;
    {
        // The window manager reads the skin while painting, under the
        // GuiLock; at boot there is no GUI thread yet to race with.
        auto swap = [&] {
            s_bytes = bytes;
            s_skin = parsed.value();
            set_loaded_skin(&s_skin);
            arch::InterruptDisabler disabler;
            set_standard_colors(s_skin.colors, s_skin.colors_size);
        };
        if (at_boot) {
            swap();
        } else {
            GuiLock lock;
            swap();
        }
    }
    if (old)
        kernel::kfree(old);
    kernel::log_info("skin: %s loaded (header %d pixels)", path, s_skin.height);
    return 0;
}

} // namespace

u32 load_skin_file(const char* path) { return load(path, false); }

void load_default_skin()
{
    if (kernel::ramdisk_available())
        (void)load("/sys/DEFAULT.SKN", true);
}

} // namespace gui
