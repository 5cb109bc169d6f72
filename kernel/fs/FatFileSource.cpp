#include "kernel/fs/FatFileSource.h"

#include "lib/New.h"

namespace fs {

FatFileSource* FatFileSource::create(const FatFile& file)
{
    return new (lib::nothrow) FatFileSource(file);
}

ErrorOr<size_t> FatFileSource::read(u64 offset, void* buffer, size_t length)
{
    // Read through a private copy: FatFile's chain cache is not thread-safe,
    // and regions of different threads may fault on one source at once.
    FatFile file = m_file;
    auto result = file.read(offset, buffer, length);
    if (result.is_error()) {
        // The FileSource contract speaks of I/O errors; keep the reason.
        return Error(ErrorCode::IoError, result.error().context());
    }
    return result.value();
}

// The count is atomic so that regions in different threads (and, later,
// CPUs) can share a source.
void FatFileSource::ref()
{
    __atomic_fetch_add(&m_references, 1, __ATOMIC_RELAXED);
}

void FatFileSource::unref()
{
    if (__atomic_sub_fetch(&m_references, 1, __ATOMIC_ACQ_REL) == 0)
        delete this;
}

} // namespace fs
