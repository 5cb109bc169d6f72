// Pipes (pipe, pipe2, dup, dup2, fcntl, close-on-exec) and file descriptors as event sources: bytes in
// order between processes with checksums, the end of the stream, a broken
// pipe, a descriptor closed under a waiting reader, non-blocking ends,
// atomic small writes, what a pipe refuses
// (seek, map, sync), a child's standard output through a pipe across exec,
// and event queues watching pipe ends and files (level, edge, hang-up).
#include <colibri/event.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

enum { capacity = 4096 }; // the kernel's pipe_capacity

static int reap(pid_t pid)
{
    int status = -1;
    waitpid(pid, &status, 0);
    return status;
}

static void basics(void)
{
    int fds[2];
    check(pipe(fds) == 0, "create", "pipe failed: %s", strerror(errno));
    check(write(fds[1], "hello", 5) == 5, "write", "write of 5 bytes failed");
    struct FileStat stat;
    check(sys_fstat(fds[0], &stat) == 0 && stat.size == 5 && stat.attributes == FILE_ATTRIBUTE_PIPE, "fstat",
        "fstat says %u bytes wait, attributes %#x", (unsigned)stat.size, stat.attributes);
    char buffer[16] = { 0 };
    check(read(fds[0], buffer, 3) == 3 && memcmp(buffer, "hel", 3) == 0, "read_part", "read 3 gave %.3s", buffer);
    check(read(fds[0], buffer, sizeof(buffer)) == 2 && memcmp(buffer, "lo", 2) == 0, "read_rest",
        "a read takes what is there, not more");
    check(sys_read(fds[1], buffer, 1) == -EBADF, "read_write_end", "reading the write end is not EBADF");
    check(sys_write(fds[0], "x", 1) == -EBADF, "write_read_end", "writing the read end is not EBADF");
    check(sys_lseek(fds[0], 0, SEEK_SET) == -ESPIPE, "lseek", "lseek on a pipe is not ESPIPE");
    check(sys_pread(fds[0], buffer, 1, 0) == -ESPIPE, "pread", "pread on a pipe is not ESPIPE");
    check(sys_fsync(fds[1]) == -EINVAL, "fsync", "fsync on a pipe is not EINVAL");
    void* mapped = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fds[0], 0);
    check(mapped == MAP_FAILED && errno == ENODEV, "mmap", "mmap of a pipe did not fail with ENODEV");
    check(sys_pipe2(fds, 0x1234) == -EINVAL, "bad_flags", "pipe2 with unknown flags is not EINVAL");
    check(sys_pipe2((int*)0xC0000000, 0) == -EFAULT, "bad_pointer", "pipe2 into kernel memory is not EFAULT");
    close(fds[1]);
    check(read(fds[0], buffer, sizeof(buffer)) == 0, "end_of_stream", "no writer and empty: read is not 0");
    close(fds[0]);
}

// 256 KiB from a child in odd-sized writes, read in odd-sized pieces: every
// byte in order, then the end of the stream once the child is gone.
static void stream_between_processes(void)
{
    enum { total = 256 * 1024 };
    int fds[2];
    if (!check(pipe(fds) == 0, "stream_pipe", "pipe failed"))
        return;
    pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        static unsigned char chunk[1000];
        uint32_t sent = 0;
        while (sent < total) {
            size_t part = total - sent < sizeof(chunk) ? total - sent : (sent % 7) * 100 + 300;
            for (size_t i = 0; i < part; i++)
                chunk[i] = (unsigned char)((sent + i) * 2654435761u >> 24);
            if (write(fds[1], chunk, part) != (ssize_t)part)
                _exit(3);
            sent += part;
        }
        _exit(0);
    }
    close(fds[1]);
    static unsigned char buffer[777];
    uint32_t received = 0, wrong = 0;
    for (;;) {
        ssize_t got = read(fds[0], buffer, sizeof(buffer));
        if (got <= 0)
            break;
        for (ssize_t i = 0; i < got; i++)
            wrong += buffer[i] != (unsigned char)((received + i) * 2654435761u >> 24);
        received += got;
    }
    int status = reap(child);
    check(received == total && wrong == 0, "stream", "%u of %u bytes, %u wrong", received, total, wrong);
    check(status == 0, "stream_writer", "the writer exited with %d", status);
    close(fds[0]);
}

