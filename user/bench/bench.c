// Micro-benchmarks of the native personality, timed inside the guest with
// the TSC (calibrated against SYS_CLOCK_NS). Each value is the median over
// BATCHES batches, so that one slow batch (a timer interrupt, the host
// stealing the CPU from QEMU) does not move it. Prints one line per value,
//     bench: <key>=<number with one decimal>
// which tools/bench.py collects, and exits with 0 when every value was
// measured. `bench: tsc_hz=N` lets tools/bench.py convert the cycle counts
// of the KolibriOS benchmark (kbench) too.
#include <colibri/aio.h>
#include <colibri/channel.h>
#include <colibri/event.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

enum {
    BATCHES = 31,
    PAGE = 4096,
    SYSCALLS_PER_BATCH = 1000,
    FAULT_PAGES_PER_BATCH = 256,
    SWITCH_ROUNDS_PER_BATCH = 500, // two switches per round
    FORK_TOUCHED_BYTES = 16 * 1024 * 1024,
    COW_PAGES_PER_CHILD = 64,
    CALIBRATION_MS = 200,
    IO_BLOCK = 4096,
    IO_FILE_BLOCKS = 768, // a 3 MiB file: fits the 4 MiB RAM disk
    IO_BATCHES = 7,
    IO_READS_PER_BATCH = 1024,
    IO_QUEUE_DEPTH = 32,
    ROUNDTRIPS_PER_BATCH = 200,
    WATCHED_WORDS = 1000,
};

static uint64_t s_tsc_hz;
static int s_failures;

static inline uint64_t cycles(void) { return __builtin_ia32_rdtsc(); }

static void calibrate(void)
{
    uint64_t ns_before = clock_ns();
    uint64_t cycles_before = cycles();
    sleep_ms(CALIBRATION_MS);
    uint64_t ns_after = clock_ns();
    uint64_t cycles_after = cycles();
    if (ns_after > ns_before)
        s_tsc_hz = (cycles_after - cycles_before) * 1000000000ull / (ns_after - ns_before);
}

static uint64_t median(uint64_t* samples, int count)
{
    for (int i = 1; i < count; ++i) {
        uint64_t value = samples[i];
        int j = i;
        for (; j > 0 && samples[j - 1] > value; --j)
            samples[j] = samples[j - 1];
        samples[j] = value;
    }
    return samples[count / 2];
}

// Prints key = `tenth_cycles` (tenths of TSC cycles) converted to tenths of
// `unit_ns` nanoseconds, e.g. unit_ns 1000 for microseconds.
static void report(const char* key, uint64_t tenth_cycles, uint64_t unit_ns)
{
    if (s_tsc_hz == 0 || tenth_cycles == 0) {
        printf("bench: %s not measured\n", key);
        ++s_failures;
        return;
    }
    // Whole seconds and the rest, so that the products stay within 64 bits.
    uint64_t hz = s_tsc_hz * unit_ns;
    uint64_t tenths = tenth_cycles / hz * 1000000000ull
        + tenth_cycles % hz * 1000000000ull / hz;
    printf("bench: %s=%llu.%llu\n", key, (unsigned long long)(tenths / 10), (unsigned long long)(tenths % 10));
}

// The median batch in tenths of a cycle per operation.
static uint64_t per_operation(uint64_t* batch_cycles, int operations)
{
    return median(batch_cycles, BATCHES) * 10 / (uint64_t)operations;
}

static void bench_native_syscall(void)
{
    uint64_t samples[BATCHES];
    for (int batch = -1; batch < BATCHES; ++batch) { // batch -1 warms up
        uint64_t start = cycles();
        for (int i = 0; i < SYSCALLS_PER_BATCH; ++i)
            colibri_syscall0(SYS_GETPID);
        uint64_t elapsed = cycles() - start;
        if (batch >= 0)
            samples[batch] = elapsed;
    }
    report("syscall_native_ns", per_operation(samples, SYSCALLS_PER_BATCH), 1);
}

