/* timerfd and signalfd, alone and under poll and epoll: timerfd_create/settime/gettime,
 * one-shot and periodic expirations read as counts, TFD_TIMER_ABSTIME, blocking and
 * non-blocking reads, errors; signalfd reading blocked signals as signalfd_siginfo (ssi_code,
 * ssi_pid, ssi_int, real-time signals in order, a child's SIGCHLD), its mask changed, read
 * across fork (the reader's own signals), and a poll on a timerfd, a signalfd and a pipe
 * together. See sigs.h for the rules of the output. */
#include "sigs.h"
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

static void show_ready(const char *label, int fd, int timeout_ms) {
  struct pollfd p = {.fd = fd, .events = POLLIN};
  int n = poll(&p, 1, timeout_ms);
  printf("%s: poll = %d", label, n);
  if (n > 0) {
    printf(", revents%s%s", p.revents & POLLIN ? " POLLIN" : "",
        p.revents & ~POLLIN ? " other" : "");
  }
  putchar('\n');
}

static void timerfds(void) {
  puts("# timerfd");
  int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  SAY("timerfd_create: %d", tfd >= 0);
  uint64_t n = 0;
  T(read(tfd, &n, sizeof n));
  struct itimerspec its, cur;
  T(timerfd_gettime(tfd, &cur));
  SAY("disarmed: %d", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
  show_ready("disarmed", tfd, 0);
  its = (struct itimerspec) {{0, 0}, {0, 30 * 1000000L}};
  T(timerfd_settime(tfd, 0, &its, NULL));
  T(timerfd_gettime(tfd, &cur));
  SAY("armed: 0 < value <= 30 ms %d", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0
      && cur.it_value.tv_nsec <= 30 * 1000000L);
  struct pollfd one = {.fd = tfd, .events = POLLIN};
  int expired = poll(&one, 1, 10000) == 1;
  SAY("one-shot, readable within 10 s: %d", expired);
  T(read(tfd, &n, sizeof n));
  SAY("expirations %llu", (unsigned long long) n);
  T(read(tfd, &n, sizeof n));
  show_ready("after the read", tfd, 0);

  its = (struct itimerspec) {{0, 10 * 1000000L}, {0, 10 * 1000000L}};
  T(timerfd_settime(tfd, 0, &its, NULL));
  uint64_t total = 0;
  int polls = 0;
  while (total < 5 && polls < 1000) {
    struct pollfd p = {.fd = tfd, .events = POLLIN};
    poll(&p, 1, 10000);
    polls++;
    if (read(tfd, &n, sizeof n) == sizeof n) {
      total += n;
    }
  }
  SAY("periodic every 10 ms: at least 5 expirations counted %d", total >= 5);
  its = (struct itimerspec) {{0, 0}, {0, 0}};
  T(timerfd_settime(tfd, 0, &its, &cur));
  SAY("the old interval 10 ms %d", cur.it_interval.tv_sec == 0
      && cur.it_interval.tv_nsec == 10 * 1000000L);
  read(tfd, &n, sizeof n); /* an expiration before the disarm, if any */
  show_ready("disarmed", tfd, 0);
  close(tfd);

  puts("# a blocking timerfd with TFD_TIMER_ABSTIME");
  tfd = timerfd_create(CLOCK_REALTIME, 0);
  clock_gettime(CLOCK_REALTIME, &its.it_value);
  its.it_value.tv_nsec += 20 * 1000000L;
  if (its.it_value.tv_nsec >= 1000000000L) {
    its.it_value.tv_sec++;
    its.it_value.tv_nsec -= 1000000000L;
  }
  its.it_interval = (struct timespec) {0, 0};
  T(timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL));
  if (expired) { /* else the read would block for ever */
    T(read(tfd, &n, sizeof n));
    SAY("expirations %llu", (unsigned long long) n);
  }
  its.it_value = (struct timespec) {1, 0};
  T(timerfd_settime(tfd, 0, &its, NULL));
  char small[4];
  T(read(tfd, small, sizeof small));
  close(tfd);

  puts("# timerfd errors");
  T(timerfd_create(12345, 0));
  T(timerfd_create(CLOCK_MONOTONIC, 0x40));
  T(timerfd_settime(0, 0, &its, NULL));
  tfd = timerfd_create(CLOCK_MONOTONIC, 0);
  its.it_value = (struct timespec) {0, 1000000000L};
  T(timerfd_settime(tfd, 0, &its, NULL));
  T(timerfd_settime(tfd, 0x10, &its, NULL));
  close(tfd);
}

static void show_ssi(const struct signalfd_siginfo *ssi, pid_t sender) {
  printf("%s, ssi_code %s, ssi_pid is the sender %d, ssi_uid ours %d", sigtext(ssi->ssi_signo),
      code_text(ssi->ssi_signo, ssi->ssi_code), (pid_t) ssi->ssi_pid == sender,
      ssi->ssi_uid == getuid());
  if (ssi->ssi_code == SI_QUEUE) {
    printf(", ssi_int %d", ssi->ssi_int);
  }
  if (ssi->ssi_signo == SIGCHLD) {
    printf(", ssi_status %d", ssi->ssi_status);
  }
  putchar('\n');
}

