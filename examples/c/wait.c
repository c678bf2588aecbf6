/* wait4 and waitid: zombies until reaped, WNOWAIT, WNOHANG, P_PID/P_PGID/P_ALL and their
 * waitpid spellings (pid, -pgid, 0, -1), the siginfo of a child's end, errors, children killed
 * by a signal, the rusage of children (and of their reaped descendants), SIGCHLD set to SIG_IGN
 * or SA_NOCLDWAIT (children reaped by the kernel), and the SIGCHLD a child's end sends. See
 * procs.h for the rules of the output. */
#include "procs.h"
#include <sys/resource.h>

static void show_siginfo(const char *label, const siginfo_t *si, pid_t child) {
  const char *code = si->si_code == CLD_EXITED ? "CLD_EXITED"
      : si->si_code == CLD_KILLED ? "CLD_KILLED"
      : si->si_code == CLD_DUMPED ? "CLD_DUMPED" : "other";
  printf("%s: si_signo %s, si_code %s, si_status %d, si_pid is the child %d, si_uid is ours %d\n",
      label, signame(si->si_signo), code, si->si_status, si->si_pid == child,
      si->si_uid == getuid());
}

static long ms(struct timeval t) {
  return t.tv_sec * 1000L + t.tv_usec / 1000;
}

/* Runs first: nothing is counted for children before the first child is reaped. The child
 * touches 16 MiB and the test asks for a maxrss of at least 8: Linux reads its RSS counters
 * approximately (per-CPU batches). */
static void rusage_of_children(void) {
  puts("# rusage of children");
  struct rusage ru;
  T(getrusage(RUSAGE_CHILDREN, &ru));
  SAY("before any child: no time %d", ms(ru.ru_utime) + ms(ru.ru_stime) == 0);
  pid_t child = must_fork();
  if (child == 0) {
    char *touched = malloc(16 << 20);
    memset(touched, 1, 16 << 20);
    burn_cpu_ms(100);
    _exit(touched[12345]);
  }
  siginfo_t si;
  T(waitid(P_PID, child, &si, WEXITED | WNOWAIT));
  T(getrusage(RUSAGE_CHILDREN, &ru));
  SAY("a zombie's time is not counted yet %d", ms(ru.ru_utime) + ms(ru.ru_stime) < 100);
  int status;
  T(wait4(child, &status, 0, &ru) == child);
  SAY("wait4: %s, time >= 100 ms %d, maxrss >= 8 MiB %d", status_text(status),
      ms(ru.ru_utime) + ms(ru.ru_stime) >= 100, ru.ru_maxrss >= 8192);
  T(getrusage(RUSAGE_CHILDREN, &ru));
  SAY("now counted %d", ms(ru.ru_utime) + ms(ru.ru_stime) >= 100);

  child = must_fork();
  if (child == 0) {
    pid_t grandchild = must_fork();
    if (grandchild == 0) {
      burn_cpu_ms(100);
      _exit(0);
    }
    reap(grandchild);
    _exit(0);
  }
  T(wait4(child, &status, 0, &ru) == child);
  SAY("a child that reaped a busy grandchild: time >= 100 ms %d",
      ms(ru.ru_utime) + ms(ru.ru_stime) >= 100);
  T(getrusage(RUSAGE_CHILDREN, &ru));
  SAY("all children so far >= 200 ms %d, maxrss >= 8 MiB %d",
      ms(ru.ru_utime) + ms(ru.ru_stime) >= 200, ru.ru_maxrss >= 8192);
  T(wait4(child, &status, 0, &ru));
}

static void zombies(void) {
  puts("# a zombie stays until reaped");
  pid_t child = must_fork();
  if (child == 0) {
    _exit(3);
  }
  siginfo_t si;
  memset(&si, 0, sizeof si);
  T(waitid(P_PID, child, &si, WEXITED | WNOWAIT));
  show_siginfo("WNOWAIT", &si, child);
  memset(&si, 0, sizeof si);
  T(waitid(P_PID, child, &si, WEXITED | WNOWAIT));
  show_siginfo("WNOWAIT again", &si, child);
  T(kill(child, 0));
  int status;
  T(waitpid(child, &status, WNOHANG) == child);
  SAY("status: %s", status_text(status));
  T(kill(child, 0));
  T(waitpid(child, &status, 0));
  T(waitid(P_PID, child, &si, WEXITED));
}

static void no_hang(void) {
  puts("# WNOHANG on a running child");
  int go[2];
  must_pipe(go);
  pid_t child = must_fork();
  if (child == 0) {
    close(go[1]);
    _exit(await_byte(go[0]) == 1 ? 4 : 5);
  }
  close(go[0]);
  int status;
  T(waitpid(child, &status, WNOHANG));
  T(wait4(child, &status, WNOHANG, NULL));
  siginfo_t si;
  memset(&si, 0xff, sizeof si);
  T(waitid(P_PID, child, &si, WEXITED | WNOHANG));
  SAY("si_pid %d", (int) si.si_pid);
  send_byte(go[1]);
  memset(&si, 0, sizeof si);
  T(waitid(P_PID, child, &si, WEXITED));
  show_siginfo("waitid", &si, child);
  close(go[1]);
}

/* A child that waits for a byte on GO, then exits with CODE. */
static pid_t waiting_child(int go[2], int code) {
  must_pipe(go);
  pid_t child = must_fork();
  if (child == 0) {
    close(go[1]);
    await_byte(go[0]);
    _exit(code);
  }
  close(go[0]);
  return child;
}

