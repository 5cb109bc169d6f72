// Test doubles for kernel/mm/Mmu.h: a page table kept in a std::map, a frame
// provider that counts live frames and can be told to fail, and an in-memory
// FileSource that counts its references.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include "kernel/mm/Mmu.h"

namespace fake {

class FakeMmu final : public mm::Mmu {
public:
    ErrorOr<void> map(uintptr_t virtual_address, PhysicalAddress frame, bool writable) override
    {
        EXPECT_EQ(virtual_address % 4096, 0u);
        EXPECT_LT(virtual_address, mm::user_space_end);
        if (fail_after >= 0) {
            if (fail_after == 0)
                return Error(ErrorCode::NoMemory, "fake page table");
            --fail_after;
        }
        pages[virtual_address] = { true, writable, frame };
        return {};
    }
    void unmap(uintptr_t virtual_address) override { pages.erase(virtual_address); }
    void set_writable(uintptr_t virtual_address, bool writable) override
    {
        auto it = pages.find(virtual_address);
        if (it != pages.end())
            it->second.writable = writable;
    }
    mm::PageMapping query(uintptr_t virtual_address) const override
    {
        auto it = pages.find(virtual_address);
        return it == pages.end() ? mm::PageMapping {} : it->second;
    }

    std::map<uintptr_t, mm::PageMapping> pages;
    int fail_after { -1 }; // map() calls that succeed before they fail; -1 = never
};

class FakeFrameProvider final : public mm::FrameProvider {
public:
    ErrorOr<PhysicalAddress> allocate() override
    {
        if (fail_after >= 0) {
            if (fail_after == 0)
                return Error(ErrorCode::NoMemory, "fake frames");
            --fail_after;
        }
        PhysicalAddress address = m_next;
        m_next += 4096;
        auto& frame = frames[address];
        frame.count = 1;
        frame.bytes.reset(new u8[4096]);
        std::memset(frame.bytes.get(), 0xCC, 4096); // contents undefined: catch missing zeroing
        ++allocations;
        return address;
    }
    void ref(PhysicalAddress frame) override
    {
        auto it = frames.find(frame);
        if (it == frames.end()) {
            ADD_FAILURE() << "ref of a frame that is not live: " << frame;
            return;
        }
        ++it->second.count;
    }
    void unref(PhysicalAddress frame) override
    {
        auto it = frames.find(frame);
        if (it == frames.end()) {
            ADD_FAILURE() << "unref of a frame that is not live: " << frame;
            return;
        }
        if (--it->second.count == 0)
            frames.erase(it);
    }
    u32 ref_count(PhysicalAddress frame) const override
    {
        auto it = frames.find(frame);
        return it == frames.end() ? 0 : it->second.count;
    }
    u8* contents(PhysicalAddress frame) override
    {
        auto it = frames.find(frame);
        if (it == frames.end()) {
            ADD_FAILURE() << "contents of a frame that is not live: " << frame;
            return nullptr;
        }
        return it->second.bytes.get();
    }

    size_t live() const { return frames.size(); }

    struct Frame {
        u32 count { 0 };
        std::unique_ptr<u8[]> bytes;
    };
    std::map<PhysicalAddress, Frame> frames;
    int fail_after { -1 }; // allocations that succeed before they fail; -1 = never
    size_t allocations { 0 };

private:
    PhysicalAddress m_next { 0x100000 };
};

class FakeFile final : public mm::FileSource {
public:
    explicit FakeFile(std::vector<u8> data)
        : data(std::move(data))
    {
    }
    ErrorOr<size_t> read(u64 offset, void* buffer, size_t length) override
    {
        if (fail)
            return Error(ErrorCode::IoError, "fake disk");
        if (offset >= data.size())
            return size_t(0);
        // At most 1000 bytes per call: callers must cope with short reads.
        size_t count = std::min<size_t>({ length, data.size() - offset, 1000 });
        std::memcpy(buffer, data.data() + offset, count);
        return count;
    }
    u64 size() const override { return data.size(); }
    void ref() override { ++refs; }
    void unref() override
    {
        if (refs == 0)
            ADD_FAILURE() << "FileSource reference dropped below zero";
        else
            --refs;
    }

    std::vector<u8> data;
    int refs { 0 };
    bool fail { false };
};

} // namespace fake
