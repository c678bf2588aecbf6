/* Orphans: a child whose parent ends is reparented, to the nearest PR_SET_CHILD_SUBREAPER
 * ancestor or else to pid 1 of its pid namespace (getppid changes); an orphaned zombie is
 * reaped by its new parent; PR_SET_PDEATHSIG (cleared by fork, kept by exec, sent when the
 * parent ends). The program may itself be pid 1 (blink-chroot runs it so, and so may CI): where
 * that changes the new parent, the output says how, so it reads the same. See procs.h for the
 * rules of the output. */
#include "procs.h"
#include <sys/prctl.h>

static pid_t read_pid(int fd) {
  pid_t pid = 0;
  if (read(fd, &pid, sizeof pid) != sizeof pid) {
    return -1;
  }
  return pid;
}

static void write_pid(int fd, pid_t pid) {
  if (write(fd, &pid, sizeof pid) != sizeof pid) {
    _exit(98);
  }
}

/*
 * The top process forks a middle process, which forks an orphan-to-be and ends. The orphan waits
 * until its parent has changed and reports the new parent's pid. Returns the orphan's new parent
 * (and sets *ORPHAN), or -1 if the orphan never saw a new parent.
 */
static pid_t orphan_new_parent(pid_t *orphan) {
  int to_top[2];
  must_pipe(to_top);
  pid_t middle = must_fork();
  if (middle == 0) {
    pid_t me = getpid();
    pid_t child = must_fork();
    if (child == 0) {
      int changed = poll_until(getppid() != me);
      write_pid(to_top[1], getpid());
      write_pid(to_top[1], changed ? getppid() : -1);
      _exit(0);
    }
    _exit(0);
  }
  show_reaped("middle", middle);
  close(to_top[1]);
  *orphan = read_pid(to_top[0]);
  pid_t parent = read_pid(to_top[0]);
  close(to_top[0]);
  return parent;
}

static void reparented_without_subreaper(void) {
  puts("# an orphan without a subreaper above it");
  pid_t top = getpid(), orphan;
  pid_t parent = orphan_new_parent(&orphan);
  SAY("the orphan saw its parent change %d", parent > 0);
  SAY("its new parent is the top process exactly when the top process is pid 1 %d",
      (parent == top) == (top == 1));
  if (top == 1) {
    /* pid 1 of a namespace inherits the orphan: reap it, as the kernel's init would. */
    reap(orphan);
  }
}

static void subreaper(void) {
  puts("# a subreaper adopts its orphaned descendants");
  int flag = -1;
  T(prctl(PR_GET_CHILD_SUBREAPER, &flag));
  SAY("subreaper %d", flag);
  T(prctl(PR_SET_CHILD_SUBREAPER, 1));
  T(prctl(PR_GET_CHILD_SUBREAPER, &flag));
  SAY("subreaper %d", flag);
  pid_t orphan;
  pid_t parent = orphan_new_parent(&orphan);
  SAY("the orphan's new parent is the top process %d", parent == getpid());
  show_reaped("the top process reaps it", orphan);

  pid_t child = must_fork();
  if (child == 0) {
    int inherited = -1;
    prctl(PR_GET_CHILD_SUBREAPER, &inherited);
    _exit(inherited);
  }
  show_reaped("a child's own subreaper flag (fork clears it)", child);
}

static void nested_subreaper(void) {
  puts("# the nearest subreaper wins");
  int report[2];
  must_pipe(report);
  pid_t inner = must_fork();
  if (inner == 0) {
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    pid_t me = getpid();
    int to_inner[2];
    must_pipe(to_inner);
    pid_t middle = must_fork();
    if (middle == 0) {
      pid_t from = getpid();
      if (must_fork() == 0) {
        int changed = poll_until(getppid() != from);
        write_pid(to_inner[1], getpid());
        write_pid(to_inner[1], changed ? getppid() : -1);
        _exit(7);
      }
      _exit(0);
    }
    reap(middle);
    pid_t orphan = read_pid(to_inner[0]);
    pid_t parent = read_pid(to_inner[0]);
    tell(report[1], "inner subreaper: the orphan's new parent is the inner subreaper %d",
        parent == me);
    int status = reap(orphan);
    tell(report[1], "inner subreaper reaps it: %s", status_text(status));
    _exit(0);
  }
  show_reaped("inner subreaper", inner);
  close(report[1]);
  relay(report[0]);
  close(report[0]);
}

static void orphaned_zombie(void) {
  puts("# a zombie whose parent ends goes to the subreaper");
  int report[2];
  must_pipe(report);
  pid_t middle = must_fork();
  if (middle == 0) {
    pid_t child = must_fork();
    if (child == 0) {
      _exit(9);
    }
    siginfo_t si;
    waitid(P_PID, child, &si, WEXITED | WNOWAIT);
    write_pid(report[1], child);
    _exit(0);
  }
  show_reaped("middle, which did not reap its zombie", middle);
  pid_t zombie = read_pid(report[0]);
  show_reaped("the top process reaps the zombie", zombie);
  close(report[0]);
  close(report[1]);
}

static void death_signal(const char *self) {
  puts("# PR_SET_PDEATHSIG");
  int sig = -1;
  T(prctl(PR_GET_PDEATHSIG, &sig));
  SAY("pdeathsig %d", sig);
  T(prctl(PR_SET_PDEATHSIG, SIGUSR1));
  T(prctl(PR_GET_PDEATHSIG, &sig));
  SAY("pdeathsig %s", signame(sig));
  T(prctl(PR_SET_PDEATHSIG, 99));
  pid_t child = must_fork();
  if (child == 0) {
    int inherited = -1;
    prctl(PR_GET_PDEATHSIG, &inherited);
    _exit(inherited);
  }
  show_reaped("a child's pdeathsig (fork clears it)", child);
  T(prctl(PR_SET_PDEATHSIG, 0));

  child = must_fork();
  if (child == 0) {
    prctl(PR_SET_PDEATHSIG, SIGUSR2);
    char *args[] = {(char *) self, "--child", "pdeathsig", NULL};
    execv(self, args);
    _exit(127);
  }
  show_reaped("after execve the pdeathsig is still SIGUSR2 (12)", child);

  int ready[2];
  must_pipe(ready);
  pid_t middle = must_fork();
  if (middle == 0) {
    pid_t me = getpid();
    pid_t doomed = must_fork();
    if (doomed == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != me) {
        _exit(97);
      }
      write_pid(ready[1], getpid());
      sleep_ms(20000);
      _exit(99);
    }
    pid_t told = read_pid(ready[0]);
    write_pid(ready[1], told);
    _exit(0);
  }
  show_reaped("middle", middle);
  pid_t doomed = read_pid(ready[0]);
  show_reaped("its child, whose pdeathsig is SIGKILL", doomed);
  close(ready[0]);
  close(ready[1]);
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--child") == 0 && strcmp(argv[2], "pdeathsig") == 0) {
    int sig = -1;
    prctl(PR_GET_PDEATHSIG, &sig);
    return sig;
  }
  procs_init();
  char *self = realpath(argv[0], NULL);
  enter_scratch(argc, argv);
  /* Before the program becomes a subreaper. */
  reparented_without_subreaper();
  subreaper();
  nested_subreaper();
  orphaned_zombie();
  death_signal(self);
  return 0;
}
