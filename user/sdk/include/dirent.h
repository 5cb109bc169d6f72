// Directory listing: opendir/readdir/closedir. Entries come in on-disk
// order and include "." and ".." in subdirectories.
#pragma once

#include <colibri/syscall.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dirent {
    uint64_t d_size;
    unsigned d_attributes; // FILE_ATTRIBUTE_*
    char d_name[772];      // UTF-8
};

typedef struct DIR DIR;

DIR* opendir(const char* path);
struct dirent* readdir(DIR* directory); // null at the end (errno unchanged) or on error (errno set)
int closedir(DIR* directory);

#ifdef __cplusplus
}
#endif
