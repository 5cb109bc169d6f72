#include "kernel/drivers/Ata.h"

#include "kernel/arch/i386/Clock.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/debug/Log.h"
#include "lib/Format.h"
#include "lib/New.h"
#include "lib/Utility.h"

namespace drivers::ata {

namespace {

// Command block registers, as offsets from the channel's command base.
enum Register : u16 {
    Data = 0,
    ErrorOrFeatures = 1,
    SectorCount = 2,
    LbaLow = 3,
    LbaMid = 4,
    LbaHigh = 5,
    DeviceSelect = 6,
    StatusOrCommand = 7,
};

// Status register bits (ATA/ATAPI-6 section 7.15.6).
constexpr u8 status_busy = 0x80;
constexpr u8 status_ready = 0x40;
constexpr u8 status_device_fault = 0x20;
constexpr u8 status_data_request = 0x08;
constexpr u8 status_error = 0x01;

// Device control register bits (section 7.9.6).
constexpr u8 control_no_interrupt = 0x02; // nIEN
constexpr u8 control_software_reset = 0x04;

// Device register: bit 6 selects LBA addressing, bit 4 the slave; bits 7
// and 5 were "always one" in older standards and are still set by habit.
constexpr u8 device_lba = 0x40;
constexpr u8 device_legacy_ones = 0xA0;

enum Command : u8 {
    ReadSectors = 0x20,
    ReadSectorsExt = 0x24,
    WriteSectors = 0x30,
    WriteSectorsExt = 0x34,
    FlushCache = 0xE7,
    FlushCacheExt = 0xEA,
    IdentifyDevice = 0xEC,
};

// Time limits. A disk the BIOS already spun up answers in milliseconds;
// the limits only keep a dead or absent device from hanging the kernel.
constexpr u64 probe_timeout_ms = 1000;
constexpr u64 command_timeout_ms = 10000;
constexpr u64 flush_timeout_ms = 30000;
constexpr u64 reset_timeout_ms = 5000;

constexpr u64 lba28_limit = 1ull << 28;

Channel s_channels[2] = {
    { 0x1F0, 0x3F6, {}, 0xFF },
    { 0x170, 0x376, {}, 0xFF },
};

u8 read_register(const Channel& channel, Register reg) { return arch::in8(static_cast<u16>(channel.command_base + reg)); }

void write_register(const Channel& channel, Register reg, u8 value)
{
    arch::out8(static_cast<u16>(channel.command_base + reg), value);
}

u8 alternate_status(const Channel& channel) { return arch::in8(channel.control_base); }

void write_control(const Channel& channel, u8 value) { arch::out8(channel.control_base, value); }

// Section 9.2 (and the notes on every protocol): the status is not valid
// until 400 ns after a command or device select. Each read of the alternate
// status takes at least 100 ns on an ISA-timed port.
void settle(const Channel& channel)
{
    for (int i = 0; i < 4; ++i)
        (void)alternate_status(channel);
}

u64 now_ms() { return arch::clock::monotonic_ns() / 1000000; }

void spin_microseconds(u64 microseconds)
{
    u64 const end = arch::clock::monotonic_ns() + microseconds * 1000;
    while (arch::clock::monotonic_ns() < end)
        arch::io_wait();
}

// Polls the alternate status until BSY is clear; the status then, or
// TimedOut.
ErrorOr<u8> wait_not_busy(const Channel& channel, u64 timeout_ms)
{
    u64 const deadline = now_ms() + timeout_ms;
    for (;;) {
        u8 status = alternate_status(channel);
        if (!(status & status_busy))
            return status;
        if (now_ms() >= deadline)
            return Error(ErrorCode::TimedOut, "ata: device stayed busy");
    }
}

// The two signatures a packet device leaves in LBA mid/high after a reset or
// an aborted IDENTIFY DEVICE (section 9.12): PATA and SATA ATAPI.
bool is_packet_signature(u8 mid, u8 high) { return (mid == 0x14 && high == 0xEB) || (mid == 0x69 && high == 0x96); }

// Word by word through in16/out16 (the buffer needs no alignment). Under
// QEMU's TCG a `rep insw` was measured no faster; under KVM it would be.
void read_data_block(const Channel& channel, u8* buffer, u32 words)
{
    u16 const port = static_cast<u16>(channel.command_base + Data);
    for (u32 i = 0; i < words; ++i) {
        u16 value = arch::in16(port);
        __builtin_memcpy(buffer + 2 * i, &value, 2);
    }
}

void write_data_block(const Channel& channel, const u8* buffer, u32 words)
{
    u16 const port = static_cast<u16>(channel.command_base + Data);
    for (u32 i = 0; i < words; ++i) {
        u16 value;
        __builtin_memcpy(&value, buffer + 2 * i, 2);
        arch::out16(port, value);
    }
}

const char* const s_position_names[4] = { "primary master", "primary slave", "secondary master", "secondary slave" };

} // namespace

const char* AtaDisk::position_name() const { return s_position_names[m_position]; }

ErrorOr<AtaDisk*> AtaDisk::probe(u32 position)
{
    if (position >= 4)
        return Error(ErrorCode::InvalidArgument, "ata: position must be 0-3");
    auto* disk = new (lib::nothrow) AtaDisk(s_channels[position / 2], position);
    if (!disk)
        return Error(ErrorCode::NoMemory, "ata: cannot allocate the disk");
    auto identified = disk->identify();
    if (identified.is_error()) {
        delete disk;
        return identified.error();
    }
    return disk;
}

ErrorOr<void> AtaDisk::identify()
{
    Channel& channel = m_channel;
    m_slave = (m_position & 1) != 0;
    lib::format_to(m_name, sizeof(m_name), "ata%u", m_position);
    DiskLocker locker(channel.lock);

    // A channel without any device floats: its status reads 0xFF. (QEMU
    // reads 0 for an empty channel and for an absent slave.)
    if (read_register(channel, StatusOrCommand) == 0xFF)
        return Error(ErrorCode::NotFound, "ata: no device on the channel");
    write_register(channel, DeviceSelect, static_cast<u8>(device_legacy_ones | (m_slave ? 0x10 : 0)));
    channel.selected = m_slave ? 1 : 0;
    settle(channel);
    write_control(channel, control_no_interrupt);
    u8 status = read_register(channel, StatusOrCommand);
    if (status == 0 || status == 0xFF)
        return Error(ErrorCode::NotFound, "ata: no device");
    if (wait_not_busy(channel, probe_timeout_ms).is_error())
        return Error(ErrorCode::NotFound, "ata: device stays busy");

    write_register(channel, SectorCount, 0);
    write_register(channel, LbaLow, 0);
    write_register(channel, LbaMid, 0);
    write_register(channel, LbaHigh, 0);
    write_register(channel, StatusOrCommand, IdentifyDevice);
    settle(channel);
    if (read_register(channel, StatusOrCommand) == 0)
        return Error(ErrorCode::NotFound, "ata: no device");
    auto waited = wait_not_busy(channel, probe_timeout_ms);
    if (waited.is_error())
        return Error(ErrorCode::NotFound, "ata: IDENTIFY DEVICE timed out");
    u8 const mid = read_register(channel, LbaMid);
    u8 const high = read_register(channel, LbaHigh);
    if (is_packet_signature(mid, high))
        return Error(ErrorCode::Unsupported, "ata: packet (ATAPI) device");
    if (mid != 0 || high != 0)
        return Error(ErrorCode::Unsupported, "ata: not an ATA device (unknown signature)");
    status = waited.value();
    if (status & (status_error | status_device_fault))
        return Error(ErrorCode::IoError, "ata: IDENTIFY DEVICE failed");
    if (!(status & status_data_request))
        return Error(ErrorCode::IoError, "ata: IDENTIFY DEVICE gave no data");

    u16 words[256];
    read_data_block(channel, reinterpret_cast<u8*>(words), 256);
    (void)read_register(channel, StatusOrCommand); // end of the data phase

    // Word 0 bit 15 is zero for ATA devices (section 8.15.8).
    if (words[0] & 0x8000)
        return Error(ErrorCode::Unsupported, "ata: not an ATA device (IDENTIFY word 0)");
    // Word 49 bit 9: LBA supported. We never use CHS addressing.
    if (!(words[49] & (1u << 9)))
        return Error(ErrorCode::Unsupported, "ata: device without LBA addressing");
    // Words 82-87 are only meaningful when bits 15:14 of 83 read 01.
    bool const command_sets_valid = (words[83] & 0xC000) == 0x4000;
    bool const has_flush = command_sets_valid && (words[83] & (1u << 12));
    m_lba48 = command_sets_valid && (words[83] & (1u << 10)) && (words[86] & (1u << 10));
    m_has_flush_ext = m_lba48 && (words[83] & (1u << 13));
    m_has_flush = has_flush || m_has_flush_ext;
    u64 const lba28_sectors = words[60] | (u32(words[61]) << 16);
    u64 lba48_sectors = 0;
    for (int i = 3; i >= 0; --i)
        lba48_sectors = (lba48_sectors << 16) | words[100 + i];
    m_sector_count = m_lba48 && lba48_sectors != 0 ? lba48_sectors : lba28_sectors;
    if (!m_lba48 && m_sector_count > lba28_limit)
        m_sector_count = lba28_limit;
    if (m_sector_count == 0)
        return Error(ErrorCode::Unsupported, "ata: device reports no sectors");

    // Model: words 27-46, two characters per word, the first in the high byte.
    for (u32 i = 0; i < 20; ++i) {
        m_model[2 * i] = static_cast<char>(words[27 + i] >> 8);
        m_model[2 * i + 1] = static_cast<char>(words[27 + i] & 0xFF);
    }
    m_model[40] = 0;
    for (int i = 39; i >= 0 && (m_model[i] == ' ' || m_model[i] == 0); --i)
        m_model[i] = 0;
    return {};
}

ErrorOr<void> AtaDisk::read(u64 first, u32 count, void* buffer)
{
    return transfer(first, count, static_cast<u8*>(buffer), false);
}

ErrorOr<void> AtaDisk::write(u64 first, u32 count, const void* buffer)
{
    // The buffer is only read from when writing.
    return transfer(first, count, static_cast<u8*>(const_cast<void*>(buffer)), true);
}

ErrorOr<void> AtaDisk::transfer(u64 first, u32 count, u8* buffer, bool writing)
{
    if (first > m_sector_count || count > m_sector_count - first)
        return Error(ErrorCode::OutOfRange, "ata: sectors beyond the end of the disk");
    DiskLocker locker(m_channel.lock);
    if (locker.taken_over())
        recover_channel();
    while (count > 0) {
        u32 const chunk = lib::min(count, max_transfer_sectors());
        auto done = transfer_command(first, chunk, buffer, writing);
        if (done.is_error()) {
            if (done.error().code() == ErrorCode::OutOfRange)
                return done.error();
            // The device may still be in its command (timed out, or stopped
            // asking for data); a reset brings the channel back for the
            // next request.
            recover_channel();
            return Error(ErrorCode::IoError, done.error().context());
        }
        first += chunk;
        count -= chunk;
        buffer += static_cast<size_t>(chunk) * 512;
    }
    return {};
}

ErrorOr<void> AtaDisk::select_and_wait_ready()
{
    Channel& channel = m_channel;
    u8 const me = m_slave ? 1 : 0;
    if (channel.selected != me) {
        TRY(wait_not_busy(channel, command_timeout_ms));
        write_register(channel, DeviceSelect, static_cast<u8>(device_legacy_ones | (m_slave ? 0x10 : 0)));
        channel.selected = me;
        settle(channel);
    }
    // Section 9.5 (PIO data-in), state HI1: BSY and DRQ clear, DRDY set
    // before the command may be written.
    u64 const deadline = now_ms() + command_timeout_ms;
    for (;;) {
        u8 status = alternate_status(channel);
        if (!(status & (status_busy | status_data_request)) && (status & status_ready)) {
            if (status & status_device_fault)
                return Error(ErrorCode::IoError, "ata: device fault");
            return {};
        }
        if (now_ms() >= deadline)
            return Error(ErrorCode::TimedOut, "ata: device not ready for a command");
    }
}

ErrorOr<void> AtaDisk::transfer_command(u64 first, u32 count, u8* buffer, bool writing)
{
    Channel& channel = m_channel;
    TRY(select_and_wait_ready());
    u8 const slave_bit = m_slave ? 0x10 : 0;
    // The 28-bit commands are enough (and the only ones an LBA28 device
    // knows) while the whole range lies below 2^28 and fits one count byte.
    bool const extended = first + count > lba28_limit || count > 256;
    if (extended && !m_lba48)
        return Error(ErrorCode::OutOfRange, "ata: request needs 48-bit addressing");
    if (extended) {
        // Section 7.1.5: each register is a two-byte FIFO; the "previous"
        // (high) bytes go in first.
        write_register(channel, DeviceSelect, static_cast<u8>(device_lba | slave_bit));
        write_register(channel, SectorCount, static_cast<u8>(count >> 8)); // 65536 is 0
        write_register(channel, LbaLow, static_cast<u8>(first >> 24));
        write_register(channel, LbaMid, static_cast<u8>(first >> 32));
        write_register(channel, LbaHigh, static_cast<u8>(first >> 40));
        write_register(channel, SectorCount, static_cast<u8>(count));
        write_register(channel, LbaLow, static_cast<u8>(first));
        write_register(channel, LbaMid, static_cast<u8>(first >> 8));
        write_register(channel, LbaHigh, static_cast<u8>(first >> 16));
        write_register(channel, StatusOrCommand, writing ? WriteSectorsExt : ReadSectorsExt);
    } else {
        write_register(channel, DeviceSelect,
            static_cast<u8>(device_legacy_ones | device_lba | slave_bit | ((first >> 24) & 0x0F)));
        write_register(channel, SectorCount, static_cast<u8>(count)); // 256 is 0
        write_register(channel, LbaLow, static_cast<u8>(first));
        write_register(channel, LbaMid, static_cast<u8>(first >> 8));
        write_register(channel, LbaHigh, static_cast<u8>(first >> 16));
        write_register(channel, StatusOrCommand, writing ? WriteSectors : ReadSectors);
    }

    // PIO data-in / data-out (sections 9.5 and 9.6): one DRQ block per
    // sector, each preceded by BSY going away.
    for (u32 sector = 0; sector < count; ++sector) {
        settle(channel);
        u8 status = TRY(wait_not_busy(channel, command_timeout_ms));
        if (status & (status_error | status_device_fault)) {
            kernel::log_warning("ata: %s %s of sector %llu failed: status 0x%02x, error 0x%02x", m_name,
                writing ? "write" : "read", first + sector, status, read_register(channel, ErrorOrFeatures));
            (void)read_register(channel, StatusOrCommand);
            return Error(ErrorCode::IoError, writing ? "ata: the disk reported a write error" : "ata: the disk reported a read error");
        }
        if (!(status & status_data_request))
            return Error(ErrorCode::IoError, "ata: the disk asked for no data in the middle of a transfer");
        u8* block = buffer + static_cast<size_t>(sector) * 512;
        if (writing)
            write_data_block(channel, block, 256);
        else
            read_data_block(channel, block, 256);
    }
    // After the last block: a write is only done (or failed) once BSY
    // clears; a read must end with DRQ clear.
    settle(channel);
    u8 const status = TRY(wait_not_busy(channel, command_timeout_ms));
    (void)read_register(channel, StatusOrCommand); // clears a pending interrupt
    if (status & (status_error | status_device_fault | status_data_request)) {
        kernel::log_warning("ata: %s %s of sectors %llu+%u ended with status 0x%02x, error 0x%02x", m_name,
            writing ? "write" : "read", first, count, status, read_register(channel, ErrorOrFeatures));
        return Error(ErrorCode::IoError, writing ? "ata: write ended in an error" : "ata: read ended in an error");
    }
    return {};
}

ErrorOr<void> AtaDisk::flush()
{
    // A device without FLUSH CACHE has no write cache to flush.
    if (!m_has_flush)
        return {};
    Channel& channel = m_channel;
    DiskLocker locker(channel.lock);
    if (locker.taken_over())
        recover_channel();
    auto ready = select_and_wait_ready();
    if (ready.is_error())
        return Error(ErrorCode::IoError, ready.error().context());
    write_register(channel, DeviceSelect, static_cast<u8>(device_legacy_ones | device_lba | (m_slave ? 0x10 : 0)));
    write_register(channel, StatusOrCommand, m_has_flush_ext ? FlushCacheExt : FlushCache);
    settle(channel);
    auto waited = wait_not_busy(channel, flush_timeout_ms);
    if (waited.is_error()) {
        recover_channel();
        return Error(ErrorCode::IoError, "ata: cache flush timed out");
    }
    (void)read_register(channel, StatusOrCommand);
    if (waited.value() & (status_error | status_device_fault)) {
        kernel::log_warning("ata: %s cache flush failed: status 0x%02x, error 0x%02x", m_name, waited.value(),
            read_register(channel, ErrorOrFeatures));
        return Error(ErrorCode::IoError, "ata: cache flush failed");
    }
    return {};
}

// Software reset of the whole channel (section 9.2): SRST for at least
// 5 us, then wait up to the limit for BSY to clear. Both devices keep their
// configuration; the next command selects its device again.
void AtaDisk::recover_channel()
{
    Channel& channel = m_channel;
    kernel::log_warning("ata: resetting the channel of %s", m_name);
    write_control(channel, control_software_reset | control_no_interrupt);
    spin_microseconds(10);
    write_control(channel, control_no_interrupt);
    spin_microseconds(2000);
    if (wait_not_busy(channel, reset_timeout_ms).is_error())
        kernel::log_warning("ata: the channel of %s stays busy after a reset", m_name);
    channel.selected = 0xFF;
}

} // namespace drivers::ata
