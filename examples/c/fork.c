/* fork(2): two returns, the child's ids, exit statuses (exit and exit_group), copy-on-write
 * memory (the child's writes never show in the parent, nor the parent's in the child),
 * MAP_SHARED mappings that stay shared, MADV_WIPEONFORK and MADV_DONTFORK, what the child
 * inherits (open file descriptions, a copy of the descriptor table, cwd, umask, rlimits, the
 * name, signal dispositions and mask, not pending signals, not CPU time) and RLIMIT_NPROC. See
 * procs.h for the rules of the output. */
#include "procs.h"
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#endif
#ifndef MADV_DONTFORK
#define MADV_DONTFORK 10
#endif

#define PAGE 4096L

static int global = 1;
static void on_usr1(int sig) {
  (void) sig;
}

static void returns_twice(void) {
  puts("# fork returns twice");
  pid_t parent = getpid();
  int report[2];
  must_pipe(report);
  pid_t child = must_fork();
  if (child == 0) {
    close(report[0]);
    tell(report[1], "child: fork returned 0 1");
    tell(report[1], "child: pid differs from the parent's %d", getpid() != parent);
    tell(report[1], "child: getppid() is the parent %d", getppid() == parent);
    tell(report[1], "child: gettid() is its pid %d", (pid_t) syscall(SYS_gettid) == getpid());
    tell(report[1], "child: same process group %d, same session %d",
        getpgrp() == getpgid(parent), getsid(0) == getsid(parent));
    pid_t me = getpid();
    if (write(report[1], &me, sizeof me) != sizeof me) {
      _exit(3);
    }
    _exit(0);
  }
  close(report[1]);
  SAY("parent: fork returned a positive pid %d, not its own %d", child > 0, child != parent);
  show_reaped("child", child);
  char buf[512];
  long n = read(report[0], buf, sizeof buf);
  pid_t told;
  SAY("report complete %d", n > (long) sizeof told);
  if (n > (long) sizeof told) {
    fwrite(buf, 1, n - sizeof told, stdout);
    memcpy(&told, buf + n - sizeof told, sizeof told);
    SAY("parent: the returned pid is the child's getpid() %d", told == child);
  }
  close(report[0]);
}

static void exit_statuses(void) {
  puts("# exit statuses");
  int codes[] = {0, 7, 255, 256 + 3, -1};
  for (int i = 0; i < 5; i++) {
    pid_t child = must_fork();
    if (child == 0) {
      _exit(codes[i]);
    }
    printf("_exit(%d) gives ", codes[i]);
    show_reaped("status", child);
  }
  pid_t child = must_fork();
  if (child == 0) {
    exit(42);
  }
  show_reaped("exit(42)", child);
  child = must_fork();
  if (child == 0) {
    syscall(SYS_exit, 43);
    _exit(1);
  }
  show_reaped("the exit system call, in a process of one thread", child);
  child = must_fork();
  if (child == 0) {
    syscall(SYS_exit_group, 44);
    _exit(1);
  }
  show_reaped("exit_group", child);
}

static void stdio_buffers(void) {
  puts("# stdio buffers belong to the process");
  int p[2];
  must_pipe(p);
  for (int use_exit = 1; use_exit >= 0; use_exit--) {
    pid_t child = must_fork();
    if (child == 0) {
      close(p[0]);
      FILE *f = fdopen(p[1], "w");
      setvbuf(f, NULL, _IOFBF, 4096);
      fprintf(f, "buffered line from a child that calls %s\n", use_exit ? "exit" : "_exit");
      if (use_exit) {
        exit(0);
      }
      _exit(0);
    }
    show_reaped("child", child);
  }
  close(p[1]);
  relay(p[0]);
  close(p[0]);
}

