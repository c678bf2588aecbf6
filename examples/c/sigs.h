/*
 * Shared by the signal programs (signals.c, sigframe.c, sigchld.c, sigstop.c, sigtimers.c,
 * sigfds.c), on top of procs.h and its rules. What signals add to those rules, so that a native
 * run and a run under blink-chroot print the same bytes:
 *
 * - sigs_init() first: every disposition back to SIG_DFL and the mask empty, whatever the
 *   program inherited (a shell started in the background ignores SIGINT and SIGQUIT, a JVM's
 *   children may inherit an ignored SIGPIPE); blink-chroot's guest starts that way anyway;
 * - a signal whose default action ends or stops a process is only ever aimed at a child: under
 *   blink-chroot the program is pid 1 of its pid namespace, and pid 1 never receives a signal it
 *   has no handler for (pid_namespaces(7)), except a synchronous one from a fault;
 * - a child that dies of a signal whose default action dumps core (SIGABRT, SIGSEGV, SIGFPE,
 *   SIGILL, SIGTRAP, SIGQUIT) first calls no_core_dump(): the core_dumped bit of the wait status
 *   (WCOREDUMP, CLD_DUMPED) says whether a core file was really written, which depends on the
 *   host's /proc/sys/kernel/core_pattern (a pipe to systemd-coredump or apport ignores
 *   RLIMIT_CORE 0) and RLIMIT_CORE; a process that is not dumpable never dumps, on any host;
 * - handlers only record what happened (note()); the program prints after the fact, so the
 *   order of lines is that of the program's statements, and printf is never called in a
 *   handler;
 * - events in time are ordered by pipes, sigsuspend and waits, never by sleeping. Where a test
 *   needs a signal to arrive while the program is blocked in a call that cannot unblock it
 *   atomically (read, nanosleep), the signal comes from a timer far longer than the few
 *   instructions before the call, and the program checks that the handler had not run yet
 *   before it made the call (and retries with a longer timer if it had), so a slow host changes
 *   the time taken, never the output;
 * - every wait for a signal or a child's change gives up after 20 s (within, waitpid_within,
 *   wait_signal, suspend_until), and after the first that gives up the others only look once;
 *   calls that only a signal can end (sigsuspend, pause) are made only once delivery_works(): a
 *   kernel that does not deliver gives lines that say what did not happen, soon, never a hang.
 */
#ifndef SIGS_H
#define SIGS_H
#include "procs.h"
#include <poll.h>
#include <setjmp.h>
#include <sys/prctl.h>
#include <sys/resource.h>

/* SIGRTMIN differs between libcs (glibc 34, musl 35): real-time signals are named from it. */
__attribute__((unused)) static const char *sigtext(int sig) {
  static char text[4][24];
  static int next;
  if (sig == SIGRTMIN) {
    return "SIGRTMIN";
  }
  if (sig == SIGRTMAX) {
    return "SIGRTMAX";
  }
  if (sig > SIGRTMIN && sig < SIGRTMAX) {
    char *t = text[next++ % 4];
    snprintf(t, sizeof text[0], "SIGRTMIN+%d", sig - SIGRTMIN);
    return t;
  }
  return signame(sig);
}

