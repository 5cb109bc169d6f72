// The ring library of <colibri/aio.h>. The program owns sq_tail and
// cq_head; the kernel owns sq_head and cq_tail. An index the other side
// writes is read with acquire (its entries are then visible); an index we
// write is stored with release (our entries go first).
#include <colibri/aio.h>
#include <string.h>
#include <sys/mman.h>

static inline uint32_t load_acquire(const uint32_t* index) { return __atomic_load_n(index, __ATOMIC_ACQUIRE); }
static inline void store_release(uint32_t* index, uint32_t value) { __atomic_store_n(index, value, __ATOMIC_RELEASE); }

int aio_setup(struct aio_ring* ring, unsigned entries)
{
    struct AioSetup setup;
    memset(ring, 0, sizeof(*ring));
    long context = sys_aio_setup(entries, &setup);
    if (context < 0)
        return (int)context;
    char* base = (char*)(uintptr_t)setup.ring_address;
    ring->context = (int)context;
    ring->memory = base;
    ring->size = setup.ring_size;
    ring->header = (struct AioRingHeader*)base;
    ring->sq = (struct AioSqe*)(base + setup.sq_offset);
    ring->cq = (struct AioCqe*)(base + setup.cq_offset);
    ring->sq_entries = setup.sq_entries;
    ring->sq_mask = setup.sq_entries - 1;
    ring->cq_entries = setup.cq_entries;
    ring->cq_mask = setup.cq_entries - 1;
    ring->sq_tail = ring->header->sq_tail;
    return 0;
}

struct AioSqe* aio_get_sqe(struct aio_ring* ring)
{
    if (ring->sq_tail - load_acquire(&ring->header->sq_head) >= ring->sq_entries)
        return NULL;
    struct AioSqe* sqe = &ring->sq[ring->sq_tail & ring->sq_mask];
    memset(sqe, 0, sizeof(*sqe));
    ++ring->sq_tail;
    return sqe;
}

static void prep(struct AioSqe* sqe, uint8_t opcode, int fd, uintptr_t address, uint32_t length, uint64_t offset,
    uint64_t user_data)
{
    sqe->opcode = opcode;
    sqe->fd = fd;
    sqe->address = address;
    sqe->length = length;
    sqe->offset = offset;
    sqe->user_data = user_data;
}

void aio_prep_read(struct AioSqe* sqe, int fd, void* buffer, uint32_t length, uint64_t offset, uint64_t user_data)
{
    prep(sqe, AIO_OP_READ, fd, (uintptr_t)buffer, length, offset, user_data);
}

void aio_prep_write(struct AioSqe* sqe, int fd, const void* buffer, uint32_t length, uint64_t offset,
    uint64_t user_data)
{
    prep(sqe, AIO_OP_WRITE, fd, (uintptr_t)buffer, length, offset, user_data);
}

void aio_prep_readv(struct AioSqe* sqe, int fd, const struct IoVec* vector, uint32_t count, uint64_t offset,
    uint64_t user_data)
{
    prep(sqe, AIO_OP_READV, fd, (uintptr_t)vector, count, offset, user_data);
}

void aio_prep_writev(struct AioSqe* sqe, int fd, const struct IoVec* vector, uint32_t count, uint64_t offset,
    uint64_t user_data)
{
    prep(sqe, AIO_OP_WRITEV, fd, (uintptr_t)vector, count, offset, user_data);
}

void aio_prep_fsync(struct AioSqe* sqe, int fd, uint64_t user_data)
{
    prep(sqe, AIO_OP_FSYNC, fd, 0, 0, 0, user_data);
}

void aio_prep_nop(struct AioSqe* sqe, uint64_t user_data) { prep(sqe, AIO_OP_NOP, -1, 0, 0, 0, user_data); }

int aio_submit_and_wait(struct aio_ring* ring, unsigned min_complete, unsigned timeout_ms)
{
    store_release(&ring->header->sq_tail, ring->sq_tail);
    // Everything published and not taken yet, including entries an earlier
    // call could not submit.
    uint32_t pending = ring->sq_tail - load_acquire(&ring->header->sq_head);
    return (int)sys_aio_enter(ring->context, pending, min_complete, timeout_ms);
}

int aio_submit(struct aio_ring* ring) { return aio_submit_and_wait(ring, 0, 0); }

int aio_wait(struct aio_ring* ring, unsigned min_complete, unsigned timeout_ms)
{
    long result = sys_aio_enter(ring->context, 0, min_complete, timeout_ms);
    return result < 0 ? (int)result : 0;
}

unsigned aio_ready(const struct aio_ring* ring)
{
    return load_acquire(&ring->header->cq_tail) - ring->header->cq_head;
}

struct AioCqe* aio_peek(struct aio_ring* ring)
{
    uint32_t head = ring->header->cq_head;
    if (head == load_acquire(&ring->header->cq_tail))
        return NULL;
    return &ring->cq[head & ring->cq_mask];
}

void aio_advance(struct aio_ring* ring, unsigned count)
{
    store_release(&ring->header->cq_head, ring->header->cq_head + count);
}

unsigned aio_overflow(const struct aio_ring* ring) { return load_acquire(&ring->header->cq_overflow); }

int aio_cancel(struct aio_ring* ring, uint64_t user_data) { return (int)sys_aio_cancel(ring->context, user_data); }

int aio_stats(struct aio_ring* ring, struct AioStats* out) { return (int)sys_aio_stats(ring->context, out); }

int aio_destroy(struct aio_ring* ring)
{
    long result = sys_aio_destroy(ring->context);
    if (result < 0)
        return (int)result;
    munmap(ring->memory, ring->size);
    memset(ring, 0, sizeof(*ring));
    return 0;
}