static void copy_on_write(void) {
  puts("# copy-on-write");
  put("file", "file content");
  int fd = T(open("file", O_RDWR));
  char *heap = malloc(1 << 20);
  memset(heap, 'h', 1 << 20);
  char stack[64] = "stack";
  char *anon = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memset(anon, 'a', 4 * PAGE);
  char *priv = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  char *ro = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  SAY("mapped %d %d %d", anon != MAP_FAILED, priv != MAP_FAILED, ro != MAP_FAILED);
  global = 2;
  int go[2], report[2];
  must_pipe(go);
  must_pipe(report);
  pid_t child = must_fork();
  if (child == 0) {
    close(go[1]);
    close(report[0]);
    tell(report[1], "child sees the parent's values: %d %c %s %c %.4s %d", global,
        heap[(1 << 20) - 1], stack, anon[3 * PAGE], priv, ro[0]);
    global = 3;
    memset(heap, 'H', 1 << 20);
    strcpy(stack, "STACK");
    anon[0] = anon[3 * PAGE] = 'A';
    memcpy(priv, "FILE", 4);
    tell(report[1], "child made ro writable %d",
        mprotect(ro, PAGE, PROT_READ | PROT_WRITE) == 0);
    ro[0] = 'R';
    tell(report[1], "child sees its own writes: %d %c %s %c %.4s %c", global, heap[4096], stack,
        anon[0], priv, ro[0]);
    /* The parent writes after the fork, then lets the child look again. */
    await_byte(go[0]);
    tell(report[1], "child after the parent's writes: %d %c", global, anon[PAGE]);
    _exit(0);
  }
  close(go[0]);
  close(report[1]);
  global = 4;
  anon[PAGE] = 'P';
  send_byte(go[1]);
  show_reaped("child", child);
  relay(report[0]);
  SAY("parent keeps its values: %d %c %s %c %c %.4s %d", global, heap[4096], stack, anon[0],
      anon[PAGE], priv, ro[0]);
  char buf[16] = {0};
  T(pread(fd, buf, 4, 0));
  show_bytes("file unchanged by the child's private mapping", buf, 4);
  close(go[1]);
  close(report[0]);
  close(fd);
  free(heap);
}

static void shared_mappings(void) {
  puts("# MAP_SHARED stays shared");
  put("shared", "0123456789");
  int fd = T(open("shared", O_RDWR));
  char *file = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  char *anon = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  SAY("mapped %d %d", file != MAP_FAILED, anon != MAP_FAILED);
  anon[0] = 'p';
  int go[2], back[2];
  must_pipe(go);
  must_pipe(back);
  pid_t child = must_fork();
  if (child == 0) {
    anon[PAGE] = 'c';
    file[0] = 'C';
    send_byte(back[1]);
    await_byte(go[0]);
    /* The parent wrote after the fork: a shared page shows it. */
    _exit(anon[1] == 'q' && file[1] == 'Q' ? 0 : 1);
  }
  await_byte(back[0]);
  SAY("parent sees the child's stores: anon %c, file %c", anon[PAGE], file[0]);
  T(pread(fd, anon + 8, 2, 0));
  SAY("and read(2) sees them: %c", anon[8]);
  anon[1] = 'q';
  file[1] = 'Q';
  send_byte(go[1]);
  show_reaped("child saw the parent's later stores (0 = yes)", child);
  T(munmap(file, PAGE));
  T(munmap(anon, 2 * PAGE));
  close(fd);
  close(go[0]);
  close(go[1]);
  close(back[0]);
  close(back[1]);

  puts("# a mapping made by the child is its own");
  char *before = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  child = must_fork();
  if (child == 0) {
    char *mine = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    mine[0] = 'm';
    memcpy(before, &mine, sizeof mine);
    _exit(0);
  }
  show_reaped("child", child);
  char *theirs;
  memcpy(&theirs, before, sizeof theirs);
  unsigned char vec;
  SAY("the child's mapping is not in the parent %d",
      mincore((void *) ((long) theirs & ~(PAGE - 1)), PAGE, &vec) == -1 && errno == ENOMEM);
  munmap(before, PAGE);
}

