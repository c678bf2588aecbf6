/* /proc/PID of another process: stat, status, cmdline, environ, exe, cwd, root, fd, maps,
 * comm and task of a child that has exec'd (this program again, "--child park") and waits;
 * then of the same child as a zombie, and after it is reaped. Values that differ between runs
 * (pids, addresses, times, sizes) are compared with what the parent knows, never printed.
 *
 * Processes are named by the pid /proc gives them (readlink /proc/self, the child's sent to
 * the parent), not by getpid(): /proc may belong to another pid namespace than the program
 * (unshare --pid without remounting /proc). See procs.h for the rules of the output. */
#include "procs.h"
#include <dirent.h>
#include <sys/mman.h>
#include <sys/prctl.h>

/* Descriptors the parked child has, at these numbers. */
#define TARGET_FD 7
#define READY_FD 8
#define GO_FD 9

static long slurp(const char *path, char *buf, long size) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    return -1;
  }
  long total = 0, n;
  while (total < size - 1 && (n = read(fd, buf + total, size - 1 - total)) > 0) {
    total += n;
  }
  close(fd);
  buf[total] = 0;
  return total;
}

/* This process's pid as /proc numbers it. */
static pid_t proc_self(void) {
  char text[32];
  long n = readlink("/proc/self", text, sizeof text - 1);
  if (n <= 0) {
    return -1;
  }
  text[n] = 0;
  return atoi(text);
}

/* Field N (4 = ppid, 5 = pgrp, 6 = session, ...) of a /proc/PID/stat text; the state is 3. */
static long stat_field(const char *stat, int n) {
  const char *at = strrchr(stat, ')');
  if (at == NULL) {
    return -1;
  }
  at += 2;
  for (int i = 3; i < n && *at; i++) {
    at = strchr(at, ' ');
    if (at == NULL) {
      return -1;
    }
    at++;
  }
  return n == 3 ? *at : atol(at);
}

static char path_buf[64];
static const char *proc(pid_t pid, const char *entry) {
  snprintf(path_buf, sizeof path_buf, "/proc/%d/%s", (int) pid, entry);
  return path_buf;
}

/* The value of "Key:" in a status text, up to the end of its line. */
static const char *status_field(const char *status, const char *key) {
  static char value[128];
  char pattern[32];
  snprintf(pattern, sizeof pattern, "\n%s:", key);
  const char *at = strstr(status, pattern);
  if (at == NULL) {
    return "(missing)";
  }
  at += strlen(pattern);
  while (*at == '\t' || *at == ' ') {
    at++;
  }
  size_t n = strcspn(at, "\n");
  snprintf(value, sizeof value, "%.*s", (int) n, at);
  return value;
}

/* The child's side: chdir, a file open at TARGET_FD and mapped shared, a name; then waits. */
static int park(void) {
  if (chdir("sub") != 0) {
    return 1;
  }
  int fd = open("target", O_RDWR);
  if (fd < 0 || dup2(fd, TARGET_FD) != TARGET_FD) {
    return 1;
  }
  close(fd);
  void *map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, TARGET_FD, 0);
  if (map == MAP_FAILED) {
    return 1;
  }
  prctl(PR_SET_NAME, "kid", 0, 0, 0);
  pid_t me = proc_self();
  if (write(READY_FD, &me, sizeof me) != sizeof me) {
    return 1;
  }
  await_byte(GO_FD);
  return 3;
}

static void show_stat(pid_t child, const char *when) {
  char stat[1024], mine[1024];
  if (slurp(proc(child, "stat"), stat, sizeof stat) < 0) {
    printf("%s: stat: %s\n", when, errname(errno));
    return;
  }
  slurp("/proc/self/stat", mine, sizeof mine);
  char *open_paren = strchr(stat, '('), *close_paren = strrchr(stat, ')');
  if (!open_paren || !close_paren) {
    printf("%s: stat: malformed\n", when);
    return;
  }
  printf("%s: stat: pid %d, comm %.*s, state %c, ppid is us %d, our group %d, our session %d, "
         "our nice %d, threads %ld\n",
      when, atoi(stat) == child, (int) (close_paren - open_paren + 1), open_paren,
      (char) stat_field(stat, 3), stat_field(stat, 4) == proc_self(),
      stat_field(stat, 5) == stat_field(mine, 5), stat_field(stat, 6) == stat_field(mine, 6),
      stat_field(stat, 19) == stat_field(mine, 19), stat_field(stat, 20));
}

