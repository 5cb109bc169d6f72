// The native personality's file system calls (NativeFiles.cpp), dispatched
// from NativeSyscalls.cpp. Each returns a value for EAX: >= 0 on success,
// -errno on error.
#pragma once

#include "kernel/abi/native/Syscalls.h"
#include "kernel/arch/i386/Interrupts.h"
#include "lib/Error.h"

namespace native {

i32 errno_for(const Error&);

i32 sys_read(arch::TrapFrame&);
i32 sys_write(arch::TrapFrame&);
i32 sys_open(arch::TrapFrame&);
i32 sys_close(arch::TrapFrame&);
i32 sys_lseek(arch::TrapFrame&);
i32 sys_pread(arch::TrapFrame&);
i32 sys_pwrite(arch::TrapFrame&);
i32 sys_readv(arch::TrapFrame&);
i32 sys_writev(arch::TrapFrame&);
i32 sys_stat(arch::TrapFrame&);
i32 sys_fstat(arch::TrapFrame&);
i32 sys_unlink(arch::TrapFrame&);
i32 sys_rename(arch::TrapFrame&);
i32 sys_mkdir(arch::TrapFrame&);
i32 sys_rmdir(arch::TrapFrame&);
i32 sys_readdir(arch::TrapFrame&);
i32 sys_fsync(arch::TrapFrame&);
i32 sys_ftruncate(arch::TrapFrame&);
i32 sys_sync(arch::TrapFrame&);
i32 sys_pipe(arch::TrapFrame&);
i32 sys_dup2(arch::TrapFrame&);
i32 sys_fcntl(arch::TrapFrame&);

} // namespace native
