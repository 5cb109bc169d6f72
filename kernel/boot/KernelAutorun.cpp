#include "kernel/boot/KernelAutorun.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/boot/Autorun.h"
#include "kernel/boot/CommandLine.h"
#include "kernel/debug/Log.h"
#include "kernel/fs/KernelRamdisk.h"
#include "kernel/fs/Vfs.h"
#include "kernel/mm/KernelMemory.h"
#include "kernel/task/Process.h"
#include "kernel/task/ProgramLoader.h"
#include "kernel/task/Scheduler.h"

namespace kernel {

namespace {

constexpr const char* launcher_path = "/sys/LAUNCHER";
constexpr const char* autorun_path = "/sys/settings/AUTORUN.DAT";
// The launcher reads the whole file into its heap; a list of programs is a
// few KiB, and a file larger than this is surely not one.
constexpr u64 max_autorun_bytes = 1024 * 1024;
// How often a negative delay checks whether its program still runs: the
// launcher's loop calls function 5 with 1 (10 ms) and then function 9.
constexpr u64 exit_poll_ms = 10;

struct AutorunFile {
    char* text;
    size_t length;
};

bool is_regular_file(const char* path)
{
    auto info = fs::stat(path);
    return !info.is_error() && !info.value().is_directory();
}

bool process_running(u32 pid)
{
    arch::InterruptDisabler disabler;
    task::Process* process = task::Process::find(pid);
    return process && process->state() == task::ProcessState::Alive;
}

// Starts one line's program; returns its pid, or 0 when it could not start.
u32 start_entry(const boot::AutorunEntry& entry)
{
    // A path without a leading '/' is relative to the launcher's current
    // folder, /sys (70.7 resolves it against the caller's folder).
    char path[boot::AutorunEntry::max_field + 8];
    size_t length = 0;
    if (entry.program[0] != '/') {
        for (const char* prefix = "/sys/"; *prefix; ++prefix)
            path[length++] = *prefix;
    }
    for (const char* c = entry.program; *c && length + 1 < sizeof(path); ++c)
        path[length++] = *c;
    path[length] = '\0';
    task::ProgramArguments arguments;
    arguments.argv[arguments.argc++] = path;
    if (entry.parameters[0])
        arguments.argv[arguments.argc++] = entry.parameters;
    auto pid = task::spawn_program(StringView(path, length), arguments, nullptr);
    if (pid.is_error()) {
        log_warning("autorun: cannot start %s: %s%s%s", entry.program, pid.error().name(),
            pid.error().context() ? ": " : "", pid.error().context() ? pid.error().context() : "");
        return 0;
    }
    log_info("autorun: started %s%s%s as process %u (delay %d)", entry.program, entry.parameters[0] ? " " : "",
        entry.parameters, pid.value(), static_cast<int>(entry.delay));
    return pid.value();
}

int autorun_thread(void* argument)
{
    auto* file = static_cast<AutorunFile*>(argument);
    boot::AutorunReader reader(file->text, file->length);
    boot::AutorunLine line;
    unsigned started = 0, failed = 0, bad = 0;
    while (reader.next(line)) {
        if (line.kind == boot::AutorunLine::Kind::Bad) {
            log_warning("autorun: AUTORUN.DAT line %u skipped: %s", line.number, line.problem);
            ++bad;
            continue;
        }
        const boot::AutorunEntry& entry = line.entry;
        u32 pid = start_entry(entry);
        pid ? ++started : ++failed;
        if (entry.waits_for_exit()) {
            // A program that did not start is not waited for: the
            // launcher's 18.21 finds no slot and goes on.
            if (!pid)
                continue;
            log_info("autorun: waiting for process %u to exit", pid);
            while (process_running(pid))
                task::sleep_ms(exit_poll_ms);
            log_info("autorun: process %u has exited, going on", pid);
        } else if (entry.delay > 0) {
            // Waited for whether or not the program started, as the
            // launcher calls function 5 either way.
            task::sleep_ms(u64(entry.delay) * 10);
        } else {
            task::yield();
        }
    }
    log_info("autorun: AUTORUN.DAT done: %u started, %u could not start, %u bad lines", started, failed, bad);
    kfree(file->text);
    kfree(file);
    return 0;
}

void run_autorun_file()
{
    auto info = fs::stat(autorun_path);
    if (info.is_error() || info.value().is_directory())
        return; // Colibri's own ramdisk: nothing to start
    if (info.value().size > max_autorun_bytes) {
        log_warning("autorun: %s is %llu bytes, more than %llu: not read", autorun_path, info.value().size,
            max_autorun_bytes);
        return;
    }
    size_t size = static_cast<size_t>(info.value().size);
    auto* file = static_cast<AutorunFile*>(kmalloc(sizeof(AutorunFile)));
    char* text = static_cast<char*>(kmalloc(size ? size : 1));
    if (!file || !text) {
        log_warning("autorun: no memory for %s", autorun_path);
        kfree(file);
        kfree(text);
        return;
    }
    auto read = fs::read(autorun_path, 0, text, size);
    if (read.is_error()) {
        log_warning("autorun: cannot read %s: %s", autorun_path, read.error().name());
        kfree(file);
        kfree(text);
        return;
    }
    file->text = text;
    file->length = read.value();
    log_info("autorun: the kernel runs %s (%u bytes)", autorun_path, static_cast<unsigned>(file->length));
    if (task::create_kernel_thread("autorun", autorun_thread, file, task::priority_normal).is_error()) {
        log_warning("autorun: cannot create its thread");
        kfree(file);
        kfree(text);
    }
}

} // namespace

void start_userland(const boot::CommandLine& command_line)
{
    if (!ramdisk_available())
        return;
    if (command_line.value("launcher") == "off") {
        log_info("autorun: launcher=off, starting neither %s nor %s", launcher_path, autorun_path);
        return;
    }
    if (is_regular_file(launcher_path)) {
        task::ProgramArguments arguments;
        arguments.argv[arguments.argc++] = launcher_path;
        auto pid = task::spawn_program(launcher_path, arguments, nullptr);
        if (!pid.is_error()) {
            log_info("autorun: started %s as process %u", launcher_path, pid.value());
            return;
        }
        // KolibriOS halts here ("boot_failed"). The distribution's LAUNCHER
        // is packed with KPCK, which Colibri cannot unpack yet: the kernel
        // does its work instead, so the image's other programs still start.
        log_warning("autorun: cannot start %s: %s%s%s; the kernel reads AUTORUN.DAT instead", launcher_path,
            pid.error().name(), pid.error().context() ? ": " : "", pid.error().context() ? pid.error().context() : "");
    }
    run_autorun_file();
}

} // namespace kernel
