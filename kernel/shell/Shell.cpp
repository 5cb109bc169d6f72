#include "kernel/shell/Shell.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Fpu.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/arch/i386/Power.h"
#include "kernel/debug/Log.h"
#include "kernel/drivers/Serial.h"
#include "kernel/fs/Vfs.h"
#include "kernel/mm/KernelMemory.h"
#include "kernel/mm/PhysicalFrameAllocator.h"
#include "kernel/Version.h"
#include "kernel/mm/AddressSpace.h"
#include "kernel/task/Process.h"
#include "kernel/task/ProgramLoader.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/WaitQueue.h"
#include "lib/Format.h"
#include "lib/LineEditor.h"
#include "lib/New.h"
#include "lib/String.h"

namespace kernel {

namespace {

constexpr const char* prompt = "colibri> ";

// Collects whole lines and writes each with interrupts off, so that the
// output of programs running meanwhile never lands inside a shell line.
class SerialSink final : public lib::FormatSink {
public:
    ~SerialSink() { flush(); }
    void put(char c) override
    {
        m_buffer[m_length++] = c;
        if (c == '\n' || m_length == sizeof(m_buffer))
            flush();
    }

private:
    void flush()
    {
        arch::InterruptDisabler disabler;
        drivers::serial::write(m_buffer, m_length);
        m_length = 0;
    }