static void show_status(pid_t child, const char *when) {
  char status[4096];
  if (slurp(proc(child, "status"), status + 1, sizeof status - 1) < 0) {
    printf("%s: status: %s\n", when, errname(errno));
    return;
  }
  status[0] = '\n';
  printf("%s: status: Name %s,", when, status_field(status, "Name"));
  printf(" State %s,", status_field(status, "State"));
  printf(" Threads %s\n", status_field(status, "Threads"));
  char ids[64];
  snprintf(ids, sizeof ids, "%d\t%d\t%d\t%d", (int) getuid(), (int) getuid(), (int) getuid(),
      (int) getuid());
  int uid_ok = strcmp(status_field(status, "Uid"), ids) == 0;
  snprintf(ids, sizeof ids, "%d\t%d\t%d\t%d", (int) getgid(), (int) getgid(), (int) getgid(),
      (int) getgid());
  int gid_ok = strcmp(status_field(status, "Gid"), ids) == 0;
  printf("%s: status: Tgid %d, Pid %d, PPid %d, Uid %d, Gid %d\n", when,
      atoi(status_field(status, "Tgid")) == child, atoi(status_field(status, "Pid")) == child,
      atoi(status_field(status, "PPid")) == proc_self(), uid_ok, gid_ok);
}

static void show_link(pid_t child, const char *entry, const char *expected, const char *when) {
  char target[4096];
  long n = readlink(proc(child, entry), target, sizeof target - 1);
  if (n < 0) {
    printf("%s: %s: %s\n", when, entry, errname(errno));
    return;
  }
  target[n] = 0;
  printf("%s: %s is %s\n", when, entry, strcmp(target, expected) == 0 ? "as expected" : target);
}

static void show_fd_dir(pid_t child, const char *when) {
  DIR *d = opendir(proc(child, "fd"));
  if (d == NULL && errno == EACCES && strcmp(when, "zombie") == 0) {
    /* A zombie has no descriptors; Linux refuses to list them to anyone but root. */
    printf("%s: fd:\n", when);
    return;
  }
  if (d == NULL) {
    printf("%s: fd: %s\n", when, errname(errno));
    return;
  }
  int present[64] = {0}, others = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') {
      continue;
    }
    int fd = atoi(e->d_name);
    if (fd >= 0 && fd < 64) {
      present[fd] = 1;
    } else {
      others++;
    }
  }
  closedir(d);
  printf("%s: fd:", when);
  for (int i = 0; i < 64; i++) {
    if (present[i]) {
      printf(" %d", i);
    }
  }
  printf("%s\n", others ? " and others" : "");
}

static void show_maps(pid_t child, const char *target, const char *exe, const char *when) {
  static char maps[1 << 16];
  if (slurp(proc(child, "maps"), maps, sizeof maps) < 0) {
    printf("%s: maps: %s\n", when, errname(errno));
    return;
  }
  int shared_target = 0, stack = 0, program = 0, lines = 0;
  for (char *line = strtok(maps, "\n"); line; line = strtok(NULL, "\n")) {
    lines++;
    char perms[8] = "";
    sscanf(line, "%*s %7s", perms);
    const char *path = strchr(line, '/');
    if (path && strcmp(path, target) == 0 && strcmp(perms, "rw-s") == 0) {
      shared_target = 1;
    }
    if (path && strcmp(path, exe) == 0 && perms[2] == 'x') {
      program = 1;
    }
    size_t len = strlen(line);
    if (len >= 7 && strcmp(line + len - 7, "[stack]") == 0) {
      stack = 1;
    }
  }
  printf("%s: maps: the shared file %d, the program's code %d, [stack] %d, any lines %d\n", when,
      shared_target, program, stack, lines > 0);
}

