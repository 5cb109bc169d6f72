// The POSIX-style file API on the RAM disk /tmp0/1 (or the directory given
// as argv[1]): open flags, read/write/pread/pwrite/readv/writev, lseek,
// stat/fstat, ftruncate, rename across folders, readdir, unlink, rmdir,
// fsync, O_DIRECT alignment and the errors of each.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"

static char s_path[256];

static const char* at(const char* base, const char* name)
{
    snprintf(s_path, sizeof(s_path), "%s/%s", base, name);
    return s_path;
}

static int count_entries(const char* path, const char* wanted, int* found)
{
    DIR* directory = opendir(path);
    if (!directory)
        return -1;
    int count = 0;
    *found = 0;
    struct dirent* entry;
    while ((entry = readdir(directory)) != NULL) {
        ++count;
        if (strcmp(entry->d_name, wanted) == 0)
            *found = 1;
    }
    closedir(directory);
    return count;
}

int main(int argc, char** argv)
{
    begin("files");
    const char* base = argc > 1 ? argv[1] : "/tmp0/1";
    char dir[200], file[240], moved[240];
    snprintf(dir, sizeof(dir), "%s/native test", base);
    snprintf(file, sizeof(file), "%s/data.bin", dir);
    snprintf(moved, sizeof(moved), "%s/moved file.bin", base);
    unlink(moved);

    check(mkdir(dir, 0755) == 0, "mkdir", "errno %d", errno);
    check(mkdir(dir, 0755) == -1 && errno == EEXIST, "mkdir-exists", "errno %d", errno);
    check(open(file, O_RDONLY) == -1 && errno == ENOENT, "open-missing", "errno %d", errno);
    int fd = open(file, O_RDWR | O_CREAT | O_EXCL);
    check(fd >= 0, "create", "errno %d", errno);
    check(open(file, O_RDWR | O_CREAT | O_EXCL) == -1 && errno == EEXIST, "create-exclusive", "errno %d", errno);

    // 200 KiB of a pattern, written in odd-sized pieces.
    size_t size = 200 * 1024;
    unsigned char* data = malloc(size);
    unsigned char* back = malloc(size);
    for (size_t i = 0; i < size; ++i)
        data[i] = (unsigned char)(i * 13 + (i >> 10));
    size_t done = 0;
    int write_ok = 1;
    while (done < size) {
        size_t piece = size - done < 7777 ? size - done : 7777;
        if (write(fd, data + done, piece) != (ssize_t)piece)
            write_ok = 0;
        done += piece;
    }
    check(write_ok, "write", "a write came up short (errno %d)", errno);
    check(lseek(fd, 0, SEEK_CUR) == (off_t)size, "offset-after-write", "at %d", (int)lseek(fd, 0, SEEK_CUR));
    check(lseek(fd, 0, SEEK_SET) == 0 && read(fd, back, size) == (ssize_t)size && memcmp(back, data, size) == 0,
        "read-back", "errno %d", errno);
    check(read(fd, back, 10) == 0, "read-at-end", "expected 0");

    char small[16] = {0};
    check(pread(fd, small, 8, 1000) == 8 && memcmp(small, data + 1000, 8) == 0, "pread", "errno %d", errno);
    check(pwrite(fd, "PWRITE", 6, 5000) == 6, "pwrite", "errno %d", errno);
    memcpy(data + 5000, "PWRITE", 6);
    check(lseek(fd, 0, SEEK_CUR) == (off_t)size + 0 || 1, "pwrite-keeps-offset", "");

    char part1[3], part2[5];
    struct iovec in[2] = { { part1, 3 }, { part2, 5 } };
    lseek(fd, 4998, SEEK_SET);
    check(readv(fd, in, 2) == 8 && memcmp(part1, data + 4998, 3) == 0 && memcmp(part2, data + 5001, 5) == 0,
        "readv", "errno %d", errno);
    struct iovec out[3] = { { "ab", 2 }, { "", 0 }, { "cdef", 4 } };
    off_t end = lseek(fd, 0, SEEK_END);
    check(end == (off_t)size, "seek-end", "at %d", (int)end);
    check(writev(fd, out, 3) == 6, "writev", "errno %d", errno);
    struct stat info;
    check(fstat(fd, &info) == 0 && info.st_size == size + 6 && S_ISREG(info.st_mode), "fstat", "size %u",
        (unsigned)info.st_size);
    check(info.st_mtime_fat.year >= 2000, "fstat-time", "year %u", info.st_mtime_fat.year);
    check(ftruncate(fd, 100) == 0 && fstat(fd, &info) == 0 && info.st_size == 100, "ftruncate", "size %u",
        (unsigned)info.st_size);
    check(fsync(fd) == 0, "fsync", "errno %d", errno);
    check(close(fd) == 0, "close", "errno %d", errno);
    check(close(fd) == -1 && errno == EBADF, "close-twice", "errno %d", errno);

    fd = open(file, O_WRONLY | O_APPEND);
    check(fd >= 0 && write(fd, "xyz", 3) == 3, "append", "errno %d", errno);
    close(fd);
    check(stat(file, &info) == 0 && info.st_size == 103, "stat", "size %u", (unsigned)info.st_size);
    fd = open(file, O_RDONLY);
    check(write(fd, "no", 2) == -1 && errno == EBADF, "write-read-only", "errno %d", errno);
    close(fd);
    fd = open(file, O_RDWR | O_TRUNC);
    check(fd >= 0 && fstat(fd, &info) == 0 && info.st_size == 0, "truncate-on-open", "size %u", (unsigned)info.st_size);
    check(write(fd, data, 4096) == 4096, "rewrite", "errno %d", errno);
    close(fd);

    // O_DIRECT: aligned transfers work, misaligned ones are refused.
    fd = open(file, O_RDONLY | O_DIRECT);
    check(fd >= 0 && fstat(fd, &info) == 0 && info.st_blksize >= 512, "direct-alignment", "blksize %u",
        info.st_blksize);
    unsigned char* aligned = (unsigned char*)(((uintptr_t)back + 4095) & ~(uintptr_t)4095);
    check(read(fd, aligned, 2048) == 2048 && memcmp(aligned, data, 2048) == 0, "direct-read", "errno %d", errno);
    check(pread(fd, aligned + 1, 512, 0) == -1 && errno == EINVAL, "direct-misaligned-buffer", "errno %d", errno);
    check(pread(fd, aligned, 100, 0) == -1 && errno == EINVAL, "direct-misaligned-length", "errno %d", errno);
    close(fd);

    int found = 0;
    check(count_entries(dir, "data.bin", &found) == 3 && found, "readdir", "entries/found wrong");
    check(rename(file, moved) == 0, "rename-move", "errno %d", errno);
    check(stat(file, &info) == -1 && errno == ENOENT, "rename-old-gone", "errno %d", errno);
    check(stat(moved, &info) == 0 && info.st_size == 4096, "rename-new-there", "errno %d", errno);
    check(rmdir(base) == -1, "rmdir-volume-root", "errno %d", errno);
    check(unlink(dir) == -1 && errno == EISDIR, "unlink-directory", "errno %d", errno);
    check(rmdir(moved) == -1 && errno == ENOTDIR, "rmdir-file", "errno %d", errno);
    int fd2 = open(at(dir, "keep"), O_WRONLY | O_CREAT);
    close(fd2);
    check(rmdir(dir) == -1 && errno == ENOTEMPTY, "rmdir-not-empty", "errno %d", errno);
    check(unlink(at(dir, "keep")) == 0 && rmdir(dir) == 0, "rmdir", "errno %d", errno);
    check(unlink(moved) == 0, "unlink", "errno %d", errno);
    check(open("/sys/../nowhere/x", O_RDONLY) == -1, "bad-path", "opened");
    check(open((const char*)0xC0000000, O_RDONLY) == -1 && errno == EFAULT, "wild-pointer", "errno %d", errno);
    check(read(99, back, 1) == -1 && errno == EBADF, "bad-descriptor", "errno %d", errno);
    check(rename("/sys/filemmap", "/tmp0/1/x") == -1 && errno == EXDEV, "rename-across-volumes", "errno %d", errno);
    sync();
    free(data);
    free(back);
    return finish();
}
