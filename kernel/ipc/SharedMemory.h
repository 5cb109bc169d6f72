// Shared memory objects and the names they are found by.
//
// A SharedMemory is a run of zeroed frames that any number of address spaces
// map (as a shared "file" region: mm::FileSource::shared_frame hands out the
// object's own frames, so every mapping sees the same bytes). The object
// holds one reference on each frame and is itself reference-counted: every
// region that maps it holds one, and so does a name. The frames go back
// when the object's last reference and the last page-table entry are gone,
// whichever comes later.
//
// A NameTable maps names (1..31 bytes) to objects. Two lifetimes:
//   Owned     (native channels and shared memory) the name lasts until its
//             creator removes it or exits;
//   Counted   (KolibriOS function 68.22) the name lasts while some process
//             has it open; each open counts, each close (68.23) or exit
//             of an opener uncounts.
// Access: a private name opens only for its creator and the creator's
// descendants (a "process tree"); a public one for everybody. A name also
// carries the most access others get (read, or read and write).
//
// Not thread-safe: the kernel glue (kernel/ipc/KernelIpc.cpp) serialises.
#pragma once

#include "kernel/mm/Mmu.h"
#include "lib/Error.h"
#include "lib/String.h"
#include "lib/Types.h"

namespace ipc {

constexpr size_t max_name_length = 31;
constexpr size_t max_names = 64;
// 64 MiB: an object is allocated up front, frame by frame.
constexpr u64 max_object_size = 64ull << 20;

class SharedMemory final : public mm::FileSource {
public:
    // `size` bytes rounded up to whole pages, zeroed; one reference (the
    // caller's). NoMemory when frames run out (nothing is kept),
    // InvalidArgument for 0 or more than max_object_size.
    static ErrorOr<SharedMemory*> create(mm::FrameProvider& frames, u64 size);

    ErrorOr<size_t> read(u64 offset, void* buffer, size_t length) override;
    u64 size() const override { return static_cast<u64>(m_page_count) * 4096; }
    void ref() override;
    void unref() override;
    ErrorOr<PhysicalAddress> shared_frame(u64 offset) override;

    u32 page_count() const { return m_page_count; }
    // The kernel's view of page `index` (< page_count()).
    u8* page(u32 index) { return m_frames.contents(m_pages[index]); }
    u32 references() const { return __atomic_load_n(&m_references, __ATOMIC_RELAXED); }
    // Objects alive in this kernel (tests and statistics).
    static u32 live_objects();

private:
    SharedMemory(mm::FrameProvider& frames) : m_frames(frames) { }
    ~SharedMemory();

    mm::FrameProvider& m_frames;
    PhysicalAddress* m_pages { nullptr };
    u32 m_page_count { 0 };
    u32 m_references { 1 };
};

enum class NameLifetime : u8 { Owned, Counted };

struct NameOptions {
    NameLifetime lifetime { NameLifetime::Owned };
    bool is_private { false };
    bool others_may_write { true };
};

// Asks whether process `pid` is `ancestor` or one of its descendants.
using InTreeFunction = bool (*)(u32 pid, u32 ancestor);

struct NameInfo {
    char name[max_name_length + 1];
    u64 size;
    u32 creator;
    u32 opens; // Counted names: how many opens are outstanding
    NameOptions options;
};

class NameTable {
public:
    explicit NameTable(InTreeFunction in_tree) : m_in_tree(in_tree) { }
    ~NameTable();
    NameTable(const NameTable&) = delete;
    NameTable& operator=(const NameTable&) = delete;

    // A new name for a new object of `size` bytes. AlreadyExists, NoSpace
    // (table full), InvalidArgument (name, size), NoMemory. The result
    // carries a reference for the caller; the name holds another.
    ErrorOr<SharedMemory*> create(mm::FrameProvider& frames, StringView name, u64 size, u32 creator,
        NameOptions options);
    // The object behind `name`, with a reference for the caller. NotFound;
    // AccessDenied for a private name outside its tree or for write access
    // the name does not give to others. A Counted name's open count goes up.
    ErrorOr<SharedMemory*> open(StringView name, u32 opener, bool want_write);
    // An Owned name: only its creator's tree may remove it (AccessDenied),
    // the object lives on in its mappings. A Counted name: one close; the
    // name goes with the last one.
    ErrorOr<void> remove(StringView name, u32 caller);
    // Process `pid` is gone: its Owned names go (Counted opens are closed by
    // the Kolibri glue, which knows which ones the process made).
    void process_exited(u32 pid);

    u32 count() const { return m_count; }
    // Entry `index` (< count()) for listings.
    NameInfo info(u32 index) const;

private:
    struct Entry {
        char name[max_name_length + 1];
        SharedMemory* object;
        u32 creator;
        u32 opens;
        NameOptions options;
    };
    Entry* find(StringView name);
    void erase(Entry& entry);

    InTreeFunction m_in_tree;
    Entry m_entries[max_names]; // [0, m_count) in use; no need to clear the rest
    u32 m_count { 0 };
};

bool valid_name(StringView name);

} // namespace ipc
