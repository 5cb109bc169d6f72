#include "kernel/fs/AsyncIo.h"

namespace fs {

using native::AioCqe;
using native::AioRingHeader;
using native::AioSqe;

static_assert(sizeof(AioSqe) == 64, "AioSqe is ABI: 64 bytes");
static_assert(sizeof(AioCqe) == 16, "AioCqe is ABI: 16 bytes");
static_assert(sizeof(AioRingHeader) == 64, "AioRingHeader is ABI: 64 bytes");
// Entries never straddle a page, so one page pointer reaches a whole entry.
static_assert(aio_page_size % sizeof(AioSqe) == 0 && aio_page_size % sizeof(AioCqe) == 0);

namespace {

// Every index the program writes is read with acquire (the entries it
// published before moving the index are visible), every index the kernel
// writes is stored with release (the entries come first). One CPU needs only
// the compiler barrier in these; they say what the order is for.
u32 load(const u32& index) { return __atomic_load_n(&index, __ATOMIC_ACQUIRE); }
void store(u32& index, u32 value) { __atomic_store_n(&index, value, __ATOMIC_RELEASE); }

u32 whole_pages(u32 bytes) { return (bytes + aio_page_size - 1) / aio_page_size * aio_page_size; }

} // namespace

ErrorOr<AioRingLayout> aio_ring_layout(u32 entries)
{
    if (entries == 0 || entries > native::AIO_MAX_ENTRIES || (entries & (entries - 1)) != 0)
        return Error(ErrorCode::InvalidArgument, "aio: entries must be a power of two up to 1024");
    AioRingLayout layout {};
    layout.sq_entries = entries;
    layout.cq_entries = entries * 2;
    layout.sq_offset = aio_page_size; // the header has the first page
    layout.sq_size = entries * static_cast<u32>(sizeof(AioSqe));
    layout.cq_offset = layout.sq_offset + whole_pages(layout.sq_size);
    layout.cq_size = layout.cq_entries * static_cast<u32>(sizeof(AioCqe));
    layout.size = layout.cq_offset + whole_pages(layout.cq_size);
    layout.pages = layout.size / aio_page_size;
    return layout;
}

void AioRings::attach(const AioRingLayout& layout, u8* const* pages)
{
    m_layout = layout;
    m_pages = pages;
    m_sq_head = m_cq_tail = m_overflow = 0;
    AioRingHeader& ring = *header();
    ring = AioRingHeader {};
    ring.sq_mask = layout.sq_entries - 1;
    ring.sq_entries = layout.sq_entries;
    ring.cq_mask = layout.cq_entries - 1;
    ring.cq_entries = layout.cq_entries;
}

ErrorOr<u32> AioRings::pending_submissions() const
{
    u32 pending = load(header()->sq_tail) - m_sq_head;
    if (pending > m_layout.sq_entries)
        return Error(ErrorCode::InvalidArgument, "aio: sq_tail beyond the ring");
    return pending;
}

void AioRings::take_submission(AioSqe& out)
{
    u32 slot = m_sq_head & (m_layout.sq_entries - 1);
    // One copy; from here on only `out` is looked at.
    out = *at<const AioSqe>(m_layout.sq_offset + slot * static_cast<u32>(sizeof(AioSqe)));
    ++m_sq_head;
    store(header()->sq_head, m_sq_head);
}

u32 AioRings::completions_ready() const
{
    u32 unread = m_cq_tail - load(header()->cq_head);
    return unread > m_layout.cq_entries ? m_layout.cq_entries : unread;
}

bool AioRings::post_completion(const AioCqe& completion)
{
    if (!completion_room())
        return false;
    u32 slot = m_cq_tail & (m_layout.cq_entries - 1);
    *at<AioCqe>(m_layout.cq_offset + slot * static_cast<u32>(sizeof(AioCqe))) = completion;
    ++m_cq_tail;
    store(header()->cq_tail, m_cq_tail);
    return true;
}

void AioRings::count_overflow()
{
    ++m_overflow;
    store(header()->cq_overflow, m_overflow);
}

void AioRings::set_backlog(bool waiting)
{
    store(header()->flags, waiting ? u32(native::AIO_RING_CQ_BACKLOG) : 0u);
}

} // namespace fs
