// File functions over the native file system calls: a kernel result r < 0
// means error -r, reported as -1 with errno = -r.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static long check(long result)
{
    if (result < 0) {
        errno = (int)-result;
        return -1;
    }
    return result;
}

ssize_t pread(int fd, void* buffer, size_t length, uint64_t offset) { return check(sys_pread(fd, buffer, length, offset)); }
ssize_t pwrite(int fd, const void* buffer, size_t length, uint64_t offset) { return check(sys_pwrite(fd, buffer, length, offset)); }
// struct iovec and the kernel's IoVec have the same layout on i386.
ssize_t readv(int fd, const struct iovec* vector, int count) { return check(sys_readv(fd, (const struct IoVec*)vector, count)); }
ssize_t writev(int fd, const struct iovec* vector, int count) { return check(sys_writev(fd, (const struct IoVec*)vector, count)); }
int unlink(const char* path) { return check(sys_unlink(path)); }
int rmdir(const char* path) { return check(sys_rmdir(path)); }
int mkdir(const char* path, unsigned mode) { (void)mode; return check(sys_mkdir(path)); }
int rename(const char* from, const char* to) { return check(sys_rename(from, to)); }
int fsync(int fd) { return check(sys_fsync(fd)); }
int pipe(int fds[2]) { return check(sys_pipe2(fds, 0)); }
int pipe2(int fds[2], int flags) { return check(sys_pipe2(fds, flags)); }
int dup2(int from, int to) { return check(sys_dup2(from, to)); }
int dup(int fd) { return check(sys_fcntl(fd, F_DUPFD, 0)); }

int fcntl(int fd, int command, ...)
{
    va_list arguments;
    va_start(arguments, command);
    int argument = command == F_GETFL || command == F_GETFD ? 0 : va_arg(arguments, int);
    va_end(arguments);
    return check(sys_fcntl(fd, command, argument));
}
int ftruncate(int fd, uint64_t length) { return check(sys_ftruncate(fd, length)); }
void sync(void) { (void)sys_sync(); }

static void convert(const struct FileStat* in, struct stat* out)
{
    out->st_size = in->size;
    out->st_attributes = in->attributes;
    out->st_mode = (in->attributes & FILE_ATTRIBUTE_DIRECTORY) ? S_IFDIR | 0555 : S_IFREG | 0444;
    if (!(in->attributes & FILE_ATTRIBUTE_READ_ONLY))
        out->st_mode |= 0222;
    out->st_blksize = in->direct_alignment;
    out->st_ctime_fat = in->created;
    out->st_atime_fat = in->accessed;
    out->st_mtime_fat = in->modified;
}

int stat(const char* path, struct stat* out)
{
    struct FileStat raw;
    if (check(sys_stat(path, &raw)) < 0)
        return -1;
    convert(&raw, out);
    return 0;
}

int fstat(int fd, struct stat* out)
{
    struct FileStat raw;
    if (check(sys_fstat(fd, &raw)) < 0)
        return -1;
    convert(&raw, out);
    return 0;
}

struct DIR {
    int fd;
    struct DirEntry raw;
    struct dirent entry;
};

DIR* opendir(const char* path)
{
    int fd = (int)check(sys_open(path, O_RDONLY | O_DIRECTORY));
    if (fd < 0)
        return NULL;
    DIR* directory = malloc(sizeof(DIR));
    if (!directory) {
        sys_close(fd);
        errno = ENOMEM;
        return NULL;
    }
    directory->fd = fd;
    return directory;
}

struct dirent* readdir(DIR* directory)
{
    long result = check(sys_readdir(directory->fd, &directory->raw));
    if (result <= 0)
        return NULL;
    directory->entry.d_size = directory->raw.size;
    directory->entry.d_attributes = directory->raw.attributes;
    memcpy(directory->entry.d_name, directory->raw.name, sizeof(directory->entry.d_name));
    return &directory->entry;
}

int closedir(DIR* directory)
{
    int result = (int)check(sys_close(directory->fd));
    free(directory);
    return result;
}
