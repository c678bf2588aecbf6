/* clone(2) and clone3(2) making processes (threads are another program's): the exit signal
 * (SIGCHLD, none, another one) and __WCLONE/__WALL, CLONE_PARENT, CLONE_PARENT_SETTID,
 * CLONE_CHILD_SETTID, CLONE_CHILD_CLEARTID (with CLONE_VM) and its futex wake, CLONE_SETTLS,
 * CLONE_VFORK with and without CLONE_VM, and the flag combinations Linux refuses with EINVAL
 * (or E2BIG).
 *
 * The calls are made by raw_clone below, not by libc's clone(): musl's wrapper refuses some of
 * these flags and glibc's does not, and a child must not run libc code that trusts thread
 * state clone did not set up. See procs.h for the rules of the output. */
#include "procs.h"
#include <sys/ioctl.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef __WCLONE
#define __WCLONE 0x80000000
#endif
#ifndef __WALL
#define __WALL 0x40000000
#endif
#define ARCH_GET_FS 0x1003
#define FUTEX_WAIT 0

/* Linux's struct clone_args (include/uapi/linux/sched.h), spelled out: musl-gcc has no kernel
 * headers. */
struct clone3_args {
  uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
  uint64_t set_tid, set_tid_size, cgroup;
  uint64_t beyond; /* bytes past the version 2 layout, for the size checks */
};
#define CLONE_ARGS_SIZE_VER0 64
#define CLONE_ARGS_SIZE_VER2 88

typedef int (*child_fn)(void *);

/*
 * System call NR (clone or clone3) with arguments A1..A5. In the child (the call returned 0) it
 * calls FN(ARG) on the stack the kernel gave it (the new one, or its copy of ours, below the red
 * zone) and ends with exit(FN's result), never returning here. In the parent it returns what the
 * call returned: the child's pid or -errno.
 */
static long raw_clone(long nr, long a1, long a2, long a3, long a4, long a5, child_fn fn,
    void *arg) {
  long ret;
  register long r10 __asm__("r10") = a4;
  register long r8 __asm__("r8") = a5;
  register long r12 __asm__("r12") = (long) fn;
  register long r13 __asm__("r13") = (long) arg;
  __asm__ volatile(
      "syscall\n\t"
      "test %%rax, %%rax\n\t"
      "jnz 1f\n\t"
      "sub $128, %%rsp\n\t"
      "and $-16, %%rsp\n\t"
      "xor %%ebp, %%ebp\n\t"
      "mov %%r13, %%rdi\n\t"
      "call *%%r12\n\t"
      "mov %%eax, %%edi\n\t"
      "mov $60, %%eax\n\t"
      "syscall\n\t"
      "hlt\n"
      "1:"
      : "=a"(ret)
      : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r12), "r"(r13)
      : "rcx", "r11", "memory");
  return ret;
}

/* clone(FLAGS, STACK_TOP, PTID, CTID, TLS), the x86-64 argument order. */
static long do_clone(unsigned long flags, void *stack_top, pid_t *ptid, pid_t *ctid, void *tls,
    child_fn fn, void *arg) {
  return raw_clone(SYS_clone, (long) flags, (long) stack_top, (long) ptid, (long) ctid,
      (long) tls, fn, arg);
}

static long do_clone3(struct clone3_args *args, long size, child_fn fn, void *arg) {
  return raw_clone(SYS_clone3, (long) args, size, 0, 0, 0, fn, arg);
}

/* "= -1 EINVAL", "= a child", as T prints. */
static void show_clone(const char *text, long r) {
  if (r < 0) {
    printf("%s = -1 %s\n", text, errname((int) -r));
  } else {
    printf("%s = a child (", text);
    int status;
    pid_t w = waitpid((pid_t) r, &status, __WALL);
    printf("%s)\n", w == r ? status_text(status) : "not reaped");
  }
}

/* A clone meant to succeed: its pid, or the end of the program with the errno (what follows
 * needs the child). */
static long must_clone(const char *what, long r) {
  if (r < 0) {
    printf("%s = -1 %s\n", what, errname((int) -r));
    exit(1);
  }
  return r;
}

static long clone_child(unsigned long flags, void *stack_top, pid_t *ptid, pid_t *ctid,
    void *tls, child_fn fn, void *arg) {
  return must_clone("clone", do_clone(flags, stack_top, ptid, ctid, tls, fn, arg));
}

static long clone3_child(struct clone3_args *args, long size, child_fn fn, void *arg) {
  return must_clone("clone3", do_clone3(args, size, fn, arg));
}

static int exits_with(void *code) {
  return (int) (long) code;
}

static char stack_area[256 * 1024] __attribute__((aligned(16)));
static void *stack_top(int slot) {
  return stack_area + (slot + 1) * 64 * 1024;
}

