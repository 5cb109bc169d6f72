// Event queues (<colibri/event.h>): level, edge and one-shot watches of
// words, timers (one-shot, periodic, wait timeouts), process exit, 1000
// watched words with a few ready, a channel in an event loop, bad handles,
// statistics.
#include <colibri/channel.h>
#include <colibri/event.h>
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static uint64_t now_ms(void)
{
    uint64_t ns = 0;
    sys_clock_ns(&ns);
    return ns / 1000000;
}

static void set_word(uint32_t* word, uint32_t value)
{
    __atomic_store_n(word, value, __ATOMIC_SEQ_CST);
    sys_futex_wake(word, 1);
}

static uint32_t words[1000];

static void triggers(int queue)
{
    struct EqEvent events[8];
    uint32_t* level = &words[0];
    uint32_t* edge = &words[1];
    uint32_t* once = &words[2];
    check(eq_watch_word(queue, EQ_ADD, level, 0, EQ_READABLE, EQ_LEVEL, 100) == 0, "add_level", "eq_ctl failed");
    check(eq_watch_word(queue, EQ_ADD, edge, 0, EQ_READABLE, EQ_EDGE, 101) == 0, "add_edge", "eq_ctl failed");
    check(eq_watch_word(queue, EQ_ADD, once, 0, EQ_READABLE, EQ_ONESHOT, 102) == 0, "add_oneshot", "eq_ctl failed");
    check(eq_watch_word(queue, EQ_ADD, level, 0, EQ_READABLE, EQ_LEVEL, 100) == -EEXIST, "add_twice",
        "a second add of one word should be EEXIST");
    check(eq_wait(queue, events, 8, 0) == 0, "quiet", "nothing changed, yet events came");

    set_word(level, 1);
    int n = eq_wait(queue, events, 8, 0);
    check(n == 1 && events[0].user_data == 100 && events[0].ready == EQ_READABLE, "level_fires",
        "%d events, user data %u", n, n > 0 ? (unsigned)events[0].user_data : 0);
    check(eq_wait(queue, events, 8, 0) == 1, "level_stays", "a level watch should report again while ready");
    check(eq_watch_word(queue, EQ_MODIFY, level, 1, EQ_READABLE, EQ_LEVEL, 100) == 0
            && eq_wait(queue, events, 8, 0) == 0,
        "level_rearmed", "after modify with the new value the word is quiet");

    set_word(edge, 1);
    n = eq_wait(queue, events, 8, 0);
    check(n == 1 && events[0].user_data == 101, "edge_fires", "%d events", n);
    check(eq_wait(queue, events, 8, 0) == 0, "edge_once", "an edge watch reports a change once");
    set_word(edge, 0);
    set_word(edge, 2);
    n = eq_wait(queue, events, 8, 0);
    check(n == 1 && events[0].user_data == 101, "edge_again", "a new edge should fire again: %d", n);

    set_word(once, 1);
    n = eq_wait(queue, events, 8, 0);
    check(n == 1 && events[0].user_data == 102, "oneshot_fires", "%d events", n);
    set_word(once, 0);
    set_word(once, 3);
    check(eq_wait(queue, events, 8, 0) == 0, "oneshot_disabled", "a fired one-shot watch must stay quiet");
    check(eq_watch_word(queue, EQ_MODIFY, once, 0, EQ_READABLE, EQ_ONESHOT, 103) == 0, "oneshot_modify", "eq_ctl");
    n = eq_wait(queue, events, 8, 0);
    check(n == 1 && events[0].user_data == 103, "oneshot_rearmed", "modify re-arms with the new user data: %d", n);

    for (int i = 0; i < 3; ++i)
        eq_watch_word(queue, EQ_REMOVE, &words[i], 0, 0, 0, 0);
    check(eq_watch_word(queue, EQ_REMOVE, level, 0, 0, 0, 0) == -ENOENT, "remove_twice", "should be ENOENT");
    memset(words, 0, sizeof(words));
}

