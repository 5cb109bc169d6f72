// Channels (<colibri/channel.h>): lib/ipc's priority queue in a named shared
// memory object, with futex waits for the blocking cases.
//
// Layout of the object: a ChannelHeader page, then the priority queue.
//
// Sleeping without losing a wake-up (receiver shown; senders mirror it with
// `released` and `senders_waiting`):
//   receiver: waiting += 1; seen = sent; try again; if still empty:
//             futex_wait(&sent, seen); waiting -= 1
//   sender:   publish the message; sent += 1; if waiting: futex_wake(&sent)
// All four shared operations are sequentially consistent. If the sender's
// `waiting` load saw 0, the receiver's increment (and so its load of `sent`
// and its second try) came after the sender's increment in that order: the
// second try finds the message. Otherwise the sender wakes the futex, and
// the kernel compares `sent` with `seen` atomically with respect to that
// wake: either the value already changed or the waiter is queued.
#include <colibri/channel.h>
#include <colibri/syscall.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ipc/PriorityQueue.h"

namespace {

constexpr uint32_t channel_magic = 0x4e414843; // "CHAN" in memory order
constexpr uint32_t channel_version = 1;
constexpr uint32_t header_bytes = 4096;
constexpr uint32_t min_size = 16 * 1024;

struct ChannelHeader {
    alignas(64) uint32_t magic;
    uint32_t version;
    uint32_t size;
    uint32_t creator;
    alignas(64) uint32_t sent;            // futex word: bumped after each send
    uint32_t receiver_waiting;
    uint32_t receiver_waits;
    alignas(64) uint32_t released;        // futex word: bumped after each receive
    uint32_t senders_waiting;
    uint32_t sender_waits;
    alignas(64) uint64_t messages_sent;   // senders (atomic: there may be many)
    uint64_t bytes_sent;
    alignas(64) uint64_t messages_received; // the receiver only
    uint64_t bytes_received;
};
static_assert(sizeof(ChannelHeader) <= header_bytes, "channel header");

void yield_now() { sys_yield(); }

uint64_t now_ns()
{
    uint64_t value = 0;
    sys_clock_ns(&value);
    return value;
}

// Milliseconds left until `deadline` (0 when past); CHANNEL_FOREVER stays.
uint32_t remaining_ms(uint32_t timeout_ms, uint64_t deadline)
{
    if (timeout_ms == CHANNEL_FOREVER)
        return CHANNEL_FOREVER;
    uint64_t now = now_ns();
    if (now >= deadline)
        return 0;
    uint64_t left = (deadline - now + 999999) / 1000000;
    return left >= CHANNEL_FOREVER ? CHANNEL_FOREVER - 1 : static_cast<uint32_t>(left);
}

uint64_t deadline_of(uint32_t timeout_ms)
{
    return timeout_ms == CHANNEL_FOREVER ? ~0ull : now_ns() + static_cast<uint64_t>(timeout_ms) * 1000000;
}

uint32_t load(const uint32_t* word) { return __atomic_load_n(word, __ATOMIC_SEQ_CST); }

} // namespace

struct channel {
    ChannelHeader* header;
    uint32_t size;
    lib::ipc::PriorityQueueView queue;
    lib::ipc::PrioritySender sender;
    lib::ipc::PriorityReceiver receiver;
    // The receiving side binds at the first receive, so a process that
    // takes over from a receiver that has gone starts where it stopped.
    bool receiving;
    bool watched; // channel_event_word made senders always wake
};

