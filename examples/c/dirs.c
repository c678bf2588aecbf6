/* Directories and names: mkdir/rmdir/rename/renameat2/link/symlink/readlink/unlink/getdents64/
 * getcwd/chdir/fchdir, with their errors. */
#include "t.h"
#include <dirent.h>
#include <stdint.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

struct linux_dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Lists a directory with raw getdents64 calls, sorted by name (the order is the file system's). */
static void list(const char *path, size_t bufsize) {
  int fd = open(path, O_RDONLY | O_DIRECTORY);
  if (fd < 0) {
    printf("list %s: open -1 %s\n", path, errname(errno));
    return;
  }
  char *names[64];
  int n = 0;
  char *buf = malloc(bufsize);
  long got;
  while ((got = syscall(SYS_getdents64, fd, buf, bufsize)) > 0) {
    for (long off = 0; off < got;) {
      struct linux_dirent64 *d = (struct linux_dirent64 *) (buf + off);
      char *entry = malloc(300);
      snprintf(entry, 300, "%s:%d", d->d_name, d->d_type);
      if (n < 64) {
        names[n++] = entry;
      }
      off += d->d_reclen;
    }
  }
  if (got < 0) {
    printf("list %s: getdents64 -1 %s\n", path, errname(errno));
  }
  qsort(names, n, sizeof names[0], by_name);
  printf("list %s:", path);
  for (int i = 0; i < n; i++) {
    printf(" %s", names[i]);
    free(names[i]);
  }
  putchar('\n');
  free(buf);
  close(fd);
}

static void nlink(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) {
    printf("nlink %s: -1 %s\n", path, errname(errno));
  } else {
    printf("nlink %s: %ld\n", path, (long) st.st_nlink);
  }
}

