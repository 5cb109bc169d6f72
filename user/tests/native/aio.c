// Asynchronous I/O rings (<colibri/aio.h>, docs/aio.md) on the RAM disk
// /tmp0/1: 256 requests in flight with mixed reads and writes checked
// against the expected data, readv/writev, fsync, closing a descriptor
// while its requests are in flight, bad descriptors and pointers, hostile
// ring indices, cancellation, timeouts, direct I/O alignment, CQ overflow
// and EBUSY, statistics against what was done, aio_destroy with requests
// in flight, and processes that exit, are killed or exec with requests in
// flight (no frames or kernel heap lost over many of them).
#include <colibri/aio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

enum { BLOCK = 4096, BLOCKS = 256, FILE_SIZE = BLOCKS * BLOCK, BIG = 1024 * 1024, EXIT_CYCLES = 27 };

static const char* s_file = "/tmp0/1/aio.bin";
static const char* s_big_file = "/tmp0/1/aio_big.bin";

// What this program expects the kernel's statistics of the main ring to say.
static struct {
    uint64_t submitted, completed, failed, cancelled, bytes_read, bytes_written;
} s_expected;

// user_data: operation in the top byte, so reaping can account for bytes.
enum { KIND_READ = 1, KIND_WRITE = 2, KIND_OTHER = 3 };
static uint64_t tag(int kind, uint32_t index) { return (uint64_t)kind << 56 | index; }

static uint8_t pattern_a(uint32_t position) { return (uint8_t)(position * 7 + (position >> 12) * 13); }
static uint8_t pattern_b(uint32_t position) { return (uint8_t)(position * 5 + 0x5A + (position >> 12)); }

// Reaps `count` completions (waiting up to 10 s), storing each result at
// results[index] when results is given; accounts them in s_expected.
// Returns how many arrived.
static int reap(struct aio_ring* ring, int count, int32_t* results, uint32_t capacity)
{
    int got = 0;
    while (got < count) {
        if (aio_ready(ring) == 0 && aio_wait(ring, 1, 10000) < 0)
            break;
        struct AioCqe* cqe;
        while (got < count && (cqe = aio_peek(ring)) != NULL) {
            int kind = (int)(cqe->user_data >> 56);
            uint32_t index = (uint32_t)cqe->user_data;
            if (results && index < capacity)
                results[index] = cqe->result;
            ++s_expected.completed;
            if (cqe->result == -ECANCELED)
                ++s_expected.cancelled;
            else if (cqe->result < 0)
                ++s_expected.failed;
            else if (kind == KIND_READ)
                s_expected.bytes_read += (uint64_t)cqe->result;
            else if (kind == KIND_WRITE)
                s_expected.bytes_written += (uint64_t)cqe->result;
            aio_advance(ring, 1);
            ++got;
        }
    }
    return got;
}

static int submit(struct aio_ring* ring)
{
    int submitted = aio_submit(ring);
    if (submitted > 0)
        s_expected.submitted += (uint64_t)submitted;
    return submitted;
}

// One request alone: its completion's result.
static int32_t one(struct aio_ring* ring, struct AioSqe* sqe)
{
    (void)sqe;
    int32_t result = 0x7FFFFFFF;
    if (submit(ring) != 1)
        return 0x7FFFFFFF;
    struct AioCqe* cqe;
    if (aio_wait(ring, 1, 10000) < 0 || (cqe = aio_peek(ring)) == NULL)
        return 0x7FFFFFFE;
    result = cqe->result;
    ++s_expected.completed;
    if (result == -ECANCELED)
        ++s_expected.cancelled;
    else if (result < 0)
        ++s_expected.failed;
    else if ((cqe->user_data >> 56) == KIND_READ)
        s_expected.bytes_read += (uint64_t)result;
    else if ((cqe->user_data >> 56) == KIND_WRITE)
        s_expected.bytes_written += (uint64_t)result;
    aio_advance(ring, 1);
    return result;
}