static int attach(channel_t** out, const char* name, uint32_t flags, uint32_t size, bool create)
{
    uint32_t mapped_size = 0;
    long address = sys_shm_open(name, size, flags, &mapped_size);
    if (address < 0 && address > -4096)
        return static_cast<int>(address);
    auto* header = reinterpret_cast<ChannelHeader*>(static_cast<uintptr_t>(address));
    // A creator maps the name before it writes the header: give it a moment.
    for (int tries = 0; !create && tries < 1000 && __atomic_load_n(&header->magic, __ATOMIC_ACQUIRE) == 0; ++tries)
        sys_yield();
    void* queue_memory = reinterpret_cast<uint8_t*>(header) + header_bytes;
    size_t queue_bytes = mapped_size - header_bytes;
    auto* result = static_cast<channel*>(malloc(sizeof(channel)));
    if (!result) {
        sys_munmap(header, mapped_size);
        return -ENOMEM;
    }
    new (result) channel {};
    result->header = header;
    result->size = mapped_size;
    auto queue = create ? lib::ipc::PriorityQueueView::initialize(queue_memory, queue_bytes)
                        : lib::ipc::PriorityQueueView::attach(queue_memory, queue_bytes);
    bool valid = !queue.is_error();
    if (create && valid) {
        header->version = channel_version;
        header->size = mapped_size;
        header->creator = static_cast<uint32_t>(sys_getpid());
        __atomic_store_n(&header->magic, channel_magic, __ATOMIC_RELEASE);
    }
    if (!create)
        valid = valid && __atomic_load_n(&header->magic, __ATOMIC_ACQUIRE) == channel_magic
            && header->version == channel_version;
    if (!valid) {
        sys_munmap(header, mapped_size);
        free(result);
        return -EPROTO;
    }
    result->queue = queue.value();
    result->sender = lib::ipc::PrioritySender(result->queue, yield_now);
    *out = result;
    return 0;
}

extern "C" int channel_create(channel_t** out, const char* name, uint32_t size, int flags)
{
    if (!out || size < min_size || (flags & ~CHANNEL_PRIVATE))
        return -EINVAL;
    uint32_t shm_flags = SHM_CREATE | SHM_EXCL | ((flags & CHANNEL_PRIVATE) ? SHM_PRIVATE : 0);
    int result = attach(out, name, shm_flags, size, true);
    if (result != 0 && result != -EEXIST && result != -EINVAL && result != -ENOMEM)
        sys_shm_unlink(name);
    return result;
}

extern "C" int channel_connect(channel_t** out, const char* name)
{
    if (!out)
        return -EINVAL;
    return attach(out, name, 0, 0, false);
}

extern "C" uint32_t channel_max_message(channel_t* channel) { return channel->queue.ring(0).max_message(); }

static int protocol_error(const Error& error)
{
    switch (error.code()) {
    case ErrorCode::InvalidArgument: return -EINVAL;
    case ErrorCode::OutOfRange: return -EMSGSIZE;
    default: return -EPROTO;
    }
}

// Runs `attempt` (1: done, 0: not yet, < 0: an errno) until it is done,
// sleeping on the futex word `word` in between. Sender and receiver mirror
// each other: each bumps the other's word after its operation and wakes it
// only when `waiting` says somebody sleeps, so the sleeper raises `waiting`
// and tries once more after reading the word, before it sleeps; `waits`
// counts the operations that had to sleep. 0, or a negative errno
// (-EAGAIN for timeout 0, -ETIMEDOUT).
template<typename Attempt>
static int wait_until(Attempt attempt, uint32_t& word, uint32_t& waiting, uint32_t& waits, uint32_t timeout_ms)
{
    uint64_t deadline = deadline_of(timeout_ms);
    bool counted_wait = false;
    for (;;) {
        int result = attempt();
        if (result != 0)
            return result < 0 ? result : 0;
        uint32_t wait_ms = remaining_ms(timeout_ms, deadline);
        if (wait_ms == 0)
            return timeout_ms == 0 ? -EAGAIN : -ETIMEDOUT;
        __atomic_fetch_add(&waiting, 1, __ATOMIC_SEQ_CST);
        uint32_t seen = load(&word);
        result = attempt();
        if (result != 0) {
            __atomic_fetch_sub(&waiting, 1, __ATOMIC_SEQ_CST);
            return result < 0 ? result : 0;
        }
        if (!counted_wait) {
            __atomic_fetch_add(&waits, 1, __ATOMIC_RELAXED);
            counted_wait = true;
        }
        sys_futex_wait(&word, seen, wait_ms);
        __atomic_fetch_sub(&waiting, 1, __ATOMIC_SEQ_CST);
    }
}

