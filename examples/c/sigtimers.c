/* Timers and interrupted calls: alarm interrupting a blocking pipe read (EINTR) and SA_RESTART
 * restarting it; which calls restart under SA_RESTART (read, wait4) and which never do (poll,
 * select, epoll_wait, nanosleep, clock_nanosleep, pause, sigsuspend); nanosleep restarted with
 * the remaining time after a stop and a continue; alarm's and getitimer's values; a periodic
 * ITIMER_REAL counting ticks, ITIMER_VIRTUAL and ITIMER_PROF from CPU time; POSIX timers
 * (SIGEV_SIGNAL with si_code SI_TIMER and si_value, SIGEV_THREAD_ID, SIGEV_NONE, overruns,
 * errors). See sigs.h for the rules of the output; calls meant to be interrupted go through
 * INTERRUPTED, which checks that the timer had not fired before the call. */
#include "sigs.h"
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/time.h>

static volatile sig_atomic_t fired;
static int restart_fd = -1; /* the handler writes a byte there, if set */

static void timer_handler(int sig) {
  fired = fired + 1;
  note(sig, 0);
  if (restart_fd >= 0) {
    write(restart_fd, "r", 1);
  }
}

/* A one-shot ITIMER_REAL of MS milliseconds (0 disarms). */
static void arm_ms(long ms) {
  struct itimerval it = {{0, 0}, {ms / 1000, (ms % 1000) * 1000}};
  setitimer(ITIMER_REAL, &it, NULL);
}

/* Evaluates CALL with a SIGALRM due 100 ms later, so that it arrives while CALL blocks; if the
 * timer has fired before CALL is reached (a very slow host), tries again with twice as long.
 * Returns CALL's value, with CALL's errno. */
#define INTERRUPTED(call) \
  ({ \
    long r_; \
    int e_; \
    for (long ms_ = 100;; ms_ *= 2) { \
      fired = 0; \
      arm_ms(ms_); \
      if (fired) { \
        continue; \
      } \
      errno = 0; \
      r_ = (long) (call); \
      e_ = errno; \
      break; \
    } \
    arm_ms(0); \
    notes_clear(); \
    errno = e_; \
    r_; \
  })

/* Whether SIGALRM from setitimer is delivered at all: the calls below that only a signal ends
 * are skipped (with a line saying so) if not, never a hang. */
static int timers_work;

static void check_timers(void) {
  on(SIGALRM, timer_handler, 0);
  fired = 0;
  arm_ms(10);
  timers_work = within(fired);
  arm_ms(0);
  notes_clear();
  on(SIGALRM, SIG_DFL, 0);
}

static void alarm_and_read(void) {
  puts("# alarm(1) interrupts a read of an empty pipe: EINTR");
  if (!timers_work) {
    puts("(skipped: SIGALRM never came)");
    return;
  }
  on(SIGALRM, timer_handler, 0);
  int p[2];
  must_pipe(p);
  char c;
  fired = 0;
  T(alarm(1));
  T(fired == 0 ? read(p[0], &c, 1) : -2);
  SAY("the handler ran %d time(s)", (int) fired);
  notes_clear();
  T(alarm(0));

  puts("# with SA_RESTART the read goes on, and gets what the handler wrote");
  on(SIGALRM, timer_handler, SA_RESTART);
  restart_fd = p[1];
  T(INTERRUPTED(read(p[0], &c, 1)));
  restart_fd = -1;
  SAY("read '%c', the handler ran %d time(s)", c, (int) fired);
  close(p[0]);
  close(p[1]);

  puts("# alarm's and getitimer's values");
  T(alarm(5));
  T(alarm(7));
  struct itimerval it;
  T(getitimer(ITIMER_REAL, &it));
  SAY("getitimer: 6 s < value <= 7 s %d, no interval %d",
      it.it_value.tv_sec == 6 && it.it_value.tv_usec > 0,
      it.it_interval.tv_sec == 0 && it.it_interval.tv_usec == 0);
  T(alarm(0));
  T(getitimer(ITIMER_REAL, &it));
  SAY("disarmed: %d", it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0);
  T(getitimer(3, &it));
  it.it_value.tv_usec = 1000000;
  T(setitimer(ITIMER_REAL, &it, NULL));
}