static void test_setup_errors(void)
{
    struct aio_ring ring;
    check(aio_setup(&ring, 3) == -EINVAL, "setup-not-power-of-two", "accepted 3 entries");
    check(aio_setup(&ring, 2048) == -EINVAL, "setup-too-many", "accepted 2048 entries");
    check(aio_setup(&ring, 0) == -EINVAL, "setup-zero", "accepted 0 entries");
    check(sys_aio_setup(4, (struct AioSetup*)0xC0001000) == -EFAULT, "setup-bad-out", "kernel pointer accepted");
    check(sys_aio_enter(12345, 0, 0, 0) == -EBADF, "enter-bad-context", "unknown context accepted");
}

static int create_file(void)
{
    int fd = open(s_file, O_RDWR | O_CREAT | O_TRUNC);
    if (fd < 0)
        return -1;
    uint8_t* block = malloc(BLOCK);
    for (uint32_t b = 0; b < BLOCKS; ++b) {
        for (uint32_t i = 0; i < BLOCK; ++i)
            block[i] = pattern_a(b * BLOCK + i);
        if (write(fd, block, BLOCK) != BLOCK) {
            free(block);
            close(fd);
            return -1;
        }
    }
    free(block);
    return fd;
}

// 256 requests at once: even blocks are read (and must hold pattern A),
// odd blocks are overwritten with pattern B; then the whole file is checked.
static void test_many_in_flight(struct aio_ring* ring, int fd)
{
    uint8_t* buffers = malloc(BLOCKS * BLOCK);
    int32_t results[BLOCKS];
    for (uint32_t b = 0; b < BLOCKS; ++b) {
        results[b] = 0x7FFFFFFF;
        struct AioSqe* sqe = aio_get_sqe(ring);
        if (!sqe) {
            check(0, "get-256-sqes", "no SQE for request %u", b);
            free(buffers);
            return;
        }
        uint8_t* buffer = buffers + b * BLOCK;
        if (b % 2 == 0) {
            memset(buffer, 0xEE, BLOCK);
            aio_prep_read(sqe, fd, buffer, BLOCK, (uint64_t)b * BLOCK, tag(KIND_READ, b));
        } else {
            for (uint32_t i = 0; i < BLOCK; ++i)
                buffer[i] = pattern_b(b * BLOCK + i);
            aio_prep_write(sqe, fd, buffer, BLOCK, (uint64_t)b * BLOCK, tag(KIND_WRITE, b));
        }
    }
    check(aio_get_sqe(ring) == NULL, "sq-full", "a 257th SQE was handed out");
    int submitted = submit(ring);
    check(submitted == BLOCKS, "submit-256", "submitted %d", submitted);
    struct AioStats stats;
    if (aio_stats(ring, &stats) == 0)
        printf("aio: %u requests in flight right after submitting\n", stats.in_flight);
    int got = reap(ring, BLOCKS, results, BLOCKS);
    check(got == BLOCKS, "complete-256", "%d completions", got);
    int bad_results = 0, bad_reads = 0;
    for (uint32_t b = 0; b < BLOCKS; ++b) {
        if (results[b] != BLOCK)
            ++bad_results;
        if (b % 2 == 0) {
            for (uint32_t i = 0; i < BLOCK; ++i) {
                if (buffers[b * BLOCK + i] != pattern_a(b * BLOCK + i)) {
                    ++bad_reads;
                    break;
                }
            }
        }
    }
    check(bad_results == 0, "results-256", "%d requests did not move 4096 bytes (e.g. %d)", bad_results, results[1]);
    check(bad_reads == 0, "reads-256", "%d blocks read wrong data", bad_reads);
    int bad_blocks = 0;
    uint8_t* back = malloc(BLOCK);
    for (uint32_t b = 0; b < BLOCKS; ++b) {
        if (pread(fd, back, BLOCK, (off_t)b * BLOCK) != BLOCK) {
            ++bad_blocks;
            continue;
        }
        for (uint32_t i = 0; i < BLOCK; ++i) {
            uint32_t position = b * BLOCK + i;
            if (back[i] != (b % 2 ? pattern_b(position) : pattern_a(position))) {
                ++bad_blocks;
                break;
            }
        }
    }
    check(bad_blocks == 0, "file-after-256", "%d blocks of the file hold wrong data", bad_blocks);
    free(back);
    free(buffers);
}

