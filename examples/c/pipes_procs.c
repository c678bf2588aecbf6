/* Pipes between processes (pipes.c has the single-process cases): 1 MiB from a child, the
 * 64 KiB default capacity and a writer blocked on it, F_SETPIPE_SZ/F_GETPIPE_SZ, PIPE_BUF
 * atomicity with four writers, EOF only when the last writer closes, EPIPE (and a short count
 * for a blocked writer) when the last reader goes, O_NONBLOCK and EAGAIN, poll across
 * processes, FIFOs opened by two processes, splice and tee of a child's output. SIGPIPE is
 * ignored throughout, so that EPIPE is what a writer sees. See procs.h for the rules of the
 * output. */
#include "procs.h"
#include <limits.h>
#include <poll.h>
#include <sys/ioctl.h>

#ifndef F_SETPIPE_SZ
#define F_SETPIPE_SZ 1031
#define F_GETPIPE_SZ 1032
#endif

static int pipe_bytes(int fd) {
  int n = -1;
  ioctl(fd, FIONREAD, &n);
  return n;
}

static const char *revents_text(short r) {
  static char text[64];
  text[0] = 0;
  if (r & POLLIN) strcat(text, "POLLIN ");
  if (r & POLLOUT) strcat(text, "POLLOUT ");
  if (r & POLLERR) strcat(text, "POLLERR ");
  if (r & POLLHUP) strcat(text, "POLLHUP ");
  if (r & POLLNVAL) strcat(text, "POLLNVAL ");
  if (!text[0]) strcat(text, "none ");
  text[strlen(text) - 1] = 0;
  return text;
}

static void megabyte(void) {
  puts("# 1 MiB from a child");
  int p[2];
  must_pipe(p);
  pid_t child = must_fork();
  if (child == 0) {
    close(p[0]);
    char buf[1000];
    long sent = 0;
    while (sent < (1 << 20)) {
      long n = (1 << 20) - sent < (long) sizeof buf ? (1 << 20) - sent : (long) sizeof buf;
      for (long i = 0; i < n; i++) {
        buf[i] = (char) ((sent + i) * 7 % 251);
      }
      if (write(p[1], buf, n) != n) {
        _exit(1);
      }
      sent += n;
    }
    _exit(0);
  }
  close(p[1]);
  long total = 0, wrong = 0, n;
  char buf[3000];
  while ((n = read(p[0], buf, sizeof buf)) > 0) {
    for (long i = 0; i < n; i++) {
      wrong += buf[i] != (char) ((total + i) * 7 % 251);
    }
    total += n;
  }
  SAY("received %ld bytes, %ld wrong, then %s", total, wrong, n == 0 ? "EOF" : errname(errno));
  show_reaped("writer", child);
  close(p[0]);
}

static void capacity(void) {
  puts("# 64 KiB capacity: a writer blocks");
  int p[2], done[2];
  must_pipe(p);
  must_pipe(done);
  T(fcntl(p[1], F_GETPIPE_SZ));
  T(fpathconf(p[0], _PC_PIPE_BUF));
  pid_t child = must_fork();
  if (child == 0) {
    static char big[70000];
    memset(big, 'b', sizeof big);
    long n = write(p[1], big, sizeof big);
    tell(done[1], "writer: write returned %ld", n);
    _exit(0);
  }
  SAY("the pipe fills to 65536 %d", poll_until(pipe_bytes(p[0]) == 65536));
  int status;
  sleep_ms(50);
  SAY("the writer still waits %d", waitpid(child, &status, WNOHANG) == 0
      && pipe_bytes(p[0]) == 65536);
  static char sink[70000];
  long got = 0;
  while (got < 70000) {
    long n = read(p[0], sink, sizeof sink);
    if (n <= 0) {
      break;
    }
    got += n;
  }
  SAY("read %ld", got);
  show_reaped("writer", child);
  close(done[1]);
  relay(done[0]);
  close(done[0]);
  close(p[0]);
  close(p[1]);
}

