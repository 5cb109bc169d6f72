// Event queues and timers (docs/ipc.md): an epoll-like kernel object that
// watches timers, words in memory (channels, futexes), processes and file
// descriptors (pipes), and
// returns the ready ones in batches. Handles are per process (fork does not
// copy them); everything returns 0 / a handle / a count, or -errno.
#pragma once

#include <colibri/syscall.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EQ_FOREVER 0xFFFFFFFFu

static inline int eq_create(void) { return (int)sys_eq_create(); }

// op: EQ_ADD, EQ_MODIFY, EQ_REMOVE; interest: EQ_* ready bits; mode:
// EQ_LEVEL (default), EQ_EDGE, EQ_ONESHOT (may be combined with EQ_EDGE).
static inline int eq_watch_timer(int queue, int op, int timer, uint32_t interest, uint32_t mode, uint64_t user_data)
{
    struct EqControl control = { (uint32_t)op, EQ_KIND_TIMER, (uint32_t)timer, 0, interest, mode, user_data };
    return (int)sys_eq_ctl(queue, &control);
}
// Ready (EQ_READABLE) while *word != expected; see EQ_KIND_WORD.
static inline int eq_watch_word(int queue, int op, const uint32_t* word, uint32_t expected, uint32_t interest,
    uint32_t mode, uint64_t user_data)
{
    struct EqControl control = { (uint32_t)op, EQ_KIND_WORD, (uint32_t)(uintptr_t)word, expected, interest, mode,
        user_data };
    return (int)sys_eq_ctl(queue, &control);
}
// EQ_HANGUP once process `pid` has exited.
static inline int eq_watch_process(int queue, int op, int pid, uint32_t interest, uint32_t mode, uint64_t user_data)
{
    struct EqControl control = { (uint32_t)op, EQ_KIND_PROCESS, (uint32_t)pid, 0, interest, mode, user_data };
    return (int)sys_eq_ctl(queue, &control);
}
// A file descriptor (the open file behind it): a pipe's read end is
// EQ_READABLE while bytes wait (EQ_HANGUP too once no writer is left), its
// write end EQ_WRITABLE while there is room (EQ_ERROR once no reader is
// left); a file is always EQ_READABLE | EQ_WRITABLE. See EQ_KIND_FD.
static inline int eq_watch_fd(int queue, int op, int fd, uint32_t interest, uint32_t mode, uint64_t user_data)
{
    struct EqControl control = { (uint32_t)op, EQ_KIND_FD, (uint32_t)fd, 0, interest, mode, user_data };
    return (int)sys_eq_ctl(queue, &control);
}
// Up to `capacity` (1..64) ready events; 0 when `timeout_ms` passed first.
static inline int eq_wait(int queue, struct EqEvent* events, uint32_t capacity, uint32_t timeout_ms)
{
    return (int)sys_eq_wait(queue, events, capacity, timeout_ms);
}
static inline int eq_stats(int queue, struct EqStats* out) { return (int)sys_eq_stats(queue, out); }

// A timer: first expiry after initial_ms (0: disarmed), then every
// period_ms (0: once). EQ_TIMER stays ready until timer_read().
static inline int timer_create(uint32_t initial_ms, uint32_t period_ms)
{
    return (int)sys_timer_create(initial_ms, period_ms);
}
static inline int timer_set(int timer, uint32_t initial_ms, uint32_t period_ms)
{
    return (int)sys_timer_set(timer, initial_ms, period_ms);
}
static inline int timer_read(int timer, uint64_t* expirations) { return (int)sys_timer_read(timer, expirations); }

static inline int handle_close(int handle) { return (int)sys_handle_close(handle); }

#ifdef __cplusplus
}
#endif
