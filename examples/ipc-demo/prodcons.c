// A producer/consumer pair over a channel with priorities. The producer (a
// child process) queues 40 jobs, ten at each priority, lowest first; the
// consumer starts late on purpose and still takes the urgent ones first.
#include <colibri/channel.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

struct job {
    unsigned number;
    unsigned priority;
};

int main(void)
{
    channel_t* jobs = NULL;
    int result = channel_create(&jobs, "prodcons.jobs", 64 * 1024, CHANNEL_PRIVATE);
    if (result != 0) {
        printf("prodcons: channel_create failed: %d\n", result);
        return 1;
    }
    pid_t producer = fork();
    if (producer == 0) {
        channel_t* out = NULL;
        if (channel_connect(&out, "prodcons.jobs") != 0)
            _exit(1);
        unsigned number = 0;
        for (int priority = 3; priority >= 0; --priority) {
            for (int k = 0; k < 10; ++k) {
                struct job job = { number++, (unsigned)priority };
                channel_send(out, (unsigned)priority, &job, sizeof(job), CHANNEL_FOREVER);
            }
        }
        channel_close(out);
        _exit(0);
    }
    waitpid(producer, NULL, 0); // let every job queue up first
    unsigned counts[4] = { 0, 0, 0, 0 };
    unsigned previous = 0, in_order = 1;
    struct job job;
    unsigned priority;
    while (channel_receive(jobs, &job, sizeof(job), &priority, 100) == (int)sizeof(job)) {
        ++counts[priority];
        if (priority < previous)
            in_order = 0;
        previous = priority;
    }
    struct channel_stats stats;
    channel_stats(jobs, &stats);
    printf("prodcons: %u urgent, %u high, %u normal, %u low jobs; %s; %u messages, %u bytes\n", counts[0],
        counts[1], counts[2], counts[3], in_order ? "most urgent first" : "OUT OF ORDER",
        (unsigned)stats.messages_received, (unsigned)stats.bytes_received);
    channel_close(jobs);
    return in_order && counts[0] == 10 && counts[3] == 10 ? 0 : 1;
}