static void show_task(pid_t child, const char *when) {
  DIR *d = opendir(proc(child, "task"));
  if (d == NULL) {
    printf("%s: task: %s\n", when, errname(errno));
    return;
  }
  int count = 0, is_child = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] != '.') {
      count++;
      is_child += atoi(e->d_name) == child;
    }
  }
  closedir(d);
  printf("%s: task: %d entries, the child's pid among them %d\n", when, count, is_child);
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "--child") == 0 && strcmp(argv[2], "park") == 0) {
    return park();
  }
  procs_init();
  char *self = realpath(argv[0], NULL);
  enter_scratch(argc, argv);
  puts("# a child that has exec'd and waits");
  T(mkdir("sub", 0755));
  put("sub/target", "target file");
  char cwd[4096], sub[4200], target[4300];
  getcwd(cwd, sizeof cwd);
  snprintf(sub, sizeof sub, "%s/sub", cwd);
  snprintf(target, sizeof target, "%s/target", sub);

  int ready[2], go[2];
  must_pipe(ready);
  must_pipe(go);
  pid_t child = must_fork();
  if (child == 0) {
    if (dup2(ready[1], READY_FD) != READY_FD || dup2(go[0], GO_FD) != GO_FD) {
      _exit(1);
    }
    for (int fd = 3; fd < 1024; fd++) {
      if (fd != READY_FD && fd != GO_FD) {
        close(fd);
      }
    }
    char *args[] = {self, "--child", "park", "an argument", "", NULL};
    char *env[] = {"A=1", "B=two words", NULL};
    execve(self, args, env);
    _exit(127);
  }
  close(ready[1]);
  close(go[0]);
  pid_t pid = child;
  SAY("ready %d", read(ready[0], &child, sizeof child) == sizeof child);
  char state[1024];
  SAY("blocked (state S) %d", poll_until(slurp(proc(child, "stat"), state, sizeof state) > 0
      && stat_field(state, 3) == 'S'));
  const char *when = "waiting";
  show_stat(child, when);
  show_status(child, when);
  char buf[4096];
  long n = slurp(proc(child, "cmdline"), buf, sizeof buf);
  size_t self_len = strlen(self);
  SAY("%s: cmdline starts with the program's path %d", when,
      n > (long) self_len && strcmp(buf, self) == 0);
  if (n > (long) self_len) {
    show_bytes("waiting: cmdline after it", buf + self_len + 1, n - (long) self_len - 1);
  }
  n = slurp(proc(child, "environ"), buf, sizeof buf);
  show_bytes("waiting: environ", buf, n);
  n = slurp(proc(child, "comm"), buf, sizeof buf);
  show_bytes("waiting: comm", buf, n);
  show_link(child, "exe", self, when);
  show_link(child, "cwd", sub, when);
  show_link(child, "root", "/", when);
  show_fd_dir(child, when);
  char entry[16];
  snprintf(entry, sizeof entry, "fd/%d", TARGET_FD);
  show_link(child, entry, target, when);
  show_maps(child, target, self, when);
  show_task(child, when);

  puts("# the same child as a zombie");
  send_byte(go[1]);
  siginfo_t si;
  T(waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
  when = "zombie";
  show_stat(child, when);
  show_status(child, when);
  n = slurp(proc(child, "cmdline"), buf, sizeof buf);
  SAY("zombie: cmdline %ld bytes", n);
  n = slurp(proc(child, "comm"), buf, sizeof buf);
  show_bytes("zombie: comm", buf, n);
  show_link(child, "exe", self, when);
  show_link(child, "cwd", sub, when);
  show_fd_dir(child, when);
  show_maps(child, target, self, when);
  show_task(child, when);

  puts("# reaped");
  show_reaped("child", pid);
  when = "reaped";
  show_stat(child, when);
  show_link(child, "exe", self, when);
  show_task(child, when);
  close(ready[0]);
  close(go[1]);
  return 0;
}
