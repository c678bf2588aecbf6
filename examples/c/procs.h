/*
 * Shared by the process programs (fork.c, vfork.c, clone.c, wait.c, orphans.c, sessions.c,
 * cloexec.c, pipes_procs.c, proc_other.c), on top of t.h. Their rules, so that a native run and
 * a run under blink-chroot print the same bytes, in CI too (where the program may run in a pid
 * namespace, even as its pid 1):
 *
 * - never print a pid, a time or an address: print relations ("getppid() is the parent 1");
 * - stdout is unbuffered (procs_init), so no stdio buffer is ever copied by fork and printed
 *   twice, and a child prints only while its parent is blocked waiting for it (or the child
 *   reports through a pipe and the parent prints), so the order of lines is fixed;
 * - wait for a given pid, never for "any child", unless every other child is known to be
 *   reaped: a program that is pid 1 of a namespace inherits orphans;
 * - never send the program itself a signal it has no handler for: pid 1 of a namespace ignores
 *   those;
 * - every wait for an event has a deadline (poll_until), so a broken kernel gives a line that
 *   says what did not happen, never a hang.
 */
#ifndef PROCS_H
#define PROCS_H
#include "t.h"
#include <signal.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <time.h>

/* Signal names (strsignal texts differ between libcs). */
__attribute__((unused)) static const char *signame(int sig) {
  static char other[16];
  switch (sig) {
#define S(x) case x: return #x;
    S(SIGHUP) S(SIGINT) S(SIGQUIT) S(SIGILL) S(SIGTRAP) S(SIGABRT) S(SIGBUS) S(SIGFPE)
    S(SIGKILL) S(SIGUSR1) S(SIGSEGV) S(SIGUSR2) S(SIGPIPE) S(SIGALRM) S(SIGTERM) S(SIGCHLD)
    S(SIGCONT) S(SIGSTOP) S(SIGTSTP) S(SIGTTIN) S(SIGTTOU) S(SIGURG) S(SIGXCPU) S(SIGXFSZ)
    S(SIGVTALRM) S(SIGPROF) S(SIGWINCH) S(SIGIO) S(SIGSYS)
#undef S
    default:
      snprintf(other, sizeof other, "SIG#%d", sig);
      return other;
  }
}

/* A wait status as words: "exited 3", "killed by SIGKILL", "stopped by SIGSTOP". */
__attribute__((unused)) static const char *status_text(int status) {
  static char text[64];
  if (WIFEXITED(status)) {
    snprintf(text, sizeof text, "exited %d", WEXITSTATUS(status));
  } else if (WIFSIGNALED(status)) {
    snprintf(text, sizeof text, "killed by %s%s", signame(WTERMSIG(status)),
        WCOREDUMP(status) ? " (core dumped)" : "");
  } else if (WIFSTOPPED(status)) {
    snprintf(text, sizeof text, "stopped by %s", signame(WSTOPSIG(status)));
  } else if (WIFCONTINUED(status)) {
    snprintf(text, sizeof text, "continued");
  } else {
    snprintf(text, sizeof text, "status %#x", status);
  }
  return text;
}

/* Call first: stdout unbuffered (see above). */
__attribute__((unused)) static void procs_init(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
}

/* fork(2), ending the program with the errno when it fails: nothing after it makes sense. */
__attribute__((unused)) static pid_t must_fork(void) {
  pid_t pid = fork();
  if (pid < 0) {
    printf("fork() = -1 %s\n", errname(errno));
    exit(1);
  }
  return pid;
}

/* pipe(2), ending the program when it fails. */
__attribute__((unused)) static void must_pipe(int p[2]) {
  if (pipe(p) != 0) {
    printf("pipe() = -1 %s\n", errname(errno));
    exit(1);
  }
}

/* waitpid(PID, 0), retrying EINTR: the status, or -1 after printing the errno. */
__attribute__((unused)) static int reap(pid_t pid) {
  int status;
  pid_t r;
  do {
    r = waitpid(pid, &status, 0);
  } while (r < 0 && errno == EINTR);
  if (r != pid) {
    printf("waitpid(child) = %s\n", r < 0 ? errname(errno) : "another pid");
    return -1;
  }
  return status;
}

/* Reaps PID and prints "LABEL: exited N" (or how else it ended). */
__attribute__((unused)) static void show_reaped(const char *label, pid_t pid) {
  int status = reap(pid);
  if (status != -1) {
    printf("%s: %s\n", label, status_text(status));
  }
}

__attribute__((unused)) static void sleep_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&t, &t) != 0 && errno == EINTR) {
  }
}

/* Evaluates COND every millisecond for up to 20 s; its last value (0 after the deadline). */
#define poll_until(cond) \
  ({ \
    int ok_ = 0; \
    for (int i_ = 0; i_ < 20000 && !(ok_ = (cond)); i_++) { \
      sleep_ms(1); \
    } \
    ok_; \
  })

/* write(2) of a formatted line, for children reporting through a pipe (async-signal safe
 * enough for a child of vfork or clone: no stdio buffer, no lock). */
__attribute__((unused, format(printf, 2, 3))) static void tell(int fd, const char *fmt, ...) {
  char line[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line - 1, fmt, ap);
  va_end(ap);
  if (n > (int) sizeof line - 2) {
    n = sizeof line - 2;
  }
  line[n++] = '\n';
  if (write(fd, line, n) != n) {
    _exit(99);
  }
}

/* Copies everything readable from FD to stdout until EOF: a child's report, printed by the
 * parent once the child is done. */
__attribute__((unused)) static void relay(int fd) {
  char buf[512];
  long n;
  while ((n = read(fd, buf, sizeof buf)) > 0) {
    fwrite(buf, 1, n, stdout);
  }
  if (n < 0) {
    printf("read(report) = -1 %s\n", errname(errno));
  }
}

/* Reads one byte from FD: 1 if it came, 0 at EOF, -1 on error. Children block on it until the
 * parent lets them go. */
__attribute__((unused)) static int await_byte(int fd) {
  char c;
  long n;
  do {
    n = read(fd, &c, 1);
  } while (n < 0 && errno == EINTR);
  return (int) n;
}

__attribute__((unused)) static void send_byte(int fd) {
  if (write(fd, "!", 1) != 1) {
    printf("write(go) = -1 %s\n", errname(errno));
  }
}

/* CPU time of the calling process, in milliseconds. */
__attribute__((unused)) static long cpu_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* Spins until this process has used MS more milliseconds of CPU. */
__attribute__((unused)) static void burn_cpu_ms(long ms) {
  long until = cpu_ms() + ms;
  volatile unsigned long x = 0;
  while (cpu_ms() < until) {
    for (int i = 0; i < 10000; i++) {
      x += i;
    }
  }
}
#endif
