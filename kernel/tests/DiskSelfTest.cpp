#include "kernel/tests/DiskSelfTest.h"

#include "kernel/arch/i386/Clock.h"
#include "kernel/arch/i386/Layout.h"
#include "kernel/arch/i386/Paging.h"
#include "kernel/debug/Log.h"
#include "kernel/drivers/Disks.h"
#include "kernel/mm/KernelMemory.h"
#include "lib/Format.h"
#include "lib/Utility.h"

namespace kernel {

namespace {

using TestResult = const char*;

constexpr u64 host_first = 1;
constexpr u32 host_count = 300; // more than one LBA28 command moves
constexpr u64 guest_single = 2;
constexpr u64 guest_first = 1000;
constexpr u32 guest_count = 300;
constexpr u64 bounced_first = 1400;
constexpr u32 bounced_count = 300;
constexpr u64 sectors_needed = bounced_first + bounced_count + 1;

constexpr u32 buffer_sectors = 300;
// One spare byte: the buffers are used at an odd address, so no driver
// may rely on the caller's alignment beyond what it reports.
constexpr size_t buffer_bytes = buffer_sectors * 512 + 1;

struct Context {
    fs::BlockDevice& disk;
    u8* buffer; // buffer_bytes, at an odd address
    // The same memory mapped a second time outside the direct map (null if
    // that failed): a driver must not take its virtual address for a
    // physical one (virtio-blk bounces such buffers).
    u8* alias;
};

bool holds(const u8* data, u64 first, u32 count, u8 (*pattern)(u64, u32))
{
    for (u32 s = 0; s < count; ++s)
        for (u32 i = 0; i < 512; ++i)
            if (data[s * 512 + i] != pattern(first + s, i))
                return false;
    return true;
}

void fill(u8* data, u64 first, u32 count, u8 (*pattern)(u64, u32))
{
    for (u32 s = 0; s < count; ++s)
        for (u32 i = 0; i < 512; ++i)
            data[s * 512 + i] = pattern(first + s, i);
}

u8 host_pattern(u64 sector, u32 index) { return disktest_host_pattern(sector, index); }
u8 guest_pattern(u64 sector, u32 index) { return disktest_guest_pattern(sector, index); }

TestResult test_read_one(Context& c)
{
    if (c.disk.read(host_first, 1, c.buffer).is_error())
        return "reading sector 1 failed";
    if (!holds(c.buffer, host_first, 1, host_pattern))
        return "sector 1 does not hold the host's pattern";
    return nullptr;
}

TestResult test_read_many(Context& c)
{
    // Callers split by max_transfer_sectors(); so does this test.
    u32 const step = c.disk.max_transfer_sectors();
    for (u32 done = 0; done < host_count;) {
        u32 const count = lib::min(host_count - done, step);
        if (c.disk.read(host_first + done, count, c.buffer + done * 512).is_error())
            return "reading sectors 1-300 failed";
        done += count;
    }
    if (!holds(c.buffer, host_first, host_count, host_pattern))
        return "sectors 1-300 do not hold the host's pattern";
    return nullptr;
}

TestResult test_read_last(Context& c)
{
    u64 const last = c.disk.sector_count() - 1;
    if (c.disk.read(last, 1, c.buffer).is_error())
        return "reading the last sector failed";
    if (!holds(c.buffer, last, 1, host_pattern))
        return "the last sector does not hold the host's pattern";
    return nullptr;
}

TestResult test_read_past_end(Context& c)
{
    auto past = c.disk.read(c.disk.sector_count(), 1, c.buffer);
    if (!past.is_error() || past.error().code() != ErrorCode::OutOfRange)
        return "reading past the end was not refused with OutOfRange";
    auto straddling = c.disk.read(c.disk.sector_count() - 1, 2, c.buffer);
    if (!straddling.is_error() || straddling.error().code() != ErrorCode::OutOfRange)
        return "a read straddling the end was not refused with OutOfRange";
    return nullptr;
}

TestResult test_write_and_flush(Context& c)
{
    fill(c.buffer, guest_single, 1, guest_pattern);
    if (c.disk.write(guest_single, 1, c.buffer).is_error())
        return "writing sector 2 failed";
    fill(c.buffer, guest_first, guest_count, guest_pattern);
    u32 const step = c.disk.max_transfer_sectors();
    for (u32 done = 0; done < guest_count;) {
        u32 const count = lib::min(guest_count - done, step);
        if (c.disk.write(guest_first + done, count, c.buffer + done * 512).is_error())
            return "writing sectors 1000-1299 failed";
        done += count;
    }
    __builtin_memset(c.buffer, 0, buffer_sectors * 512);
    if (c.disk.read(guest_single, 1, c.buffer).is_error() || !holds(c.buffer, guest_single, 1, guest_pattern))
        return "sector 2 does not read back as written";
    __builtin_memset(c.buffer, 0, buffer_sectors * 512);
    for (u32 done = 0; done < guest_count;) {
        u32 const count = lib::min(guest_count - done, step);
        if (c.disk.read(guest_first + done, count, c.buffer + done * 512).is_error())
            return "reading sectors 1000-1299 back failed";
        done += count;
    }
    if (!holds(c.buffer, guest_first, guest_count, guest_pattern))
        return "sectors 1000-1299 do not read back as written";
    // The neighbours must be untouched.
    if (c.disk.read(guest_single + 1, 1, c.buffer).is_error() || !holds(c.buffer, guest_single + 1, 1, host_pattern))
        return "sector 3 changed";
    if (c.disk.flush().is_error())
        return "flush failed";
    return nullptr;
}

// Reads and writes through a (non-direct-mapped) alias of the buffer.
TestResult test_outside_direct_map(Context& c)
{
    if (!c.alias)
        return "cannot map the buffer outside the direct map";
    // Sectors 3-300: write_and_flush changed sector 2.
    u64 const first = guest_single + 1;
    u32 const total = host_count - 2;
    u32 const step = c.disk.max_transfer_sectors();
    __builtin_memset(c.buffer, 0, buffer_sectors * 512);
    for (u32 done = 0; done < total;) {
        u32 const count = lib::min(total - done, step);
        if (c.disk.read(first + done, count, c.alias + done * 512).is_error())
            return "reading sectors 3-300 into the alias failed";
        done += count;
    }
    if (!holds(c.buffer, first, total, host_pattern))
        return "sectors 3-300 read into the alias do not hold the host's pattern";
    fill(c.buffer, bounced_first, bounced_count, guest_pattern);
    for (u32 done = 0; done < bounced_count;) {
        u32 const count = lib::min(bounced_count - done, step);
        if (c.disk.write(bounced_first + done, count, c.alias + done * 512).is_error())
            return "writing sectors 1400-1699 from the alias failed";
        done += count;
    }
    __builtin_memset(c.buffer, 0, buffer_sectors * 512);
    for (u32 done = 0; done < bounced_count;) {
        u32 const count = lib::min(bounced_count - done, step);
        if (c.disk.read(bounced_first + done, count, c.buffer + done * 512).is_error())
            return "reading sectors 1400-1699 back failed";
        done += count;
    }
    if (!holds(c.buffer, bounced_first, bounced_count, guest_pattern))
        return "sectors 1400-1699 do not read back as written";
    if (c.disk.flush().is_error())
        return "flush failed";
    return nullptr;
}

struct TestCase {
    const char* name;
    TestResult (*run)(Context&);
};

constexpr TestCase s_cases[] = {
    { "read_one", test_read_one },
    { "read_many", test_read_many },
    { "read_last", test_read_last },
    { "read_past_end", test_read_past_end },
    { "write_and_flush", test_write_and_flush },
    { "outside_direct_map", test_outside_direct_map },
};

// Sequential reads of `mebibytes` from sector 0 (wrapping on a small disk),
// in requests as large as the driver takes, up to the buffer's size.
void measure_throughput(u32 index, fs::BlockDevice& disk, u8* buffer, u32 mebibytes, const char* name)
{
    u32 const step = lib::min(disk.max_transfer_sectors(), 256u); // 128 KiB, fits the buffer
    u64 const total = u64(mebibytes) * 2048;
    u64 sector = 0;
    u64 const start = arch::clock::monotonic_ns();
    for (u64 done = 0; done < total;) {
        u32 count = static_cast<u32>(lib::min<u64>(step, total - done));
        if (sector + count > disk.sector_count())
            sector = 0;
        if (disk.read(sector, count, buffer).is_error()) {
            console_print("disktest: hd%u (%s) throughput: read of sector %llu failed\n", index, name, sector);
            return;
        }
        sector += count;
        done += count;
    }
    u64 const elapsed_ns = lib::max<u64>(arch::clock::monotonic_ns() - start, 1);
    u64 const tenths = total * 512 * 10000 / elapsed_ns; // tenths of 10^6 bytes per second
    console_print("disktest: hd%u (%s) read %u MiB in %llu ms: %llu.%llu MB/s, %u sectors per request\n", index, name,
        mebibytes, elapsed_ns / 1000000, tenths / 10, tenths % 10, step);
}

u32 parse_mebibytes(StringView text)
{
    u32 value = 0;
    for (size_t i = 0; i < text.length(); ++i) {
        if (text[i] < '0' || text[i] > '9' || value > 100000)
            return 16;
        value = value * 10 + static_cast<u32>(text[i] - '0');
    }
    return value == 0 ? 16 : value;
}

} // namespace

unsigned run_disk_self_test(StringView argument)
{
    u32 const mebibytes = parse_mebibytes(argument);
    unsigned passed = 0;
    unsigned failed = 0;
    u8* allocation = static_cast<u8*>(kmalloc(buffer_bytes));
    if (!allocation) {
        console_print("disktest: FAIL setup: no memory for the buffer\n");
        return 1;
    }
    // Virtual space in the device window is never given back; one small
    // mapping for a boot-time test is acceptable.
    u8* alias = nullptr;
    if (auto mapped = arch::paging::map_device_memory(arch::virtual_to_physical(allocation), buffer_bytes);
        !mapped.is_error())
        alias = reinterpret_cast<u8*>(mapped.value());
    if (drivers::disk_count() == 0) {
        console_print("disktest: FAIL setup: no disks\n");
        ++failed;
    }
    for (u32 index = 0; index < drivers::disk_count(); ++index) {
        fs::BlockDevice& disk = *drivers::disk(index);
        char name[24];
        size_t const length = lib::min<size_t>(disk.name().length(), sizeof(name) - 1);
        __builtin_memcpy(name, disk.name().characters(), length);
        name[length] = 0;
        if (disk.sector_count() < sectors_needed) {
            console_print("disktest: FAIL hd%u setup: %s is too small for the test\n", index, name);
            ++failed;
            continue;
        }
        Context context { disk, allocation + 1, alias ? alias + 1 : nullptr };
        for (const auto& test : s_cases) {
            TestResult result = test.run(context);
            if (result) {
                console_print("disktest: FAIL hd%u %s: %s\n", index, test.name, result);
                ++failed;
            } else {
                console_print("disktest: PASS hd%u %s\n", index, test.name);
                ++passed;
            }
        }
        // Aligned, so the measurement shows the drivers' fast paths.
        measure_throughput(index, disk, allocation, mebibytes, name);
    }
    kfree(allocation);
    console_print("disktest: %u passed, %u failed\n", passed, failed);
    return failed;
}

} // namespace kernel
