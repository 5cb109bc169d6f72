// Functions 30, 70 and 80 of the KolibriOS personality (KolibriFiles.h).
// Facts from sysfuncs.txt: "Function 30 - work with the current folder",
// "Function 70 - work with file system with long names support" and its
// subfunctions 0-10, "Function 80 - file system interface with parameter
// of encoding", and "Error codes of the file system".
#include "lib/New.h"
#include "kernel/abi/kolibri/KolibriFiles.h"
#include "kernel/abi/kolibri/KolibriSyscalls.h"

#include "kernel/abi/kolibri/KolibriPaths.h"
#include "kernel/abi/kolibri/KolibriState.h"
#include "kernel/abi/kolibri/KolibriSystem.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/debug/Log.h"
#include "kernel/exec/Kpck.h"
#include "kernel/fs/Vfs.h"
#include "kernel/task/Process.h"
#include "kernel/task/ProgramLoader.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/UserMemory.h"
#include "lib/Utility.h"

namespace kolibri {

namespace {

using arch::TrapFrame;

constexpr u32 error_value = 0xFFFFFFFF;

// The one translation of VFS errors into KolibriOS codes.
u32 status_for(const Error& error)
{
    switch (error.code()) {
    case ErrorCode::NotFound:
    case ErrorCode::NotADirectory: // a path component is a file: the path does not exist
    case ErrorCode::InvalidArgument: // a name no file can have cannot be found either
        return status_not_found;
    case ErrorCode::NoSpace:
    case ErrorCode::OutOfRange: // past the largest file the file system can hold
        return status_disk_full;
    case ErrorCode::Corrupt:
    case ErrorCode::Misaligned:
    case ErrorCode::BadDescriptor:
        return status_file_system_error;
    case ErrorCode::ReadOnly:
    case ErrorCode::IsADirectory:
    case ErrorCode::NotEmpty:
    case ErrorCode::AlreadyExists:
    case ErrorCode::Busy:
    case ErrorCode::AccessDenied:
        return status_access_denied;
    case ErrorCode::IoError:
    case ErrorCode::TimedOut:
    case ErrorCode::Cancelled:
    case ErrorCode::WouldBlock:
    case ErrorCode::BrokenPipe:
        return status_device_error;
    case ErrorCode::NoMemory:
        return status_no_memory;
    case ErrorCode::Unsupported:
        return status_unsupported;
    }
    return status_file_system_error;
}

// 70.7 has codes of its own for programs that cannot be started.
u32 start_status_for(const Error& error)
{
    switch (error.code()) {
    case ErrorCode::NoMemory:
        return status_start_no_memory;
    case ErrorCode::Corrupt:
    case ErrorCode::InvalidArgument:
    case ErrorCode::Unsupported:
    case ErrorCode::IsADirectory:
        return status_not_executable;
    case ErrorCode::Busy:
        return status_too_many_processes;
    default:
        return status_for(error);
    }
}

constexpr size_t parameters_capacity = 65536; // 70.7: at most 65535 bytes and the NUL
constexpr u32 chunk_size = 16 * 1024;         // file data per VFS call
constexpr u32 listing_batch = 8;              // folder entries per VFS call (70.1)
constexpr u32 folder_header_size = 32;
constexpr u32 entry_attributes_size = 40;     // a BDFE without its name (70.5)
constexpr u32 cp866_name_size = 264;
constexpr u32 unicode_name_size = 520;

// A program starts in the system folder as KolibriOS names it after a
// ramdisk boot: sysdir_path "RD/1" (Parser_params, fs/parse_fn.inc).
const char* const default_folder = "/RD/1";

task::KolibriState& state()
{
    return *task::current_process()->kolibri();
}

void put16(u8* at, u16 value)
{
    at[0] = u8(value);
    at[1] = u8(value >> 8);
}

void put32(u8* at, u32 value)
{
    for (int i = 0; i < 4; ++i)
        at[i] = u8(value >> (8 * i));
}

u32 get32(const u8* at)
{
    return u32(at[0]) | u32(at[1]) << 8 | u32(at[2]) << 16 | u32(at[3]) << 24;
}

const char* current_folder()
{
    auto& s = state();
    return s.current_folder[0] ? s.current_folder : default_folder;
}

// ---- the information structure ---------------------------------------------------------

// Function 70 and 80's information structure, without the path.
struct Request {
    u32 subfunction;
    u32 offset;     // +4: offset, start index, flags
    u32 high;       // +8: high dword of the offset, name encoding, parameters
    u32 size;       // +12
    u32 data;       // +16
    u32 encoding;   // function 80's +20 (encoding_default for 70)
    u32 path;       // where the path string starts
    u64 offset64() const { return u64(high) << 32 | offset; }
};

// A VFS file kept open for one call. The thread notes it too: a thread
// killed inside the call never runs the destructor, and the kill path
// releases it instead (task::release_held).
class OpenFile {
public:
    explicit OpenFile(fs::File* file) : m_file(file)
    {
        arch::InterruptDisabler disabler;
        task::Thread* thread = task::current_thread();
        if (!thread->held_vfs_file) {
            thread->held_vfs_file = file;
            m_noted = true;
        }
    }
    ~OpenFile()
    {
        // In one step, so a kill cannot come between (releasing never sleeps).
        arch::InterruptDisabler disabler;
        if (m_noted)
            task::current_thread()->held_vfs_file = nullptr;
        if (m_file)
            fs::release(m_file);
    }
    OpenFile(const OpenFile&) = delete;
    OpenFile& operator=(const OpenFile&) = delete;
    fs::File* get() const { return m_file; }

private:
    fs::File* m_file;
    bool m_noted { false };
};

struct Outcome {
    u32 eax;
    u32 ebx;
    bool sets_ebx;
};

Outcome status_only(u32 status) { return { status, 0, false }; }
Outcome with_count(u32 status, u32 count) { return { status, count, true }; }

// A program buffer of `length` bytes at `address` that can be written or
// read at all (it may still hold unmapped pages; the copies catch those).
bool plausible_buffer(u32 address, u64 length)
{
    return length == 0 || (address != 0 && length <= 0xFFFFFFFFu && task::is_user_range(address, size_t(length)));
}

void put_time(u8* at, const fs::FatTimestamp& stamp)
{
    at[0] = stamp.second;
    at[1] = stamp.minute;
    at[2] = stamp.hour;
    at[3] = 0;
}

void put_date(u8* at, const fs::FatTimestamp& stamp)
{
    at[0] = stamp.day;
    at[1] = stamp.month;
    put16(at + 2, stamp.year);
}

fs::FatTimestamp get_stamp(const u8* time, const u8* date)
{
    fs::FatTimestamp stamp;
    stamp.second = time[0];
    stamp.minute = time[1];
    stamp.hour = time[2];
    stamp.day = date[0];
    stamp.month = date[1];
    stamp.year = u16(date[2] | date[3] << 8);
    return stamp;
}

// The first 40 bytes of a BDFE ("block of data for folder entry", 70.1).
void fill_entry_attributes(u8* out, const fs::FileInfo& info, u32 encoding)
{
    put32(out + 0, info.attributes);
    put32(out + 4, encoding);
    put_time(out + 8, info.created);
    put_date(out + 12, info.created);
    put_time(out + 16, info.accessed);
    put_date(out + 20, info.accessed);
    put_time(out + 24, info.modified);
    put_date(out + 28, info.modified);
    put32(out + 32, u32(info.size));
    put32(out + 36, u32(info.size >> 32));
}

// ---- subfunctions ----------------------------------------------------------------------

// 70.0: read `size` bytes at the 64-bit offset into the buffer; EBX = bytes
// read; 6 (end of file) when the file ended first.
Outcome read_file(const Request& request, const char* path)
{
    if (!plausible_buffer(request.data, request.size))
        return with_count(status_bad_pointer, 0);
    auto opened = fs::open(path, fs::open_read);
    if (opened.is_error())
        return with_count(status_for(opened.error()), 0);
    OpenFile file(opened.value());
    auto info = fs::stat(file.get());
    if (info.is_error())
        return with_count(status_for(info.error()), 0);
    if (info.value().is_directory())
        return with_count(status_access_denied, 0);
    if (request.size == 0)
        return with_count(status_success, 0);
    task::CallBuffer buffer(lib::min(chunk_size, request.size));
    if (!buffer.bytes())
        return with_count(status_no_memory, 0);
    u64 offset = request.offset64();
    u32 done = 0;
    while (done < request.size) {
        u32 want = lib::min(chunk_size, request.size - done);
        auto read = fs::read(file.get(), offset + done, buffer.bytes(), want);
        if (read.is_error())
            return with_count(status_for(read.error()), done);
        u32 got = u32(read.value());
        if (got && copy_to_program(request.data + done, buffer.bytes(), got).is_error())
            return with_count(status_bad_pointer, done);
        done += got;
        if (got < want)
            return with_count(status_end_of_file, done);
    }
    return with_count(status_success, done);
}

struct Listing {
    fs::DirectoryEntryInfo* entries;
    u32 capacity;
    u32 count;
};

bool collect_entry(void* context, const fs::DirectoryEntryInfo& entry)
{
    auto& listing = *static_cast<Listing*>(context);
    if (listing.count >= listing.capacity)
        return false;
    listing.entries[listing.count++] = entry;
    return listing.count < listing.capacity;
}

// 70.1: read `size` entries from index `offset` on into the buffer: a
// 32-byte header (version 1, entries placed, entries in the folder), then
// one BDFE per entry, 304 bytes with a cp866 name or 560 with a UTF-16LE or
// UTF-8 one. EBX = entries placed; 6 when the folder ended first.
Outcome read_folder(const Request& request, const char* path)
{
    u32 encoding = request.high == encoding_default ? encoding_cp866 : request.high;
    if (encoding > encoding_utf8)
        return with_count(status_unsupported, 0);
    u32 entry_size = entry_attributes_size + (encoding == encoding_cp866 ? cp866_name_size : unicode_name_size);
    if (!plausible_buffer(request.data, folder_header_size))
        return with_count(status_bad_pointer, 0);
    // Entries are read a few at a time into the kernel and copied out after
    // the VFS call: the VFS lock is never held across a program copy.
    task::CallBuffer batch(listing_batch * sizeof(fs::DirectoryEntryInfo));
    auto* entries = reinterpret_cast<fs::DirectoryEntryInfo*>(batch.bytes());
    task::CallBuffer entry(entry_size);
    if (!entries || !entry.bytes())
        return with_count(status_no_memory, 0);
    u32 placed = 0;
    u32 total = 0;
    u32 status = status_success;
    bool first_pass = true;
    while (first_pass || placed < request.size) {
        first_pass = false;
        Listing listing { entries, lib::min(listing_batch, request.size - placed), 0 };
        u64 first = u64(request.offset) + placed;
        if (first > 0xFFFFFFFFu)
            break;
        auto listed = fs::list(path, u32(first), collect_entry, &listing);
        if (listed.is_error()) {
            status = status_for(listed.error());
            break;
        }
        total = listed.value();
        for (u32 i = 0; i < listing.count; ++i) {
            u8* out = entry.bytes();
            for (u32 j = 0; j < entry_size; ++j)
                out[j] = 0;
            fill_entry_attributes(out, entries[i].info, encoding);
            const char* name = entries[i].name;
            encode_text(name, lib::string_length(name), encoding, out + entry_attributes_size,
                entry_size - entry_attributes_size);
            u32 at = request.data + folder_header_size + placed * entry_size;
            u64 end = u64(request.data) + folder_header_size + u64(placed + 1) * entry_size;
            if (end > 0xFFFFFFFFu || copy_to_program(at, out, entry_size).is_error()) {
                status = status_bad_pointer;
                break;
            }
            ++placed;
        }
        if (status != status_success || listing.count < listing.capacity || listing.capacity == 0)
            break;
    }
    if (status == status_success && placed < request.size)
        status = status_end_of_file;
    if (status == status_success || status == status_end_of_file || status == status_bad_pointer) {
        u8 header[folder_header_size] {};
        put32(header + 0, 1);
        put32(header + 4, placed);
        put32(header + 8, total);
        if (copy_to_program(request.data, header, sizeof(header)).is_error())
            status = status_bad_pointer;
    }
    return with_count(status, placed);
}

// Copies `size` bytes of program data at `data` into the open file at
// `offset`. EBX = bytes written; 8 when the disk filled up.
Outcome write_data(fs::File* file, u64 offset, u32 data, u32 size)
{
    if (size == 0)
        return with_count(status_success, 0);
    task::CallBuffer buffer(lib::min(chunk_size, size));
    if (!buffer.bytes())
        return with_count(status_no_memory, 0);
    u32 done = 0;
    while (done < size) {
        u32 want = lib::min(chunk_size, size - done);
        if (copy_from_program(buffer.bytes(), data + done, want).is_error())
            return with_count(status_bad_pointer, done);
        auto written = fs::write(file, offset + done, buffer.bytes(), want);
        if (written.is_error())
            return with_count(status_for(written.error()), done);
        done += u32(written.value());
        if (written.value() < want)
            return with_count(status_disk_full, done);
    }
    return with_count(status_success, done);
}

// 70.2: create the file, or empty an existing one, and write the data.
Outcome create_file(const Request& request, const char* path)
{
    if (!plausible_buffer(request.data, request.size))
        return with_count(status_bad_pointer, 0);
    auto created = fs::create(path, true);
    if (created.is_error())
        return with_count(status_for(created.error()), 0);
    auto opened = fs::open(path, fs::open_write);
    if (opened.is_error())
        return with_count(status_for(opened.error()), 0);
    OpenFile file(opened.value());
    return write_data(file.get(), 0, request.data, request.size);
}

// 70.3: write into an existing file at the 64-bit offset, extending it
// (with zeros when the offset is past the end).
Outcome write_file(const Request& request, const char* path)
{
    if (!plausible_buffer(request.data, request.size))
        return with_count(status_bad_pointer, 0);
    auto opened = fs::open(path, fs::open_write);
    if (opened.is_error())
        return with_count(status_for(opened.error()), 0);
    OpenFile file(opened.value());
    auto info = fs::stat(file.get());
    if (info.is_error())
        return with_count(status_for(info.error()), 0);
    if (info.value().is_directory())
        return with_count(status_access_denied, 0);
    return write_data(file.get(), request.offset64(), request.data, request.size);
}

// 70.4: set the file's size (64-bit, from +4 and +8).
Outcome set_end(const Request& request, const char* path)
{
    auto info = fs::stat(path);
    if (info.is_error())
        return status_only(status_for(info.error()));
    if (info.value().is_directory())
        return status_only(status_access_denied);
    auto truncated = fs::truncate(path, request.offset64());
    return status_only(truncated.is_error() ? status_for(truncated.error()) : status_success);
}

// The volume whose root `path` is ("/rd/1", "/sys", "/hd0/1"), if any.
bool volume_root_size(const char* path, u64& size)
{
    char root[path_capacity];
    leading_components(path, partition_components(path), root);
    if (!same_path_ignoring_case(root, path))
        return false;
    const char* wanted = same_path_ignoring_case(path, "/sys") ? "/rd/1" : path;
    fs::VolumeInfo volumes[16];
    u32 count = lib::min<u32>(fs::volumes(volumes, 16), 16);
    for (u32 i = 0; i < count; ++i) {
        if (same_path_ignoring_case(volumes[i].mount_point, wanted)) {
            size = volumes[i].total_bytes;
            return true;
        }
    }
    return false;
}

// 70.5: the 40-byte attribute block of a file or folder (a BDFE without
// its name); for a partition's root folder the size is the partition's.
Outcome get_info(const Request& request, const char* path)
{
    if (!plausible_buffer(request.data, entry_attributes_size))
        return status_only(status_bad_pointer);
    auto info = fs::stat(path);
    if (info.is_error())
        return status_only(status_for(info.error()));
    fs::FileInfo result = info.value();
    u64 partition_size = 0;
    if (volume_root_size(path, partition_size))
        result.size = partition_size;
    u8 block[entry_attributes_size] {};
    fill_entry_attributes(block, result, 0);
    if (copy_to_program(request.data, block, sizeof(block)).is_error())
        return status_only(status_bad_pointer);
    return status_only(status_success);
}

// 70.6: set attributes and times from the first 32 bytes of a BDFE (the
// folder and volume-label bits and the encoding field are not used).
Outcome set_info(const Request& request, const char* path)
{
    u8 block[32];
    if (!plausible_buffer(request.data, sizeof(block)) || copy_from_program(block, request.data, sizeof(block)).is_error())
        return status_only(status_bad_pointer);
    fs::FileInfo info;
    info.attributes = u8(get32(block) & ~(fs::attribute_directory_bit | fs::attribute_volume_bit));
    info.created = get_stamp(block + 8, block + 12);
    info.accessed = get_stamp(block + 16, block + 20);
    info.modified = get_stamp(block + 24, block + 28);
    auto result = fs::set_info(path, info);
    return status_only(result.is_error() ? status_for(result.error()) : status_success);
}

// 70.7: start the program at the path with the parameter string at +8.
// EAX = the new program's id, or minus an error code. As fs_execute
// (core/taskman.inc) answers the TASKDATA.pid of the slot it made, that
// id is its main thread's id: the one 9 shows at +30, 18.18 ends and
// 60.2 sends to (Colibri's process numbers are internal). Also as fs_execute:
// the string is measured up to 65535 bytes (a longer one is cut there);
// one of 256 bytes or more goes to the end of the program's memory and
// the header's +0x1C points at it (ProgramLoader).
Outcome start_program(const Request& request, const char* path)
{
    constexpr u32 flag_debug = 1;
    if (request.offset & flag_debug) {
        // Function 69 (debugging) does not exist here, so a debugged start
        // could never be resumed.
        return status_only(u32(-i32(status_unsupported)));
    }
    task::CallBuffer storage(parameters_capacity);
    auto* parameters = reinterpret_cast<char*>(storage.bytes());
    if (!parameters)
        return status_only(u32(-i32(status_start_no_memory)));
    parameters[0] = '\0';
    if (request.high) {
        auto length = read_program_string(request.high, reinterpret_cast<u8*>(parameters), parameters_capacity - 1,
            1, true);
        if (length.is_error())
            return status_only(u32(-i32(status_bad_pointer)));
        parameters[length.value()] = '\0';
    }
    task::ProgramArguments arguments;
    arguments.argv[arguments.argc++] = path;
    if (parameters[0])
        arguments.argv[arguments.argc++] = parameters;
    u32 main_thread = 0;
    auto pid = task::spawn_program(path, arguments, nullptr, &main_thread);
    if (pid.is_error())
        return status_only(u32(-i32(start_status_for(pid.error()))));
    return status_only(main_thread);
}

// 70.8: delete a file or an empty folder (10 for a folder with entries).
Outcome delete_entry(const char* path)
{
    auto removed = fs::remove(path);
    return status_only(removed.is_error() ? status_for(removed.error()) : status_success);
}

// 70.9: create a folder; success when the folder already exists.
Outcome create_folder(const char* path)
{
    auto made = fs::make_directory(path);
    if (!made.is_error())
        return status_only(status_success);
    if (made.error().code() == ErrorCode::AlreadyExists) {
        auto info = fs::stat(path);
        if (!info.is_error() && info.value().is_directory())
            return status_only(status_success);
    }
    return status_only(status_for(made.error()));
}

// 70.10: rename or move. The new name at +16 is relative to the folder
// holding the source, or absolute from the root of the source's partition.
Outcome rename_entry(PathScratch& scratch, const Request& request, const char* path)
{
    char parent[path_capacity];
    char partition[path_capacity];
    parent_folder(path, parent);
    leading_components(path, partition_components(path), partition);
    u32 status = status_success;
    if (resolve_path(scratch, request.data, request.encoding, parent, partition, scratch.second, status).is_error())
        return status_only(status);
    auto renamed = fs::rename(path, scratch.second);
    return status_only(renamed.is_error() ? status_for(renamed.error()) : status_success);
}

// Whether the device and partition a resolved path starts with exist
// ("/hd0/1" of "/hd0/1/a/b", "/sys" of "/sys/x", "/" itself).
bool partition_exists(const char* path)
{
    char partition[path_capacity];
    leading_components(path, partition_components(path), partition);
    return !fs::stat(partition).is_error();
}

// Runs one request of function 70 or 80.
void file_request(TrapFrame& frame, Request& request)
{
    task::CallBuffer storage(sizeof(PathScratch));
    auto* scratch = reinterpret_cast<PathScratch*>(storage.bytes());
    if (!scratch) {
        frame.eax = status_no_memory;
        return;
    }
    u32 status = status_success;
    Outcome outcome {};
    if (request.subfunction > 10) {
        outcome = status_only(status_unsupported);
    } else if (resolve_path(*scratch, request.path, request.encoding, current_folder(), "", scratch->path, status)
                   .is_error()) {
        outcome = request.subfunction == 7 ? status_only(u32(-i32(status))) : status_only(status);
    } else if (request.subfunction != 7 && !partition_exists(scratch->path)) {
        // file_system_lfn (fs/fs_lfn.inc): a device or partition that does
        // not exist ends at .notfound, which sets only EAX (5); EBX keeps
        // the caller's value (the file system's answer sets it otherwise).
        outcome = status_only(status_not_found);
    } else {
        const char* path = scratch->path;
        switch (request.subfunction) {
        case 0: outcome = read_file(request, path); break;
        case 1: outcome = read_folder(request, path); break;
        case 2: outcome = create_file(request, path); break;
        case 3: outcome = write_file(request, path); break;
        case 4: outcome = set_end(request, path); break;
        case 5: outcome = get_info(request, path); break;
        case 6: outcome = set_info(request, path); break;
        case 7: outcome = start_program(request, path); break;
        case 8: outcome = delete_entry(path); break;
        case 9: outcome = create_folder(path); break;
        case 10: outcome = rename_entry(*scratch, request, path); break;
        }
    }
    frame.eax = outcome.eax;
    if (outcome.sets_ebx)
        frame.ebx = outcome.ebx;
}

bool read_header(u32 address, u8* out, size_t length)
{
    return !copy_from_program(out, address, length).is_error();
}

// ---- function 30 -----------------------------------------------------------------------

void set_current_folder(u32 address, u32 encoding)
{
    task::CallBuffer storage(sizeof(PathScratch));
    auto* scratch = reinterpret_cast<PathScratch*>(storage.bytes());
    if (!scratch)
        return;
    u32 status = status_success;
    if (!resolve_path(*scratch, address, encoding, current_folder(), "", scratch->path, status).is_error()) {
        auto& s = state();
        size_t length = lib::string_length(scratch->path);
        for (size_t i = 0; i <= length; ++i)
            s.current_folder[i] = scratch->path[i];
    }
}

// 30.2 / 30.5: the current folder in `encoding` into the buffer at
// `address` of `size` bytes (cut and terminated when it does not fit).
// As sys_current_directory .get (fs/fs_lfn.inc): EAX = the bytes written,
// terminator included (`size` when the string was cut); 0 for a size of
// 0 or a buffer that is not the program's.
u32 get_current_folder(u32 address, u32 size, u32 encoding)
{
    // is_region_userspace on the whole size first (below OS_BASE,
    // 0x80000000), then the size is cut to maxPathLength.
    if (size == 0 || u64(address) + size > 0x80000000u)
        return 0;
    size = lib::min<u32>(size, 4096); // maxPathLength
    if (!task::is_user_range(address, size))
        return 0;
    if (encoding == encoding_default || encoding > encoding_utf8)
        encoding = encoding_cp866;
    const char* folder = current_folder();
    size_t length = lib::string_length(folder);
    constexpr size_t capacity = 2 * path_capacity + 2;
    task::CallBuffer encoded(capacity);
    if (!encoded.bytes())
        return error_value;
    size_t needed = encode_text(folder, length, encoding, encoded.bytes(), capacity);
    size_t unit = encoding == encoding_utf16 ? 2 : 1;
    size_t copied = needed;
    if (size < needed) {
        // Cut at a whole character of the encoding and terminate.
        copied = lib::align_down<size_t>(size, unit);
        if (copied < unit)
            return 0;
        size_t text = copied - unit;
        if (encoding == encoding_utf8) {
            while (text > 0 && (encoded.bytes()[text] & 0xC0) == 0x80)
                --text;
        } else if (encoding == encoding_utf16 && text >= 2) {
            u16 last = u16(encoded.bytes()[text - 2] | encoded.bytes()[text - 1] << 8);
            if (last >= 0xD800 && last < 0xDC00)
                text -= 2;
        }
        for (size_t i = 0; i < unit; ++i)
            encoded.bytes()[text + i] = 0;
        copied = text + unit;
    }
    if (!plausible_buffer(address, copied) || copy_to_program(address, encoded.bytes(), copied).is_error())
        return 0;
    return u32(copied);
}

} // namespace

// 30: the current folder, against which relative paths of 70 and 80 are
// resolved. Kept per process (sysfuncs.txt keeps it per thread): threads
// of a program share one folder here. A started program begins in /sys.
ErrorOr<size_t> read_program_file(u32 path_address, u32 encoding, u8* buffer, size_t capacity)
{
    task::CallBuffer storage(sizeof(PathScratch));
    auto* scratch = reinterpret_cast<PathScratch*>(storage.bytes());
    if (!scratch)
        return Error(ErrorCode::NoMemory, "no memory for the path");
    u32 status = status_success;
    TRY(resolve_path(*scratch, path_address, encoding, current_folder(), "", scratch->path, status));
    fs::FileInfo info = TRY(fs::stat(scratch->path));
    if (info.is_directory())
        return Error(ErrorCode::IsADirectory, "a folder");
    if (info.size > capacity)
        return Error(ErrorCode::OutOfRange, "file too big");
    size_t size = size_t(info.size);
    size_t read = TRY(fs::read(scratch->path, 0, buffer, size));
    return read;
}

// 30.3: ECX = {64-byte name, 64-byte cp866 real path}. KolibriOS sets
// its seal before it reads the block, so a bad pointer there kills the
// program and no later 30.3 counts; Colibri reads the block first and a
// bad pointer changes nothing.
static void mount_folder(u32 address)
{
    u8 block[128];
    const char* program = task::current_process()->name();
    if (task::copy_from_user(block, address, sizeof(block)).is_error()) {
        kernel::log_warning("30.3 by %s: the block at 0x%x is not the program's; nothing mounted", program, address);
        return;
    }
    char target[path_capacity];
    if (!mount_additional_folder(block, target, sizeof(target))) {
        kernel::log_info("30.3 by %s: the additional folder is mounted already; ignored", program);
        return;
    }
    char name[64];
    for (size_t i = 0; i < sizeof(name); ++i)
        name[i] = char(block[i]);
    name[63] = '\0';
    kernel::log_info("30.3 by %s: /%s is %s", program, name, target);
}

void sys_current_folder(TrapFrame& frame)
{
    switch (frame.ebx) {
    case 1: // set, cp866 or with an encoding byte
        set_current_folder(frame.ecx, encoding_default);
        return;
    case 2: // get, cp866
        frame.eax = get_current_folder(frame.ecx, frame.edx, encoding_cp866);
        return;
    case 4: // set, EDX = encoding
        set_current_folder(frame.ecx, frame.edx);
        return;
    case 5: // get, ESI = encoding
        frame.eax = get_current_folder(frame.ecx, frame.edx, frame.esi);
        return;
    case 3: // mount the additional system folder; EAX is left
        mount_folder(frame.ecx);
        return;
    default:
        // Unknown subfunctions return with EAX unchanged, as
        // sys_current_directory does.
        log_unimplemented(frame);
        return;
    }
}

// 70: EBX = information structure: subfunction, three dwords of
// parameters, a data pointer, then the path inline (+20) or, when the
// byte at +20 is 0, a pointer to it at +21.
void sys_file(TrapFrame& frame)
{
    u8 header[25];
    if (!read_header(frame.ebx, header, 21)) {
        frame.eax = status_bad_pointer;
        return;
    }
    Request request {};
    request.subfunction = get32(header);
    request.offset = get32(header + 4);
    request.high = get32(header + 8);
    request.size = get32(header + 12);
    request.data = get32(header + 16);
    request.encoding = encoding_default;
    request.path = frame.ebx + 20;
    if (header[20] == 0) {
        if (!read_header(frame.ebx + 21, header + 21, 4)) {
            frame.eax = status_bad_pointer;
            return;
        }
        request.path = get32(header + 21);
    }
    file_request(frame, request);
}

// 80: as 70, with the path's encoding at +20 and a pointer to it at +24.
void sys_file_encoded(TrapFrame& frame)
{
    u8 header[28];
    if (!read_header(frame.ebx, header, sizeof(header))) {
        frame.eax = status_bad_pointer;
        return;
    }
    Request request {};
    request.subfunction = get32(header);
    request.offset = get32(header + 4);
    request.high = get32(header + 8);
    request.size = get32(header + 12);
    request.data = get32(header + 16);
    request.encoding = get32(header + 20);
    request.path = get32(header + 24);
    file_request(frame, request);
}

namespace {

// load_file_umode's own limit on the file (core/dll.inc: "1 GiB").
constexpr u64 max_heap_file = 1024u * 1024 * 1024;
// A packed file is read whole into the kernel heap, as KolibriOS does; the
// unpacked one is bounded by exec::kpck::max_unpacked_size.
constexpr u64 max_packed_heap_file = exec::kpck::max_unpacked_size;

// Copies `length` bytes of `file` from offset 0 to the program's `address`
// through a chunk-sized kernel buffer.
bool copy_file_to_program(fs::File* file, u32 address, u32 length)
{
    task::CallBuffer buffer(chunk_size);
    if (!buffer.bytes())
        return false;
    for (u32 done = 0; done < length;) {
        u32 want = lib::min(chunk_size, length - done);
        auto read = fs::read(file, done, buffer.bytes(), want);
        if (read.is_error() || read.value() != want)
            return false;
        if (copy_to_program(address + done, buffer.bytes(), want).is_error())
            return false;
        done += want;
    }
    return true;
}

// The file at `path` in a new heap block: EAX = block, EDX = size, or 0 and
// 0. A KPCK file is unpacked and EDX is its unpacked size.
void load_resolved_file(TrapFrame& frame, const char* path)
{
    frame.eax = 0;
    frame.edx = 0;
    auto opened = fs::open(path, fs::open_read);
    if (opened.is_error())
        return;
    OpenFile file(opened.value());
    auto info = fs::stat(file.get());
    if (info.is_error() || info.value().is_directory() || info.value().size == 0
        || info.value().size > max_heap_file)
        return;
    u32 size = u32(info.value().size);
    u8 signature[4] = {};
    auto probed = fs::read(file.get(), 0, signature, sizeof(signature));
    if (probed.is_error())
        return;
    if (!exec::kpck::is_packed(signature, probed.value())) {
        // load_file_umode moves the file's pages into the block; we copy.
        u32 block = allocate_heap_block(size);
        if (!block)
            return;
        if (!copy_file_to_program(file.get(), block, size)) {
            free_heap_block(block);
            return;
        }
        // Fresh heap pages are zero, so the rest of the last page is too.
        frame.eax = block;
        frame.edx = size;
        return;
    }
    if (size > max_packed_heap_file)
        return;
    // Call buffers, so that a thread killed while the file is read leaves
    // nothing behind (with the path scratch: all four slots).
    task::CallBuffer packed(size);
    if (!packed.bytes())
        return;
    auto read = fs::read(file.get(), 0, packed.bytes(), size);
    if (read.is_error() || read.value() != size)
        return;
    auto length = exec::kpck::unpacked_size(packed.bytes(), size);
    if (length.is_error()) {
        kernel::log_warning("68.27: %s is a damaged KPCK file: %s", path, length.error().context());
        return;
    }
    task::CallBuffer model(sizeof(exec::lzma::Model));
    task::CallBuffer unpacked(length.value());
    if (!model.bytes() || !unpacked.bytes())
        return;
    auto result = exec::kpck::unpack(packed.bytes(), size, unpacked.bytes(), length.value(),
        *reinterpret_cast<exec::lzma::Model*>(model.bytes()));
    if (result.is_error()) {
        // KolibriOS' unpack has no error return and hands over whatever it
        // wrote; we refuse the file and say why.
        kernel::log_warning("68.27: %s is a damaged KPCK file: %s", path, result.error().context());
        return;
    }
    u32 block = allocate_heap_block(length.value());
    if (!block)
        return;
    if (copy_to_program(block, unpacked.bytes(), length.value()).is_error()) {
        free_heap_block(block);
        return;
    }
    frame.eax = block;
    frame.edx = length.value();
}

} // namespace

// 68.27 (ECX = path, cp866 or with an encoding byte) and 68.28 (EDX = the
// path's encoding): the whole file in a new block of the program's heap
// (it must have called 68.11): EAX = block, EDX = size; 0 and 0 on failure.
// f68.27/.28 (core/memory.inc) answer -1 for a path in kernel space, and
// 68.28 leaves EDX alone when the path cannot be resolved.
void sys_load_file(TrapFrame& frame, bool with_encoding)
{
    if (frame.ecx >= 0x80000000u) {
        frame.eax = u32(-1);
        return;
    }
    task::CallBuffer storage(sizeof(PathScratch));
    auto* scratch = reinterpret_cast<PathScratch*>(storage.bytes());
    u32 status = status_success;
    u32 encoding = with_encoding ? frame.edx : encoding_default;
    if (!scratch
        || resolve_path(*scratch, frame.ecx, encoding, current_folder(), "", scratch->path, status).is_error()) {
        frame.eax = 0;
        if (!with_encoding)
            frame.edx = 0;
        return;
    }
    load_resolved_file(frame, scratch->path);
}

} // namespace kolibri
