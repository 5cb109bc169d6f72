#include "kernel/event/KernelEvents.h"

#include "kernel/ipc/KernelIpc.h"

#include "kernel/arch/i386/Clock.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/mm/AddressSpace.h"
#include "kernel/mm/KernelFrameProvider.h"
#include "kernel/task/AddressSpaceGuard.h"
#include "kernel/task/OpenFile.h"
#include "kernel/task/Process.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/UserMemory.h"
#include "kernel/task/WaitQueue.h"
#include "lib/New.h"

namespace event {

namespace {

// A word in user memory, watched by one queue. Holds a reference on the
// frame so the word's memory outlives an munmap while watched.
struct WordSource {
    EventSource source;
    PhysicalAddress key { 0 };
    u32 address { 0 };
    u32 expected { 0 };
    WordSource* next { nullptr };       // the queue's list
    WordSource* index_next { nullptr }; // s_word_index's bucket
    u32 index_key() const { return static_cast<u32>(key); }
};

// A process, watched by one queue.
struct ProcessSource {
    EventSource source;
    u32 pid { 0 };
    ProcessSource* next { nullptr };       // the queue's list
    ProcessSource* index_next { nullptr }; // s_process_index's bucket
    u32 index_key() const { return pid; }
};

// Word and process watches of every queue, filed by key (the word's
// physical address, the pid), so that futex_wake and process exit visit
// only the watches of that key instead of every queue's list: O(watches of
// the key) on average. Static storage only (the buckets start zeroed).
template<typename Source>
class SourceIndex {
public:
    void insert(Source& source)
    {
        Source*& head = m_buckets[bucket(source.index_key())];
        source.index_next = head;
        head = &source;
    }
    void remove(Source& source)
    {
        for (Source** link = &m_buckets[bucket(source.index_key())]; *link; link = &(*link)->index_next) {
            if (*link == &source) {
                *link = source.index_next;
                return;
            }
        }
    }
    // Calls visit(source) for each source with `key`; visit may not remove.
    template<typename Visit>
    void for_each(u32 key, Visit visit)
    {
        for (Source* source = m_buckets[bucket(key)]; source; source = source->index_next) {
            if (source->index_key() == key)
                visit(*source);
        }
    }

private:
    static constexpr u32 bucket_bits = 6;
    // Fibonacci hashing: words are 4-byte aligned, so drop the low bits.
    static u32 bucket(u32 key) { return ((key >> 2) * 2654435761u) >> (32 - bucket_bits); }
    Source* m_buckets[1u << bucket_bits];
};

SourceIndex<WordSource> s_word_index;
SourceIndex<ProcessSource> s_process_index;

struct Queue {
    EventQueue queue;
    task::WaitQueue sleepers;
    WordSource* words { nullptr };
    ProcessSource* processes { nullptr };
};

struct Timer {
    TimerSource source;
};

enum class HandleKind : u8 { Free, Queue, Timer };

struct Handle {
    HandleKind kind { HandleKind::Free };
    u32 owner { 0 };
    void* object { nullptr };
};

constexpr u32 max_handles = 512;
Handle s_handles[max_handles];

alignas(TimerList) u8 s_timer_storage[sizeof(TimerList)];
TimerList* s_timers;

TimerList& timers()
{
    if (!s_timers)
        s_timers = new (s_timer_storage) TimerList;
    return *s_timers;
}

u64 now_ns() { return arch::clock::monotonic_ns(); }

void wake_sleepers(void* context) { static_cast<Queue*>(context)->sleepers.wake_all(); }

u32 current_pid() { return task::current_process()->pid(); }

ErrorOr<u32> new_handle(HandleKind kind, void* object)
{
    for (u32 i = 0; i < max_handles; ++i) {
        if (s_handles[i].kind == HandleKind::Free) {
            s_handles[i] = { kind, current_pid(), object };
            return i + 1;
        }
    }
    return Error(ErrorCode::Busy, "too many event handles");
}

Handle* find(u32 handle, HandleKind kind)
{
    if (handle == 0 || handle > max_handles)
        return nullptr;
    Handle& entry = s_handles[handle - 1];
    if (entry.kind != kind || entry.owner != current_pid())
        return nullptr;
    return &entry;
}

void refresh_word(WordSource& word)
{
    word.source.notify(ipc::read_word(word.key) != word.expected ? Ready::Readable : 0);
}

bool process_gone(u32 pid)
{
    task::Process* process = task::Process::find(pid);
    return !process || process->state() == task::ProcessState::Zombie;
}

void destroy_queue(Queue* queue)
{
    while (WordSource* word = queue->words) {
        queue->words = word->next;
        s_word_index.remove(*word);
        kernel::frame_provider().unref(word->key & ~static_cast<PhysicalAddress>(4095));
        delete word;
    }
    while (ProcessSource* process = queue->processes) {
        queue->processes = process->next;
        s_process_index.remove(*process);
        delete process;
    }
    queue->sleepers.wake_all();
    delete queue;
}

template<typename T>
bool unlink_from(T*& list, T* item)
{
    for (T** link = &list; *link; link = &(*link)->next) {
        if (*link == item) {
            *link = item->next;
            return true;
        }
    }
    return false;
}

ErrorOr<void> control_word(Queue& queue, const WatchRequest& request)
{
    WordSource* existing = nullptr;
    for (WordSource* word = queue.words; word; word = word->next) {
        if (word->address == request.target)
            existing = word;
    }
    switch (request.op) {
    case WatchOp::Add: {
        if (existing)
            return Error(ErrorCode::AlreadyExists, "the word is watched already");
        PhysicalAddress key = TRY(ipc::user_word_key(request.target));
        arch::InterruptDisabler disabler;
        auto* word = new (lib::nothrow) WordSource;
        if (!word)
            return Error(ErrorCode::NoMemory, "word watch");
        word->key = key;
        word->address = request.target;
        word->expected = request.expected;
        auto added = queue.queue.add(word->source, request.interest, request.mode, request.user_data);
        if (added.is_error()) {
            delete word;
            return added.error();
        }
        kernel::frame_provider().ref(key & ~static_cast<PhysicalAddress>(4095));
        word->next = queue.words;
        queue.words = word;
        s_word_index.insert(*word);
        refresh_word(*word);
        return {};
    }
    case WatchOp::Modify: {
        if (!existing)
            return Error(ErrorCode::NotFound, "the word is not watched");
        arch::InterruptDisabler disabler;
        existing->expected = request.expected;
        refresh_word(*existing);
        return queue.queue.modify(existing->source, request.interest, request.mode, request.user_data);
    }
    case WatchOp::Remove: {
        if (!existing)
            return Error(ErrorCode::NotFound, "the word is not watched");
        arch::InterruptDisabler disabler;
        unlink_from(queue.words, existing);
        s_word_index.remove(*existing);
        kernel::frame_provider().unref(existing->key & ~static_cast<PhysicalAddress>(4095));
        delete existing; // its EventSource destructor removes the watch
        return {};
    }
    }
    return Error(ErrorCode::InvalidArgument, "watch operation");
}

ErrorOr<void> control_process(Queue& queue, const WatchRequest& request)
{
    arch::InterruptDisabler disabler;
    ProcessSource* existing = nullptr;
    for (ProcessSource* process = queue.processes; process; process = process->next) {
        if (process->pid == request.target)
            existing = process;
    }
    switch (request.op) {
    case WatchOp::Add: {
        if (existing)
            return Error(ErrorCode::AlreadyExists, "the process is watched already");
        if (!task::Process::find(request.target))
            return Error(ErrorCode::NotFound, "no such process");
        auto* process = new (lib::nothrow) ProcessSource;
        if (!process)
            return Error(ErrorCode::NoMemory, "process watch");
        process->pid = request.target;
        auto added = queue.queue.add(process->source, request.interest, request.mode, request.user_data);
        if (added.is_error()) {
            delete process;
            return added.error();
        }
        process->next = queue.processes;
        queue.processes = process;
        s_process_index.insert(*process);
        if (process_gone(process->pid))
            process->source.notify(Ready::HangUp);
        return {};
    }
    case WatchOp::Modify:
        if (!existing)
            return Error(ErrorCode::NotFound, "the process is not watched");
        return queue.queue.modify(existing->source, request.interest, request.mode, request.user_data);
    case WatchOp::Remove:
        if (!existing)
            return Error(ErrorCode::NotFound, "the process is not watched");
        unlink_from(queue.processes, existing);
        s_process_index.remove(*existing);
        delete existing;
        return {};
    }
    return Error(ErrorCode::InvalidArgument, "watch operation");
}

ErrorOr<void> control_timer(Queue& queue, const WatchRequest& request)
{
    arch::InterruptDisabler disabler;
    Handle* handle = find(request.target, HandleKind::Timer);
    if (!handle)
        return Error(ErrorCode::BadDescriptor, "not a timer handle");
    TimerSource& source = static_cast<Timer*>(handle->object)->source;
    switch (request.op) {
    case WatchOp::Add: return queue.queue.add(source, request.interest, request.mode, request.user_data);
    case WatchOp::Modify: return queue.queue.modify(source, request.interest, request.mode, request.user_data);
    case WatchOp::Remove: return queue.queue.remove(source);
    }
    return Error(ErrorCode::InvalidArgument, "watch operation");
}

ErrorOr<void> control_fd(Queue& queue, const WatchRequest& request)
{
    arch::InterruptDisabler disabler;
    task::OpenFile* file = task::current_process()->file(static_cast<int>(request.target));
    if (!file)
        return Error(ErrorCode::BadDescriptor, "not an open file descriptor");
    switch (request.op) {
    case WatchOp::Add: return queue.queue.add(file->events, request.interest, request.mode, request.user_data);
    case WatchOp::Modify: return queue.queue.modify(file->events, request.interest, request.mode, request.user_data);
    case WatchOp::Remove: return queue.queue.remove(file->events);
    }
    return Error(ErrorCode::InvalidArgument, "watch operation");
}

} // namespace

ErrorOr<u32> create_queue()
{
    auto* queue = new (lib::nothrow) Queue;
    if (!queue)
        return Error(ErrorCode::NoMemory, "event queue");
    queue->queue.set_wake_hook(wake_sleepers, queue);
    queue->queue.set_timer_list(&timers());
    arch::InterruptDisabler disabler;
    auto handle = new_handle(HandleKind::Queue, queue);
    if (handle.is_error())
        delete queue;
    return handle;
}

ErrorOr<void> control(u32 handle, const WatchRequest& request)
{
    Queue* queue;
    {
        arch::InterruptDisabler disabler;
        Handle* entry = find(handle, HandleKind::Queue);
        if (!entry)
            return Error(ErrorCode::BadDescriptor, "not an event queue handle");
        queue = static_cast<Queue*>(entry->object);
    }
    // One thread of the owner changes a queue at a time in practice; the
    // handle cannot go away under us except by the owner's own close.
    switch (request.kind) {
    case WatchKind::Timer: return control_timer(*queue, request);
    case WatchKind::Word: return control_word(*queue, request);
    case WatchKind::Process: return control_process(*queue, request);
    case WatchKind::Fd: return control_fd(*queue, request);
    }
    return Error(ErrorCode::InvalidArgument, "watch kind");
}

ErrorOr<u32> wait(u32 handle, Event* out, u32 capacity, u32 timeout_ms)
{
    if (capacity == 0 || capacity > 64)
        return Error(ErrorCode::InvalidArgument, "event batch size");
    u64 start = now_ns();
    u64 deadline = timeout_ms == ~0u ? ~0ull : start + static_cast<u64>(timeout_ms) * 1000000;
    arch::InterruptDisabler disabler;
    for (;;) {
        Handle* entry = find(handle, HandleKind::Queue);
        if (!entry)
            return Error(ErrorCode::BadDescriptor, "not an event queue handle");
        auto* queue = static_cast<Queue*>(entry->object);
        u64 now = now_ns();
        size_t count = TRY(queue->queue.wait(out, capacity, now));
        if (count > 0)
            return static_cast<u32>(count);
        if (now >= deadline)
            return 0u;
        // Sleep until the deadline or the earliest timer, whichever first.
        u64 until = deadline;
        if (!timers().is_empty() && timers().next_deadline() < until)
            until = timers().next_deadline();
        if (until <= now) {
            timers().advance(now);
            continue;
        }
        u64 sleep_ms = (until - now + 999999) / 1000000;
        if (until == ~0ull)
            queue->sleepers.wait();
        else
            (void)queue->sleepers.wait_for(sleep_ms ? sleep_ms : 1);
    }
}

ErrorOr<EventQueueStats> statistics(u32 handle)
{
    arch::InterruptDisabler disabler;
    Handle* entry = find(handle, HandleKind::Queue);
    if (!entry)
        return Error(ErrorCode::BadDescriptor, "not an event queue handle");
    return static_cast<Queue*>(entry->object)->queue.stats();
}

ErrorOr<u32> create_timer(u32 initial_ms, u32 period_ms)
{
    auto* timer = new (lib::nothrow) Timer;
    if (!timer)
        return Error(ErrorCode::NoMemory, "timer");
    arch::InterruptDisabler disabler;
    auto handle = new_handle(HandleKind::Timer, timer);
    if (handle.is_error()) {
        delete timer;
        return handle.error();
    }
    if (initial_ms)
        timer->source.arm(timers(), now_ns() + initial_ms * 1000000ull, period_ms * 1000000ull);
    return handle;
}

ErrorOr<void> set_timer(u32 handle, u32 initial_ms, u32 period_ms)
{
    arch::InterruptDisabler disabler;
    Handle* entry = find(handle, HandleKind::Timer);
    if (!entry)
        return Error(ErrorCode::BadDescriptor, "not a timer handle");
    auto* timer = static_cast<Timer*>(entry->object);
    if (initial_ms)
        timer->source.arm(timers(), now_ns() + initial_ms * 1000000ull, period_ms * 1000000ull);
    else
        timer->source.disarm();
    return {};
}

ErrorOr<u64> read_timer(u32 handle)
{
    arch::InterruptDisabler disabler;
    Handle* entry = find(handle, HandleKind::Timer);
    if (!entry)
        return Error(ErrorCode::BadDescriptor, "not a timer handle");
    timers().advance(now_ns());
    return static_cast<Timer*>(entry->object)->source.acknowledge();
}

namespace {

void close_entry(Handle& entry)
{
    if (entry.kind == HandleKind::Queue)
        destroy_queue(static_cast<Queue*>(entry.object));
    else if (entry.kind == HandleKind::Timer)
        delete static_cast<Timer*>(entry.object); // leaves every queue it was in
    entry = Handle {};
}

} // namespace

ErrorOr<void> close_handle(u32 handle)
{
    arch::InterruptDisabler disabler;
    if (handle == 0 || handle > max_handles || s_handles[handle - 1].kind == HandleKind::Free
        || s_handles[handle - 1].owner != current_pid())
        return Error(ErrorCode::BadDescriptor, "not an event handle");
    close_entry(s_handles[handle - 1]);
    return {};
}

void word_woken(PhysicalAddress key)
{
    arch::InterruptDisabler disabler;
    s_word_index.for_each(static_cast<u32>(key), [key](WordSource& word) {
        if (word.key == key)
            refresh_word(word);
    });
}

void process_exited(u32 pid)
{
    arch::InterruptDisabler disabler;
    for (auto& entry : s_handles) {
        if (entry.kind != HandleKind::Free && entry.owner == pid)
            close_entry(entry);
    }
    s_process_index.for_each(pid, [](ProcessSource& process) { process.source.notify(Ready::HangUp); });
}

} // namespace event
