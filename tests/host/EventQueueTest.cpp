#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "kernel/event/EventQueue.h"

using event::Event;
using event::EventQueue;
using event::EventSource;
using event::TimerList;
using event::TimerSource;
namespace Ready = event::Ready;
namespace Mode = event::Mode;

namespace {

// Collects with a generous buffer; returns the events in delivery order.
std::vector<Event> collect(EventQueue& queue, size_t capacity = 64, u64 now = 0)
{
    std::vector<Event> events(capacity);
    auto result = queue.wait(events.data(), capacity, now);
    EXPECT_FALSE(result.is_error());
    events.resize(result.is_error() ? 0 : result.value());
    return events;
}

struct HookCounter {
    int calls { 0 };
    static void hook(void* self) { static_cast<HookCounter*>(self)->calls++; }
};

TEST(EventQueue, LevelTriggeredRepeatsWhileReady)
{
    EventQueue queue;
    EventSource source;
    ASSERT_FALSE(queue.add(source, Ready::Readable, Mode::Level, 7).is_error());
    EXPECT_TRUE(collect(queue).empty());
    EXPECT_FALSE(queue.has_ready());

    source.notify(Ready::Readable | Ready::Writable);
    for (int round = 0; round < 3; round++) {
        auto events = collect(queue);
        ASSERT_EQ(events.size(), 1u);
        EXPECT_EQ(events[0].user_data, 7u);
        EXPECT_EQ(events[0].ready, Ready::Readable); // Writable not in interest
    }

    // Readiness gone: the queued entry leaves the ready list at once; an
    // empty wait after it is not a spurious wakeup (nothing woke anyone).
    source.notify(Ready::Writable);
    EXPECT_FALSE(queue.has_ready());
    EXPECT_TRUE(collect(queue).empty());
    EXPECT_EQ(queue.stats().spurious, 0u);
}

TEST(EventQueue, EdgeTriggeredOncePerNewReadiness)
{
    EventQueue queue;
    EventSource source;
    ASSERT_FALSE(queue.add(source, Ready::Readable | Ready::HangUp, Mode::Edge, 1).is_error());

    source.notify(Ready::Readable);
    auto events = collect(queue);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].ready, Ready::Readable);
    // Still readable, but no new edge: nothing more.
    EXPECT_TRUE(collect(queue).empty());
    source.notify(Ready::Readable);
    EXPECT_TRUE(collect(queue).empty());

    // A new bit is a new edge; the event carries the full current mask.
    source.notify(Ready::Readable | Ready::HangUp);
    events = collect(queue);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].ready, Ready::Readable | Ready::HangUp);

    // Falling and rising again is another edge.
    source.notify(0);
    source.notify(Ready::Readable);
    EXPECT_EQ(collect(queue).size(), 1u);

    // Two edges before a wait coalesce into one event.
    source.notify(0);
    source.notify(Ready::Readable);
    source.notify(0);
    source.notify(Ready::Readable);
    EXPECT_EQ(collect(queue).size(), 1u);
    EXPECT_EQ(queue.stats().spurious, 0u);
}

TEST(EventQueue, OneShotDisabledUntilModify)
{
    EventQueue queue;
    EventSource source;
    ASSERT_FALSE(queue.add(source, Ready::Readable, Mode::OneShot, 3).is_error());
    source.notify(Ready::Readable);
    EXPECT_EQ(collect(queue).size(), 1u);
    EXPECT_TRUE(collect(queue).empty());
    source.notify(0);
    source.notify(Ready::Readable);
    EXPECT_TRUE(collect(queue).empty());
    EXPECT_FALSE(queue.has_ready());

    // Re-arming while ready queues it at once, with the new user data.
    ASSERT_FALSE(queue.modify(source, Ready::Readable, Mode::OneShot, 4).is_error());
    auto events = collect(queue);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].user_data, 4u);
    EXPECT_TRUE(collect(queue).empty());

    // Edge + one-shot: re-armed while not ready, fires on the next edge.
    source.notify(0);
    ASSERT_FALSE(queue.modify(source, Ready::Readable, Mode::Edge | Mode::OneShot, 5).is_error());
    EXPECT_TRUE(collect(queue).empty());
    source.notify(Ready::Readable);
    events = collect(queue);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].user_data, 5u);
}

