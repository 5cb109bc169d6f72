// File functions of the KolibriOS personality (sysfuncs.txt): 30 (the
// current folder), 70 (the file system through an information structure)
// and 80 (the same with an explicit path encoding). They translate the
// program's paths (cp866, UTF-16LE or UTF-8, absolute or relative to the
// current folder) into absolute UTF-8 VFS paths (kernel/fs/Vfs.h) and the
// VFS errors into the KolibriOS file-system error codes.
//
// Every program buffer goes through copy_to_program/copy_from_program; a
// wild pointer is answered with error 7, never a kernel fault. File data
// moves through a 16 KiB kernel buffer, so a large read or write never
// needs more kernel memory than that.
#pragma once

#include "kernel/arch/i386/Interrupts.h"
#include "lib/Error.h"

namespace kolibri {

// The whole file at the program's path (in `encoding`, 0 = cp866 or an
// encoding byte; relative to the current folder, as getFullPath and
// load_file take it) into `buffer`: its size; OutOfRange when it is
// bigger than `capacity`.
ErrorOr<size_t> read_program_file(u32 path_address, u32 encoding, u8* buffer, size_t capacity);

// Function handlers (dispatch table in KolibriSyscalls.cpp).
void sys_current_folder(arch::TrapFrame&); // 30
void sys_file(arch::TrapFrame&);           // 70
void sys_file_encoded(arch::TrapFrame&);   // 80

// 68.27 / 68.28 (with_encoding): load a whole file into the program's heap,
// unpacking a KPCK file (core/dll.inc load_file_umode).
void sys_load_file(arch::TrapFrame&, bool with_encoding);

} // namespace kolibri
