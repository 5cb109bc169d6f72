// The portable core of an epoll-like event queue: sources that can be
// watched, queues that watch them, and timers as a kind of source.
//
// Each (queue, source) pair is one EventWatch, linked into three intrusive
// lists: the source's watchers, the queue's watches, and (while it has
// something to report) the queue's ready list. A readiness change walks only
// the changed source's watchers, and EventQueue::wait walks only the ready
// list, so the cost of waking is proportional to what is ready, never to how
// much a queue watches.
//
// This core never sleeps and takes no locks. The kernel wrapper serialises
// every call on one queue and its sources (timers are advanced from the
// clock interrupt, so that lock must also keep interrupts out), and builds
// the sleeping wait on has_ready() and the wake hook.
#pragma once

#include "lib/Error.h"
#include "lib/Types.h"

namespace event {

// Readiness bits, shared by a source's state, a watch's interest mask and a
// delivered event.
namespace Ready {
enum : u32 {
    Readable = 1u << 0,
    Writable = 1u << 1,
    HangUp = 1u << 2,
    Error = 1u << 3,
    TimerExpired = 1u << 4,
    // Bits 8..15 are free for a source's own meaning (a Kolibri event
    // number, a channel's "peer closed", a process exit).
    Custom0 = 1u << 8,
};
} // namespace Ready

// How many readiness bits the per-type statistics count.
inline constexpr u32 ready_bit_count = 16;
inline constexpr u32 ready_bits_all = (1u << ready_bit_count) - 1;

// Watch mode flags. Level-triggered is the default (no Edge bit).
namespace Mode {
enum : u32 {
    Level = 0,
    // Report once per notify that adds readiness, not while it lasts.
    Edge = 1u << 0,
    // After one delivery the watch is disabled until modify() re-arms it.
    OneShot = 1u << 1,
};
} // namespace Mode

inline constexpr u32 mode_all = Mode::Edge | Mode::OneShot;

// One delivered event: the watch's user data and the bits that were ready
// (the source's readiness masked by the watch's interest).
struct Event {
    u64 user_data;
    u32 ready;
};

class EventQueue;
class EventSource;
class TimerList;

// Internal link between one queue and one source; owned by the queue,
// freed by whichever of remove(), ~EventQueue or ~EventSource comes first.
struct EventWatch {
    EventQueue* queue { nullptr };
    EventSource* source { nullptr };
    u32 interest { 0 };
    u32 mode { 0 };
    u64 user_data { 0 };
    bool on_ready_list { false };
    bool disabled { false }; // a one-shot watch that has fired

    EventWatch* source_prev { nullptr };
    EventWatch* source_next { nullptr };
    EventWatch* queue_prev { nullptr };
    EventWatch* queue_next { nullptr };
    EventWatch* ready_prev { nullptr };
    EventWatch* ready_next { nullptr };
};

// Anything a queue can watch. Embed one in (or derive from it for) the
// kernel object whose state it reports, and call notify() whenever that
// state changes. Destroying a source removes it from every queue.
class EventSource {
public:
    EventSource() = default;
    ~EventSource();
    EventSource(const EventSource&) = delete;
    EventSource& operator=(const EventSource&) = delete;

    u32 readiness() const { return m_readiness; }
    // Sets the readiness to `new_mask` and queues the watchers that must
    // hear about it: level watchers whose interest is now ready, edge
    // watchers whose interest gained a bit. O(watchers of this source).
    void notify(u32 new_mask);

    size_t watcher_count() const { return m_watcher_count; }

private:
    friend class EventQueue;

    u32 m_readiness { 0 };
    EventWatch* m_watchers { nullptr };
    size_t m_watcher_count { 0 };
};

struct EventQueueStats {
    u64 delivered { 0 };                // events written by wait()
    u64 per_bit[ready_bit_count] {};    // delivered events carrying each bit
    // Waits that found nothing although the ready list had become
    // non-empty (and the wake hook had run) since the previous wait: the
    // readiness went away before collection, a wakeup for nothing.
    u64 spurious { 0 };
    u64 wait_calls { 0 };
    // Debug counter: ready-list entries examined by wait() plus watchers
    // examined by notify(); lets tests check that work follows readiness.
    u64 steps { 0 };

    // Average events per wait() call, times 1000 (no floating point in the
    // kernel). 0 before the first wait.
    u64 average_batch_x1000() const { return wait_calls == 0 ? 0 : delivered * 1000 / wait_calls; }
};

class EventQueue {
public:
    EventQueue() = default;
    ~EventQueue();
    EventQueue(const EventQueue&) = delete;
    EventQueue& operator=(const EventQueue&) = delete;

    // Starts watching `source` for the bits in `interest` (a Ready mask)
    // with `mode` (Mode flags). AlreadyExists when this queue already
    // watches the source, InvalidArgument for an empty interest or unknown
    // mode bits, NoMemory when the watch cannot be allocated. A source that
    // is already ready is queued at once.
    ErrorOr<void> add(EventSource& source, u32 interest, u32 mode, u64 user_data);
    // Replaces interest, mode and user data, re-arms a fired one-shot watch
    // and re-checks the current readiness. An empty interest keeps the
    // watch but silences it until a later modify (a KolibriOS event mask
    // of 0 does that). NotFound when not watched.
    ErrorOr<void> modify(EventSource& source, u32 interest, u32 mode, u64 user_data);
    // Stops watching `source`. NotFound when not watched.
    ErrorOr<void> remove(EventSource& source);