static void broken_pipe(void)
{
    int fds[2];
    pipe(fds);
    close(fds[0]);
    check(sys_write(fds[1], "x", 1) == -EPIPE, "broken_pipe", "writing with no reader is not EPIPE");
    close(fds[1]);

    // A writer blocked on a full pipe wakes with what it wrote when the
    // reader goes away.
    pipe(fds);
    pid_t child = fork();
    if (child == 0) {
        close(fds[1]);
        sleep_ms(200);
        _exit(0); // the last read end goes
    }
    close(fds[0]);
    static char big[3 * capacity];
    long wrote = sys_write(fds[1], big, sizeof(big));
    check(wrote == capacity, "blocked_writer_released", "a writer blocked on a full pipe returned %ld", wrote);
    check(sys_write(fds[1], big, 1) == -EPIPE, "then_broken", "the next write is not EPIPE");
    reap(child);
    close(fds[1]);

    // A reader blocked on an empty pipe can be killed; the pipe goes on.
    pipe(fds);
    child = fork();
    if (child == 0) {
        char byte;
        read(fds[0], &byte, 1);
        _exit(5);
    }
    sleep_ms(50);
    check(kill(child) == 0, "kill_blocked_reader", "kill failed: %s", strerror(errno));
    int status = reap(child);
    check(status != 5, "killed_reader_status", "the blocked reader read something and exited normally");
    check(write(fds[1], "k", 1) == 1, "pipe_after_kill", "the pipe refused a write after its reader was killed");
    char byte = 0;
    check(read(fds[0], &byte, 1) == 1 && byte == 'k', "read_after_kill", "the byte did not come back");
    close(fds[0]);
    close(fds[1]);
}

static int s_shared_fds[2];
static volatile int s_reader_result = -100;

static void blocked_reader(void* argument)
{
    (void)argument;
    char byte = 0;
    long got = sys_read(s_shared_fds[0], &byte, 1);
    s_reader_result = got == 1 ? byte : (int)got;
}

// A thread waits in read while another thread closes the descriptor: the
// read keeps the open file alive, gets the byte, and only then does the
// read end go (the next write is a broken pipe).
static void close_under_reader(void)
{
    pipe(s_shared_fds);
    thread_create(blocked_reader, NULL, 0);
    sleep_ms(50);
    close(s_shared_fds[0]);
    check(write(s_shared_fds[1], "z", 1) == 1, "close_under_reader_write",
        "a write failed while a reader still waited on the closed descriptor");
    for (int i = 0; i < 200 && s_reader_result == -100; i++)
        sleep_ms(5);
    check(s_reader_result == 'z', "close_under_reader_read", "the waiting reader got %d", s_reader_result);
    check(sys_write(s_shared_fds[1], "z", 1) == -EPIPE, "close_under_reader_gone",
        "after the reader returned, the read end is still open");
    close(s_shared_fds[1]);
}

// A reader killed while waiting, then every other read end closed: the
// killed thread's hold on the open file must not keep the pipe readable.
static void killed_reader_lets_go(void)
{
    int fds[2];
    pipe(fds);
    pid_t child = fork();
    if (child == 0) {
        char byte;
        read(fds[0], &byte, 1);
        _exit(5);
    }
    sleep_ms(50);
    kill(child);
    reap(child);
    close(fds[0]);
    check(sys_write(fds[1], "x", 1) == -EPIPE, "killed_reader_released",
        "the read end stayed open after its last holder was killed");
    close(fds[1]);
}

static uint64_t now_ms(void) { return clock_ns() / 1000000; }

