// Channels between processes (<colibri/channel.h>): a million messages with
// checksums over four priorities, priority order, timeouts, a channel that
// outlives its creator and a name used again, private channels refused
// outside their process tree, and nothing leaked afterwards.
#include <colibri/channel.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

enum { MESSAGES = 1000000, CHANNEL_BYTES = 256 * 1024 };

struct message {
    uint32_t sequence; // per priority
    uint32_t priority;
    uint32_t length;   // of the whole message
    uint32_t checksum; // over the payload
    uint8_t payload[48];
};

static uint32_t mix(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    return x ^ (x >> 16);
}

static uint32_t checksum(const uint8_t* bytes, uint32_t length)
{
    uint32_t sum = 2166136261U;
    for (uint32_t i = 0; i < length; ++i)
        sum = (sum ^ bytes[i]) * 16777619U;
    return sum;
}

// Fills message number `i`: priority and size from a hash, so all four
// levels and every length from 16 to 64 bytes occur.
static void make_message(struct message* m, uint32_t i, uint32_t* sequences)
{
    uint32_t h = mix(i + 1);
    m->priority = h & 3;
    m->sequence = sequences[m->priority]++;
    m->length = 16 + (h >> 8) % 49;
    for (uint32_t k = 0; k + 16 < m->length; ++k)
        m->payload[k] = (uint8_t)(h >> (k % 4 * 8)) ^ (uint8_t)k;
    m->checksum = checksum(m->payload, m->length - 16);
}

static int connect_retrying(channel_t** out, const char* name)
{
    int result = -ENOENT;
    for (int tries = 0; tries < 2000 && result == -ENOENT; ++tries) {
        result = channel_connect(out, name);
        if (result == -ENOENT)
            sys_sleep_ms(1);
    }
    return result;
}

// ---- a million messages --------------------------------------------------

static int sender_main(void)
{
    channel_t* channel = NULL;
    if (connect_retrying(&channel, "t.million") != 0)
        return 10;
    uint32_t sequences[4] = { 0, 0, 0, 0 };
    struct message m;
    for (uint32_t i = 0; i < MESSAGES; ++i) {
        make_message(&m, i, sequences);
        if (channel_send(channel, m.priority, &m, m.length, CHANNEL_FOREVER) != 0)
            return 11;
    }
    channel_close(channel);
    return 0;
}

static void million(void)
{
    channel_t* channel = NULL;
    int created = channel_create(&channel, "t.million", CHANNEL_BYTES, 0);
    if (!check(created == 0, "create", "channel_create: %d", created))
        return;
    pid_t child = fork();
    if (child == 0)
        _exit(sender_main());
    uint32_t expected[4] = { 0, 0, 0, 0 };
    uint32_t received = 0, bad = 0, out_of_order = 0, per_level[4] = { 0, 0, 0, 0 };
    uint64_t bytes = 0;
    struct message m;
    while (received < MESSAGES) {
        unsigned priority = 9;
        int length = channel_receive(channel, &m, sizeof(m), &priority, 20000);
        if (length < 0) {
            printf("receive failed after %u messages: %d\n", (unsigned)received, length);
            break;
        }
        ++received;
        bytes += (uint32_t)length;
        if ((uint32_t)length != m.length || priority != m.priority || priority > 3
            || m.checksum != checksum(m.payload, m.length - 16)) {
            ++bad;
            continue;
        }
        ++per_level[priority];
        if (m.sequence != expected[priority])
            ++out_of_order;
        expected[priority] = m.sequence + 1;
    }
    int status = -1;
    waitpid(child, &status, 0);
    check(status == 0, "sender", "the sender exited with %d", status);
    check(received == MESSAGES, "all_received", "%u of %u messages", (unsigned)received, (unsigned)MESSAGES);
    check(bad == 0, "checksums", "%u messages damaged", (unsigned)bad);
    check(out_of_order == 0, "fifo_per_priority", "%u messages out of order within their priority",
        (unsigned)out_of_order);
    check(per_level[0] && per_level[1] && per_level[2] && per_level[3], "all_priorities",
        "per level: %u %u %u %u", (unsigned)per_level[0], (unsigned)per_level[1], (unsigned)per_level[2],
        (unsigned)per_level[3]);
    struct channel_stats stats;
    channel_stats(channel, &stats);
    check(stats.messages_sent == MESSAGES && stats.messages_received == MESSAGES && stats.bytes_received == bytes
            && stats.bytes_sent == bytes,
        "statistics", "sent %u/%u bytes, received %u/%u bytes", (unsigned)stats.messages_sent,
        (unsigned)stats.bytes_sent, (unsigned)stats.messages_received, (unsigned)stats.bytes_received);
    printf("ipc_channel: %u messages, %u bytes; the sender slept %u times, the receiver %u times\n",
        (unsigned)received, (unsigned)bytes, (unsigned)stats.sender_waits, (unsigned)stats.receiver_waits);
    channel_close(channel);
    check(channel_destroy("t.million") == 0, "destroy", "channel_destroy failed");
}