/* A child that exits once it reads a byte (or EOF) from the pipe whose write end is *HOLD. */
static pid_t child_for_wait(int *hold) {
  int p[2];
  must_pipe(p);
  pid_t child = must_fork();
  if (child == 0) {
    close(p[1]);
    await_byte(p[0]);
    _exit(0);
  }
  close(p[0]);
  *hold = p[1];
  return child;
}

static void restarts(void) {
  puts("# what SA_RESTART restarts: wait4 yes; poll, select, epoll_wait, pause, sleeps never");
  if (!timers_work) {
    puts("(skipped: SIGALRM never came)");
    return;
  }
  on(SIGALRM, timer_handler, 0);
  int status;
  int hold;
  pid_t child = child_for_wait(&hold);
  T(INTERRUPTED(waitpid(child, &status, 0)));
  on(SIGALRM, timer_handler, SA_RESTART);
  /* Restarted: it returns when the child ends, which the handler brings about. */
  restart_fd = hold;
  T(INTERRUPTED(waitpid(child, &status, 0)) == child);
  restart_fd = -1;
  SAY("SIGALRM ran %d time(s) first; the child: %s", (int) fired, status_text(status));
  close(hold);

  int p[2];
  must_pipe(p);
  struct pollfd pfd = {.fd = p[0], .events = POLLIN};
  T(INTERRUPTED(poll(&pfd, 1, 10000)));
  T(INTERRUPTED(poll(&pfd, 1, -1)));
  fd_set set;
  FD_ZERO(&set);
  FD_SET(p[0], &set);
  struct timeval tv = {10, 0};
  T(INTERRUPTED(select(p[0] + 1, &set, NULL, NULL, &tv)));
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = p[0]};
  epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
  T(INTERRUPTED(epoll_wait(ep, &ev, 1, 10000)));
  close(ep);
  T(INTERRUPTED(pause()));
  sigset_t none;
  sigemptyset(&none);
  T(INTERRUPTED(sigsuspend(&none)));
  struct timespec req = {10, 0}, rem = {0, 0};
  T(INTERRUPTED(nanosleep(&req, &rem)));
  SAY("nanosleep's remaining time: more than 0 and less than asked %d",
      (rem.tv_sec > 0 || rem.tv_nsec > 0) && rem.tv_sec < 10);
  memset(&rem, 0, sizeof rem);
  long r = INTERRUPTED(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem));
  SAY("clock_nanosleep (returns the error): %s, remaining time set %d", r ? errname(r) : "0",
      (rem.tv_sec > 0 || rem.tv_nsec > 0) && rem.tv_sec < 10);
  struct timespec until;
  clock_gettime(CLOCK_MONOTONIC, &until);
  until.tv_sec += 10;
  r = INTERRUPTED(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL));
  SAY("clock_nanosleep TIMER_ABSTIME: %s", r ? errname(r) : "0");
  /* Through the system call: a libc may loop on EINTR around its wrapper. */
  T(INTERRUPTED(syscall(SYS_nanosleep, &req, &rem)));
  close(p[0]);
  close(p[1]);
  on(SIGALRM, SIG_DFL, 0);
}

