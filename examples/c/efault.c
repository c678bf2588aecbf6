/* Wild pointers: system calls made directly with syscall(2) (no libc checks in between) on
 * unmapped, kernel-half and NULL addresses must fail with EFAULT, never crash; zero-length
 * buffers are not touched; a buffer that runs into unmapped memory gives a short count. */
#include "t.h"
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <time.h>

#define WILD ((void *) 0xdeadbeef000UL)
#define KERNEL ((void *) 0xffff880000000000UL)
#define PAGE 4096L

int main(int argc, char **argv) {
  enter_scratch(argc, argv);
  put("f", "0123456789");
  T(symlink("f", "l"));
  int fd = T(open("f", O_RDWR));
  int dfd = T(open(".", O_RDONLY | O_DIRECTORY));
  char buf[64];

  puts("# buffers");
  T(syscall(SYS_read, fd, WILD, 10));
  T(syscall(SYS_read, fd, KERNEL, 10));
  T(syscall(SYS_read, fd, NULL, 10));
  T(syscall(SYS_read, fd, NULL, 0));
  T(syscall(SYS_write, fd, WILD, 10));
  T(syscall(SYS_write, fd, NULL, 0));
  T(syscall(SYS_pread64, fd, WILD, 10, 0));
  T(syscall(SYS_pwrite64, fd, WILD, 10, 0));
  T(syscall(SYS_readv, fd, WILD, 1));
  struct iovec iov = {WILD, 10};
  T(syscall(SYS_readv, fd, &iov, 1));
  T(syscall(SYS_writev, fd, &iov, 1));
  T(syscall(SYS_getdents64, dfd, WILD, 4096));
  T(syscall(SYS_getrandom, WILD, 8, 0));
  T(syscall(SYS_getcwd, WILD, 100));
  T(syscall(SYS_readlink, "l", WILD, 10));
  T(pread(fd, buf, 10, 0));
  show_bytes("file unchanged", buf, 10);

  puts("# paths");
  T(syscall(SYS_open, WILD, O_RDONLY));
  T(syscall(SYS_openat, AT_FDCWD, NULL, O_RDONLY));
  T(syscall(SYS_stat, WILD, buf));
  T(syscall(SYS_mkdir, WILD, 0755));
  T(syscall(SYS_unlink, KERNEL));
  T(syscall(SYS_chdir, WILD));
  T(syscall(SYS_access, WILD, F_OK));
  T(syscall(SYS_rename, "f", WILD));
  T(syscall(SYS_symlink, WILD, "x"));
  T(syscall(SYS_execve, WILD, NULL, NULL));
  char *bad_argv[] = {"x", WILD, NULL};
  T(syscall(SYS_execve, "f", WILD, NULL));
  T(syscall(SYS_execve, "/nonexistent", bad_argv, NULL));

  puts("# structures out");
  T(syscall(SYS_fstat, fd, WILD));
  T(syscall(SYS_stat, "f", WILD));
  T(syscall(SYS_lstat, "l", KERNEL));
  T(syscall(SYS_newfstatat, AT_FDCWD, "f", WILD, 0));
  T(syscall(SYS_statx, AT_FDCWD, "f", 0, 0x7ff, WILD));
  T(syscall(SYS_statfs, ".", WILD));
  T(syscall(SYS_uname, WILD));
  T(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, WILD));
  T(syscall(SYS_clock_getres, CLOCK_MONOTONIC, WILD));
  T(syscall(SYS_gettimeofday, WILD, NULL));
  T(syscall(SYS_getrlimit, RLIMIT_NOFILE, WILD));
  T(syscall(SYS_sysinfo, WILD));
  T(syscall(SYS_pipe, WILD));
  T(syscall(SYS_pipe2, NULL, 0));
  T(syscall(SYS_sched_getaffinity, 0, 128, WILD));
  T(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, WILD, 8));
  T(syscall(SYS_rt_sigaction, SIGUSR1, NULL, WILD, 8));
  T(syscall(SYS_getrusage, RUSAGE_SELF, WILD));
  T(syscall(SYS_times, WILD));

  puts("# structures in");
  T(syscall(SYS_nanosleep, WILD, NULL));
  T(syscall(SYS_utimensat, AT_FDCWD, "f", WILD, 0));
  T(syscall(SYS_setrlimit, RLIMIT_NOFILE, WILD));
  T(syscall(SYS_rt_sigprocmask, SIG_BLOCK, WILD, NULL, 8));
  T(syscall(SYS_rt_sigaction, SIGUSR1, WILD, NULL, 8));
  T(syscall(SYS_prctl, 15, WILD, 0, 0, 0));
  T(syscall(SYS_arch_prctl, 0x1003, WILD));
  T(syscall(SYS_set_robust_list, WILD, 24) == 0);

  puts("# a buffer running into unmapped memory");
  char *two = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  T(munmap(two + PAGE, PAGE));
  memcpy(two + PAGE - 4, "TAIL", 4);
  T(syscall(SYS_pwrite64, fd, two + PAGE - 4, 8, 0));
  T(pread(fd, buf, 10, 0));
  show_bytes("file", buf, 10);
  T(syscall(SYS_pread64, fd, two + PAGE - 4, 8, 0));
  show_bytes("tail", two + PAGE - 4, 4);
  T(syscall(SYS_write, fd, two + PAGE, 8));
  T(mprotect(two, PAGE, PROT_READ));
  T(syscall(SYS_read, fd, two, 8));
  T(syscall(SYS_munmap, two, PAGE));
  T(close(dfd));
  T(close(fd));
  return 0;
}