// readv and writev are one pipe operation each.
static void vectored(void)
{
    int fds[2];
    pipe(fds);
    pid_t child = fork();
    if (child == 0) {
        write(fds[1], "abcd", 4);
        sleep_ms(1500);
        write(fds[1], "efgh", 4);
        _exit(0);
    }
    char first[4], second[4];
    struct IoVec vectors[2] = { { first, 4 }, { second, 4 } };
    uint64_t start = now_ms();
    long got = sys_readv(fds[0], vectors, 2);
    uint64_t took = now_ms() - start;
    check(got == 4 && memcmp(first, "abcd", 4) == 0 && took < 1000, "readv_takes_what_is_there",
        "readv returned %ld after %u ms (it should not wait to fill the second vector)", got, (unsigned)took);
    reap(child);
    close(fds[0]);
    close(fds[1]);

    // Non-blocking writev of 150 bytes with 96 free: all or nothing.
    pipe2(fds, O_NONBLOCK);
    static char fill[capacity - 96];
    write(fds[1], fill, sizeof(fill));
    char part[50] = { 0 };
    struct IoVec three[3] = { { part, 50 }, { part, 50 }, { part, 50 } };
    check(sys_writev(fds[1], three, 3) == -EAGAIN, "writev_whole", "a small writev went in partly");
    struct FileStat stat;
    sys_fstat(fds[0], &stat);
    check(stat.size == sizeof(fill), "writev_nothing_written", "%u bytes wait after the refused writev",
        (unsigned)stat.size);
    close(fds[0]);
    close(fds[1]);
}

// dup2 onto an open descriptor closes what was there first.
static void dup2_replaces(void)
{
    int p[2], q[2];
    pipe(p);
    pipe(q);
    check(dup2(p[1], q[1]) == q[1], "dup2_over_open", "dup2 onto an open descriptor failed");
    char byte;
    check(read(q[0], &byte, 1) == 0, "dup2_closed_old", "q's write end was not closed by dup2");
    write(q[1], "d", 1);
    check(read(p[0], &byte, 1) == 1 && byte == 'd', "dup2_writes_new", "the duplicate did not write into p");
    check(dup2(p[0], p[0]) == p[0], "dup2_same", "dup2 of a descriptor onto itself did not return it");
    close(p[0]);
    close(p[1]);
    close(q[0]);
    close(q[1]);
}

static void nonblocking(void)
{
    int fds[2];
    if (!check(pipe2(fds, O_NONBLOCK) == 0, "nonblock_create", "pipe2 failed"))
        return;
    char buffer[capacity];
    memset(buffer, 'n', sizeof(buffer));
    check(sys_read(fds[0], buffer, 1) == -EAGAIN, "empty_eagain", "reading an empty non-blocking pipe");
    long total = 0, wrote;
    while ((wrote = sys_write(fds[1], buffer, 1000)) > 0)
        total += wrote;
    check(total == 4000 && wrote == -EAGAIN, "full_eagain", "filled %ld bytes, then %ld", total, wrote);
    // 96 bytes of room: a 100-byte write is all or nothing, a larger-than-
    // capacity write takes what fits.
    check(sys_write(fds[1], buffer, 100) == -EAGAIN, "atomic_small", "a small write went in partly");
    check(sys_write(fds[1], buffer, 2 * capacity) == 96, "big_partial", "a big write did not take the room left");
    check(sys_read(fds[0], buffer, sizeof(buffer)) == capacity, "drain", "draining did not give the whole pipe");
    close(fds[0]);
    close(fds[1]);
}