    // Collects up to `capacity` ready events into `out` without blocking;
    // returns how many. Entries are served oldest first; a level-triggered
    // entry that is still ready goes to the back of the ready list, so a
    // batch smaller than the ready set is fair across calls. Each entry is
    // examined at most once per call. When a timer list is attached it is
    // advanced to `now_ns` first. InvalidArgument for a zero capacity or a
    // null buffer.
    ErrorOr<size_t> wait(Event* out, size_t capacity, u64 now_ns);

    bool has_ready() const { return m_ready_head != nullptr; }
    size_t ready_count() const { return m_ready_count; }
    size_t watch_count() const { return m_watch_count; }
    bool is_watching(const EventSource& source) const { return find(source) != nullptr; }

    // Called (with `context`) whenever the ready list goes from empty to
    // non-empty: the kernel wrapper wakes its sleepers there. It runs in
    // whatever context made the source ready (possibly an interrupt), and
    // must not call back into this queue.
    void set_wake_hook(void (*hook)(void*), void* context)
    {
        m_wake_hook = hook;
        m_wake_context = context;
    }

    // The timers wait() advances before collecting (may be null). The list
    // must outlive the queue or be detached first.
    void set_timer_list(TimerList* timers) { m_timers = timers; }

    const EventQueueStats& stats() const { return m_stats; }

private:
    friend class EventSource;

    EventWatch* find(const EventSource& source) const;
    // Called by EventSource::notify for each watcher.
    void source_changed(EventWatch& watch, u32 old_mask, u32 new_mask);
    // Links `watch` at the tail of the ready list.
    void append_ready(EventWatch& watch);
    // append_ready, and the wake hook when the list was empty.
    void push_ready(EventWatch& watch);
    void unlink_ready(EventWatch& watch);
    void unlink_queue(EventWatch& watch);
    // Drops a watch whose source is being destroyed.
    void forget(EventWatch& watch);

    EventWatch* m_watches { nullptr };
    size_t m_watch_count { 0 };
    EventWatch* m_ready_head { nullptr };
    EventWatch* m_ready_tail { nullptr };
    size_t m_ready_count { 0 };
    void (*m_wake_hook)(void*) { nullptr };
    void* m_wake_context { nullptr };
    TimerList* m_timers { nullptr };
    bool m_woken { false }; // the ready list filled since the last wait()
    EventQueueStats m_stats;
};

// A one-shot or periodic timer that reports Ready::TimerExpired. The bit
// stays set until acknowledge(), as a timer descriptor stays readable until
// it is read.
class TimerSource : public EventSource {
public:
    TimerSource() = default;
    ~TimerSource();

    // Arms the timer on `list` to expire at `deadline_ns`, then every
    // `period_ns` (0: once). Re-arming an armed timer moves it; pending
    // expirations are kept until acknowledged.
    void arm(TimerList& list, u64 deadline_ns, u64 period_ns = 0);
    void disarm();
    bool is_armed() const { return m_list != nullptr; }
    u64 deadline() const { return m_deadline; }
    u64 period() const { return m_period; }

    // Expirations since the last acknowledge().
    u64 pending_expirations() const { return m_pending; }
    // Expirations that happened while an earlier one was still pending
    // (including periods skipped by one late advance); cumulative.
    u64 overruns() const { return m_overruns; }
    // Returns the pending expirations, resets them and clears TimerExpired.
    u64 acknowledge();

private:
    friend class TimerList;

    void expire(u64 count);

    TimerList* m_list { nullptr };
    TimerSource* m_prev { nullptr };
    TimerSource* m_next { nullptr };
    u64 m_deadline { 0 };
    u64 m_period { 0 };
    u64 m_pending { 0 };
    u64 m_overruns { 0 };
};

// Armed timers sorted by deadline. Arming is O(armed timers); advance() is
// O(expired timers), which is what the clock interrupt pays each tick.
class TimerList {
public:
    TimerList() = default;
    ~TimerList();
    TimerList(const TimerList&) = delete;
    TimerList& operator=(const TimerList&) = delete;

    // Fires every timer whose deadline is <= now_ns. A periodic timer that
    // missed several periods fires once with the whole count and moves to
    // its next deadline after now_ns.
    void advance(u64 now_ns);

    bool is_empty() const { return m_head == nullptr; }
    // The earliest deadline; only meaningful when !is_empty().
    u64 next_deadline() const { return m_head ? m_head->m_deadline : 0; }
    size_t size() const { return m_count; }

private:
    friend class TimerSource;

    void insert(TimerSource& timer);
    void unlink(TimerSource& timer);

    TimerSource* m_head { nullptr };
    size_t m_count { 0 };
};

} // namespace event
