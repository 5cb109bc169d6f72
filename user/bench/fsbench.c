// File-system benchmarks on a FAT disk (argv[1], default /hd0/1; tools/bench.py
// attaches a fresh mkfs.fat image on virtio-blk), timed inside the guest
// with clock_ns. Prints, like bench.c,
//     bench: <key>=<number with one decimal>
// and exits with 0 when every value was measured. MB means 2^20 bytes.
//  - fat_seq_write_mb_s: a 64 MiB file written from the start in 64 KiB
//    write() calls, then fsync; from open to the end of fsync;
//  - fat_seq_read_mb_s: the same file read back in 64 KiB read() calls.
//    Nothing of it is in the cache (the cache holds 2 MiB, and whole-block
//    transfers of this size bypass it), so every byte comes from the disk;
//  - fat_create_files_s: files per second for FILES files of 1 KiB created,
//    written and closed one after another in a new folder, with the sync()
//    that puts them on the disk at the end included.
// Every file is removed again afterwards (not timed), so runs repeat.
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    CHUNK = 64 * 1024,
    FILE_BYTES = 64 * 1024 * 1024,
    FILES = 1000,
    SMALL_FILE = 1024,
};

static unsigned char s_chunk[CHUNK] __attribute__((aligned(4096)));
static int s_failures;

static void report_rate(const char* key, uint64_t amount, uint64_t unit, uint64_t nanoseconds)
{
    if (nanoseconds == 0) {
        printf("bench: %s not measured\n", key);
        ++s_failures;
        return;
    }
    // Tenths of (amount / unit) per second.
    uint64_t tenths = amount * 10ull * 1000000ull / unit * 1000ull / nanoseconds;
    printf("bench: %s=%llu.%llu\n", key, (unsigned long long)(tenths / 10), (unsigned long long)(tenths % 10));
}

static void fail(const char* key, const char* what)
{
    printf("bench: %s not measured: %s (errno %d)\n", key, what, errno);
    ++s_failures;
}

// The chunk at `index` carries its index in every 32-bit word, so the read
// side can tell a misplaced chunk from a right one.
static void fill_chunk(uint32_t index)
{
    uint32_t* words = (uint32_t*)s_chunk;
    for (size_t i = 0; i < CHUNK / 4; ++i)
        words[i] = index * 0x9E3779B9u + (uint32_t)i;
}

static int chunk_matches(uint32_t index)
{
    const uint32_t* words = (const uint32_t*)s_chunk;
    for (size_t i = 0; i < CHUNK / 4; i += 509)
        if (words[i] != index * 0x9E3779B9u + (uint32_t)i)
            return 0;
    return 1;
}

static void bench_sequential(const char* base)
{
    char path[200];
    snprintf(path, sizeof(path), "%s/fsbench.bin", base);
    unlink(path);
    uint64_t start = clock_ns();
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC);
    if (fd < 0) {
        fail("fat_seq_write_mb_s", "open");
        fail("fat_seq_read_mb_s", "no file");
        return;
    }
    uint64_t fill_ns = 0;
    for (uint32_t index = 0; index < FILE_BYTES / CHUNK; ++index) {
        // The pattern is made outside the timed part.
        uint64_t fill_start = clock_ns();
        fill_chunk(index);
        fill_ns += clock_ns() - fill_start;
        if (write(fd, s_chunk, CHUNK) != CHUNK) {
            fail("fat_seq_write_mb_s", "write");
            close(fd);
            unlink(path);
            return;
        }
    }
    if (fsync(fd) != 0) {
        fail("fat_seq_write_mb_s", "fsync");
        close(fd);
        unlink(path);
        return;
    }
    close(fd);
    report_rate("fat_seq_write_mb_s", FILE_BYTES, 1024 * 1024, clock_ns() - start - fill_ns);

    start = clock_ns();
    fd = open(path, O_RDONLY);
    if (fd < 0) {
        fail("fat_seq_read_mb_s", "open");
        unlink(path);
        return;
    }
    uint64_t check_ns = 0;
    int good = 1;
    for (uint32_t index = 0; index < FILE_BYTES / CHUNK; ++index) {
        if (read(fd, s_chunk, CHUNK) != CHUNK) {
            good = 0;
            break;
        }
        uint64_t check_start = clock_ns();
        good &= chunk_matches(index);
        check_ns += clock_ns() - check_start;
    }
    uint64_t elapsed = clock_ns() - start - check_ns;
    close(fd);
    if (good)
        report_rate("fat_seq_read_mb_s", FILE_BYTES, 1024 * 1024, elapsed);
    else
        fail("fat_seq_read_mb_s", "short read or wrong data");
    unlink(path);
}

static void bench_create_files(const char* base)
{
    char folder[200], path[240];
    snprintf(folder, sizeof(folder), "%s/fsbench files", base);
    if (mkdir(folder, 0) != 0) {
        fail("fat_create_files_s", "mkdir");
        return;
    }
    memset(s_chunk, 'x', SMALL_FILE);
    sync(); // the folder is on the disk before the clock starts
    uint64_t start = clock_ns();
    int created = 0;
    for (; created < FILES; ++created) {
        snprintf(path, sizeof(path), "%s/file %04d.txt", folder, created);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL);
        if (fd < 0)
            break;
        ssize_t written = write(fd, s_chunk, SMALL_FILE);
        close(fd);
        if (written != SMALL_FILE)
            break;
    }
    sync();
    uint64_t elapsed = clock_ns() - start;
    if (created == FILES)
        report_rate("fat_create_files_s", FILES, 1, elapsed);
    else
        fail("fat_create_files_s", "create or write");
    for (int i = 0; i < created + 1 && i < FILES; ++i) {
        snprintf(path, sizeof(path), "%s/file %04d.txt", folder, i);
        unlink(path);
    }
    rmdir(folder);
    sync();
}

int main(int argc, char** argv)
{
    const char* base = argc > 1 ? argv[1] : "/hd0/1";
    struct stat info;
    if (stat(base, &info) != 0) {
        printf("bench: fsbench: no disk at %s (errno %d)\n", base, errno);
        return 1;
    }
    bench_sequential(base);
    bench_create_files(base);
    return s_failures ? 1 : 0;
}
