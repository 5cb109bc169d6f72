// The system clipboard of the KolibriOS personality (function 54): an
// ordered list of slots, each an opaque block of bytes a program wrote
// (by convention: dword total size, dword type, dword encoding, data).
// Slots are added at the end, read by index from 0, and only the last one
// can be deleted.
//
// Portable and not thread-safe: the kernel glue (KolibriSystem.cpp) calls
// every method with interrupts disabled and copies user memory outside
// those sections. A slot's bytes live in a reference-counted ClipData, so
// a reader can take a reference, leave the critical section and copy the
// bytes out while another program deletes the slot: the data goes when the
// last reference does. Host tests: tests/host/ClipboardTest.cpp.
#pragma once

#include "lib/Error.h"
#include "lib/Types.h"

namespace kolibri {

class ClipData {
public:
    // A block of `size` bytes (uninitialised) with one reference, owned by
    // the caller; null when memory is short.
    static ClipData* create(size_t size);

    u8* bytes() { return m_bytes; }
    const u8* bytes() const { return m_bytes; }
    size_t size() const { return m_size; }
    u32 references() const { return m_references; }

    void add_reference() { ++m_references; }
    // Drops one reference; the block is freed with the last one.
    void release();

private:
    ClipData() = default;
    ~ClipData();
    ClipData(const ClipData&) = delete;
    ClipData& operator=(const ClipData&) = delete;

    u8* m_bytes { nullptr };
    size_t m_size { 0 };
    u32 m_references { 1 };
};

class Clipboard {
public:
    // Limits, so no program can make the kernel heap hold arbitrary
    // amounts of data.
    static constexpr size_t max_slots = 256;
    static constexpr size_t max_slot_bytes = 4 * 1024 * 1024;
    static constexpr size_t max_total_bytes = 16 * 1024 * 1024;

    Clipboard() = default;
    ~Clipboard() { clear(); }
    Clipboard(const Clipboard&) = delete;
    Clipboard& operator=(const Clipboard&) = delete;

    size_t slot_count() const { return m_count; }
    size_t total_bytes() const { return m_total_bytes; }

    // Whether a slot of `size` bytes would be accepted now (append checks
    // the same; the glue asks first so it does not copy in vain).
    ErrorOr<void> can_append(size_t size) const;
    // Adds `data` as the new last slot. On success the clipboard takes over
    // the caller's reference; on failure (a limit reached, or a null
    // `data`) the caller keeps it.
    ErrorOr<void> append(ClipData* data);
    // The data of slot `index` with a new reference for the caller, who
    // releases it when done; null when there is no such slot.
    ClipData* acquire(size_t index) const;
    // Deletes the last slot; false when the clipboard is empty.
    bool remove_last();
    void clear();

private:
    ClipData* m_slots[max_slots] {};
    size_t m_count { 0 };
    size_t m_total_bytes { 0 };
};

} // namespace kolibri