// dup and fcntl: a duplicate shares the open file (its flags too), F_DUPFD
// honours its lower bound, F_SETFL turns O_NONBLOCK on and off, F_GETFL
// reports the access mode of pipe ends and files.
static void dup_and_fcntl(void)
{
    int fds[2];
    if (!check(pipe(fds) == 0, "fcntl_create", "pipe failed"))
        return;
    int copy = dup(fds[1]);
    check(copy >= 3 && copy != fds[0] && copy != fds[1], "dup_new", "dup returned %d", copy);
    check(write(copy, "x", 1) == 1, "dup_writes", "writing through the duplicate failed");
    char byte = 0;
    check(read(fds[0], &byte, 1) == 1 && byte == 'x', "dup_same_pipe", "the duplicate writes elsewhere");
    int high = fcntl(fds[0], F_DUPFD, 10);
    check(high >= 10, "dupfd_lower_bound", "F_DUPFD 10 gave %d", high);
    check(fcntl(fds[0], F_GETFL) == O_RDONLY, "getfl_read_end", "F_GETFL of a read end: %#x", fcntl(fds[0], F_GETFL));
    check(fcntl(fds[1], F_GETFL) == O_WRONLY, "getfl_write_end", "F_GETFL of a write end: %#x", fcntl(fds[1], F_GETFL));
    check(fcntl(fds[0], F_SETFL, O_NONBLOCK) == 0, "setfl_nonblock", "F_SETFL O_NONBLOCK failed");
    check(fcntl(fds[0], F_GETFL) == (O_RDONLY | O_NONBLOCK), "getfl_nonblock", "F_GETFL after F_SETFL: %#x",
        fcntl(fds[0], F_GETFL));
    // The duplicate shares the open file, so it is non-blocking too.
    check(high < 0 || sys_read(high, &byte, 1) == -EAGAIN, "setfl_shared", "the duplicate still waits");
    check(fcntl(fds[0], F_SETFL, 0) == 0 && fcntl(fds[0], F_GETFL) == O_RDONLY, "setfl_clear",
        "O_NONBLOCK did not go");
    check(fcntl(fds[0], F_SETFL, O_DIRECT) == -1 && errno == EINVAL, "setfl_direct_pipe",
        "O_DIRECT on a pipe is not EINVAL");
    check(fcntl(fds[0], 99, 0) == -1 && errno == EINVAL, "fcntl_bad_command", "an unknown command is not EINVAL");
    check(fcntl(77, F_GETFL) == -1 && errno == EBADF, "fcntl_bad_fd", "F_GETFL of a closed descriptor is not EBADF");
    check(dup(77) == -1 && errno == EBADF, "dup_bad_fd", "dup of a closed descriptor is not EBADF");
    check(fcntl(fds[0], F_DUPFD, 4096) == -1 && errno == EINVAL, "dupfd_range", "F_DUPFD beyond the table is not EINVAL");
    int file = open("/tmp0/1/fcntl.tmp", O_RDWR | O_CREAT | O_APPEND);
    if (check(file >= 0, "fcntl_file_open", "open failed: %s", strerror(errno))) {
        check(fcntl(file, F_GETFL) == (O_RDWR | O_APPEND), "getfl_file", "F_GETFL of a file: %#x", fcntl(file, F_GETFL));
        check(fcntl(file, F_SETFL, 0) == 0 && fcntl(file, F_GETFL) == O_RDWR, "setfl_file", "O_APPEND did not go");
        close(file);
        unlink("/tmp0/1/fcntl.tmp");
    }
    close(copy);
    if (high >= 0)
        close(high);
    close(fds[0]);
    close(fds[1]);
}

// A child's standard output through a pipe, across exec: /sys/hello prints
// its arguments to fd 1.
static void redirect_exec(void)
{
    int fds[2];
    pipe(fds);
    pid_t child = fork();
    if (child == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        char* argv[] = { (char*)"/sys/hello", (char*)"through-a-pipe", NULL };
        execv("/sys/hello", argv);
        _exit(4);
    }
    close(fds[1]);
    static char text[2048];
    size_t length = 0;
    ssize_t got;
    while (length + 1 < sizeof(text) && (got = read(fds[0], text + length, sizeof(text) - 1 - length)) > 0)
        length += got;
    text[length] = 0;
    int status = reap(child);
    check(strstr(text, "through-a-pipe") != NULL, "exec_stdout", "the pipe carried %u bytes: %s", (unsigned)length,
        text);
    check(status == 0, "exec_status", "hello exited with %d", status);
    check(dup2(1, 99) == -1 && errno == EBADF, "dup2_range", "dup2 to descriptor 99 is not EBADF");
    check(dup2(98, 5) == -1 && errno == EBADF, "dup2_closed", "dup2 from a closed descriptor is not EBADF");
    close(fds[0]);
}