static void test_vectors_and_sync(struct aio_ring* ring, int fd)
{
    char a[5] = "Hello", b[1] = { ',' }, c[7] = " rings!";
    struct IoVec out[3] = { { a, 5 }, { b, 1 }, { c, 7 } };
    struct AioSqe* sqe = aio_get_sqe(ring);
    aio_prep_writev(sqe, fd, out, 3, 100000, tag(KIND_WRITE, 0));
    check(one(ring, sqe) == 13, "writev", "did not write 13 bytes");
    char x[8] = { 0 }, y[5] = { 0 };
    struct IoVec in[2] = { { x, 8 }, { y, 5 } };
    sqe = aio_get_sqe(ring);
    aio_prep_readv(sqe, fd, in, 2, 100000, tag(KIND_READ, 0));
    int32_t result = one(ring, sqe);
    check(result == 13 && memcmp(x, "Hello, r", 8) == 0 && memcmp(y, "ings!", 5) == 0, "readv", "result %d",
        (int)result);
    sqe = aio_get_sqe(ring);
    aio_prep_fsync(sqe, fd, tag(KIND_OTHER, 0));
    check(one(ring, sqe) == 0, "fsync", "fsync failed");
    sqe = aio_get_sqe(ring);
    aio_prep_fsync(sqe, fd, tag(KIND_OTHER, 0));
    sqe->opcode = AIO_OP_FDATASYNC;
    check(one(ring, sqe) == 0, "fdatasync", "fdatasync failed");
    sqe = aio_get_sqe(ring);
    aio_prep_nop(sqe, tag(KIND_OTHER, 0));
    check(one(ring, sqe) == 0, "nop", "nop failed");
    struct IoVec too_many[AIO_MAX_IOVECS + 1];
    memset(too_many, 0, sizeof(too_many));
    sqe = aio_get_sqe(ring);
    aio_prep_readv(sqe, fd, too_many, AIO_MAX_IOVECS + 1, 0, tag(KIND_READ, 0));
    check(one(ring, sqe) == -EINVAL, "readv-too-many", "65 vectors accepted");
    sqe = aio_get_sqe(ring);
    aio_prep_readv(sqe, fd, (const struct IoVec*)0x10, 2, 0, tag(KIND_READ, 0));
    check(one(ring, sqe) == -EFAULT, "readv-bad-vector", "an unmapped vector accepted");
}