// First write to each page of a fresh anonymous mapping: one demand-zero
// fault per page (zeroed frame, page-table entry, return to user mode).
static void bench_demand_zero(void)
{
    uint64_t samples[BATCHES];
    size_t length = FAULT_PAGES_PER_BATCH * PAGE;
    for (int batch = 0; batch < BATCHES; ++batch) {
        volatile char* memory = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (memory == MAP_FAILED) {
            printf("bench: page_fault_demand_zero_ns: mmap failed\n");
            ++s_failures;
            return;
        }
        uint64_t start = cycles();
        for (size_t offset = 0; offset < length; offset += PAGE)
            memory[offset] = 1;
        samples[batch] = cycles() - start;
        munmap((void*)memory, length);
    }
    report("page_fault_demand_zero_ns", per_operation(samples, FAULT_PAGES_PER_BATCH), 1);
}

// Two threads of one process hand a token back and forth; each waits for
// its turn with SYS_YIELD, so every round is two switches.
static volatile int s_turn; // 1: the partner's turn
static volatile int s_stop;
static volatile int s_partner_done;
// thread_switch_fpu_ns: both threads touch an XMM register in every turn, so
// each switch also moves the x87/SSE state (lazy: an #NM trap with FXSAVE
// and FXRSTOR; eager: FXSAVE and FXRSTOR at the switch; see docs/fpu.md).
static volatile int s_use_fpu;

static inline void touch_fpu(void)
{
    if (s_use_fpu)
        __asm__ volatile("addps %%xmm0, %%xmm0" ::: "memory");
}

static void partner(void* unused)
{
    (void)unused;
    while (!s_stop) {
        touch_fpu();
        if (s_turn == 1)
            s_turn = 0;
        sys_yield();
    }
    s_partner_done = 1;
}

static void bench_thread_switch(int use_fpu)
{
    const char* key = use_fpu ? "thread_switch_fpu_ns" : "thread_switch_ns";
    s_use_fpu = use_fpu;
    s_stop = 0;
    s_partner_done = 0;
    if (thread_create(partner, NULL, 16 * 1024) < 0) {
        printf("bench: %s: thread_create failed\n", key);
        ++s_failures;
        return;
    }
    uint64_t samples[BATCHES];
    for (int batch = -1; batch < BATCHES; ++batch) {
        uint64_t start = cycles();
        for (int round = 0; round < SWITCH_ROUNDS_PER_BATCH; ++round) {
            s_turn = 1;
            while (s_turn == 1) {
                touch_fpu();
                sys_yield();
            }
        }
        uint64_t elapsed = cycles() - start;
        if (batch >= 0)
            samples[batch] = elapsed;
    }
    s_stop = 1;
    while (!s_partner_done)
        sys_yield();
    report(key, per_operation(samples, 2 * SWITCH_ROUNDS_PER_BATCH), 1);
}

// fork() of a process with 16 MiB of touched anonymous memory, timed in the
// parent; each child also times its first writes to COW_PAGES_PER_CHILD of
// those pages (each copies a frame) and leaves the cycles in a shared page.
static void bench_fork(void)
{
    volatile char* memory = mmap(NULL, FORK_TOUCHED_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    volatile uint64_t* child_cycles = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED || child_cycles == MAP_FAILED) {
        printf("bench: fork_cow_16mb_us: mmap failed\n");
        ++s_failures;
        return;
    }
    for (size_t offset = 0; offset < FORK_TOUCHED_BYTES; offset += PAGE)
        memory[offset] = 1;
    for (int batch = 0; batch < BATCHES; ++batch)
        child_cycles[batch] = 0; // present before the fork, so really shared
    fflush(stdout); // the children must not inherit buffered text

    uint64_t samples[BATCHES];
    for (int batch = 0; batch < BATCHES; ++batch) {
        uint64_t start = cycles();
        long pid = sys_fork();
        uint64_t end = cycles();
        if (pid == 0) {
            // The child's stack page is shared too: take its fault first.
            volatile int stack_touch = 0;
            (void)stack_touch;
            uint64_t child_start = cycles();
            for (int page = 0; page < COW_PAGES_PER_CHILD; ++page)
                memory[(size_t)page * (FORK_TOUCHED_BYTES / COW_PAGES_PER_CHILD)] = 2;
            child_cycles[batch] = cycles() - child_start;
            _exit(0);
        }
        if (pid < 0) {
            printf("bench: fork_cow_16mb_us: fork failed (%ld)\n", pid);
            ++s_failures;
            return;
        }
        samples[batch] = end - start;
        int status = -1;
        if (waitpid((pid_t)pid, &status, 0) != pid || status != 0) {
            printf("bench: fork_cow_16mb_us: child ended with status %d\n", status);
            ++s_failures;
            return;
        }
    }
    report("fork_cow_16mb_us", per_operation(samples, 1), 1000);

    uint64_t write_samples[BATCHES];
    for (int batch = 0; batch < BATCHES; ++batch)
        write_samples[batch] = child_cycles[batch];
    report("fork_cow_first_write_ns", per_operation(write_samples, COW_PAGES_PER_CHILD), 1);
    munmap((void*)memory, FORK_TOUCHED_BYTES);
    munmap((void*)child_cycles, PAGE);
}

