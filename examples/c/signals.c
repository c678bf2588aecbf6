/* Signal generation and a process's signal state: sigaction and its errors, kill(pid, 0)
 * probes, the siginfo of kill, tgkill, raise and sigqueue (si_code, si_value, si_pid, si_uid),
 * rt_sigqueueinfo's EPERM, sigprocmask and sigpending, standard signals coalesced and real-time
 * signals queued in order with their values, the order of several pending signals, SIG_IGN
 * discarding a pending signal, SA_RESETHAND, SA_NODEFER, sigsuspend, sigtimedwait and
 * sigwaitinfo, signals to a process group, and SIGKILL, which nothing catches. See sigs.h for
 * the rules of the output. */
#include "sigs.h"
#include <limits.h>

static void dispositions(void) {
  puts("# sigaction");
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = note_handler;
  T(sigaction(SIGKILL, &sa, NULL));
  T(sigaction(SIGSTOP, &sa, NULL));
  T(sigaction(0, &sa, NULL));
  T(sigaction(65, &sa, NULL));
  T(sigaction(SIGKILL, NULL, &old));
  SAY("SIGKILL's action can be read: SIG_DFL %d", old.sa_handler == SIG_DFL);
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGUSR2);
  sigaddset(&sa.sa_mask, SIGKILL);
  T(sigaction(SIGUSR1, &sa, NULL));
  memset(&old, 0, sizeof old);
  T(sigaction(SIGUSR1, NULL, &old));
  SAY("read back: our handler %d, SA_RESTART %d, sa_mask %s", old.sa_handler == note_handler,
      (old.sa_flags & SA_RESTART) != 0, set_text(&old.sa_mask));
  SAY("signal() returns the previous handler: %d", signal(SIGUSR1, SIG_DFL) == note_handler);
  errno = 0;
  int failed = signal(SIGKILL, SIG_IGN) == SIG_ERR;
  SAY("signal(SIGKILL) fails: %d %s", failed, errname(errno));
}

static void probes(void) {
  puts("# kill(pid, 0) probes");
  T(kill(getpid(), 0));
  T(kill(getpid(), 65));
  T(kill(getpid(), -1));
  int go[2];
  must_pipe(go);
  pid_t child = must_fork();
  if (child == 0) {
    await_byte(go[0]);
    _exit(0);
  }
  close(go[0]);
  T(kill(child, 0));
  send_byte(go[1]);
  siginfo_t si;
  T(waitid(P_PID, child, &si, WEXITED | WNOWAIT));
  SAY("a zombie can be probed: %ld", (long) kill(child, 0));
  reap_within(child);
  T(kill(child, 0));
  T(kill(-child, 0));
  T(kill(INT_MAX, 0));
  close(go[1]);
}

static siginfo_t last_info;
static volatile sig_atomic_t infos;

static void info_handler(int sig, siginfo_t *si, void *uc) {
  (void) uc;
  (void) sig;
  last_info = *si;
  infos = infos + 1;
}

static void show_info(const char *label, pid_t sender) {
  SAY("%s: runs %d, si_signo %s, si_code %s, si_pid is the sender %d, si_uid is ours %d", label,
      (int) infos, sigtext(last_info.si_signo), code_text(last_info.si_signo,
      last_info.si_code), last_info.si_pid == sender, last_info.si_uid == getuid());
  infos = 0;
}

