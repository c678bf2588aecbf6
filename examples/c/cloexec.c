/* Descriptors across fork and execve, and what else execve keeps or resets: fork copies every
 * descriptor with its close-on-exec flag; execve closes exactly the close-on-exec ones (however
 * the flag was set: O_CLOEXEC, pipe2, dup3, F_DUPFD_CLOEXEC, F_SETFD, eventfd, memfd,
 * close_range) and keeps the open file descriptions (offsets) of the rest; a failed execve
 * closes nothing; execve resets handled signals to SIG_DFL and keeps ignored ones, the mask and
 * pending signals; it keeps pid, parent, group, session, cwd, umask and rlimits, and passes
 * exactly the argv and envp given. The program runs itself again ("--child MODE") to look from
 * the other side. See procs.h for the rules of the output. */
#include "procs.h"
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/resource.h>

#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC 4
#endif
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 1U
#endif

extern char **environ;

/* The descriptors under test, by how they were made (their numbers are not printed: they
 * depend on what the program inherited). */
enum {
  PLAIN, O_CLOEXEC_OPEN, DUP2_OF_CLOEXEC, PIPE2_READ, DUP3_NO_FLAG, F_DUPFD_CLOEXEC_DUP,
  F_SETFD_SET, F_SETFD_SET_CLEARED, EVENTFD_CLOEXEC, MEMFD_CLOEXEC, FIOCLEX_SET, FIONCLEX_CLEARED,
  CLOSE_RANGE_MARKED, NWATCHED
};
static const char *const HOW[NWATCHED] = {
  "plain open", "O_CLOEXEC open", "dup2 of the O_CLOEXEC one", "pipe2(O_CLOEXEC) read end",
  "dup3 without O_CLOEXEC", "F_DUPFD_CLOEXEC", "F_SETFD FD_CLOEXEC",
  "F_SETFD FD_CLOEXEC then 0", "eventfd(EFD_CLOEXEC)", "memfd_create(MFD_CLOEXEC)",
  "ioctl FIOCLEX", "ioctl FIOCLEX then FIONCLEX", "close_range(CLOSE_RANGE_CLOEXEC)",
};
static int fds[NWATCHED];

static void show_fds(const char *who) {
  for (int i = 0; i < NWATCHED; i++) {
    int flags = fcntl(fds[i], F_GETFD);
    printf("%s: %s: %s\n", who, HOW[i],
        flags < 0 ? errname(errno) : flags & FD_CLOEXEC ? "open, close-on-exec" : "open");
  }
}

static void on_signal(int sig) {
  (void) sig;
}

static const char *disposition(int sig) {
  struct sigaction sa;
  sigaction(sig, NULL, &sa);
  return sa.sa_handler == SIG_DFL ? "SIG_DFL" : sa.sa_handler == SIG_IGN ? "SIG_IGN" : "handler";
}

static int child_mode(int argc, char **argv) {
  const char *mode = argv[2];
  if (strcmp(mode, "fds") == 0) {
    /* argv[3..]: the descriptors' numbers, in HOW's order. */
    for (int i = 0; i < NWATCHED && 3 + i < argc; i++) {
      fds[i] = atoi(argv[3 + i]);
    }
    show_fds("after execve");
    SAY("after execve: offset of the plain one %ld", (long) lseek(fds[PLAIN], 0, SEEK_CUR));
    return 0;
  }
  if (strcmp(mode, "signals") == 0) {
    SAY("after execve: SIGUSR1 %s, SIGUSR2 %s, SIGTERM %s, SIGCHLD %s", disposition(SIGUSR1),
        disposition(SIGUSR2), disposition(SIGTERM), disposition(SIGCHLD));
    sigset_t mask, pending;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    sigpending(&pending);
    SAY("after execve: blocked SIGINT %d SIGUSR1 %d SIGUSR2 %d", sigismember(&mask, SIGINT),
        sigismember(&mask, SIGUSR1), sigismember(&mask, SIGUSR2));
    SAY("after execve: SIGINT still pending %d", sigismember(&pending, SIGINT));
    sigset_t intr;
    sigemptyset(&intr);
    sigaddset(&intr, SIGINT);
    struct timespec zero = {0, 0};
    SAY("after execve: taken %d", sigtimedwait(&intr, NULL, &zero) == SIGINT);
    return 0;
  }
  if (strcmp(mode, "context") == 0) {
    /* argv[3..]: the parent's pid, the pid before execve, group, session. */
    char cwd[4096];
    getcwd(cwd, sizeof cwd);
    const char *base = strrchr(cwd, '/');
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    mode_t mask = umask(0);
    SAY("after execve: same pid %d, parent %d, group %d, session %d", getpid() == atoi(argv[4]),
        getppid() == atoi(argv[3]), getpgrp() == atoi(argv[5]), getsid(0) == atoi(argv[6]));
    SAY("after execve: cwd %s, umask %03o, nofile soft %ld", base ? base : cwd, mask,
        (long) rl.rlim_cur);
    return argc;
  }
  if (strcmp(mode, "args") == 0) {
    SAY("after execve: argc %d, argv[0] %s, argv[3] \"%s\"", argc, argv[0], argv[3]);
    for (char **e = environ; *e; e++) {
      SAY("after execve: env %s", *e);
    }
    return 0;
  }
  return 2;
}

static void run_child(const char *self, char **args, char **env, const char *label) {
  pid_t child = must_fork();
  if (child == 0) {
    execve(self, args, env);
    printf("execve = -1 %s\n", errname(errno));
    _exit(127);
  }
  show_reaped(label, child);
}

