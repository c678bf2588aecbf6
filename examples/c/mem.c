/* Memory: mmap (anonymous, file, private, shared, fixed, beyond EOF), mprotect, mremap, munmap,
 * madvise, msync, brk, with their errors (shared.c checks the coherence of shared mappings).
 * Addresses are never printed: only whether a result lies where it should, relative to another
 * mapping. */
#include "t.h"
#include <stdint.h>
#include <sys/mman.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED 2
#endif

#define PAGE 4096L
#define MAP(addr, len, prot, flags, fd, off) ((long) mmap(addr, len, prot, flags, fd, off))

static void put_bytes(const char *path, long n, char fill) {
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  char *buf = malloc(n);
  memset(buf, fill, n);
  for (long i = 0; i < n; i += PAGE) {
    buf[i] = (char) ('A' + i / PAGE);
  }
  if (fd < 0 || write(fd, buf, n) != n) {
    perror(path);
    exit(2);
  }
  free(buf);
  close(fd);
}

int main(int argc, char **argv) {
  enter_scratch(argc, argv);
  char buf[64];

  puts("# anonymous mappings");
  char *a = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  SAY("anon mapped %d aligned %d", a != MAP_FAILED, ((uintptr_t) a & (PAGE - 1)) == 0);
  SAY("zero filled %d %d", a[0], a[3 * PAGE - 1]);
  memset(a, 'x', 3 * PAGE);
  T(mprotect(a + PAGE, PAGE, PROT_READ));
  SAY("read after mprotect %c", a[PAGE]);
  T(mprotect(a + PAGE, PAGE, PROT_READ | PROT_WRITE));
  a[PAGE] = 'y';
  T(mprotect(a + 1, PAGE, PROT_READ));
  T(mprotect(a, PAGE, 0x100));
  T(madvise(a, PAGE, MADV_DONTNEED));
  SAY("after MADV_DONTNEED %d %c", a[0], a[PAGE]);
  T(madvise(a, PAGE, 12345));
  T(munmap(a + PAGE, PAGE));
  SAY("others kept %d %c", a[PAGE - 1], a[2 * PAGE]);
  T(mprotect(a + PAGE, PAGE, PROT_READ));
  T(mprotect(a, 3 * PAGE, PROT_READ));
  T(msync(a + PAGE, PAGE, MS_SYNC));
  T(munmap(a + PAGE, PAGE));
  T(munmap(a + 1, PAGE));
  T(munmap(a, 0));
  T(munmap(a, 3 * PAGE));
  T(mincore(a, PAGE, (unsigned char *) buf));

  puts("# mmap errors");
  T(MAP(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  T(MAP(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0));
  T(MAP(NULL, PAGE, PROT_READ, MAP_PRIVATE, 99, 0));
  T(MAP((void *) 0x10001000, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
      1) != -1);
  T(MAP((void *) 0x10000001, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
  put_bytes("f", 2 * PAGE + 100, '.');
  int ro = T(open("f", O_RDONLY));
  T(MAP(NULL, PAGE, PROT_READ, MAP_PRIVATE, ro, 1));
  T(MAP(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0));
  T(MAP(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0) != -1);
  T(MAP(NULL, 1L << 50, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  int dfd = T(open(".", O_RDONLY | O_DIRECTORY));
  T(MAP(NULL, PAGE, PROT_READ, MAP_PRIVATE, dfd, 0));
  T(close(dfd));
  int wo = T(open("f", O_WRONLY));
  T(MAP(NULL, PAGE, PROT_READ, MAP_SHARED, wo, 0));
  T(close(wo));

  puts("# file mappings");
  char *p = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE, ro, 0);
  SAY("mapped %d: %c%c %c %c", p != MAP_FAILED, p[0], p[1], p[PAGE], p[2 * PAGE]);
  SAY("after EOF in last page: %d %d", p[2 * PAGE + 99], p[2 * PAGE + 100]);
  SAY("page end %d", p[3 * PAGE - 1]);
  T(munmap(p, 3 * PAGE));
  p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, ro, PAGE);
  SAY("offset mapping %c", p[0]);
  T(munmap(p, PAGE));
  /* A private writable mapping of a read-only descriptor: writes stay in the process. */
  p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
  p[1] = 'P';
  T(pread(ro, buf, 2, 0));
  show_bytes("file after private write", buf, 2);
  SAY("mapping %c%c", p[0], p[1]);
  T(munmap(p, PAGE));

  int rw = T(open("f", O_RDWR));
  char *s = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0);
  SAY("shared mapped %d", s != MAP_FAILED);
  s[1] = 'S';
  s[PAGE + 1] = 'T';
  T(msync(s, 2 * PAGE, MS_SYNC));
  T(pread(rw, buf, 2, 0));
  show_bytes("file after shared write", buf, 2);
  T(pread(rw, buf, 2, PAGE));
  show_bytes("second page", buf, 2);
  /* Stores reach the file by munmap at the latest (shared.c checks they do at once). */
  s[3] = 'Q';
  T(msync(s, PAGE, 0x100));
  T(msync(s + 1, PAGE, MS_SYNC));
  T(msync(s, PAGE, MS_SYNC | MS_ASYNC));
  T(munmap(s, 2 * PAGE));
  T(close(rw));
  T(pread(ro, buf, 4, 0));
  show_bytes("file after unmap", buf, 4);

  puts("# MAP_FIXED, MAP_FIXED_NOREPLACE");
  char *base = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memset(base, 'z', 4 * PAGE);
  char *fixed = mmap(base + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, ro, PAGE);
  SAY("fixed at requested %d: %c, neighbours %c %c", fixed == base + PAGE, fixed[0], base[0],
      base[2 * PAGE]);
  char *nr = mmap(base + 2 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
      MAP_FIXED_NOREPLACE, -1, 0);
  SAY("noreplace over a mapping: failed %d %s", nr == MAP_FAILED, errname(errno));
  T(munmap(base + 3 * PAGE, PAGE));
  nr = mmap(base + 3 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
      -1, 0);
  SAY("noreplace in a hole: at requested %d", nr == base + 3 * PAGE);
  char *hint = mmap(base + 2 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  SAY("hint over a mapping moved %d", hint != base + 2 * PAGE && hint != MAP_FAILED);
  T(munmap(hint, PAGE));
  T(munmap(base, 4 * PAGE));

  puts("# mremap");
  char *m = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memset(m, 'm', 2 * PAGE);
  T(mremap(m, PAGE, 2 * PAGE, 0) == MAP_FAILED);
  SAY("errno %s", errname(errno));
  char *g = mremap(m, 2 * PAGE, 64 * PAGE, MREMAP_MAYMOVE);
  SAY("grown %d kept %c %c new %d", g != MAP_FAILED, g[0], g[2 * PAGE - 1], g[2 * PAGE]);
  g[64 * PAGE - 1] = 'e';
  char *sh = mremap(g, 64 * PAGE, PAGE, 0);
  SAY("shrunk in place %d %c", sh == g, sh[0]);
  T(mremap(g + 1, PAGE, PAGE, 0) == MAP_FAILED);
  SAY("errno %s", errname(errno));
  T(mremap(g, PAGE, 0, MREMAP_MAYMOVE) == MAP_FAILED);
  SAY("errno %s", errname(errno));
  T(mremap(g, PAGE, 2 * PAGE, 0x40) == MAP_FAILED);
  SAY("errno %s", errname(errno));
  char *target = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *moved = mremap(g, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target + PAGE);
  SAY("moved to fixed %d %c", moved == target + PAGE, moved[0]);
  T(munmap(target, 2 * PAGE));

  puts("# brk");
  long start = syscall(SYS_brk, 0);
  long grown = syscall(SYS_brk, start + 3 * PAGE);
  SAY("brk grew by %ld", grown - start);
  char *heap = (char *) start;
  SAY("new heap zero %d %d", heap[0], heap[3 * PAGE - 1]);
  memset(heap, 'h', 3 * PAGE);
  long shrunk = syscall(SYS_brk, start + PAGE);
  SAY("brk shrank to +%ld", shrunk - start);
  long regrown = syscall(SYS_brk, start + 2 * PAGE);
  SAY("regrown to +%ld, kept %c, cleared %d", regrown - start, heap[0], heap[PAGE]);
  long silly = syscall(SYS_brk, 1);
  SAY("brk(1) leaves it at +%ld", silly - start);
  T(syscall(SYS_brk, start) == start);

  puts("# large lazily touched mapping");
  long big = 256L << 20;
  char *lz = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
      -1, 0);
  SAY("mapped %d", lz != MAP_FAILED);
  for (long i = 0; i < big; i += 16 << 20) {
    lz[i] = (char) i;
  }
  SAY("touched %d %d", lz[0], lz[big - 1]);
  T(munmap(lz, big));
  T(close(ro));
  return 0;
}
