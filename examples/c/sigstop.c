/* Job-control stops: SIGSTOP, SIGTSTP, SIGTTIN and SIGTTOU stopping a child, SIGCONT resuming
 * it, both seen through waitpid (WUNTRACED, WCONTINUED) and waitid (WSTOPPED, WCONTINUED,
 * WNOWAIT) and through the SIGCHLD they send (CLD_STOPPED, CLD_CONTINUED; none with
 * SA_NOCLDSTOP); SIGTSTP handled; SIGTERM held while stopped and SIGKILL not; a whole process
 * group stopped and continued; and a process group orphaned while one of its members is
 * stopped getting SIGHUP and SIGCONT. (Stopping a process with several threads belongs with the
 * threads' tests.) See sigs.h for the rules of the output. Children that take a stop signal other than SIGSTOP run in a process group of
 * their own, whose parent (this program) is in another group of the same session: the group is
 * not orphaned, so the kernel does not discard those signals, whatever group this program runs
 * in. */
#include "sigs.h"

static int report_fd = -1;

/* Writes "the child handled SIG" to report_fd. */
static void reporting_handler(int sig) {
  tell(report_fd, "the child handled %s", signame(sig));
}

/* A child in its own process group that blocks reading HOLD until the parent closes it, then
 * exits 0; with REPORT_TSTP it handles SIGTSTP and SIGCONT, saying so through report_fd.
 * Returns once the child is ready. */
static pid_t held_child(int hold[2], int report_tstp) {
  int ready[2];
  must_pipe(ready);
  pid_t pid = must_fork();
  if (pid == 0) {
    close(hold[1]);
    close(ready[0]);
    setpgid(0, 0);
    if (report_tstp) {
      on(SIGTSTP, reporting_handler, SA_RESTART);
      on(SIGCONT, reporting_handler, SA_RESTART);
    }
    send_byte(ready[1]);
    close(ready[1]);
    while (await_byte(hold[0]) > 0) {
    }
    _exit(0);
  }
  setpgid(pid, pid);
  close(ready[1]);
  await_byte(ready[0]);
  close(ready[0]);
  return pid;
}

/* Copies one line from FD to stdout. */
static void relay_line(int fd) {
  char c;
  while (read(fd, &c, 1) == 1) {
    putchar(c);
    if (c == '\n') {
      return;
    }
  }
  puts("(no line)");
}

static void show_wait(const char *label, pid_t child, int options) {
  int status = 0;
  pid_t r = waitpid_within(child, &status, options);
  if (r == child) {
    printf("%s: %s\n", label, status_text(status));
  } else if (r == 0) {
    printf("%s: nothing to report\n", label);
  } else {
    printf("%s: waitpid = -1 %s\n", label, errname(errno));
  }
}

/* waitid(P_PID, CHILD), giving up after 20 s unless OPTIONS has WNOHANG. */
static void show_waitid(const char *label, pid_t child, int options) {
  siginfo_t si;
  memset(&si, 0, sizeof si);
  int r = 0;
  if (options & WNOHANG) {
    r = waitid(P_PID, child, &si, options);
  } else {
    within((r = waitid(P_PID, child, &si, options | WNOHANG)) != 0 || si.si_pid != 0);
  }
  if (r != 0) {
    printf("%s: waitid = -1 %s\n", label, errname(errno));
  } else if (si.si_pid == 0) {
    printf("%s: nothing to report\n", label);
  } else {
    char code[16];
    snprintf(code, sizeof code, "%d", si.si_status);
    printf("%s: %s, si_status %s, si_pid is the child %d\n", label,
        code_text(SIGCHLD, si.si_code), si.si_code == CLD_EXITED ? code : signame(si.si_status),
        si.si_pid == child);
  }
}