// Prints key = operations per second (one decimal) for the median batch.
static void report_rate(const char* key, uint64_t* batch_cycles, int batches, int operations)
{
    uint64_t median_cycles = median(batch_cycles, batches);
    if (s_tsc_hz == 0 || median_cycles == 0) {
        printf("bench: %s not measured\n", key);
        ++s_failures;
        return;
    }
    uint64_t tenths = (uint64_t)operations * 10 * s_tsc_hz / median_cycles;
    printf("bench: %s=%llu.%llu\n", key, (unsigned long long)(tenths / 10), (unsigned long long)(tenths % 10));
}

// The block numbers of the random 4 KiB reads: the same sequence for both
// benchmarks (a linear congruential generator).
static uint32_t s_random = 12345;
static uint32_t next_block(void)
{
    s_random = s_random * 1103515245u + 12345u;
    return (s_random >> 8) % IO_FILE_BLOCKS;
}

// The file both read benchmarks use: on the first disk's first partition
// when there is one, else on the RAM disk.
static const char* create_io_file(void)
{
    static const char* candidates[] = { "/hd0/1/iobench.bin", "/tmp0/1/iobench.bin" };
    char* chunk = malloc(64 * 1024);
    if (!chunk)
        return NULL;
    for (int i = 0; i < 64 * 1024; ++i)
        chunk[i] = (char)i;
    for (unsigned c = 0; c < sizeof(candidates) / sizeof(candidates[0]); ++c) {
        int fd = open(candidates[c], O_RDWR | O_CREAT | O_TRUNC);
        if (fd < 0)
            continue;
        int ok = 1;
        for (int written = 0; ok && written < IO_FILE_BLOCKS * IO_BLOCK; written += 64 * 1024)
            ok = write(fd, chunk, 64 * 1024) == 64 * 1024;
        close(fd);
        if (ok) {
            free(chunk);
            printf("bench: file benchmarks on %s\n", candidates[c]);
            return candidates[c];
        }
        unlink(candidates[c]);
    }
    free(chunk);
    return NULL;
}

// 4 KiB random reads with blocking pread, one at a time.
static void bench_sync_reads(int fd, char* buffer)
{
    uint64_t samples[IO_BATCHES];
    for (int batch = -1; batch < IO_BATCHES; ++batch) {
        uint64_t start = cycles();
        for (int i = 0; i < IO_READS_PER_BATCH; ++i) {
            if (pread(fd, buffer, IO_BLOCK, (off_t)next_block() * IO_BLOCK) != IO_BLOCK) {
                printf("bench: sync_read_iops: pread failed\n");
                ++s_failures;
                return;
            }
        }
        if (batch >= 0)
            samples[batch] = cycles() - start;
    }
    report_rate("sync_read_iops", samples, IO_BATCHES, IO_READS_PER_BATCH);
}