static void descriptors(const char *self) {
  puts("# descriptors with and without close-on-exec");
  put("data", "0123456789");
  fds[PLAIN] = open("data", O_RDWR);
  fds[O_CLOEXEC_OPEN] = open("data", O_RDONLY | O_CLOEXEC);
  fds[DUP2_OF_CLOEXEC] = dup(fds[PLAIN]);
  T(dup2(fds[O_CLOEXEC_OPEN], fds[DUP2_OF_CLOEXEC]) >= 0);
  int p[2];
  T(pipe2(p, O_CLOEXEC));
  fds[PIPE2_READ] = p[0];
  fds[DUP3_NO_FLAG] = dup(fds[PLAIN]);
  T(dup3(p[1], fds[DUP3_NO_FLAG], 0) >= 0);
  close(p[1]);
  fds[F_DUPFD_CLOEXEC_DUP] = fcntl(fds[PLAIN], F_DUPFD_CLOEXEC, 0);
  fds[F_SETFD_SET] = dup(fds[PLAIN]);
  T(fcntl(fds[F_SETFD_SET], F_SETFD, FD_CLOEXEC));
  fds[F_SETFD_SET_CLEARED] = dup(fds[PLAIN]);
  T(fcntl(fds[F_SETFD_SET_CLEARED], F_SETFD, FD_CLOEXEC));
  T(fcntl(fds[F_SETFD_SET_CLEARED], F_SETFD, 0));
  fds[EVENTFD_CLOEXEC] = eventfd(0, EFD_CLOEXEC);
  fds[MEMFD_CLOEXEC] = syscall(SYS_memfd_create, "m", MFD_CLOEXEC);
  fds[FIOCLEX_SET] = dup(fds[PLAIN]);
  T(ioctl(fds[FIOCLEX_SET], FIOCLEX));
  fds[FIONCLEX_CLEARED] = dup(fds[PLAIN]);
  T(ioctl(fds[FIONCLEX_CLEARED], FIOCLEX));
  T(ioctl(fds[FIONCLEX_CLEARED], FIONCLEX));
  /* The last one made, so that the range holds only it. */
  fds[CLOSE_RANGE_MARKED] = dup(fds[PLAIN]);
  T(syscall(SYS_close_range, fds[CLOSE_RANGE_MARKED], fds[CLOSE_RANGE_MARKED],
      CLOSE_RANGE_CLOEXEC));
  int made = 1;
  for (int i = 0; i < NWATCHED; i++) {
    made = made && fds[i] >= 0;
  }
  SAY("all made %d", made);
  T(write(fds[PLAIN], "abc", 3));
  show_fds("before");

  puts("# fork copies them all");
  pid_t child = must_fork();
  if (child == 0) {
    show_fds("child");
    _exit(0);
  }
  show_reaped("child", child);

  puts("# execve closes the close-on-exec ones");
  char numbers[NWATCHED][16];
  char *args[3 + NWATCHED + 1] = {(char *) self, "--child", "fds"};
  for (int i = 0; i < NWATCHED; i++) {
    snprintf(numbers[i], sizeof numbers[i], "%d", fds[i]);
    args[3 + i] = numbers[i];
  }
  args[3 + NWATCHED] = NULL;
  run_child(self, args, environ, "child");

  puts("# a failed execve closes nothing");
  child = must_fork();
  if (child == 0) {
    char *none[] = {"nonexistent", NULL};
    T(execve("./nonexistent", none, environ));
    show_fds("after a failed execve");
    _exit(0);
  }
  show_reaped("child", child);
  for (int i = 0; i < NWATCHED; i++) {
    close(fds[i]);
  }
}

static void signals(const char *self) {
  puts("# execve resets handled signals, keeps ignored ones, the mask and pending signals");
  pid_t child = must_fork();
  if (child == 0) {
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGUSR2, SIG_IGN);
    signal(SIGCHLD, SIG_IGN);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    kill(getpid(), SIGINT);
    char *args[] = {(char *) self, "--child", "signals", NULL};
    execve(self, args, environ);
    _exit(127);
  }
  show_reaped("child", child);
}

static void context(const char *self) {
  puts("# execve keeps the process's context");
  T(mkdir("sub", 0755));
  pid_t child = must_fork();
  if (child == 0) {
    char ppid[16], pid[16], pgrp[16], sid[16];
    snprintf(ppid, sizeof ppid, "%d", getppid());
    snprintf(pid, sizeof pid, "%d", getpid());
    snprintf(pgrp, sizeof pgrp, "%d", getpgrp());
    snprintf(sid, sizeof sid, "%d", getsid(0));
    if (chdir("sub") != 0) {
      _exit(1);
    }
    umask(037);
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = 77;
    setrlimit(RLIMIT_NOFILE, &rl);
    char *args[] = {(char *) self, "--child", "context", ppid, pid, pgrp, sid, NULL};
    execve(self, args, environ);
    _exit(127);
  }
  show_reaped("child (its argc)", child);

  puts("# execve passes exactly the argv and envp given");
  char *args[] = {"renamed", "--child", "args", "with  spaces", NULL};
  char *env[] = {"ONE=1", "TWO=two words", "EMPTY=", NULL};
  run_child(self, args, env, "child");
  char *bare[] = {"bare", "--child", "args", "", NULL};
  char *noenv[] = {NULL};
  run_child(self, bare, noenv, "child");
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "--child") == 0) {
    setvbuf(stdout, NULL, _IONBF, 0);
    return child_mode(argc, argv);
  }
  procs_init();
  char *self = realpath(argv[0], NULL);
  enter_scratch(argc, argv);
  descriptors(self);
  signals(self);
  context(self);
  return 0;
}