static void resize(void) {
  puts("# F_SETPIPE_SZ and F_GETPIPE_SZ");
  int p[2];
  T(pipe2(p, O_NONBLOCK));
  T(fcntl(p[0], F_SETPIPE_SZ, 4096));
  T(fcntl(p[1], F_GETPIPE_SZ));
  char buf[128];
  memset(buf, 's', sizeof buf);
  long total = 0, n;
  while ((n = write(p[1], buf, sizeof buf)) > 0) {
    total += n;
  }
  SAY("holds %ld, then %s", total, errname(errno));
  T(fcntl(p[0], F_SETPIPE_SZ, 5000));
  T(fcntl(p[0], F_GETPIPE_SZ));
  T(write(p[1], buf, 100));
  T(fcntl(p[0], F_SETPIPE_SZ, 0));
  T(fcntl(p[0], F_SETPIPE_SZ, 256 * 1024));
  T(fcntl(p[0], F_GETPIPE_SZ));
  T(fcntl(p[0], F_SETPIPE_SZ, -1));
  T(fcntl(1, F_GETPIPE_SZ) > 0 || errno == EBADF);
  put("plain", "x");
  int fd = T(open("plain", O_RDONLY));
  T(fcntl(fd, F_GETPIPE_SZ));
  T(fcntl(fd, F_SETPIPE_SZ, 4096));
  close(fd);
  close(p[0]);
  close(p[1]);
}

