// The kernel's mm::FrameProvider: frames from the physical frame allocator,
// reference counts in a table sized by the allocator, contents through the
// direct map.
#pragma once

#include "kernel/mm/Mmu.h"

namespace kernel {

// Sets up the reference-count table; call after initialize_memory().
ErrorOr<void> initialize_frame_provider();
mm::FrameProvider& frame_provider();

} // namespace kernel