// Close-on-exec: a flag of the descriptor. pipe2/open set it at once,
// dup and dup2 clear it on the copy, fork keeps it, and exec closes the
// descriptor: a child whose standard output is a close-on-exec pipe end
// execs /sys/hello, and the pipe ends without a byte (hello's words go to
// the console instead).
static void close_on_exec(void)
{
    int fds[2];
    if (!check(pipe2(fds, O_CLOEXEC) == 0, "cloexec_pipe2", "pipe2 O_CLOEXEC failed: %s", strerror(errno)))
        return;
    check(fcntl(fds[0], F_GETFD) == FD_CLOEXEC && fcntl(fds[1], F_GETFD) == FD_CLOEXEC, "cloexec_pipe2_flag",
        "pipe2 O_CLOEXEC did not mark both ends");
    int copy = dup(fds[0]);
    check(copy >= 0 && fcntl(copy, F_GETFD) == 0, "cloexec_dup_clears", "dup kept FD_CLOEXEC");
    close(copy);
    copy = fcntl(fds[0], F_DUPFD_CLOEXEC, 3);
    check(copy >= 0 && fcntl(copy, F_GETFD) == FD_CLOEXEC, "cloexec_dupfd_cloexec", "F_DUPFD_CLOEXEC did not mark");
    close(copy);
    check(fcntl(fds[0], F_SETFD, 0) == 0 && fcntl(fds[0], F_GETFD) == 0, "cloexec_setfd_clear", "F_SETFD 0");
    check(fcntl(fds[0], F_SETFD, FD_CLOEXEC) == 0 && fcntl(fds[0], F_GETFD) == FD_CLOEXEC, "cloexec_setfd_set",
        "F_SETFD FD_CLOEXEC");
    int file = open("/tmp0/1/cloexec.tmp", O_RDWR | O_CREAT | O_CLOEXEC);
    if (check(file >= 0, "cloexec_open", "open O_CLOEXEC failed: %s", strerror(errno))) {
        check(fcntl(file, F_GETFD) == FD_CLOEXEC, "cloexec_open_flag", "open O_CLOEXEC did not mark");
        close(file);
        unlink("/tmp0/1/cloexec.tmp");
    }
    pid_t child = fork();
    if (child == 0) {
        // fork keeps the flag; dup2 onto 1 clears it, F_SETFD sets it again.
        int kept = fcntl(fds[1], F_GETFD) == FD_CLOEXEC;
        dup2(fds[1], 1);
        int cleared = fcntl(1, F_GETFD) == 0;
        close(fds[0]);
        close(fds[1]);
        fcntl(1, F_SETFD, FD_CLOEXEC);
        if (!kept || !cleared)
            _exit(5 + kept);
        char* argv[] = { (char*)"/sys/hello", (char*)"close-on-exec", NULL };
        execv("/sys/hello", argv);
        _exit(4);
    }
    close(fds[1]);
    char buffer[256];
    ssize_t got = read(fds[0], buffer, sizeof(buffer));
    int status = reap(child);
    check(status == 0, "cloexec_fork_and_dup2", "the child exited with %d (5: fork lost the flag, 6: dup2 kept it)",
        status);
    check(got == 0, "cloexec_closed_by_exec", "the close-on-exec pipe end carried %ld bytes after exec", (long)got);
    close(fds[0]);
}

static int wait_events(int queue, struct EqEvent* events, int capacity_, uint32_t timeout)
{
    return eq_wait(queue, events, (uint32_t)capacity_, timeout);
}

