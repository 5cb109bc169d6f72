// The administration shell on COM1: the console for people and the hook for
// the VM tests.
#pragma once

namespace kernel {

// Prints the prompt and serves commands until `halt` or `reboot`.
[[noreturn]] void run_shell();

} // namespace kernel
