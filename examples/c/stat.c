/* Metadata: stat/lstat/fstat/fstatat/statx/access/faccessat/chmod/chown/utimensat/umask/
 * statfs/mkfifo/mknod, with their errors. */
#include "t.h"
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <time.h>

/* The kernel's struct statx (statx(2)), declared here so that old libc headers do not matter. */
struct kstatx_timestamp {
  long long tv_sec;
  unsigned tv_nsec;
  int reserved;
};
struct kstatx {
  unsigned stx_mask, stx_blksize;
  unsigned long long stx_attributes;
  unsigned stx_nlink, stx_uid, stx_gid;
  unsigned short stx_mode, pad1;
  unsigned long long stx_ino, stx_size, stx_blocks, stx_attributes_mask;
  struct kstatx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
  unsigned stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
  unsigned long long spare[14];
};
#define K_STATX_BASIC_STATS 0x7ffU
#define K_STATX_SIZE 0x200U

static void show_stat(const char *path, int follow) {
  struct stat st;
  int r = follow ? stat(path, &st) : lstat(path, &st);
  if (r != 0) {
    printf("%s %s: -1 %s\n", follow ? "stat" : "lstat", path, errname(errno));
    return;
  }
  printf("%s %s: mode %o nlink %ld size %lld uid-is-mine %d gid-is-mine %d\n",
      follow ? "stat" : "lstat", path, st.st_mode,
      S_ISDIR(st.st_mode) ? -1L : (long) st.st_nlink,
      S_ISDIR(st.st_mode) ? -1LL : (long long) st.st_size, st.st_uid == getuid(),
      st.st_gid == getgid());
}

