/* The guest of SpawnStressTest: N cycles of fork, execve(PROGRAM ARGS...) in the child and
 * wait4 in the parent, each child checked to have exited 0. After every 1000th cycle, when no
 * child is alive, it writes "cycle K" on stdout (the test measures the JVM then, while this
 * write waits); at the end "done N". A failed call ends it with status 1 and one line naming
 * the call and its errno.
 *   spawn_loop N PROGRAM [ARG...] */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void say(const char *line) {
  size_t n = strlen(line);
  if (write(1, line, n) != (ssize_t) n) {
    _exit(1);
  }
}

static void fail(const char *call, int cycle, int err) {
  char line[160];
  snprintf(line, sizeof line, "cycle %d: %s failed: errno %d (%s)\n", cycle, call, err,
      strerror(err));
  say(line);
  exit(1);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    say("usage: spawn_loop N PROGRAM [ARG...]\n");
    return 2;
  }
  int cycles = atoi(argv[1]);
  char line[64];
  for (int i = 1; i <= cycles; i++) {
    pid_t child = fork();
    if (child < 0) {
      fail("fork", i, errno);
    }
    if (child == 0) {
      execve(argv[2], argv + 2, environ);
      _exit(127);
    }
    int status;
    pid_t r;
    do {
      r = waitpid(child, &status, 0);
    } while (r < 0 && errno == EINTR);
    if (r != child) {
      fail("wait4", i, errno);
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      snprintf(line, sizeof line, "cycle %d: the child ended with status %#x\n", i, status);
      say(line);
      return 1;
    }
    if (i % 1000 == 0) {
      snprintf(line, sizeof line, "cycle %d\n", i);
      say(line);
    }
  }
  snprintf(line, sizeof line, "done %d\n", cycles);
  say(line);
  return 0;
}
