// stat/fstat/mkdir. struct stat carries what FAT stores: size, attributes
// (FILE_ATTRIBUTE_* from <colibri/syscall.h>) and three wall-clock stamps.
#pragma once

#include <colibri/syscall.h>
#include <sys/types.h>

#define S_IFMT 0170000
#define S_IFDIR 0040000
#define S_IFREG 0100000
#define S_ISDIR(mode) (((mode) & S_IFMT) == S_IFDIR)
#define S_ISREG(mode) (((mode) & S_IFMT) == S_IFREG)

#ifdef __cplusplus
extern "C" {
#endif

struct stat {
    uint64_t st_size;
    unsigned st_mode;       // S_IFDIR or S_IFREG, plus 0444/0666 permission bits
    unsigned st_attributes; // FILE_ATTRIBUTE_*
    unsigned st_blksize;    // the alignment O_DIRECT needs (fstat only)
    struct FileTime st_ctime_fat, st_atime_fat, st_mtime_fat;
};

int stat(const char* path, struct stat* out);
int fstat(int fd, struct stat* out);
int mkdir(const char* path, unsigned mode); // mode is ignored (FAT has none)

#ifdef __cplusplus
}
#endif
