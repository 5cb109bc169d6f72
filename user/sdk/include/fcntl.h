// open(): files are read-only for now (flags 0).
#pragma once

#include <sys/types.h>

#define O_RDONLY 0

#ifdef __cplusplus
extern "C" {
#endif

int open(const char* path, int flags, ...);

#ifdef __cplusplus
}
#endif
