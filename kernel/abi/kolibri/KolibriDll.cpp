#include "kernel/abi/kolibri/KolibriDll.h"

#include "kernel/abi/kolibri/KolibriPaths.h"
#include "kernel/abi/kolibri/KolibriState.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/debug/Log.h"
#include "kernel/exec/CoffDll.h"
#include "kernel/exec/KernelKpck.h"
#include "kernel/exec/Kpck.h"
#include "kernel/fs/Vfs.h"
#include "kernel/ipc/SharedMemory.h"
#include "kernel/mm/AddressSpace.h"
#include "kernel/mm/KernelFrameProvider.h"
#include "kernel/mm/KernelMemory.h"
#include "kernel/task/AddressSpaceGuard.h"
#include "kernel/task/Process.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/Thread.h"
#include "lib/New.h"

namespace kolibri {

namespace {

constexpr u32 page = 4096;
// data32.inc: MIN_DEFAULT_DLL_ADDR and MAX_DEFAULT_DLL_ADDR.
constexpr u32 first_default_base = 0x70000000;
constexpr u32 last_default_base = 0x80000000;
// load_file reads at most 16 MiB.
constexpr u64 max_file_size = 16u * 1024 * 1024;
// Where a DLL goes when its preferred base is taken: the heap area, as
// KolibriOS' user_alloc (KolibriSyscalls.cpp places 68.12 blocks there too).
constexpr u32 heap_hint = 0x20000000;
constexpr u8 prot_all = 1 | 2 | 4;
const char* const default_folder = "/RD/1";

bool same_stamp(const fs::FatTimestamp& a, const fs::FatTimestamp& b)
{
    return a.year == b.year && a.month == b.month && a.day == b.day && a.hour == b.hour && a.minute == b.minute
        && a.second == b.second;
}

bool same_string(const char* a, const char* b)
{
    while (*a && *a == *b) {
        ++a;
        ++b;
    }
    return *a == *b;
}

// One linked DLL, shared by every process that maps it (DLLDESCR). The
// frames hold the image linked for `default_base`; a process that maps it
// elsewhere adds the difference at every DIR32 site in its own copies of
// those pages. Lives while a region maps it or a process record or the
// loader holds it (reference counted, as a FileSource); the last reference
// takes it out of the system-wide list.
class DllImage final : public mm::FileSource {
public:
    static DllImage* s_first; // the system-wide list
    static u32 s_live;

    DllImage* next { nullptr };
    char* name { nullptr };        // the canonical full path (key)
    fs::FatTimestamp modified {};  // key, with the name
    ipc::SharedMemory* memory { nullptr };
    u32 image_size { 0 };
    u32 default_base { 0 };
    u32 exports_offset { 0 };
    lib::Vector<u32> dir32_sites;

    DllImage() { ++s_live; }

    ErrorOr<size_t> read(u64 offset, void* buffer, size_t length) override { return memory->read(offset, buffer, length); }
    u64 size() const override { return memory->size(); }
    ErrorOr<PhysicalAddress> shared_frame(u64 offset) override { return memory->shared_frame(offset); }
    bool shares_frames_copy_on_write() const override { return true; }
    void ref() override
    {
        arch::InterruptDisabler guard;
        ++m_references;
    }
    void unref() override
    {
        {
            arch::InterruptDisabler guard;
            if (--m_references != 0)
                return;
            unlink();
        }
        delete this;
    }

    // Puts a new image (one reference, the caller's) in the list.
    void link_in()
    {
        next = s_first;
        s_first = this;
        m_linked = true;
    }

private:
    ~DllImage()
    {
        if (memory)
            memory->unref();
        kernel::kfree(name);
        --s_live;
    }

    void unlink()
    {
        if (!m_linked)
            return;
        for (DllImage** at = &s_first; *at; at = &(*at)->next) {
            if (*at == this) {
                *at = next;
                break;
            }
        }
        m_linked = false;
    }

