// The guest half of tests/vm/test_powercut.py: writes a few files under the
// folder given as argv[1] (a FAT disk, "/hd0/1"), fsyncs each, prints
//     powercut: synced <path> <size> <crc32 in hex>
// per file and then "powercut: SYNCED", and from then on changes the disk
// as fast as it can without ever syncing: new files in a folder of its own
// and next to the synced ones, appends, renames, deletes, a few larger
// files. The host cuts the power (SIGKILL of QEMU) at some moment of that
// and checks that the file system is clean and the synced files are intact.
// If nobody cuts the power, it stops after RUN_SECONDS and exits with 0.
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    SYNCED_FILES = 4,
    RUN_SECONDS = 60,
    SLOTS = 48,           // files the heavy phase keeps alive at once
    BIG_CHUNK = 64 * 1024,
};

static uint32_t s_random;

static uint32_t next_random(void)
{
    // xorshift32: different runs write different data and sizes.
    s_random ^= s_random << 13;
    s_random ^= s_random >> 17;
    s_random ^= s_random << 5;
    return s_random;
}

// CRC-32 (IEEE 802.3, reflected, as zlib's crc32), bit by bit: the files
// are small and this runs once per file.
static uint32_t crc32(const unsigned char* data, size_t length)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < length; ++i) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

static void fill_random(unsigned char* buffer, size_t length)
{
    for (size_t i = 0; i < length; ++i)
        buffer[i] = (unsigned char)(next_random() >> 24);
}

static int write_all(int fd, const unsigned char* data, size_t length)
{
    while (length) {
        ssize_t written = write(fd, data, length);
        if (written <= 0)
            return -1;
        data += written;
        length -= (size_t)written;
    }
    return 0;
}

static unsigned char s_buffer[BIG_CHUNK];

// One file written in pieces of odd sizes, fsynced and closed.
static int write_synced(const char* path, size_t size)
{
    unsigned char* data = malloc(size ? size : 1);
    if (!data)
        return -1;
    fill_random(data, size);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC);
    if (fd < 0) {
        printf("powercut: cannot create %s (errno %d)\n", path, errno);
        free(data);
        return -1;
    }
    size_t done = 0;
    int result = 0;
    while (done < size && result == 0) {
        size_t piece = size - done < 5000 ? size - done : 5000 + next_random() % 30000;
        if (piece > size - done)
            piece = size - done;
        result = write_all(fd, data + done, piece);
        done += piece;
    }
    if (result == 0 && fsync(fd) != 0)
        result = -1;
    close(fd);
    if (result != 0) {
        printf("powercut: writing %s failed (errno %d)\n", path, errno);
    } else {
        printf("powercut: synced %s %u %08x\n", path, (unsigned)size, (unsigned)crc32(data, size));
    }
    free(data);
    return result;
}

static char s_slot_names[SLOTS][160];

// One step of the heavy phase on slot `slot`: create, append, rename or
// delete. Errors (a full disk) are fine: the next steps delete files.
static void heavy_step(const char* base, unsigned step)
{
    unsigned slot = next_random() % SLOTS;
    char* name = s_slot_names[slot];
    unsigned action = next_random() % 10;
    if (name[0] == '\0' || action < 3) {
        // A new file (replacing the slot's), in the heavy folder or beside
        // the synced files; now and then a big one.
        if (name[0])
            unlink(name);
        snprintf(name, sizeof(s_slot_names[0]), "%s%s/file %u.dat", base, (step & 3) == 0 ? "" : "/heavy", step);
        int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC);
        if (fd < 0) {
            name[0] = '\0';
            return;
        }
        unsigned size = (step % 16 == 0) ? 4 * BIG_CHUNK + next_random() % BIG_CHUNK : next_random() % 6000;
        while (size) {
            unsigned piece = size < BIG_CHUNK ? size : BIG_CHUNK;
            fill_random(s_buffer, 64);
            if (write(fd, s_buffer, piece) <= 0)
                break;
            size -= piece;
        }
        close(fd);
    } else if (action < 7) {
        int fd = open(name, O_WRONLY | O_APPEND);
        if (fd < 0)
            return;
        fill_random(s_buffer, 64);
        (void)write(fd, s_buffer, 1 + next_random() % 3000);
        close(fd);
    } else if (action < 9) {
        char renamed[160];
        snprintf(renamed, sizeof(renamed), "%s/heavy/renamed %u.dat", base, step);
        if (rename(name, renamed) == 0)
            strcpy(name, renamed);
    } else {
        unlink(name);
        name[0] = '\0';
    }
}

int main(int argc, char** argv)
{
    const char* base = argc > 1 ? argv[1] : "/hd0/1";
    s_random = (uint32_t)clock_ns() | 1;
    printf("powercut: seed %08x\n", (unsigned)s_random);

    char path[160];
    snprintf(path, sizeof(path), "%s/keep", base);
    if (mkdir(path, 0) != 0 && errno != EEXIST) {
        printf("powercut: mkdir %s failed (errno %d)\n", path, errno);
        return 1;
    }
    // Sizes: under a block, several blocks (partly written back through the
    // cache), odd, and large enough for direct transfers.
    static const size_t sizes[SYNCED_FILES] = { 700, 9000, 70001, 300000 };
    for (int i = 0; i < SYNCED_FILES; ++i) {
        snprintf(path, sizeof(path), "%s%s/synced %d.bin", base, i % 2 ? "/keep" : "", i);
        if (write_synced(path, sizes[i]) != 0)
            return 1;
    }
    snprintf(path, sizeof(path), "%s/heavy", base);
    if (mkdir(path, 0) != 0 && errno != EEXIST) {
        printf("powercut: mkdir %s failed (errno %d)\n", path, errno);
        return 1;
    }
    // The folder must exist on the disk too before the power may go: the
    // host only requires the synced files, but fsck must not see a half
    // made folder from before SYNCED.
    sync();
    printf("powercut: SYNCED\n");
    fflush(stdout);

    uint64_t end = clock_ns() + (uint64_t)RUN_SECONDS * 1000000000ull;
    unsigned step = 0;
    while (clock_ns() < end)
        heavy_step(base, step++);
    printf("powercut: %u steps, nobody cut the power\n", step);
    return 0;
}