static void timers(int queue)
{
    struct EqEvent events[8];
    uint64_t start = now_ms();
    check(eq_wait(queue, events, 8, 40) == 0 && now_ms() - start >= 38, "wait_timeout",
        "an empty queue should time out after 40 ms (took %u ms)", (unsigned)(now_ms() - start));

    int once = timer_create(30, 0);
    check(once > 0, "timer_create", "timer_create: %d", once);
    check(eq_watch_timer(queue, EQ_ADD, once, EQ_TIMER, EQ_LEVEL, 7) == 0, "watch_timer", "eq_ctl failed");
    start = now_ms();
    int n = eq_wait(queue, events, 8, 2000);
    uint64_t took = now_ms() - start;
    check(n == 1 && events[0].user_data == 7 && events[0].ready == EQ_TIMER && took >= 25, "timer_fires",
        "%d events after %u ms", n, (unsigned)took);
    uint64_t expirations = 0;
    check(timer_read(once, &expirations) == 0 && expirations == 1, "timer_read", "%u expirations",
        (unsigned)expirations);
    check(eq_wait(queue, events, 8, 0) == 0, "timer_acknowledged", "a read timer should be quiet");
    handle_close(once);

    int periodic = timer_create(10, 10);
    eq_watch_timer(queue, EQ_ADD, periodic, EQ_TIMER, EQ_EDGE, 8);
    sys_sleep_ms(75);
    n = eq_wait(queue, events, 8, 0);
    check(n == 1 && events[0].user_data == 8, "periodic_fires", "%d events", n);
    timer_read(periodic, &expirations);
    check(expirations >= 5 && expirations <= 9, "periodic_count", "%u expirations in 75 ms of 10 ms periods",
        (unsigned)expirations);
    check(timer_set(periodic, 0, 0) == 0, "timer_disarm", "timer_set failed");
    sys_sleep_ms(30);
    timer_read(periodic, &expirations);
    check(expirations <= 1, "timer_disarmed", "%u expirations after disarming", (unsigned)expirations);
    check(handle_close(periodic) == 0 && handle_close(periodic) == -EBADF, "close_twice",
        "a closed handle should be EBADF");
    check(eq_wait(queue, events, 8, 0) == 0, "closed_timer_gone", "a closed timer left its watch behind");
}

static void many_words(int queue)
{
    int ok = 1;
    for (int i = 0; i < 1000; ++i)
        ok &= eq_watch_word(queue, EQ_ADD, &words[i], 0, EQ_READABLE, EQ_LEVEL, 1000 + (uint64_t)i) == 0;
    check(ok, "watch_1000", "adding 1000 word watches failed");
    set_word(&words[5], 1);
    set_word(&words[500], 1);
    set_word(&words[999], 1);
    struct EqEvent events[64];
    int n = eq_wait(queue, events, 64, 0);
    uint64_t seen = 0;
    for (int i = 0; i < n; ++i)
        seen += events[i].user_data;
    check(n == 3 && seen == 1005 + 1500 + 1999, "three_of_1000", "%d events (sum of user data %u)", n,
        (unsigned)seen);
    struct EqStats stats;
    check(eq_stats(queue, &stats) == 0 && stats.delivered > 0 && stats.wait_calls > 0, "stats",
        "eq_stats failed or counted nothing");
    printf("events: delivered %u in %u waits (average batch %u.%03u), %u spurious\n", (unsigned)stats.delivered,
        (unsigned)stats.wait_calls, (unsigned)(stats.average_batch_x1000 / 1000),
        (unsigned)(stats.average_batch_x1000 % 1000), (unsigned)stats.spurious);
    for (int i = 0; i < 1000; ++i)
        eq_watch_word(queue, EQ_REMOVE, &words[i], 0, 0, 0, 0);
    memset(words, 0, sizeof(words));
}

