// aio-demo [FILE]: computes the CRC-32 of FILE (default: a 2 MiB file it
// writes to the RAM disk first) while the kernel reads it, keeping 32 reads
// of 16 KiB in flight through an aio ring. The CRC needs the bytes in file
// order, so each chunk has its own buffer slot and is checksummed as soon
// as it and every chunk before it have arrived; completions may come in
// any order. At the end the result is compared with a plain read() pass,
// and the ring's statistics are printed.
#include <colibri/aio.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { CHUNK = 16 * 1024, DEPTH = 32, DEMO_SIZE = 2 * 1024 * 1024 };

static uint32_t s_crc_table[256];

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t value = i;
        for (int bit = 0; bit < 8; ++bit)
            value = value & 1 ? 0xEDB88320u ^ (value >> 1) : value >> 1;
        s_crc_table[i] = value;
    }
}

// The work the program does while reads are in flight.
static uint32_t crc_update(uint32_t crc, const uint8_t* bytes, size_t length)
{
    for (size_t i = 0; i < length; ++i)
        crc = s_crc_table[(crc ^ bytes[i]) & 0xFF] ^ (crc >> 8);
    return crc;
}

static const char* make_demo_file(void)
{
    static const char* path = "/tmp0/1/aio-demo.bin";
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC);
    if (fd < 0)
        return NULL;
    uint8_t* chunk = malloc(CHUNK);
    for (uint32_t offset = 0; offset < DEMO_SIZE; offset += CHUNK) {
        for (uint32_t i = 0; i < CHUNK; ++i)
            chunk[i] = (uint8_t)((offset + i) * 2654435761u >> 24);
        write(fd, chunk, CHUNK);
    }
    free(chunk);
    close(fd);
    return path;
}

struct Slot {
    int32_t result;   // bytes read; -1 while in flight
    uint32_t chunk;   // which chunk of the file it holds
};

int main(int argc, char** argv)
{
    crc_init();
    const char* path = argc > 1 ? argv[1] : make_demo_file();
    int fd = path ? open(path, O_RDONLY) : -1;
    struct stat info;
    if (fd < 0 || fstat(fd, &info) != 0) {
        printf("aio-demo: cannot open %s\n", path ? path : "the demo file");
        return 1;
    }
    uint32_t chunks = (uint32_t)((info.st_size + CHUNK - 1) / CHUNK);

    struct aio_ring ring;
    int error = aio_setup(&ring, DEPTH);
    if (error < 0) {
        printf("aio-demo: aio_setup failed (%d)\n", error);
        return 1;
    }
    uint8_t* buffers = malloc(DEPTH * CHUNK);
    struct Slot slots[DEPTH];

    uint64_t start = clock_ns();
    uint32_t next_to_read = 0, next_to_sum = 0;
    uint32_t crc = 0xFFFFFFFFu;
    while (next_to_sum < chunks) {
        // Keep DEPTH reads in flight: chunk n always uses slot n % DEPTH,
        // which is free once chunk n - DEPTH has been checksummed.
        while (next_to_read < chunks && next_to_read < next_to_sum + DEPTH) {
            struct AioSqe* sqe = aio_get_sqe(&ring);
            if (!sqe)
                break;
            uint32_t slot = next_to_read % DEPTH;
            slots[slot].result = -1;
            slots[slot].chunk = next_to_read;
            aio_prep_read(sqe, fd, buffers + slot * CHUNK, CHUNK, (uint64_t)next_to_read * CHUNK, slot);
            ++next_to_read;
        }
        aio_submit(&ring);
        // Checksum every chunk that is ready, in order; wait only when the
        // next one is not there yet.
        struct AioCqe* cqe;
        while ((cqe = aio_peek(&ring)) != NULL) {
            slots[cqe->user_data].result = cqe->result;
            aio_advance(&ring, 1);
        }
        struct Slot* slot = &slots[next_to_sum % DEPTH];
        if (slot->result < 0) {
            aio_wait(&ring, 1, AIO_WAIT_FOREVER);
            continue;
        }
        crc = crc_update(crc, buffers + (next_to_sum % DEPTH) * CHUNK, (size_t)slot->result);
        ++next_to_sum;
    }
    crc ^= 0xFFFFFFFFu;
    uint64_t aio_ns = clock_ns() - start;

    struct AioStats stats;
    aio_stats(&ring, &stats);
    aio_destroy(&ring);

    // The same with plain blocking reads, to check (and to compare).
    start = clock_ns();
    uint32_t plain = 0xFFFFFFFFu;
    ssize_t got;
    lseek(fd, 0, SEEK_SET);
    while ((got = read(fd, buffers, CHUNK)) > 0)
        plain = crc_update(plain, buffers, (size_t)got);
    plain ^= 0xFFFFFFFFu;
    uint64_t plain_ns = clock_ns() - start;
    close(fd);

    printf("aio-demo: %s: %u bytes, CRC-32 %08x (%s a plain read pass)\n", path, (unsigned)info.st_size,
        (unsigned)crc, crc == plain ? "matches" : "DIFFERS FROM");
    printf("aio-demo: %u ms with %d reads in flight, %u ms with blocking reads\n",
        (unsigned)(aio_ns / 1000000), DEPTH, (unsigned)(plain_ns / 1000000));
    printf("aio-demo: requests %u submitted, %u completed, %u failed, %u cancelled; %u bytes read\n",
        (unsigned)stats.submitted, (unsigned)stats.completed, (unsigned)stats.failed,
        (unsigned)stats.cancelled, (unsigned)stats.bytes_read);
    printf("aio-demo: time in flight: mean %u us, max %u us; CQ overflows %u\n",
        (unsigned)(stats.completed ? stats.total_ns / stats.completed / 1000 : 0),
        (unsigned)(stats.max_ns / 1000), stats.cq_overflow);
    if (argc <= 1)
        unlink(path);
    free(buffers);
    return crc == plain && stats.failed == 0 ? 0 : 1;
}