// ---- priorities and timeouts -----------------------------------------------

static void priorities_and_timeouts(void)
{
    channel_t* channel = NULL;
    if (!check(channel_create(&channel, "t.prio", 16384, 0) == 0, "create_small", "channel_create failed"))
        return;
    pid_t child = fork();
    if (child == 0) {
        channel_t* sender = NULL;
        if (channel_connect(&sender, "t.prio") != 0)
            _exit(20);
        for (int level = 3; level >= 0; --level) {
            for (uint32_t k = 0; k < 10; ++k) {
                uint32_t value = (uint32_t)level * 100 + k;
                if (channel_send(sender, (unsigned)level, &value, sizeof(value), 0) != 0)
                    _exit(21);
            }
        }
        _exit(0);
    }
    int status = -1;
    waitpid(child, &status, 0);
    check(status == 0, "priority_sender", "the sender exited with %d", status);
    int order_ok = 1;
    unsigned last_level = 0;
    uint32_t last_value = 0;
    for (int i = 0; i < 40; ++i) {
        uint32_t value = 0;
        unsigned level = 9;
        int length = channel_receive(channel, &value, sizeof(value), &level, 0);
        if (length != 4 || level < last_level || value / 100 != level || (i && level == last_level && value <= last_value))
            order_ok = 0;
        last_level = level;
        last_value = value;
    }
    check(order_ok, "priority_order", "messages did not come most urgent first, FIFO within a level");

    uint32_t value = 0;
    check(channel_receive(channel, &value, sizeof(value), NULL, 0) == -EAGAIN, "empty_no_wait",
        "a receive without waiting on an empty channel should say EAGAIN");
    uint64_t before = 0, after = 0;
    sys_clock_ns(&before);
    int timed = channel_receive(channel, &value, sizeof(value), NULL, 50);
    sys_clock_ns(&after);
    uint64_t waited_ms = (after - before) / 1000000;
    check(timed == -ETIMEDOUT && waited_ms >= 45, "receive_timeout", "result %d after %u ms", timed,
        (unsigned)waited_ms);

    // Fill priority 2 until it refuses, then a timed send times out.
    uint8_t big[512];
    memset(big, 0x42, sizeof(big));
    int sent = 0, result;
    while ((result = channel_send(channel, 2, big, sizeof(big), 0)) == 0)
        ++sent;
    check(result == -EAGAIN && sent > 0, "full_no_wait", "after %d messages: %d", sent, result);
    check(channel_send(channel, 2, big, sizeof(big), 30) == -ETIMEDOUT, "send_timeout", "a full ring should time out");
    check(channel_send(channel, 1, big, sizeof(big), 0) == 0, "other_levels_free", "level 1 has its own ring");
    check(channel_send(channel, 4, big, 4, 0) == -EINVAL, "bad_priority", "priority 4 should be refused");
    check(channel_send(channel, 0, big, channel_max_message(channel) + 1, 0) == -EMSGSIZE, "too_big",
        "a message larger than a ring should be refused");
    uint8_t small[4];
    unsigned level = 9;
    check(channel_receive(channel, small, sizeof(small), &level, 0) == -EMSGSIZE, "buffer_too_small",
        "a short buffer should say EMSGSIZE");
    check(channel_receive(channel, big, sizeof(big), &level, 0) == (int)sizeof(big) && level == 1,
        "message_kept", "the message should still be there after EMSGSIZE");
    channel_close(channel);
    channel_destroy("t.prio");
}

// ---- lifetime -------------------------------------------------------------