    char m_buffer[160];
    size_t m_length { 0 };
};

[[gnu::format(printf, 1, 2)]] void print(const char* format, ...)
{
    SerialSink sink;
    va_list args;
    va_start(args, format);
    lib::vformat(sink, format, args);
    va_end(args);
}

struct Command {
    const char* name;
    const char* help;
    void (*run)(StringView arguments);
};

void command_help(StringView);

void command_mem(StringView)
{
    auto stats = memory_statistics();
    constexpr size_t kib_per_frame = 4;
    print("frames: %u total, %u used, %u free (%u KiB free of %u KiB)\n", static_cast<unsigned>(stats.total_frames),
        static_cast<unsigned>(stats.used_frames), static_cast<unsigned>(stats.free_frames),
        static_cast<unsigned>(stats.free_frames * kib_per_frame), static_cast<unsigned>(stats.total_frames * kib_per_frame));
    print("heap: %u bytes in use in %u allocations, %u KiB in arenas\n", static_cast<unsigned>(stats.heap_bytes_in_use),
        static_cast<unsigned>(stats.heap_live_allocations), static_cast<unsigned>(stats.heap_arena_bytes / 1024));
}

void command_uptime(StringView)
{
    u64 ms = arch::pit::uptime_ms();
    u64 seconds = ms / 1000;
    print("up %llu.%03llu s (%llu:%02llu:%02llu), %llu ticks at %u Hz\n", seconds, ms % 1000, seconds / 3600,
        (seconds / 60) % 60, seconds % 60, arch::pit::ticks(), arch::pit::tick_hz);
}

void command_log(StringView)
{
    for_each_log_chunk([](const char* text, size_t length) { drivers::serial::write(text, length); });
}

void command_version(StringView)
{
    print("Colibri %s\n", colibri_version);
}

// What the disk caches hold goes to the disks before the power does.
void write_back_disks()
{
    auto synced = fs::sync();
    if (synced.is_error())
        print("Writing the disk caches back failed: %s\n", synced.error().name());
}

void command_halt(StringView)
{
    print("Powering off.\n");
    write_back_disks();
    arch::power_off(0);
}

void command_reboot(StringView)
{
    print("Rebooting.\n");
    write_back_disks();
    arch::reboot();
}

const char* state_name(const task::Process& process)
{
    if (process.state() == task::ProcessState::Zombie)
        return "zombie";
    for (task::Thread* thread = process.threads(); thread; thread = thread->process_next) {
        if (thread->state == task::ThreadState::Running || thread->state == task::ThreadState::Runnable)
            return "running";
    }
    return "sleeping";
}

void command_ps(StringView)
{
    print("  PID  PPID KIND    STATE    THREADS RESIDENT NAME\n");
    for (auto* process = task::Process::first(); process; process = process->next_in_list()) {
        print("%5u %5u %-7s %-8s %7u %7uK %s\n", process->pid(), process->parent() ? process->parent()->pid() : 0,
            process->personality() == task::Personality::Kolibri ? "kolibri" : "native", state_name(*process),
            process->thread_count(), static_cast<unsigned>(process->address_space().resident_pages() * 4),
            process->name());
    }
    auto stats = task::scheduler_statistics();
    print("%u threads (%u runnable), %llu context switches, %llu preemptions\n", stats.threads, stats.runnable,
        stats.context_switches, stats.preemptions);
    if (arch::fpu::enabled()) {
        auto fpu = arch::fpu::statistics();
        print("fpu: %s switching, %llu #NM traps, %llu state loads, %llu saves\n", arch::fpu::policy_name(),
            fpu.device_not_available_traps, fpu.loads, fpu.saves);
    }
}

void command_kill(StringView arguments)
{
    u64 pid;
    if (!lib::parse_unsigned(arguments, pid) || pid > 0xFFFFFFFF) {
        print("usage: kill PID\n");
        return;
    }
    auto* process = task::Process::find(static_cast<u32>(pid));
    if (!process || process->state() != task::ProcessState::Alive) {
        print("kill: no process %llu\n", pid);
        return;
    }
    process->terminate(128 + 9);
    print("killed process %llu\n", pid);
}

void command_vm(StringView arguments)
{
    u64 only = 0;
    if (!arguments.is_empty() && !lib::parse_unsigned(arguments, only)) {
        print("usage: vm [PID]\n");
        return;
    }
    auto retired = task::retired_faults();
    u32 total = retired.total, zero = retired.demand_zero, file = retired.file, cow = retired.cow,
        protection = retired.protection;
    size_t resident = 0;
    print("  PID  FAULTS   ZERO   FILE    COW   PROT RESIDENT REGIONS NAME\n");
    for (auto* process = task::Process::first(); process; process = process->next_in_list()) {
        const auto& faults = process->address_space().statistics();
        total += faults.total;
        zero += faults.demand_zero;
        file += faults.file;
        cow += faults.cow;
        protection += faults.protection;
        resident += process->address_space().resident_pages();
        if (only && process->pid() != only)
            continue;
        print("%5u %7u %6u %6u %6u %6u %7uK %7u %s\n", process->pid(), faults.total, faults.demand_zero, faults.file,
            faults.cow, faults.protection, static_cast<unsigned>(process->address_space().resident_pages() * 4),
            static_cast<unsigned>(process->address_space().region_count()), process->name());
    }
    print("total: %u faults (%u demand-zero, %u file, %u copy-on-write, %u protection), %u KiB resident\n", total,
        zero, file, cow, protection, static_cast<unsigned>(resident * 4));
}


// ---- files ------------------------------------------------------------------------

// The shell's current folder; relative paths are taken from it.
char s_cwd[256] = "/sys";

// Joins `path` to the current folder into `out` ("." and ".." components
// are resolved here, so the VFS sees a clean absolute path).
bool make_path(StringView path, char* out, size_t capacity)
{
    size_t length = 0;
    auto append_component = [&](StringView component) {
        if (component.is_empty() || component == ".")
            return true;
        if (component == "..") {
            while (length > 0 && out[length - 1] != '/')
                --length;
            if (length > 0)
                --length;
            return true;
        }
        if (length + 1 + component.length() + 1 > capacity)
            return false;
        out[length++] = '/';
        for (size_t i = 0; i < component.length(); ++i)
            out[length++] = component[i];
        return true;
    };
    auto append_all = [&](StringView text) {
        while (!text.is_empty()) {
            size_t slash = text.find('/');
            if (!append_component(text.substring(0, slash)))
                return false;
            text = text.substring(slash == text.length() ? slash : slash + 1);
        }
        return true;
    };
    if (path.is_empty() || path[0] != '/') {
        if (!append_all(s_cwd))
            return false;
    }
    if (!append_all(path))
        return false;
    if (length == 0)
        out[length++] = '/';
    out[length] = '\0';
    return true;
}

// Splits "A B" into two words (no quoting: names with spaces need the
// KolibriOS programs or the native API).
void two_words(StringView arguments, StringView& first, StringView& second)
{
    size_t space = arguments.find(' ');
    first = arguments.substring(0, space);
    second = arguments.substring(space).trimmed();
}

void report(const char* command, const char* path, const Error& error)
{
    print("%s: %s: %s%s%s%s\n", command, path, error.name(), error.context() ? " (" : "",
        error.context() ? error.context() : "", error.context() ? ")" : "");
}

void command_pwd(StringView) { print("%s\n", s_cwd); }

void command_cd(StringView arguments)
{
    char path[256];
    if (!make_path(arguments.is_empty() ? StringView("/") : arguments, path, sizeof(path))) {
        print("cd: path too long\n");
        return;
    }
    auto info = fs::stat(path);
    if (info.is_error()) {
        report("cd", path, info.error());
        return;
    }
    if (!info.value().is_directory()) {
        print("cd: %s: not a directory\n", path);
        return;
    }
    __builtin_memcpy(s_cwd, path, sizeof(path));
}

void command_ls(StringView arguments)
{
    char path[256];
    if (!make_path(arguments, path, sizeof(path))) {
        print("ls: path too long\n");
        return;
    }
    auto listed = fs::list(path, 0, [](void*, const fs::DirectoryEntryInfo& entry) {
        const auto& m = entry.info.modified;
        if (entry.info.is_directory())
            print("%04u-%02u-%02u %02u:%02u  %10s  %s/\n", m.year, m.month, m.day, m.hour, m.minute, "<dir>",
                entry.name);
        else
            print("%04u-%02u-%02u %02u:%02u  %10llu  %s\n", m.year, m.month, m.day, m.hour, m.minute,
                entry.info.size, entry.name);
        return true;
    }, nullptr);
    if (listed.is_error())
        report("ls", path, listed.error());
    else
        print("%u entries\n", listed.value());
}

void command_cat(StringView arguments)
{
    char path[256];
    if (arguments.is_empty() || !make_path(arguments, path, sizeof(path))) {
        print("usage: cat FILE\n");
        return;
    }
    static char buffer[512];
    u64 offset = 0;
    for (;;) {
        auto read = fs::read(path, offset, buffer, sizeof(buffer));
        if (read.is_error()) {
            report("cat", path, read.error());
            return;
        }
        if (read.value() == 0)
            break;
        SerialSink sink;
        sink.write(buffer, read.value());
        offset += read.value();
    }
    if (offset > 0 && buffer[(offset - 1) % sizeof(buffer)] != '\n')
        print("\n");
}

// Copies a file in 16 KiB steps; the target is created or emptied first.
void command_cp(StringView arguments)
{
    StringView from_word, to_word;
    two_words(arguments, from_word, to_word);
    char from[256], to[256];
    if (from_word.is_empty() || to_word.is_empty() || !make_path(from_word, from, sizeof(from))
        || !make_path(to_word, to, sizeof(to))) {
        print("usage: cp FROM TO\n");
        return;
    }
    // Copying onto a folder puts the file inside it.
    auto target = fs::stat(to);
    if (!target.is_error() && target.value().is_directory()) {
        StringView name = from;
        for (size_t i = 0; i < name.length(); ++i) {
            if (from[i] == '/')
                name = StringView(from + i + 1);
        }
        char inside[256];
        lib::BufferSink sink(inside, sizeof(inside));
        lib::format(sink, "%s/%s", to, name.characters());
        __builtin_memcpy(to, inside, sizeof(to));
    }
    auto source_info = fs::stat(from);
    if (source_info.is_error() || source_info.value().is_directory()) {
        if (source_info.is_error())
            report("cp", from, source_info.error());
        else
            print("cp: %s: is a directory\n", from);
        return;
    }
    auto created = fs::create(to, true);
    if (created.is_error()) {
        report("cp", to, created.error());
        return;
    }
    constexpr size_t step = 16 * 1024;
    auto* buffer = new (lib::nothrow) u8[step];
    if (!buffer) {
        print("cp: out of memory\n");
        return;
    }
    u64 offset = 0;
    for (;;) {
        auto read = fs::read(from, offset, buffer, step);
        if (read.is_error()) {
            report("cp", from, read.error());
            break;
        }
        if (read.value() == 0)
            break;
        auto written = fs::write(to, offset, buffer, read.value());
        if (written.is_error() || written.value() < read.value()) {
            report("cp", to, written.is_error() ? written.error() : Error(ErrorCode::NoSpace));
            break;
        }
        offset += read.value();
    }
    delete[] buffer;
    print("copied %llu bytes\n", offset);
}

void command_mv(StringView arguments)
{
    StringView from_word, to_word;
    two_words(arguments, from_word, to_word);
    char from[256], to[256];
    if (from_word.is_empty() || to_word.is_empty() || !make_path(from_word, from, sizeof(from))
        || !make_path(to_word, to, sizeof(to))) {
        print("usage: mv FROM TO\n");
        return;
    }
    auto moved = fs::rename(from, to);
    if (moved.is_error())
        report("mv", from, moved.error());
}

void command_rm(StringView arguments)
{
    char path[256];
    if (arguments.is_empty() || !make_path(arguments, path, sizeof(path))) {
        print("usage: rm PATH (a file or an empty folder)\n");
        return;
    }
    auto removed = fs::remove(path);
    if (removed.is_error())
        report("rm", path, removed.error());
}

void command_mkdir(StringView arguments)
{
    char path[256];
    if (arguments.is_empty() || !make_path(arguments, path, sizeof(path))) {
        print("usage: mkdir PATH\n");
        return;
    }
    auto made = fs::make_directory(path);
    if (made.is_error())
        report("mkdir", path, made.error());
}

void show_volumes(bool usage)
{
    fs::VolumeInfo volumes[24];
    u32 count = fs::volumes(volumes, 24);
    if (usage)
        print("%-10s %-8s %-6s %10s %10s %10s %5s\n", "volume", "device", "type", "size KiB", "used KiB", "free KiB",
            "use%");
    for (u32 i = 0; i < count; ++i) {
        const auto& v = volumes[i];
        const char* type = v.type == fs::FatType::Fat12 ? "FAT12" : v.type == fs::FatType::Fat16 ? "FAT16" : "FAT32";
        if (usage) {
            u64 used = v.total_bytes - v.free_bytes;
            print("%-10s %-8s %-6s %10llu %10llu %10llu %4u%%\n", v.mount_point, v.device, type, v.total_bytes / 1024,
                used / 1024, v.free_bytes / 1024,
                v.total_bytes ? static_cast<unsigned>(used * 100 / v.total_bytes) : 0u);
        } else {
            print("%s on %s type %s (%s, %u-byte clusters)\n", v.device, v.mount_point, type, v.writable ? "rw" : "ro",
                v.cluster_size);
        }
    }
}

void command_df(StringView) { show_volumes(true); }
void command_mount(StringView) { show_volumes(false); }

void command_sync(StringView)
{
    auto synced = fs::sync();
    if (synced.is_error())
        print("sync: %s\n", synced.error().name());
    else
        print("synced\n");
}

void command_run(StringView arguments)
{
    if (arguments.is_empty()) {
        print("usage: run PATH [ARGS]\n");
        return;
    }
    // Split into words in a local buffer: argv[0] is the path.
    static char buffer[lib::LineEditor::capacity + 1];
    size_t length = lib::min(arguments.length(), sizeof(buffer) - 1);
    for (size_t i = 0; i < length; ++i)
        buffer[i] = arguments[i];
    buffer[length] = '\0';
    task::ProgramArguments program;
    char* cursor = buffer;
    while (*cursor && program.argc < task::ProgramArguments::max_arguments) {
        while (*cursor == ' ')
            *cursor++ = '\0';
        if (!*cursor)
            break;
        program.argv[program.argc++] = cursor;
        while (*cursor && *cursor != ' ')
            ++cursor;
    }
    auto pid = task::spawn_program(program.argv[0], program, nullptr);
    if (pid.is_error()) {
        print("run: %s: %s%s%s\n", program.argv[0], pid.error().name(), pid.error().context() ? ": " : "",
            pid.error().context() ? pid.error().context() : "");
        return;
    }
    char name[32];
    print("started process %u (%s)\n", pid.value(), task::program_name(program.argv[0], name, sizeof(name)));
}

constexpr Command s_commands[] = {
    { "help", "list the commands", command_help },
    { "mem", "physical frames and kernel heap use", command_mem },
    { "uptime", "time since boot", command_uptime },
    { "log", "print the kernel log", command_log },
    { "version", "print the kernel version", command_version },
    { "ps", "list processes", command_ps },
    { "kill", "kill PID: terminate a process", command_kill },
    { "vm", "vm [PID]: page-fault counters and resident memory", command_vm },
    { "run", "run PATH [ARGS]: start a program from the ramdisk", command_run },
    { "ls", "ls [PATH]: list a folder (/, /sys, /rd/1, /tmp0/1, /hd0/1, ...)", command_ls },
    { "cd", "cd PATH: change the current folder", command_cd },
    { "pwd", "print the current folder", command_pwd },
    { "cat", "cat FILE: print a file", command_cat },
    { "cp", "cp FROM TO: copy a file", command_cp },
    { "mv", "mv FROM TO: rename or move within a volume", command_mv },
    { "rm", "rm PATH: delete a file or an empty folder", command_rm },
    { "mkdir", "mkdir PATH: create a folder", command_mkdir },
    { "df", "space used and free on each volume", command_df },
    { "mount", "list the mounted volumes", command_mount },
    { "sync", "write every disk cache to its disk", command_sync },
    { "halt", "power the machine off", command_halt },
    { "reboot", "restart the machine", command_reboot },
};

void command_help(StringView)
{
    for (const auto& command : s_commands)
        print("  %-8s %s\n", command.name, command.help);
}

void execute(StringView line)
{
    line = line.trimmed();
    if (line.is_empty())
        return;
    size_t space = line.find(' ');
    StringView name = line.substring(0, space);
    StringView arguments = line.substring(space).trimmed();
    for (const auto& command : s_commands) {
        if (name == command.name) {
            command.run(arguments);
            return;
        }
    }
    char buffer[lib::LineEditor::capacity + 1];
    size_t length = lib::min(name.length(), sizeof(buffer) - 1);
    for (size_t i = 0; i < length; ++i)
        buffer[i] = name[i];
    buffer[length] = '\0';
    print("unknown command: %s\n", buffer);
}

task::WaitQueue s_input_waiters;

void wake_shell() { s_input_waiters.wake_all(); }

int read_character()
{
    for (;;) {
        arch::InterruptDisabler disabler;
        int c = drivers::serial::try_read();
        if (c >= 0)
            return c;
        s_input_waiters.wait();
    }
}

} // namespace

void run_program_at_boot(StringView arguments)
{
    command_run(arguments);
}

void run_shell()
{
    drivers::serial::set_receive_notifier(wake_shell);
    lib::LineEditor editor([](const char* text, size_t length, void*) { drivers::serial::write(text, length); },
        nullptr);
    print("Type 'help' for the list of commands.\n%s", prompt);
    for (;;) {
        int c = read_character();
        if (editor.feed(static_cast<char>(c)) == lib::LineEditor::Result::LineReady) {
            execute(StringView(editor.line(), editor.length()));
            print("%s", prompt);
        }
    }
}

} // namespace kernel
