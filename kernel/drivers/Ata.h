// ATA hard disks on the legacy IDE ports, driven by PIO with polling.
//
//   primary channel:   command block 0x1F0-0x1F7, control 0x3F6
//   secondary channel: command block 0x170-0x177, control 0x376
//
// Each channel has a master and a slave device. The driver keeps the
// channel's interrupt masked (nIEN) and polls the status register, with a
// time limit on every wait. Commands and register layout follow ATA/ATAPI-6
// (T13/1410D): IDENTIFY DEVICE (section 8.15), READ/WRITE SECTORS (8.27,
// 8.62), their 48-bit EXT forms (8.28, 8.63), FLUSH CACHE (EXT) (8.10,
// 8.11) and the PIO protocols of section 9.
//
// Packet (ATAPI) devices such as a CD-ROM drive are recognised by their
// signature and left alone, as are absent devices.
#pragma once

#include "kernel/drivers/DiskLock.h"
#include "kernel/fs/BlockDevice.h"

namespace drivers::ata {

// One channel's ports and lock; the devices on it share both.
struct Channel {
    u16 command_base;
    u16 control_base;
    DiskLock lock;
    // 0 master, 1 slave, 0xFF unknown: skipping the select (and its 400 ns
    // settle time) when the device is already selected.
    u8 selected { 0xFF };
};

class AtaDisk final : public fs::BlockDevice {
public:
    // Identifies the device at `position` (0 primary master, 1 primary
    // slave, 2 secondary master, 3 secondary slave). NotFound when nothing
    // answers there, Unsupported for a packet device or an ATA device
    // without LBA, NoMemory when the object cannot be allocated.
    static ErrorOr<AtaDisk*> probe(u32 position);

    StringView name() const override { return m_name; }
    u64 sector_count() const override { return m_sector_count; }
    // 256 sectors per READ/WRITE SECTORS command, 65536 per EXT command;
    // read()/write() issue as many commands as a call needs.
    u32 max_transfer_sectors() const override { return m_lba48 ? 65536 : 256; }
    ErrorOr<void> read(u64 first, u32 count, void* buffer) override;
    ErrorOr<void> write(u64 first, u32 count, const void* buffer) override;
    ErrorOr<void> flush() override;

    // "primary master" ... "secondary slave".
    const char* position_name() const;
    // The model string from IDENTIFY, trailing spaces removed.
    const char* model() const { return m_model; }
    bool uses_lba48() const { return m_lba48; }

private:
    AtaDisk(Channel& channel, u32 position)
        : m_channel(channel)
        , m_position(position)
    {
    }

    ErrorOr<void> identify();
    ErrorOr<void> transfer(u64 first, u32 count, u8* buffer, bool writing);
    // One command of at most max_transfer_sectors() sectors.
    ErrorOr<void> transfer_command(u64 first, u32 count, u8* buffer, bool writing);
    ErrorOr<void> select_and_wait_ready();
    void recover_channel();

    Channel& m_channel;
    u32 m_position;
    bool m_slave { false };
    bool m_lba48 { false };
    bool m_has_flush { false };
    bool m_has_flush_ext { false };
    u64 m_sector_count { 0 };
    char m_name[8] {};
    char m_model[41] {};
};

} // namespace drivers::ata
