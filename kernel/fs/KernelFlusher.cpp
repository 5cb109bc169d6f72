#include "kernel/fs/KernelFlusher.h"

#include "kernel/arch/i386/Pit.h"
#include "kernel/debug/Log.h"
#include "kernel/fs/Vfs.h"
#include "kernel/task/Scheduler.h"
#include "kernel/task/Thread.h"

namespace kernel {

namespace {

constexpr u64 interval_ms = 1000;
// The longest a change waits in a cache before it is written back. The
// flusher sees dirty data only at its wake-ups, so the data it first sees
// at one may be up to interval_ms old already.
constexpr u64 max_age_ms = 3000;

int flusher_thread(void*)
{
    bool dirty = false;
    u64 first_seen_ms = 0;
    bool failing = false;
    for (;;) {
        task::sleep_ms(interval_ms);
        if (!fs::has_dirty_data()) {
            dirty = false; // written back by someone else (fsync, pressure)
            continue;
        }
        u64 now = arch::pit::uptime_ms();
        if (!dirty) {
            dirty = true;
            first_seen_ms = now;
        }
        if (now - first_seen_ms + interval_ms < max_age_ms)
            continue;
        auto synced = fs::sync();
        if (synced.is_error()) {
            // The blocks stay dirty; try again at the next wake-up, but say
            // so only once per run of failures.
            if (!failing)
                log_warning("flusher: write-back failed: %s (%s)", synced.error().name(),
                    synced.error().context() ? synced.error().context() : "");
            failing = true;
            continue;
        }
        if (failing)
            log_info("flusher: write-back works again");
        failing = false;
        dirty = false;
    }
    return 0;
}

} // namespace

void start_flusher()
{
    // Normal priority: round robin with programs, so a busy program cannot
    // hold write-back off for ever.
    if (task::create_kernel_thread("flusher", flusher_thread, nullptr, task::priority_normal).is_error())
        log_warning("flusher: cannot start the write-back thread; only fsync and sync write caches back");
}

} // namespace kernel
