#pragma once

namespace kernel {

// Runs the constructors of objects with static storage (.init_array).
void run_global_constructors();

} // namespace kernel