static void process_exit(int queue)
{
    pid_t child = fork();
    if (child == 0) {
        sys_sleep_ms(30);
        _exit(0);
    }
    check(eq_watch_process(queue, EQ_ADD, child, EQ_HANGUP, EQ_LEVEL, 55) == 0, "watch_process", "eq_ctl failed");
    struct EqEvent events[4];
    int n = eq_wait(queue, events, 4, 5000);
    check(n == 1 && events[0].user_data == 55 && events[0].ready == EQ_HANGUP, "process_exit",
        "%d events", n);
    waitpid(child, NULL, 0);
    eq_watch_process(queue, EQ_REMOVE, child, 0, 0, 0);
    check(eq_watch_process(queue, EQ_ADD, 0x7FFFFFF, EQ_HANGUP, 0, 0) == -ENOENT, "no_such_process",
        "watching a missing pid should be ENOENT");
}

// An event loop: a channel fed by a child and a periodic timer.
static void channel_loop(int queue)
{
    channel_t* channel = NULL;
    if (!check(channel_create(&channel, "t.events", 16384, 0) == 0, "channel", "channel_create failed"))
        return;
    uint32_t current = 0;
    uint32_t* word = channel_event_word(channel, &current);
    eq_watch_word(queue, EQ_ADD, word, current, EQ_READABLE, EQ_LEVEL, 1);
    int tick = timer_create(5, 5);
    eq_watch_timer(queue, EQ_ADD, tick, EQ_TIMER, EQ_LEVEL, 2);
    pid_t child = fork();
    if (child == 0) {
        channel_t* out = NULL;
        if (channel_connect(&out, "t.events") != 0)
            _exit(1);
        for (uint32_t i = 0; i < 20; ++i) {
            channel_send(out, i % 4, &i, sizeof(i), CHANNEL_FOREVER);
            if (i % 5 == 0)
                sys_sleep_ms(7);
        }
        _exit(0);
    }
    uint32_t received = 0, sum = 0, ticks = 0;
    for (int round = 0; round < 1000 && received < 20; ++round) {
        struct EqEvent events[8];
        int n = eq_wait(queue, events, 8, 2000);
        if (n <= 0)
            break;
        for (int i = 0; i < n; ++i) {
            if (events[i].user_data == 2) {
                uint64_t expirations = 0;
                timer_read(tick, &expirations);
                ticks += (uint32_t)expirations;
                continue;
            }
            channel_event_word(channel, &current); // before draining
            uint32_t value;
            while (channel_receive(channel, &value, sizeof(value), NULL, 0) == 4) {
                ++received;
                sum += value;
            }
            eq_watch_word(queue, EQ_MODIFY, word, current, EQ_READABLE, EQ_LEVEL, 1);
        }
    }
    int status = -1;
    waitpid(child, &status, 0);
    check(received == 20 && sum == 190 && status == 0, "channel_loop", "received %u messages (sum %u), child %d",
        (unsigned)received, (unsigned)sum, status);
    check(ticks > 0, "loop_ticks", "the periodic timer never fired during the loop");
    handle_close(tick);
    eq_watch_word(queue, EQ_REMOVE, word, 0, 0, 0, 0);
    channel_close(channel);
    channel_destroy("t.events");
}

int main(void)
{
    begin("events");
    int queue = eq_create();
    if (!check(queue > 0, "create", "eq_create: %d", queue))
        return finish();
    triggers(queue);
    timers(queue);
    many_words(queue);
    process_exit(queue);
    channel_loop(queue);
    struct EqEvent events[1];
    check(eq_wait(9999, events, 1, 0) == -EBADF, "bad_handle", "a bad handle should be EBADF");
    check(eq_wait(queue, events, 0, 0) == -EINVAL, "bad_capacity", "capacity 0 should be EINVAL");
    check(eq_watch_word(queue, EQ_ADD, (uint32_t*)0xC0000000u, 0, EQ_READABLE, 0, 0) < 0, "kernel_word",
        "watching a kernel address should fail");
    check(eq_watch_word(queue, EQ_ADD, (uint32_t*)((char*)words + 2), 0, EQ_READABLE, 0, 0) == -EINVAL,
        "misaligned_word", "a misaligned word should be EINVAL");
    check(handle_close(queue) == 0, "close", "handle_close failed");
    return finish();
}
