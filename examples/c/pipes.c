/* Pipes and other kernel objects behind descriptors: pipe/pipe2, FIFOs, eventfd, memfd,
 * splice, sendfile, copy_file_range, with their errors (poll.c: waiting on them). */
#include "t.h"
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <stdint.h>

#ifndef F_GETPIPE_SZ
#define F_GETPIPE_SZ 1032
#endif
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 1U
#endif
#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING 2U
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_WRITE 0x0008
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#endif

int main(int argc, char **argv) {
  enter_scratch(argc, argv);
  char buf[128];
  struct stat st;
  int p[2];

  puts("# pipe2");
  signal(SIGPIPE, SIG_IGN);
  T(pipe2(p, O_CLOEXEC));
  SAY("fds %d %d", p[0], p[1]);
  T(fcntl(p[0], F_GETFD));
  T(fcntl(p[1], F_GETFL) & O_ACCMODE);
  T(fcntl(p[0], F_GETFL) & O_ACCMODE);
  T(fstat(p[0], &st));
  SAY("fifo %d", S_ISFIFO(st.st_mode));
  T(write(p[1], "hello", 5));
  int avail = -1;
  T(ioctl(p[0], FIONREAD, &avail));
  SAY("FIONREAD %d", avail);
  T(read(p[0], buf, 3));
  show_bytes("read", buf, 3);
  T(read(p[1], buf, 1));
  T(write(p[0], "x", 1));
  T(lseek(p[0], 0, SEEK_CUR));
  T(pread(p[0], buf, 1, 0));
  T(fcntl(p[0], F_GETPIPE_SZ));
  T(close(p[1]));
  T(read(p[0], buf, sizeof buf));
  show_bytes("rest", buf, 2);
  T(read(p[0], buf, sizeof buf));
  T(close(p[0]));
  T(pipe2(p, 0x12345));
  T(pipe2(p, O_NONBLOCK));
  T(read(p[0], buf, 1));
  T(fcntl(p[0], F_GETFL) & O_NONBLOCK);
  T(close(p[0]));
  T(write(p[1], "x", 1));
  T(close(p[1]));

  puts("# a full pipe");
  T(pipe2(p, O_NONBLOCK));
  long total = 0, n;
  memset(buf, 'p', sizeof buf);
  while ((n = write(p[1], buf, sizeof buf)) > 0) {
    total += n;
  }
  SAY("capacity %ld, then %s", total, errname(errno));
  T(close(p[0]));
  T(close(p[1]));

  puts("# FIFO");
  T(mkfifo("fifo", 0600));
  int rd = T(open("fifo", O_RDONLY | O_NONBLOCK));
  int wr = T(open("fifo", O_WRONLY | O_NONBLOCK));
  T(write(wr, "via fifo", 8));
  T(read(rd, buf, sizeof buf));
  show_bytes("fifo", buf, 8);
  T(close(wr));
  T(close(rd));
  T(open("fifo", O_WRONLY | O_NONBLOCK));

  puts("# eventfd");
  int efd = T(eventfd(3, 0));
  uint64_t v = 0;
  T(read(efd, &v, 8));
  SAY("value %llu", (unsigned long long) v);
  v = 2;
  T(write(efd, &v, 8));
  T(write(efd, &v, 4));
  v = UINT64_MAX;
  T(write(efd, &v, 8));
  T(read(efd, &v, 4));
  T(read(efd, &v, 8));
  SAY("value %llu", (unsigned long long) v);
  T(close(efd));
  efd = T(eventfd(0, EFD_NONBLOCK | EFD_SEMAPHORE));
  T(read(efd, &v, 8));
  v = 2;
  T(write(efd, &v, 8));
  T(read(efd, &v, 8));
  SAY("semaphore gives %llu", (unsigned long long) v);
  T(read(efd, &v, 8));
  T(read(efd, &v, 8));
  T(fstat(efd, &st));
  T(close(efd));
  T(eventfd(0, 0x12345));

  puts("# memfd");
  int mfd = T(syscall(SYS_memfd_create, "blink", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  T(fcntl(mfd, F_GETFD));
  T(write(mfd, "memory file", 11));
  T(fstat(mfd, &st));
  SAY("regular %d size %lld mode %o", S_ISREG(st.st_mode), (long long) st.st_size,
      st.st_mode & 0777);
  T(pread(mfd, buf, 6, 0));
  show_bytes("memfd", buf, 6);
  T(ftruncate(mfd, 8192));
  char *map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
  SAY("mapped %d %c", map != MAP_FAILED, map[0]);
  map[8000] = '!';
  T(munmap(map, 8192));
  T(pread(mfd, buf, 1, 8000));
  show_bytes("via mapping", buf, 1);
  T(fcntl(mfd, F_GET_SEALS));
  T(fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW));
  T(fcntl(mfd, F_GET_SEALS));
  T(ftruncate(mfd, 10));
  T(pwrite(mfd, "x", 1, 9000));
  T(pwrite(mfd, "x", 1, 0));
  T(close(mfd));
  T(syscall(SYS_memfd_create, "blink", 0x100));
  char longname[300];
  memset(longname, 'm', sizeof longname);
  longname[299] = 0;
  T(syscall(SYS_memfd_create, longname, 0));
  mfd = T(syscall(SYS_memfd_create, "plain", 0));
  T(fcntl(mfd, F_ADD_SEALS, F_SEAL_WRITE));
  T(close(mfd));

  puts("# splice, sendfile, copy_file_range");
  put("src", "0123456789abcdef");
  int src = T(open("src", O_RDONLY));
  int dst = T(open("dst", O_RDWR | O_CREAT | O_TRUNC, 0644));
  T(pipe(p));
  loff_t off = 4;
  T(splice(src, &off, p[1], NULL, 6, 0));
  SAY("offset now %lld, file position %ld", (long long) off, (long) lseek(src, 0, SEEK_CUR));
  T(splice(p[0], NULL, dst, NULL, 6, 0));
  T(pread(dst, buf, 6, 0));
  show_bytes("spliced", buf, 6);
  T(splice(src, NULL, dst, NULL, 4, 0));
  T(splice(p[0], &off, dst, NULL, 4, 0));
  T(splice(99, NULL, p[1], NULL, 4, 0));
  T(close(p[0]));
  T(close(p[1]));
  off_t soff = 10;
  T(sendfile(dst, src, &soff, 100));
  SAY("offset now %lld, file position %ld", (long long) soff, (long) lseek(src, 0, SEEK_CUR));
  T(sendfile(dst, src, NULL, 3));
  SAY("file position %ld", (long) lseek(src, 0, SEEK_CUR));
  T(pread(dst, buf, 32, 0));
  show_bytes("dst", buf, 15);
  T(sendfile(dst, 99, NULL, 3));
  T(sendfile(src, dst, NULL, 3));
  loff_t in = 0, out = 100;
  T(syscall(SYS_copy_file_range, src, &in, dst, &out, 5, 0));
  SAY("offsets %lld %lld", (long long) in, (long long) out);
  T(syscall(SYS_copy_file_range, src, &in, dst, &out, 5, 1));
  T(fstat(dst, &st));
  SAY("size %lld", (long long) st.st_size);
  T(close(src));
  T(close(dst));
  return 0;
}