static void test_bad_requests(struct aio_ring* ring, int fd)
{
    char buffer[64];
    struct AioSqe* sqe = aio_get_sqe(ring);
    aio_prep_read(sqe, 13, buffer, sizeof(buffer), 0, tag(KIND_READ, 0));
    check(one(ring, sqe) == -EBADF, "bad-fd", "fd 13 accepted");
    sqe = aio_get_sqe(ring);
    aio_prep_read(sqe, -5, buffer, sizeof(buffer), 0, tag(KIND_READ, 0));
    check(one(ring, sqe) == -EBADF, "negative-fd", "fd -5 accepted");
    sqe = aio_get_sqe(ring);
    aio_prep_read(sqe, fd, (void*)0xC0000000, 64, 0, tag(KIND_READ, 0));
    check(one(ring, sqe) == -EFAULT, "kernel-buffer", "a kernel address accepted");
    sqe = aio_get_sqe(ring);
    aio_prep_read(sqe, fd, buffer, 64, 0, tag(KIND_READ, 0));
    sqe->address = 0x100000000ull;
    check(one(ring, sqe) == -EFAULT, "64-bit-buffer", "an address above 4 GiB accepted");
    // Mapped when submitted, gone when the worker copies: EFAULT from the
    // worker, nothing else happens.
    char* page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(page, 4096);
    sqe = aio_get_sqe(ring);
    aio_prep_read(sqe, fd, page, 4096, 0, tag(KIND_READ, 0));
    check(one(ring, sqe) == -EFAULT, "unmapped-read-buffer", "reading into an unmapped page");
    sqe = aio_get_sqe(ring);
    aio_prep_write(sqe, fd, page, 4096, 0, tag(KIND_WRITE, 0));
    check(one(ring, sqe) == -EFAULT, "unmapped-write-buffer", "writing from an unmapped page");
    sqe = aio_get_sqe(ring);
    aio_prep_read(sqe, fd, buffer, 64, 0, tag(KIND_READ, 0));
    sqe->opcode = 99;
    check(one(ring, sqe) == -EINVAL, "bad-opcode", "opcode 99 accepted");
    sqe = aio_get_sqe(ring);
    aio_prep_read(sqe, fd, buffer, 64, 0, tag(KIND_READ, 0));
    sqe->reserved2[1] = 1;
    check(one(ring, sqe) == -EINVAL, "reserved-field", "a non-zero reserved field accepted");
    sqe = aio_get_sqe(ring);
    aio_prep_read(sqe, fd, buffer, 64, 0, tag(KIND_READ, 0));
    check(one(ring, sqe) == 64 && buffer[10] == (char)pattern_a(10), "read-after-faults", "the ring broke");
    int read_only = open(s_file, O_RDONLY);
    sqe = aio_get_sqe(ring);
    aio_prep_write(sqe, read_only, buffer, 64, 0, tag(KIND_WRITE, 0));
    check(one(ring, sqe) == -EBADF, "write-read-only", "a write through an O_RDONLY descriptor");
    close(read_only);

    // The kernel copes with a program that scribbles over the indices.
    uint32_t saved = ring->header->sq_tail;
    ring->header->sq_tail = ring->header->sq_head + 100000;
    long entered = sys_aio_enter(ring->context, 1, 0, 0);
    check(entered == -EINVAL, "hostile-sq-tail", "aio_enter said %ld", entered);
    ring->header->sq_tail = saved;
    uint32_t saved_head = ring->header->cq_head;
    ring->header->cq_head = saved_head + 5000; // "more read than was ever written"
    sqe = aio_get_sqe(ring);
    aio_prep_nop(sqe, tag(KIND_OTHER, 1));
    check(submit(ring) == 1, "hostile-cq-head-submit", "a NOP was refused");
    check(ring->header->cq_tail == saved_head, "hostile-cq-head-full", "posted into a ring it thinks is full");
    ring->header->cq_head = saved_head;
    check(reap(ring, 1, NULL, 0) == 1, "hostile-cq-head-recovers", "the NOP never arrived");
}

// Closing the descriptor does not disturb requests already submitted.
static void test_close_in_flight(struct aio_ring* ring)
{
    int fd = open(s_file, O_RDONLY);
    uint8_t* buffers = malloc(8 * BLOCK);
    int32_t results[8];
    for (uint32_t i = 0; i < 8; ++i) {
        results[i] = 0x7FFFFFFF;
        aio_prep_read(aio_get_sqe(ring), fd, buffers + i * BLOCK, BLOCK, (uint64_t)i * 2 * BLOCK, tag(KIND_READ, i));
    }
    check(submit(ring) == 8, "close-submit", "submit failed");
    check(close(fd) == 0, "close-while-in-flight", "close failed");
    check(reap(ring, 8, results, 8) == 8, "close-complete", "completions missing");
    int bad = 0;
    for (uint32_t i = 0; i < 8; ++i)
        bad += results[i] != BLOCK || buffers[i * BLOCK + 7] != pattern_a(i * 2 * BLOCK + 7);
    check(bad == 0, "close-data", "%d reads failed after close", bad);
    free(buffers);
}

