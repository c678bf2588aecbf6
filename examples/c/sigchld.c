/* How children end, as their parent sees it: the SIGCHLD each end sends (si_code CLD_EXITED or
 * CLD_KILLED, si_status, si_pid) taken with sigtimedwait one child at a time, then twenty
 * children ending at once reaped by a SIGCHLD handler looping on waitpid(-1, WNOHANG), with
 * exit codes and deaths by signal (WIFSIGNALED, WTERMSIG, WCOREDUMP); abort() with SIGABRT
 * handled, blocked, ignored or left by siglongjmp; SIGPIPE by default, ignored, handled and
 * blocked. See sigs.h for the rules of the output (every child here makes no core file). */
#include "sigs.h"
#include <sys/mman.h>

/* The ways a child ends, by number. */
static const char *const ENDS[] = {
    "exit(0)", "exit(3)", "_exit(255)", "return 7 from its function", "raise(SIGTERM)",
    "raise(SIGKILL)", "abort()", "a load from address 0", "raise(SIGUSR2)", "raise(SIGQUIT)",
    "a division by zero", "a write to a pipe with no reader", "kill(getpid(), SIGHUP)",
    "ud2", "raise(SIGALRM)",
};
#define NENDS ((int) (sizeof ENDS / sizeof ENDS[0]))

static volatile int zero = 0;

static int end_as(long how) {
  no_core_dump();
  switch (how) {
    case 0: exit(0);
    case 1: exit(3);
    case 2: _exit(255);
    case 3: return 7;
    case 4: raise(SIGTERM); break;
    case 5: raise(SIGKILL); break;
    case 6: abort();
    case 7: return *(volatile int *) (long) zero;
    case 8: raise(SIGUSR2); break;
    case 9: raise(SIGQUIT); break;
    case 10: return 100 / zero;
    case 11: {
      int p[2];
      must_pipe(p);
      close(p[0]);
      write(p[1], "x", 1);
      break;
    }
    case 12: kill(getpid(), SIGHUP); break;
    case 13: __asm__ volatile("ud2"); break;
    case 14: raise(SIGALRM); break;
  }
  return 99; /* still alive */
}

/* A child that waits for a byte (or EOF) on the pipe GO, then ends as HOW says. */
static pid_t ending_child(int go[2], int how) {
  pid_t pid = must_fork();
  if (pid == 0) {
    close(go[1]);
    await_byte(go[0]);
    _exit(end_as(how));
  }
  return pid;
}

static void status_words(int status) {
  printf("%s; WIFEXITED %d", status_text(status), WIFEXITED(status));
  if (WIFEXITED(status)) {
    printf(" WEXITSTATUS %d", WEXITSTATUS(status));
  }
  printf(" WIFSIGNALED %d", WIFSIGNALED(status));
  if (WIFSIGNALED(status)) {
    printf(" WTERMSIG %s WCOREDUMP %d", signame(WTERMSIG(status)), WCOREDUMP(status) != 0);
  }
  putchar('\n');
}

static void one_at_a_time(void) {
  puts("# one child at a time: its SIGCHLD, then its wait status");
  mask(SIG_BLOCK, SIGCHLD, 0);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  for (int how = 0; how < NENDS; how++) {
    int go[2];
    must_pipe(go);
    pid_t child = ending_child(go, how);
    close(go[0]);
    send_byte(go[1]);
    close(go[1]);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    int sig = wait_signal(&chld, &si);
    char code[16];
    snprintf(code, sizeof code, "%d", si.si_status);
    printf("%s: %s %s, si_status %s, si_pid is the child %d, si_uid ours %d\n", ENDS[how],
        sigtext(sig), code_text(SIGCHLD, si.si_code),
        si.si_code == CLD_EXITED ? code : signame(si.si_status), si.si_pid == child,
        si.si_uid == getuid());
    int status = reap_within(child);
    printf("  ");
    status_words(status);
  }
  SAY("pending after all: %s", pending_text());
  mask(SIG_UNBLOCK, SIGCHLD, 0);
}

#define MANY 20
static volatile sig_atomic_t reaped, handler_runs;
static pid_t reaped_pid[MANY];
static int reaped_status[MANY];

static void reaping_handler(int sig) {
  (void) sig;
  int saved = errno;
  handler_runs = handler_runs + 1;
  int status;
  pid_t pid;
  while (reaped < MANY && (pid = waitpid(-1, &status, WNOHANG)) > 0) {
    reaped_pid[reaped] = pid;
    reaped_status[reaped] = status;
    reaped = reaped + 1;
  }
  errno = saved;
}

