#include "kernel/drivers/Disks.h"

#include "kernel/drivers/Ata.h"
#include "kernel/drivers/Pci.h"
#include "kernel/drivers/VirtioBlk.h"
#include "kernel/debug/Log.h"
#include "lib/Format.h"

namespace drivers {

namespace {

fs::BlockDevice* s_disks[max_disks];
u32 s_disk_count;

// lib::format has no precision for %s: names are copied out of their view.
struct Name {
    explicit Name(StringView view)
    {
        size_t const length = view.length() < sizeof(text) - 1 ? view.length() : sizeof(text) - 1;
        __builtin_memcpy(text, view.characters(), length);
        text[length] = 0;
    }
    char text[24];
};

// "131072 sectors (64 MiB)": MiB from 1 MiB up, KiB below.
void log_disk(fs::BlockDevice& device, const char* where)
{
    u64 const sectors = device.sector_count();
    u64 const bytes = device.size_in_bytes();
    bool const mebibytes = bytes >= 1024 * 1024;
    kernel::log_info("disk: hd%u = %s (%s), %llu sectors (%llu %s)%s", s_disk_count, Name(device.name()).text, where,
        sectors,
        mebibytes ? bytes / (1024 * 1024) : bytes / 1024, mebibytes ? "MiB" : "KiB",
        device.is_read_only() ? ", read-only" : "");
}

bool add_disk(fs::BlockDevice* device)
{
    if (s_disk_count == max_disks) {
        kernel::log_warning("disk: more than %u disks; %s is ignored", max_disks, Name(device->name()).text);
        return false;
    }
    s_disks[s_disk_count++] = device;
    return true;
}

void probe_ata()
{
    for (u32 position = 0; position < 4; ++position) {
        auto probed = ata::AtaDisk::probe(position);
        if (probed.is_error()) {
            // Absent and packet devices are normal; anything else is worth a line.
            ErrorCode const code = probed.error().code();
            if (code != ErrorCode::NotFound && code != ErrorCode::Unsupported)
                kernel::log_warning("disk: ATA position %u: %s (%s)", position, probed.error().name(),
                    probed.error().context() ? probed.error().context() : "");
            else
                kernel::log_debug("disk: ATA position %u skipped: %s", position,
                    probed.error().context() ? probed.error().context() : probed.error().name());
            continue;
        }
        ata::AtaDisk* disk = probed.value();
        char where[64];
        lib::format_to(where, sizeof(where), "%s, %s%s", disk->position_name(), disk->model(),
            disk->uses_lba48() ? ", LBA48" : "");
        log_disk(*disk, where);
        add_disk(disk);
    }
}

void probe_virtio()
{
    if (!pci::is_available())
        return;
    u32 index = 0;
    pci::for_each_device([&](const pci::Device& device) {
        if (device.vendor_id != virtio::pci_vendor || device.device_id != virtio::pci_device_block_legacy)
            return true;
        auto created = virtio::VirtioBlk::create(device, index);
        if (created.is_error()) {
            kernel::log_warning("disk: virtio-blk at PCI %02x:%02x.%u: %s (%s)", device.location.bus,
                device.location.device, device.location.function, created.error().name(),
                created.error().context() ? created.error().context() : "");
            return true;
        }
        ++index;
        virtio::VirtioBlk* disk = created.value();
        char where[64];
        lib::format_to(where, sizeof(where), "PCI %02x:%02x.%u, queue of %u", device.location.bus,
            device.location.device, device.location.function, disk->queue_size());
        log_disk(*disk, where);
        return add_disk(disk);
    });
}

} // namespace

void initialize_disks()
{
    probe_ata();
    probe_virtio();
    if (s_disk_count == 0)
        kernel::log_info("disk: no disks");
}

u32 disk_count() { return s_disk_count; }

fs::BlockDevice* disk(u32 index) { return index < s_disk_count ? s_disks[index] : nullptr; }

} // namespace drivers
