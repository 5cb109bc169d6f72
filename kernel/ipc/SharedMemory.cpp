#include "kernel/ipc/SharedMemory.h"

#include "lib/New.h"
#include "lib/Utility.h"

namespace ipc {

namespace {

u32 s_live_objects;

} // namespace

bool valid_name(StringView name)
{
    if (name.is_empty() || name.length() > max_name_length)
        return false;
    for (size_t i = 0; i < name.length(); ++i) {
        if (name[i] == '\0')
            return false;
    }
    return true;
}

// ---- SharedMemory ----

ErrorOr<SharedMemory*> SharedMemory::create(mm::FrameProvider& frames, u64 size)
{
    if (size == 0 || size > max_object_size)
        return Error(ErrorCode::InvalidArgument, "shared memory size");
    u32 pages = static_cast<u32>((size + 4095) / 4096);
    auto* object = new (lib::nothrow) SharedMemory(frames);
    if (!object)
        return Error(ErrorCode::NoMemory, "shared memory object");
    object->m_pages = new (lib::nothrow) PhysicalAddress[pages];
    if (!object->m_pages) {
        delete object;
        return Error(ErrorCode::NoMemory, "shared memory page list");
    }
    for (u32 i = 0; i < pages; ++i) {
        auto frame = frames.allocate();
        if (frame.is_error()) {
            delete object; // gives back the m_page_count frames taken so far
            return frame.error();
        }
        object->m_pages[i] = frame.value();
        object->m_page_count = i + 1;
        __builtin_memset(frames.contents(frame.value()), 0, 4096);
    }
    ++s_live_objects;
    return object;
}

SharedMemory::~SharedMemory()
{
    for (u32 i = 0; i < m_page_count; ++i)
        m_frames.unref(m_pages[i]);
    delete[] m_pages;
}

u32 SharedMemory::live_objects() { return s_live_objects; }

void SharedMemory::ref() { __atomic_add_fetch(&m_references, 1, __ATOMIC_RELAXED); }

void SharedMemory::unref()
{
    if (__atomic_sub_fetch(&m_references, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    --s_live_objects;
    delete this;
}

ErrorOr<size_t> SharedMemory::read(u64 offset, void* buffer, size_t length)
{
    if (offset >= size())
        return size_t(0);
    size_t total = static_cast<size_t>(lib::min<u64>(length, size() - offset));
    auto* out = static_cast<u8*>(buffer);
    size_t done = 0;
    while (done < total) {
        u64 at = offset + done;
        size_t within = static_cast<size_t>(at % 4096);
        size_t chunk = lib::min<size_t>(total - done, 4096 - within);
        __builtin_memcpy(out + done, page(static_cast<u32>(at / 4096)) + within, chunk);
        done += chunk;
    }
    return total;
}

ErrorOr<PhysicalAddress> SharedMemory::shared_frame(u64 offset)
{
    if (offset >= size())
        return Error(ErrorCode::OutOfRange, "past the end of the shared memory object");
    return m_pages[offset / 4096];
}

// ---- NameTable ----

NameTable::~NameTable()
{
    while (m_count)
        erase(m_entries[0]);
}

NameTable::Entry* NameTable::find(StringView name)
{
    for (u32 i = 0; i < m_count; ++i) {
        if (StringView(m_entries[i].name) == name)
            return &m_entries[i];
    }
    return nullptr;
}

void NameTable::erase(Entry& entry)
{
    entry.object->unref();
    u32 index = static_cast<u32>(&entry - m_entries);
    m_entries[index] = m_entries[m_count - 1];
    m_entries[m_count - 1] = Entry {};
    --m_count;
}

ErrorOr<SharedMemory*> NameTable::create(mm::FrameProvider& frames, StringView name, u64 size, u32 creator,
    NameOptions options)
{
    if (!valid_name(name))
        return Error(ErrorCode::InvalidArgument, "shared memory name: 1 to 31 bytes");
    if (find(name))
        return Error(ErrorCode::AlreadyExists, "shared memory name in use");
    if (m_count == max_names)
        return Error(ErrorCode::NoSpace, "too many shared memory names");
    SharedMemory* object = TRY(SharedMemory::create(frames, size));
    Entry& entry = m_entries[m_count++];
    __builtin_memcpy(entry.name, name.characters(), name.length());
    entry.name[name.length()] = '\0';
    entry.object = object; // the name's reference
    entry.creator = creator;
    entry.opens = options.lifetime == NameLifetime::Counted ? 1 : 0;
    entry.options = options;
    object->ref(); // the caller's
    return object;
}

ErrorOr<SharedMemory*> NameTable::open(StringView name, u32 opener, bool want_write)
{
    if (!valid_name(name))
        return Error(ErrorCode::InvalidArgument, "shared memory name: 1 to 31 bytes");
    Entry* entry = find(name);
    if (!entry)
        return Error(ErrorCode::NotFound, "no shared memory by that name");
    bool in_tree = opener == entry->creator || m_in_tree(opener, entry->creator);
    if (entry->options.is_private && !in_tree)
        return Error(ErrorCode::AccessDenied, "a private name of another process tree");
    if (want_write && !entry->options.others_may_write && opener != entry->creator)
        return Error(ErrorCode::AccessDenied, "the creator allows only reading");
    if (entry->options.lifetime == NameLifetime::Counted)
        ++entry->opens;
    entry->object->ref();
    return entry->object;
}

ErrorOr<void> NameTable::remove(StringView name, u32 caller)
{
    Entry* entry = find(name);
    if (!entry)
        return Error(ErrorCode::NotFound, "no shared memory by that name");
    if (entry->options.lifetime == NameLifetime::Counted) {
        if (--entry->opens == 0)
            erase(*entry);
        return {};
    }
    if (caller != entry->creator && !m_in_tree(caller, entry->creator))
        return Error(ErrorCode::AccessDenied, "only the creator's tree removes a name");
    erase(*entry);
    return {};
}

void NameTable::process_exited(u32 pid)
{
    for (u32 i = 0; i < m_count;) {
        Entry& entry = m_entries[i];
        if (entry.options.lifetime == NameLifetime::Owned && entry.creator == pid)
            erase(entry); // the last entry moved to i: look at i again
        else
            ++i;
    }
}

NameInfo NameTable::info(u32 index) const
{
    const Entry& entry = m_entries[index];
    NameInfo result {};
    __builtin_memcpy(result.name, entry.name, sizeof(result.name));
    result.size = entry.object->size();
    result.creator = entry.creator;
    result.opens = entry.opens;
    result.options = entry.options;
    return result;
}

} // namespace ipc
