#include "kernel/mm/Region.h"

namespace mm {

Region::~Region() { release(); }

Region::Region(Region&& other)
    : m_start(other.m_start)
    , m_end(other.m_end)
    , m_offset(other.m_offset)
    , m_file(other.m_file)
    , m_protection(other.m_protection)
    , m_shared(other.m_shared)
    , m_backing(other.m_backing)
    , m_kind(other.m_kind)
{
    other.m_file = nullptr;
}

Region& Region::operator=(Region&& other)
{
    if (this == &other)
        return *this;
    release();
    m_start = other.m_start;
    m_end = other.m_end;
    m_offset = other.m_offset;
    m_file = other.m_file;
    m_protection = other.m_protection;
    m_shared = other.m_shared;
    m_backing = other.m_backing;
    m_kind = other.m_kind;
    other.m_file = nullptr;
    return *this;
}

void Region::release()
{
    if (m_file) {
        m_file->unref();
        m_file = nullptr;
    }
}

Region Region::anonymous(uintptr_t start, uintptr_t end, u8 protection, bool shared)
{
    Region region;
    region.m_start = start;
    region.m_end = end;
    region.m_protection = protection;
    region.m_shared = shared;
    region.m_backing = Backing::Anonymous;
    return region;
}

Region Region::file(uintptr_t start, uintptr_t end, u8 protection, bool shared, FileSource& file, u64 offset)
{
    Region region = anonymous(start, end, protection, shared);
    region.m_backing = Backing::File;
    file.ref();
    region.m_file = &file;
    region.m_offset = offset;
    return region;
}

Region Region::device(uintptr_t start, uintptr_t end, u8 protection, PhysicalAddress physical_base)
{
    // Device memory is the same memory for everyone who maps it: shared.
    Region region = anonymous(start, end, protection, true);
    region.m_backing = Backing::Device;
    region.m_offset = physical_base;
    return region;
}

Region Region::split_off(uintptr_t address)
{
    Region upper = clone();
    upper.m_start = address;
    if (m_backing != Backing::Anonymous)
        upper.m_offset = m_offset + (address - m_start);
    m_end = address;
    return upper;
}

Region Region::clone() const
{
    Region copy;
    copy.m_start = m_start;
    copy.m_end = m_end;
    copy.m_offset = m_offset;
    copy.m_protection = m_protection;
    copy.m_shared = m_shared;
    copy.m_backing = m_backing;
    copy.m_kind = m_kind;
    if (m_file) {
        m_file->ref();
        copy.m_file = m_file;
    }
    return copy;
}

bool Region::can_merge_with(const Region& next) const
{
    if (m_end != next.m_start || m_protection != next.m_protection || m_shared != next.m_shared
        || m_backing != next.m_backing || m_kind != next.m_kind)
        return false;
    switch (m_backing) {
    case Backing::Anonymous:
        // Two anonymous regions hold disjoint frames, so after merging each
        // page still has exactly the frame it had: nothing to reconcile.
        return true;
    case Backing::File:
        return m_file == next.m_file && m_offset + size() == next.m_offset;
    case Backing::Device:
        return m_offset + size() == next.m_offset;
    }
    return false;
}

} // namespace mm
