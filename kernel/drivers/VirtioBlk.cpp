#include "kernel/drivers/VirtioBlk.h"

#include "kernel/arch/i386/Clock.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Layout.h"
#include "kernel/debug/Log.h"
#include "kernel/mm/KernelMemory.h"
#include "kernel/mm/PhysicalFrameAllocator.h"
#include "lib/Format.h"
#include "lib/New.h"
#include "lib/Utility.h"

namespace drivers::virtio {

namespace {

// Legacy PCI register block in BAR0's I/O space (virtio 1.0, 4.1.4.8),
// without MSI-X (we never enable it), so the device configuration
// follows at 0x14.
enum Register : u16 {
    DeviceFeatures = 0x00, // 32 bits
    DriverFeatures = 0x04, // 32 bits
    QueueAddress = 0x08,   // 32 bits: page frame number of the queue
    QueueSize = 0x0C,      // 16 bits, read-only
    QueueSelect = 0x0E,    // 16 bits
    QueueNotify = 0x10,    // 16 bits
    DeviceStatus = 0x12,   // 8 bits
    InterruptStatus = 0x13,
    DeviceConfig = 0x14,
};

// virtio-blk configuration (5.2.4), offsets into the device configuration.
constexpr u16 config_capacity = 0x00; // u64, in 512-byte sectors
constexpr u16 config_size_max = 0x08; // u32
constexpr u16 config_seg_max = 0x0C;  // u32

// Device status bits (2.1).
constexpr u8 status_acknowledge = 1;
constexpr u8 status_driver = 2;
constexpr u8 status_driver_ok = 4;
constexpr u8 status_failed = 0x80;

// Feature bits (5.2.3). The driver accepts only what it uses: the limits
// it honours, the read-only flag and FLUSH (without which a legacy device
// writes through, which is correct but slower).
constexpr u32 feature_size_max = 1u << 1;
constexpr u32 feature_seg_max = 1u << 2;
constexpr u32 feature_read_only = 1u << 5;
constexpr u32 feature_flush = 1u << 9;
constexpr u32 accepted_features = feature_size_max | feature_seg_max | feature_read_only | feature_flush;

// Request types and status values (5.2.6).
constexpr u32 request_in = 0;
constexpr u32 request_out = 1;
constexpr u32 request_flush = 4;
constexpr u8 request_status_ok = 0;
constexpr u8 request_status_unsupported = 2;

// Descriptor flags and the available ring's "no interrupt" flag (2.4.5, 2.4.7).
constexpr u16 descriptor_next = 1;
constexpr u16 descriptor_device_writes = 2;
constexpr u16 available_no_interrupt = 1;

// The legacy layout aligns the used ring to 4096 bytes (2.4.2).
constexpr u32 queue_alignment = 4096;

constexpr u32 bounce_bytes = 64 * 1024;
constexpr u64 request_timeout_ms = 10000;

u64 now_ms() { return arch::clock::monotonic_ns() / 1000000; }

// x86 keeps stores in order and loads in order, but the compiler must not
// move ring accesses across each other either.
void memory_barrier() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

struct Descriptor {
    u64 address;
    u32 length;
    u16 flags;
    u16 next;
};
static_assert(sizeof(Descriptor) == 16);

struct RequestHeader {
    u32 type;
    u32 reserved; // "ioprio" in older texts
    u64 sector;
};
static_assert(sizeof(RequestHeader) == 16);

} // namespace

ErrorOr<VirtioBlk*> VirtioBlk::create(const pci::Device& device, u32 index)
{
    auto bar = pci::read_bar(device, 0);
    if (bar.is_error() || !bar.value().is_io || bar.value().address == 0 || bar.value().address > 0xFFFF)
        return Error(ErrorCode::NotFound, "virtio-blk: BAR0 is no I/O port range (not a legacy device?)");
    // The rings are reached by DMA: bus mastering on, and the I/O decoder.
    u16 command = pci::read16(device.location, pci::offset_command);
    pci::write16(device.location, pci::offset_command,
        static_cast<u16>(command | pci::command_io_space | pci::command_bus_master));

    auto* disk = new (lib::nothrow) VirtioBlk(device, static_cast<u16>(bar.value().address));
    if (!disk)
        return Error(ErrorCode::NoMemory, "virtio-blk: cannot allocate the disk");
    lib::format_to(disk->m_name, sizeof(disk->m_name), "virtio%u", index);
    auto started = disk->start_device();
    if (started.is_error()) {
        // Tell the device we gave up (2.1: FAILED) and leave it reset.
        arch::out8(static_cast<u16>(disk->m_io_base + DeviceStatus), status_failed);
        // The memory (if any) stays allocated: the device saw its address,
        // and one failed probe at boot does not justify the risk of a late
        // DMA into frames handed out again.
        delete disk;
        return started.error();
    }
    return disk;
}

ErrorOr<void> VirtioBlk::allocate_memory()
{
    u32 const q = m_queue_size;
    u32 const driver_area = sizeof(Descriptor) * q + 2 * (3 + q);     // descriptors, available ring
    u32 const device_area = 2 * 3 + 8 * q;                             // used ring
    m_used_offset = lib::align_up(driver_area, queue_alignment);
    u32 const queue_bytes = m_used_offset + lib::align_up(device_area, queue_alignment);
    u32 const total = queue_bytes + static_cast<u32>(mm::page_size) + bounce_bytes;
    m_memory_frames = total / static_cast<u32>(mm::page_size);
    {
        arch::InterruptDisabler disabler;
        auto frames = kernel::frame_allocator().allocate_contiguous(m_memory_frames);
        if (frames.is_error())
            return Error(ErrorCode::NoMemory, "virtio-blk: no contiguous memory for the virtqueue");
        m_memory_physical = frames.value();
    }
    if (m_memory_physical + total > arch::direct_map_size) {
        arch::InterruptDisabler disabler;
        (void)kernel::frame_allocator().free_contiguous(m_memory_physical, m_memory_frames);
        return Error(ErrorCode::NoMemory, "virtio-blk: virtqueue memory outside the direct map");
    }
    m_queue_physical = m_memory_physical;
    m_queue = arch::physical_to_virtual<u8>(m_queue_physical);
    m_request_page_physical = m_queue_physical + queue_bytes;
    m_request_page = arch::physical_to_virtual<u8>(m_request_page_physical);
    m_bounce_physical = m_request_page_physical + mm::page_size;
    m_bounce = arch::physical_to_virtual<u8>(m_bounce_physical);
    return {};
}

ErrorOr<void> VirtioBlk::start_device()
{
    u16 const io = m_io_base;
    // 3.1.1 (legacy variant): reset, ACKNOWLEDGE, DRIVER, features, queues,
    // DRIVER_OK. Writing 0 resets; the device is reset once it reads back 0.
    arch::out8(static_cast<u16>(io + DeviceStatus), 0);
    u64 const deadline = now_ms() + 1000;
    while (arch::in8(static_cast<u16>(io + DeviceStatus)) != 0) {
        if (now_ms() >= deadline)
            return Error(ErrorCode::Unsupported, "virtio-blk: the device does not reset");
    }
    arch::out8(static_cast<u16>(io + DeviceStatus), status_acknowledge);
    arch::out8(static_cast<u16>(io + DeviceStatus), status_acknowledge | status_driver);

    u32 const offered = arch::in32(static_cast<u16>(io + DeviceFeatures));
    u32 const accepted = offered & accepted_features;
    arch::out32(static_cast<u16>(io + DriverFeatures), accepted);
    m_read_only = accepted & feature_read_only;
    m_has_flush = accepted & feature_flush;
    u16 const config = static_cast<u16>(io + DeviceConfig);
    m_segment_max_bytes = (accepted & feature_size_max) ? arch::in32(static_cast<u16>(config + config_size_max)) : 0;
    m_segment_max_count = (accepted & feature_seg_max) ? arch::in32(static_cast<u16>(config + config_seg_max)) : 0;
    u64 const capacity_low = arch::in32(static_cast<u16>(config + config_capacity));
    u64 const capacity_high = arch::in32(static_cast<u16>(config + config_capacity + 4));
    m_sector_count = capacity_low | (capacity_high << 32);

    arch::out16(static_cast<u16>(io + QueueSelect), 0);
    u16 const size = arch::in16(static_cast<u16>(io + QueueSize));
    if (size == 0)
        return Error(ErrorCode::Unsupported, "virtio-blk: queue 0 does not exist");
    if (m_queue == nullptr) {
        m_queue_size = size;
        TRY(allocate_memory());
    } else if (size != m_queue_size) {
        return Error(ErrorCode::Unsupported, "virtio-blk: queue size changed across a reset");
    }
    __builtin_memset(m_queue, 0, m_used_offset + lib::align_up(u32(6 + 8 * size), queue_alignment));
    m_next_avail = 0;
    auto* available_flags = reinterpret_cast<volatile u16*>(m_queue + sizeof(Descriptor) * m_queue_size);
    *available_flags = available_no_interrupt;
    arch::out32(static_cast<u16>(io + QueueAddress), static_cast<u32>(m_queue_physical / queue_alignment));

    arch::out8(static_cast<u16>(io + DeviceStatus), status_acknowledge | status_driver | status_driver_ok);
    if (arch::in8(static_cast<u16>(io + DeviceStatus)) & status_failed)
        return Error(ErrorCode::Unsupported, "virtio-blk: the device refused the setup");
    return {};
}

ErrorOr<void> VirtioBlk::submit(u32 type, u64 sector, PhysicalAddress data, u32 bytes, bool device_writes)
{
    auto* descriptors = reinterpret_cast<volatile Descriptor*>(m_queue);
    auto* available = reinterpret_cast<volatile u16*>(m_queue + sizeof(Descriptor) * m_queue_size);
    auto* used = reinterpret_cast<volatile u16*>(m_queue + m_used_offset);

    auto* header = reinterpret_cast<volatile RequestHeader*>(m_request_page);
    header->type = type;
    header->reserved = 0;
    header->sector = sector;
    volatile u8* status = m_request_page + sizeof(RequestHeader);
    *status = 0xFF;

    // Header, the data in pieces the device accepts, status: one chain
    // starting at descriptor 0, since only one request is ever in flight.
    u32 const piece_limit = m_segment_max_bytes ? m_segment_max_bytes : bytes;
    auto describe = [&](u32 index, PhysicalAddress address, u32 length, u16 flags) {
        descriptors[index].address = address;
        descriptors[index].length = length;
        descriptors[index].flags = flags;
        descriptors[index].next = static_cast<u16>(index + 1);
    };
    u32 count = 0;
    describe(count++, m_request_page_physical, sizeof(RequestHeader), descriptor_next);
    for (u32 offset = 0; offset < bytes;) {
        u32 const piece = lib::min(bytes - offset, piece_limit);
        if (count + 1 >= m_queue_size || (m_segment_max_count && count > m_segment_max_count))
            return Error(ErrorCode::InvalidArgument, "virtio-blk: request needs more segments than the device takes");
        describe(count++, data + offset, piece,
            static_cast<u16>(descriptor_next | (device_writes ? descriptor_device_writes : 0)));
        offset += piece;
    }
    describe(count, m_request_page_physical + sizeof(RequestHeader), 1, descriptor_device_writes);

    // Publish: the ring entry, then (after a barrier) the index, then the
    // notification (2.4.8 / 3.2.1).
    available[2 + m_next_avail % m_queue_size] = 0;
    memory_barrier();
    ++m_next_avail;
    available[1] = m_next_avail;
    memory_barrier();
    arch::out16(static_cast<u16>(m_io_base + QueueNotify), 0);

    u64 const deadline = now_ms() + request_timeout_ms;
    while (used[1] != m_next_avail) {
        if (now_ms() >= deadline) {
            // Stop the device before anything else touches the buffer.
            kernel::log_warning("virtio-blk: %s: request type %u for sector %llu timed out; resetting", m_name, type,
                sector);
            if (start_device().is_error())
                kernel::log_warning("virtio-blk: %s does not come back after a reset", m_name);
            return Error(ErrorCode::IoError, "virtio-blk: request timed out");
        }
        __builtin_ia32_pause();
    }
    memory_barrier();
    u8 const result = *status;
    if (result == request_status_ok)
        return {};
    kernel::log_warning("virtio-blk: %s: request type %u for sector %llu failed with status %u", m_name, type, sector,
        result);
    if (result == request_status_unsupported)
        return Error(ErrorCode::IoError, "virtio-blk: the device does not support the request");
    return Error(ErrorCode::IoError, "virtio-blk: the device reported an I/O error");
}

ErrorOr<void> VirtioBlk::read(u64 first, u32 count, void* buffer)
{
    return transfer(first, count, static_cast<u8*>(buffer), false);
}

ErrorOr<void> VirtioBlk::write(u64 first, u32 count, const void* buffer)
{
    if (m_read_only)
        return Error(ErrorCode::ReadOnly, "virtio-blk: the device is read-only");
    // The buffer is only read from when writing.
    return transfer(first, count, static_cast<u8*>(const_cast<void*>(buffer)), true);
}

ErrorOr<void> VirtioBlk::transfer(u64 first, u32 count, u8* buffer, bool writing)
{
    if (first > m_sector_count || count > m_sector_count - first)
        return Error(ErrorCode::OutOfRange, "virtio-blk: sectors beyond the end of the disk");
    DiskLocker locker(m_lock);
    if (locker.taken_over())
        TRY(start_device());
    while (count > 0) {
        u32 chunk = lib::min(count, max_request_sectors);
        size_t bytes = static_cast<size_t>(chunk) * 512;
        auto const address = reinterpret_cast<uintptr_t>(buffer);
        // The direct map is one linear stretch of physical memory, so a
        // buffer inside it is contiguous for the device too.
        bool const direct = address >= arch::kernel_virtual_base
            && address - arch::kernel_virtual_base + bytes <= arch::direct_map_size;
        PhysicalAddress data;
        if (direct) {
            data = arch::virtual_to_physical(buffer);
        } else {
            chunk = lib::min(chunk, bounce_bytes / 512);
            bytes = static_cast<size_t>(chunk) * 512;
            data = m_bounce_physical;
            if (writing)
                __builtin_memcpy(m_bounce, buffer, bytes);
        }
        TRY(submit(writing ? request_out : request_in, first, data, static_cast<u32>(bytes), !writing));
        if (!direct && !writing)
            __builtin_memcpy(buffer, m_bounce, bytes);
        first += chunk;
        count -= chunk;
        buffer += bytes;
    }
    return {};
}

ErrorOr<void> VirtioBlk::flush()
{
    // Without FLUSH negotiated a legacy device writes through (5.2.6.3).
    if (!m_has_flush)
        return {};
    DiskLocker locker(m_lock);
    if (locker.taken_over())
        TRY(start_device());
    return submit(request_flush, 0, 0, 0, false);
}

} // namespace drivers::virtio
