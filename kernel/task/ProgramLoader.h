// Starting programs from files: KolibriOS MENUET01/02 flat images (loaded at
// address 0) and native ELF32 executables (segments mapped lazily from the
// file, a user stack with a guard page, argv/envp on it).
#pragma once

#include "kernel/arch/i386/Interrupts.h"
#include "lib/Error.h"
#include "lib/String.h"

namespace task {

class Process;

struct ProgramArguments {
    static constexpr size_t max_arguments = 32;
    const char* argv[max_arguments] {}; // argv[0] is the program path
    size_t argc { 0 };
    const char* envp[max_arguments] {};
    size_t envc { 0 };
};

// Loads the program at `path` into a new process (child of `parent`, or of
// nobody) with one thread ready to run, and returns its pid. Errors say what
// was wrong with the file; nothing is left behind on failure. The program
// may already have run and exited when this returns: without a parent to
// wait for it, the process is gone, so only its pid is handed back.
// `main_thread_id`, when given, receives the id of its (first) thread: the
// number KolibriOS programs know a process by (fs_execute answers it).
ErrorOr<u32> spawn_program(StringView path, const ProgramArguments&, Process* parent,
    u32* main_thread_id = nullptr);

// The process name for a program path: its last component, truncated to
// fit `capacity` (NUL included).
const char* program_name(StringView path, char* buffer, size_t capacity);

// Replaces the image of `process` (native only) with the program at `path`;
// on success `frame` is set to start it. When the new image is invalid, the
// old one is untouched and the error returned; an error after the old image
// was dropped terminates the process.
ErrorOr<void> exec_program(Process&, arch::TrapFrame& frame, StringView path, const ProgramArguments&);

} // namespace task