static void all_at_once(void) {
  puts("# twenty children ending at once, reaped by a SIGCHLD handler");
  on(SIGCHLD, reaping_handler, SA_RESTART);
  mask(SIG_BLOCK, SIGCHLD, 0);
  int go[2];
  must_pipe(go);
  pid_t children[MANY];
  for (int i = 0; i < MANY; i++) {
    children[i] = ending_child(go, i % NENDS);
  }
  close(go[0]);
  close(go[1]); /* EOF: all go at once */
  sigset_t none;
  sigemptyset(&none);
  suspend_until(reaped >= MANY, &none);
  mask(SIG_UNBLOCK, SIGCHLD, 0);
  SAY("reaped %d; the handler ran at least once and at most %d times: %d", (int) reaped, MANY,
      handler_runs >= 1 && handler_runs <= MANY);
  for (int i = 0; i < MANY; i++) {
    int found = -1;
    for (int k = 0; k < reaped; k++) {
      if (reaped_pid[k] == children[i]) {
        found = k;
      }
    }
    printf("child %d, %s: ", i, ENDS[i % NENDS]);
    if (found < 0) {
      puts("not reaped");
    } else {
      status_words(reaped_status[found]);
    }
  }
  int status;
  T(waitpid(-1, &status, WNOHANG));
  on(SIGCHLD, SIG_DFL, 0);
}

static sigjmp_buf back;
static int report_fd;

static void abrt_returning(int sig) {
  (void) sig;
  write(report_fd, "handler ran\n", 12);
}

static void abrt_jumping(int sig) {
  (void) sig;
  siglongjmp(back, 1);
}

static int abort_child(long how) {
  no_core_dump();
  if (how == 1) {
    on(SIGABRT, abrt_returning, 0);
  } else if (how == 2) {
    mask(SIG_BLOCK, SIGABRT, 0);
  } else if (how == 3) {
    on(SIGABRT, SIG_IGN, 0);
  } else if (how == 4) {
    on(SIGABRT, abrt_jumping, 0);
    if (sigsetjmp(back, 1) != 0) {
      write(report_fd, "left abort() by siglongjmp\n", 27);
      return 5;
    }
  }
  abort();
}

static void aborts(void) {
  puts("# abort()");
  const char *labels[] = {"abort()", "with a SIGABRT handler that returns",
      "with SIGABRT blocked", "with SIGABRT ignored", "with a handler that siglongjmps"};
  for (int how = 0; how < 5; how++) {
    int report[2];
    must_pipe(report);
    report_fd = report[1];
    pid_t child = child_running(abort_child, how);
    close(report[1]);
    relay(report[0]);
    close(report[0]);
    printf("%s: ", labels[how]);
    status_words(reap_within(child));
  }
}

static siginfo_t pipe_info;
static volatile sig_atomic_t pipe_runs;

static void pipe_handler(int sig, siginfo_t *si, void *uc) {
  (void) sig;
  (void) uc;
  pipe_info = *si;
  pipe_runs = pipe_runs + 1;
}

static int sigpipe_child(long how) {
  if (how == 1) {
    on(SIGPIPE, SIG_IGN, 0);
  } else if (how == 2) {
    on(SIGPIPE, pipe_handler, SA_SIGINFO);
  } else if (how == 3) {
    mask(SIG_BLOCK, SIGPIPE, 0);
  }
  int p[2];
  must_pipe(p);
  close(p[0]);
  errno = 0;
  long n = write(p[1], "x", 1);
  tell(report_fd, "write = %ld %s", n, n < 0 ? errname(errno) : "");
  if (how == 2) {
    tell(report_fd, "handler runs %d, %s %s, si_pid is the writer %d, si_uid ours %d",
        (int) pipe_runs, sigtext(pipe_info.si_signo), code_text(SIGPIPE, pipe_info.si_code),
        pipe_info.si_pid == getpid(), pipe_info.si_uid == getuid());
  }
  if (how == 3) {
    tell(report_fd, "pending: %s", pending_text());
  }
  return 0;
}

static void sigpipe(void) {
  puts("# SIGPIPE: a write to a pipe whose reader has gone");
  const char *labels[] = {"default", "ignored", "handled", "blocked"};
  for (int how = 0; how < 4; how++) {
    int report[2];
    must_pipe(report);
    report_fd = report[1];
    pid_t child = child_running(sigpipe_child, how);
    close(report[1]);
    printf("%s:\n", labels[how]);
    relay(report[0]);
    close(report[0]);
    printf("  ");
    status_words(reap_within(child));
  }
}

int main(int argc, char **argv) {
  sigs_init();
  enter_scratch(argc, argv);
  one_at_a_time();
  all_at_once();
  aborts();
  sigpipe();
  return 0;
}