    u32 m_references { 1 };
    bool m_linked { false };
};

DllImage* DllImage::s_first = nullptr;
u32 DllImage::s_live = 0;

// The next preferred base (dll_cur_addr).
u32 s_next_base = first_default_base;

// Takes the next preferred base for an image of `size` bytes: the counter
// moves by the size rounded up to pages plus one guard page, and starts
// again at the bottom rather than pass 0x80000000 (load_library).
u32 take_default_base(u32 size)
{
    arch::InterruptDisabler guard;
    u32 step = (size + 0x1FFF) & ~0xFFFu;
    u32 base = s_next_base;
    if (u64(base) + step >= last_default_base)
        base = first_default_base;
    s_next_base = base + step;
    return base;
}

// The image of the frames of a shared memory object, for CoffDll::link.
class ObjectPages final : public exec::CoffDll::ImageMemory {
public:
    explicit ObjectPages(ipc::SharedMemory& memory) : m_memory(memory) { }
    u8* page(u32 index) override { return m_memory.page(index); }

private:
    ipc::SharedMemory& m_memory;
};

} // namespace

// HDLL: one DLL in one process.
struct LoadedDll {
    DllImage* image;  // one reference
    u32 base;         // where this process has it
    u32 loads;        // 68.19 calls that returned it
    LoadedDll* next;
};

namespace {

// Room for a canonical name: "/sys" may become "/rd/1".
constexpr size_t name_capacity = path_capacity + 8;

// The key of the caches: the path with its partition spelled one way
// ("/sys" is the boot ramdisk, as getFullPath makes it; "/RD/1" = "/rd/1").
// The rest is compared as is, as KolibriOS' strncmp does. `out` holds
// name_capacity bytes.
void canonical_name(const char* path, char* out)
{
    size_t length = 0;
    while (path[length] && length + 8 < name_capacity)
        ++length;
    size_t used = 0;
    size_t at = 0;
    size_t components = partition_components(path);
    if (components == 1 && length >= 4 && (path[1] | 0x20) == 's' && (path[2] | 0x20) == 'y'
        && (path[3] | 0x20) == 's' && (length == 4 || path[4] == '/')) {
        for (const char* c = "/rd/1"; *c; ++c)
            out[used++] = *c;
        at = 4;
    } else {
        // The partition's own letters in lower case ("/RD/1", "/HD0/1").
        size_t slashes = 0;
        for (; at < length; ++at) {
            if (path[at] == '/' && ++slashes > components)
                break;
            char c = path[at];
            out[used++] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
        }
    }
    for (; at < length; ++at)
        out[used++] = path[at];
    out[used] = '\0';
}

// The bytes to link: the file itself, or what a KPCK file unpacks to
// (load_file in core/dll.inc unpacks DLLs as it does programs). The
// unpacked copy lives on the kernel heap until this object goes; nothing
// between unpacking and linking blocks, so a kill cannot come in between.
class BytesToLink {
public:
    BytesToLink(const BytesToLink&) = delete;
    BytesToLink& operator=(const BytesToLink&) = delete;
    BytesToLink(const u8* raw, size_t length)
        : m_bytes(raw)
        , m_length(length)
    {
    }
    ~BytesToLink() { kernel::kfree(m_unpacked); }

