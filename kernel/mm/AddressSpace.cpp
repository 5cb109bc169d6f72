#include "kernel/mm/AddressSpace.h"

#include "lib/Utility.h"

namespace mm {

namespace {

constexpr uintptr_t page = 4096;
constexpr uintptr_t page_mask = page - 1;

// End of the page range [address, address + length rounded up to pages), or
// InvalidArgument when the range is empty, unaligned, wraps or leaves user
// space.
ErrorOr<uintptr_t> user_range_end(uintptr_t address, size_t length)
{
    if (length == 0 || (address & page_mask))
        return Error(ErrorCode::InvalidArgument, "empty or unaligned range");
    if (address >= user_space_end || length > user_space_end - address)
        return Error(ErrorCode::InvalidArgument, "range beyond user space");
    // Cannot wrap: address + length <= user_space_end, far below the top.
    return lib::align_up<uintptr_t>(address + length, page);
}

bool valid_protection(u8 protection) { return (protection & ~Protection::All) == 0; }

} // namespace

AddressSpace::AddressSpace(Mmu& mmu, FrameProvider& frames)
    : m_mmu(mmu)
    , m_frames(frames)
{
}

AddressSpace::~AddressSpace() { clear(); }

// ---- Mapping and unmapping -------------------------------------------------

ErrorOr<uintptr_t> AddressSpace::place(uintptr_t hint, size_t length, bool fixed, uintptr_t& end)
{
    if (length == 0 || length > user_space_end)
        return Error(ErrorCode::InvalidArgument, "mapping length");
    size_t rounded = lib::align_up<size_t>(length, page);
    // Room for the new region plus the two pieces a fixed mapping may split
    // off its neighbours: reserved up front so nothing below can fail after
    // existing mappings have been touched.
    TRY(m_regions.reserve_additional(fixed ? 2 : 1));
    if (fixed) {
        end = TRY(user_range_end(hint, rounded));
        remove_range(hint, end);
        return hint;
    }
    uintptr_t start = TRY(m_regions.find_free(hint, rounded, mmap_lower_bound, user_space_end));
    end = start + rounded;
    return start;
}

ErrorOr<uintptr_t> AddressSpace::map_region(Region&& region)
{
    uintptr_t start = region.start();
    auto inserted = m_regions.insert(lib::move(region));
    if (inserted.is_error())
        return inserted.error(); // cannot happen: the range is free and capacity reserved
    return start;
}

ErrorOr<uintptr_t> AddressSpace::map_anonymous(uintptr_t hint, size_t length, u8 protection, bool shared, bool fixed)
{
    if (!valid_protection(protection))
        return Error(ErrorCode::InvalidArgument, "protection bits");
    uintptr_t end = 0;
    uintptr_t start = TRY(place(hint, length, fixed, end));
    return map_region(Region::anonymous(start, end, protection, shared));
}

ErrorOr<uintptr_t> AddressSpace::map_file(uintptr_t hint, size_t length, u8 protection, bool shared, bool fixed,
    FileSource& file, u64 offset)
{
    if (!valid_protection(protection))
        return Error(ErrorCode::InvalidArgument, "protection bits");
    if (offset & page_mask)
        return Error(ErrorCode::InvalidArgument, "unaligned file offset");
    if (length > ~0ull - offset)
        return Error(ErrorCode::InvalidArgument, "file range wraps");
    uintptr_t end = 0;
    uintptr_t start = TRY(place(hint, length, fixed, end));
    return map_region(Region::file(start, end, protection, shared, file, offset));
}

ErrorOr<uintptr_t> AddressSpace::map_device(uintptr_t hint, size_t length, u8 protection, PhysicalAddress base)
{
    if (!valid_protection(protection))
        return Error(ErrorCode::InvalidArgument, "protection bits");
    if (base & page_mask)
        return Error(ErrorCode::InvalidArgument, "unaligned physical base");
    uintptr_t end = 0;
    uintptr_t start = TRY(place(hint, length, false, end));
    Region region = Region::device(start, end, protection, base);
    if (protection != Protection::None) {
        for (uintptr_t address = start; address < end; address += page) {
            auto mapped = m_mmu.map(address, region.physical_address_of(address), region.allows_write());
            if (mapped.is_error()) {
                unmap_pages(region, start, address);
                return mapped.error();
            }
        }
    }
    return map_region(lib::move(region));
}

void AddressSpace::unmap_pages(const Region& region, uintptr_t start, uintptr_t end)
{
    // NOTE: this walks every page of the range. Sparse huge regions would
    // like an Mmu call that skips absent page tables; not needed yet.
    for (uintptr_t address = start; address < end; address += page) {
        PageMapping mapping = m_mmu.query(address);
        if (!mapping.present)
            continue;
        m_mmu.unmap(address);
        if (region.backing() != Backing::Device) {
            m_frames.unref(mapping.frame);
            --m_resident_pages;
        }
    }
}

void AddressSpace::remove_range(uintptr_t start, uintptr_t end)
{
    // Capacity for both splits was reserved by the caller.
    (void)m_regions.split_at(start);
    (void)m_regions.split_at(end);
    size_t first = m_regions.lower_bound(start);
    size_t last = first;
    while (last < m_regions.size() && m_regions[last].start() < end) {
        const Region& region = m_regions[last];
        unmap_pages(region, region.start(), region.end());
        ++last;
    }
    m_regions.remove(first, last - first);
}

ErrorOr<void> AddressSpace::unmap(uintptr_t address, size_t length)
{
    uintptr_t end = TRY(user_range_end(address, length));
    TRY(m_regions.reserve_additional(2));
    remove_range(address, end);
    return {};
}

void AddressSpace::clear()
{
    for (const Region& region : m_regions)
        unmap_pages(region, region.start(), region.end());
    m_regions.clear();
}

// ---- Protection ------------------------------------------------------------

void AddressSpace::update_page_protection(const Region& region)
{
    for (uintptr_t address = region.start(); address < region.end(); address += page) {
        PageMapping mapping = m_mmu.query(address);
        if (!mapping.present)
            continue;
        if (region.backing() == Backing::Device) {
            // Device pages can simply go and come back on the next fault.
            if (!region.allows_read())
                m_mmu.unmap(address);
            else
                m_mmu.set_writable(address, region.allows_write());
            continue;
        }
        // C1: a private frame someone else also maps stays read-only; the
        // next write copies it.
        bool writable = region.allows_write() && (region.is_shared() || m_frames.ref_count(mapping.frame) == 1);
        if (writable != mapping.writable)
            m_mmu.set_writable(address, writable);
    }
}

ErrorOr<void> AddressSpace::protect(uintptr_t address, size_t length, u8 protection)
{
    if (!valid_protection(protection))
        return Error(ErrorCode::InvalidArgument, "protection bits");
    uintptr_t end = TRY(user_range_end(address, length));
    // All or nothing: check the whole range is covered before changing anything.
    uintptr_t cursor = address;
    for (size_t index = m_regions.lower_bound(address); cursor < end; ++index) {
        if (index >= m_regions.size() || m_regions[index].start() > cursor)
            return Error(ErrorCode::NotFound, "protect: range not fully mapped");
        cursor = m_regions[index].end();
    }
    TRY(m_regions.reserve_additional(2));
    (void)m_regions.split_at(address);
    (void)m_regions.split_at(end);
    for (size_t index = m_regions.lower_bound(address); index < m_regions.size() && m_regions[index].start() < end;
         ++index) {
        m_regions[index].set_protection(protection);
        update_page_protection(m_regions[index]);
    }
    m_regions.merge_around(address, end);
    return {};
}

// ---- Faults ----------------------------------------------------------------

FaultOutcome AddressSpace::fill_new_page(const Region& region, uintptr_t address, Resolution& resolution)
{
    if (region.backing() == Backing::Device) {
        // Only after protect() took the pages away (Protection::None).
        auto mapped = m_mmu.map(address, region.physical_address_of(address), region.allows_write());
        return mapped.is_error() ? FaultOutcome::OutOfMemory : FaultOutcome::Resolved;
    }
    if (region.backing() == Backing::File && !region.is_shared()
        && region.file_source()->shares_frames_copy_on_write()) {
        // The object's frame, read-only: a write copies it (resolve()).
        auto shared = region.file_source()->shared_frame(region.file_offset_of(address));
        if (shared.is_error())
            return FaultOutcome::IoError;
        auto mapped = m_mmu.map(address, shared.value(), false);
        if (mapped.is_error())
            return FaultOutcome::OutOfMemory;
        m_frames.ref(shared.value());
        ++m_resident_pages;
        resolution = Resolution::File;
        return FaultOutcome::Resolved;
    }
    if (region.backing() == Backing::File && region.is_shared()) {
        // A memory object's own frame: mapped, not copied.
        // A page past the object's end is an error, not zeros: nobody else
        // would see what a process wrote there.
        auto shared = region.file_source()->shared_frame(region.file_offset_of(address));
        if (shared.is_error() && shared.error().code() != ErrorCode::NotFound)
            return FaultOutcome::IoError;
        if (!shared.is_error()) {
            auto mapped = m_mmu.map(address, shared.value(), region.allows_write());
            if (mapped.is_error())
                return FaultOutcome::OutOfMemory;
            m_frames.ref(shared.value());
            ++m_resident_pages;
            resolution = Resolution::File;
            return FaultOutcome::Resolved;
        }
    }
    auto allocated = m_frames.allocate();
    if (allocated.is_error())
        return FaultOutcome::OutOfMemory;
    PhysicalAddress frame = allocated.value();
    u8* bytes = m_frames.contents(frame);
    size_t filled = 0;
    if (region.backing() == Backing::File) {
        u64 offset = region.file_offset_of(address);
        FileSource& file = *region.file_source();
        // Short reads happen at end of file; keep reading until the page is
        // full or the file says there is nothing more (0 bytes).
        while (filled < page && offset + filled < file.size()) {
            auto read = file.read(offset + filled, bytes + filled, page - filled);
            if (read.is_error()) {
                m_frames.unref(frame);
                return FaultOutcome::IoError;
            }
            if (read.value() == 0)
                break;
            filled += lib::min<size_t>(read.value(), page - filled);
        }
        resolution = Resolution::File;
    } else {
        resolution = Resolution::DemandZero;
    }
    // Past the end of the file (or all of an anonymous page): zeros.
    // NOTE: Linux raises SIGBUS for whole pages beyond EOF; we give zeros.
    for (size_t i = filled; i < page; ++i)
        bytes[i] = 0;
    // A new frame is ours alone (count 1), so C1 allows writable right away
    // when the region does. This is also how a not-present write to a private
    // file mapping gets its private copy without a separate COW step.
    // NOTE: shared file mappings are not written back to the file yet, and
    // without a page cache two processes that map the same file separately
    // do not see each other's writes (only fork-related ones do).
    auto mapped = m_mmu.map(address, frame, region.allows_write());
    if (mapped.is_error()) {
        m_frames.unref(frame);
        resolution = Resolution::None;
        return FaultOutcome::OutOfMemory;
    }
    ++m_resident_pages;
    return FaultOutcome::Resolved;
}

FaultOutcome AddressSpace::break_cow(uintptr_t address, PageMapping mapping, Resolution& resolution)
{
    if (m_frames.ref_count(mapping.frame) == 1) {
        // Every other sharer has gone: the frame is ours, no copy needed.
        m_mmu.set_writable(address, true);
        resolution = Resolution::CopyOnWrite;
        return FaultOutcome::Resolved;
    }
    auto allocated = m_frames.allocate();
    if (allocated.is_error())
        return FaultOutcome::OutOfMemory;
    PhysicalAddress copy = allocated.value();
    const u8* from = m_frames.contents(mapping.frame);
    u8* to = m_frames.contents(copy);
    for (size_t i = 0; i < page; ++i)
        to[i] = from[i];
    auto mapped = m_mmu.map(address, copy, true);
    if (mapped.is_error()) {
        // The old read-only mapping is still in place: nothing lost.
        m_frames.unref(copy);
        return FaultOutcome::OutOfMemory;
    }
    // Our reference to the shared frame goes; the other sharers keep theirs
    // (and the last one will find count 1 and take the no-copy path).
    m_frames.unref(mapping.frame);
    resolution = Resolution::CopyOnWrite;
    return FaultOutcome::Resolved;
}

FaultOutcome AddressSpace::resolve(const Region& region, uintptr_t address, bool write, Resolution& resolution)
{
    resolution = Resolution::None;
    PageMapping mapping = m_mmu.query(address);
    if (!mapping.present) {
        FaultOutcome filled = fill_new_page(region, address, resolution);
        if (filled != FaultOutcome::Resolved || !write)
            return filled;
        mapping = m_mmu.query(address);
        if (mapping.writable || region.is_shared() || region.backing() == Backing::Device)
            return filled;
        // A write to a page just mapped read-only from a copy-on-write
        // object: the private copy is made right away.
        Resolution copied;
        return break_cow(address, mapping, copied);
    }
    if (!write || mapping.writable)
        return FaultOutcome::Resolved; // already resolved (another thread, stale TLB)
    // A write to a present read-only page of a region that allows writes.
    if (region.is_shared() || region.backing() == Backing::Device) {
        m_mmu.set_writable(address, true);
        return FaultOutcome::Resolved;
    }
    return break_cow(address, mapping, resolution);
}

FaultOutcome AddressSpace::handle_fault(uintptr_t address, FaultAccess access, bool page_present)
{
    // The page tables are re-read in resolve(); what the CPU saw may be stale.
    (void)page_present;
    ++m_statistics.total;
    if (address >= user_space_end) {
        ++m_statistics.protection;
        return FaultOutcome::KernelAddress;
    }
    uintptr_t address_page = address & ~page_mask;
    const Region* region = m_regions.find(address_page);
    if (!region) {
        ++m_statistics.protection;
        return FaultOutcome::OutsideRegions;
    }
    bool write = access == FaultAccess::Write;
    if (!region->allows_read() || (write && !region->allows_write())) {
        ++m_statistics.protection;
        return FaultOutcome::ProtectionViolation;
    }
    Resolution resolution;
    FaultOutcome outcome = resolve(*region, address_page, write, resolution);
    switch (resolution) {
    case Resolution::DemandZero: ++m_statistics.demand_zero; break;
    case Resolution::File: ++m_statistics.file; break;
    case Resolution::CopyOnWrite: ++m_statistics.cow; break;
    case Resolution::None: break;
    }
    return outcome;
}

ErrorOr<void> AddressSpace::populate(uintptr_t address, size_t length)
{
    uintptr_t end = TRY(user_range_end(address, length));
    for (uintptr_t current = address; current < end; current += page) {
        const Region* region = m_regions.find(current);
        if (!region)
            return Error(ErrorCode::NotFound, "populate outside regions");
        if (!region->allows_read())
            return Error(ErrorCode::InvalidArgument, "populate of an inaccessible page");
        Resolution resolution;
        switch (resolve(*region, current, region->allows_write(), resolution)) {
        case FaultOutcome::Resolved: break;
        case FaultOutcome::IoError: return Error(ErrorCode::IoError, "populate: reading the file");
        default: return Error(ErrorCode::NoMemory, "populate");
        }
    }
    return {};
}

// ---- Copies into and out of any address space --------------------------------

ErrorOr<void> AddressSpace::check_copy_range(uintptr_t address, size_t length, bool write) const
{
    if (address >= user_space_end || length > user_space_end - address)
        return Error(ErrorCode::OutOfRange, "copy beyond user space");
    // Cannot wrap: address + length <= user_space_end.
    uintptr_t end = address + length;
    for (uintptr_t cursor = address; cursor < end;) {
        const Region* region = m_regions.find(cursor);
        if (!region)
            return Error(ErrorCode::OutOfRange, "copy outside the regions");
        if (!region->allows_read() || (write && !region->allows_write()))
            return Error(ErrorCode::AccessDenied, "copy against the region's protection");
        if (region->backing() == Backing::Device)
            return Error(ErrorCode::Unsupported, "copy into a device region");
        cursor = region->end();
    }
    return {};
}

ErrorOr<u8*> AddressSpace::page_for_copy(uintptr_t address, bool write)
{
    PageMapping mapping = m_mmu.query(address);
    if (!mapping.present || (write && !mapping.writable)) {
        switch (handle_fault(address, write ? FaultAccess::Write : FaultAccess::Read, mapping.present)) {
        case FaultOutcome::Resolved: break;
        case FaultOutcome::OutOfMemory: return Error(ErrorCode::NoMemory, "copy: faulting a page in");
        case FaultOutcome::IoError: return Error(ErrorCode::IoError, "copy: reading the file");
        default: return Error(ErrorCode::AccessDenied, "copy: fault refused"); // checked before; cannot happen
        }
        mapping = m_mmu.query(address);
        if (!mapping.present || (write && !mapping.writable))
            return Error(ErrorCode::NoMemory, "copy: page not made present"); // broken Mmu; never expected
    }
    return m_frames.contents(mapping.frame);
}

ErrorOr<void> AddressSpace::copy_in(uintptr_t destination, const void* source, size_t length)
{
    TRY(check_copy_range(destination, length, true));
    auto* from = static_cast<const u8*>(source);
    while (length > 0) {
        uintptr_t page_base = destination & ~page_mask;
        size_t offset = destination - page_base;
        size_t chunk = lib::min<size_t>(length, page - offset);
        u8* to = TRY(page_for_copy(page_base, true)) + offset;
        for (size_t i = 0; i < chunk; ++i)
            to[i] = from[i];
        from += chunk;
        destination += chunk;
        length -= chunk;
    }
    return {};
}

ErrorOr<void> AddressSpace::copy_out(void* destination, uintptr_t source, size_t length)
{
    TRY(check_copy_range(source, length, false));
    auto* to = static_cast<u8*>(destination);
    while (length > 0) {
        uintptr_t page_base = source & ~page_mask;
        size_t offset = source - page_base;
        size_t chunk = lib::min<size_t>(length, page - offset);
        const u8* from = TRY(page_for_copy(page_base, false)) + offset;
        for (size_t i = 0; i < chunk; ++i)
            to[i] = from[i];
        to += chunk;
        source += chunk;
        length -= chunk;
    }
    return {};
}

PageMapping AddressSpace::page_mapping(uintptr_t address) const
{
    if (address >= user_space_end)
        return {};
    return m_mmu.query(address & ~page_mask);
}

// ---- fork ------------------------------------------------------------------

ErrorOr<void> AddressSpace::clone_into(AddressSpace& child) const
{
    if (!child.m_regions.is_empty() || &child == this)
        return Error(ErrorCode::InvalidArgument, "clone into a non-empty address space");
    TRY(child.m_regions.reserve_additional(m_regions.size()));
    for (const Region& region : m_regions)
        (void)child.m_regions.insert(region.clone()); // capacity reserved, ranges disjoint
    for (const Region& region : m_regions) {
        for (uintptr_t address = region.start(); address < region.end(); address += page) {
            PageMapping mapping = m_mmu.query(address);
            if (!mapping.present)
                continue;
            if (region.backing() == Backing::Device) {
                TRY(child.m_mmu.map(address, mapping.frame, mapping.writable));
                continue;
            }
            // The child's entry is one more reference. Private pages become
            // read-only on both sides (C2); shared ones keep their bit.
            bool writable = region.is_shared() && mapping.writable;
            m_frames.ref(mapping.frame);
            auto mapped = child.m_mmu.map(address, mapping.frame, writable);
            if (mapped.is_error()) {
                m_frames.unref(mapping.frame);
                return mapped.error();
            }
            ++child.m_resident_pages;
            if (!region.is_shared() && mapping.writable)
                m_mmu.set_writable(address, false);
        }
    }
    return {};
}

} // namespace mm
