// waitpid(): the status is the plain exit value (0..255) the child passed to
// exit, or STATUS_KILLED / STATUS_SEGFAULT / STATUS_FPE when the kernel ended it.
#pragma once

#include <colibri/syscall.h>
#include <sys/types.h>

#define WIFEXITED(status) ((status) < 128)
#define WEXITSTATUS(status) (status)

#ifdef __cplusplus
extern "C" {
#endif

pid_t waitpid(pid_t pid, int* status, int options);
pid_t wait(int* status);

#ifdef __cplusplus
}
#endif
