/* Process groups and sessions across processes: what a child starts in, setpgid by the parent
 * and by the child with its errors (EPERM across sessions, ESRCH for a non-child, EACCES after
 * the child's execve), setsid and its errors, groups that outlive their leader, kill(-pgid, 0).
 *
 * The program's own group and session are never changed or printed: it may be pid 1 and a
 * session leader (blink-chroot runs it so) or in a group of a pid namespace's parent (getpgrp()
 * is then 0). See procs.h for the rules of the output. */
#include "procs.h"

/* A child blocked on GO until the parent writes to or closes it. */
static pid_t parked_child(int go[2], int code) {
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

/* Lets a parked child go (a byte, not EOF: later children hold copies of the write end). */
static void release(int go[2], pid_t child) {
  send_byte(go[1]);
  close(go[1]);
  reap(child);
}

static void starting_point(void) {
  puts("# a child starts in its parent's group and session");
  pid_t child = must_fork();
  if (child == 0) {
    pid_t parent = getppid();
    printf("child: same group %d, same session %d\n", getpgrp() == getpgid(parent),
        getsid(0) == getsid(parent));
    _exit(0);
  }
  show_reaped("child", child);
}

static void set_groups(void) {
  puts("# setpgid");
  int g1[2], g2[2], g3[2];
  pid_t first = parked_child(g1, 0);
  pid_t second = parked_child(g2, 0);
  T(setpgid(first, 0));
  SAY("first leads its own group %d", getpgid(first) == first);
  T(setpgid(second, first));
  SAY("second joined it %d", getpgid(second) == first);
  T(setpgid(second, second));
  T(setpgid(second, first));
  T(setpgid(second, 999999));
  T(setpgid(-1, 0));
  T(setpgid(0, -1));
  T(getpgid(999999));
  T(getsid(999999));
  T(kill(-first, 0));

  puts("# a group outlives its leader");
  release(g1, first);
  SAY("the leader is gone, the group is not: kill(-pgid, 0) = %d", kill(-first, 0));
  pid_t third = parked_child(g3, 0);
  T(setpgid(third, first));
  SAY("a newcomer can still join %d", getpgid(third) == first);
  release(g2, second);
  release(g3, third);
  T(kill(-first, 0));

  puts("# setpgid of a process that is not a child");
  int report[2], go[2];
  must_pipe(report);
  must_pipe(go);
  pid_t child = must_fork();
  if (child == 0) {
    pid_t grandchild = parked_child(g1, 0);
    if (write(report[1], &grandchild, sizeof grandchild) != sizeof grandchild) {
      _exit(1);
    }
    await_byte(go[0]);
    release(g1, grandchild);
    _exit(0);
  }
  pid_t grandchild = 0;
  if (read(report[0], &grandchild, sizeof grandchild) != sizeof grandchild) {
    SAY("no report");
  }
  T(setpgid(grandchild, 0));
  T(getpgid(grandchild) == getpgid(child));
  send_byte(go[1]);
  show_reaped("child", child);
  close(report[0]);
  close(report[1]);
  close(go[0]);
  close(go[1]);
}

static void new_sessions(void) {
  puts("# setsid in a child");
  int report[2], go[2];
  must_pipe(report);
  must_pipe(go);
  pid_t leader = must_fork();
  if (leader == 0) {
    pid_t me = getpid();
    printf("child: setsid returned its pid %d\n", setsid() == me);
    printf("child: group %d and session %d are its pid\n", getpgrp() == me, getsid(0) == me);
    T(open("/dev/tty", O_RDWR));
    T(setsid());
    T(setpgid(0, 0));
    pid_t member = must_fork();
    if (member == 0) {
      printf("grandchild: in the new session %d and group %d\n", getsid(0) == me,
          getpgrp() == me);
      T(setpgid(0, 0));
      printf("grandchild: now leads a group of the new session %d\n",
          getpgrp() == getpid() && getsid(0) == me);
      T(setpgid(0, me));
      _exit(0);
    }
    show_reaped("grandchild", member);
    if (write(report[1], "x", 1) != 1) {
      _exit(1);
    }
    await_byte(go[0]);
    _exit(0);
  }
  await_byte(report[0]);
  SAY("parent: the child's session and group are its pid %d %d", getsid(leader) == leader,
      getpgid(leader) == leader);
  T(setpgid(leader, leader));
  T(setpgid(leader, 0));
  send_byte(go[1]);
  show_reaped("child", leader);
  close(go[0]);
  close(go[1]);
  close(report[0]);
  close(report[1]);
  SAY("after its end: %s", getsid(leader) < 0 ? errname(errno) : "still there");

  puts("# setsid of a group leader, and joining a group of another session");
  int g[2];
  pid_t group = parked_child(g, 0);
  T(setpgid(group, group));
  pid_t child = must_fork();
  if (child == 0) {
    T(setpgid(0, 0));
    T(setsid());
    _exit(0);
  }
  show_reaped("child", child);
  child = must_fork();
  if (child == 0) {
    T(setsid() == getpid());
    pid_t inner = must_fork();
    if (inner == 0) {
      T(setpgid(0, group));
      _exit(0);
    }
    show_reaped("grandchild", inner);
    _exit(0);
  }
  show_reaped("child", child);
  release(g, group);
}

static void after_exec(const char *self) {
  puts("# setpgid after the child's execve");
  int ready[2], go[2];
  must_pipe(ready);
  must_pipe(go);
  char ready_fd[16], go_fd[16];
  snprintf(ready_fd, sizeof ready_fd, "%d", ready[1]);
  snprintf(go_fd, sizeof go_fd, "%d", go[0]);
  pid_t child = must_fork();
  if (child == 0) {
    char *args[] = {(char *) self, "--child", ready_fd, go_fd, NULL};
    execv(self, args);
    _exit(127);
  }
  close(ready[1]);
  close(go[0]);
  SAY("the child has exec'd %d", await_byte(ready[0]) == 1);
  T(setpgid(child, child));
  T(getpgid(child) == child);
  send_byte(go[1]);
  show_reaped("child", child);
  close(go[1]);
  close(ready[0]);
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "--child") == 0) {
    /* After execve: say so on the first descriptor, wait on the second. */
    send_byte(atoi(argv[2]));
    await_byte(atoi(argv[3]));
    return 0;
  }
  procs_init();
  char *self = realpath(argv[0], NULL);
  enter_scratch(argc, argv);
  starting_point();
  set_groups();
  new_sessions();
  after_exec(self);
  return 0;
}
