// Host throughput of the message ring: one producer thread, one consumer
// thread, 64-byte messages, a 64 KiB ring. Each message carries its sequence
// number, which the consumer checks, so a broken ring cannot post a number.
// The same workload runs over boost::lockfree::spsc_queue for comparison
// when Boost is available. Each figure is the best of five runs.
//
// Usage: ring_bench [messages per run]   (default 2000000)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "lib/ipc/Ring.h"

#ifdef COLIBRI_HAVE_BOOST_LOCKFREE
#    include <boost/lockfree/spsc_queue.hpp>
#endif

using namespace lib::ipc;

namespace {

constexpr u32 MessageSize = 64;
constexpr u32 RingCapacity = 64 * 1024;

struct Message {
    u64 sequence;
    u8 payload[MessageSize - sizeof(u64)];
};
static_assert(sizeof(Message) == MessageSize);

// Spin briefly, then give the core away (the machine may have fewer cores
// than runnable threads).
struct Backoff {
    u32 spins { 0 };
    void wait()
    {
        if (++spins < 64) {
            cpu_relax();
        } else {
            spins = 0;
            std::this_thread::yield();
        }
    }
};

[[noreturn]] void fail(const char* what)
{
    std::fprintf(stderr, "ring_bench: %s\n", what);
    std::exit(1);
}

template<typename Run>
double rate_of(u64 count, Run run)
{
    auto begin = std::chrono::steady_clock::now();
    run(count);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    return static_cast<double>(count) / seconds;
}

// publish_every: the producer publishes head after this many messages (and
// whenever the ring is full); release_batch: the consumer's tail batching.
void run_ring(u64 count, u32 publish_every, u32 release_batch)
{
    size_t bytes = RingView::region_size(RingCapacity);
    void* memory = std::aligned_alloc(CacheLine, bytes);
    auto made = RingView::initialize(memory, bytes);
    if (made.is_error())
        fail("ring initialize");
    RingView ring = made.release_value();
    std::atomic<bool> bad { false };
    std::thread consumer_thread([&] {
        RingConsumer consumer(ring, release_batch);
        Message message;
        Backoff backoff;
        for (u64 expected = 0; expected < count;) {
            u32 length = 0;
            auto result = consumer.try_receive(&message, sizeof(message), length);
            if (result.is_error()) {
                bad = true;
                return;
            }
            if (!result.value()) {
                backoff.wait();
                continue;
            }
            if (length != MessageSize || message.sequence != expected) {
                bad = true;
                return;
            }
            ++expected;
        }
    });
    RingProducer producer(ring);
    Message message;
    std::memset(&message, 0x5a, sizeof(message));
    Backoff backoff;
    for (u64 i = 0; i < count; ++i) {
        message.sequence = i;
        for (;;) {
            auto result = producer.try_write(&message, sizeof(message));
            if (result.is_error())
                fail("ring send");
            if (result.value())
                break;
            if (bad)
                break;
            backoff.wait();
        }
        if ((i + 1) % publish_every == 0)
            producer.publish();
        if (bad)
            break;
    }
    producer.publish();
    consumer_thread.join();
    std::free(memory);
    if (bad)
        fail("ring delivered a wrong message");
}

#ifdef COLIBRI_HAVE_BOOST_LOCKFREE
void run_boost(u64 count)
{
    using Queue = boost::lockfree::spsc_queue<Message, boost::lockfree::capacity<RingCapacity / MessageSize>>;
    auto* queue = new Queue;
    std::atomic<bool> bad { false };
    std::thread consumer_thread([&] {
        Message message;
        Backoff backoff;
        for (u64 expected = 0; expected < count;) {
            if (!queue->pop(message)) {
                backoff.wait();
                continue;
            }
            if (message.sequence != expected) {
                bad = true;
                return;
            }
            ++expected;
        }
    });
    Message message;
    std::memset(&message, 0x5a, sizeof(message));
    Backoff backoff;
    for (u64 i = 0; i < count && !bad; ++i) {
        message.sequence = i;
        while (!queue->push(message) && !bad)
            backoff.wait();
    }
    consumer_thread.join();
    delete queue;
    if (bad)
        fail("boost queue delivered a wrong message");
}
#endif

} // namespace

int main(int argc, char** argv)
{
    u64 count = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2000000;
    if (count == 0)
        fail("message count must be positive");
    // The variants take turns, so a burst of load from other processes hurts
    // them alike; each figure is the best of the rounds (the least disturbed
    // run), with the median printed as a comment for context.
    constexpr int Rounds = 5;
    std::vector<double> ring, batched, boost;
    for (int round = 0; round < Rounds; ++round) {
        ring.push_back(rate_of(count, [](u64 n) { run_ring(n, 1, 0); }));
        batched.push_back(rate_of(count, [](u64 n) { run_ring(n, 16, 4096); }));
#ifdef COLIBRI_HAVE_BOOST_LOCKFREE
        boost.push_back(rate_of(count, run_boost));
#endif
    }
    auto report = [](const char* name, std::vector<double>& rates) {
        std::sort(rates.begin(), rates.end());
        std::printf("%s %.0f\n", name, rates.back());
        std::printf("# %s median %.0f\n", name, rates[rates.size() / 2]);
    };
    report("ring_msgs_s_host", ring);
    report("ring_batched_msgs_s_host", batched);
#ifdef COLIBRI_HAVE_BOOST_LOCKFREE
    report("boost_spsc_msgs_s_host", boost);
#else
    std::printf("# boost_spsc_msgs_s_host: not built (boost/lockfree/spsc_queue.hpp not found)\n");
#endif
    return 0;
}
