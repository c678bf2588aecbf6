/* Waiting on descriptors: poll, ppoll and select on pipes and files, with their errors. */
#include "t.h"
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <time.h>

int main(int argc, char **argv) {
  enter_scratch(argc, argv);
  int p[2];
  char buf[8];

  puts("# poll");
  T(pipe(p));
  struct pollfd pf[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
  T(poll(pf, 2, 0));
  SAY("revents %d %d", pf[0].revents, pf[1].revents);
  T(write(p[1], "z", 1));
  T(poll(pf, 2, 0));
  SAY("revents %d %d", pf[0].revents, pf[1].revents);
  T(poll(pf, 2, -1));
  T(close(p[1]));
  struct pollfd one = {p[0], POLLIN, 0};
  T(read(p[0], buf, 1));
  T(poll(&one, 1, 100));
  SAY("revents after the writer closed %d", one.revents);
  struct pollfd bad = {99, POLLIN, 0};
  T(poll(&bad, 1, 0));
  SAY("revents of a closed descriptor %d", bad.revents);
  struct pollfd ignored = {-1, POLLIN, 77};
  T(poll(&ignored, 1, 0));
  SAY("revents of a negative descriptor %d", ignored.revents);
  T(close(p[0]));
  put("f", "data");
  int fd = T(open("f", O_RDWR));
  struct pollfd file = {fd, POLLIN | POLLOUT, 0};
  T(poll(&file, 1, -1));
  SAY("a regular file is always ready: %d", file.revents);
  T(poll(NULL, 0, 10));
  T(syscall(SYS_poll, (void *) 0xdeadbeef000UL, 1, 0));
  T(syscall(SYS_poll, NULL, 0, 0));

  puts("# ppoll");
  T(pipe(p));
  struct pollfd r = {p[0], POLLIN, 0};
  struct timespec ten = {0, 10000000};
  T(ppoll(&r, 1, &ten, NULL));
  T(write(p[1], "y", 1));
  T(ppoll(&r, 1, NULL, NULL));
  SAY("revents %d", r.revents);
  struct timespec bad_ts = {0, 1000000000};
  T(ppoll(&r, 1, &bad_ts, NULL));

  puts("# select");
  fd_set rs, ws;
  FD_ZERO(&rs);
  FD_ZERO(&ws);
  FD_SET(p[0], &rs);
  FD_SET(p[1], &ws);
  struct timeval tv = {0, 0};
  T(select(p[1] + 1, &rs, &ws, NULL, &tv));
  SAY("readable %d writable %d", FD_ISSET(p[0], &rs) != 0, FD_ISSET(p[1], &ws) != 0);
  T(read(p[0], buf, 1));
  FD_ZERO(&rs);
  FD_SET(p[0], &rs);
  struct timeval short_wait = {0, 10000};
  T(select(p[0] + 1, &rs, NULL, NULL, &short_wait));
  SAY("readable %d", FD_ISSET(p[0], &rs) != 0);
  FD_ZERO(&rs);
  FD_SET(90, &rs);
  T(select(91, &rs, NULL, NULL, &tv));
  T(select(-1, NULL, NULL, NULL, &tv));
  T(close(p[0]));
  T(close(p[1]));
  T(close(fd));
  return 0;
}