static void fork_advice(void) {
  puts("# MADV_WIPEONFORK and MADV_DONTFORK");
  char *wipe = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *dont = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memset(wipe, 'w', 2 * PAGE);
  memset(dont, 'd', PAGE);
  T(madvise(wipe, PAGE, MADV_WIPEONFORK));
  T(madvise(dont, PAGE, MADV_DONTFORK));
  int report[2];
  must_pipe(report);
  pid_t child = must_fork();
  if (child == 0) {
    unsigned char vec;
    tell(report[1], "child: wiped page reads %d, the next page %c", wipe[0], wipe[PAGE]);
    int r = mincore(dont, PAGE, &vec);
    tell(report[1], "child: MADV_DONTFORK page absent %d %s", r == -1,
        r == -1 ? errname(errno) : "");
    _exit(0);
  }
  close(report[1]);
  show_reaped("child", child);
  relay(report[0]);
  close(report[0]);
  SAY("parent keeps both: %c %c", wipe[0], dont[0]);
  T(madvise(wipe, 2 * PAGE, 12345));
  munmap(wipe, 2 * PAGE);
  munmap(dont, PAGE);
}

static void descriptors(void) {
  puts("# descriptors: shared open file descriptions, a copied table");
  put("desc", "abcdefgh");
  int fd = T(open("desc", O_RDWR));
  T(fcntl(fd, F_SETFD, FD_CLOEXEC));
  int p[2];
  must_pipe(p);
  pid_t child = must_fork();
  if (child == 0) {
    char b[3];
    int ok = read(fd, b, 3) == 3 && fcntl(fd, F_GETFD) == FD_CLOEXEC;
    ok = ok && fcntl(p[0], F_SETFL, O_NONBLOCK) == 0;
    ok = ok && close(fd) == 0 && dup2(p[1], 50) == 50;
    _exit(ok ? 0 : 1);
  }
  show_reaped("child read 3 bytes, closed the file, made fd 50 (0 = done)", child);
  T(lseek(fd, 0, SEEK_CUR));
  T(fcntl(fd, F_GETFD));
  T(fcntl(p[0], F_GETFL) & O_NONBLOCK);
  T(fcntl(50, F_GETFD));
  close(fd);
  close(p[0]);
  close(p[1]);
}

static void inherited_context(void) {
  puts("# cwd, umask, rlimits and name: copied, not shared");
  T(mkdir("sub", 0755));
  char before[4096], after[4096];
  getcwd(before, sizeof before);
  mode_t old = umask(027);
  struct rlimit saved;
  T(getrlimit(RLIMIT_NOFILE, &saved));
  struct rlimit rl = {100, saved.rlim_max};
  T(setrlimit(RLIMIT_NOFILE, &rl));
  T(prctl(PR_SET_NAME, "forker", 0, 0, 0));
  pid_t child = must_fork();
  if (child == 0) {
    char name[32] = {0};
    prctl(PR_GET_NAME, name, 0, 0, 0);
    struct rlimit c;
    getrlimit(RLIMIT_NOFILE, &c);
    printf("child: umask %03o, nofile soft %ld, hard the parent's %d, name %s\n", umask(077),
        (long) c.rlim_cur, c.rlim_max == rl.rlim_max, name);
    printf("child: chdir %d\n", chdir("sub"));
    prctl(PR_SET_NAME, "child", 0, 0, 0);
    _exit(0);
  }
  show_reaped("child", child);
  getcwd(after, sizeof after);
  SAY("parent's cwd unchanged %d", strcmp(before, after) == 0);
  SAY("parent's umask %03o", umask(old));
  char name[32] = {0};
  prctl(PR_GET_NAME, name, 0, 0, 0);
  SAY("parent's name %s", name);
  T(setrlimit(RLIMIT_NOFILE, &saved));
}

static void signal_state(void) {
  puts("# signals: dispositions and mask inherited, pending signals not");
  struct sigaction sa = {0};
  sa.sa_handler = on_usr1;
  T(sigaction(SIGUSR1, &sa, NULL));
  T(signal(SIGUSR2, SIG_IGN) != SIG_ERR);
  sigset_t block, pending;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  T(sigprocmask(SIG_BLOCK, &block, NULL));
  T(kill(getpid(), SIGUSR1));
  sigpending(&pending);
  SAY("parent has SIGUSR1 pending %d", sigismember(&pending, SIGUSR1));
  pid_t child = must_fork();
  if (child == 0) {
    struct sigaction cur;
    sigset_t mask, pend;
    sigaction(SIGUSR1, NULL, &cur);
    printf("child: SIGUSR1 handler kept %d\n", cur.sa_handler == on_usr1);
    sigaction(SIGUSR2, NULL, &cur);
    printf("child: SIGUSR2 ignored %d\n", cur.sa_handler == SIG_IGN);
    sigprocmask(SIG_BLOCK, NULL, &mask);
    printf("child: SIGUSR1 blocked %d\n", sigismember(&mask, SIGUSR1));
    sigpending(&pend);
    printf("child: SIGUSR1 pending %d\n", sigismember(&pend, SIGUSR1));
    _exit(0);
  }
  show_reaped("child", child);
  int sig = 0;
  T(sigwait(&block, &sig) == 0 && sig == SIGUSR1);
  T(sigprocmask(SIG_UNBLOCK, &block, NULL));
  signal(SIGUSR1, SIG_DFL);
  signal(SIGUSR2, SIG_DFL);
}