/* Every disposition SIG_DFL (the ones that can be changed), the mask empty, no alternate stack. */
__attribute__((unused)) static void sigs_init(void) {
  procs_init();
  for (int sig = 1; sig < 65; sig++) {
    if (sig != SIGKILL && sig != SIGSTOP) {
      signal(sig, SIG_DFL); /* fails harmlessly for the libc's reserved ones */
    }
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  stack_t off = {.ss_flags = SS_DISABLE};
  sigaltstack(&off, NULL);
}

/* In a child about to die of a core-dumping signal: no core file, so WCOREDUMP is 0 on any
 * host (see above). */
__attribute__((unused)) static void no_core_dump(void) {
  struct rlimit zero = {0, 0};
  setrlimit(RLIMIT_CORE, &zero);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* Installs HANDLER (a sa_sigaction when FLAGS has SA_SIGINFO) for SIG with FLAGS and an empty
 * sa_mask; prints the failure, if any. */
__attribute__((unused)) static void on(int sig, void *handler, int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = (void (*)(int)) handler;
  sa.sa_flags = flags;
  sigemptyset(&sa.sa_mask);
  if (sigaction(sig, &sa, NULL) != 0) {
    printf("sigaction(%s) = -1 %s\n", sigtext(sig), errname(errno));
  }
}

/* The mask: blocks (how SIG_BLOCK), unblocks (SIG_UNBLOCK) or sets (SIG_SETMASK) the signals
 * listed up to a 0. */
__attribute__((unused)) static void mask(int how, ...) {
  sigset_t set;
  sigemptyset(&set);
  va_list ap;
  va_start(ap, how);
  for (int sig; (sig = va_arg(ap, int)) != 0;) {
    sigaddset(&set, sig);
  }
  va_end(ap);
  if (sigprocmask(how, &set, NULL) != 0) {
    printf("sigprocmask = -1 %s\n", errname(errno));
  }
}

/* Whether SIG is in the calling thread's mask now. */
__attribute__((unused)) static int is_blocked(int sig) {
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  return sigismember(&now, sig);
}

/* The members of a signal set, as names: "SIGUSR1 SIGRTMIN+1" or "none". */
__attribute__((unused)) static const char *set_text(const sigset_t *set) {
  static char text[512];
  int n = 0;
  text[0] = 0;
  for (int sig = 1; sig < 65; sig++) {
    if (sigismember(set, sig) == 1 && n < (int) sizeof text - 24) {
      n += snprintf(text + n, sizeof text - n, "%s%s", n ? " " : "", sigtext(sig));
    }
  }
  return n ? text : "none";
}

/* What the pending set holds now. */
__attribute__((unused)) static const char *pending_text(void) {
  sigset_t pending;
  sigemptyset(&pending);
  sigpending(&pending);
  return set_text(&pending);
}

/* A log of events that handlers write (async-signal safe: a fixed array and a counter). */
#define NOTES 64
static volatile sig_atomic_t notes_n;
static volatile int notes_sig[NOTES];
static volatile long notes_val[NOTES];

__attribute__((unused)) static void note(int sig, long value) {
  int i = notes_n;
  if (i < NOTES) {
    notes_sig[i] = sig;
    notes_val[i] = value;
    notes_n = i + 1;
  }
}

__attribute__((unused)) static void notes_clear(void) {
  notes_n = 0;
}

/* Prints the log as "LABEL: SIGUSR1 SIGRTMIN:2 ..." (the value after a colon when SHOW_VALUES)
 * and clears it. */
__attribute__((unused)) static void notes_print(const char *label, int show_values) {
  printf("%s:", label);
  if (notes_n == 0) {
    printf(" nothing");
  }
  for (int i = 0; i < notes_n; i++) {
    if (show_values) {
      printf(" %s:%ld", sigtext(notes_sig[i]), notes_val[i]);
    } else {
      printf(" %s", sigtext(notes_sig[i]));
    }
  }
  putchar('\n');
  notes_clear();
}

/* A handler that only notes the signal. */
__attribute__((unused)) static void note_handler(int sig) {
  note(sig, 0);
}

/* An SA_SIGINFO handler that notes the signal and its si_value.sival_int. */
__attribute__((unused)) static void note_value_handler(int sig, siginfo_t *si, void *uc) {
  (void) uc;
  note(sig, si->si_value.sival_int);
}

/* si_code as its name, for the codes these programs meet. SIG gives the meaning of the
 * positive codes, which are per signal. */
__attribute__((unused)) static const char *code_text(int sig, int code) {
  static char other[24];
  switch (code) {
    case SI_USER: return "SI_USER";
    case SI_KERNEL: return "SI_KERNEL";
    case SI_QUEUE: return "SI_QUEUE";
    case SI_TIMER: return "SI_TIMER";
    case SI_MESGQ: return "SI_MESGQ";
    case SI_ASYNCIO: return "SI_ASYNCIO";
    case SI_SIGIO: return "SI_SIGIO";
    case SI_TKILL: return "SI_TKILL";
  }
  if (sig == SIGSEGV && code == SEGV_MAPERR) return "SEGV_MAPERR";
  if (sig == SIGSEGV && code == SEGV_ACCERR) return "SEGV_ACCERR";
  if (sig == SIGBUS && code == BUS_ADRALN) return "BUS_ADRALN";
  if (sig == SIGBUS && code == BUS_ADRERR) return "BUS_ADRERR";
  if (sig == SIGBUS && code == BUS_OBJERR) return "BUS_OBJERR";
  if (sig == SIGILL && code == ILL_ILLOPC) return "ILL_ILLOPC";
  if (sig == SIGILL && code == ILL_ILLOPN) return "ILL_ILLOPN";
  if (sig == SIGILL && code == ILL_PRVOPC) return "ILL_PRVOPC";
  if (sig == SIGFPE && code == FPE_INTDIV) return "FPE_INTDIV";
  if (sig == SIGFPE && code == FPE_INTOVF) return "FPE_INTOVF";
  if (sig == SIGFPE && code == FPE_FLTDIV) return "FPE_FLTDIV";
  if (sig == SIGFPE && code == FPE_FLTINV) return "FPE_FLTINV";
  if (sig == SIGTRAP && code == TRAP_BRKPT) return "TRAP_BRKPT";
  if (sig == SIGTRAP && code == TRAP_TRACE) return "TRAP_TRACE";
  if (sig == SIGCHLD && code == CLD_EXITED) return "CLD_EXITED";
  if (sig == SIGCHLD && code == CLD_KILLED) return "CLD_KILLED";
  if (sig == SIGCHLD && code == CLD_DUMPED) return "CLD_DUMPED";
  if (sig == SIGCHLD && code == CLD_STOPPED) return "CLD_STOPPED";
  if (sig == SIGCHLD && code == CLD_CONTINUED) return "CLD_CONTINUED";
  if (sig == SIGCHLD && code == CLD_TRAPPED) return "CLD_TRAPPED";
  snprintf(other, sizeof other, "si_code %d", code);
  return other;
}

/* Waits that give up after 20 s, so that a kernel that never sends what is awaited gives a line
 * saying so instead of a hang (as poll_until in procs.h). Once one wait has given up, the output
 * differs from Linux's already: later waits only look once, so a broken kernel fails fast. */
static int gave_up;

/* poll_until(COND), or one look at COND once a wait has given up; COND's value. */
#define within(cond) \
  ({ \
    int ok_ = gave_up ? (cond) : poll_until(cond); \
    if (!ok_) { \
      gave_up = 1; \
    } \
    ok_; \
  })

/* waitpid, calling it with WNOHANG every millisecond for up to 20 s unless OPTIONS has WNOHANG:
 * the pid, 0 if nothing happened in time, or -1 with errno. */
__attribute__((unused)) static pid_t waitpid_within(pid_t pid, int *status, int options) {
  if (options & WNOHANG) {
    return waitpid(pid, status, options);
  }
  pid_t r = 0;
  within((r = waitpid(pid, status, options | WNOHANG)) != 0);
  return r;
}

/* Reaps PID within 20 s: its status, or -1 after printing what went wrong. */
__attribute__((unused)) static int reap_within(pid_t pid) {
  int status;
  pid_t r = waitpid_within(pid, &status, 0);
  if (r == pid) {
    return status;
  }
  if (r == 0) {
    printf("the child did not end within 20 s\n");
  } else {
    printf("waitpid(child) = %s\n", r < 0 ? errname(errno) : "another pid");
  }
  return -1;
}

/* Reaps PID within 20 s and prints "LABEL: exited N" (or how else it ended). */
__attribute__((unused)) static void show_end(const char *label, pid_t pid) {
  int status = reap_within(pid);
  if (status != -1) {
    printf("%s: %s\n", label, status_text(status));
  }
}

/* sigwaitinfo for up to 20 s: the signal, or -1 after saying that none came. */
__attribute__((unused)) static int wait_signal(const sigset_t *set, siginfo_t *si) {
  struct timespec limit = {gave_up ? 0 : 20, 0};
  int sig = sigtimedwait(set, si, &limit);
  if (sig < 0) {
    gave_up = 1;
    printf("no signal within 20 s: %s\n", errname(errno));
  }
  return sig;
}

/* Waits with MASK as the signal mask (as sigsuspend does, through ppoll, which has a timeout)
 * until COND holds, for up to 20 s; COND's last value. */
#define suspend_until(cond, maskp) \
  ({ \
    struct timespec start_, now_, slice_ = {0, 100 * 1000000L}; \
    clock_gettime(CLOCK_MONOTONIC, &start_); \
    now_ = start_; \
    while (!(cond) && !gave_up && now_.tv_sec - start_.tv_sec < 20) { \
      ppoll(NULL, 0, &slice_, (maskp)); \
      clock_gettime(CLOCK_MONOTONIC, &now_); \
    } \
    if (!(cond)) { \
      gave_up = 1; \
    } \
    (cond); \
  })

static volatile sig_atomic_t delivery_probe_ran;

__attribute__((unused)) static void delivery_probe(int sig) {
  (void) sig;
  delivery_probe_ran = 1;
}

/* Whether a signal raised with a handler installed is delivered at all. Tests of calls that can
 * only return through a signal (sigsuspend, pause) ask first, and say they are skipped if not:
 * never a hang. Leaves SIGURG's action and the mask as they were. */
__attribute__((unused)) static int delivery_works(void) {
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = delivery_probe;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGURG, &sa, &old);
  sigset_t urg, before;
  sigemptyset(&urg);
  sigaddset(&urg, SIGURG);
  sigprocmask(SIG_UNBLOCK, &urg, &before);
  delivery_probe_ran = 0;
  raise(SIGURG);
  int ran = within(delivery_probe_ran);
  sigprocmask(SIG_SETMASK, &before, NULL);
  sigaction(SIGURG, &old, NULL);
  return ran;
}

/* A child that runs FN(ARG) and exits with what it returns (or dies trying). */
__attribute__((unused)) static pid_t child_running(int (*fn)(long), long arg) {
  pid_t pid = must_fork();
  if (pid == 0) {
    _exit(fn(arg));
  }
  return pid;
}
#endif