static void stop_and_continue(void) {
  puts("# SIGSTOP and SIGCONT through waitpid");
  int hold[2];
  must_pipe(hold);
  pid_t child = held_child(hold, 0);
  close(hold[0]);
  show_wait("WNOHANG|WUNTRACED|WCONTINUED while running", child, WNOHANG | WUNTRACED | WCONTINUED);
  T(kill(child, SIGSTOP));
  show_wait("WUNTRACED", child, WUNTRACED);
  show_wait("again, WNOHANG|WUNTRACED (reported once)", child, WNOHANG | WUNTRACED);
  T(kill(child, SIGSTOP));
  show_wait("a second SIGSTOP while stopped, WNOHANG|WUNTRACED", child, WNOHANG | WUNTRACED);
  show_wait("WNOHANG|WCONTINUED while stopped", child, WNOHANG | WCONTINUED);
  T(kill(child, SIGCONT));
  show_wait("WCONTINUED", child, WCONTINUED);
  show_wait("again, WNOHANG|WCONTINUED", child, WNOHANG | WCONTINUED);
  T(kill(child, SIGCONT));
  show_wait("SIGCONT to a running child, WNOHANG|WCONTINUED", child, WNOHANG | WCONTINUED);
  int status = 0x12345678;
  T(kill(child, SIGSTOP));
  T(waitpid(child, &status, WUNTRACED) == child);
  SAY("WIFSTOPPED %d WSTOPSIG %s WIFEXITED %d WIFSIGNALED %d WIFCONTINUED %d status %#x",
      WIFSTOPPED(status), signame(WSTOPSIG(status)), WIFEXITED(status), WIFSIGNALED(status),
      WIFCONTINUED(status), status);
  T(kill(child, SIGCONT));
  T(waitpid(child, &status, WCONTINUED) == child);
  SAY("WIFCONTINUED %d WIFSTOPPED %d WIFEXITED %d status %#x", WIFCONTINUED(status),
      WIFSTOPPED(status), WIFEXITED(status), status);
  close(hold[1]);
  show_wait("after the close", child, 0);

  puts("# the same through waitid");
  must_pipe(hold);
  child = held_child(hold, 0);
  close(hold[0]);
  show_waitid("WSTOPPED|WNOHANG while running", child, WSTOPPED | WNOHANG);
  T(kill(child, SIGSTOP));
  show_waitid("WSTOPPED|WNOWAIT", child, WSTOPPED | WNOWAIT);
  show_waitid("WSTOPPED", child, WSTOPPED);
  show_waitid("WSTOPPED|WNOHANG", child, WSTOPPED | WNOHANG);
  T(kill(child, SIGCONT));
  show_waitid("WCONTINUED|WNOWAIT", child, WCONTINUED | WNOWAIT);
  show_waitid("WCONTINUED", child, WCONTINUED);
  show_waitid("WCONTINUED|WNOHANG", child, WCONTINUED | WNOHANG);
  close(hold[1]);
  show_waitid("WEXITED", child, WEXITED);
}

static void stop_signals(void) {
  puts("# SIGTSTP, SIGTTIN and SIGTTOU stop by default; a SIGTSTP handler runs instead");
  int stops[] = {SIGTSTP, SIGTTIN, SIGTTOU};
  for (int i = 0; i < 3; i++) {
    int hold[2];
    must_pipe(hold);
    pid_t child = held_child(hold, 0);
    close(hold[0]);
    T(kill(child, stops[i]));
    show_wait(signame(stops[i]), child, WUNTRACED);
    T(kill(child, SIGCONT));
    show_wait("SIGCONT", child, WCONTINUED);
    close(hold[1]);
    show_wait("then", child, 0);
  }
  int hold[2], report[2];
  must_pipe(hold);
  must_pipe(report);
  report_fd = report[1];
  pid_t child = held_child(hold, 1);
  close(hold[0]);
  close(report[1]);
  T(kill(child, SIGTSTP));
  relay_line(report[0]);
  T(kill(child, SIGCONT)); /* not stopped: only its handler runs */
  relay_line(report[0]);
  close(hold[1]);
  show_wait("with SIGTSTP handled", child, WUNTRACED);
  relay(report[0]);
  close(report[0]);

  puts("# SIGCONT discards a pending stop signal, even a handled one");
  must_pipe(hold);
  must_pipe(report);
  report_fd = report[1];
  int ready[2];
  must_pipe(ready);
  child = must_fork();
  if (child == 0) {
    close(hold[1]);
    close(ready[0]);
    on(SIGTSTP, reporting_handler, SA_RESTART);
    mask(SIG_BLOCK, SIGTSTP, SIGCONT, 0);
    send_byte(ready[1]);
    await_byte(hold[0]);
    tell(report_fd, "the child's pending set: %s", pending_text());
    _exit(0);
  }
  close(hold[0]);
  close(report[1]);
  close(ready[1]);
  await_byte(ready[0]);
  close(ready[0]);
  T(kill(child, SIGTSTP));
  T(kill(child, SIGCONT));
  send_byte(hold[1]);
  show_wait("then", child, 0);
  relay(report[0]);
  close(report[0]);
  close(hold[1]);
}

static void sigchld_of_stops(void) {
  puts("# the SIGCHLD of a stop and of a continue");
  mask(SIG_BLOCK, SIGCHLD, 0);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  int hold[2];
  must_pipe(hold);
  pid_t child = held_child(hold, 0);
  close(hold[0]);
  siginfo_t si;
  T(kill(child, SIGSTOP));
  memset(&si, 0, sizeof si);
  wait_signal(&chld, &si);
  SAY("%s, si_status %s, si_pid is the child %d", code_text(SIGCHLD, si.si_code),
      signame(si.si_status), si.si_pid == child);
  T(kill(child, SIGCONT));
  memset(&si, 0, sizeof si);
  wait_signal(&chld, &si);
  SAY("%s, si_status %s, si_pid is the child %d", code_text(SIGCHLD, si.si_code),
      signame(si.si_status), si.si_pid == child);
  show_wait("wait, after the continue: WUNTRACED|WNOHANG", child, WUNTRACED | WNOHANG);
  show_wait("WCONTINUED|WNOHANG", child, WCONTINUED | WNOHANG);

  puts("# SA_NOCLDSTOP: no SIGCHLD for stops and continues, but wait still sees them");
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = note_handler;
  sa.sa_flags = SA_NOCLDSTOP;
  sigaction(SIGCHLD, &sa, NULL);
  T(kill(child, SIGSTOP));
  show_wait("WUNTRACED", child, WUNTRACED);
  SAY("pending: %s", pending_text());
  T(kill(child, SIGCONT));
  show_wait("WCONTINUED", child, WCONTINUED);
  SAY("pending: %s", pending_text());
  close(hold[1]);
  show_wait("its end", child, 0);
  SAY("pending after its end: %s", pending_text());
  mask(SIG_UNBLOCK, SIGCHLD, 0);
  notes_print("handled", 0);
  on(SIGCHLD, SIG_DFL, 0);
}