// A long write first, so that the reads behind it are still queued.
static void test_cancel(struct aio_ring* ring, int fd)
{
    int big = open(s_big_file, O_RDWR | O_CREAT | O_TRUNC);
    uint8_t* data = malloc(BIG);
    memset(data, 0x42, BIG);
    uint8_t* buffers = malloc(16 * BLOCK);
    aio_prep_write(aio_get_sqe(ring), big, data, BIG, 0, tag(KIND_WRITE, 100));
    for (uint32_t i = 0; i < 16; ++i)
        aio_prep_read(aio_get_sqe(ring), fd, buffers + i * BLOCK, BLOCK, (uint64_t)i * BLOCK, tag(KIND_READ, i));
    check(submit(ring) == 17, "cancel-submit", "submit failed");
    int answers[16];
    int cancelled = 0;
    for (int i = 15; i >= 0; --i) {
        answers[i] = aio_cancel(ring, tag(KIND_READ, (uint32_t)i));
        cancelled += answers[i] == 0;
    }
    int32_t results[101];
    for (int i = 0; i < 101; ++i)
        results[i] = 0x7FFFFFFF;
    check(reap(ring, 17, results, 101) == 17, "cancel-complete", "completions missing");
    int consistent = 1;
    for (int i = 0; i < 16; ++i) {
        if (answers[i] == 0 && results[i] != -ECANCELED)
            consistent = 0;
        if (answers[i] != 0 && (answers[i] != -EBUSY && answers[i] != -ENOENT))
            consistent = 0;
        if (answers[i] != 0 && results[i] != BLOCK)
            consistent = 0;
    }
    check(cancelled > 0, "cancel-queued", "none of 16 queued reads could be cancelled");
    check(consistent, "cancel-results", "a cancel answer does not match its completion");
    check(results[100] == BIG, "cancel-big-write", "the write in front moved %d bytes", (int)results[100]);
    check(aio_cancel(ring, tag(KIND_READ, 12345)) == -ENOENT, "cancel-unknown", "unknown request");
    check(aio_cancel(ring, tag(KIND_READ, 0)) == -ENOENT, "cancel-finished", "a finished request");
    printf("aio: cancelled %d of 16 queued reads\n", cancelled);
    close(big);
    unlink(s_big_file);
    free(data);
    free(buffers);
}

static void test_timeout(struct aio_ring* ring)
{
    uint64_t before = clock_ns();
    int waited = aio_wait(ring, 1, 100);
    uint64_t elapsed_ms = (clock_ns() - before) / 1000000;
    check(waited == -ETIMEDOUT, "timeout", "aio_wait said %d", waited);
    check(elapsed_ms >= 90 && elapsed_ms < 2000, "timeout-duration", "waited %u ms for 100",
        (unsigned)elapsed_ms);
    check(aio_wait(ring, 1, 0) == -ETIMEDOUT, "timeout-zero", "a poll with nothing ready");
    check(aio_wait(ring, 100000, 0) == -EINVAL, "wait-more-than-cq", "waiting for more than the CQ holds");
}

