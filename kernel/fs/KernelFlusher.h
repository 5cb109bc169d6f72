// The background write-back of disk caches: a kernel thread that wakes up
// every second and writes every cache back (fs::sync) once changes have
// waited in one for up to three seconds. Programs need not call fsync for
// their files to reach the disk; they call it to know when they have.
#pragma once

namespace kernel {

// Starts the flusher thread; needs the scheduler. Logs when it cannot.
void start_flusher();

} // namespace kernel