static void siginfo_of_senders(void) {
  puts("# the siginfo of each way to send");
  on(SIGUSR1, info_handler, SA_SIGINFO);
  on(SIGRTMIN, info_handler, SA_SIGINFO);
  T(kill(getpid(), SIGUSR1));
  show_info("kill", getpid());
  T(syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1));
  show_info("tgkill", getpid());
  T(syscall(SYS_tkill, syscall(SYS_gettid), SIGUSR1));
  show_info("tkill", getpid());
  T(raise(SIGUSR1));
  show_info("raise", getpid());
  T(sigqueue(getpid(), SIGUSR1, (union sigval) {.sival_int = 42}));
  show_info("sigqueue", getpid());
  SAY("si_value %d", last_info.si_value.sival_int);
  T(sigqueue(getpid(), SIGRTMIN, (union sigval) {.sival_int = -7}));
  show_info("sigqueue SIGRTMIN", getpid());
  SAY("si_value %d", last_info.si_value.sival_int);

  puts("# from a child");
  pid_t child = must_fork();
  if (child == 0) {
    sigqueue(getppid(), SIGRTMIN, (union sigval) {.sival_int = 1234});
    _exit(0);
  }
  within(infos);
  show_info("sigqueue from a child", child);
  SAY("si_value %d", last_info.si_value.sival_int);
  reap_within(child);

  puts("# rt_sigqueueinfo: any si_code to oneself, only negative ones to another process");
  siginfo_t si;
  memset(&si, 0, sizeof si);
  si.si_signo = SIGUSR1;
  si.si_code = SI_USER;
  si.si_pid = 77;
  si.si_uid = 78;
  si.si_value.sival_int = 79;
  T(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si));
  SAY("runs %d, si_code %s, si_pid %d, si_uid %d (as given)", (int) infos,
      code_text(SIGUSR1, last_info.si_code), (int) last_info.si_pid, (int) last_info.si_uid);
  infos = 0;
  int go[2];
  must_pipe(go);
  child = must_fork();
  if (child == 0) {
    await_byte(go[0]);
    _exit(0);
  }
  close(go[0]);
  T(syscall(SYS_rt_sigqueueinfo, child, SIGUSR1, &si));
  si.si_code = SI_TKILL;
  T(syscall(SYS_rt_sigqueueinfo, child, SIGUSR1, &si));
  si.si_code = SI_KERNEL;
  T(syscall(SYS_rt_sigqueueinfo, child, SIGUSR1, &si));
  send_byte(go[1]);
  close(go[1]);
  show_end("the child", child);
  on(SIGUSR1, SIG_DFL, 0);
  on(SIGRTMIN, SIG_DFL, 0);
}

static void mask_and_pending(void) {
  puts("# sigprocmask and sigpending");
  on(SIGUSR1, note_handler, 0);
  on(SIGUSR2, note_handler, 0);
  sigset_t all, old, now;
  sigfillset(&all);
  T(sigprocmask(SIG_SETMASK, &all, &old));
  SAY("before: %s", set_text(&old));
  T(sigprocmask(SIG_BLOCK, NULL, &now));
  SAY("SIGKILL blocked %d, SIGSTOP blocked %d, SIGUSR1 blocked %d", sigismember(&now, SIGKILL),
      sigismember(&now, SIGSTOP), sigismember(&now, SIGUSR1));
  T(sigprocmask(3, &all, NULL));
  T(sigprocmask(-1, NULL, &now));
  T(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &now, 4));
  T(sigprocmask(SIG_SETMASK, &old, NULL));

  mask(SIG_BLOCK, SIGUSR1, 0);
  T(kill(getpid(), SIGUSR1));
  T(kill(getpid(), SIGUSR1));
  T(kill(getpid(), SIGUSR1));
  SAY("pending: %s; handler runs so far %d", pending_text(), (int) notes_n);
  mask(SIG_UNBLOCK, SIGUSR1, 0);
  notes_print("three blocked SIGUSR1 became", 0);
  SAY("pending: %s", pending_text());
  /* kill queues for the process, raise (tgkill) for the thread: two pending sets, each of
   * which holds a standard signal once. */
  mask(SIG_BLOCK, SIGUSR1, 0);
  T(kill(getpid(), SIGUSR1));
  T(raise(SIGUSR1));
  T(raise(SIGUSR1));
  T(kill(getpid(), SIGUSR1));
  SAY("pending: %s", pending_text());
  mask(SIG_UNBLOCK, SIGUSR1, 0);
  notes_print("two from kill and two from raise became", 0);

  puts("# SIG_IGN discards a pending signal; a blocked signal is pending even when ignored");
  on(SIGUSR2, SIG_IGN, 0);
  mask(SIG_BLOCK, SIGUSR2, 0);
  T(raise(SIGUSR2));
  SAY("blocked and ignored: pending %s", pending_text());
  on(SIGUSR2, note_handler, 0);
  SAY("after a handler was set: pending %s", pending_text());
  on(SIGUSR2, SIG_IGN, 0);
  SAY("after SIG_IGN again: pending %s", pending_text());
  on(SIGUSR2, note_handler, 0);
  mask(SIG_UNBLOCK, SIGUSR2, 0);
  notes_print("unblocked", 0);
  on(SIGUSR1, SIG_DFL, 0);
  on(SIGUSR2, SIG_DFL, 0);
}