static void test_direct(struct aio_ring* ring)
{
    int fd = open(s_file, O_RDWR);
    struct stat info;
    check(fd >= 0 && fstat(fd, &info) == 0 && info.st_blksize >= 512, "direct-alignment", "no alignment");
    uint32_t align = info.st_blksize;
    uint8_t* raw = malloc(4 * BLOCK);
    uint8_t* aligned = (uint8_t*)(((uintptr_t)raw + BLOCK - 1) & ~(uintptr_t)(BLOCK - 1));
    struct AioSqe* sqe = aio_get_sqe(ring);
    aio_prep_read(sqe, fd, aligned + 1, align, 0, tag(KIND_READ, 0));
    sqe->flags = AIO_SQE_DIRECT;
    check(one(ring, sqe) == -EINVAL, "direct-misaligned-buffer", "accepted");
    sqe = aio_get_sqe(ring);
    aio_prep_read(sqe, fd, aligned, align, 3, tag(KIND_READ, 0));
    sqe->flags = AIO_SQE_DIRECT;
    check(one(ring, sqe) == -EINVAL, "direct-misaligned-offset", "accepted");
    sqe = aio_get_sqe(ring);
    aio_prep_read(sqe, fd, aligned, align + 100, 0, tag(KIND_READ, 0));
    sqe->flags = AIO_SQE_DIRECT;
    check(one(ring, sqe) == -EINVAL, "direct-misaligned-length", "accepted");
    sqe = aio_get_sqe(ring);
    aio_prep_read(sqe, fd, aligned, 2 * align, 2 * align, tag(KIND_READ, 0));
    sqe->flags = AIO_SQE_DIRECT;
    int32_t result = one(ring, sqe);
    int same = result == (int32_t)(2 * align);
    for (uint32_t i = 0; same && i < 2 * align; ++i)
        same = aligned[i] == pattern_a(2 * align + i);
    check(same, "direct-read", "result %d", (int)result);
    close(fd);
    // An O_DIRECT descriptor makes every request direct.
    fd = open(s_file, O_RDONLY | O_DIRECT);
    sqe = aio_get_sqe(ring);
    aio_prep_read(sqe, fd, aligned + 8, align, 0, tag(KIND_READ, 0));
    check(one(ring, sqe) == -EINVAL, "o-direct-descriptor", "a misaligned read through O_DIRECT");
    close(fd);
    free(raw);
}

static void test_overflow(void)
{
    struct aio_ring ring;
    if (!check(aio_setup(&ring, 4) == 0, "overflow-setup", "setup failed"))
        return;
    check(ring.cq_entries == 8, "cq-twice-sq", "CQ has %u entries", ring.cq_entries);
    // 12 NOPs without reaping: 8 fit, 4 wait in the kernel.
    int submitted = 0;
    for (int batch = 0; batch < 3; ++batch) {
        for (int i = 0; i < 4; ++i)
            aio_prep_nop(aio_get_sqe(&ring), (uint64_t)(batch * 4 + i));
        submitted += aio_submit(&ring);
    }
    check(submitted == 12, "overflow-submit", "submitted %d", submitted);
    check(aio_ready(&ring) == 8, "overflow-cq-full", "%u ready", aio_ready(&ring));
    check(aio_overflow(&ring) == 4 && (ring.header->flags & AIO_RING_CQ_BACKLOG), "overflow-counted",
        "overflow %u flags %u", aio_overflow(&ring), ring.header->flags);
    // Four more fill every slot; then nothing can be submitted.
    for (int i = 0; i < 4; ++i)
        aio_prep_nop(aio_get_sqe(&ring), (uint64_t)(12 + i));
    check(aio_submit(&ring) == 4, "overflow-fill-slots", "could not fill the slots");
    aio_prep_nop(aio_get_sqe(&ring), 16);
    check(aio_submit(&ring) == -EBUSY, "overflow-busy", "submitted with every slot taken");
    // Reaping brings them all, in order.
    uint64_t expect = 0;
    int in_order = 1;
    for (int round = 0; round < 4 && expect < 17; ++round) {
        aio_submit_and_wait(&ring, 1, 1000);
        struct AioCqe* cqe;
        while ((cqe = aio_peek(&ring)) != NULL) {
            in_order &= cqe->user_data == expect && cqe->result == 0;
            ++expect;
            aio_advance(&ring, 1);
        }
    }
    check(expect == 17 && in_order, "overflow-drained", "got %u completions, in order: %d", (unsigned)expect,
        in_order);
    check(!(ring.header->flags & AIO_RING_CQ_BACKLOG), "overflow-flag-cleared", "flag still set");
    struct AioStats stats;
    check(aio_stats(&ring, &stats) == 0 && stats.cq_overflow == aio_overflow(&ring) && stats.submitted == 17
            && stats.completed == 17,
        "overflow-stats", "overflow %u submitted %u", stats.cq_overflow, (unsigned)stats.submitted);
    check(aio_destroy(&ring) == 0, "overflow-destroy", "destroy failed");
}

