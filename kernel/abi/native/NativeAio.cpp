// Asynchronous file I/O contexts: the rings (kernel/fs/AsyncIo.h), the
// request slots, the worker thread and the system calls.
//
// Lifetime of a request (one slot of the context's fixed array):
//   Free --aio_enter--> Queued --worker--> Running --> Finished --> Free
// aio_enter copies a submission into a free slot, checks it, takes a
// reference on its fs::File (closing the descriptor meanwhile is safe) and
// queues it; bad submissions and NOPs finish at once. The worker takes
// queued requests in order and carries them out with interrupts on, moving
// data through a bounce buffer between the file and user memory. Finishing
// drops the file reference and posts the completion into the CQ; when the
// CQ is full the finished slot waits in the backlog (counted as overflow)
// until aio_enter finds room. There are as many slots as CQ entries, so a
// program that never reaps completions stops being able to submit (EBUSY)
// instead of making the kernel hold unbounded state.
//
// The worker is a kernel thread whose `process` is the owner: the scheduler
// loads the owner's page directory for it and the page-fault handler
// resolves its faults in the owner's address space, so copy_to_user and
// copy_from_user work as in a system call of the owner. It is deliberately
// not in the owner's thread list: Process::stop_other_threads would kill it
// wherever it happens to be (holding the VFS lock, half way through a
// request), and thread counts are about the program's own threads. Instead
// stop_async_io (called from stop_other_threads) asks it to stop and waits.
//
// Locking: one CPU, so every change to a context's state (queues, slots,
// rings, statistics) happens with interrupts off, in short sections that
// never sleep. Only the worker's data transfer, the aio_enter wait and the
// shutdown wait run with interrupts on. A thread killed between two
// sections leaves the context consistent; file references held by slots in
// any state are found through the slot array when the context is freed.
#include "kernel/abi/native/NativeAio.h"

#include "kernel/abi/native/NativeFiles.h"
#include "kernel/abi/native/Syscalls.h"
#include "kernel/arch/i386/Clock.h"
#include "kernel/arch/i386/Cpu.h"
#include "kernel/arch/i386/Pit.h"
#include "kernel/fs/AsyncIo.h"
#include "kernel/fs/Vfs.h"
#include "kernel/mm/AddressSpace.h"
#include "kernel/mm/KernelFrameProvider.h"
#include "kernel/task/AddressSpaceGuard.h"
#include "kernel/task/OpenFile.h"
#include "kernel/task/Process.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/UserMemory.h"
#include "kernel/task/WaitQueue.h"
#include "lib/New.h"
#include "lib/Utility.h"

namespace native {

namespace {

using arch::InterruptDisabler;
using arch::TrapFrame;
using task::Process;

constexpr u32 max_contexts_per_process = 4;
constexpr size_t chunk_size = 16 * 1024;
constexpr u32 max_transfer = 0x7FFFFFFF; // results are i32

enum class RequestState : u8 { Free, Queued, Running, Finished };

struct Request {
    Request* next { nullptr };
    RequestState state { RequestState::Free };
    AioSqe sqe {};
    fs::File* file { nullptr }; // one reference from submission to finish
    bool direct { false };
    u64 submitted_ns { 0 };
    i32 result { 0 };
};

// A FIFO of requests linked through Request::next.
class RequestList {
public:
    bool is_empty() const { return !m_head; }
    void push(Request* request)
    {
        request->next = nullptr;
        if (m_tail)
            m_tail->next = request;
        else
            m_head = request;
        m_tail = request;
    }
    Request* pop()
    {
        Request* request = m_head;
        if (request) {
            m_head = request->next;
            if (!m_head)
                m_tail = nullptr;
            request->next = nullptr;
        }
        return request;
    }
    // The first request with this user_data, taken out of the list.
    Request* take(u64 user_data)
    {
        Request* previous = nullptr;
        for (Request* request = m_head; request; previous = request, request = request->next) {
            if (request->sqe.user_data != user_data)
                continue;
            if (previous)
                previous->next = request->next;
            else
                m_head = request->next;
            if (m_tail == request)
                m_tail = previous;
            request->next = nullptr;
            return request;
        }
        return nullptr;
    }

private:
    Request* m_head { nullptr };
    Request* m_tail { nullptr };
};

class Context {
public:
    Context(u32 id, Process& owner) : m_id(id), m_owner(owner) { }
    ~Context();