static void sleep_through_stop(void) {
  puts("# nanosleep across a stop and a continue: restarted with the remaining time");
  int report[2], ready[2];
  must_pipe(report);
  must_pipe(ready);
  pid_t child = must_fork();
  if (child == 0) {
    close(ready[0]);
    struct timespec req = {0, 500 * 1000000L}, rem = {0, 0};
    send_byte(ready[1]);
    errno = 0;
    long r = syscall(SYS_nanosleep, &req, &rem);
    tell(report[1], "the child's nanosleep = %ld %s", r, r ? errname(errno) : "");
    r = syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, &rem);
    tell(report[1], "the child's clock_nanosleep = %ld", r);
    _exit(0);
  }
  close(ready[1]);
  close(report[1]);
  await_byte(ready[0]);
  close(ready[0]);
  /* The child is in nanosleep or about to be: either way it must sleep its time and return 0.
   * 100 ms gives it time to get there, so that the stop usually interrupts the sleep. */
  sleep_ms(100);
  T(kill(child, SIGSTOP));
  int status;
  T(waitpid(child, &status, WUNTRACED) == child);
  T(kill(child, SIGURG)); /* ignored by default: no wake-up */
  T(kill(child, SIGCONT));
  sleep_ms(100);
  T(kill(child, SIGURG));
  show_end("the child", child);
  relay(report[0]);
  close(report[0]);
}

static void periodic(void) {
  puts("# setitimer(ITIMER_REAL) every 20 ms: five ticks");
  if (!timers_work) {
    puts("(skipped: SIGALRM never came)");
    return;
  }
  on(SIGALRM, timer_handler, 0);
  mask(SIG_BLOCK, SIGALRM, 0);
  struct itimerval it = {{0, 20000}, {0, 20000}}, old;
  fired = 0;
  T(setitimer(ITIMER_REAL, &it, NULL));
  sigset_t none;
  sigemptyset(&none);
  int calls = 0;
  while (fired < 5 && calls < 1000) {
    sigsuspend(&none);
    calls++;
  }
  memset(&it, 0, sizeof it);
  T(setitimer(ITIMER_REAL, &it, &old));
  SAY("ticks %d, sigsuspend returned once per tick %d; the old interval 20 ms %d", (int) fired,
      calls == fired, old.it_interval.tv_sec == 0 && old.it_interval.tv_usec == 20000);
  mask(SIG_UNBLOCK, SIGALRM, 0);
  notes_clear();

  puts("# ITIMER_VIRTUAL and ITIMER_PROF count CPU time");
  on(SIGVTALRM, timer_handler, 0);
  on(SIGPROF, timer_handler, 0);
  struct itimerval cpu = {{0, 10000}, {0, 10000}};
  int which[] = {ITIMER_VIRTUAL, ITIMER_PROF};
  for (int i = 0; i < 2; i++) {
    fired = 0;
    T(setitimer(which[i], &cpu, NULL));
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
      burn_cpu_ms(5);
      struct timespec now;
      clock_gettime(CLOCK_MONOTONIC, &now);
      if (fired >= 3 || now.tv_sec - start.tv_sec > 20) {
        break;
      }
    }
    memset(&it, 0, sizeof it);
    setitimer(which[i], &it, NULL);
    SAY("%s: three ticks %d", notes_n ? sigtext(notes_sig[0]) : "no signal", fired >= 3);
    notes_clear();
  }
  on(SIGVTALRM, SIG_DFL, 0);
  on(SIGPROF, SIG_DFL, 0);
  on(SIGALRM, SIG_DFL, 0);
}