static void exit_signals(void) {
  puts("# the exit signal: SIGCHLD, none, SIGUSR1");
  long child = clone_child(SIGCHLD, NULL, NULL, NULL, NULL, exits_with, (void *) 9);
  SAY("clone(SIGCHLD) made a child %d", child > 0);
  show_reaped("waitpid", (pid_t) child);

  sigset_t both, pending;
  sigemptyset(&both);
  sigaddset(&both, SIGCHLD);
  sigaddset(&both, SIGUSR1);
  sigprocmask(SIG_BLOCK, &both, NULL);
  struct timespec zero = {0, 0};
  while (sigtimedwait(&both, NULL, &zero) > 0) {
  }

  child = clone_child(0, NULL, NULL, NULL, NULL, exits_with, (void *) 10);
  SAY("clone(0) made a child %d", child > 0);
  int status;
  T(waitpid((pid_t) child, &status, 0));
  T(waitpid((pid_t) child, &status, __WCLONE) == child);
  SAY("status: %s", status_text(status));
  sigpending(&pending);
  SAY("then pending: SIGCHLD %d SIGUSR1 %d", sigismember(&pending, SIGCHLD),
      sigismember(&pending, SIGUSR1));

  child = clone_child(SIGUSR1, NULL, NULL, NULL, NULL, exits_with, (void *) 11);
  SAY("clone(SIGUSR1) made a child %d", child > 0);
  T(waitpid((pid_t) child, &status, WNOHANG));
  T(waitpid((pid_t) child, &status, __WALL) == child);
  SAY("status: %s", status_text(status));
  sigpending(&pending);
  SAY("then pending: SIGCHLD %d SIGUSR1 %d", sigismember(&pending, SIGCHLD),
      sigismember(&pending, SIGUSR1));
  while (sigtimedwait(&both, NULL, &zero) > 0) {
  }
  sigprocmask(SIG_UNBLOCK, &both, NULL);
}

static int report_ppid(void *fd) {
  tell((int) (long) fd, "%d", (int) getppid());
  return 12;
}