TEST(EventQueue, AddModifyRemoveErrors)
{
    EventQueue queue;
    EventSource a, b;
    ASSERT_FALSE(queue.add(a, Ready::Readable, Mode::Level, 1).is_error());
    auto again = queue.add(a, Ready::Writable, Mode::Level, 2);
    ASSERT_TRUE(again.is_error());
    EXPECT_EQ(again.error().code(), ErrorCode::AlreadyExists);
    EXPECT_EQ(queue.add(b, 0, Mode::Level, 1).error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(queue.add(b, Ready::Readable, 0x80, 1).error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(queue.add(b, 1u << 20, Mode::Level, 1).error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(queue.modify(b, Ready::Readable, Mode::Level, 1).error().code(), ErrorCode::NotFound);
    EXPECT_EQ(queue.modify(a, Ready::Readable, 0x80, 1).error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(queue.remove(b).error().code(), ErrorCode::NotFound);
    Event event;
    EXPECT_EQ(queue.wait(&event, 0, 0).error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(queue.wait(nullptr, 1, 0).error().code(), ErrorCode::InvalidArgument);

    EXPECT_TRUE(queue.is_watching(a));
    EXPECT_EQ(queue.watch_count(), 1u);
    a.notify(Ready::Readable);
    EXPECT_TRUE(queue.has_ready());
    ASSERT_FALSE(queue.remove(a).is_error());
    EXPECT_FALSE(queue.has_ready());
    EXPECT_FALSE(queue.is_watching(a));
    EXPECT_EQ(a.watcher_count(), 0u);
    EXPECT_TRUE(collect(queue).empty());
    // Removed sources can be added again.
    ASSERT_FALSE(queue.add(a, Ready::Readable, Mode::Level, 9).is_error());
    auto events = collect(queue);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].user_data, 9u);
}

TEST(EventQueue, ModifyChangesInterestAndUnqueues)
{
    EventQueue queue;
    EventSource source;
    ASSERT_FALSE(queue.add(source, Ready::Readable, Mode::Level, 1).is_error());
    source.notify(Ready::Readable);
    EXPECT_TRUE(queue.has_ready());
    // The new interest is not ready: the entry leaves the list, no spurious.
    ASSERT_FALSE(queue.modify(source, Ready::Writable, Mode::Level, 2).is_error());
    EXPECT_FALSE(queue.has_ready());
    EXPECT_TRUE(collect(queue).empty());
    EXPECT_EQ(queue.stats().spurious, 0u);
    source.notify(Ready::Readable | Ready::Writable);
    auto events = collect(queue);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].user_data, 2u);
    EXPECT_EQ(events[0].ready, Ready::Writable);
}

TEST(EventQueue, EmptyInterestSilencesUntilModified)
{
    // A KolibriOS event mask of 0: the watch stays, reports nothing and
    // wakes nobody; readiness that arrived meanwhile is reported once the
    // interest returns.
    EventQueue queue;
    HookCounter counter;
    queue.set_wake_hook(HookCounter::hook, &counter);
    EventSource source;
    ASSERT_FALSE(queue.add(source, Ready::Readable, Mode::Level, 1).is_error());
    ASSERT_FALSE(queue.modify(source, 0, Mode::Level, 1).is_error());
    source.notify(Ready::Readable);
    EXPECT_FALSE(queue.has_ready());
    EXPECT_EQ(counter.calls, 0);
    EXPECT_TRUE(collect(queue).empty());
    EXPECT_TRUE(queue.is_watching(source));
    ASSERT_FALSE(queue.modify(source, Ready::Readable, Mode::Level, 1).is_error());
    EXPECT_EQ(counter.calls, 1);
    auto events = collect(queue);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].ready, Ready::Readable);
}

TEST(EventQueue, UserDataRoundTripAndSeveralQueues)
{
    EventQueue q1, q2;
    EventSource source;
    u64 big = 0xfedcba9876543210ull;
    ASSERT_FALSE(q1.add(source, Ready::Readable, Mode::Level, big).is_error());
    ASSERT_FALSE(q2.add(source, Ready::Readable, Mode::Edge, 42).is_error());
    EXPECT_EQ(source.watcher_count(), 2u);
    source.notify(Ready::Readable);
    auto e1 = collect(q1);
    auto e2 = collect(q2);
    ASSERT_EQ(e1.size(), 1u);
    ASSERT_EQ(e2.size(), 1u);
    EXPECT_EQ(e1[0].user_data, big);
    EXPECT_EQ(e2[0].user_data, 42u);
}