static void test_statistics(struct aio_ring* ring)
{
    struct AioStats stats;
    if (!check(aio_stats(ring, &stats) == 0, "stats", "aio_stats failed"))
        return;
    printf("aio: submitted %u completed %u failed %u cancelled %u read %u written %u max %u us mean %u us\n",
        (unsigned)stats.submitted, (unsigned)stats.completed, (unsigned)stats.failed, (unsigned)stats.cancelled,
        (unsigned)stats.bytes_read, (unsigned)stats.bytes_written, (unsigned)(stats.max_ns / 1000),
        (unsigned)(stats.completed ? stats.total_ns / stats.completed / 1000 : 0));
    check(stats.submitted == s_expected.submitted && stats.completed == s_expected.completed, "stats-counts",
        "kernel %u/%u, program %u/%u", (unsigned)stats.submitted, (unsigned)stats.completed,
        (unsigned)s_expected.submitted, (unsigned)s_expected.completed);
    check(stats.failed == s_expected.failed && stats.cancelled == s_expected.cancelled, "stats-errors",
        "kernel %u failed %u cancelled, program %u %u", (unsigned)stats.failed, (unsigned)stats.cancelled,
        (unsigned)s_expected.failed, (unsigned)s_expected.cancelled);
    check(stats.bytes_read == s_expected.bytes_read && stats.bytes_written == s_expected.bytes_written,
        "stats-bytes", "kernel %u/%u, program %u/%u", (unsigned)stats.bytes_read, (unsigned)stats.bytes_written,
        (unsigned)s_expected.bytes_read, (unsigned)s_expected.bytes_written);
    check(stats.in_flight == 0 && stats.max_ns > 0 && stats.max_ns <= stats.total_ns, "stats-times",
        "in flight %u max %u total %u", stats.in_flight, (unsigned)stats.max_ns, (unsigned)stats.total_ns);
    check(sys_aio_stats(ring->context, (struct AioStats*)0xC0000000) == -EFAULT, "stats-bad-pointer", "accepted");
}

// aio_destroy with work queued: the program carries on, the context is gone.
static void test_destroy_in_flight(int fd)
{
    struct aio_ring ring;
    if (!check(aio_setup(&ring, 64) == 0, "destroy-setup", "setup failed"))
        return;
    uint8_t* buffers = malloc(64 * BLOCK);
    for (uint32_t i = 0; i < 64; ++i)
        aio_prep_read(aio_get_sqe(&ring), fd, buffers + i * BLOCK, BLOCK, (uint64_t)i * BLOCK, i);
    check(aio_submit(&ring) == 64, "destroy-submit", "submit failed");
    int context = ring.context;
    check(aio_destroy(&ring) == 0, "destroy-in-flight", "destroy failed");
    check(sys_aio_enter(context, 0, 0, 0) == -EBADF, "destroyed-context", "still usable");
    check(sys_aio_destroy(context) == -EBADF, "destroy-twice", "destroyed twice");
    free(buffers);
    // Four contexts at most per process.
    struct aio_ring rings[5];
    int made = 0;
    while (made < 5 && aio_setup(&rings[made], 1) == 0)
        ++made;
    check(made == 4, "context-limit", "%d contexts", made);
    for (int i = 0; i < made; ++i)
        aio_destroy(&rings[i]);
}

static const char* s_self = "/sys/aio";

