/*
 * MAP_SHARED file mappings are coherent with each other and with read(2)/write(2) at once,
 * without msync: stores through a mapping are seen by pread and by other mappings, pwrite and
 * write (O_APPEND too) are seen by mappings, a mapping reaching past the end of the file sees the
 * file grow, ftruncate is seen, mremap keeps the sharing, and a memfd mapped twice (a writable
 * view and an executable view, as JITs do) runs the code last written through the other view.
 */
#include "t.h"
#include <sys/mman.h>

#define PAGE 4096

int main(int argc, char **argv) {
  enter_scratch(argc, argv);
  char buf[16];

  puts("# store through a mapping, read with pread");
  put("f", "abcdefgh");
  int rw = T(open("f", O_RDWR));
  char *a = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0);
  SAY("mapped %d", a != MAP_FAILED);
  a[1] = 'B';
  T(pread(rw, buf, 4, 0));
  show_bytes("pread sees the store", buf, 4);

  puts("# pwrite and write, seen by the mapping");
  T(pwrite(rw, "XY", 2, 4));
  SAY("mapping sees pwrite %c%c", a[4], a[5]);
  T(lseek(rw, 6, SEEK_SET));
  T(write(rw, "Z", 1));
  SAY("mapping sees write %c", a[6]);
  SAY("earlier store kept %c", a[1]);

  puts("# a second mapping and a read-only descriptor's mapping");
  char *b = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0);
  int ro = T(open("f", O_RDONLY));
  char *r = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, ro, 0);
  SAY("different addresses %d", a != b && b != r && a != r);
  b[0] = 'A';
  SAY("first mapping sees the second's store %c, read-only mapping too %c", a[0], r[0]);
  T(pwrite(rw, "!", 1, 7));
  SAY("all three see pwrite %c %c %c", a[7], b[7], r[7]);
  int app = T(open("f", O_WRONLY | O_APPEND));
  T(write(app, "+", 1));
  SAY("O_APPEND write at 8 seen %c", r[8]);
  T(close(app));
  T(read(ro, buf, 9));
  show_bytes("read through the read-only descriptor", buf, 9);

  puts("# a mapping past the end of the file sees it grow");
  char *two = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, ro, 0);
  SAY("mapped two pages of a 9-byte file %d", two != MAP_FAILED);
  T(ftruncate(rw, 2 * PAGE));
  T(pwrite(rw, "grown", 5, PAGE + 10));
  SAY("second page %.5s", two + PAGE + 10);
  T(ftruncate(rw, 3));
  SAY("after shrinking to 3: byte 2 %c, byte 5 is zero %d", r[2], r[5] == 0);
  T(ftruncate(rw, 8));
  SAY("after growing to 8: byte 5 still zero %d", r[5] == 0);
  T(munmap(two, 2 * PAGE));

  puts("# mremap keeps the sharing");
  char *grown = mremap(b, PAGE, 2 * PAGE, MREMAP_MAYMOVE);
  SAY("grown %d", grown != MAP_FAILED);
  grown[3] = 'm';
  SAY("other mapping sees the moved one's store %c", a[3]);
  T(munmap(grown, 2 * PAGE));

  puts("# munmap keeps the stores in the file");
  a[4] = 'u';
  T(munmap(a, PAGE));
  T(munmap(r, PAGE));
  T(pread(ro, buf, 8, 0));
  show_bytes("file", buf, 8);
  T(close(rw));
  T(close(ro));

  puts("# memfd mapped twice: write code through one view, run it through the other");
  int mfd = T(memfd_create("jit", 0));
  T(ftruncate(mfd, PAGE));
  unsigned char *w = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
  unsigned char *x = mmap(NULL, PAGE, PROT_READ | PROT_EXEC, MAP_SHARED, mfd, 0);
  SAY("views mapped %d", w != MAP_FAILED && x != MAP_FAILED);
  int (*fn)(void) = (int (*)(void)) x;
  for (int v = 1; v <= 3; v++) {
    unsigned char code[] = {0xb8, (unsigned char) (40 + v), 0, 0, 0, 0xc3}; /* mov eax, N; ret */
    memcpy(w, code, sizeof code);
    __builtin___clear_cache((char *) x, (char *) x + sizeof code);
    SAY("call %d returns %d", v, fn());
  }
  T(pwrite(mfd, "\xb8\x07\x00\x00\x00\xc3", 6, 0));
  SAY("after pwrite of new code returns %d", fn());
  T(munmap(w, PAGE));
  T(munmap(x, PAGE));
  T(close(mfd));
  return 0;
}
