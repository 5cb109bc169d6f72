// readloop: writes and reads a file on /tmp0/1 for ever (a ramdisk
// program when /tmp0 is missing); the kill_during_file_io VM test kills
// it in the middle of its system calls.
#include <fcntl.h>
#include <unistd.h>

int main(void)
{
    static char buffer[65536];
    for (;;) {
        int fd = open("/tmp0/1/readloop.tmp", O_RDWR | O_CREAT | O_TRUNC);
        if (fd < 0)
            fd = open("/sys/powercut", O_RDONLY);
        for (int i = 0; i < 4; i++)
            write(fd, buffer, sizeof(buffer));
        lseek(fd, 0, SEEK_SET);
        while (read(fd, buffer, sizeof(buffer)) > 0) {
        }
        close(fd);
    }
}