static void lifetime(void)
{
    channel_t* control = NULL;
    if (!check(channel_create(&control, "t.control", 16384, 0) == 0, "create_control", "channel_create failed"))
        return;
    pid_t child = fork();
    if (child == 0) {
        // The child creates "t.life" and receives on it; it says so on
        // t.control, takes one message and exits with two still queued.
        channel_t* life = NULL;
        channel_t* to_parent = NULL;
        if (channel_create(&life, "t.life", 16384, 0) != 0 || channel_connect(&to_parent, "t.control") != 0)
            _exit(30);
        uint32_t ready = 1;
        channel_send(to_parent, 0, &ready, sizeof(ready), CHANNEL_FOREVER);
        uint32_t value = 0;
        if (channel_receive(life, &value, sizeof(value), NULL, 10000) != 4 || value != 7)
            _exit(31);
        _exit(0);
    }
    uint32_t ready = 0;
    check(channel_receive(control, &ready, sizeof(ready), NULL, 10000) == 4, "child_ready", "no word from the child");
    channel_t* life = NULL;
    check(channel_connect(&life, "t.life") == 0, "connect", "could not connect to the child's channel");
    if (!life)
        return;
    for (uint32_t value = 7; value < 10; ++value)
        channel_send(life, 0, &value, sizeof(value), 0);
    int status = -1;
    waitpid(child, &status, 0);
    check(status == 0, "child_received", "the child exited with %d", status);
    channel_t* again = NULL;
    check(channel_connect(&again, "t.life") == -ENOENT, "name_gone", "the name should go with its creator");
    // The memory stays while we map it: the two messages are still there.
    uint32_t value = 0;
    int got = channel_receive(life, &value, sizeof(value), NULL, 0);
    check(got == 4 && value == 8, "outlives_creator", "got %d, value %u", got, (unsigned)value);
    struct channel_stats stats;
    channel_stats(life, &stats);
    check(stats.messages_sent == 3 && stats.messages_received == 2, "stats_survive",
        "sent %u, received %u", (unsigned)stats.messages_sent, (unsigned)stats.messages_received);
    channel_t* reused = NULL;
    check(channel_create(&reused, "t.life", 16384, 0) == 0, "name_reuse", "the freed name could not be used again");
    if (reused) {
        channel_stats(reused, &stats);
        check(stats.messages_sent == 0, "reuse_is_new", "a new channel under an old name should start empty");
        channel_close(reused);
        channel_destroy("t.life");
    }
    channel_close(life);
    channel_close(control);
    channel_destroy("t.control");
}

// ---- access ----------------------------------------------------------------

static void access_control(void)
{
    channel_t* control = NULL;
    if (channel_create(&control, "t.access", 16384, 0) != 0)
        return;
    pid_t child = fork();
    if (child == 0) {
        // A private channel: our own child may connect, our parent may not.
        channel_t* mine = NULL;
        channel_t* to_parent = NULL;
        if (channel_create(&mine, "t.private", 16384, CHANNEL_PRIVATE) != 0
            || channel_connect(&to_parent, "t.access") != 0)
            _exit(40);
        pid_t grandchild = fork();
        if (grandchild == 0) {
            channel_t* inside = NULL;
            _exit(channel_connect(&inside, "t.private") == 0 ? 0 : 41);
        }
        int status = -1;
        waitpid(grandchild, &status, 0);
        uint32_t report = (uint32_t)status;
        channel_send(to_parent, 0, &report, sizeof(report), CHANNEL_FOREVER);
        // Stay until the parent has tried.
        uint32_t done = 0;
        channel_receive(mine, &done, sizeof(done), NULL, 10000);
        _exit(0);
    }
    uint32_t report = 99;
    channel_receive(control, &report, sizeof(report), NULL, 10000);
    check(report == 0, "descendant_allowed", "the creator's child could not connect (status %u)", (unsigned)report);
    channel_t* outside = NULL;
    int refused = channel_connect(&outside, "t.private");
    check(refused == -EACCES, "outsider_refused", "connecting from outside the tree gave %d", refused);
    check(channel_destroy("t.private") == -EACCES, "outsider_cannot_destroy", "only the creator's tree may destroy");
    kill(child);
    int status = -1;
    waitpid(child, &status, 0);
    check(channel_connect(&outside, "t.private") == -ENOENT, "gone_with_creator", "the name should be gone");
    channel_close(control);
    channel_destroy("t.access");
}

int main(void)
{
    begin("ipc_channel");
    struct VmStats before, after;
    memset(&before, 0, sizeof(before));
    memset(&after, 0, sizeof(after));
    vm_stats(-1, &before);
    priorities_and_timeouts();
    lifetime();
    access_control();
    million();
    vm_stats(-1, &after);
    // Every channel is closed and every child gone: the frames are back.
    check(after.free_frames + 16 >= before.free_frames, "no_leak", "free frames %u -> %u",
        (unsigned)before.free_frames, (unsigned)after.free_frames);
    return finish();
}