// The same reads through an aio ring, IO_QUEUE_DEPTH of them always in
// flight: each completion is replaced by a new request at once.
static int aio_batch(struct aio_ring* ring, int fd, char* buffers)
{
    // Buffer slots not in use; user_data says which slot a read used.
    uint32_t free_slots[IO_QUEUE_DEPTH];
    int free_count = IO_QUEUE_DEPTH;
    for (int i = 0; i < IO_QUEUE_DEPTH; ++i)
        free_slots[i] = (uint32_t)i;
    int issued = 0, completed = 0;
    while (completed < IO_READS_PER_BATCH) {
        while (free_count > 0 && issued < IO_READS_PER_BATCH) {
            struct AioSqe* sqe = aio_get_sqe(ring);
            if (!sqe)
                break;
            uint32_t slot = free_slots[--free_count];
            aio_prep_read(sqe, fd, buffers + slot * IO_BLOCK, IO_BLOCK, (uint64_t)next_block() * IO_BLOCK, slot);
            ++issued;
        }
        if (aio_submit_and_wait(ring, 1, AIO_WAIT_FOREVER) < 0)
            return -1;
        struct AioCqe* cqe;
        while ((cqe = aio_peek(ring)) != NULL) {
            if (cqe->result != IO_BLOCK)
                return -1;
            free_slots[free_count++] = (uint32_t)cqe->user_data;
            aio_advance(ring, 1);
            ++completed;
        }
    }
    return 0;
}

static void bench_aio_reads(int fd, char* buffers)
{
    struct aio_ring ring;
    if (aio_setup(&ring, 64) != 0) {
        printf("bench: aio_qd32_iops: aio_setup failed\n");
        ++s_failures;
        return;
    }
    uint64_t samples[IO_BATCHES];
    for (int batch = -1; batch < IO_BATCHES; ++batch) {
        uint64_t start = cycles();
        if (aio_batch(&ring, fd, buffers) != 0) {
            printf("bench: aio_qd32_iops: a read failed\n");
            ++s_failures;
            aio_destroy(&ring);
            return;
        }
        if (batch >= 0)
            samples[batch] = cycles() - start;
    }
    aio_destroy(&ring);
    report_rate("aio_qd32_iops", samples, IO_BATCHES, IO_READS_PER_BATCH);
}

static void bench_file_reads(void)
{
    const char* path = create_io_file();
    char* buffers = malloc(IO_QUEUE_DEPTH * IO_BLOCK);
    int fd = path ? open(path, O_RDONLY) : -1;
    if (fd < 0 || !buffers) {
        printf("bench: sync_read_iops: no file to read\n");
        printf("bench: aio_qd32_iops: no file to read\n");
        s_failures += 2;
    } else {
        bench_sync_reads(fd, buffers);
        bench_aio_reads(fd, buffers);
    }
    if (fd >= 0)
        close(fd);
    if (path)
        unlink(path);
    free(buffers);
}

// The parent's side of a ping-pong with `child`: times BATCHES batches of
// ROUNDTRIPS_PER_BATCH calls of `round` (after one warm-up batch; round
// returns 0 on failure), waits for the child and reports `key`.
static void time_ping_pong(const char* key, int (*round)(void* context), void* context, pid_t child)
{
    uint64_t samples[BATCHES];
    int ok = 1;
    for (int batch = -1; batch < BATCHES && ok; ++batch) {
        uint64_t start = cycles();
        for (int i = 0; i < ROUNDTRIPS_PER_BATCH && ok; ++i)
            ok = round(context);
        uint64_t elapsed = cycles() - start;
        if (batch >= 0)
            samples[batch] = elapsed;
    }
    int status = -1;
    waitpid(child, &status, 0);
    if (ok && status == 0) {
        report(key, per_operation(samples, ROUNDTRIPS_PER_BATCH), 1);
    } else {
        printf("bench: %s: the ping-pong failed (child status %d)\n", key, status);
        ++s_failures;
    }
}

struct ChannelPair {
    channel_t* ping;
    channel_t* pong;
};

static int channel_round(void* context)
{
    struct ChannelPair* pair = context;
    char message[64] = { 0 };
    return channel_send(pair->ping, 0, message, sizeof(message), CHANNEL_FOREVER) == 0
        && channel_receive(pair->pong, message, sizeof(message), NULL, 5000) >= 0;
}

