#include "kernel/abi/native/NativeEvents.h"

#include "kernel/abi/native/NativeFiles.h"
#include "kernel/abi/native/Syscalls.h"
#include "kernel/event/KernelEvents.h"
#include "kernel/task/UserMemory.h"

namespace native {

using arch::TrapFrame;

static_assert(u32(EQ_READABLE) == u32(event::Ready::Readable) && u32(EQ_WRITABLE) == u32(event::Ready::Writable)
    && u32(EQ_HANGUP) == u32(event::Ready::HangUp) && u32(EQ_ERROR) == u32(event::Ready::Error)
    && u32(EQ_TIMER) == u32(event::Ready::TimerExpired));
static_assert(u32(EQ_EDGE) == u32(event::Mode::Edge) && u32(EQ_ONESHOT) == u32(event::Mode::OneShot));

namespace {

template<typename T>
i32 result_of(const ErrorOr<T>& result)
{
    return result.is_error() ? errno_for(result.error()) : 0;
}

} // namespace

i32 sys_eq_create(TrapFrame&)
{
    auto handle = event::create_queue();
    return handle.is_error() ? errno_for(handle.error()) : static_cast<i32>(handle.value());
}

i32 sys_eq_ctl(TrapFrame& frame)
{
    EqControl control;
    if (task::copy_from_user(&control, frame.ecx, sizeof(control)).is_error())
        return -EFAULT;
    if (control.op < EQ_ADD || control.op > EQ_REMOVE || control.kind < EQ_KIND_TIMER || control.kind > EQ_KIND_FD)
        return -EINVAL;
    event::WatchRequest request {
        static_cast<event::WatchOp>(control.op),
        static_cast<event::WatchKind>(control.kind),
        control.target,
        control.expected,
        control.interest,
        control.mode,
        control.user_data,
    };
    return result_of(event::control(frame.ebx, request));
}

i32 sys_eq_wait(TrapFrame& frame)
{
    u32 capacity = frame.edx;
    if (capacity == 0 || capacity > 64)
        return -EINVAL;
    if (!task::is_user_range(frame.ecx, capacity * sizeof(EqEvent)))
        return -EFAULT;
    event::Event events[64];
    auto count = event::wait(frame.ebx, events, capacity, frame.esi);
    if (count.is_error())
        return errno_for(count.error());
    EqEvent out[64];
    for (u32 i = 0; i < count.value(); ++i)
        out[i] = { events[i].user_data, events[i].ready, 0 };
    if (task::copy_to_user(frame.ecx, out, count.value() * sizeof(EqEvent)).is_error())
        return -EFAULT;
    return static_cast<i32>(count.value());
}

i32 sys_eq_stats(TrapFrame& frame)
{
    auto stats = event::statistics(frame.ebx);
    if (stats.is_error())
        return errno_for(stats.error());
    EqStats out {};
    out.delivered = stats.value().delivered;
    for (u32 bit = 0; bit < 16; ++bit)
        out.per_bit[bit] = stats.value().per_bit[bit];
    out.spurious = stats.value().spurious;
    out.wait_calls = stats.value().wait_calls;
    out.average_batch_x1000 = stats.value().average_batch_x1000();
    return task::copy_to_user(frame.ecx, &out, sizeof(out)).is_error() ? -EFAULT : 0;
}

i32 sys_timer_create(TrapFrame& frame)
{
    auto handle = event::create_timer(frame.ebx, frame.ecx);
    return handle.is_error() ? errno_for(handle.error()) : static_cast<i32>(handle.value());
}

i32 sys_timer_set(TrapFrame& frame) { return result_of(event::set_timer(frame.ebx, frame.ecx, frame.edx)); }

i32 sys_timer_read(TrapFrame& frame)
{
    auto expirations = event::read_timer(frame.ebx);
    if (expirations.is_error())
        return errno_for(expirations.error());
    u64 value = expirations.value();
    return task::copy_to_user(frame.ecx, &value, sizeof(value)).is_error() ? -EFAULT : 0;
}

i32 sys_handle_close(TrapFrame& frame) { return result_of(event::close_handle(frame.ebx)); }

} // namespace native
