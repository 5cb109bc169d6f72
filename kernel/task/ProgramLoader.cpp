#include "kernel/task/ProgramLoader.h"

#include "kernel/abi/kolibri/KolibriDll.h"
#include "kernel/abi/kolibri/KolibriState.h"
#include "kernel/arch/i386/Fpu.h"
#include "kernel/debug/Log.h"
#include "kernel/exec/ElfImage.h"
#include "kernel/exec/KernelKpck.h"
#include "kernel/exec/Kpck.h"
#include "kernel/exec/MenuetImage.h"
#include "kernel/fs/KernelRamdisk.h"
#include "kernel/fs/Vfs.h"
#include "kernel/mm/AddressSpace.h"
#include "kernel/mm/KernelAddressSpace.h"
#include "kernel/mm/KernelMemory.h"
#include "kernel/task/Process.h"
#include "kernel/task/Scheduler.h"
#include "kernel/abi/native/Syscalls.h"

namespace task {

namespace {

constexpr u32 page = 4096;
// Native user stack: 1 MiB just below the top of user space, with a
// PROT_NONE guard page under it so an overflow faults instead of running
// into other mappings.
constexpr u32 stack_top = 0xBFFFF000;
constexpr u32 stack_size = 1024 * 1024;
constexpr u32 stack_guard = stack_top - stack_size - page;
constexpr u8 prot_read = 1, prot_write = 2, prot_exec = 4;
constexpr size_t max_header_bytes = 64 * 1024;
constexpr size_t max_kolibri_image = 16 * 1024 * 1024;
constexpr size_t max_path_length = 1100;

} // namespace

const char* program_name(StringView path, char* buffer, size_t capacity)
{
    size_t start = 0;
    for (size_t i = 0; i < path.length(); ++i) {
        if (path[i] == '/')
            start = i + 1;
    }
    size_t length = lib::min(path.length() - start, capacity - 1);
    for (size_t i = 0; i < length; ++i)
        buffer[i] = path[start + i];
    buffer[length] = '\0';
    return buffer;
}

namespace {

// Reads the start of a file (or all of it, up to `limit`) into a heap buffer.
ErrorOr<u8*> read_file_start(mm::FileSource& file, size_t limit, size_t& length)
{
    length = static_cast<size_t>(lib::min<u64>(file.size(), limit));
    auto buffer = static_cast<u8*>(kernel::kmalloc(length ? length : 1));
    if (!buffer)
        return Error(ErrorCode::NoMemory, "program file buffer");
    auto read = file.read(0, buffer, length);
    if (read.is_error() || read.value() != length) {
        kernel::kfree(buffer);
        return Error(ErrorCode::IoError, "cannot read the program file");
    }
    return buffer;
}

// What ElfImage cannot know: the loader puts the user stack (and its guard
// page) at a fixed place, and a fixed mapping would silently replace a
// segment there.
ErrorOr<void> check_elf_layout(const exec::ElfImage& image)
{
    for (size_t i = 0; i < image.segment_count; ++i) {
        const auto& segment = image.segments[i];
        u64 start = lib::align_down<u64>(segment.vaddr, page);
        u64 end = lib::align_up<u64>(static_cast<u64>(segment.vaddr) + segment.memsz, page);
        if (start < stack_top && stack_guard < end)
            return Error(ErrorCode::Corrupt, "ELF: segment overlaps the user stack (0xbfefe000-0xbffff000)");
    }
    return {};
}

bool starts_with(const u8* data, size_t length, const char* signature)
{
    for (size_t i = 0; signature[i]; ++i) {
        if (i >= length || data[i] != static_cast<u8>(signature[i]))
            return false;
    }
    return true;
}

// Header version 2 ("KX", programs built with tcc): as common_app_entry's
// .try_load_dll (core/taskman.inc), /sys/lib/dll.obj is loaded as 68.19
// would, and the main thread starts at the dword just before its export
// table (its APP_STARTUP_THUNK, which links the program's imports and
// calls the header's entry) instead of at the entry. Without dll.obj
// KolibriOS starts @notify with a message and ends the program; we refuse
// to start it (70.7 fails) and say why in the log.
ErrorOr<void> start_through_dll_obj(Process& process, arch::TrapFrame& start)
{
    constexpr const char* dll_obj = "/sys/lib/dll.obj";
    auto exports = kolibri::load_library(process, dll_obj);
    u32 thunk = 0;
    auto read = exports.is_error() || exports.value() < 4
        ? ErrorOr<void>(Error(ErrorCode::Corrupt, "no room for the startup thunk before the export table"))
        : process.address_space().copy_out(&thunk, exports.value() - 4, sizeof(thunk));
    if (exports.is_error() || read.is_error()) {
        const Error& error = exports.is_error() ? exports.error() : read.error();
        kernel::log_warning("%s: header version 2 needs %s, which cannot be loaded (%s: %s): not started",
            process.name(), dll_obj, error.name(), error.context() ? error.context() : "");
        return error;
    }
    start.eip = thunk;
    return {};
}

ErrorOr<void> load_kolibri(Process& process, const u8* file, size_t file_length, StringView path,
    const ProgramArguments& arguments, arch::TrapFrame& start)
{
    auto image = TRY(exec::MenuetImage::parse(file, file_length));

    // The parameter string: the arguments after the program name, joined by
    // spaces (70.7 passes the whole string as one argument), at most 65535
    // bytes as fs_execute (core/taskman.inc) measures it with _strnlen.
    constexpr size_t max_parameters = 65535;
    size_t parameters_length = 0;
    for (size_t i = 1; i < arguments.argc; ++i) {
        for (const char* c = arguments.argv[i]; *c; ++c)
            ++parameters_length;
        if (i + 1 < arguments.argc)
            ++parameters_length;
    }
    parameters_length = lib::min(parameters_length, max_parameters);
    // A string of 256 bytes or more does not fit the header's buffer:
    // fs_execute adds its length + 1 to the memory size, and
    // common_app_entry puts it at the end of the (page-rounded) memory and
    // points the header's +0x1C at it.
    bool long_parameters = parameters_length >= 256;
    u32 memory_size = image.memory_size + (long_parameters ? u32(parameters_length + 1) : 0);

    auto* state = create_kolibri_state();
    if (!state)
        return Error(ErrorCode::NoMemory, "kolibri state");
    process.set_kolibri(state);
    u32 memory = lib::align_up<u32>(memory_size, page);
    state->memory_size = memory;
    TRY(process.address_space().map_anonymous(0, memory, prot_read | prot_write | prot_exec, false, true));
    // The whole file, not only up to image_end: KolibriOS maps every page
    // of the file into the program (map_process_image in core/taskman.inc)
    // and programs keep data there (Eyes appends its picture after
    // image_end and reads it at run time). What would lie beyond the
    // memory size is left out.
    TRY(process.address_space().copy_in(0, file, lib::min<size_t>(memory, file_length)));

    // Short strings are clipped at the end of the program's memory
    // (MenuetImage.h: only the buffers' start has to lie inside it).
    if (image.params_address) {
        u32 address = image.params_address;
        size_t capacity = lib::min<size_t>(parameters_length + 1, image.memory_size - image.params_address);
        if (long_parameters) {
            address = memory - u32(parameters_length) - 1;
            capacity = parameters_length + 1;
            TRY(process.address_space().copy_in(0x1C, &address, sizeof(address)));
        }
        auto* params = static_cast<char*>(kernel::kmalloc(capacity));
        if (!params)
            return Error(ErrorCode::NoMemory, "program parameters");
        size_t used = 0;
        for (size_t i = 1; i < arguments.argc && used + 1 < capacity; ++i) {
            for (const char* c = arguments.argv[i]; *c && used + 1 < capacity; ++c)
                params[used++] = *c;
            if (i + 1 < arguments.argc && used + 1 < capacity)
                params[used++] = ' ';
        }
        params[used++] = '\0';
        auto written = process.address_space().copy_in(address, params, used);
        kernel::kfree(params);
        TRY(written);
    }
    if (image.path_address) {
        // As common_app_entry (core/taskman.inc) writes it: '/' and then
        // the path getFullPath (fs/fs_lfn.inc) made, which starts with the
        // encoding byte 3 (UTF-8) and has /sys replaced by the boot folder
        // (/RD/1, as Parser_params spells it for a ramdisk boot): for
        // example "/\x03/RD/1/APP". At most 1022 bytes of it.
        char full[1024];
        size_t capacity = lib::min<size_t>(sizeof(full), image.memory_size - image.path_address);
        size_t used = 0;
        auto put = [&](char c) {
            if (used + 1 < capacity)
                full[used++] = c;
        };
        put('/');
        put('\x03');
        size_t rest = 0;
        if (path.length() >= 4 && path[0] == '/' && (path[1] | 0x20) == 's' && (path[2] | 0x20) == 'y'
            && (path[3] | 0x20) == 's' && (path.length() == 4 || path[4] == '/')) {
            for (const char* c = "/RD/1"; *c; ++c)
                put(*c);
            rest = 4;
        }
        for (size_t i = rest; i < path.length(); ++i)
            put(path[i]);
        full[used++] = '\0';
        TRY(process.address_space().copy_in(image.path_address, full, used));
    }
    start.eip = image.entry;
    start.user_esp = image.stack_top;
    if (image.version == 2)
        TRY(start_through_dll_obj(process, start));
    return {};
}

ErrorOr<void> load_elf(Process& process, mm::FileSource& file, const u8* header, size_t header_length,
    const ProgramArguments& arguments, arch::TrapFrame& start)
{
    auto image = TRY(exec::ElfImage::parse(header, header_length, file.size()));
    TRY(check_elf_layout(image));
    mm::FileSource* source = &file;
    source->ref();
    auto& space = process.address_space();
    ErrorOr<void> result {};
    for (size_t i = 0; i < image.segment_count && !result.is_error(); ++i) {
        const auto& segment = image.segments[i];
        u8 protection = prot_read | (segment.writable ? prot_write : 0) | (segment.executable ? prot_exec : 0);
        u32 start_page = lib::align_down<u32>(segment.vaddr, page);
        u32 file_end = segment.vaddr + segment.filesz;
        u32 memory_end = lib::align_up<u32>(segment.vaddr + segment.memsz, page);
        u32 file_pages_end = lib::align_up<u32>(file_end, page);
        if (segment.filesz > 0) {
            u32 offset = segment.file_offset - (segment.vaddr - start_page);
            auto mapped = space.map_file(start_page, file_pages_end - start_page, protection, false, true, *source, offset);
            if (mapped.is_error()) {
                result = mapped.error();
                break;
            }
            // Bytes of the last file page past filesz belong to .bss: zero them.
            if (segment.memsz > segment.filesz && file_end < file_pages_end && segment.writable) {
                static u8 zeros[page]; // in .bss: 4 KiB less to load from the floppy
                auto zeroed = process.address_space().copy_in(file_end, zeros, file_pages_end - file_end);
                if (zeroed.is_error())
                    result = zeroed.error();
            }
        } else {
            file_pages_end = start_page;
        }
        if (!result.is_error() && memory_end > file_pages_end) {
            auto mapped = space.map_anonymous(file_pages_end, memory_end - file_pages_end, protection, false, true);
            if (mapped.is_error())
                result = mapped.error();
        }
    }
    source->unref();
    TRY(result);

    // Stack, guard page below it.
    TRY(space.map_anonymous(stack_top - stack_size - page, page, 0, false, true));
    TRY(space.map_anonymous(stack_top - stack_size, stack_size, prot_read | prot_write, false, true));

    // SysV i386 start: ESP → argc, argv[0..argc-1], NULL, envp..., NULL,
    // with the strings above the pointer arrays.
    u32 pointers[2 * ProgramArguments::max_arguments + 3];
    size_t count = 0;
    u32 cursor = stack_top;
    auto push_string = [&](const char* text) -> ErrorOr<u32> {
        size_t length = lib::string_length(text) + 1;
        if (length > 4096)
            return Error(ErrorCode::InvalidArgument, "argument too long");
        cursor -= static_cast<u32>(length);
        TRY(process.address_space().copy_in(cursor, text, length));
        return cursor;
    };
    u32 argv_addresses[ProgramArguments::max_arguments];
    u32 envp_addresses[ProgramArguments::max_arguments];
    for (size_t i = 0; i < arguments.argc; ++i)
        argv_addresses[i] = TRY(push_string(arguments.argv[i]));
    for (size_t i = 0; i < arguments.envc; ++i)
        envp_addresses[i] = TRY(push_string(arguments.envp[i]));
    pointers[count++] = static_cast<u32>(arguments.argc);
    for (size_t i = 0; i < arguments.argc; ++i)
        pointers[count++] = argv_addresses[i];
    pointers[count++] = 0;
    for (size_t i = 0; i < arguments.envc; ++i)
        pointers[count++] = envp_addresses[i];
    pointers[count++] = 0;
    cursor = lib::align_down<u32>(cursor, 16) - static_cast<u32>(count * sizeof(u32));
    cursor = lib::align_down<u32>(cursor, 16);
    TRY(process.address_space().copy_in(cursor, pointers, count * sizeof(u32)));
    start.eip = image.entry;
    start.user_esp = cursor;
    return {};
}

struct LoadedFile {
    // The whole file for page faults to read from (a copy when it lives on
    // a disk), and its first bytes (all of a KolibriOS program) on the heap.
    mm::FileSource* source { nullptr };
    u8* bytes { nullptr };
    size_t length { 0 };
    bool kolibri { false };
    ~LoadedFile()
    {
        kernel::kfree(bytes);
        if (source)
            source->unref();
    }
};

ErrorOr<void> open_program(StringView path, LoadedFile& loaded)
{
    fs::File* file = TRY(fs::open(path, fs::open_read));
    auto info = fs::stat(file);
    if (info.is_error() || info.value().is_directory()) {
        fs::release(file);
        return info.is_error() ? info.error() : Error(ErrorCode::InvalidArgument, "is a directory");
    }
    auto source = fs::file_source(file);
    fs::release(file);
    loaded.source = TRY(move(source));
    u8 probe[8] = {};
    auto probed = loaded.source->read(0, probe, sizeof(probe));
    if (probed.is_error())
        return probed.error();
    loaded.kolibri = starts_with(probe, probed.value(), "MENUET0") || starts_with(probe, probed.value(), "KPCK");
    size_t limit = loaded.kolibri ? max_kolibri_image : max_header_bytes;
    loaded.bytes = TRY(read_file_start(*loaded.source, limit, loaded.length));
    if (loaded.kolibri && exec::kpck::is_packed(loaded.bytes, loaded.length)) {
        // fs_execute reads programs through load_file (core/dll.inc),
        // which unpacks KPCK files; the 16 MiB limit above is its limit on
        // the packed file, exec::kpck's on the unpacked one.
        auto unpacked = TRY(exec::unpack_to_kernel_heap(loaded.bytes, loaded.length, exec::kpck::max_unpacked_size));
        kernel::kfree(loaded.bytes);
        loaded.bytes = unpacked.bytes;
        loaded.length = unpacked.length;
    }
    return {};
}

// Everything that can be checked before a process exists, so that a
// malformed program leaves no trace: no pid used, no exit logged.
ErrorOr<void> validate(const LoadedFile& loaded)
{
    if (loaded.kolibri) {
        TRY(exec::MenuetImage::parse(loaded.bytes, loaded.length));
        return {};
    }
    auto image = TRY(exec::ElfImage::parse(loaded.bytes, loaded.length, loaded.source->size()));
    return check_elf_layout(image);
}

ErrorOr<void> load_into(Process& process, LoadedFile& loaded, StringView path, const ProgramArguments& arguments,
    arch::TrapFrame& start)
{
    // KolibriOS programs find the screen at 0xFE000000 (kernel/gui/DirectScreen.h).
    mm::set_screen_access(process.address_space(), loaded.kolibri);
    if (loaded.kolibri) {
        process.set_personality(Personality::Kolibri);
        return load_kolibri(process, loaded.bytes, loaded.length, path, arguments, start);
    }
    process.set_personality(Personality::Native);
    return load_elf(process, *loaded.source, loaded.bytes, loaded.length, arguments, start);
}

} // namespace

ErrorOr<u32> spawn_program(StringView given_path, const ProgramArguments& arguments, Process* parent,
    u32* main_thread_id)
{
    char absolute[max_path_length];
    StringView path = TRY(kernel::absolute_path(given_path, absolute, sizeof(absolute)));
    LoadedFile loaded;
    TRY(open_program(path, loaded));
    TRY(validate(loaded));
    char name[32];
    auto process = TRY(Process::create(program_name(path, name, sizeof(name)), parent, Personality::Native));
    u32 pid = process->pid(); // `process` may be gone once its thread runs
    arch::TrapFrame start {};
    auto loaded_result = load_into(*process, loaded, path, arguments, start);
    ErrorOr<Thread*> thread = loaded_result.is_error() ? ErrorOr<Thread*>(loaded_result.error())
                                                       : create_user_thread(*process, start, priority_normal, nullptr, main_thread_id);
    if (thread.is_error()) {
        // Nothing ran yet: take the half-built process down quietly.
        process->terminate(-1);
        if (parent) {
            int status;
            (void)parent->wait_for_child(static_cast<int>(process->pid()), status, true);
        }
        return thread.error();
    }
    return pid;
}

ErrorOr<void> exec_program(Process& process, arch::TrapFrame& frame, StringView given_path, const ProgramArguments& arguments)
{
    char absolute[max_path_length];
    StringView path = TRY(kernel::absolute_path(given_path, absolute, sizeof(absolute)));
    LoadedFile loaded;
    TRY(open_program(path, loaded));
    TRY(validate(loaded));
    // Point of no return: the old image goes, and with it every other
    // thread of the process (as POSIX exec does): they would run on in an
    // address space that no longer holds their code.
    process.stop_other_threads();
    process.address_space().clear();
    char name[32];
    process.set_name(program_name(path, name, sizeof(name)));
    arch::TrapFrame start {};
    auto result = load_into(process, loaded, path, arguments, start);
    if (result.is_error()) {
        kernel::log_warning("exec of %s failed after the old image was released: %s", process.name(),
            result.error().name());
        process.terminate(native::STATUS_KILLED);
    }
    // The new image starts from the initial x87/SSE state, like a new
    // program (the old image's registers and exception masks must not leak).
    arch::fpu::reset_current(current_thread()->fpu_state);
    frame.eip = start.eip;
    frame.user_esp = start.user_esp;
    frame.eax = frame.ebx = frame.ecx = frame.edx = frame.esi = frame.edi = frame.ebp = 0;
    return {};
}

} // namespace task