static void signals_while_stopped(void) {
  puts("# a stopped child: SIGTERM waits for SIGCONT, SIGKILL does not");
  int hold[2];
  must_pipe(hold);
  pid_t child = held_child(hold, 0);
  close(hold[0]);
  T(kill(child, SIGSTOP));
  show_wait("SIGSTOP", child, WUNTRACED);
  T(kill(child, SIGTERM));
  show_wait("SIGTERM, WNOHANG|WUNTRACED", child, WNOHANG | WUNTRACED);
  T(kill(child, SIGCONT));
  show_wait("SIGCONT", child, 0);
  close(hold[1]);

  must_pipe(hold);
  child = held_child(hold, 0);
  close(hold[0]);
  T(kill(child, SIGSTOP));
  show_wait("SIGSTOP", child, WUNTRACED);
  T(kill(child, SIGKILL));
  show_wait("SIGKILL", child, 0);
  close(hold[1]);

  puts("# SIGCONT resumes even when ignored or blocked");
  must_pipe(hold);
  int ready[2];
  must_pipe(ready);
  child = must_fork();
  if (child == 0) {
    close(hold[1]);
    on(SIGCONT, SIG_IGN, 0);
    mask(SIG_BLOCK, SIGCONT, 0);
    send_byte(ready[1]);
    await_byte(hold[0]);
    _exit(4);
  }
  close(hold[0]);
  close(ready[1]);
  await_byte(ready[0]);
  close(ready[0]);
  T(kill(child, SIGSTOP));
  show_wait("SIGSTOP", child, WUNTRACED);
  T(kill(child, SIGCONT));
  show_wait("SIGCONT", child, WCONTINUED);
  close(hold[1]);
  show_wait("then", child, 0);
}

static void process_group(void) {
  puts("# a process group stopped and continued with kill(-pgid)");
  int hold[2];
  must_pipe(hold);
  pid_t a = held_child(hold, 0);
  pid_t b = must_fork();
  if (b == 0) {
    close(hold[1]);
    setpgid(0, a);
    while (await_byte(hold[0]) > 0) {
    }
    _exit(0);
  }
  setpgid(b, a);
  close(hold[0]);
  T(kill(-a, SIGSTOP));
  show_wait("leader", a, WUNTRACED);
  show_wait("member", b, WUNTRACED);
  T(kill(-a, SIGCONT));
  show_wait("leader", a, WCONTINUED);
  show_wait("member", b, WCONTINUED);
  close(hold[1]);
  show_wait("leader", a, 0);
  show_wait("member", b, 0);
}

static void orphaned_group(void) {
  puts("# a process group with a stopped member becomes orphaned: SIGHUP, then SIGCONT");
  /* In a new session (led by L), P leads a group of its own with its child M, which stops.
   * The group is not orphaned while P lives: P's parent L is in another group of the same
   * session. When P exits, M's new parent is this program (a subreaper, or pid 1), in another
   * session: the group becomes orphaned with a stopped member. */
  T(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
  int report[2];
  must_pipe(report);
  pid_t l = must_fork();
  if (l == 0) {
    setsid();
    pid_t p = must_fork();
    if (p == 0) {
      setpgid(0, 0);
      pid_t m = must_fork();
      if (m == 0) {
        on(SIGHUP, note_handler, 0);
        on(SIGCONT, note_handler, 0);
        raise(SIGSTOP);
        for (int i = 0; i < notes_n; i++) {
          tell(report[1], "the stopped member handled %s", signame(notes_sig[i]));
        }
        _exit(0);
      }
      int status;
      waitpid(m, &status, WUNTRACED);
      tell(report[1], "%d", (int) m);
      _exit(WIFSTOPPED(status) ? 0 : 1);
    }
    int status;
    waitpid(p, &status, 0);
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 2);
  }
  close(report[1]);
  char line[32] = {0};
  for (int i = 0; i < (int) sizeof line - 1 && read(report[0], line + i, 1) == 1; i++) {
    if (line[i] == '\n') {
      break; /* the member's own lines follow: read them later */
    }
  }
  pid_t m = atoi(line);
  show_end("the session leader (its child, the group leader, exited 0)", l);
  show_end("the member", m);
  relay(report[0]);
  close(report[0]);
  T(prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0));
}

int main(int argc, char **argv) {
  sigs_init();
  enter_scratch(argc, argv);
  stop_and_continue();
  stop_signals();
  sigchld_of_stops();
  signals_while_stopped();
  process_group();
  orphaned_group();
  return 0;
}