static void watched(void)
{
    int queue = eq_create();
    int fds[2];
    pipe2(fds, O_NONBLOCK);
    struct EqEvent events[8];
    check(eq_watch_fd(queue, EQ_ADD, fds[0], EQ_READABLE | EQ_HANGUP, EQ_LEVEL, 1) == 0, "watch_read_end",
        "eq_ctl failed");
    check(eq_watch_fd(queue, EQ_ADD, fds[1], EQ_WRITABLE | EQ_ERROR, EQ_EDGE, 2) == 0, "watch_write_end",
        "eq_ctl failed");
    check(eq_watch_fd(queue, EQ_ADD, 77, EQ_READABLE, EQ_LEVEL, 3) == -EBADF, "watch_bad_fd",
        "watching a closed descriptor is not EBADF");
    int n = wait_events(queue, events, 8, 0);
    check(n == 1 && events[0].user_data == 2 && events[0].ready == EQ_WRITABLE, "empty_pipe_writable",
        "%d events, first %u/%u", n, n ? (unsigned)events[0].user_data : 0, n ? events[0].ready : 0);
    check(wait_events(queue, events, 8, 0) == 0, "edge_quiet", "an edge watch reported twice");

    write(fds[1], "abc", 3);
    n = wait_events(queue, events, 8, 0);
    check(n == 1 && events[0].user_data == 1 && events[0].ready == EQ_READABLE, "readable",
        "after a write: %d events", n);
    check(wait_events(queue, events, 8, 0) == 1, "level_stays", "a level watch of a non-empty pipe went quiet");
    char buffer[capacity];
    read(fds[0], buffer, sizeof(buffer));
    check(wait_events(queue, events, 8, 0) == 0, "drained_quiet", "an empty pipe is still reported readable");

    // Full: the write end stops being writable; room again is a new edge.
    memset(buffer, 'w', sizeof(buffer));
    write(fds[1], buffer, capacity);
    n = wait_events(queue, events, 8, 0);
    check(n == 1 && events[0].user_data == 1, "full_not_writable", "a full pipe: %d events (want readable only)", n);
    read(fds[0], buffer, 1);
    n = wait_events(queue, events, 8, 0);
    int writable = 0;
    for (int i = 0; i < n; i++)
        writable += events[i].user_data == 2 && (events[i].ready & EQ_WRITABLE);
    check(writable == 1, "room_is_an_edge", "room after full did not report writable once (%d events)", n);
    read(fds[0], buffer, sizeof(buffer));

    // The other end goes: the read end hangs up, the write end errors.
    int other[2];
    pipe(other);
    check(eq_watch_fd(queue, EQ_ADD, other[0], EQ_READABLE | EQ_HANGUP, EQ_ONESHOT, 10) == 0, "watch_other",
        "eq_ctl failed");
    close(other[1]);
    n = wait_events(queue, events, 8, 0);
    check(n == 1 && events[0].user_data == 10 && events[0].ready == (EQ_READABLE | EQ_HANGUP), "hang_up",
        "writer gone: %d events, ready %u", n, n ? events[0].ready : 0);
    close(other[0]); // the watch goes with the open file
    close(fds[0]);
    n = wait_events(queue, events, 8, 0);
    check(n == 1 && events[0].user_data == 2 && (events[0].ready & EQ_ERROR), "reader_gone_error",
        "reader gone: %d events, ready %u", n, n ? events[0].ready : 0);
    check(eq_watch_fd(queue, EQ_REMOVE, fds[1], 0, 0, 0) == 0, "remove", "removing the write end's watch failed");
    check(eq_watch_fd(queue, EQ_REMOVE, fds[1], 0, 0, 0) == -ENOENT, "remove_twice", "a second remove is not ENOENT");
    close(fds[1]);

    // A file is always ready, as poll() says of regular files.
    int file = open("/sys/hello", O_RDONLY);
    check(eq_watch_fd(queue, EQ_ADD, file, EQ_READABLE | EQ_WRITABLE, EQ_LEVEL, 20) == 0, "watch_file",
        "eq_ctl failed");
    n = wait_events(queue, events, 8, 0);
    check(n == 1 && events[0].user_data == 20 && events[0].ready == (EQ_READABLE | EQ_WRITABLE), "file_ready",
        "%d events", n);
    close(file);
    check(wait_events(queue, events, 8, 0) == 0, "closed_file_gone", "a closed file is still watched");
    handle_close(queue);
}