TEST(EventQueue, BatchingIsFairAndInOrder)
{
    EventQueue queue;
    EventSource sources[5];
    for (u64 i = 0; i < 5; i++)
        ASSERT_FALSE(queue.add(sources[i], Ready::Readable, Mode::Edge, i).is_error());
    for (u64 i = 0; i < 5; i++)
        sources[i].notify(Ready::Readable);

    auto first = collect(queue, 2);
    ASSERT_EQ(first.size(), 2u);
    EXPECT_EQ(first[0].user_data, 0u);
    EXPECT_EQ(first[1].user_data, 1u);
    auto second = collect(queue, 2);
    ASSERT_EQ(second.size(), 2u);
    EXPECT_EQ(second[0].user_data, 2u);
    EXPECT_EQ(second[1].user_data, 3u);
    auto third = collect(queue, 2);
    ASSERT_EQ(third.size(), 1u);
    EXPECT_EQ(third[0].user_data, 4u);

    // Level entries rotate: each wait of 2 continues where the last stopped,
    // and one wait never reports the same entry twice.
    EventQueue level;
    for (u64 i = 0; i < 5; i++)
        ASSERT_FALSE(level.add(sources[i], Ready::Readable, Mode::Level, i).is_error());
    std::vector<u64> order;
    for (int round = 0; round < 5; round++) {
        for (auto& event : collect(level, 2))
            order.push_back(event.user_data);
    }
    EXPECT_EQ(order, (std::vector<u64> { 0, 1, 2, 3, 4, 0, 1, 2, 3, 4 }));
    auto all = collect(level, 64);
    EXPECT_EQ(all.size(), 5u);

    const auto& stats = level.stats();
    EXPECT_EQ(stats.wait_calls, 6u);
    EXPECT_EQ(stats.delivered, 15u);
    EXPECT_EQ(stats.average_batch_x1000(), 2500u);
    EXPECT_EQ(stats.per_bit[0], 15u); // Readable
    EXPECT_EQ(stats.per_bit[1], 0u);
}

TEST(EventQueue, PerTypeAndSpuriousStatistics)
{
    EventQueue queue;
    EventSource a, b, c;
    ASSERT_FALSE(queue.add(a, Ready::Readable | Ready::Error, Mode::Level, 1).is_error());
    ASSERT_FALSE(queue.add(b, Ready::Writable, Mode::Level, 2).is_error());
    ASSERT_FALSE(queue.add(c, Ready::Custom0, Mode::Edge, 3).is_error());
    a.notify(Ready::Readable | Ready::Error);
    b.notify(Ready::Writable);
    c.notify(Ready::Custom0);
    EXPECT_EQ(queue.ready_count(), 3u);
    b.notify(0);  // queued, then no longer ready: leaves the list at once
    c.notify(0);  // the edge entry too
    EXPECT_EQ(queue.ready_count(), 1u);
    auto events = collect(queue);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].ready, Ready::Readable | Ready::Error);
    const auto& stats = queue.stats();
    EXPECT_EQ(stats.spurious, 0u);
    EXPECT_EQ(stats.delivered, 1u);
    EXPECT_EQ(stats.per_bit[0], 1u);
    EXPECT_EQ(stats.per_bit[3], 1u);
    EXPECT_EQ(stats.per_bit[1], 0u);
    EXPECT_EQ(stats.per_bit[8], 0u);

    // A wakeup for nothing: the queue became ready, the readiness went
    // away, and the next wait finds nothing. An ordinary empty wait is not
    // spurious.
    a.notify(0);
    EXPECT_TRUE(collect(queue).empty());
    EXPECT_EQ(queue.stats().spurious, 0u);
    b.notify(Ready::Writable);
    b.notify(0);
    EXPECT_FALSE(queue.has_ready());
    EXPECT_TRUE(collect(queue).empty());
    EXPECT_EQ(queue.stats().spurious, 1u);
    EXPECT_TRUE(collect(queue).empty());
    EXPECT_EQ(queue.stats().spurious, 1u);
}

