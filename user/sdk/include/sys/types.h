// Basic POSIX types of the Colibri SDK (32-bit x86).
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef int ssize_t;
typedef int pid_t;
typedef int32_t off_t;
