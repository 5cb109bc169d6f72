#include "kernel/event/EventQueue.h"

#include "lib/New.h"

namespace event {

// --- EventSource ---------------------------------------------------------

EventSource::~EventSource()
{
    // Each forget() unlinks the head from this list and frees it.
    while (m_watchers)
        m_watchers->queue->forget(*m_watchers);
}

void EventSource::notify(u32 new_mask)
{
    u32 old_mask = m_readiness;
    m_readiness = new_mask;
    // source_changed never frees a watch, so walking the list is safe even
    // though the wake hook may run in the middle of it.
    for (EventWatch* watch = m_watchers; watch; watch = watch->source_next)
        watch->queue->source_changed(*watch, old_mask, new_mask);
}

// --- EventQueue ----------------------------------------------------------

EventQueue::~EventQueue()
{
    // The sources live on; they only lose this queue's watches.
    EventWatch* watch = m_watches;
    while (watch) {
        EventWatch* next = watch->queue_next;
        EventSource& source = *watch->source;
        if (watch->source_prev)
            watch->source_prev->source_next = watch->source_next;
        else
            source.m_watchers = watch->source_next;
        if (watch->source_next)
            watch->source_next->source_prev = watch->source_prev;
        source.m_watcher_count--;
        delete watch;
        watch = next;
    }
}

EventWatch* EventQueue::find(const EventSource& source) const
{
    // A source has few watchers and a queue may have thousands of
    // watches, so search from the source's side.
    for (EventWatch* watch = source.m_watchers; watch; watch = watch->source_next) {
        if (watch->queue == this)
            return watch;
    }
    return nullptr;
}

static bool valid_watch_arguments(u32 interest, u32 mode)
{
    return (interest & ~ready_bits_all) == 0 && (mode & ~mode_all) == 0;
}

ErrorOr<void> EventQueue::add(EventSource& source, u32 interest, u32 mode, u64 user_data)
{
    if (interest == 0 || !valid_watch_arguments(interest, mode))
        return Error(ErrorCode::InvalidArgument, "event queue: bad interest or mode");
    if (find(source))
        return Error(ErrorCode::AlreadyExists, "event queue: source already watched");

    auto* watch = new (lib::nothrow) EventWatch;
    if (!watch)
        return Error(ErrorCode::NoMemory, "event queue: watch");
    watch->queue = this;
    watch->source = &source;
    watch->interest = interest;
    watch->mode = mode;
    watch->user_data = user_data;

    watch->source_next = source.m_watchers;
    if (source.m_watchers)
        source.m_watchers->source_prev = watch;
    source.m_watchers = watch;
    source.m_watcher_count++;

    watch->queue_next = m_watches;
    if (m_watches)
        m_watches->queue_prev = watch;
    m_watches = watch;
    m_watch_count++;

    // Readiness that predates the watch is reported, in both modes:
    // otherwise an edge watcher added after the edge would never hear of it.
    if (source.readiness() & interest)
        push_ready(*watch);
    return {};
}

ErrorOr<void> EventQueue::modify(EventSource& source, u32 interest, u32 mode, u64 user_data)
{
    if (!valid_watch_arguments(interest, mode))
        return Error(ErrorCode::InvalidArgument, "event queue: bad interest or mode");
    EventWatch* watch = find(source);
    if (!watch)
        return Error(ErrorCode::NotFound, "event queue: source not watched");
    watch->interest = interest;
    watch->mode = mode;
    watch->user_data = user_data;
    watch->disabled = false;
    if (source.readiness() & interest) {
        if (!watch->on_ready_list)
            push_ready(*watch);
    } else if (watch->on_ready_list) {
        // The new interest is not ready: leaving the entry queued would
        // only produce a spurious wakeup. The owner changed it itself, so
        // an empty wait after this is not counted as one either.
        unlink_ready(*watch);
        if (!m_ready_head)
            m_woken = false;
    }
    return {};
}

ErrorOr<void> EventQueue::remove(EventSource& source)
{
    EventWatch* watch = find(source);
    if (!watch)
        return Error(ErrorCode::NotFound, "event queue: source not watched");
    forget(*watch);
    return {};
}

void EventQueue::forget(EventWatch& watch)
{
    EventSource& source = *watch.source;
    if (watch.source_prev)
        watch.source_prev->source_next = watch.source_next;
    else
        source.m_watchers = watch.source_next;
    if (watch.source_next)
        watch.source_next->source_prev = watch.source_prev;
    source.m_watcher_count--;

    if (watch.on_ready_list)
        unlink_ready(watch);
    unlink_queue(watch);
    delete &watch;
}

void EventQueue::source_changed(EventWatch& watch, u32 old_mask, u32 new_mask)
{
    m_stats.steps++;
    if (watch.disabled)
        return;
    if (watch.on_ready_list) {
        // Readiness the watch cares about went away before anyone looked:
        // the entry leaves at once, so has_ready() never tells a waiter
        // about something that is no longer there.
        if (!(new_mask & watch.interest))
            unlink_ready(watch);
        return;
    }
    u32 interesting = (watch.mode & Mode::Edge) ? (new_mask & ~old_mask) : new_mask;
    if (interesting & watch.interest)
        push_ready(watch);
}

void EventQueue::append_ready(EventWatch& watch)
{
    watch.on_ready_list = true;
    watch.ready_next = nullptr;
    watch.ready_prev = m_ready_tail;
    if (m_ready_tail)
        m_ready_tail->ready_next = &watch;
    else
        m_ready_head = &watch;
    m_ready_tail = &watch;
    m_ready_count++;
}

void EventQueue::push_ready(EventWatch& watch)
{
    bool was_empty = m_ready_head == nullptr;
    append_ready(watch);
    if (was_empty) {
        m_woken = true;
        if (m_wake_hook)
            m_wake_hook(m_wake_context);
    }
}

void EventQueue::unlink_ready(EventWatch& watch)
{
    if (watch.ready_prev)
        watch.ready_prev->ready_next = watch.ready_next;
    else
        m_ready_head = watch.ready_next;
    if (watch.ready_next)
        watch.ready_next->ready_prev = watch.ready_prev;
    else
        m_ready_tail = watch.ready_prev;
    watch.ready_prev = nullptr;
    watch.ready_next = nullptr;
    watch.on_ready_list = false;
    m_ready_count--;
}

void EventQueue::unlink_queue(EventWatch& watch)
{
    if (watch.queue_prev)
        watch.queue_prev->queue_next = watch.queue_next;
    else
        m_watches = watch.queue_next;
    if (watch.queue_next)
        watch.queue_next->queue_prev = watch.queue_prev;
    m_watch_count--;
}

ErrorOr<size_t> EventQueue::wait(Event* out, size_t capacity, u64 now_ns)
{
    if (capacity == 0 || !out)
        return Error(ErrorCode::InvalidArgument, "event queue: empty event buffer");
    m_stats.wait_calls++;
    if (m_timers)
        m_timers->advance(now_ns);

    // Examine each entry queued at the start at most once, so a level
    // entry moved to the back is not reported twice in one batch.
    size_t budget = m_ready_count;
    size_t delivered = 0;
    while (delivered < capacity && budget > 0 && m_ready_head) {
        budget--;
        m_stats.steps++;
        EventWatch& watch = *m_ready_head;
        unlink_ready(watch);
        u32 ready = watch.source->readiness() & watch.interest;
        if (ready == 0)
            continue; // not reached: source_changed unlinks such entries
        out[delivered++] = Event { watch.user_data, ready };
        m_stats.delivered++;
        for (u32 bit = 0; bit < ready_bit_count; bit++) {
            if (ready & (1u << bit))
                m_stats.per_bit[bit]++;
        }
        if (watch.mode & Mode::OneShot) {
            watch.disabled = true;
        } else if (!(watch.mode & Mode::Edge)) {
            // Level: still ready, so it stays queued, behind the others.
            // The list cannot be empty here unless this was the only
            // entry, and the waiter is awake anyway: no wake hook.
            append_ready(watch);
        }
    }
    if (delivered == 0 && m_woken)
        m_stats.spurious++;
    m_woken = false;
    return delivered;
}

// --- Timers --------------------------------------------------------------

TimerSource::~TimerSource()
{
    disarm();
}

void TimerSource::arm(TimerList& list, u64 deadline_ns, u64 period_ns)
{
    disarm();
    m_deadline = deadline_ns;
    m_period = period_ns;
    list.insert(*this);
}

void TimerSource::disarm()
{
    if (m_list)
        m_list->unlink(*this);
}

u64 TimerSource::acknowledge()
{
    u64 count = m_pending;
    m_pending = 0;
    if (readiness() & Ready::TimerExpired)
        notify(readiness() & ~Ready::TimerExpired);
    return count;
}

void TimerSource::expire(u64 count)
{
    // The first expiry since the last acknowledge is the one the reader
    // will see; every other one is an overrun.
    m_overruns += m_pending == 0 ? count - 1 : count;
    m_pending += count;
    notify(readiness() | Ready::TimerExpired);
}

TimerList::~TimerList()
{
    while (m_head)
        unlink(*m_head);
}

void TimerList::insert(TimerSource& timer)
{
    // After every timer with an earlier or equal deadline, so timers due at
    // the same time fire in the order they were armed.
    TimerSource* prev = nullptr;
    TimerSource* next = m_head;
    while (next && next->m_deadline <= timer.m_deadline) {
        prev = next;
        next = next->m_next;
    }
    timer.m_prev = prev;
    timer.m_next = next;
    if (prev)
        prev->m_next = &timer;
    else
        m_head = &timer;
    if (next)
        next->m_prev = &timer;
    timer.m_list = this;
    m_count++;
}

void TimerList::unlink(TimerSource& timer)
{
    if (timer.m_prev)
        timer.m_prev->m_next = timer.m_next;
    else
        m_head = timer.m_next;
    if (timer.m_next)
        timer.m_next->m_prev = timer.m_prev;
    timer.m_prev = nullptr;
    timer.m_next = nullptr;
    timer.m_list = nullptr;
    m_count--;
}

void TimerList::advance(u64 now_ns)
{
    while (m_head && m_head->m_deadline <= now_ns) {
        TimerSource& timer = *m_head;
        unlink(timer);
        u64 count = 1;
        if (timer.m_period != 0) {
            // Catch up in one step: a late tick must not loop once per
            // missed period.
            count += (now_ns - timer.m_deadline) / timer.m_period;
            timer.m_deadline += count * timer.m_period;
            insert(timer);
        }
        // After re-inserting, so the timer is consistent if a watcher's
        // wake hook looks at it.
        timer.expire(count);
    }
}

} // namespace event
