// KolibriOS DLLs (sysfuncs.txt, functions 68.18 and 68.19; KolibriOS
// kernel/trunk/core/dll.inc, load_library): COFF objects linked by the
// kernel (kernel/exec/CoffDll.h), kept once for the whole system and mapped
// into each process that loads them. docs/dll.md describes the design.
//
// Two caches, as in KolibriOS:
//   * per process: the same full name again returns the same export table
//     and counts one more load (HDLL.refcount);
//   * system-wide: a linked image is found by its full name and the file's
//     modification time (DLLDESCR); it lives while some process maps it.
// An image's pages are shared by every process, read-only, and copied
// into a page of the process's own on the first write (the VMM's
// copy-on-write, mm::FileSource::shares_frames_copy_on_write), so a DLL's
// data is private to each process.
#pragma once

#include "kernel/arch/i386/Interrupts.h"
#include "lib/Error.h"
#include "lib/Types.h"

namespace task {
struct KolibriState;
class Process;
}

namespace kolibri {

// A DLL this process loaded (HDLL).
struct LoadedDll;

// 68.18 (EDX = path encoding) and 68.19 (default encoding); EBX selects.
// EAX = the user address of the export table, or 0 (with a log line).
void dll_function(task::KolibriState&, arch::TrapFrame&);

// Loads the DLL at the absolute UTF-8 path `path` into `process` (which
// has KolibriOS state; it need not be the current one) as 68.19 does and
// answers its export table's user address. Header version 2 programs load
// /sys/lib/dll.obj through this (kernel/task/ProgramLoader.cpp).
ErrorOr<u32> load_library(task::Process& process, const char* path);

// The program ends: its DLL records go (the mappings go with the address
// space; an image nobody maps any more is freed).
void release_dlls(task::KolibriState&);

// Images alive system-wide (tests, the `mem` leak check).
u32 loaded_images();

} // namespace kolibri