static void queued_and_coalesced(void) {
  puts("# real-time signals queue in order with their values; standard signals coalesce");
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = note_value_handler;
  sa.sa_flags = SA_SIGINFO;
  sigfillset(&sa.sa_mask); /* one handler at a time: the order is that of delivery */
  int sigs[] = {SIGUSR1, SIGUSR2, SIGRTMIN, SIGRTMIN + 1, SIGRTMAX};
  for (int i = 0; i < 5; i++) {
    sigaction(sigs[i], &sa, NULL);
  }
  mask(SIG_BLOCK, SIGUSR1, SIGUSR2, SIGRTMIN, SIGRTMIN + 1, SIGRTMAX, 0);
  sigqueue(getpid(), SIGRTMAX, (union sigval) {.sival_int = 100});
  sigqueue(getpid(), SIGRTMIN + 1, (union sigval) {.sival_int = 10});
  for (int v = 1; v <= 3; v++) {
    sigqueue(getpid(), SIGRTMIN, (union sigval) {.sival_int = v});
  }
  sigqueue(getpid(), SIGRTMIN + 1, (union sigval) {.sival_int = 11});
  sigqueue(getpid(), SIGUSR2, (union sigval) {.sival_int = 20});
  sigqueue(getpid(), SIGUSR2, (union sigval) {.sival_int = 21});
  sigqueue(getpid(), SIGUSR1, (union sigval) {.sival_int = 30});
  sigqueue(getpid(), SIGUSR1, (union sigval) {.sival_int = 31});
  SAY("pending: %s", pending_text());
  mask(SIG_UNBLOCK, SIGUSR1, SIGUSR2, SIGRTMIN, SIGRTMIN + 1, SIGRTMAX, 0);
  notes_print("delivered, lowest number first", 1);

  puts("# several pending signals unblocked at once, handlers that block nothing else");
  /* Linux sets up a frame for each deliverable signal before returning to user mode, the
   * lowest number first; each frame goes on top of the last, so the handler of the highest
   * signal runs first. A handler's own signal stays blocked while it runs. */
  for (int i = 0; i < 5; i++) {
    on(sigs[i], note_value_handler, SA_SIGINFO);
  }
  mask(SIG_BLOCK, SIGUSR1, SIGUSR2, SIGRTMIN, SIGRTMIN + 1, SIGRTMAX, 0);
  sigqueue(getpid(), SIGRTMIN + 1, (union sigval) {.sival_int = 10});
  sigqueue(getpid(), SIGRTMIN, (union sigval) {.sival_int = 1});
  sigqueue(getpid(), SIGRTMIN, (union sigval) {.sival_int = 2});
  sigqueue(getpid(), SIGUSR2, (union sigval) {.sival_int = 20});
  sigqueue(getpid(), SIGUSR1, (union sigval) {.sival_int = 30});
  mask(SIG_UNBLOCK, SIGUSR1, SIGUSR2, SIGRTMIN, SIGRTMIN + 1, SIGRTMAX, 0);
  notes_print("handlers ran in the order", 1);
  for (int i = 0; i < 5; i++) {
    on(sigs[i], SIG_DFL, 0);
  }
}

static volatile sig_atomic_t depth, max_depth, runs;
static volatile int blocked_inside;

static void nesting_handler(int sig) {
  depth = depth + 1;
  if (depth > max_depth) {
    max_depth = depth;
  }
  runs = runs + 1;
  blocked_inside = is_blocked(sig);
  note(sig, depth);
  if (runs == 1) {
    raise(sig); /* again, from inside */
  }
  note(sig, -depth);
  depth = depth - 1;
}

/* Notes which of SIGUSR1, SIGUSR2 and SIGTERM are blocked while it runs, as bits 1, 2, 4. */
static void mask_probe_handler(int sig) {
  note(sig, is_blocked(SIGUSR1) | is_blocked(SIGUSR2) << 1 | is_blocked(SIGTERM) << 2);
}

