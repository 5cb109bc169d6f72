// Asynchronous file I/O through submission and completion rings shared with
// the kernel (docs/aio.md has the whole story and an example).
//
//     struct aio_ring ring;
//     aio_setup(&ring, 64);                       // 64 SQ entries, 128 CQ entries
//     struct AioSqe* sqe = aio_get_sqe(&ring);    // NULL when the SQ is full
//     aio_prep_read(sqe, fd, buffer, 4096, offset, 7 /* user_data */);
//     aio_submit(&ring);                          // the kernel takes it; work goes on
//     ...compute...
//     struct AioCqe* cqe;
//     aio_wait(&ring, 1, AIO_WAIT_FOREVER);
//     while ((cqe = aio_peek(&ring)) != NULL) {   // cqe->user_data, cqe->result
//         ...
//         aio_advance(&ring, 1);
//     }
//     aio_destroy(&ring);
//
// Every function returns >= 0 on success and -errno on failure (as the
// kernel does; errno is not touched). One thread at a time per ring: the
// library keeps no locks.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <colibri/syscall.h>

#ifdef __cplusplus
extern "C" {
#endif

// ---- the raw system calls (kernel/abi/native/Syscalls.h) ----
static inline long sys_aio_setup(uint32_t entries, struct AioSetup* out)
{
    return colibri_syscall2(SYS_AIO_SETUP, (long)entries, (long)out);
}
static inline long sys_aio_enter(int context, uint32_t to_submit, uint32_t min_complete, uint32_t timeout_ms)
{
    return colibri_syscall4(SYS_AIO_ENTER, context, (long)to_submit, (long)min_complete, (long)timeout_ms);
}
static inline long sys_aio_cancel(int context, uint64_t user_data)
{
    return colibri_syscall3(SYS_AIO_CANCEL, context, (long)(uint32_t)user_data, (long)(uint32_t)(user_data >> 32));
}
static inline long sys_aio_stats(int context, struct AioStats* out)
{
    return colibri_syscall2(SYS_AIO_STATS, context, (long)out);
}
static inline long sys_aio_destroy(int context) { return colibri_syscall1(SYS_AIO_DESTROY, context); }

// ---- the library ----

// A context and the program's view of its rings.
struct aio_ring {
    int context;                  // the kernel's context id
    void* memory;                 // the shared block (AioSetup.ring_address)
    uint32_t size;
    struct AioRingHeader* header; // indices at the start of the block
    struct AioSqe* sq;
    struct AioCqe* cq;
    uint32_t sq_entries, sq_mask;
    uint32_t cq_entries, cq_mask;
    uint32_t sq_tail;             // entries handed out by aio_get_sqe, published by aio_submit
};

// Creates a context with `entries` submission slots (a power of two, 1 to
// 1024) and twice as many completion slots.
int aio_setup(struct aio_ring* ring, unsigned entries);

// The next free submission slot, zero-filled, or NULL when every slot holds
// an entry the kernel has not taken yet (submit first).
struct AioSqe* aio_get_sqe(struct aio_ring* ring);

// Fill in a slot from aio_get_sqe. `flags` for read/write: AIO_SQE_DIRECT
// bypasses the cache (buffer, length and offset must then be multiples of
// FileStat.direct_alignment, else the completion carries -EINVAL).
void aio_prep_read(struct AioSqe* sqe, int fd, void* buffer, uint32_t length, uint64_t offset, uint64_t user_data);
void aio_prep_write(struct AioSqe* sqe, int fd, const void* buffer, uint32_t length, uint64_t offset,
    uint64_t user_data);
// The vector (at most AIO_MAX_IOVECS pieces) must stay valid until the
// completion arrives: the kernel reads it when it carries the request out.
void aio_prep_readv(struct AioSqe* sqe, int fd, const struct IoVec* vector, uint32_t count, uint64_t offset,
    uint64_t user_data);
void aio_prep_writev(struct AioSqe* sqe, int fd, const struct IoVec* vector, uint32_t count, uint64_t offset,
    uint64_t user_data);
void aio_prep_fsync(struct AioSqe* sqe, int fd, uint64_t user_data);
void aio_prep_nop(struct AioSqe* sqe, uint64_t user_data);

// Hands every prepared entry to the kernel; returns how many it took
// (fewer when all completion slots are busy: reap, then submit again;
// -EBUSY when none).
int aio_submit(struct aio_ring* ring);
// As aio_submit, then waits as aio_wait does.
int aio_submit_and_wait(struct aio_ring* ring, unsigned min_complete, unsigned timeout_ms);
// Waits until at least `min_complete` completions can be peeked, at most
// `timeout_ms` milliseconds (AIO_WAIT_FOREVER: no limit; 0: just look).
// 0 or -ETIMEDOUT. Also moves completions that found the CQ full into it.
int aio_wait(struct aio_ring* ring, unsigned min_complete, unsigned timeout_ms);

// Completions: peek at the oldest (NULL when none), then advance past the
// ones you are done with. aio_ready says how many can be peeked.
unsigned aio_ready(const struct aio_ring* ring);
struct AioCqe* aio_peek(struct aio_ring* ring);
void aio_advance(struct aio_ring* ring, unsigned count);
// Completions that found the CQ full and waited in the kernel (so far).
unsigned aio_overflow(const struct aio_ring* ring);

// Cancels the queued request with this user_data: 0 (its completion says
// -ECANCELED), -EBUSY (it is being carried out) or -ENOENT (no such
// request waiting: finished or never submitted).
int aio_cancel(struct aio_ring* ring, uint64_t user_data);
int aio_stats(struct aio_ring* ring, struct AioStats* out);

// Ends the context (queued requests are dropped, a running one is cut
// short) and unmaps the rings. Process exit does the same for you.
int aio_destroy(struct aio_ring* ring);

#ifdef __cplusplus
}
#endif
