#include "kernel/mm/PhysicalFrameAllocator.h"

#include "lib/Utility.h"

namespace mm {

namespace {

constexpr size_t bits_per_word = 32;

size_t frames_below(PhysicalAddress highest_end)
{
    PhysicalAddress const clipped = lib::min(highest_end, PhysicalFrameAllocator::addressable_limit);
    // Round up: a partial last frame is still described (it is never added
    // as free, because add_free_range rounds inward).
    return static_cast<size_t>((clipped + page_size - 1) / page_size);
}

size_t words_for(size_t frames)
{
    return frames / bits_per_word + (frames % bits_per_word != 0 ? 1 : 0);
}

} // namespace

size_t PhysicalFrameAllocator::bitmap_bytes_for(PhysicalAddress highest_end)
{
    return 2 * words_for(frames_below(highest_end)) * sizeof(u32);
}

void PhysicalFrameAllocator::initialize(u32* bitmap_storage, size_t storage_bytes, PhysicalAddress highest_end)
{
    size_t const wanted_frames = frames_below(highest_end);
    size_t const words = bitmap_storage ? lib::min(words_for(wanted_frames), storage_bytes / (2 * sizeof(u32))) : 0;
    m_low = bitmap_storage;
    m_high = bitmap_storage ? bitmap_storage + words : nullptr;
    m_word_count = words;
    m_frame_count = lib::min(wanted_frames, words * bits_per_word);
    m_end = lib::min(lib::min(highest_end, addressable_limit), static_cast<PhysicalAddress>(m_frame_count) * page_size);
    m_total_frames = 0;
    m_free_frames = 0;
    m_next_word = 0;
    // All zero = every frame absent, including the padding bits past
    // m_frame_count in the last word, which therefore can never be free.
    for (size_t i = 0; i < 2 * words; ++i)
        bitmap_storage[i] = 0;
}

PhysicalFrameAllocator::State PhysicalFrameAllocator::state_of(size_t frame) const
{
    size_t const word = frame / bits_per_word;
    u32 const bit = 1u << (frame % bits_per_word);
    bool const low = m_low[word] & bit;
    bool const high = m_high[word] & bit;
    if (high)
        return low ? State::Allocated : State::Reserved;
    return low ? State::Free : State::Absent;
}

void PhysicalFrameAllocator::set_state(size_t frame, State state)
{
    size_t const word = frame / bits_per_word;
    u32 const bit = 1u << (frame % bits_per_word);
    bool const low = state == State::Free || state == State::Allocated;
    bool const high = state == State::Allocated || state == State::Reserved;
    m_low[word] = low ? (m_low[word] | bit) : (m_low[word] & ~bit);
    m_high[word] = high ? (m_high[word] | bit) : (m_high[word] & ~bit);
}

u32 PhysicalFrameAllocator::free_mask(size_t word) const
{
    return m_low[word] & ~m_high[word];
}

void PhysicalFrameAllocator::frame_span(PhysicalAddress base, u64 length, bool outward, size_t& first, size_t& last) const
{
    PhysicalAddress end = base + length;
    if (end < base)
        end = ~0ull; // wrapped: runs to the top
    // Clip to the exact end first, so that rounding inward never reaches a
    // partial last frame (highest_end need not be frame-aligned).
    end = lib::min(end, m_end);
    PhysicalAddress const managed_end = static_cast<PhysicalAddress>(m_frame_count) * page_size;
    PhysicalAddress first_address = outward ? lib::align_down(base, PhysicalAddress(page_size)) : lib::align_up(base, PhysicalAddress(page_size));
    PhysicalAddress last_address = outward ? lib::align_up(end, PhysicalAddress(page_size)) : lib::align_down(end, PhysicalAddress(page_size));
    first_address = lib::min(first_address, managed_end);
    last_address = lib::min(last_address, managed_end);
    first = static_cast<size_t>(first_address / page_size);
    last = static_cast<size_t>(last_address / page_size);
    if (last < first)
        last = first;
}

void PhysicalFrameAllocator::add_free_range(PhysicalAddress base, u64 length)
{
    size_t first = 0;
    size_t last = 0;
    frame_span(base, length, false, first, last);
    for (size_t frame = first; frame < last; ++frame) {
        switch (state_of(frame)) {
        case State::Absent:
            ++m_total_frames;
            [[fallthrough]];
        case State::Reserved:
            set_state(frame, State::Free);
            ++m_free_frames;
            break;
        case State::Free:
        case State::Allocated:
            break;
        }
    }
}

void PhysicalFrameAllocator::reserve_range(PhysicalAddress base, u64 length)
{
    size_t first = 0;
    size_t last = 0;
    frame_span(base, length, true, first, last);
    for (size_t frame = first; frame < last; ++frame) {
        if (state_of(frame) == State::Free) {
            set_state(frame, State::Reserved);
            --m_free_frames;
        }
    }
}

ErrorOr<PhysicalAddress> PhysicalFrameAllocator::allocate()
{
    if (m_free_frames == 0)
        return Error(ErrorCode::NoMemory, "frame allocator: out of frames");
    // Start at the hint and wrap around once; words without a free frame are
    // skipped with a single comparison.
    for (size_t step = 0; step < m_word_count; ++step) {
        size_t word = m_next_word + step;
        if (word >= m_word_count)
            word -= m_word_count;
        u32 const mask = free_mask(word);
        if (mask == 0)
            continue;
        size_t const frame = word * bits_per_word + static_cast<size_t>(__builtin_ctz(mask));
        set_state(frame, State::Allocated);
        --m_free_frames;
        m_next_word = word;
        return static_cast<PhysicalAddress>(frame) * page_size;
    }
    // Unreachable while m_free_frames is accurate; kept as a safe answer.
    return Error(ErrorCode::NoMemory, "frame allocator: out of frames");
}

ErrorOr<PhysicalAddress> PhysicalFrameAllocator::allocate_contiguous(size_t frame_count, size_t alignment_frames)
{
    if (frame_count == 0 || !lib::is_power_of_two(alignment_frames))
        return Error(ErrorCode::InvalidArgument, "frame allocator: bad contiguous request");
    if (frame_count > m_free_frames)
        return Error(ErrorCode::NoMemory, "frame allocator: no contiguous run");

    size_t candidate = 0;
    while (candidate < m_frame_count && m_frame_count - candidate >= frame_count) {
        size_t frame = candidate;
        size_t const end = candidate + frame_count;
        while (frame < end) {
            // Skip a whole word at once when it is entirely free.
            if (frame % bits_per_word == 0 && end - frame >= bits_per_word && free_mask(frame / bits_per_word) == ~0u) {
                frame += bits_per_word;
                continue;
            }
            if (state_of(frame) != State::Free)
                break;
            ++frame;
        }
        if (frame >= end) {
            for (size_t i = candidate; i < end; ++i)
                set_state(i, State::Allocated);
            m_free_frames -= frame_count;
            return static_cast<PhysicalAddress>(candidate) * page_size;
        }
        // No run can include `frame`: restart at the next aligned frame after it.
        size_t const next = lib::align_up(frame + 1, alignment_frames);
        if (next <= frame)
            break; // saturated
        candidate = next;
    }
    return Error(ErrorCode::NoMemory, "frame allocator: no contiguous run");
}

ErrorOr<void> PhysicalFrameAllocator::check_allocated(PhysicalAddress frame) const
{
    if (frame % page_size != 0)
        return Error(ErrorCode::InvalidArgument, "frame allocator: free of unaligned address");
    if (frame / page_size >= m_frame_count)
        return Error(ErrorCode::InvalidArgument, "frame allocator: free of unmanaged frame");
    switch (state_of(static_cast<size_t>(frame / page_size))) {
    case State::Allocated:
        return {};
    case State::Free:
        return Error(ErrorCode::InvalidArgument, "frame allocator: double free");
    case State::Reserved:
        return Error(ErrorCode::InvalidArgument, "frame allocator: free of reserved frame");
    case State::Absent:
        break;
    }
    return Error(ErrorCode::InvalidArgument, "frame allocator: free of frame that is not RAM");
}

ErrorOr<void> PhysicalFrameAllocator::free(PhysicalAddress frame)
{
    TRY(check_allocated(frame));
    set_state(static_cast<size_t>(frame / page_size), State::Free);
    ++m_free_frames;
    return {};
}

ErrorOr<void> PhysicalFrameAllocator::free_contiguous(PhysicalAddress base, size_t frame_count)
{
    if (frame_count == 0)
        return Error(ErrorCode::InvalidArgument, "frame allocator: free of zero frames");
    if (base % page_size != 0 || base / page_size >= m_frame_count || frame_count > m_frame_count - base / page_size)
        return Error(ErrorCode::InvalidArgument, "frame allocator: free of unmanaged run");
    // Check everything first so that a bad run changes nothing.
    for (size_t i = 0; i < frame_count; ++i)
        TRY(check_allocated(base + static_cast<PhysicalAddress>(i) * page_size));
    size_t const first = static_cast<size_t>(base / page_size);
    for (size_t i = 0; i < frame_count; ++i)
        set_state(first + i, State::Free);
    m_free_frames += frame_count;
    return {};
}

bool PhysicalFrameAllocator::is_free(PhysicalAddress address) const
{
    size_t const frame = static_cast<size_t>(lib::min(address / page_size, static_cast<PhysicalAddress>(m_frame_count)));
    return frame < m_frame_count && state_of(frame) == State::Free;
}

bool PhysicalFrameAllocator::is_allocated(PhysicalAddress address) const
{
    size_t const frame = static_cast<size_t>(lib::min(address / page_size, static_cast<PhysicalAddress>(m_frame_count)));
    return frame < m_frame_count && state_of(frame) == State::Allocated;
}

} // namespace mm