static void cpu_time(void) {
  puts("# CPU time starts again in the child");
  burn_cpu_ms(200);
  pid_t child = must_fork();
  if (child == 0) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    long used = ru.ru_utime.tv_sec * 1000 + ru.ru_utime.tv_usec / 1000;
    printf("child: CPU clock under 100 ms %d, rusage under 100 ms %d\n", cpu_ms() < 100,
        used < 100);
    _exit(0);
  }
  show_reaped("child", child);
  SAY("parent: CPU clock at least 200 ms %d", cpu_ms() >= 200);
}

static void many_children(void) {
  puts("# twenty children, reaped by pid in reverse order, then by wait()");
  pid_t kids[20];
  for (int i = 0; i < 20; i++) {
    kids[i] = must_fork();
    if (kids[i] == 0) {
      _exit(i + 100);
    }
  }
  int same = 0;
  for (int i = 0; i < 20; i++) {
    for (int j = 0; j < i; j++) {
      same += kids[i] == kids[j];
    }
  }
  SAY("pids distinct %d", same == 0);
  int right = 0;
  for (int i = 19; i >= 0; i--) {
    int status = reap(kids[i]);
    right += WIFEXITED(status) && WEXITSTATUS(status) == i + 100;
  }
  SAY("statuses matched %d of 20", right);
  for (int i = 0; i < 20; i++) {
    kids[i] = must_fork();
    if (kids[i] == 0) {
      _exit(i);
    }
  }
  int seen = 0, sum = 0, status;
  pid_t r;
  while ((r = wait(&status)) > 0) {
    seen++;
    sum += WEXITSTATUS(status);
  }
  SAY("wait() returned %d children, statuses sum %d, then %s", seen, sum, errname(errno));
}

static void grandchildren(void) {
  puts("# a grandchild");
  pid_t child = must_fork();
  if (child == 0) {
    pid_t me = getpid();
    pid_t grandchild = must_fork();
    if (grandchild == 0) {
      _exit(getppid() == me ? 5 : 6);
    }
    int status = reap(grandchild);
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) + 10 : 1);
  }
  show_reaped("child (10 + the grandchild's 5 when its parent was right)", child);
  T(waitpid(-1, NULL, WNOHANG));
}

static void nproc_limit(void) {
  puts("# RLIMIT_NPROC");
  pid_t child = must_fork();
  if (child == 0) {
    /* root is exempt: become an ordinary user first (no-op when already one). */
    if (getuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) {
      printf("cannot drop root: %s\n", errname(errno));
      _exit(1);
    }
    struct rlimit zero = {0, 0};
    T(setrlimit(RLIMIT_NPROC, &zero));
    pid_t r = fork();
    if (r == 0) {
      _exit(0);
    }
    SAY("fork: %s", r < 0 ? errname(errno) : "succeeded");
    if (r > 0) {
      reap(r);
    }
    r = vfork();
    if (r == 0) {
      _exit(0);
    }
    SAY("vfork: %s", r < 0 ? errname(errno) : "succeeded");
    if (r > 0) {
      reap(r);
    }
    _exit(0);
  }
  show_reaped("child", child);
}

int main(int argc, char **argv) {
  procs_init();
  enter_scratch(argc, argv);
  returns_twice();
  exit_statuses();
  stdio_buffers();
  copy_on_write();
  shared_mappings();
  fork_advice();
  descriptors();
  inherited_context();
  signal_state();
  cpu_time();
  many_children();
  grandchildren();
  nproc_limit();
  return 0;
}