static void posix_timers(void) {
  puts("# timer_create with SIGEV_SIGNAL");
  mask(SIG_BLOCK, SIGRTMIN, SIGUSR1, 0);
  sigset_t rt;
  sigemptyset(&rt);
  sigaddset(&rt, SIGRTMIN);
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGRTMIN;
  sev.sigev_value.sival_int = 77;
  timer_t t;
  T(timer_create(CLOCK_MONOTONIC, &sev, &t));
  struct itimerspec its = {{0, 0}, {0, 50 * 1000000L}}, cur;
  T(timer_settime(t, 0, &its, NULL));
  T(timer_gettime(t, &cur));
  SAY("armed: 0 < value <= 50 ms %d", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0
      && cur.it_value.tv_nsec <= 50 * 1000000L);
  siginfo_t si;
  memset(&si, 0, sizeof si);
  int sig = wait_signal(&rt, &si);
  SAY("%s, si_code %s, si_value %d, si_overrun %d", sigtext(sig), code_text(sig, si.si_code),
      si.si_value.sival_int, si.si_overrun);
  T(timer_gettime(t, &cur));
  SAY("expired: %d", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);

  puts("# a periodic timer whose signal stays blocked: overruns");
  its = (struct itimerspec) {{0, 1000000L}, {0, 1000000L}};
  T(timer_settime(t, 0, &its, NULL));
  sleep_ms(50);
  memset(&si, 0, sizeof si);
  sig = wait_signal(&rt, &si);
  int overrun = timer_getoverrun(t);
  SAY("%s %s; overruns counted: in si_overrun %d, timer_getoverrun %d", sigtext(sig),
      code_text(sig, si.si_code), si.si_overrun > 10, overrun > 10);
  its = (struct itimerspec) {{0, 0}, {0, 0}};
  T(timer_settime(t, 0, &its, &cur));
  SAY("the old interval 1 ms %d", cur.it_interval.tv_sec == 0
      && cur.it_interval.tv_nsec == 1000000L);
  /* A signal the timer queued before it was disarmed: whether it is still delivered depends on
   * the kernel's version (6.13 changed it); take it, if any, without saying. */
  struct timespec zero = {0, 0};
  while (sigtimedwait(&rt, &si, &zero) > 0) {
  }
  T(timer_delete(t));
  T(timer_gettime(t, &cur));

  puts("# TIMER_ABSTIME, SIGEV_THREAD_ID and SIGEV_NONE");
  sev.sigev_notify = SIGEV_THREAD_ID;
  sev.sigev_signo = SIGUSR1;
  pid_t tid = syscall(SYS_gettid);
  /* sigev_notify_thread_id: the kernel's layout, which libcs name differently */
  memcpy((char *) &sev + 16, &tid, sizeof tid);
  T(timer_create(CLOCK_REALTIME, &sev, &t));
  clock_gettime(CLOCK_REALTIME, &its.it_value);
  its.it_value.tv_nsec += 20 * 1000000L;
  if (its.it_value.tv_nsec >= 1000000000L) {
    its.it_value.tv_sec++;
    its.it_value.tv_nsec -= 1000000000L;
  }
  T(timer_settime(t, TIMER_ABSTIME, &its, NULL));
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  memset(&si, 0, sizeof si);
  sig = wait_signal(&usr1, &si);
  SAY("%s, si_code %s, si_value %d", sigtext(sig), code_text(sig, si.si_code),
      si.si_value.sival_int);
  T(timer_delete(t));
  sev.sigev_notify = SIGEV_NONE;
  T(timer_create(CLOCK_MONOTONIC, &sev, &t));
  its = (struct itimerspec) {{0, 0}, {10, 0}};
  T(timer_settime(t, 0, &its, NULL));
  T(timer_gettime(t, &cur));
  SAY("SIGEV_NONE counts down: 9 s < value <= 10 s %d", cur.it_value.tv_sec == 9);
  T(timer_delete(t));

  puts("# errors");
  T(timer_create(12345, &sev, &t));
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = 65;
  T(timer_create(CLOCK_MONOTONIC, &sev, &t));
  sev.sigev_signo = SIGRTMIN;
  T(timer_create(CLOCK_MONOTONIC, &sev, &t));
  its = (struct itimerspec) {{0, 0}, {0, 1000000000L}};
  T(timer_settime(t, 0, &its, NULL));
  T(timer_delete(t));
  mask(SIG_UNBLOCK, SIGRTMIN, SIGUSR1, 0);
}

int main(int argc, char **argv) {
  sigs_init();
  enter_scratch(argc, argv);
  check_timers();
  alarm_and_read();
  restarts();
  sleep_through_stop();
  periodic();
  posix_timers();
  return 0;
}