TEST(EventQueue, DestroyingSourceWhileWatched)
{
    EventQueue q1, q2;
    auto doomed = std::make_unique<EventSource>();
    EventSource other;
    ASSERT_FALSE(q1.add(*doomed, Ready::Readable, Mode::Level, 1).is_error());
    ASSERT_FALSE(q2.add(*doomed, Ready::Readable, Mode::Level, 1).is_error());
    ASSERT_FALSE(q1.add(other, Ready::Readable, Mode::Level, 2).is_error());
    doomed->notify(Ready::Readable);
    other.notify(Ready::Readable);
    EXPECT_EQ(q1.ready_count(), 2u);

    doomed.reset(); // ASan would catch a dangling watch
    EXPECT_EQ(q1.watch_count(), 1u);
    EXPECT_EQ(q2.watch_count(), 0u);
    EXPECT_FALSE(q2.has_ready());
    auto events = collect(q1);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].user_data, 2u);
    EXPECT_TRUE(collect(q2).empty());
}

TEST(EventQueue, DestroyingQueueWhileSourcesLive)
{
    EventSource a, b;
    EventQueue keeper;
    ASSERT_FALSE(keeper.add(a, Ready::Readable, Mode::Level, 5).is_error());
    {
        auto queue = std::make_unique<EventQueue>();
        ASSERT_FALSE(queue->add(a, Ready::Readable, Mode::Level, 1).is_error());
        ASSERT_FALSE(queue->add(b, Ready::Readable, Mode::Edge, 2).is_error());
        a.notify(Ready::Readable);
        EXPECT_EQ(a.watcher_count(), 2u);
        queue.reset();
    }
    EXPECT_EQ(a.watcher_count(), 1u);
    EXPECT_EQ(b.watcher_count(), 0u);
    // Notifying after the queue is gone must not touch it.
    a.notify(0);
    a.notify(Ready::Readable);
    b.notify(Ready::Readable);
    auto events = collect(keeper);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].user_data, 5u);
}

TEST(EventQueue, WorkIsProportionalToReadyNotWatched)
{
    EventQueue queue;
    std::vector<std::unique_ptr<EventSource>> sources;
    for (u64 i = 0; i < 1000; i++) {
        sources.push_back(std::make_unique<EventSource>());
        ASSERT_FALSE(queue.add(*sources.back(), Ready::Readable, Mode::Edge, i).is_error());
    }
    EXPECT_EQ(queue.stats().steps, 0u);
    sources[17]->notify(Ready::Readable);
    sources[500]->notify(Ready::Readable);
    sources[999]->notify(Ready::Readable);
    auto events = collect(queue);
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].user_data, 17u);
    EXPECT_EQ(events[1].user_data, 500u);
    EXPECT_EQ(events[2].user_data, 999u);
    // Three notifies with one watcher each, three ready entries examined.
    EXPECT_EQ(queue.stats().steps, 6u);
    EXPECT_TRUE(collect(queue).empty());
    EXPECT_EQ(queue.stats().steps, 6u);
}

TEST(EventQueue, WakeHookOnlyOnEmptyToNonEmpty)
{
    EventQueue queue;
    HookCounter counter;
    queue.set_wake_hook(HookCounter::hook, &counter);
    EventSource a, b;
    ASSERT_FALSE(queue.add(a, Ready::Readable, Mode::Edge, 1).is_error());
    ASSERT_FALSE(queue.add(b, Ready::Readable, Mode::Level, 2).is_error());
    EXPECT_EQ(counter.calls, 0);

    a.notify(Ready::Readable);
    EXPECT_EQ(counter.calls, 1);
    b.notify(Ready::Readable); // list already non-empty
    EXPECT_EQ(counter.calls, 1);
    a.notify(Ready::Readable | Ready::Writable); // already queued
    EXPECT_EQ(counter.calls, 1);

    // The level entry is requeued by wait itself: no wake.
    EXPECT_EQ(collect(queue).size(), 2u);
    EXPECT_EQ(counter.calls, 1);
    EXPECT_TRUE(queue.has_ready());

    b.notify(0);
    EXPECT_TRUE(collect(queue).empty()); // spurious: list empties
    EXPECT_FALSE(queue.has_ready());
    a.notify(0);
    a.notify(Ready::Readable);
    EXPECT_EQ(counter.calls, 2);
    // add() of an already-ready source also counts as becoming non-empty.
    EXPECT_EQ(collect(queue).size(), 1u);
    EventSource c;
    c.notify(Ready::Readable);
    ASSERT_FALSE(queue.add(c, Ready::Readable, Mode::Edge, 3).is_error());
    EXPECT_EQ(counter.calls, 3);
}

