// An event-loop server: one event queue watches the channels of several
// clients (child processes), their exits and a periodic timer, and serves
// whatever is ready, in batches, without a thread per client.
#include <colibri/channel.h>
#include <colibri/event.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

enum { CLIENTS = 4, REQUESTS = 25, TIMER_TAG = 1000, EXIT_TAG = 2000 };

static int client(int index)
{
    char name[32];
    snprintf(name, sizeof(name), "evserver.%d", index);
    channel_t* out = NULL;
    if (channel_connect(&out, name) != 0)
        return 1;
    for (unsigned i = 1; i <= REQUESTS; ++i) {
        unsigned request = (unsigned)index * 1000 + i;
        channel_send(out, 0, &request, sizeof(request), CHANNEL_FOREVER);
        if (i % 5 == 0)
            sys_sleep_ms(3 + (unsigned)index);
    }
    return 0;
}

int main(void)
{
    int queue = eq_create();
    channel_t* channels[CLIENTS];
    uint32_t* words[CLIENTS];
    pid_t pids[CLIENTS];
    for (int i = 0; i < CLIENTS; ++i) {
        char name[32];
        snprintf(name, sizeof(name), "evserver.%d", i);
        if (channel_create(&channels[i], name, 16384, CHANNEL_PRIVATE) != 0) {
            printf("evserver: cannot create %s\n", name);
            return 1;
        }
        uint32_t current;
        words[i] = channel_event_word(channels[i], &current);
        eq_watch_word(queue, EQ_ADD, words[i], current, EQ_READABLE, EQ_LEVEL, (uint64_t)i);
    }
    int tick = timer_create(10, 10);
    eq_watch_timer(queue, EQ_ADD, tick, EQ_TIMER, EQ_LEVEL, TIMER_TAG);
    for (int i = 0; i < CLIENTS; ++i) {
        pids[i] = fork();
        if (pids[i] == 0)
            _exit(client(i));
        eq_watch_process(queue, EQ_ADD, pids[i], EQ_HANGUP, EQ_LEVEL, EXIT_TAG + (uint64_t)i);
    }

    unsigned served = 0, ticks = 0, exited = 0, waits = 0;
    unsigned long long checksum = 0;
    while (exited < CLIENTS || served < CLIENTS * REQUESTS) {
        struct EqEvent events[16];
        int count = eq_wait(queue, events, 16, 5000);
        if (count <= 0)
            break;
        ++waits;
        for (int e = 0; e < count; ++e) {
            uint64_t tag = events[e].user_data;
            if (tag == TIMER_TAG) {
                uint64_t expirations = 0;
                timer_read(tick, &expirations);
                ticks += (unsigned)expirations;
            } else if (tag >= EXIT_TAG) {
                int i = (int)(tag - EXIT_TAG);
                waitpid(pids[i], NULL, 0);
                eq_watch_process(queue, EQ_REMOVE, pids[i], 0, 0, 0);
                ++exited;
            } else {
                int i = (int)tag;
                uint32_t current;
                channel_event_word(channels[i], &current); // before draining
                unsigned request;
                while (channel_receive(channels[i], &request, sizeof(request), NULL, 0) == (int)sizeof(request)) {
                    ++served;
                    checksum += request;
                }
                eq_watch_word(queue, EQ_MODIFY, words[i], current, EQ_READABLE, EQ_LEVEL, (uint64_t)i);
            }
        }
    }
    struct EqStats stats;
    eq_stats(queue, &stats);
    printf("evserver: served %u requests from %u clients (checksum %llu) in %u waits, %u timer ticks; "
           "average batch %u.%03u\n",
        served, exited, checksum, waits, ticks, (unsigned)(stats.average_batch_x1000 / 1000),
        (unsigned)(stats.average_batch_x1000 % 1000));
    for (int i = 0; i < CLIENTS; ++i)
        channel_close(channels[i]);
    handle_close(tick);
    handle_close(queue);
    return served == CLIENTS * REQUESTS && exited == CLIENTS ? 0 : 1;
}