static void clone_parent(void) {
  puts("# CLONE_PARENT: a sibling, not a child");
  int from_sibling[2], from_middle[2];
  must_pipe(from_sibling);
  must_pipe(from_middle);
  pid_t top = getpid();
  pid_t middle = must_fork();
  if (middle == 0) {
    long sibling = clone_child(CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, NULL, report_ppid,
        (void *) (long) from_sibling[1]);
    int status;
    pid_t w = waitpid((pid_t) sibling, &status, __WALL);
    tell(from_middle[1], "middle: cannot wait for its sibling: %s",
        w < 0 ? errname(errno) : "it can");
    if (write(from_middle[1], &sibling, sizeof sibling) != sizeof sibling) {
      _exit(1);
    }
    _exit(0);
  }
  show_reaped("middle", middle);
  close(from_middle[1]);
  char buf[256];
  long n = read(from_middle[0], buf, sizeof buf);
  long sibling;
  if (n <= (long) sizeof sibling) {
    SAY("no report from the middle process");
    exit(1);
  }
  memcpy(&sibling, buf + n - sizeof sibling, sizeof sibling);
  fwrite(buf, 1, n - sizeof sibling, stdout);
  show_reaped("top reaps the sibling", (pid_t) sibling);
  close(from_sibling[1]);
  n = read(from_sibling[0], buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = 0;
  SAY("the sibling's parent was the top process %d", atoi(buf) == top);
  close(from_sibling[0]);
  close(from_middle[0]);
}

static void parent_settid(void) {
  puts("# CLONE_PARENT_SETTID: in the parent's memory");
  static pid_t ptid;
  ptid = 0;
  int p[2];
  must_pipe(p);
  long child = clone_child(CLONE_PARENT_SETTID | SIGCHLD, NULL, &ptid, NULL, NULL, report_ppid,
      (void *) (long) p[1]);
  SAY("ptid is the child's pid %d", child > 0 && ptid == child);
  show_reaped("child", (pid_t) child);
  close(p[0]);
  close(p[1]);
}

static pid_t settid_word;
static int check_child_settid(void *unused) {
  (void) unused;
  return settid_word == syscall(SYS_gettid) ? 0 : 1;
}

static void child_settid(void) {
  puts("# CLONE_CHILD_SETTID: in the child's memory");
  settid_word = 0;
  long child = clone_child(CLONE_CHILD_SETTID | SIGCHLD, NULL, NULL, &settid_word, NULL,
      check_child_settid, NULL);
  show_reaped("child found its tid there (0 = yes)", (pid_t) child);
  SAY("the parent's copy is untouched %d", settid_word == 0);
}

static int wait_for_go(void *fd) {
  return await_byte((int) (long) fd) == 1 ? 13 : 14;
}

/* Waits until *WORD is 0 with FUTEX_WAIT: 1 if it got there within 20 s. */
static int futex_wait_cleared(volatile pid_t *word) {
  for (int i = 0; i < 200; i++) {
    pid_t v = *word;
    if (v == 0) {
      return 1;
    }
    struct timespec t = {0, 100000000};
    syscall(SYS_futex, word, FUTEX_WAIT, v, &t, NULL, 0);
  }
  return *word == 0;
}

static void child_cleartid(void) {
  puts("# CLONE_CHILD_SETTID in a shared page, CLONE_CHILD_CLEARTID with CLONE_VM");
  int go[2];
  must_pipe(go);
  /* Without CLONE_VM the parent sees the child's word only through a shared page, as in
   * glibc's fork. (Linux clears it at exit only when the memory is shared: not tested, as a
   * reader of /proc/PID/ holding the child's memory changes that.) */
  volatile pid_t *word =
      mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  *word = 0;
  long child = clone_child(CLONE_CHILD_SETTID | SIGCHLD, NULL, NULL, (pid_t *) word, NULL,
      wait_for_go, (void *) (long) go[0]);
  SAY("set to the child's pid, seen through the shared page %d",
      poll_until(*word == (pid_t) child));
  send_byte(go[1]);
  show_reaped("child", (pid_t) child);
  munmap((void *) word, 4096);

  static volatile pid_t tid_word;
  tid_word = 0;
  child = clone_child(CLONE_VM | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD,
      stack_top(0), NULL, (pid_t *) &tid_word, NULL, wait_for_go, (void *) (long) go[0]);
  SAY("with CLONE_VM: set %d", poll_until(tid_word == (pid_t) child));
  send_byte(go[1]);
  SAY("with CLONE_VM: cleared and woken at the child's exit %d", futex_wait_cleared(&tid_word));
  show_reaped("child", (pid_t) child);
  close(go[0]);
  close(go[1]);
}

/* A thread control block for the child: a copy of ours (so a stack-protector canary still
 * matches) whose self pointer is its own, with a marker at offset 128. */
static long fake_tcb[32] __attribute__((aligned(64)));

static int read_tls(void *unused) {
  (void) unused;
  long marker, self, base;
  __asm__ volatile("mov %%fs:128, %0" : "=r"(marker));
  __asm__ volatile("mov %%fs:0, %0" : "=r"(self));
  long r;
  __asm__ volatile("syscall"
                   : "=a"(r)
                   : "a"(SYS_arch_prctl), "D"(ARCH_GET_FS), "S"(&base)
                   : "rcx", "r11", "memory");
  return (marker == 0x5eed ? 1 : 0) | (self == (long) fake_tcb ? 2 : 0)
      | (r == 0 && base == (long) fake_tcb ? 4 : 0);
}

static void settls(void) {
  puts("# CLONE_SETTLS");
  long *real;
  __asm__ volatile("mov %%fs:0, %0" : "=r"(real));
  memcpy(fake_tcb, real, 16 * sizeof(long));
  fake_tcb[0] = (long) fake_tcb;
  fake_tcb[16] = 0x5eed;
  long child = clone_child(CLONE_SETTLS | SIGCHLD, NULL, NULL, NULL, fake_tcb, read_tls, NULL);
  show_reaped("child read its marker, self pointer and fs base (7 = all)", (pid_t) child);
  long *after;
  __asm__ volatile("mov %%fs:0, %0" : "=r"(after));
  SAY("the parent's TLS is its own %d", after == real);
}

static volatile int vfork_store;
static int slow_store(void *fd) {
  sleep_ms(100);
  vfork_store = 1;
  if (fd != NULL) {
    tell((int) (long) fd, "written before exit");
  }
  return 15;
}

static void clone_vfork(void) {
  puts("# CLONE_VFORK: the parent waits for the child's exit");
  int p[2];
  must_pipe(p);
  long child = clone_child(CLONE_VFORK | SIGCHLD, NULL, NULL, NULL, NULL, slow_store,
      (void *) (long) p[1]);
  int avail = 0;
  ioctl(p[0], FIONREAD, &avail);
  SAY("without CLONE_VM: the child's write was there when clone returned %d", avail > 0);
  SAY("and its store was its own %d", vfork_store == 0);
  show_reaped("child", (pid_t) child);
  vfork_store = 0;
  child = clone_child(CLONE_VM | CLONE_VFORK | SIGCHLD, stack_top(1), NULL, NULL, NULL,
      slow_store, NULL);
  SAY("with CLONE_VM: the child's store was there when clone returned %d", vfork_store == 1);
  show_reaped("child", (pid_t) child);
  close(p[0]);
  close(p[1]);
}

static void clone_einval(void) {
  puts("# clone: refused flag combinations");
  show_clone("CLONE_THREAD without CLONE_SIGHAND",
      do_clone(CLONE_THREAD | CLONE_VM, stack_top(2), NULL, NULL, NULL, exits_with, 0));
  show_clone("CLONE_SIGHAND without CLONE_VM",
      do_clone(CLONE_SIGHAND | SIGCHLD, NULL, NULL, NULL, NULL, exits_with, 0));
  show_clone("CLONE_NEWNS with CLONE_FS",
      do_clone(CLONE_NEWNS | CLONE_FS | SIGCHLD, NULL, NULL, NULL, NULL, exits_with, 0));
  show_clone("CLONE_NEWUSER with CLONE_FS",
      do_clone(CLONE_NEWUSER | CLONE_FS | SIGCHLD, NULL, NULL, NULL, NULL, exits_with, 0));
  pid_t slot = 0;
  show_clone("CLONE_PIDFD with CLONE_PARENT_SETTID", do_clone(CLONE_PIDFD | CLONE_PARENT_SETTID
      | SIGCHLD, NULL, &slot, NULL, NULL, exits_with, 0));
}

static void clone3_calls(void) {
  puts("# clone3");
  struct clone3_args a;
  memset(&a, 0, sizeof a);
  a.exit_signal = SIGCHLD;
  long child = clone3_child(&a, CLONE_ARGS_SIZE_VER0, exits_with, (void *) 16);
  SAY("version 0 size made a child %d", child > 0);
  show_reaped("child", (pid_t) child);

  pid_t ptid = 0;
  memset(&a, 0, sizeof a);
  a.flags = CLONE_PARENT_SETTID;
  a.parent_tid = (uintptr_t) &ptid;
  a.exit_signal = SIGCHLD;
  child = clone3_child(&a, CLONE_ARGS_SIZE_VER2, exits_with, (void *) 17);
  SAY("CLONE_PARENT_SETTID: ptid is the child's pid %d", child > 0 && ptid == child);
  show_reaped("child", (pid_t) child);

  memset(&a, 0, sizeof a);
  a.flags = CLONE_VM | CLONE_VFORK;
  a.exit_signal = SIGCHLD;
  a.stack = (uintptr_t) stack_top(1) - 64 * 1024;
  a.stack_size = 64 * 1024;
  vfork_store = 0;
  child = clone3_child(&a, CLONE_ARGS_SIZE_VER0, slow_store, NULL);
  SAY("CLONE_VM|CLONE_VFORK with a stack: the child's store was there %d", vfork_store == 1);
  show_reaped("child", (pid_t) child);

  memset(&a, 0, sizeof a);
  child = clone3_child(&a, CLONE_ARGS_SIZE_VER0, exits_with, (void *) 18);
  int status;
  T(waitpid((pid_t) child, &status, 0));
  T(waitpid((pid_t) child, &status, __WCLONE) == child);
  SAY("no exit signal: %s", status_text(status));

  memset(&a, 0, sizeof a);
  a.exit_signal = SIGCHLD;
  child = clone3_child(&a, sizeof a, exits_with, (void *) 19);
  SAY("a larger size with zeros past the known fields made a child %d", child > 0);
  show_reaped("child", (pid_t) child);

  puts("# clone3: refused arguments");
  memset(&a, 0, sizeof a);
  a.exit_signal = SIGCHLD;
  show_clone("size 32", do_clone3(&a, 32, exits_with, 0));
  show_clone("size 4097", do_clone3(&a, 4097, exits_with, 0));
  a.beyond = 1;
  show_clone("non-zero bytes past the known fields", do_clone3(&a, sizeof a, exits_with, 0));
  a.beyond = 0;
  a.flags = 1ULL << 40;
  show_clone("an unknown flag", do_clone3(&a, CLONE_ARGS_SIZE_VER0, exits_with, 0));
  a.flags = 0;
  a.exit_signal = 65;
  show_clone("exit signal 65", do_clone3(&a, CLONE_ARGS_SIZE_VER0, exits_with, 0));
  a.exit_signal = SIGCHLD;
  a.stack = (uintptr_t) stack_area;
  show_clone("a stack of size 0", do_clone3(&a, CLONE_ARGS_SIZE_VER0, exits_with, 0));
  a.stack = 0;
  a.flags = CLONE_SIGHAND;
  show_clone("CLONE_SIGHAND without CLONE_VM", do_clone3(&a, CLONE_ARGS_SIZE_VER0, exits_with,
      0));
  T(waitpid(-1, NULL, __WALL | WNOHANG));
}

int main(int argc, char **argv) {
  procs_init();
  enter_scratch(argc, argv);
  exit_signals();
  clone_parent();
  parent_settid();
  child_settid();
  child_cleartid();
  settls();
  clone_vfork();
  clone_einval();
  clone3_calls();
  return 0;
}