extern "C" int channel_send(channel_t* channel, unsigned priority, const void* message, uint32_t length,
    uint32_t timeout_ms)
{
    if (!channel || priority >= CHANNEL_PRIORITIES || length == 0 || !message)
        return -EINVAL;
    if (length > channel_max_message(channel))
        return -EMSGSIZE;
    ChannelHeader* header = channel->header;
    int waited = wait_until(
        [&] {
            auto sent = channel->sender.try_send(priority, message, length);
            return sent.is_error() ? protocol_error(sent.error()) : sent.value() ? 1 : 0;
        },
        header->released, header->senders_waiting, header->sender_waits, timeout_ms);
    if (waited != 0)
        return waited;
    __atomic_fetch_add(&header->messages_sent, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&header->bytes_sent, length, __ATOMIC_RELAXED);
    __atomic_fetch_add(&header->sent, 1, __ATOMIC_SEQ_CST);
    if (load(&header->receiver_waiting))
        sys_futex_wake(&header->sent, 1);
    return 0;
}

extern "C" int channel_receive(channel_t* channel, void* buffer, uint32_t size, unsigned* priority,
    uint32_t timeout_ms)
{
    if (!channel || (!buffer && size))
        return -EINVAL;
    ChannelHeader* header = channel->header;
    if (!channel->receiving) {
        channel->receiver = lib::ipc::PriorityReceiver(channel->queue);
        channel->receiving = true;
    }
    uint32_t level = 0, length = 0;
    int waited = wait_until(
        [&] {
            auto received = channel->receiver.try_receive(buffer, size, level, length);
            return received.is_error() ? protocol_error(received.error()) : received.value() ? 1 : 0;
        },
        header->sent, header->receiver_waiting, header->receiver_waits, timeout_ms);
    if (waited != 0)
        return waited;
    if (priority)
        *priority = level;
    __atomic_store_n(&header->messages_received, header->messages_received + 1, __ATOMIC_RELAXED);
    __atomic_store_n(&header->bytes_received, header->bytes_received + length, __ATOMIC_RELAXED);
    __atomic_fetch_add(&header->released, 1, __ATOMIC_SEQ_CST);
    if (load(&header->senders_waiting))
        sys_futex_wake(&header->released, 0xFFFFFFFFu);
    return static_cast<int>(length);
}

extern "C" int channel_stats(channel_t* channel, struct channel_stats* out)
{
    if (!channel || !out)
        return -EINVAL;
    ChannelHeader* header = channel->header;
    memset(out, 0, sizeof(*out));
    out->messages_sent = __atomic_load_n(&header->messages_sent, __ATOMIC_RELAXED);
    out->bytes_sent = __atomic_load_n(&header->bytes_sent, __ATOMIC_RELAXED);
    out->messages_received = __atomic_load_n(&header->messages_received, __ATOMIC_RELAXED);
    out->bytes_received = __atomic_load_n(&header->bytes_received, __ATOMIC_RELAXED);
    for (uint32_t level = 0; level < CHANNEL_PRIORITIES; ++level) {
        const lib::ipc::RingView& ring = channel->queue.ring(level);
        uint32_t head = __atomic_load_n(&ring.header()->head, __ATOMIC_ACQUIRE);
        uint32_t tail = __atomic_load_n(&ring.header()->tail, __ATOMIC_ACQUIRE);
        uint32_t used = head - tail;
        out->queued_bytes[level] = used <= ring.capacity() ? used : ring.capacity();
    }
    out->ring_bytes = channel->queue.ring(0).capacity();
    out->sender_waits = __atomic_load_n(&header->sender_waits, __ATOMIC_RELAXED);
    out->receiver_waits = __atomic_load_n(&header->receiver_waits, __ATOMIC_RELAXED);
    return 0;
}

extern "C" uint32_t* channel_event_word(channel_t* channel, uint32_t* current)
{
    if (!channel->watched) {
        __atomic_fetch_add(&channel->header->receiver_waiting, 1, __ATOMIC_SEQ_CST);
        channel->watched = true;
    }
    if (current)
        *current = load(&channel->header->sent);
    return &channel->header->sent;
}

extern "C" void channel_close(channel_t* channel)
{
    if (!channel)
        return;
    if (channel->watched)
        __atomic_fetch_sub(&channel->header->receiver_waiting, 1, __ATOMIC_SEQ_CST);
    sys_munmap(channel->header, channel->size);
    channel->~channel();
    free(channel);
}

extern "C" int channel_destroy(const char* name) { return static_cast<int>(sys_shm_unlink(name)); }