// An event loop: three children write numbered lines at their own pace;
// the parent sleeps in eq_wait on their pipes and a periodic timer and
// counts lines, hang-ups and ticks.
static void event_loop(void)
{
    enum { children = 3, lines = 20 };
    int queue = eq_create();
    int reads[children];
    pid_t pids[children];
    for (int c = 0; c < children; c++) {
        int fds[2];
        pipe(fds);
        pids[c] = fork();
        if (pids[c] == 0) {
            close(fds[0]);
            for (int older = 0; older < c; older++)
                close(reads[older]);
            for (int i = 0; i < lines; i++) {
                char line[8] = { 'a' + c, (char)('0' + i / 10), (char)('0' + i % 10), '\n' };
                write(fds[1], line, 4);
                sleep_ms(5 + 4 * c);
            }
            _exit(0);
        }
        close(fds[1]);
        reads[c] = fds[0];
        eq_watch_fd(queue, EQ_ADD, fds[0], EQ_READABLE | EQ_HANGUP, EQ_LEVEL, (uint64_t)c);
    }
    int timer = timer_create(10, 10);
    eq_watch_timer(queue, EQ_ADD, timer, EQ_TIMER, EQ_LEVEL, 99);
    int received[children] = { 0 }, order_ok = 1, open_pipes = children, ticks = 0, waits = 0;
    while (open_pipes > 0 && waits < 10000) {
        struct EqEvent events[8];
        int n = eq_wait(queue, events, 8, 2000);
        waits++;
        if (n <= 0)
            break;
        for (int i = 0; i < n; i++) {
            if (events[i].user_data == 99) {
                uint64_t expirations;
                timer_read(timer, &expirations);
                ticks += (int)expirations;
                continue;
            }
            int c = (int)events[i].user_data;
            char buffer[256];
            ssize_t got = read(reads[c], buffer, sizeof(buffer));
            if (got == 0) {
                // The watch belongs to the open file, which the younger
                // children share (as with epoll): remove it, then close.
                eq_watch_fd(queue, EQ_REMOVE, reads[c], 0, 0, 0);
                close(reads[c]);
                open_pipes--;
                continue;
            }
            for (ssize_t j = 0; j + 3 < got; j += 4) {
                int number = (buffer[j + 1] - '0') * 10 + (buffer[j + 2] - '0');
                order_ok &= buffer[j] == 'a' + c && number == received[c];
                received[c]++;
            }
        }
    }
    for (int c = 0; c < children; c++)
        reap(pids[c]);
    check(open_pipes == 0, "loop_hangups", "%d pipes never reported their end", open_pipes);
    check(received[0] == lines && received[1] == lines && received[2] == lines && order_ok, "loop_lines",
        "lines %d/%d/%d of %d, in order: %d", received[0], received[1], received[2], lines, order_ok);
    check(ticks > 0, "loop_timer", "the periodic timer never fired during the loop");
    struct EqStats stats;
    eq_stats(queue, &stats);
    printf("pipes: event loop took %d waits for %d lines, %d ticks, average batch %u.%03u\n", waits,
        children * lines, ticks, (unsigned)(stats.average_batch_x1000 / 1000),
        (unsigned)(stats.average_batch_x1000 % 1000));
    handle_close(timer);
    handle_close(queue);
}

int main(void)
{
    begin("pipes");
    basics();
    stream_between_processes();
    broken_pipe();
    close_under_reader();
    killed_reader_lets_go();
    vectored();
    dup2_replaces();
    nonblocking();
    dup_and_fcntl();
    redirect_exec();
    close_on_exec();
    watched();
    event_loop();
    // Nothing left behind: every pipe was closed, every child reaped.
    int fds[2];
    int opened = 0;
    while (opened < 16 && pipe(fds) == 0) {
        opened++;
    }
    check(opened >= 6, "descriptors_free", "only %d pipes could be opened afterwards: descriptors leaked", opened);
    return finish();
}
