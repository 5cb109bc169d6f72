// The hardware page-table interface that kernel/mm/ programs against. The
// i386 two-level page tables implement it (kernel/arch/i386/PageDirectory);
// host tests use a fake. Only user pages (below the kernel base) go through
// it: the kernel half is shared by every address space.
#pragma once

#include "lib/Error.h"
#include "lib/Types.h"

namespace mm {

constexpr uintptr_t user_space_end = 0xC0000000; // first address that is not user space

struct PageMapping {
    bool present { false };
    bool writable { false };
    PhysicalAddress frame { 0 };
};

class Mmu {
public:
    // Maps one 4 KiB user page. Replaces an existing mapping of `virtual_address`
    // (the caller owns whatever frame was there). NoMemory when a page table
    // cannot be allocated; nothing is changed then.
    virtual ErrorOr<void> map(uintptr_t virtual_address, PhysicalAddress frame, bool writable) = 0;
    // Removes the mapping (no-op when absent) and flushes it from the TLB.
    virtual void unmap(uintptr_t virtual_address) = 0;
    // Changes the writable bit of a present mapping (no-op when absent).
    virtual void set_writable(uintptr_t virtual_address, bool writable) = 0;
    virtual PageMapping query(uintptr_t virtual_address) const = 0;

protected:
    ~Mmu() = default;
};

// Reference-counted physical frames and access to their contents. The kernel
// implements it over the frame allocator and the direct map; tests fake it.
class FrameProvider {
public:
    // A new frame with reference count 1; contents undefined. NoMemory when exhausted.
    virtual ErrorOr<PhysicalAddress> allocate() = 0;
    virtual void ref(PhysicalAddress frame) = 0;
    // Drops one reference; the frame returns to the allocator at zero.
    virtual void unref(PhysicalAddress frame) = 0;
    virtual u32 ref_count(PhysicalAddress frame) const = 0;
    // Kernel-accessible pointer to the frame's 4096 bytes.
    virtual u8* contents(PhysicalAddress frame) = 0;

protected:
    ~FrameProvider() = default;
};

// A file (or anything with bytes at offsets) that backs a region. Regions
// hold a reference; the object lives until the last region drops it.
class FileSource {
public:
    // Reads up to `length` bytes at `offset`; fewer at end of file (the rest
    // of the page is zero-filled by the caller). Errors are I/O errors.
    virtual ErrorOr<size_t> read(u64 offset, void* buffer, size_t length) = 0;
    virtual u64 size() const = 0;
    virtual void ref() = 0;
    virtual void unref() = 0;
    // A source that is memory of its own (a shared memory object) returns
    // the frame holding the page at `offset` (page-aligned, inside size()),
    // and a shared mapping then maps that very frame, taking a reference on
    // it, so every mapping sees the same bytes. Files return NotFound:
    // their pages are read into new frames.
    virtual ErrorOr<PhysicalAddress> shared_frame(u64 offset)
    {
        (void)offset;
        return Error(ErrorCode::NotFound, "not a memory object");
    }

    // A memory object whose frames a *private* mapping may map too: read-only
    // at first, copied into a frame of the process's own on the first write
    // (invariant C2 of AddressSpace.h; the object's own reference keeps the
    // count above 1 while it lives). KolibriOS DLL images are shared between
    // processes this way (kernel/abi/kolibri/KolibriDll.cpp). Other sources
    // answer false, and a private mapping of them reads each page into a new
    // frame. Such an object is never mapped by shared regions (C3).
    virtual bool shares_frames_copy_on_write() const { return false; }

protected:
    ~FileSource() = default;
};

} // namespace mm
