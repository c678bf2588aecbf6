/*
 * Shared by the example programs: T(expr) evaluates a call and prints its source text and its
 * result, or -1 and the errno NAME (names, not strerror texts, which differ between libcs).
 * Every program prints only what a correct Linux gives identically on any machine (no
 * addresses, times, pids, inode numbers or file-system specific sizes), so that a native run
 * and a run under blink-chroot can be compared byte for byte.
 *
 * Each program takes one argument, a directory that does not exist yet: it creates it, works
 * inside it with relative paths, and prints nothing that names it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

__attribute__((unused)) static const char *errname(int e) {
  static char other[16];
  switch (e) {
#define E(x) case x: return #x;
    E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG) E(ENOEXEC) E(EBADF)
    E(ECHILD) E(EAGAIN) E(ENOMEM) E(EACCES) E(EFAULT) E(EBUSY) E(EEXIST) E(EXDEV) E(ENODEV)
    E(ENOTDIR) E(EISDIR) E(EINVAL) E(ENFILE) E(EMFILE) E(ENOTTY) E(ETXTBSY) E(EFBIG) E(ENOSPC)
    E(ESPIPE) E(EROFS) E(EMLINK) E(EPIPE) E(EDOM) E(ERANGE) E(EDEADLK) E(ENAMETOOLONG)
    E(ENOLCK) E(ENOSYS) E(ENOTEMPTY) E(ELOOP) E(ENODATA) E(EOVERFLOW) E(EOPNOTSUPP)
    E(ENOTSOCK) E(ETIMEDOUT)
#undef E
    default:
      snprintf(other, sizeof other, "E#%d", e);
      return other;
  }
}

/* Prints "TEXT = RESULT" or "TEXT = -1 ENAME". */
__attribute__((unused)) static long show(const char *text, long result) {
  if (result == -1) {
    printf("%s = -1 %s\n", text, errname(errno));
  } else {
    printf("%s = %ld\n", text, result);
  }
  return result;
}

#define T(expr) (errno = 0, show(#expr, (long)(expr)))

/* Prints a labelled line; for values computed by the program. */
#define SAY(...) (printf(__VA_ARGS__), putchar('\n'))

/* Creates the scratch directory named by argv[1] and enters it. */
__attribute__((unused)) static void enter_scratch(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s SCRATCH-DIR (a directory to create)\n", argv[0]);
    exit(2);
  }
  umask(022);
  if (mkdir(argv[1], 0755) != 0 || chdir(argv[1]) != 0) {
    perror(argv[1]);
    exit(2);
  }
}

/* Writes a whole string to a new file (mode 0644) and closes it. */
__attribute__((unused)) static void put(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t) strlen(text) || close(fd) != 0) {
    perror(path);
    exit(2);
  }
}

/* Prints a buffer of N bytes, with non-printing bytes as \ooo. */
__attribute__((unused)) static void show_bytes(const char *label, const void *buf, long n) {
  const unsigned char *p = buf;
  printf("%s: \"", label);
  for (long i = 0; i < n; i++) {
    if (p[i] >= 32 && p[i] < 127 && p[i] != '\\' && p[i] != '"') {
      putchar(p[i]);
    } else {
      printf("\\%03o", p[i]);
    }
  }
  printf("\" (%ld)\n", n);
}