static void handler_flags(void) {
  puts("# a handler's own signal is blocked while it runs, unless SA_NODEFER");
  on(SIGUSR1, nesting_handler, 0);
  runs = max_depth = 0;
  T(raise(SIGUSR1));
  SAY("runs %d, deepest %d, blocked inside %d", (int) runs, (int) max_depth, blocked_inside);
  notes_print("enter:depth, leave:-depth", 1);
  on(SIGUSR1, nesting_handler, SA_NODEFER);
  runs = max_depth = 0;
  T(raise(SIGUSR1));
  SAY("SA_NODEFER: runs %d, deepest %d, blocked inside %d", (int) runs, (int) max_depth,
      blocked_inside);
  notes_print("enter:depth, leave:-depth", 1);

  puts("# SA_RESETHAND: the handler runs once, then the action is SIG_DFL");
  on(SIGUSR2, note_handler, SA_RESETHAND);
  T(raise(SIGUSR2));
  notes_print("ran", 0);
  struct sigaction now;
  T(sigaction(SIGUSR2, NULL, &now));
  SAY("SIG_DFL now %d, SA_RESETHAND still set %d", now.sa_handler == SIG_DFL,
      (now.sa_flags & SA_RESETHAND) != 0);
  on(SIGUSR1, nesting_handler, SA_RESETHAND);
  runs = max_depth = 0;
  /* The second raise, from inside, meets SIG_DFL: in a child, since it kills. */
  pid_t child = must_fork();
  if (child == 0) {
    raise(SIGUSR1);
    _exit(0);
  }
  show_end("SA_RESETHAND handler raising its signal again", child);
  on(SIGUSR1, SIG_DFL, 0);

  puts("# sa_mask is added to the mask while the handler runs, and the mask restored after");
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = mask_probe_handler;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGUSR2);
  sigaction(SIGUSR1, &sa, NULL);
  T(raise(SIGUSR1));
  notes_print("inside, blocked were (1 SIGUSR1, 2 SIGUSR2, 4 SIGTERM)", 1);
  SAY("after: SIGUSR1 blocked %d, SIGUSR2 blocked %d", is_blocked(SIGUSR1), is_blocked(SIGUSR2));
  on(SIGUSR1, mask_probe_handler, SA_RESETHAND);
  T(raise(SIGUSR1));
  notes_print("SA_RESETHAND: inside, blocked were", 1);
  on(SIGUSR1, mask_probe_handler, SA_NODEFER);
  T(raise(SIGUSR1));
  notes_print("SA_NODEFER: inside, blocked were", 1);
  on(SIGUSR1, SIG_DFL, 0);
}

static void suspend(void) {
  puts("# sigsuspend");
  if (!delivery_works()) {
    puts("(skipped: signals are not delivered, sigsuspend would never return)");
    return;
  }
  on(SIGUSR1, note_handler, 0);
  on(SIGUSR2, note_handler, 0);
  mask(SIG_BLOCK, SIGUSR1, SIGUSR2, 0);
  int go[2];
  must_pipe(go);
  pid_t child = must_fork();
  if (child == 0) {
    await_byte(go[0]);
    kill(getppid(), SIGUSR1);
    _exit(0);
  }
  close(go[0]);
  send_byte(go[1]);
  sigset_t only_usr2;
  sigemptyset(&only_usr2);
  sigaddset(&only_usr2, SIGUSR2);
  T(sigsuspend(&only_usr2));
  notes_print("handled during sigsuspend", 0);
  SAY("mask restored: SIGUSR1 blocked %d, SIGUSR2 blocked %d", is_blocked(SIGUSR1),
      is_blocked(SIGUSR2));
  reap_within(child);
  close(go[1]);

  /* Pending before the call: sigsuspend returns at once. */
  T(raise(SIGUSR1));
  T(raise(SIGUSR2));
  T(sigsuspend(&only_usr2));
  notes_print("already pending, handled by sigsuspend", 0);
  SAY("still pending: %s", pending_text());
  mask(SIG_UNBLOCK, SIGUSR1, SIGUSR2, 0);
  notes_print("after unblocking", 0);
  on(SIGUSR1, SIG_DFL, 0);
  on(SIGUSR2, SIG_DFL, 0);
}

