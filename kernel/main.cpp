// Colibri kernel entry: the initialisation order, and nothing else.
#include "kernel/Version.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Fpu.h"
#include "kernel/arch/i386/Gdt.h"
#include "kernel/arch/i386/Interrupts.h"
#include "kernel/arch/i386/Layout.h"
#include "kernel/arch/i386/Paging.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/arch/i386/Power.h"
#include "kernel/boot/BootReport.h"
#include "kernel/boot/CommandLine.h"
#include "kernel/boot/KernelAutorun.h"
#include "kernel/boot/MultibootInfo.h"
#include "kernel/debug/Log.h"
#include "kernel/debug/Panic.h"
#include "kernel/drivers/Disks.h"
#include "kernel/fs/Vfs.h"
#include "kernel/drivers/Serial.h"
#include "kernel/drivers/VgaText.h"
#include "kernel/mm/KernelMemory.h"
#include "kernel/runtime/CxxRuntime.h"
#include "kernel/shell/Shell.h"
#include "kernel/tests/DiskSelfTest.h"
#include "kernel/tests/KernelTests.h"
#include "kernel/abi/kolibri/KolibriSyscalls.h"
#include "kernel/abi/native/NativeSyscalls.h"
#include "kernel/arch/i386/Clock.h"
#include "kernel/fs/KernelFlusher.h"
#include "kernel/fs/KernelRamdisk.h"
#include "kernel/gui/Input.h"
#include "kernel/gui/Display.h"
#include "kernel/gui/KernelGui.h"
#include "kernel/abi/kolibri/KolibriGui.h"
#include "kernel/mm/KernelFrameProvider.h"
#include "kernel/task/Process.h"
#include "kernel/task/Scheduler.h"

namespace {

boot::BootInfo s_boot_info;

class ConsoleSink final : public lib::FormatSink {
public:
    void put(char c) override { kernel::console_write(&c, 1); }
    void write(const char* text, size_t length) override { kernel::console_write(text, length); }
};

[[noreturn]] void refuse_bad_magic(u32 magic)
{
    // Multiboot 0.6.96 section 3.2: EAX must hold 0x2BADB002. Anything else
    // means we were not started by a Multiboot loader and the register in
    // EBX cannot be trusted: say so on every console and stop.
    drivers::vga_text::set_attribute(0x4F); // white on red
    kernel::console_print("Colibri: bad multiboot magic 0x%08x (expected 0x%08x).\n"
                          "This kernel must be started by a Multiboot loader (GRUB, QEMU -kernel, Colibri stage2).\n"
                          "System halted.\n",
        magic, boot::multiboot_bootloader_magic);
    arch::halt_forever();
}

void apply_command_line(const boot::CommandLine& command_line)
{
    StringView level = command_line.value("loglevel");
    kernel::LogLevel parsed;
    if (!level.is_empty()) {
        if (kernel::parse_log_level(level.characters(), level.length(), parsed))
            kernel::set_console_log_level(parsed);
        else
            kernel::log_warning("unknown loglevel on the command line, keeping 'info'");
    }
    kernel::set_panic_powers_off(command_line.value("panic") == "poweroff");
}

} // namespace

extern "C" [[noreturn]] void kernel_main(u32 magic, u32 info_address)
{
    drivers::serial::initialize();
    drivers::vga_text::initialize();
    if (magic != boot::multiboot_bootloader_magic)
        refuse_bad_magic(magic);

    kernel::console_print("Colibri %s\n", kernel::colibri_version);
    arch::initialize_gdt();
    arch::initialize_interrupts();
    kernel::run_global_constructors();

    boot::PhysicalMemoryWindow low_memory(arch::physical_to_virtual<u8>(0), arch::direct_map_size);
    auto parsed = boot::parse_multiboot(info_address, low_memory, s_boot_info);
    if (parsed.is_error())
        kernel::panic("cannot read the Multiboot information: %s (%s)", parsed.error().name(),
            parsed.error().context() ? parsed.error().context() : "");
    if (s_boot_info.problems != 0)
        kernel::log_warning("the loader's boot information had problems (flags 0x%x); the parts in question were skipped",
            s_boot_info.problems);
    boot::CommandLine command_line(s_boot_info.command_line);
    apply_command_line(command_line);

    ConsoleSink console;
    boot::write_boot_report(console, s_boot_info);
    auto memory = kernel::initialize_memory(s_boot_info);
    if (memory.is_error())
        kernel::panic("memory initialisation failed: %s (%s)", memory.error().name(),
            memory.error().context() ? memory.error().context() : "");
    auto provider = kernel::initialize_frame_provider();
    if (provider.is_error())
        kernel::panic("frame reference counts: %s", provider.error().name());
    kernel::initialize_ramdisk(s_boot_info);
    gui::initialize_display(s_boot_info, command_line.text());
    // Text-mode output is pointless once a loader switched to graphics.
    if (s_boot_info.has_framebuffer && s_boot_info.framebuffer.type != 2)
        drivers::vga_text::disable();

    arch::paging::remove_identity_map();
    arch::pit::initialize();
    drivers::serial::enable_receive_interrupt();
    // fpu=eager switches x87/SSE state at every switch; the default is lazy
    // (docs/fpu.md has the measurements behind the choice).
    arch::fpu::initialize(command_line.value("fpu") == "eager" ? arch::fpu::Policy::Eager : arch::fpu::Policy::Lazy);
    task::initialize_scheduler();
    task::initialize_processes();
    kolibri::initialize_kolibri_personality();
    native::initialize_native_personality();
    arch::enable_interrupts();
    arch::clock::calibrate();
    kernel::log_info("clock: TSC at %u MHz", static_cast<unsigned>(arch::clock::tsc_hz() / 1000000));
    drivers::initialize_disks();
    for (u32 disk = 0; disk < drivers::disk_count(); ++disk) {
        // KolibriOS names: the first hard disk is /hd0, its partitions /hd0/1...
        auto attached = fs::attach_disk(disk, *drivers::disk(disk));
        if (attached.is_error())
            kernel::log_warning("disk: hd%u has no usable volume: %s (%s)", disk, attached.error().name(),
                attached.error().context() ? attached.error().context() : "");
    }
    kernel::start_flusher();
    if (command_line.has("disktest"))
        arch::power_off(kernel::run_disk_self_test(command_line.value("disktest")) == 0 ? 0 : 1);
    gui::initialize_input(command_line.has("inputlog"));

    if (command_line.has("ktest")) {
        unsigned failures = kernel::run_kernel_tests();
        arch::power_off(failures == 0 ? 0 : 1);
    }
    StringView crash_test = command_line.value("crashtest");
    if (crash_test == "pagefault")
        kernel::trigger_deliberate_page_fault();
    if (crash_test == "doublefree")
        kernel::trigger_deliberate_double_free();

    // The desktop: windows, panel, cursor; KolibriOS events on top of it.
    gui::initialize_gui();
    kolibri::initialize_kolibri_gui();

    kernel::log_info("boot complete in %llu ms of kernel time", arch::pit::uptime_ms());
    // As KolibriOS: /sys/LAUNCHER, or else /sys/settings/AUTORUN.DAT.
    kernel::start_userland(command_line);
    // run=/sys/a,/sys/b starts programs right after boot (./colibri run --app).
    StringView autorun = command_line.value("run");
    while (!autorun.is_empty()) {
        size_t comma = autorun.find(',');
        kernel::run_program_at_boot(autorun.substring(0, comma));
        autorun = autorun.substring(comma == autorun.length() ? comma : comma + 1);
    }
    kernel::run_shell();
}