    ErrorOr<void> unpack_if_packed()
    {
        if (!exec::kpck::is_packed(m_bytes, m_length))
            return {};
        auto unpacked = TRY(exec::unpack_to_kernel_heap(m_bytes, m_length, exec::kpck::max_unpacked_size));
        m_unpacked = unpacked.bytes;
        m_bytes = m_unpacked;
        m_length = unpacked.length;
        return {};
    }
    const u8* bytes() const { return m_bytes; }
    size_t length() const { return m_length; }

private:
    const u8* m_bytes;
    size_t m_length;
    u8* m_unpacked { nullptr };
};

// Reads and links a DLL nobody has loaded (load_library's .load_new). Only
// the file system calls here may block; they run while this call holds
// nothing but CallBuffers.
ErrorOr<DllImage*> build_image(const char* path, const char* name, const fs::FileInfo& info)
{
    if (info.size > max_file_size)
        return Error(ErrorCode::Unsupported, "DLL file larger than 16 MiB");
    size_t length = static_cast<size_t>(info.size);
    task::CallBuffer file(length ? length : 1);
    u8* raw = file.bytes();
    if (!raw)
        return Error(ErrorCode::NoMemory, "DLL file buffer");
    auto read = TRY(fs::read(StringView(path), 0, raw, length));
    if (read != length)
        return Error(ErrorCode::IoError, "DLL file shorter than its size");
    BytesToLink link_bytes(raw, length);
    TRY(link_bytes.unpack_if_packed());
    const u8* bytes = link_bytes.bytes();
    length = link_bytes.length();
    auto dll = TRY(exec::CoffDll::parse(bytes, length));
    size_t name_length = 0;
    while (name[name_length])
        ++name_length;
    auto* image = new (lib::nothrow) DllImage;
    if (!image)
        return Error(ErrorCode::NoMemory, "DLL image");
    image->name = static_cast<char*>(kernel::kmalloc(name_length + 1));
    auto memory = ipc::SharedMemory::create(kernel::frame_provider(), u64(dll.page_count()) * page);
    if (!image->name || memory.is_error()) {
        image->unref();
        return memory.is_error() ? memory.error() : Error(ErrorCode::NoMemory, "DLL name");
    }
    for (size_t i = 0; i <= name_length; ++i)
        image->name[i] = name[i];
    image->modified = info.modified;
    image->memory = memory.value();
    image->image_size = dll.image_size();
    image->exports_offset = dll.exports_offset();
    image->default_base = take_default_base(dll.image_size());
    ObjectPages pages(*image->memory);
    auto linked = dll.link(bytes, length, image->default_base, pages, image->dir32_sites);
    if (linked.is_error()) {
        image->unref();
        return linked.error();
    }
    return image;
}

// The system-wide image for `name` with this modification time, with a
// reference for the caller, or null.
DllImage* find_image(const char* name, const fs::FatTimestamp& modified)
{
    arch::InterruptDisabler guard;
    for (DllImage* image = DllImage::s_first; image; image = image->next) {
        if (same_string(image->name, name) && same_stamp(image->modified, modified)) {
            image->ref();
            return image;
        }
    }
    return nullptr;
}

LoadedDll* find_loaded(task::KolibriState& s, const char* name)
{
    for (LoadedDll* dll = s.dlls; dll; dll = dll->next) {
        if (same_string(dll->image->name, name))
            return dll;
    }
    return nullptr;
}

// Maps `image` (whose reference the caller hands over) into `process`
// (address-space guard held) and records it.
ErrorOr<u32> map_image(task::Process& process, DllImage* image)
{
    task::KolibriState& s = *process.kolibri();
    mm::AddressSpace& space = process.address_space();
    u32 length = lib::align_up<u32>(image->image_size, page);
    // user_alloc_at(defaultbase), else user_alloc anywhere.
    bool preferred_free = space.regions().is_free(image->default_base, image->default_base + length);
    uintptr_t hint = preferred_free ? image->default_base : heap_hint;
    auto mapped = space.map_file(hint, length, prot_all, false, false, *image, 0);
    if (mapped.is_error()) {
        image->unref();
        return mapped.error();
    }
    u32 base = static_cast<u32>(mapped.value());
    auto* record = new (lib::nothrow) LoadedDll { image, base, 1, s.dlls };
    if (!record) {
        (void)space.unmap(base, length);
        image->unref();
        return Error(ErrorCode::NoMemory, "DLL record");
    }
    if (base != image->default_base) {
        // rebase_coff: the writes copy the pages they touch.
        u32 delta = base - image->default_base;
        for (u32 site : image->dir32_sites) {
            u32 value = 0;
            bool failed = space.copy_out(&value, base + site, 4).is_error();
            value += delta;
            failed = failed || space.copy_in(base + site, &value, 4).is_error();
            if (failed) {
                delete record;
                (void)space.unmap(base, length);
                image->unref();
                return Error(ErrorCode::NoMemory, "rebasing the DLL");
            }
        }
    }
    s.dlls = record;
    s.heap_bytes += length;
    // Where each DLL went, for reading a fault address in the log.
    kernel::log_debug("68.19 by %s: %s at 0x%x-0x%x%s", process.name(), image->name, base, base + length - 1,
        base != image->default_base ? " (rebased)" : "");
    // load_library calls init_heap: a DLL's user is assumed to use the heap.
    s.heap_ready = true;
    return base + image->exports_offset;
}

} // namespace

ErrorOr<u32> load_library(task::Process& process, const char* path)
{
    task::KolibriState& s = *process.kolibri();
    task::CallBuffer name_buffer(name_capacity);
    char* name = reinterpret_cast<char*>(name_buffer.bytes());
    if (!name)
        return Error(ErrorCode::NoMemory, "DLL name");
    canonical_name(path, name);
    {
        // The process's list is shared by its threads.
        task::AddressSpaceGuard guard;
        if (LoadedDll* dll = find_loaded(s, name)) {
            ++dll->loads;
            return dll->base + dll->image->exports_offset;
        }
    }
    auto info = TRY(fs::stat(StringView(path)));
    if (info.is_directory())
        return Error(ErrorCode::IsADirectory, "a folder");
    DllImage* image = find_image(name, info.modified);
    if (!image) {
        image = TRY(build_image(path, name, info));
        // Another process may have linked the same file meanwhile: keep one.
        arch::InterruptDisabler guard;
        if (DllImage* other = find_image(name, info.modified)) {
            image->unref();
            image = other;
        } else {
            image->link_in();
        }
    }
    // From here on nothing blocks: a kill cannot come between taking the
    // image and recording it.
    task::AddressSpaceGuard guard;
    if (LoadedDll* dll = find_loaded(s, name)) {
        // Another thread of this process loaded it meanwhile.
        image->unref();
        ++dll->loads;
        return dll->base + dll->image->exports_offset;
    }
    return map_image(process, image);
}

void dll_function(task::KolibriState& s, arch::TrapFrame& frame)
{
    (void)s;
    u32 encoding = frame.ebx == 18 ? frame.edx : encoding_default;
    task::CallBuffer storage(sizeof(PathScratch));
    auto* scratch = reinterpret_cast<PathScratch*>(storage.bytes());
    task::Process& process = *task::current_process();
    frame.eax = 0;
    if (!scratch) {
        kernel::log_warning("68.%u by %s: no memory for the path", frame.ebx, process.name());
        return;
    }
    const char* folder = s.current_folder[0] ? s.current_folder : default_folder;
    u32 status = 0;
    if (resolve_path(*scratch, frame.ecx, encoding, folder, "", scratch->path, status).is_error()) {
        kernel::log_warning("68.%u by %s: bad DLL path at 0x%x (file status %u)", frame.ebx, process.name(),
            frame.ecx, status);
        return;
    }
    auto loaded = load_library(process, scratch->path);
    if (loaded.is_error()) {
        kernel::log_warning("68.%u by %s: cannot load DLL %s: %s (%s)", frame.ebx, process.name(), scratch->path,
            loaded.error().context() ? loaded.error().context() : "", loaded.error().name());
        return;
    }
    frame.eax = loaded.value();
}

void release_dlls(task::KolibriState& s)
{
    while (LoadedDll* dll = s.dlls) {
        s.dlls = dll->next;
        dll->image->unref();
        delete dll;
    }
}

u32 loaded_images() { return DllImage::s_live; }

} // namespace kolibri
