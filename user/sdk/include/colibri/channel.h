// Named channels: prioritised messages between processes through shared
// memory (docs/ipc.md).
//
// A channel is a named shared memory object (shm_open) holding four
// lock-free rings, one per priority (0 = most urgent), and a header with
// statistics and two futex words. Sending and receiving are plain loads and
// stores in the common case; a receiver with nothing to read, or a sender
// whose ring is full, sleeps in futex_wait until the other side wakes it or
// the timeout passes, so nobody spins.
//
// One receiver at a time (usually the creator; a process becomes the
// receiver at its first channel_receive and may take over from one that has
// gone), any number of senders (threads or processes). Messages are 1..max bytes, where max is what
// channel_max_message() says for the channel's size.
//
// The name lasts until channel_destroy() or the creator's exit; the memory
// until the last process closes its channel (or exits).
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct channel channel_t;

enum {
    CHANNEL_PRIORITIES = 4,
    CHANNEL_PRIVATE = 1, // only the creator and its descendants may connect
};
#define CHANNEL_FOREVER 0xFFFFFFFFu

struct channel_stats {
    uint64_t messages_sent, bytes_sent;
    uint64_t messages_received, bytes_received;
    uint32_t queued_bytes[CHANNEL_PRIORITIES]; // bytes in each ring now
    uint32_t ring_bytes;                       // capacity of each ring
    uint32_t sender_waits, receiver_waits;     // times a side went to sleep
};

// Creates the channel `name` (1..31 bytes) with `size` bytes of shared
// memory (at least 16 KiB; rounded to pages). 0 or -errno: -EEXIST,
// -EINVAL, -ENOMEM.
int channel_create(channel_t** out, const char* name, uint32_t size, int flags);
// Connects to an existing channel. 0 or -errno: -ENOENT, -EACCES (a
// private channel of another process tree), -EPROTO (not a channel).
int channel_connect(channel_t** out, const char* name);
// Sends `length` bytes at `priority`. timeout_ms: 0 = do not wait,
// CHANNEL_FOREVER = wait as long as it takes. 0 or -errno: -EAGAIN (full,
// no wait), -ETIMEDOUT, -EMSGSIZE, -EINVAL, -EPROTO (the shared memory was
// scribbled on).
int channel_send(channel_t* channel, unsigned priority, const void* message, uint32_t length, uint32_t timeout_ms);
// Receives the oldest message of the most urgent non-empty priority. The
// message's length, or -errno: -EAGAIN, -ETIMEDOUT, -EMSGSIZE (buffer too
// small; the message stays), -EPROTO.
int channel_receive(channel_t* channel, void* buffer, uint32_t size, unsigned* priority, uint32_t timeout_ms);
int channel_stats(channel_t* channel, struct channel_stats* out);
uint32_t channel_max_message(channel_t* channel);
// For event loops (<colibri/event.h>): the word an event queue watches
// (EQ_KIND_WORD) to learn that messages arrived, and in *current its value
// now. Take it *before* draining the channel, drain, then re-arm the watch
// with expected = that value: a message that arrives meanwhile leaves the
// word different, so the next wait reports it. From the first call on,
// every send wakes the word (one system call per message).
uint32_t* channel_event_word(channel_t* channel, uint32_t* current);
// Unmaps the channel and frees the handle.
void channel_close(channel_t* channel);
// Removes the name (the creator's tree only); connected processes carry on.
int channel_destroy(const char* name);

#ifdef __cplusplus
}
#endif