    // Allocates the slots, the bounce buffer and the shared ring memory, and
    // starts the worker. On error the caller unmaps the ring and frees the
    // context.
    i32 initialize(const fs::AioRingLayout&, AioSetup& out);

    i32 submit(u32 count);
    i32 wait(u32 min_complete, u32 timeout_ms);
    i32 cancel(u64 user_data);
    AioStats statistics() const;
    // Stops the worker (queued requests are dropped, the running one ends at
    // its next chunk) and waits until it is gone. Idempotent. Sleeps.
    void shut_down();
    // Takes the ring out of the owner's address space (a setup that failed).
    void unmap_ring();

    u32 id() const { return m_id; }
    Process& owner() const { return m_owner; }

    // Kept in the global list from creation until freed, so that
    // stop_async_io finds every context, including half-built and closing ones.
    Context* next { nullptr };
    bool ready { false };   // fully built: system calls may use it
    bool closing { false }; // aio_destroy or process teardown has begun
    u32 users { 0 };        // system calls in progress (references)

private:
    static int worker_main(void* context);
    [[noreturn]] void worker_loop();
    i32 execute(Request&);
    i32 transfer(Request&, bool writing, u32 address, u32 length, u64 offset);
    i32 vectored(Request&, bool writing);
    // Interrupts off for these.
    i32 prepare(Request&);
    void finish(Request&, i32 result);
    void flush_backlog();
    void release(Request&);

    u32 m_id;
    Process& m_owner;
    fs::AioRings m_rings;
    fs::AioRingLayout m_layout {};
    u32 m_ring_address { 0 };
    PhysicalAddress* m_frames { nullptr }; // the kernel's references on the ring's frames
    u8** m_pages { nullptr };
    u32 m_mapped_pages { 0 };
    Request* m_slots { nullptr };
    u32 m_slot_count { 0 };
    u8* m_bounce_allocation { nullptr };
    u8* m_bounce { nullptr }; // page-aligned: direct transfers meet any device's alignment

    RequestList m_free;
    RequestList m_queue;   // waiting for the worker
    RequestList m_backlog; // finished, waiting for CQ room
    Request* m_running { nullptr };

    task::Thread* m_worker { nullptr };
    u32 m_worker_id { 0 };
    bool m_stopping { false };
    bool m_worker_gone { false };
    task::WaitQueue m_work;        // the worker waits for requests
    task::WaitQueue m_completions; // aio_enter waits for completions
    task::WaitQueue m_worker_exit; // shut_down waits for the worker

