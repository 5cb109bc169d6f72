// The administration shell on COM1: the console for people and the hook for
// the VM tests.
#pragma once

#include "lib/String.h"

namespace kernel {

// Prints the prompt and serves commands until `halt` or `reboot`.
[[noreturn]] void run_shell();

// Starts a program as the `run` command would (kernel command line run=).
void run_program_at_boot(StringView arguments);

} // namespace kernel