static void timed_wait(void) {
  puts("# sigtimedwait and sigwaitinfo");
  mask(SIG_BLOCK, SIGUSR1, SIGRTMIN, 0);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGRTMIN);
  siginfo_t si;
  struct timespec zero = {0, 0}, short_wait = {0, 50 * 1000000L};
  T(sigtimedwait(&set, &si, &zero));
  T(sigtimedwait(&set, &si, &short_wait));
  struct timespec bad = {0, 1000000000L};
  T(sigtimedwait(&set, &si, &bad));
  sigqueue(getpid(), SIGRTMIN, (union sigval) {.sival_int = 5});
  raise(SIGUSR1);
  memset(&si, 0, sizeof si);
  int sig = sigtimedwait(&set, &si, &short_wait); /* glibc says SI_USER for SI_TKILL here */
  SAY("sigtimedwait: %s, si_code %s", sigtext(sig), code_text(sig, si.si_code));
  memset(&si, 0, sizeof si);
  sig = sigwaitinfo(&set, &si);
  SAY("sigwaitinfo: %s, si_code %s, si_value %d", sigtext(sig), code_text(sig, si.si_code),
      si.si_value.sival_int);
  SAY("pending: %s", pending_text());
  /* Only the signals waited for are taken. */
  raise(SIGUSR1);
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN);
  T(sigtimedwait(&set, &si, &zero));
  SAY("pending: %s", pending_text());
  int got;
  sigaddset(&set, SIGUSR1);
  T(sigwait(&set, &got));
  SAY("sigwait: %s", sigtext(got));

  /* A handled signal not in the set, arriving during the wait, interrupts it. */
  on(SIGUSR2, note_handler, 0);
  pid_t child;
  struct timespec long_wait = {gave_up ? 0 : 20, 0};
  child = must_fork();
  if (child == 0) {
    /* Sent while the parent waits: the parent is blocked in sigtimedwait with SIGUSR2
     * unblocked and handled, so the wait ends with EINTR. Until then, SIGUSR2 is retried: the
     * first may come before the wait has begun, and is then handled before it. */
    for (int i = 0; i < 200; i++) {
      kill(getppid(), SIGUSR2);
      sleep_ms(100);
    }
    _exit(0);
  }
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  /* The system call itself: musl's sigtimedwait retries on EINTR. */
  T(syscall(SYS_rt_sigtimedwait, &set, &si, &long_wait, _NSIG / 8));
  kill(child, SIGKILL);
  reap_within(child);
  SAY("SIGUSR2 handled at least once %d", notes_n >= 1);
  notes_clear();
  mask(SIG_UNBLOCK, SIGUSR1, SIGRTMIN, 0);
  on(SIGUSR2, SIG_DFL, 0);
}

static void process_group(void) {
  puts("# kill(-pgid) and killpg reach every member of a group, and only them");
  int ready[2], hold[2];
  must_pipe(ready);
  must_pipe(hold); /* every child blocks reading it until the parent closes it */
  pid_t members[3];
  for (int i = 0; i < 3; i++) {
    members[i] = must_fork();
    if (members[i] == 0) {
      close(ready[0]);
      close(hold[1]);
      if (i == 2) {
        on(SIGTERM, note_handler, 0); /* this one survives SIGTERM and says so */
      }
      setpgid(0, members[0] ? members[0] : getpid()); /* the parent does it too */
      send_byte(ready[1]);
      await_byte(hold[0]);
      _exit(notes_n > 0 ? 42 : 43);
    }
    setpgid(members[i], members[0]);
  }
  pid_t outsider = must_fork();
  if (outsider == 0) {
    close(hold[1]);
    _exit(await_byte(hold[0]) == 0 ? 7 : 8);
  }
  close(ready[1]);
  close(hold[0]);
  for (int i = 0; i < 3; i++) {
    await_byte(ready[0]);
  }
  close(ready[0]);
  SAY("a group of three: %d %d %d", getpgid(members[0]) == members[0],
      getpgid(members[1]) == members[0], getpgid(members[2]) == members[0]);
  T(kill(-members[0], 0));
  T(kill(-members[0], SIGTERM));
  /* SIGTERM was sent before the close: each member has it before its read can return. */
  close(hold[1]);
  show_end("leader", members[0]);
  show_end("member", members[1]);
  show_end("member with a SIGTERM handler", members[2]);
  show_end("outsider in our group", outsider);
  T(kill(-members[0], 0));
  T(killpg(members[0], SIGTERM));
}

static void uncatchable(void) {
  puts("# SIGKILL: raise(SIGKILL) kills even with every signal blocked");
  pid_t child = must_fork();
  if (child == 0) {
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    raise(SIGKILL);
    _exit(0);
  }
  show_end("raise(SIGKILL)", child);
  child = must_fork();
  if (child == 0) {
    for (int sig = 1; sig < 32; sig++) {
      if (sig != SIGKILL && sig != SIGSTOP) {
        signal(sig, SIG_IGN);
      }
    }
    kill(getpid(), SIGKILL);
    _exit(0);
  }
  show_end("kill(self, SIGKILL) with every other signal ignored", child);
}

int main(int argc, char **argv) {
  sigs_init();
  enter_scratch(argc, argv);
  dispositions();
  probes();
  siginfo_of_senders();
  mask_and_pending();
  queued_and_coalesced();
  handler_flags();
  suspend();
  timed_wait();
  process_group();
  uncatchable();
  return 0;
}