    AioStats m_stats {};
};

Context* s_contexts;
u32 s_next_id = 1;

Context::~Context()
{
    // Whatever state each slot was left in (even by a thread killed between
    // two steps), its file reference is dropped here, exactly once.
    for (u32 i = 0; i < m_slot_count; ++i) {
        if (m_slots[i].file)
            fs::release(m_slots[i].file);
    }
    delete[] m_slots;
    delete[] m_bounce_allocation;
    for (u32 i = 0; i < m_mapped_pages; ++i)
        kernel::frame_provider().unref(m_frames[i]);
    delete[] m_frames;
    delete[] m_pages;
}

i32 Context::initialize(const fs::AioRingLayout& layout, AioSetup& out)
{
    m_layout = layout;
    m_slot_count = layout.cq_entries;
    m_slots = new (lib::nothrow) Request[m_slot_count];
    m_bounce_allocation = new (lib::nothrow) u8[chunk_size + fs::aio_page_size];
    m_frames = new (lib::nothrow) PhysicalAddress[layout.pages];
    m_pages = new (lib::nothrow) u8*[layout.pages];
    if (!m_slots || !m_bounce_allocation || !m_frames || !m_pages)
        return -ENOMEM;
    m_bounce = reinterpret_cast<u8*>(
        lib::align_up<uintptr_t>(reinterpret_cast<uintptr_t>(m_bounce_allocation), fs::aio_page_size));
    {
        InterruptDisabler disabler;
        for (u32 i = 0; i < m_slot_count; ++i)
            m_free.push(&m_slots[i]);
    }

    // The ring: shared anonymous memory, made present at once; then the
    // kernel takes its own reference on every frame and reaches it through
    // the direct map. If the program unmaps the ring (or forks, and the
    // child keeps a mapping), the frames live until the last user lets go.
    {
        task::AddressSpaceGuard guard;
        auto& space = m_owner.address_space();
        auto address = space.map_anonymous(0, layout.size, mm::Protection::Read | mm::Protection::Write, true, false);
        if (address.is_error())
            return errno_for(address.error());
        m_ring_address = static_cast<u32>(address.value());
        if (auto populated = space.populate(m_ring_address, layout.size); populated.is_error())
            return errno_for(populated.error());
        for (u32 i = 0; i < layout.pages; ++i) {
            auto mapping = m_owner.address_space().page_mapping(m_ring_address + i * fs::aio_page_size);
            if (!mapping.present)
                return -ENOMEM;
            kernel::frame_provider().ref(mapping.frame);
            m_frames[i] = mapping.frame;
            m_pages[i] = kernel::frame_provider().contents(mapping.frame);
            m_mapped_pages = i + 1;
        }
        m_rings.attach(layout, m_pages);
    }

    {
        // Runnable as soon as it exists: give it its process before any
        // chance of a switch.
        InterruptDisabler disabler;
        auto worker = task::create_kernel_thread("aio-worker", worker_main, this, task::current_thread()->priority);
        if (worker.is_error())
            return -ENOMEM;
        m_worker = worker.value();
        m_worker_id = m_worker->id;
        m_worker->process = &m_owner;
    }

    out = AioSetup {};
    out.ring_address = m_ring_address;
    out.ring_size = layout.size;
    out.sq_offset = layout.sq_offset;
    out.sq_entries = layout.sq_entries;
    out.sq_size = layout.sq_size;
    out.cq_offset = layout.cq_offset;
    out.cq_entries = layout.cq_entries;
    out.cq_size = layout.cq_size;
    return 0;
}

// ---- submission (the program's thread) ----

i32 Context::prepare(Request& request)
{
    const AioSqe& sqe = request.sqe;
    if (sqe.reserved0 || sqe.reserved1 || sqe.reserved2[0] || sqe.reserved2[1] || sqe.reserved2[2])
        return -EINVAL;
    if (sqe.flags & ~u32(AIO_SQE_DIRECT))
        return -EINVAL;
    switch (sqe.opcode) {
    case AIO_OP_NOP:
        return 0;
    case AIO_OP_READ:
    case AIO_OP_WRITE:
        if (sqe.length > max_transfer)
            return -EINVAL;
        if (sqe.address > 0xFFFFFFFFull || !task::is_user_range(static_cast<u32>(sqe.address), sqe.length))
            return -EFAULT;
        break;
    case AIO_OP_READV:
    case AIO_OP_WRITEV:
        if (sqe.length > AIO_MAX_IOVECS)
            return -EINVAL;
        if (sqe.address > 0xFFFFFFFFull
            || !task::is_user_range(static_cast<u32>(sqe.address), sqe.length * sizeof(IoVec)))
            return -EFAULT;
        break;
    case AIO_OP_FSYNC:
    case AIO_OP_FDATASYNC:
        break;
    default:
        return -EINVAL;
    }
    task::OpenFile* open_file = m_owner.file(sqe.fd);
    if (!open_file)
        return -EBADF;
    if (open_file->pipe)
        return -ESPIPE; // requests carry offsets; a pipe has none
    fs::retain(open_file->file);
    request.file = open_file->file;
    request.direct = open_file->direct || (sqe.flags & AIO_SQE_DIRECT);
    return 0;
}

i32 Context::submit(u32 count)
{
    u32 submitted = 0;
    bool out_of_slots = false;
    for (; submitted < count; ++submitted) {
        // One section per entry: short, and a switch between entries finds
        // the context consistent.
        InterruptDisabler disabler;
        if (closing)
            return submitted ? static_cast<i32>(submitted) : -EBADF;
        if (submitted == 0)
            flush_backlog();
        auto pending = m_rings.pending_submissions();
        if (pending.is_error())
            return submitted ? static_cast<i32>(submitted) : -EINVAL;
        if (pending.value() == 0)
            break;
        Request* request = m_free.pop();
        if (!request) {
            out_of_slots = true;
            break;
        }
        m_rings.take_submission(request->sqe);
        request->submitted_ns = arch::clock::monotonic_ns();
        ++m_stats.submitted;
        i32 error = prepare(*request);
        if (error || request->sqe.opcode == AIO_OP_NOP) {
            finish(*request, error);
            continue;
        }
        request->state = RequestState::Queued;
        m_queue.push(request);
        m_work.wake_one();
    }
    if (submitted == 0 && out_of_slots)
        return -EBUSY;
    return static_cast<i32>(submitted);
}

i32 Context::wait(u32 min_complete, u32 timeout_ms)
{
    if (min_complete == 0)
        return 0;
    if (min_complete > m_layout.cq_entries)
        return -EINVAL;
    bool forever = timeout_ms == AIO_WAIT_FOREVER;
    u64 deadline = arch::pit::ticks() + u64(timeout_ms) * arch::pit::tick_hz / 1000;
    for (;;) {
        InterruptDisabler disabler;
        if (closing)
            return -EBADF;
        flush_backlog();
        if (m_rings.completions_ready() >= min_complete)
            return 0;
        if (forever) {
            m_completions.wait();
            continue;
        }
        u64 now = arch::pit::ticks();
        if (now >= deadline)
            return -ETIMEDOUT;
        m_completions.wait_for((deadline - now) * 1000 / arch::pit::tick_hz);
    }
}

i32 Context::cancel(u64 user_data)
{
    InterruptDisabler disabler;
    if (Request* request = m_queue.take(user_data)) {
        finish(*request, -ECANCELED);
        return 0;
    }
    if (m_running && m_running->sqe.user_data == user_data)
        return -EBUSY;
    return -ENOENT;
}

AioStats Context::statistics() const
{
    InterruptDisabler disabler;
    AioStats stats = m_stats;
    stats.in_flight = static_cast<u32>(m_stats.submitted - m_stats.completed);
    stats.cq_overflow = m_rings.overflow();
    return stats;
}

// ---- completion (any thread, interrupts off) ----

void Context::release(Request& request)
{
    if (request.file) {
        fs::release(request.file); // never blocks
        request.file = nullptr;
    }
}

void Context::finish(Request& request, i32 result)
{
    release(request);
    u64 elapsed = arch::clock::monotonic_ns() - request.submitted_ns;
    ++m_stats.completed;
    m_stats.total_ns += elapsed;
    if (elapsed > m_stats.max_ns)
        m_stats.max_ns = elapsed;
    if (result == -ECANCELED)
        ++m_stats.cancelled;
    else if (result < 0)
        ++m_stats.failed;
    else if (request.sqe.opcode == AIO_OP_READ || request.sqe.opcode == AIO_OP_READV)
        m_stats.bytes_read += static_cast<u32>(result);
    else if (request.sqe.opcode == AIO_OP_WRITE || request.sqe.opcode == AIO_OP_WRITEV)
        m_stats.bytes_written += static_cast<u32>(result);

    request.result = result;
    request.state = RequestState::Finished;
    // Completions keep their order: nothing overtakes the backlog.
    if (m_backlog.is_empty() && m_rings.post_completion({ request.sqe.user_data, result, 0 })) {
        request.state = RequestState::Free;
        m_free.push(&request);
    } else {
        m_backlog.push(&request);
        m_rings.count_overflow();
        m_rings.set_backlog(true);
    }
    m_completions.wake_all();
}

void Context::flush_backlog()
{
    while (!m_backlog.is_empty() && m_rings.completion_room()) {
        Request* request = m_backlog.pop();
        (void)m_rings.post_completion({ request->sqe.user_data, request->result, 0 });
        request->state = RequestState::Free;
        m_free.push(request);
    }
    m_rings.set_backlog(!m_backlog.is_empty());
}

// ---- the worker ----

int Context::worker_main(void* context)
{
    static_cast<Context*>(context)->worker_loop();
}

void Context::worker_loop()
{
    for (;;) {
        Request* request;
        {
            InterruptDisabler disabler;
            while (!m_stopping && m_queue.is_empty())
                m_work.wait();
            if (m_stopping) {
                // The last touch of the context: shut_down frees it once
                // woken, and this thread is gone before it runs again.
                m_worker_gone = true;
                m_running = nullptr;
                m_worker_exit.wake_all();
                task::current_thread()->process = nullptr;
                task::exit_current_thread(0);
            }
            request = m_queue.pop();
            request->state = RequestState::Running;
            m_running = request;
        }
        i32 result = execute(*request);
        InterruptDisabler disabler;
        m_running = nullptr;
        finish(*request, result);
    }
}

i32 Context::execute(Request& request)
{
    const AioSqe& sqe = request.sqe;
    switch (sqe.opcode) {
    case AIO_OP_READ:
    case AIO_OP_WRITE:
        return transfer(request, sqe.opcode == AIO_OP_WRITE, static_cast<u32>(sqe.address), sqe.length, sqe.offset);
    case AIO_OP_READV:
    case AIO_OP_WRITEV:
        return vectored(request, sqe.opcode == AIO_OP_WRITEV);
    case AIO_OP_FSYNC:
    case AIO_OP_FDATASYNC: {
        // FAT has no metadata apart from the data worth a separate path:
        // both write the volume's cache back.
        auto synced = fs::sync(request.file);
        return synced.is_error() ? errno_for(synced.error()) : 0;
    }
    }
    return -EINVAL; // prepare() let nothing else through
}

// Moves `length` bytes between the file at `offset` and user memory at
// `address` in bounce-buffer chunks, as pread/pwrite do (NativeFiles.cpp).
// Returns the bytes moved, or -errno when nothing was. A stop request ends
// it between chunks.
i32 Context::transfer(Request& request, bool writing, u32 address, u32 length, u64 offset)
{
    if (request.direct) {
        u32 alignment = fs::direct_alignment(request.file);
        if (address % alignment || length % alignment || offset % alignment)
            return -EINVAL;
    }
    u32 done = 0;
    while (done < length) {
        if (__atomic_load_n(&m_stopping, __ATOMIC_RELAXED))
            return done ? static_cast<i32>(done) : -ECANCELED;
        size_t part = lib::min<size_t>(length - done, chunk_size);
        ErrorOr<size_t> moved = Error(ErrorCode::InvalidArgument);
        if (writing) {
            if (task::copy_from_user(m_bounce, address + done, part).is_error())
                return done ? static_cast<i32>(done) : -EFAULT;
            moved = request.direct ? fs::write_direct(request.file, offset + done, m_bounce, part)
                                   : fs::write(request.file, offset + done, m_bounce, part);
        } else {
            moved = request.direct ? fs::read_direct(request.file, offset + done, m_bounce, part)
                                   : fs::read(request.file, offset + done, m_bounce, part);
        }
        if (moved.is_error())
            return done ? static_cast<i32>(done) : errno_for(moved.error());
        if (!writing && moved.value() > 0 && task::copy_to_user(address + done, m_bounce, moved.value()).is_error())
            return done ? static_cast<i32>(done) : -EFAULT;
        done += static_cast<u32>(moved.value());
        if (moved.value() < part)
            break; // end of file, or the disk is full
    }
    return static_cast<i32>(done);
}

// READV/WRITEV: the vector is read from user memory now (it is ordinary
// memory, not the ring, and the program must keep it until the completion),
// then each piece is moved in order from the request's offset.
i32 Context::vectored(Request& request, bool writing)
{
    IoVec vectors[AIO_MAX_IOVECS];
    u32 count = request.sqe.length;
    if (task::copy_from_user(vectors, static_cast<u32>(request.sqe.address), count * sizeof(IoVec)).is_error())
        return -EFAULT;
    u64 total = 0;
    for (u32 i = 0; i < count; ++i) {
        total += vectors[i].length;
        if (!task::is_user_range(reinterpret_cast<uintptr_t>(vectors[i].base), vectors[i].length))
            return -EFAULT;
    }
    if (total > max_transfer)
        return -EINVAL;
    u32 done = 0;
    for (u32 i = 0; i < count; ++i) {
        if (vectors[i].length == 0)
            continue;
        i32 moved = transfer(request, writing, static_cast<u32>(reinterpret_cast<uintptr_t>(vectors[i].base)),
            vectors[i].length, request.sqe.offset + done);
        if (moved < 0)
            return done ? static_cast<i32>(done) : moved;
        done += static_cast<u32>(moved);
        if (static_cast<u32>(moved) < vectors[i].length)
            break;
    }
    return static_cast<i32>(done);
}

// ---- teardown ----

void Context::shut_down()
{
    {
        InterruptDisabler disabler;
        m_stopping = true;
        // Queued requests never start; nobody will read their completions.
        while (Request* request = m_queue.pop()) {
            ++m_stats.completed;
            ++m_stats.cancelled;
            release(*request);
            request->state = RequestState::Free;
            m_free.push(request);
        }
        m_work.wake_all();
        // Threads waiting in aio_enter see `closing` and let go.
        m_completions.wake_all();
    }
    for (;;) {
        InterruptDisabler disabler;
        if (!m_worker || m_worker_gone)
            return;
        // A worker killed from outside (KolibriOS 18.2 on its slot) never
        // says goodbye: the running request's file is dropped with the slots.
        if (!task::thread_alive(m_worker_id)) {
            m_worker_gone = true;
            m_running = nullptr;
            return;
        }
        m_worker_exit.wait_for(50);
    }
}

void Context::unmap_ring()
{
    if (!m_ring_address)
        return;
    task::AddressSpaceGuard guard;
    (void)m_owner.address_space().unmap(m_ring_address, m_layout.size);
    m_ring_address = 0;
}

// ---- the context table ----

u32 count_contexts(const Process& process)
{
    u32 count = 0;
    for (Context* context = s_contexts; context; context = context->next) {
        if (&context->owner() == &process)
            ++count;
    }
    return count;
}

void unlink(Context* context)
{
    Context** link = &s_contexts;
    while (*link && *link != context)
        link = &(*link)->next;
    if (*link)
        *link = context->next;
}

// The calling process's open context `id`, with a reference, or null.
Context* acquire(u32 id)
{
    InterruptDisabler disabler;
    Process* self = task::current_process();
    for (Context* context = s_contexts; context; context = context->next) {
        if (context->id() == id && &context->owner() == self && context->ready && !context->closing) {
            ++context->users;
            return context;
        }
    }
    return nullptr;
}

// Drops a reference; the last one of a closing context frees it.
void put(Context* context)
{
    InterruptDisabler disabler;
    if (--context->users == 0 && context->closing) {
        unlink(context);
        delete context;
    }
}

// Holds a reference for one system call.
class ContextReference {
public:
    explicit ContextReference(u32 id) : m_context(acquire(id)) { }
    ~ContextReference()
    {
        if (m_context)
            put(m_context);
    }
    ContextReference(const ContextReference&) = delete;
    ContextReference& operator=(const ContextReference&) = delete;
    Context* operator->() const { return m_context; }
    explicit operator bool() const { return m_context != nullptr; }

private:
    Context* m_context;
};

i32 destroy(u32 id)
{
    Context* context = acquire(id);
    if (!context)
        return -EBADF;
    {
        InterruptDisabler disabler;
        context->closing = true;
    }
    context->shut_down();
    put(context);
    return 0;
}

} // namespace

i32 sys_aio_setup(TrapFrame& frame)
{
    auto layout = fs::aio_ring_layout(frame.ebx);
    if (layout.is_error())
        return -EINVAL;
    u32 out_address = frame.ecx;
    if (!task::is_user_range(out_address, sizeof(AioSetup)))
        return -EFAULT;
    Process& self = *task::current_process();
    Context* context;
    {
        InterruptDisabler disabler;
        if (count_contexts(self) >= max_contexts_per_process)
            return -EMFILE;
        context = new (lib::nothrow) Context(s_next_id, self);
        if (!context)
            return -ENOMEM;
        ++s_next_id;
        // Listed before it owns anything, so that teardown finds it even
        // if this thread dies half way through.
        context->next = s_contexts;
        s_contexts = context;
        context->users = 1;
    }
    AioSetup setup;
    i32 result = context->initialize(layout.value(), setup);
    if (result == 0 && task::copy_to_user(out_address, &setup, sizeof(setup)).is_error())
        result = -EFAULT;
    if (result == 0) {
        InterruptDisabler disabler;
        context->ready = true;
        result = static_cast<i32>(context->id());
    } else {
        InterruptDisabler disabler;
        context->closing = true;
    }
    if (result < 0) {
        context->shut_down();
        context->unmap_ring();
    }
    put(context);
    return result;
}

i32 sys_aio_enter(TrapFrame& frame)
{
    ContextReference context(frame.ebx);
    if (!context)
        return -EBADF;
    i32 submitted = context->submit(frame.ecx);
    if (submitted < 0)
        return submitted;
    i32 waited = context->wait(frame.edx, frame.esi);
    // As io_uring: what was submitted is the answer when there was any,
    // even if the wait then failed (the program sees it in the CQ).
    if (waited < 0 && submitted == 0)
        return waited;
    return submitted;
}

i32 sys_aio_cancel(TrapFrame& frame)
{
    ContextReference context(frame.ebx);
    if (!context)
        return -EBADF;
    return context->cancel(static_cast<u64>(frame.ecx) | static_cast<u64>(frame.edx) << 32);
}

i32 sys_aio_stats(TrapFrame& frame)
{
    ContextReference context(frame.ebx);
    if (!context)
        return -EBADF;
    AioStats stats = context->statistics();
    return task::copy_to_user(frame.ecx, &stats, sizeof(stats)).is_error() ? -EFAULT : 0;
}

i32 sys_aio_destroy(TrapFrame& frame) { return destroy(frame.ebx); }

void stop_async_io(Process& process)
{
    for (;;) {
        Context* context = nullptr;
        {
            InterruptDisabler disabler;
            for (Context* candidate = s_contexts; candidate; candidate = candidate->next) {
                if (&candidate->owner() == &process) {
                    context = candidate;
                    break;
                }
            }
            if (!context)
                return;
            context->closing = true;
        }
        context->shut_down();
        // References still counted belong to the process's own threads,
        // which are stopped for good: nobody will put them.
        InterruptDisabler disabler;
        unlink(context);
        delete context;
    }
}

} // namespace native