// Two processes ping-pong a 64-byte message over two channels (one each
// way): one round trip = two sends, two receives and, as the other side is
// usually asleep, two futex wakes and two sleeps.
static void bench_ipc_roundtrip(void)
{
    channel_t* ping = NULL;
    channel_t* pong = NULL;
    if (channel_create(&ping, "bench.ping", 16384, 0) != 0 || channel_create(&pong, "bench.pong", 16384, 0) != 0) {
        printf("bench: ipc_roundtrip_ns: channel_create failed\n");
        ++s_failures;
        return;
    }
    int rounds = (BATCHES + 1) * ROUNDTRIPS_PER_BATCH;
    pid_t child = fork();
    if (child == 0) {
        channel_t* in = NULL;
        channel_t* out = NULL;
        if (channel_connect(&in, "bench.ping") != 0 || channel_connect(&out, "bench.pong") != 0)
            _exit(1);
        char message[64];
        for (int i = 0; i < rounds; ++i) {
            if (channel_receive(in, message, sizeof(message), NULL, CHANNEL_FOREVER) < 0
                || channel_send(out, 0, message, sizeof(message), CHANNEL_FOREVER) != 0)
                _exit(2);
        }
        _exit(0);
    }
    struct ChannelPair pair = { ping, pong };
    time_ping_pong("ipc_roundtrip_ns", channel_round, &pair, child);
    channel_close(ping);
    channel_close(pong);
    channel_destroy("bench.ping");
    channel_destroy("bench.pong");
}

// One round over pipes: write to ends[0], read the answer from ends[1].
static int pipe_round(void* context)
{
    const int* ends = context;
    char message[64] = { 0 };
    return write(ends[0], message, sizeof(message)) == sizeof(message)
        && read(ends[1], message, sizeof(message)) == sizeof(message);
}

// The same ping-pong over two pipes: one round trip = two writes and two
// reads, each side sleeping in read until the other writes.
static void bench_pipe_roundtrip(void)
{
    int ping[2], pong[2];
    if (pipe(ping) != 0 || pipe(pong) != 0) {
        printf("bench: pipe_roundtrip_ns: pipe failed\n");
        ++s_failures;
        return;
    }
    int rounds = (BATCHES + 1) * ROUNDTRIPS_PER_BATCH;
    pid_t child = fork();
    if (child == 0) {
        char message[64];
        for (int i = 0; i < rounds; ++i) {
            if (read(ping[0], message, sizeof(message)) != sizeof(message)
                || write(pong[1], message, sizeof(message)) != sizeof(message))
                _exit(2);
        }
        _exit(0);
    }
    int ends[2] = { ping[1], pong[0] };
    time_ping_pong("pipe_roundtrip_ns", pipe_round, ends, child);
    close(ping[0]);
    close(ping[1]);
    close(pong[0]);
    close(pong[1]);
}

// One eq_wait that returns the one ready word of 1000 watched ones (the
// word is changed and woken before the timed call, and quiet again after).
static void bench_event_wait(void)
{
    static uint32_t words[WATCHED_WORDS];
    int queue = eq_create();
    int ok = queue > 0;
    for (int i = 0; ok && i < WATCHED_WORDS; ++i)
        ok = eq_watch_word(queue, EQ_ADD, &words[i], 0, EQ_READABLE, EQ_LEVEL, (uint64_t)i) == 0;
    uint64_t samples[BATCHES];
    for (int batch = -1; ok && batch < BATCHES; ++batch) {
        uint64_t total = 0;
        for (int i = 0; ok && i < 100; ++i) {
            uint32_t* word = &words[((batch + 1) * 37 + i) % WATCHED_WORDS];
            *word = 1;
            sys_futex_wake(word, 1);
            struct EqEvent events[4];
            uint64_t start = cycles();
            int count = eq_wait(queue, events, 4, 0);
            total += cycles() - start;
            ok = count == 1 && events[0].user_data == (uint64_t)(word - words);
            *word = 0;
            sys_futex_wake(word, 1);
        }
        if (batch >= 0)
            samples[batch] = total;
    }
    if (ok) {
        report("event_wait_1000_watched_ns", per_operation(samples, 100), 1);
    } else {
        printf("bench: event_wait_1000_watched_ns: the queue did not report the one ready word\n");
        ++s_failures;
    }
    if (queue > 0)
        handle_close(queue);
}

int main(void)
{
    calibrate();
    printf("bench: tsc_hz=%llu\n", (unsigned long long)s_tsc_hz);
    if (s_tsc_hz == 0)
        return 1;
    bench_native_syscall();
    bench_demand_zero();
    bench_fork(); // before the second thread exists
    bench_thread_switch(0);
    bench_thread_switch(1);
    bench_file_reads();
    bench_ipc_roundtrip();
    bench_pipe_roundtrip();
    bench_event_wait();
    return s_failures ? 1 : 0;
}
