// virtio-blk through the legacy ("transitional") PCI interface: PCI
// 1AF4:1001, registers in I/O space behind BAR0. References: Virtio PCI
// Card Specification 0.9.5, and Virtio 1.0 sections 4.1.4.8 (legacy PCI
// registers), 2.4.2 (legacy virtqueue layout) and 5.2 (block device).
//
// One virtqueue (queue 0) with one request in flight at a time: header,
// data and status descriptors are chained, the queue-notify port is
// written, and completion is polled on the used ring with a time limit.
// The device's interrupt is suppressed (VRING_AVAIL_F_NO_INTERRUPT).
//
// Data moves by DMA from physical addresses. A buffer inside the kernel's
// direct map is physically contiguous and handed to the device as it is;
// anything else (user memory, device mappings) is bounced through a 64 KiB
// buffer of the driver's own. So any buffer alignment works.
#pragma once

#include "kernel/drivers/DiskLock.h"
#include "kernel/drivers/Pci.h"
#include "kernel/fs/BlockDevice.h"

namespace drivers::virtio {

constexpr u16 pci_vendor = 0x1AF4;
constexpr u16 pci_device_block_legacy = 0x1001;

class VirtioBlk final : public fs::BlockDevice {
public:
    // Resets and sets up `device` (which must be a legacy virtio-blk
    // function), naming it "virtio<index>". NotFound without an I/O BAR0,
    // Unsupported when the device refuses the setup, NoMemory when the
    // rings or the bounce buffer cannot be allocated.
    static ErrorOr<VirtioBlk*> create(const pci::Device& device, u32 index);

    StringView name() const override { return m_name; }
    u64 sector_count() const override { return m_sector_count; }
    bool is_read_only() const override { return m_read_only; }
    u32 max_transfer_sectors() const override { return max_request_sectors; }
    ErrorOr<void> read(u64 first, u32 count, void* buffer) override;
    ErrorOr<void> write(u64 first, u32 count, const void* buffer) override;
    ErrorOr<void> flush() override;

    pci::Location location() const { return m_location; }
    u16 queue_size() const { return m_queue_size; }

    // One request moves at most this much (128 KiB); a bounced transfer is
    // split further into bounce-buffer pieces.
    static constexpr u32 max_request_sectors = 256;

private:
    VirtioBlk(const pci::Device& device, u16 io_base)
        : m_location(device.location)
        , m_io_base(io_base)
    {
    }

    ErrorOr<void> allocate_memory();
    // Reset, feature negotiation, queue 0, DRIVER_OK; also used to bring
    // the device back after a request timed out.
    ErrorOr<void> start_device();
    ErrorOr<void> transfer(u64 first, u32 count, u8* buffer, bool writing);
    // One request: `bytes` at physical `data` (none for a flush).
    ErrorOr<void> submit(u32 type, u64 sector, PhysicalAddress data, u32 bytes, bool device_writes);

    pci::Location m_location;
    u16 m_io_base;
    char m_name[12] {};
    u64 m_sector_count { 0 };
    bool m_read_only { false };
    bool m_has_flush { false };
    u32 m_segment_max_bytes { 0 }; // VIRTIO_BLK_F_SIZE_MAX, 0 when unlimited
    u32 m_segment_max_count { 0 }; // VIRTIO_BLK_F_SEG_MAX, 0 when unlimited

    // One physically contiguous allocation: the virtqueue, a page with the
    // request header and status byte, and the bounce buffer.
    PhysicalAddress m_memory_physical { 0 };
    u32 m_memory_frames { 0 };
    u16 m_queue_size { 0 };
    u32 m_used_offset { 0 }; // of the used ring from the queue's start
    u8* m_queue { nullptr };
    PhysicalAddress m_queue_physical { 0 };
    u8* m_request_page { nullptr };
    PhysicalAddress m_request_page_physical { 0 };
    u8* m_bounce { nullptr };
    PhysicalAddress m_bounce_physical { 0 };
    u16 m_next_avail { 0 };

    DiskLock m_lock;
};

} // namespace drivers::virtio
