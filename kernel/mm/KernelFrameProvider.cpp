#include "kernel/mm/KernelFrameProvider.h"

#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Layout.h"
#include "kernel/debug/Panic.h"
#include "kernel/mm/FrameRefCounts.h"
#include "kernel/mm/KernelMemory.h"
#include "kernel/mm/PhysicalFrameAllocator.h"

namespace kernel {

namespace {

class KernelFrameProvider final : public mm::FrameProvider {
public:
    ErrorOr<void> initialize()
    {
        size_t frames = frame_allocator().managed_frames();
        size_t bytes = lib::align_up(frames * sizeof(u16), mm::page_size);
        auto storage = frame_allocator().allocate_contiguous(bytes / mm::page_size);
        if (storage.is_error())
            return storage.error();
        auto counts = arch::physical_to_virtual<u16>(storage.value());
        for (size_t i = 0; i < frames; ++i)
            counts[i] = 0;
        m_counts.initialize(counts, frames);
        return {};
    }

    ErrorOr<PhysicalAddress> allocate() override
    {
        arch::InterruptDisabler disabler;
        PhysicalAddress frame = TRY(frame_allocator().allocate());
        m_counts.set(frame, 1);
        return frame;
    }

    void ref(PhysicalAddress frame) override
    {
        arch::InterruptDisabler disabler;
        if (m_counts.increment(frame) == 0)
            panic("frame 0x%llx: reference count overflow or untracked frame", frame);
    }

    void unref(PhysicalAddress frame) override
    {
        arch::InterruptDisabler disabler;
        if (m_counts.get(frame) == 0)
            panic("frame 0x%llx: reference dropped below zero", frame);
        if (m_counts.decrement(frame) == 0) {
            if (frame_allocator().free(frame).is_error())
                panic("frame 0x%llx: freeing a frame the allocator does not consider allocated", frame);
        }
    }

    u32 ref_count(PhysicalAddress frame) const override { return m_counts.get(frame); }

    u8* contents(PhysicalAddress frame) override { return arch::physical_to_virtual<u8>(frame); }

private:
    mm::FrameRefCounts m_counts;
};

KernelFrameProvider s_provider;

} // namespace

ErrorOr<void> initialize_frame_provider() { return s_provider.initialize(); }
mm::FrameProvider& frame_provider() { return s_provider; }

} // namespace kernel
