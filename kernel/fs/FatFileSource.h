// A FatFile as the backing of file-mapped memory regions (mm::FileSource).
// Heap-allocated and reference-counted: create() returns it with one
// reference, each region takes another, and the last unref() deletes it.
// The FatFile inside refers to its volume, which must outlive the source
// (the ramdisk volume lives forever).
#pragma once

#include "kernel/fs/FatVolume.h"
#include "kernel/mm/Mmu.h"

namespace fs {

class FatFileSource final : public mm::FileSource {
public:
    // A new source with reference count 1, or null when out of memory.
    static FatFileSource* create(const FatFile&);

    ErrorOr<size_t> read(u64 offset, void* buffer, size_t length) override;
    u64 size() const override { return m_file.size(); }
    void ref() override;
    void unref() override;

    u32 ref_count() const { return __atomic_load_n(&m_references, __ATOMIC_RELAXED); }
    const FatFile& file() const { return m_file; }

private:
    explicit FatFileSource(const FatFile& file)
        : m_file(file)
    {
    }
    ~FatFileSource() = default;

    FatFile m_file;
    u32 m_references { 1 };
};

} // namespace fs
