// A private read-only file mapping shows the same bytes as read(), and the
// rest of the last page past the end of the file reads as zero.
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"

static const char* const s_path = "/sys/README.TXT";

int main(void)
{
    begin("file_mmap");
    int fd = open(s_path, O_RDONLY);
    if (!check(fd >= 0, "open", "open %s failed: %s", s_path, strerror(errno)))
        return finish();
    off_t size = lseek(fd, 0, SEEK_END);
    check(size > 0, "size", "lseek to the end returned %d", size);
    check(lseek(fd, 0, SEEK_SET) == 0, "rewind", "lseek to the start failed: %s", strerror(errno));
    if (size <= 0)
        return finish();

    char* contents = malloc((size_t)size);
    size_t got = 0;
    while (contents && got < (size_t)size) {
        ssize_t n = read(fd, contents + got, (size_t)size - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    check(got == (size_t)size, "read", "read %u of %d bytes", (unsigned)got, size);

    const char* mapped = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (check(mapped != MAP_FAILED, "mmap", "mmap of the file failed: %s", strerror(errno))) {
        check(memcmp(mapped, contents, got) == 0, "same_bytes", "the mapping differs from read()");
        size_t tail = (4096 - (size_t)size % 4096) % 4096;
        size_t nonzero = 0;
        for (size_t i = 0; i < tail; ++i)
            nonzero += mapped[size + (off_t)i] != 0;
        check(nonzero == 0, "zero_tail", "%u bytes past the end of the file are not zero", (unsigned)nonzero);
        check(munmap((void*)mapped, (size_t)size) == 0, "munmap", "munmap failed: %s", strerror(errno));
    }
    // A private writable mapping gets private copies: the file is unchanged
    // for a second mapping.
    char* writable = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (check(writable != MAP_FAILED, "mmap_private_write", "mmap failed: %s", strerror(errno))) {
        writable[0] = (char)~contents[0];
        const char* again = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
        check(again != MAP_FAILED && again[0] == contents[0] && writable[0] == (char)~contents[0], "private_copy",
            "a write to a private file mapping reached the file or was lost");
        munmap((void*)again, (size_t)size);
        munmap(writable, (size_t)size);
    }
    // The file is open read-only: a shared writable mapping is refused.
    void* shared = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    check(shared == MAP_FAILED && errno == EACCES, "shared_write_refused", "want EACCES, got %s",
        shared == MAP_FAILED ? strerror(errno) : "a mapping");
    check(close(fd) == 0, "close", "close failed: %s", strerror(errno));
    check(close(fd) == -1 && errno == EBADF, "close_twice", "second close: want EBADF");
    return finish();
}