int main(int argc, char **argv) {
  enter_scratch(argc, argv);
  char buf[256];

  puts("# mkdir");
  T(mkdir("d", 0755));
  T(mkdir("d", 0755));
  T(mkdir("d/e/", 0700));
  T(mkdir("x/y", 0755));
  put("f", "file");
  T(mkdir("f/y", 0755));
  T(mkdir("f", 0755));
  T(mkdir("", 0755));
  T(mkdirat(AT_FDCWD, "d/g", 0755));
  nlink("d");
  nlink(".");
  struct stat st;
  T(stat("d/e", &st));
  SAY("d/e mode %o", st.st_mode);

  puts("# getdents64");
  put("d/file", "");
  T(symlink("file", "d/link"));
  list("d", 4096);
  list("d", 64);
  int dfd = T(open("d", O_RDONLY | O_DIRECTORY));
  T(syscall(SYS_getdents64, dfd, buf, 8));
  T(syscall(SYS_getdents64, 99, buf, sizeof buf));
  int ffd = T(open("f", O_RDONLY));
  T(syscall(SYS_getdents64, ffd, buf, sizeof buf));
  T(close(ffd));
  /* Entries created after opening show up after a rewind. */
  T(syscall(SYS_getdents64, dfd, buf, sizeof buf) > 0);
  put("d/later", "");
  T(lseek(dfd, 0, SEEK_SET));
  T(close(dfd));
  list("d", 4096);
  DIR *dir = opendir("d");
  int count = 0;
  while (readdir(dir) != NULL) {
    count++;
  }
  closedir(dir);
  SAY("readdir count %d", count);

  puts("# rmdir, unlink");
  T(rmdir("d"));
  T(rmdir("f"));
  T(rmdir("missing"));
  T(rmdir("."));
  T(rmdir("d/e/.."));
  T(rmdir("d/e"));
  T(rmdir("d/e"));
  T(unlink("d"));
  T(unlink("d/g/"));
  T(unlinkat(AT_FDCWD, "d/g", 0));
  T(unlinkat(AT_FDCWD, "d/g", AT_REMOVEDIR));
  T(unlinkat(AT_FDCWD, "d/later", AT_REMOVEDIR));
  T(unlinkat(AT_FDCWD, "d/later", 0x1));
  T(unlinkat(AT_FDCWD, "d/later", 0));
  list("d", 4096);

  puts("# rename");
  put("r1", "one");
  put("r2", "two");
  T(rename("r1", "r2"));
  T(access("r1", F_OK));
  T(open("r2", O_RDONLY));
  T(read(3, buf, 10));
  show_bytes("r2", buf, 3);
  T(close(3));
  T(rename("r2", "r2"));
  T(rename("missing", "r3"));
  T(mkdir("s", 0755));
  T(mkdir("s/t", 0755));
  T(mkdir("empty", 0755));
  T(rename("r2", "s"));
  T(rename("s", "r2"));
  T(rename("s", "s/t/u"));
  T(rename("empty", "s"));
  T(rename("s", "empty"));
  T(access("s", F_OK));
  T(rename("empty", "d/e2"));
  nlink("empty");
  nlink("d");
  T(rename("empty/t", "empty/t/"));
  T(rename("r2", "r2/"));
  T(rename(".", "dot"));
  T(rename("r2", "nodir/r2"));
  put("r4", "four");
  T(syscall(SYS_renameat2, AT_FDCWD, "r4", AT_FDCWD, "r2", RENAME_NOREPLACE));
  T(syscall(SYS_renameat2, AT_FDCWD, "r4", AT_FDCWD, "r5", RENAME_NOREPLACE));
  T(syscall(SYS_renameat2, AT_FDCWD, "r5", AT_FDCWD, "r2", RENAME_EXCHANGE));
  T(open("r2", O_RDONLY));
  T(read(3, buf, 10));
  show_bytes("r2 after exchange", buf, 4);
  T(close(3));
  T(syscall(SYS_renameat2, AT_FDCWD, "r5", AT_FDCWD, "nothere", RENAME_EXCHANGE));
  T(syscall(SYS_renameat2, AT_FDCWD, "r5", AT_FDCWD, "r2", RENAME_EXCHANGE | RENAME_NOREPLACE));

  puts("# link");
  T(link("r2", "r2link"));
  nlink("r2");
  T(link("r2", "r5"));
  T(link("d", "dlink"));
  T(link("missing", "l"));
  T(link("r2", "nodir/l"));
  T(unlink("r2link"));
  nlink("r2");

  puts("# symlink, readlink");
  T(symlink("r2", "sl"));
  T(symlink("r2", "sl"));
  T(symlink("nowhere", "dangling"));
  T(symlink("", "emptytarget"));
  T(readlink("sl", buf, sizeof buf));
  show_bytes("sl", buf, 2);
  T(readlink("sl", buf, 1));
  show_bytes("truncated", buf, 1);
  T(readlink("r2", buf, sizeof buf));
  T(readlink("missing", buf, sizeof buf));
  T(readlink("sl", buf, 0));
  T(readlinkat(AT_FDCWD, "dangling", buf, sizeof buf));
  T(open("dangling", O_RDONLY));
  T(lstat("dangling", &st));
  SAY("dangling islnk %d size %lld", S_ISLNK(st.st_mode), (long long) st.st_size);
  T(symlink("loop2", "loop1"));
  T(symlink("loop1", "loop2"));
  T(open("loop1", O_RDONLY));
  T(stat("loop1", &st));
  T(open("sl", O_RDONLY | O_NOFOLLOW));
  T(open("sl", O_RDONLY | O_NOFOLLOW | O_PATH) >= 0);
  T(symlink("d", "dl"));
  T(open("dl/", O_RDONLY | O_DIRECTORY | O_NOFOLLOW) >= 0);
  T(mkdir("sl/x", 0755));
  T(rmdir("dl"));
  T(unlink("dl"));
  T(stat("d", &st));
  T(symlink("/", "abs"));
  T(stat("abs/.", &st));
  SAY("abs isdir %d", S_ISDIR(st.st_mode));
  T(close(3));
  T(close(4));

  puts("# getcwd, chdir, fchdir");
  T(getcwd(buf, sizeof buf) == buf);
  char *base = strrchr(buf, '/');
  SAY("cwd ends in argv[1]: %d", strcmp(base + 1, strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1]) == 0);
  T(getcwd(buf, 1) == NULL);
  SAY("errno %s", errname(errno));
  T(syscall(SYS_getcwd, buf, 1));
  long n = syscall(SYS_getcwd, buf, sizeof buf);
  SAY("getcwd length ok %d", n == (long) strlen(buf) + 1);
  T(chdir("d"));
  T(getcwd(buf, sizeof buf) != NULL);
  SAY("cwd ends in /d: %d", strcmp(strrchr(buf, '/'), "/d") == 0);
  T(chdir("r2"));
  T(chdir("../r2"));
  T(chdir("../missing"));
  T(chdir(""));
  dfd = T(open("..", O_RDONLY | O_DIRECTORY));
  T(fchdir(dfd));
  T(access("r2", F_OK));
  T(close(dfd));
  int filefd = T(open("r2", O_RDONLY));
  T(fchdir(filefd));
  T(fchdir(99));
  T(close(filefd));
  /* The working directory may be removed; getcwd then fails with ENOENT. */
  T(mkdir("gone", 0755));
  T(chdir("gone"));
  T(rmdir("../gone"));
  T(syscall(SYS_getcwd, buf, sizeof buf));
  T(open(".", O_RDONLY));
  T(open("x", O_WRONLY | O_CREAT, 0644));
  T(chdir(".."));
  T(access("r2", F_OK));
  return 0;
}
