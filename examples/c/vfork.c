/* vfork(2) and what is built on it: the parent is suspended until the child exits or execs,
 * the child borrows the parent's memory (not its descriptor table) until then, and exec
 * failures; posix_spawn (clone with CLONE_VM|CLONE_VFORK in glibc and musl) with file actions
 * and attributes, system(3) and popen(3). The program runs itself again for the exec cases
 * ("--child MODE ..."). See procs.h for the rules of the output. */
#include "procs.h"
#include <spawn.h>

extern char **environ;

static volatile int borrowed;
static volatile pid_t child_saw_pid, child_saw_ppid;
static volatile int child_errno;

/* The program run again by an exec: MODE says what to do, the exit status says how it went. */
static int child_mode(int argc, char **argv) {
  const char *mode = argv[2];
  if (strcmp(mode, "exit") == 0) {
    return atoi(argv[3]);
  }
  if (strcmp(mode, "wait") == 0) {
    /* Blocks until the parent writes a byte to (or closes) descriptor ARGV[3]. */
    return await_byte(atoi(argv[3])) == 1 ? 4 : 5;
  }
  if (strcmp(mode, "write") == 0) {
    printf("%s\n", argv[3]);
    return 0;
  }
  if (strcmp(mode, "pgid-is-pid") == 0) {
    return getpgrp() == getpid() ? 0 : 1;
  }
  if (strcmp(mode, "sigusr2-ignored") == 0) {
    struct sigaction sa;
    sigaction(SIGUSR2, NULL, &sa);
    return sa.sa_handler == SIG_IGN ? 1 : 0;
  }
  fprintf(stderr, "unknown mode %s (%d)\n", mode, argc);
  return 2;
}

static void suspends_until_exit(void) {
  puts("# vfork: the parent waits for the child's _exit");
  borrowed = 0;
  pid_t parent = getpid();
  pid_t child = vfork();
  if (child == 0) {
    sleep_ms(100);
    child_saw_pid = getpid();
    child_saw_ppid = getppid();
    borrowed = 1;
    _exit(3);
  }
  if (child < 0) {
    printf("vfork() = -1 %s\n", errname(errno));
    exit(1);
  }
  SAY("parent resumed after the child's last store %d", borrowed == 1);
  SAY("vfork returned the child's pid %d, the child's parent was the caller %d",
      child_saw_pid == child, child_saw_ppid == parent);
  show_reaped("child", child);
}

static void suspends_until_exec(const char *self) {
  puts("# vfork: the parent waits for the child's execve, not for its end");
  int go[2];
  must_pipe(go);
  char fd[16];
  snprintf(fd, sizeof fd, "%d", go[0]);
  char *args[] = {(char *) self, "--child", "wait", fd, NULL};
  borrowed = 0;
  pid_t child = vfork();
  if (child == 0) {
    sleep_ms(100);
    borrowed = 2;
    execv(self, args);
    _exit(127);
  }
  SAY("parent resumed after the child's store before execve %d", borrowed == 2);
  int status;
  SAY("the child still runs (it waits for us) %d", waitpid(child, &status, WNOHANG) == 0);
  send_byte(go[1]);
  show_reaped("child (4: it read our byte)", child);
  close(go[0]);
  close(go[1]);
}

static void exec_failure(void) {
  puts("# vfork: an exec that fails");
  char *args[] = {"nonexistent", NULL};
  child_errno = 0;
  pid_t child = vfork();
  if (child == 0) {
    execv("./nonexistent", args);
    child_errno = errno;
    _exit(127);
  }
  SAY("the child's errno, seen in the borrowed memory: %s", errname(child_errno));
  show_reaped("child", child);
}

static void own_descriptor_table(void) {
  puts("# vfork: memory is borrowed, the descriptor table is not");
  put("f", "x");
  int fd = T(open("f", O_RDONLY));
  pid_t child = vfork();
  if (child == 0) {
    close(fd);
    _exit(dup2(0, 60) == 60 ? 0 : 1);
  }
  show_reaped("child closed the file and made fd 60", child);
  T(fcntl(fd, F_GETFD));
  T(fcntl(60, F_GETFD));
  close(fd);
}

static void spawn(const char *self) {
  puts("# posix_spawn with file actions");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "spawned.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  char *args[] = {(char *) self, "--child", "write", "from the spawned child", NULL};
  pid_t child;
  T(posix_spawn(&child, self, &fa, NULL, args, environ));
  show_reaped("spawned child", child);
  posix_spawn_file_actions_destroy(&fa);
  char buf[64] = {0};
  int fd = open("spawned.out", O_RDONLY);
  long n = read(fd, buf, sizeof buf);
  close(fd);
  show_bytes("its stdout, opened by the file action", buf, n);

  puts("# posix_spawn errors come back as the return value");
  char *none[] = {"nonexistent", NULL};
  SAY("a missing program: %s", errname(posix_spawn(&child, "./nonexistent", NULL, NULL, none,
      environ)));
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 5, "missing/file", O_RDONLY, 0);
  SAY("a file action that fails: %s", errname(posix_spawn(&child, self, &fa, NULL, args,
      environ)));
  posix_spawn_file_actions_destroy(&fa);
  T(waitpid(-1, NULL, WNOHANG));

  puts("# posix_spawn attributes");
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  char *pg[] = {(char *) self, "--child", "pgid-is-pid", NULL};
  T(posix_spawn(&child, self, NULL, &attr, pg, environ));
  show_reaped("child in its own process group (0 = yes)", child);
  posix_spawnattr_destroy(&attr);

  signal(SIGUSR2, SIG_IGN);
  char *ig[] = {(char *) self, "--child", "sigusr2-ignored", NULL};
  T(posix_spawn(&child, self, NULL, NULL, ig, environ));
  show_reaped("SIGUSR2 ignored in the child (1 = yes)", child);
  posix_spawnattr_init(&attr);
  sigset_t def;
  sigemptyset(&def);
  sigaddset(&def, SIGUSR2);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setsigdefault(&attr, &def);
  T(posix_spawn(&child, self, NULL, &attr, ig, environ));
  show_reaped("with SETSIGDEF (0 = default)", child);
  posix_spawnattr_destroy(&attr);
  signal(SIGUSR2, SIG_DFL);
}

static void system_and_popen(void) {
  puts("# system and popen");
  T(system("exit 3"));
  T(system("echo from system"));
  FILE *p = popen("echo from popen; exit 2", "r");
  char line[64] = {0};
  SAY("read %d: %.10s", fgets(line, sizeof line, p) != NULL, line);
  int status = pclose(p);
  SAY("pclose: %s", status_text(status));
  p = popen("cat > popen.out", "w");
  fputs("written to popen\n", p);
  SAY("pclose: %s", status_text(pclose(p)));
  int fd = open("popen.out", O_RDONLY);
  long n = read(fd, line, sizeof line);
  close(fd);
  show_bytes("popen.out", line, n);
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "--child") == 0) {
    return child_mode(argc, argv);
  }
  procs_init();
  /* The scratch directory becomes the working directory: exec this program by full path. */
  char *self = realpath(argv[0], NULL);
  enter_scratch(argc, argv);
  suspends_until_exit();
  suspends_until_exec(self);
  exec_failure();
  own_descriptor_table();
  spawn(self);
  system_and_popen();
  return 0;
}