static void atomic_writes(void) {
  puts("# PIPE_BUF writes are never interleaved");
  int p[2];
  must_pipe(p);
  pid_t kids[4];
  for (int k = 0; k < 4; k++) {
    kids[k] = must_fork();
    if (kids[k] == 0) {
      close(p[0]);
      char record[PIPE_BUF];
      memset(record, 'A' + k, sizeof record);
      for (int i = 0; i < 64; i++) {
        if (write(p[1], record, sizeof record) != sizeof record) {
          _exit(1);
        }
      }
      _exit(0);
    }
  }
  close(p[1]);
  static char stream[4 * 64 * PIPE_BUF + 1];
  long total = 0, n;
  while ((n = read(p[0], stream + total, 1000)) > 0) {
    total += n;
  }
  int whole = 1, per[4] = {0};
  for (long r = 0; r + PIPE_BUF <= total; r += PIPE_BUF) {
    for (long i = 1; i < PIPE_BUF; i++) {
      whole = whole && stream[r + i] == stream[r];
    }
    if (stream[r] >= 'A' && stream[r] <= 'D') {
      per[stream[r] - 'A']++;
    }
  }
  SAY("%ld bytes, every record whole %d, records per writer %d %d %d %d", total, whole, per[0],
      per[1], per[2], per[3]);
  int ok = 0;
  for (int k = 0; k < 4; k++) {
    int status = reap(kids[k]);
    ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  SAY("writers that succeeded %d", ok);
  close(p[0]);
}

static void last_writer(void) {
  puts("# EOF only when the last writer closes");
  int d[2], ga[2], gb[2];
  must_pipe(d);
  must_pipe(ga);
  must_pipe(gb);
  pid_t a = must_fork();
  if (a == 0) {
    close(d[0]);
    close(gb[0]);
    close(gb[1]);
    close(ga[1]);
    await_byte(ga[0]);
    _exit(0);
  }
  pid_t b = must_fork();
  if (b == 0) {
    close(d[0]);
    close(ga[0]);
    close(ga[1]);
    close(gb[1]);
    await_byte(gb[0]);
    _exit(0);
  }
  close(d[1]);
  close(ga[0]);
  close(gb[0]);
  T(fcntl(d[0], F_SETFL, O_NONBLOCK));
  char c;
  T(read(d[0], &c, 1));
  send_byte(ga[1]);
  show_reaped("first writer", a);
  T(read(d[0], &c, 1));
  struct pollfd pf = {d[0], POLLIN, 0};
  T(poll(&pf, 1, 0));
  send_byte(gb[1]);
  show_reaped("second writer", b);
  T(read(d[0], &c, 1));
  pf.revents = 0;
  T(poll(&pf, 1, 0));
  SAY("revents %s", revents_text(pf.revents));
  close(d[0]);
  close(ga[1]);
  close(gb[1]);
}

static void last_reader(void) {
  puts("# EPIPE when the last reader has gone");
  int p[2];
  must_pipe(p);
  pid_t reader = must_fork();
  if (reader == 0) {
    close(p[1]);
    /* Holds the read end until the pipe is full, then leaves without reading. */
    _exit(poll_until(pipe_bytes(p[0]) == 65536) ? 0 : 1);
  }
  close(p[0]);
  static char big[70000];
  memset(big, 'e', sizeof big);
  T(write(p[1], big, sizeof big));
  show_reaped("reader", reader);
  T(write(p[1], big, 1));
  struct pollfd pf = {p[1], POLLOUT, 0};
  T(poll(&pf, 1, 0));
  SAY("revents %s", revents_text(pf.revents));
  close(p[1]);
}

static void nonblocking(void) {
  puts("# O_NONBLOCK: EAGAIN and short writes");
  int p[2];
  T(pipe2(p, O_NONBLOCK));
  pid_t child = must_fork();
  if (child == 0) {
    /* The child fills the pipe; the parent sees the results. */
    char page[4096];
    memset(page, 'n', sizeof page);
    int writes = 0;
    while (write(p[1], page, sizeof page) == (long) sizeof page) {
      writes++;
    }
    _exit(errno == EAGAIN ? writes : 100);
  }
  show_reaped("the child's full-page writes before EAGAIN", child);
  char page[8192];
  memset(page, 'm', sizeof page);
  T(write(p[1], page, 1));
  T(read(p[0], page, 4096));
  T(write(p[1], page, 8192));
  T(write(p[1], page, 100));
  long total = 0, n;
  while ((n = read(p[0], page, sizeof page)) > 0) {
    total += n;
  }
  SAY("drained %ld, then %s", total, errname(errno));
  close(p[0]);
  close(p[1]);
}

static void poll_across(void) {
  puts("# poll wakes when another process writes");
  int p[2];
  must_pipe(p);
  pid_t child = must_fork();
  if (child == 0) {
    sleep_ms(50);
    _exit(write(p[1], "w", 1) == 1 ? 0 : 1);
  }
  struct pollfd pf = {p[0], POLLIN, 0};
  T(poll(&pf, 1, 20000));
  SAY("revents %s", revents_text(pf.revents));
  show_reaped("writer", child);
  close(p[0]);
  close(p[1]);
}

static void fifos(void) {
  puts("# a FIFO between two processes");
  T(mkfifo("fifo", 0600));
  pid_t child = must_fork();
  if (child == 0) {
    int fd = open("fifo", O_WRONLY);
    _exit(fd >= 0 && write(fd, "through the fifo", 16) == 16 ? 0 : 1);
  }
  sleep_ms(50);
  int status;
  SAY("the writer's open waits for a reader %d", waitpid(child, &status, WNOHANG) == 0);
  int rd = T(open("fifo", O_RDONLY));
  char buf[32];
  long n = read(rd, buf, sizeof buf);
  show_bytes("read", buf, n);
  show_reaped("writer", child);
  T(read(rd, buf, sizeof buf));
  T(close(rd));

  child = must_fork();
  if (child == 0) {
    int fd = open("fifo", O_RDONLY);
    long got = fd >= 0 ? read(fd, buf, sizeof buf) : -1;
    _exit(got == 5 && memcmp(buf, "hello", 5) == 0 ? 0 : 1);
  }
  int wr;
  SAY("O_WRONLY|O_NONBLOCK opens once a reader waits %d",
      poll_until((wr = open("fifo", O_WRONLY | O_NONBLOCK)) >= 0 || errno != ENXIO));
  T(write(wr, "hello", 5));
  T(close(wr));
  show_reaped("reader (0 = got hello)", child);
  T(open("fifo", O_WRONLY | O_NONBLOCK));
}

static void splice_and_tee(void) {
  puts("# splice and tee of a child's output");
  int a[2], b[2];
  must_pipe(a);
  must_pipe(b);
  pid_t child = must_fork();
  if (child == 0) {
    _exit(write(a[1], "0123456789", 10) == 10 ? 0 : 1);
  }
  show_reaped("writer", child);
  close(a[1]);
  T(tee(a[0], b[1], 5, 0));
  int out = T(open("spliced", O_RDWR | O_CREAT | O_TRUNC, 0644));
  T(splice(a[0], NULL, out, NULL, 64, 0));
  T(splice(a[0], NULL, out, NULL, 64, 0));
  char buf[16];
  long n = read(b[0], buf, sizeof buf);
  show_bytes("tee'd copy", buf, n);
  n = pread(out, buf, sizeof buf, 0);
  show_bytes("spliced to the file", buf, n);
  T(tee(out, b[1], 5, 0));
  T(splice(b[0], NULL, out, NULL, 5, SPLICE_F_NONBLOCK));
  close(out);
  close(a[0]);
  close(b[0]);
  close(b[1]);
}

int main(int argc, char **argv) {
  procs_init();
  enter_scratch(argc, argv);
  signal(SIGPIPE, SIG_IGN);
  megabyte();
  capacity();
  resize();
  atomic_writes();
  last_writer();
  last_reader();
  nonblocking();
  poll_across();
  fifos();
  splice_and_tee();
  return 0;
}
