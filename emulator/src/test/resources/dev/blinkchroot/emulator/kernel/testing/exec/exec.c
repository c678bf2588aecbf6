/* execve(argv[1], argv + 1, environ); on failure prints the errno and exits 100 + errno. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv) {
  if (argc < 2) return 99;
  execve(argv[1], argv + 1, environ);
  int e = errno;
  const char *m = strerror(e);
  write(2, m, strlen(m));
  write(2, "\n", 1);
  return 100 + e;
}