static void show_times(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    printf("times %s: -1 %s\n", path, errname(errno));
    return;
  }
  printf("times %s: atime %lld.%09ld mtime %lld.%09ld\n", path, (long long) st.st_atim.tv_sec,
      st.st_atim.tv_nsec, (long long) st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

int main(int argc, char **argv) {
  enter_scratch(argc, argv);
  struct stat st;

  puts("# stat, lstat, fstat, fstatat");
  put("f", "0123456789");
  T(symlink("f", "l"));
  T(mkdir("d", 0750));
  show_stat("f", 1);
  show_stat("l", 1);
  show_stat("l", 0);
  show_stat("d", 1);
  show_stat("missing", 1);
  show_stat("f/", 1);
  show_stat("f/x", 1);
  show_stat("", 1);
  int fd = T(open("f", O_RDONLY));
  T(fstat(fd, &st));
  SAY("fstat size %lld blocks-ok %d", (long long) st.st_size, st.st_blocks >= 0);
  T(fstat(99, &st));
  T(fstatat(AT_FDCWD, "l", &st, AT_SYMLINK_NOFOLLOW));
  SAY("islnk %d", S_ISLNK(st.st_mode));
  T(fstatat(fd, "", &st, AT_EMPTY_PATH));
  SAY("size %lld", (long long) st.st_size);
  T(fstatat(fd, "", &st, 0));
  T(fstatat(fd, "x", &st, 0));
  T(fstatat(AT_FDCWD, "f", &st, 0x4000000));
  int dfd = T(open("d", O_RDONLY | O_DIRECTORY));
  put("d/in", "in");
  T(fstatat(dfd, "in", &st, 0));
  SAY("size %lld", (long long) st.st_size);
  T(close(dfd));

  puts("# statx");
  struct kstatx sx;
  T(syscall(SYS_statx, AT_FDCWD, "f", 0, K_STATX_BASIC_STATS, &sx));
  SAY("basic %d size %llu mode %o nlink %u", (sx.stx_mask & K_STATX_BASIC_STATS) ==
      K_STATX_BASIC_STATS, sx.stx_size, sx.stx_mode, sx.stx_nlink);
  T(syscall(SYS_statx, AT_FDCWD, "l", AT_SYMLINK_NOFOLLOW, K_STATX_BASIC_STATS, &sx));
  SAY("mode %o size %llu", sx.stx_mode, sx.stx_size);
  T(syscall(SYS_statx, fd, "", AT_EMPTY_PATH, K_STATX_SIZE, &sx));
  SAY("size-in-mask %d size %llu", (sx.stx_mask & K_STATX_SIZE) != 0, sx.stx_size);
  T(syscall(SYS_statx, AT_FDCWD, "missing", 0, K_STATX_BASIC_STATS, &sx));
  T(syscall(SYS_statx, AT_FDCWD, "f", 0x12345678, K_STATX_BASIC_STATS, &sx));
  T(syscall(SYS_statx, AT_FDCWD, "f", 0, 0x80000000U, &sx));
  T(close(fd));

  puts("# access");
  T(access("f", F_OK));
  T(access("f", R_OK | W_OK));
  T(access("f", X_OK));
  T(access("d", X_OK));
  T(access("missing", F_OK));
  T(access("f/", F_OK));
  T(access("f", 8));
  T(faccessat(AT_FDCWD, "l", R_OK, AT_SYMLINK_NOFOLLOW));
  T(faccessat(AT_FDCWD, "f", R_OK, AT_EACCESS));
  T(chmod("f", 0755));
  T(access("f", X_OK));
  T(chmod("f", 0644));

  puts("# chmod");
  T(chmod("f", 04751));
  show_stat("f", 1);
  T(chmod("l", 0600));
  show_stat("f", 1);
  show_stat("l", 0);
  T(chmod("missing", 0600));
  fd = T(open("f", O_RDONLY));
  T(fchmod(fd, 0640));
  T(fstat(fd, &st));
  SAY("mode %o", st.st_mode);
  T(fchmod(99, 0640));
  T(fchmodat(AT_FDCWD, "f", 0644, 0));
  show_stat("f", 1);
  T(close(fd));

  puts("# chown");
  T(chown("f", -1, -1));
  T(chown("f", getuid(), getgid()));
  T(lchown("l", getuid(), -1));
  T(chown("missing", getuid(), getgid()));
  fd = T(open("f", O_RDONLY));
  T(fchown(fd, -1, getgid()));
  T(fchown(99, -1, -1));
  T(fchownat(AT_FDCWD, "l", -1, -1, AT_SYMLINK_NOFOLLOW));
  T(fchownat(AT_FDCWD, "l", -1, -1, 0x12345));
  T(close(fd));
  show_stat("f", 1);

  puts("# utimensat, futimens");
  struct timespec ts[2] = {{1000000000, 123456789}, {1234567890, 0}};
  T(utimensat(AT_FDCWD, "f", ts, 0));
  show_times("f");
  struct timespec omit[2] = {{0, UTIME_OMIT}, {2000000000, 5}};
  T(utimensat(AT_FDCWD, "f", omit, 0));
  show_times("f");
  struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
  T(utimensat(AT_FDCWD, "f", bad, 0));
  struct timespec negative[2] = {{0, -5}, {0, 0}};
  T(utimensat(AT_FDCWD, "f", negative, 0));
  T(utimensat(AT_FDCWD, "missing", ts, 0));
  T(utimensat(AT_FDCWD, "l", ts, AT_SYMLINK_NOFOLLOW));
  T(utimensat(AT_FDCWD, "f", ts, 0x12345));
  fd = T(open("f", O_RDONLY));
  struct timespec later[2] = {{1500000000, 1}, {1500000001, 2}};
  T(futimens(fd, later));
  show_times("f");
  T(futimens(99, later));
  T(close(fd));
  struct stat before, after;
  T(stat("f", &before));
  T(utimensat(AT_FDCWD, "f", NULL, 0));
  T(stat("f", &after));
  SAY("now moved mtime forward %d", after.st_mtim.tv_sec > before.st_mtim.tv_sec);

  puts("# umask");
  T(umask(077));
  T(umask(077));
  put("private", "");
  show_stat("private", 1);
  T(mkdir("privdir", 0777));
  T(stat("privdir", &st));
  SAY("privdir mode %o", st.st_mode);
  T(umask(01777) & 0777);
  T(umask(022));

  puts("# truncate");
  T(truncate("f", 3));
  show_stat("f", 1);
  T(truncate("d", 0));
  T(truncate("f", -1));

  puts("# mkfifo, mknod");
  T(mkfifo("fifo", 0644));
  T(lstat("fifo", &st));
  SAY("fifo %d mode %o", S_ISFIFO(st.st_mode), st.st_mode);
  T(mkfifo("fifo", 0644));
  T(mknod("reg", S_IFREG | 0600, 0));
  show_stat("reg", 1);
  T(mknod("bad", 0170000 | 0600, 0));

  puts("# statfs");
  struct statfs sf;
  T(statfs(".", &sf));
  SAY("bsize-ok %d namelen %ld", sf.f_bsize > 0, (long) sf.f_namelen);
  T(statfs("missing", &sf));
  fd = T(open(".", O_RDONLY));
  T(fstatfs(fd, &sf));
  T(fstatfs(99, &sf));
  T(close(fd));
  return 0;
}