static void signalfds(void) {
  puts("# signalfd");
  mask(SIG_BLOCK, SIGUSR1, SIGUSR2, SIGRTMIN, SIGCHLD, 0);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGRTMIN);
  sigaddset(&set, SIGCHLD);
  int sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  SAY("signalfd: %d", sfd >= 0);
  struct signalfd_siginfo ssi[4];
  T(read(sfd, ssi, sizeof ssi));
  show_ready("nothing pending", sfd, 0);
  T(raise(SIGUSR1));
  show_ready("SIGUSR1 pending", sfd, 0);
  T(read(sfd, ssi, sizeof ssi));
  show_ssi(&ssi[0], getpid());
  SAY("pending now: %s", pending_text());
  T(read(sfd, ssi, sizeof ssi[0] - 1));

  sigqueue(getpid(), SIGRTMIN, (union sigval) {.sival_int = 5});
  sigqueue(getpid(), SIGRTMIN, (union sigval) {.sival_int = 6});
  T(kill(getpid(), SIGUSR1));
  T(kill(getpid(), SIGUSR2)); /* not in the set: stays pending */
  long n = read(sfd, ssi, sizeof ssi);
  SAY("read %ld structures", n / (long) sizeof ssi[0]);
  for (int i = 0; i < n / (long) sizeof ssi[0]; i++) {
    show_ssi(&ssi[i], getpid());
  }
  SAY("pending now: %s", pending_text());

  puts("# a child's SIGCHLD");
  pid_t child = must_fork();
  if (child == 0) {
    _exit(3);
  }
  struct pollfd p = {.fd = sfd, .events = POLLIN};
  T(poll(&p, 1, 10000));
  T(read(sfd, ssi, sizeof ssi[0]));
  show_ssi(&ssi[0], child);
  reap_within(child);

  puts("# the mask changed through the same descriptor");
  sigaddset(&set, SIGUSR2);
  T(signalfd(sfd, &set, 0) == sfd);
  T(read(sfd, ssi, sizeof ssi[0]));
  show_ssi(&ssi[0], getpid());
  T(signalfd(0, &set, 0));
  T(signalfd(-1, &set, 0x10));

  puts("# read in a child: the child's own signals");
  child = must_fork();
  if (child == 0) {
    raise(SIGUSR1);
    struct signalfd_siginfo mine;
    long r = read(sfd, &mine, sizeof mine);
    printf("child: read %ld, %s, from itself %d\n", r, sigtext(mine.ssi_signo),
        (pid_t) mine.ssi_pid == getpid());
    errno = 0;
    r = read(sfd, &mine, sizeof mine);
    printf("child: again %ld %s\n", r, errname(errno));
    _exit(0);
  }
  show_end("the child", child);
  T(read(sfd, ssi, sizeof ssi[0])); /* the child's SIGCHLD, the parent's own */
  show_ssi(&ssi[0], child);
  T(read(sfd, ssi, sizeof ssi[0]));

  puts("# epoll on a signalfd");
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 7};
  T(epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev));
  T(epoll_wait(ep, &ev, 1, 0));
  sigqueue(getpid(), SIGRTMIN, (union sigval) {.sival_int = 8});
  memset(&ev, 0, sizeof ev);
  T(epoll_wait(ep, &ev, 1, 10000));
  SAY("data %u, EPOLLIN %d", ev.data.u32, (ev.events & EPOLLIN) != 0);
  T(read(sfd, ssi, sizeof ssi[0]));
  show_ssi(&ssi[0], getpid());
  close(ep);
  close(sfd);
  mask(SIG_UNBLOCK, SIGUSR1, SIGUSR2, SIGRTMIN, SIGCHLD, 0);
}

static void together(void) {
  puts("# poll on a timerfd, a signalfd and a pipe together");
  mask(SIG_BLOCK, SIGUSR1, 0);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  int sfd = signalfd(-1, &set, SFD_NONBLOCK);
  int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  int pipefd[2], go[2];
  must_pipe(pipefd);
  must_pipe(go);
  pid_t child = must_fork();
  if (child == 0) {
    close(go[1]);
    await_byte(go[0]);
    kill(getppid(), SIGUSR1);
    write(pipefd[1], "p", 1);
    _exit(0);
  }
  close(go[0]);
  struct itimerspec its = {{0, 0}, {0, 30 * 1000000L}};
  timerfd_settime(tfd, 0, &its, NULL);
  send_byte(go[1]);
  int seen_timer = 0, seen_signal = 0, seen_pipe = 0, polls = 0;
  while (!(seen_timer && seen_signal && seen_pipe) && polls < 100) {
    struct pollfd p[3] = {{tfd, POLLIN, 0}, {sfd, POLLIN, 0}, {pipefd[0], POLLIN, 0}};
    if (poll(p, 3, 10000) <= 0) {
      break;
    }
    polls++;
    char buf[128];
    if (p[0].revents & POLLIN) {
      seen_timer += read(tfd, buf, 8) == 8;
    }
    if (p[1].revents & POLLIN) {
      seen_signal += read(sfd, buf, 128) == 128;
    }
    if (p[2].revents & POLLIN) {
      seen_pipe += read(pipefd[0], buf, 1) == 1;
    }
  }
  SAY("each became readable once: timer %d, signal %d, pipe %d; at most three polls %d",
      seen_timer, seen_signal, seen_pipe, polls <= 3);
  show_end("the child", child);
  close(tfd);
  close(sfd);
  close(pipefd[0]);
  close(pipefd[1]);
  close(go[1]);
  mask(SIG_UNBLOCK, SIGUSR1, 0);
}

int main(int argc, char **argv) {
  sigs_init();
  enter_scratch(argc, argv);
  timerfds();
  signalfds();
  together();
  return 0;
}