static void process_groups(void) {
  puts("# P_PGID, P_ALL and their waitpid spellings");
  int g1[2], g2[2], g3[2];
  pid_t leader = waiting_child(g1, 31);
  pid_t member = waiting_child(g2, 32);
  pid_t outsider = waiting_child(g3, 33);
  T(setpgid(leader, leader));
  T(setpgid(member, leader));
  SAY("member's group is the leader's pid %d", getpgid(member) == leader);
  siginfo_t si;
  memset(&si, 0, sizeof si);
  T(waitid(P_PGID, leader, &si, WEXITED | WNOHANG));
  SAY("nobody ended yet: si_pid %d", (int) si.si_pid);
  send_byte(g2[1]);
  T(waitid(P_PGID, leader, &si, WEXITED));
  show_siginfo("P_PGID gets the member", &si, member);
  send_byte(g3[1]);
  int status;
  T(waitpid(-leader, &status, WNOHANG));
  T(waitpid(0, &status, 0) == outsider);
  SAY("waitpid(0) got the outsider, in our group: %s", status_text(status));
  send_byte(g1[1]);
  T(waitpid(-leader, &status, 0) == leader);
  SAY("waitpid(-pgid) got the leader: %s", status_text(status));
  T(waitid(P_PGID, leader, &si, WEXITED));
  T(waitpid(-leader, &status, 0));

  pid_t only = waiting_child(g1, 34);
  send_byte(g1[1]);
  memset(&si, 0, sizeof si);
  T(waitid(P_ALL, 0, &si, WEXITED));
  show_siginfo("P_ALL", &si, only);
  T(waitid(P_ALL, 0, &si, WEXITED));
  T(waitpid(-1, &status, 0));
  close(g1[1]);
  close(g2[1]);
  close(g3[1]);
}

static void errors(void) {
  puts("# errors");
  siginfo_t si;
  int status;
  pid_t child = must_fork();
  if (child == 0) {
    _exit(0);
  }
  T(waitid(P_PID, child, &si, WNOHANG));
  T(waitid(P_PID, child, &si, 0));
  T(waitid(99, child, &si, WEXITED));
  T(waitid(P_PID, child, &si, WEXITED | 0x100));
  T(waitpid(child, &status, 0x100));
  T(waitpid(child, &status, WNOWAIT));
  T(waitpid(getpid(), &status, 0));
  T(waitid(P_PGID, 999999, &si, WEXITED));
  T(waitpid(child, &status, 0) == child);
  T(waitpid(child, &status, 0));
}

static void killed(void) {
  puts("# children ended by a signal");
  int go[2];
  pid_t child = waiting_child(go, 0);
  T(kill(child, SIGTERM));
  siginfo_t si;
  memset(&si, 0, sizeof si);
  T(waitid(P_PID, child, &si, WEXITED | WNOWAIT));
  show_siginfo("SIGTERM", &si, child);
  show_reaped("status", child);
  close(go[1]);
  child = waiting_child(go, 0);
  T(kill(child, SIGKILL));
  show_reaped("SIGKILL", child);
  close(go[1]);
  child = must_fork();
  if (child == 0) {
    kill(getpid(), SIGKILL);
    _exit(1);
  }
  show_reaped("a child that sent itself SIGKILL", child);
}

static void ignored_sigchld(void) {
  puts("# SIGCHLD ignored: children are reaped by the kernel");
  T(signal(SIGCHLD, SIG_IGN) != SIG_ERR);
  pid_t child = must_fork();
  if (child == 0) {
    _exit(5);
  }
  int status;
  T(waitpid(child, &status, 0));
  T(kill(child, 0));
  T(signal(SIGCHLD, SIG_DFL) != SIG_ERR);

  puts("# SA_NOCLDWAIT: the same");
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  T(sigprocmask(SIG_BLOCK, &chld, NULL));
  struct sigaction sa = {0};
  sa.sa_handler = SIG_DFL;
  sa.sa_flags = SA_NOCLDWAIT;
  T(sigaction(SIGCHLD, &sa, NULL));
  child = must_fork();
  if (child == 0) {
    _exit(6);
  }
  T(waitpid(child, &status, 0));
  sa.sa_flags = 0;
  T(sigaction(SIGCHLD, &sa, NULL));
  struct timespec zero = {0, 0};
  while (sigtimedwait(&chld, NULL, &zero) > 0) {
  }
  T(sigprocmask(SIG_UNBLOCK, &chld, NULL));
}

static void sigchld_sent(void) {
  puts("# a child's end sends SIGCHLD to its parent");
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  T(sigprocmask(SIG_BLOCK, &chld, NULL));
  pid_t first = must_fork();
  if (first == 0) {
    _exit(41);
  }
  show_reaped("first", first);
  pid_t second = must_fork();
  if (second == 0) {
    _exit(42);
  }
  show_reaped("second", second);
  sigset_t pending;
  sigpending(&pending);
  SAY("SIGCHLD pending %d", sigismember(&pending, SIGCHLD));
  siginfo_t si;
  memset(&si, 0, sizeof si);
  struct timespec zero = {0, 0};
  T(sigtimedwait(&chld, &si, &zero));
  show_siginfo("one SIGCHLD, from the first child", &si, first);
  T(sigtimedwait(&chld, &si, &zero));
  T(sigprocmask(SIG_UNBLOCK, &chld, NULL));
}

int main(int argc, char **argv) {
  procs_init();
  enter_scratch(argc, argv);
  rusage_of_children();
  zombies();
  no_hang();
  process_groups();
  errors();
  killed();
  ignored_sigchld();
  sigchld_sent();
  return 0;
}