// A child that leaves with 256 requests in flight (reads and writes, some
// of them large), without aio_destroy: by exit (mode 0), killed by the
// parent (1) or by exec of this program (2), which then exits with 7.
static void child_with_requests(int mode)
{
    struct aio_ring ring;
    if (aio_setup(&ring, 256) != 0)
        _exit(3);
    int fd = open(s_file, O_RDWR);
    uint8_t* buffers = malloc(64 * 1024);
    for (uint32_t i = 0; i < 256; ++i) {
        struct AioSqe* sqe = aio_get_sqe(&ring);
        uint32_t length = i % 16 == 0 ? 64 * 1024 : 1024;
        if (i % 3 == 0)
            aio_prep_read(sqe, fd, buffers, length, (uint64_t)(i % 64) * BLOCK, i);
        else
            aio_prep_write(sqe, fd, buffers, length, (uint64_t)FILE_SIZE + (i % 32) * 1024, i);
    }
    if (aio_submit(&ring) != 256)
        _exit(4);
    if (mode == 1)
        for (;;)
            sleep_ms(1000); // killed by the parent
    if (mode == 2) {
        char context[16];
        snprintf(context, sizeof(context), "%d", ring.context);
        char* argv[] = { (char*)s_self, (char*)"exec-child", context, NULL };
        execve(s_self, argv, environ);
        _exit(5);
    }
    // One completion: the worker is busy with the next request when we go.
    aio_wait(&ring, 1, 1000);
    _exit(0);
}

static void test_exit_in_flight(void)
{
    struct VmStats before, after;
    memset(&before, 0, sizeof(before));
    memset(&after, 0, sizeof(after));
    int good = 0;
    for (int cycle = 0; cycle < EXIT_CYCLES + 4; ++cycle) {
        if (cycle == 4)
            vm_stats(-1, &before); // after a warm-up: caches the kernel fills once
        int mode = cycle % 3;
        pid_t child = fork();
        if (child == 0)
            child_with_requests(mode);
        if (mode == 1) {
            sleep_ms(5);
            kill(child);
        }
        int status = -1;
        int expected = mode == 0 ? 0 : mode == 1 ? STATUS_KILLED : 7;
        if (waitpid(child, &status, 0) == child && status == expected)
            ++good;
        else
            printf("aio: cycle %d: child status %d\n", cycle, status);
    }
    vm_stats(-1, &after);
    check(good == EXIT_CYCLES + 4, "exit-in-flight", "%d of %d children ended as expected", good, EXIT_CYCLES + 4);
    printf("aio: free frames %u -> %u, kernel heap %u -> %u bytes\n", before.free_frames, after.free_frames,
        before.kernel_heap_bytes, after.kernel_heap_bytes);
    check(after.free_frames + 16 >= before.free_frames, "exit-no-frame-leak", "lost %d frames",
        (int)(before.free_frames - after.free_frames));
    check(after.kernel_heap_bytes <= before.kernel_heap_bytes + 4096, "exit-no-heap-leak", "heap grew by %d",
        (int)(after.kernel_heap_bytes - before.kernel_heap_bytes));
}

int main(int argc, char** argv)
{
    if (argc > 2 && strcmp(argv[1], "exec-child") == 0) {
        // The exec'd image starts without the old image's context.
        return sys_aio_enter(atoi(argv[2]), 0, 0, 0) == -EBADF ? 7 : 6;
    }
    s_self = argv[0];
    begin("aio");
    test_setup_errors();
    int fd = create_file();
    if (!check(fd >= 0, "create-file", "errno %d", errno))
        return finish();
    struct aio_ring ring;
    if (!check(aio_setup(&ring, 256) == 0, "setup", "aio_setup(256) failed"))
        return finish();
    check(ring.sq_entries == 256 && ring.cq_entries == 512 && ring.header->sq_mask == 255, "setup-sizes",
        "sq %u cq %u", ring.sq_entries, ring.cq_entries);
    test_many_in_flight(&ring, fd);
    test_vectors_and_sync(&ring, fd);
    test_bad_requests(&ring, fd);
    test_close_in_flight(&ring);
    test_cancel(&ring, fd);
    test_timeout(&ring);
    test_direct(&ring);
    test_statistics(&ring);
    check(aio_destroy(&ring) == 0, "destroy", "destroy failed");
    test_overflow();
    test_destroy_in_flight(fd);
    test_exit_in_flight();
    close(fd);
    unlink(s_file);
    return finish();
}