TEST(EventQueue, OneShotTimer)
{
    TimerList timers;
    EventQueue queue;
    queue.set_timer_list(&timers);
    TimerSource timer;
    ASSERT_FALSE(queue.add(timer, Ready::TimerExpired, Mode::Level, 11).is_error());
    timer.arm(timers, 1000);
    EXPECT_TRUE(timer.is_armed());
    EXPECT_EQ(timers.next_deadline(), 1000u);

    EXPECT_TRUE(collect(queue, 8, 999).empty());
    auto events = collect(queue, 8, 1000);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].user_data, 11u);
    EXPECT_EQ(events[0].ready, Ready::TimerExpired);
    EXPECT_FALSE(timer.is_armed());
    EXPECT_TRUE(timers.is_empty());
    // Level: reported until acknowledged.
    EXPECT_EQ(collect(queue, 8, 5000).size(), 1u);
    EXPECT_EQ(timer.acknowledge(), 1u);
    EXPECT_EQ(timer.overruns(), 0u);
    EXPECT_TRUE(collect(queue, 8, 6000).empty());
    EXPECT_EQ(queue.stats().per_bit[4], 2u);

    // Disarming before the deadline means no expiry.
    timer.arm(timers, 7000);
    timer.disarm();
    EXPECT_TRUE(collect(queue, 8, 9000).empty());
    EXPECT_EQ(timer.pending_expirations(), 0u);
}

TEST(EventQueue, PeriodicTimerCountsOverruns)
{
    TimerList timers;
    EventQueue queue;
    TimerSource timer;
    ASSERT_FALSE(queue.add(timer, Ready::TimerExpired, Mode::Edge, 1).is_error());
    timer.arm(timers, 100, 100);

    timers.advance(100);
    EXPECT_EQ(collect(queue).size(), 1u);
    EXPECT_EQ(timer.pending_expirations(), 1u);
    EXPECT_EQ(timer.overruns(), 0u);
    EXPECT_EQ(timer.deadline(), 200u);
    EXPECT_EQ(timer.acknowledge(), 1u);

    // A late advance catches up in one step: 200, 300, 400, 500 have all
    // passed; one is the expiry, three are overruns; next deadline 600.
    timers.advance(550);
    EXPECT_EQ(timer.pending_expirations(), 4u);
    EXPECT_EQ(timer.overruns(), 3u);
    EXPECT_EQ(timer.deadline(), 600u);
    EXPECT_TRUE(timer.is_armed());
    EXPECT_EQ(collect(queue).size(), 1u);

    // Not acknowledged: the next expiry is an overrun and (edge) no new event.
    timers.advance(600);
    EXPECT_EQ(timer.pending_expirations(), 5u);
    EXPECT_EQ(timer.overruns(), 4u);
    EXPECT_TRUE(collect(queue).empty());
    EXPECT_EQ(timer.acknowledge(), 5u);
    timers.advance(700);
    EXPECT_EQ(collect(queue).size(), 1u);
    EXPECT_EQ(timer.overruns(), 4u);
}

TEST(EventQueue, TimersFireInDeadlineOrderAndDieSafely)
{
    TimerList timers;
    EventQueue queue;
    auto late = std::make_unique<TimerSource>();
    TimerSource early, middle;
    ASSERT_FALSE(queue.add(*late, Ready::TimerExpired, Mode::Edge, 3).is_error());
    ASSERT_FALSE(queue.add(early, Ready::TimerExpired, Mode::Edge, 1).is_error());
    ASSERT_FALSE(queue.add(middle, Ready::TimerExpired, Mode::Edge, 2).is_error());
    late->arm(timers, 300);
    early.arm(timers, 100);
    middle.arm(timers, 200);
    EXPECT_EQ(timers.size(), 3u);
    timers.advance(1000);
    auto events = collect(queue);
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].user_data, 1u);
    EXPECT_EQ(events[1].user_data, 2u);
    EXPECT_EQ(events[2].user_data, 3u);

    // A timer destroyed while armed leaves the list and the queue.
    late->acknowledge();
    late->arm(timers, 2000, 10);
    late.reset();
    EXPECT_TRUE(timers.is_empty());
    EXPECT_EQ(queue.watch_count(), 2u);
    timers.advance(5000);
    EXPECT_TRUE(collect(queue).empty());

    // A list destroyed before its timers disarms them.
    TimerSource survivor;
    {
        TimerList scratch;
        survivor.arm(scratch, 10, 10);
    }
    EXPECT_FALSE(survivor.is_armed());
}

} // namespace
