package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.MemorySyscallsTest.ANON;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscallsTest.EACCES;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscallsTest.EFAULT;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscallsTest.EINVAL;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscallsTest.ENOMEM;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscallsTest.FIXED;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscallsTest.MMAP_BASE;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscallsTest.PAGE;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscallsTest.PRIVATE;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscallsTest.R;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscallsTest.RW;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscallsTest.SHARED;
import static dev.blinkchroot.emulator.kernel.calls.MmapTestFiles.contents;
import static dev.blinkchroot.emulator.kernel.calls.MmapTestFiles.create;
import static dev.blinkchroot.emulator.kernel.calls.MmapTestFiles.open;
import static dev.blinkchroot.emulator.kernel.calls.MmapTestFiles.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.mm.FileMappings;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.emulator.memory.MemoryFault;
import dev.blinkchroot.vfs.Fcntl;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** mremap and madvise (errors checked against Linux 6.18, x86-64). */
class MemoryRemapTest {
  static final int MAYMOVE = 1;
  static final int MREMAP_FIXED = 2;
  static final int DONTUNMAP = 4;
  static final int MADV_DONTNEED = 4;
  static final int MADV_FREE = 8;
  static final int MADV_REMOVE = 9;
  static final int MADV_WIPEONFORK = 18;
  static final int MADV_POPULATE_READ = 22;
  static final int MADV_POPULATE_WRITE = 23;

  final KernelFixture k = new KernelFixture();
  final GuestMemory mem = k.process.memory();

  long anon(long addr, long len, int prot, int flags) {
    return k.call("mmap", addr, len, prot, flags | ANON, -1, 0);
  }

  // ---------------------------------------------------------------- mremap

  @Test
  void mremap_shrink_unmapsTheTailInPlace() {
    long a = anon(0x500000000L, 4 * PAGE, RW, PRIVATE | FIXED);
    assertEquals(a, k.call("mremap", a, 4 * PAGE, PAGE + 1, 0, 0));
    assertEquals(RW, mem.protectionAt(a + PAGE));
    assertEquals(-1, mem.protectionAt(a + 2 * PAGE));
  }

  @Test
  void mremap_grow_inPlaceWhenTheNextPagesAreFree() {
    long a = anon(0x500000000L, PAGE, RW, PRIVATE | FIXED);
    mem.write64(a, 0x1234);
    assertEquals(a, k.call("mremap", a, PAGE, 3 * PAGE, 0, 0));
    assertEquals(0x1234, mem.read64(a));
    assertEquals(0, mem.read64(a + 2 * PAGE));
    assertEquals(RW, mem.protectionAt(a + 2 * PAGE));
  }

  @Test
  void mremap_grow_movesWithMaymove_preservingContents() {
    long a = anon(0x500000000L, 2 * PAGE, RW, PRIVATE | FIXED);
    anon(a + 2 * PAGE, PAGE, R, PRIVATE | FIXED); // blocks growth in place
    byte[] data = pattern(2 * 4096, 9);
    mem.writeBytes(a, data, 0, data.length);
    assertEquals(ENOMEM, k.call("mremap", a, 2 * PAGE, 4 * PAGE, 0, 0));
    long b = k.call("mremap", a, 2 * PAGE, 4 * PAGE, MAYMOVE, 0);
    assertEquals(MMAP_BASE - 4 * PAGE, b);
    assertArrayEquals(data, k.read(b, data.length));
    assertArrayEquals(new byte[4096], k.read(b + 3 * PAGE, 4096));
    assertEquals(-1, mem.protectionAt(a));
    assertEquals(RW, mem.protectionAt(b + 3 * PAGE));
  }

  @Test
  void mremap_movesProtNoneMemoryToo() {
    long a = anon(0x500000000L, 2 * PAGE, RW, PRIVATE | FIXED);
    mem.write64(a + PAGE, 99);
    assertEquals(0, k.call("mprotect", a, 2 * PAGE, 0));
    long b = k.call("mremap", a, 2 * PAGE, 2 * PAGE, MAYMOVE | MREMAP_FIXED, 0x600000000L);
    assertEquals(0x600000000L, b);
    assertEquals(0, k.call("mprotect", b, 2 * PAGE, R));
    assertEquals(99, mem.read64(b + PAGE));
  }

  @Test
  void mremap_fixed_replacesTheDestination_andMayShrinkOrGrow() {
    long a = anon(0x500000000L, 2 * PAGE, RW, PRIVATE | FIXED);
    mem.write64(a, 1);
    mem.write64(a + PAGE, 2);
    long dest = anon(0x600000000L, 4 * PAGE, R, PRIVATE | FIXED);
    assertEquals(dest, k.call("mremap", a, 2 * PAGE, 3 * PAGE, MAYMOVE | MREMAP_FIXED, dest));
    assertEquals(1, mem.read64(dest));
    assertEquals(2, mem.read64(dest + PAGE));
    assertEquals(RW, mem.protectionAt(dest + 2 * PAGE));
    assertEquals(R, mem.protectionAt(dest + 3 * PAGE)); // the rest of the old destination
    assertEquals(-1, mem.protectionAt(a));
    long c = anon(0x700000000L, 3 * PAGE, RW, PRIVATE | FIXED);
    mem.write64(c, 5);
    assertEquals(0x710000000L,
        k.call("mremap", c, 3 * PAGE, PAGE, MAYMOVE | MREMAP_FIXED, 0x710000000L));
    assertEquals(5, mem.read64(0x710000000L));
    assertEquals(-1, mem.protectionAt(c + 2 * PAGE));
  }

  @Test
  void mremap_errors() {
    long a = anon(0x500000000L, 2 * PAGE, RW, PRIVATE | FIXED);
    assertEquals(EINVAL, k.call("mremap", a, PAGE, PAGE, 8, 0));
    assertEquals(EINVAL, k.call("mremap", a, PAGE, PAGE, MREMAP_FIXED, 0x600000000L));
    assertEquals(EINVAL, k.call("mremap", a, PAGE, PAGE, DONTUNMAP, 0));
    assertEquals(EINVAL, k.call("mremap", a + 1, PAGE, PAGE, 0, 0));
    assertEquals(EINVAL, k.call("mremap", a, PAGE, 0, MAYMOVE, 0));
    assertEquals(EINVAL, k.call("mremap", a, PAGE, 2 * PAGE, MAYMOVE | DONTUNMAP, 0));
    assertEquals(EINVAL, k.call("mremap", a, PAGE, PAGE, MAYMOVE | MREMAP_FIXED, a));
    assertEquals(EINVAL, k.call("mremap", a, PAGE, PAGE, MAYMOVE | MREMAP_FIXED, 0x600000001L));
    assertEquals(EINVAL, k.call("mremap", a, 0, PAGE, MAYMOVE, 0)); // private: nothing to share
    assertEquals(EINVAL, k.call("mremap", a, 1L << 48, PAGE, 0, 0));
    assertEquals(EFAULT, k.call("mremap", 0x100000000L, PAGE, 2 * PAGE, MAYMOVE, 0));
    assertEquals(0, k.call("mprotect", a + PAGE, PAGE, R));
    assertEquals(EFAULT, k.call("mremap", a, 2 * PAGE, 3 * PAGE, MAYMOVE, 0)); // two mappings
    assertEquals(a, k.call("mremap", a, 2 * PAGE, PAGE, 0, 0)); // shrinking checks nothing
  }

  @Test
  void mremap_dontunmap_movesThePages_andLeavesTheOldRangeEmpty() {
    long a = anon(0x500000000L, 2 * PAGE, RW, PRIVATE | FIXED);
    mem.write64(a + PAGE, 42);
    long b = k.call("mremap", a, 2 * PAGE, 2 * PAGE, MAYMOVE | DONTUNMAP, 0);
    assertTrue(b > 0 && b != a);
    assertEquals(42, mem.read64(b + PAGE));
    assertEquals(RW, mem.protectionAt(a + PAGE));
    assertEquals(0, mem.read64(a + PAGE));
  }

  @Test
  void mremap_fileMapping_keepsItsNameAndOffset_andGrowsWithFileBytes() {
    byte[] data = pattern(4 * 4096, 4);
    create(k, "/lib.so", data);
    int fd = open(k, "/lib.so", Fcntl.O_RDONLY);
    long a = k.call("mmap", 0x500000000L, PAGE, R, PRIVATE | FIXED, fd, PAGE);
    anon(a + PAGE, PAGE, R, PRIVATE | FIXED);
    long b = k.call("mremap", a, PAGE, 3 * PAGE, MAYMOVE, 0);
    assertTrue(b > 0 && b != a);
    assertArrayEquals(Arrays.copyOfRange(data, 4096, 4 * 4096), k.read(b, 3 * 4096));
    FileMappings.Named n = k.process.fileMappings().at(b + 2 * PAGE);
    assertEquals("/lib.so", n.nameString());
    assertEquals(b, n.start());
    assertEquals(b + 3 * PAGE, n.end());
    assertEquals(PAGE, n.offset());
    assertNull(k.process.fileMappings().at(a));
  }

  @Test
  void mremap_sharedFileMapping_movedPagesStillWriteBack() {
    create(k, "/db", pattern(2 * 4096, 1));
    int fd = open(k, "/db", Fcntl.O_RDWR);
    long a = k.call("mmap", 0x500000000L, 2 * PAGE, RW, SHARED | FIXED, fd, 0);
    anon(a + 2 * PAGE, PAGE, R, PRIVATE | FIXED);
    long b = k.call("mremap", a, 2 * PAGE, 3 * PAGE, MAYMOVE, 0);
    mem.write8(b + PAGE + 3, 'S');
    assertEquals(0, k.call("munmap", b, 3 * PAGE));
    assertEquals('S', contents(k, "/db")[4096 + 3]);
    assertEquals(2 * 4096, contents(k, "/db").length);
  }

  // ---------------------------------------------------------------- madvise

  @Test
  void madvise_dontneed_zeroesPrivateAnonymousPages_keepingProtection() {
    long a = anon(0, 3 * PAGE, RW, PRIVATE);
    mem.write64(a, 1);
    mem.write64(a + PAGE, 2);
    mem.write64(a + 2 * PAGE, 3);
    assertEquals(0, k.call("madvise", a, 2 * PAGE, MADV_DONTNEED));
    assertEquals(0, mem.read64(a));
    assertEquals(0, mem.read64(a + PAGE));
    assertEquals(3, mem.read64(a + 2 * PAGE));
    assertEquals(RW, mem.protectionAt(a));
  }

  @Test
  void madvise_dontneed_privateFileMappingRereadsTheFile_sharedKeepsItsBytes() {
    create(k, "/f", pattern(4096, 6));
    int fd = open(k, "/f", Fcntl.O_RDWR);
    long p = k.call("mmap", 0, PAGE, R, PRIVATE, fd, 0);
    assertEquals(0, k.call("mprotect", p, PAGE, RW));
    mem.write8(p, 0);
    assertEquals(0, k.call("madvise", p, PAGE, MADV_DONTNEED));
    assertEquals(pattern(4096, 6)[0], (byte) mem.read8(p));
    assertEquals(RW, mem.protectionAt(p));
    long s = k.call("mmap", 0, PAGE, RW, SHARED, fd, 0);
    mem.write8(s, 'k');
    assertEquals(0, k.call("madvise", s, PAGE, MADV_DONTNEED));
    assertEquals('k', mem.read8(s));
  }

  @Test
  void madvise_errors() {
    long a = anon(0, PAGE, RW, PRIVATE);
    assertEquals(EINVAL, k.call("madvise", a, PAGE, 999));
    assertEquals(EINVAL, k.call("madvise", 0x100000000L, PAGE, 999)); // advice checked first
    assertEquals(EINVAL, k.call("madvise", a + 1, PAGE, 0));
    assertEquals(EINVAL, k.call("madvise", a + 1, 0, 0));
    assertEquals(EINVAL, k.call("madvise", a, -1, 0));
    assertEquals(0, k.call("madvise", a, 0, 0));
    assertEquals(ENOMEM, k.call("madvise", 0x100000000L, PAGE, MADV_DONTNEED));
    assertEquals(ENOMEM, k.call("madvise", 0x100000000L, PAGE, 0));
    assertEquals(EINVAL, k.call("madvise", a, PAGE, MADV_REMOVE)); // private anonymous
    assertEquals(0, k.call("madvise", a, PAGE, MADV_FREE));
    assertEquals(0, k.call("madvise", a, PAGE, MADV_WIPEONFORK));
    long ro = anon(0, PAGE, R, PRIVATE);
    long none = anon(0, PAGE, 0, PRIVATE);
    assertEquals(EINVAL, k.call("madvise", ro, PAGE, MADV_POPULATE_WRITE));
    assertEquals(EINVAL, k.call("madvise", none, PAGE, MADV_POPULATE_READ));
    assertEquals(0, k.call("madvise", ro, PAGE, MADV_POPULATE_READ));
    create(k, "/f", pattern(10, 1));
    int fd = open(k, "/f", Fcntl.O_RDWR);
    long fp = k.call("mmap", 0, PAGE, R, PRIVATE, fd, 0);
    long fs = k.call("mmap", 0, PAGE, RW, SHARED, fd, 0);
    assertEquals(EINVAL, k.call("madvise", fp, PAGE, MADV_FREE));
    assertEquals(EINVAL, k.call("madvise", fp, PAGE, MADV_WIPEONFORK));
    assertEquals(EACCES, k.call("madvise", fp, PAGE, MADV_REMOVE));
    assertEquals(EINVAL, k.call("madvise", fs, PAGE, MADV_FREE));
    assertEquals(0, k.call("madvise", fs, PAGE, MADV_DONTNEED));
  }

  @Test
  void madvise_mappedPartsAreAdvised_beforeEnomemForTheHole() {
    long a = anon(0x500000000L, PAGE, RW, PRIVATE | FIXED);
    mem.write64(a, 5);
    assertEquals(ENOMEM, k.call("madvise", a, 2 * PAGE, MADV_DONTNEED));
    assertEquals(0, mem.read64(a));
  }

  @Test
  void madvise_remove_onASharedFileMapping_zeroesMappingAndFile() {
    create(k, "/f", pattern(2 * 4096, 3));
    int fd = open(k, "/f", Fcntl.O_RDWR);
    long s = k.call("mmap", 0, 2 * PAGE, RW, SHARED, fd, 0);
    assertEquals(0, k.call("madvise", s + PAGE, PAGE, MADV_REMOVE));
    assertArrayEquals(new byte[4096], k.read(s + PAGE, 4096));
    byte[] file = contents(k, "/f");
    assertArrayEquals(new byte[4096], Arrays.copyOfRange(file, 4096, 8192));
    assertArrayEquals(Arrays.copyOf(pattern(2 * 4096, 3), 4096), Arrays.copyOf(file, 4096));
    assertEquals(0, k.call("munmap", s, 2 * PAGE));
    assertArrayEquals(file, contents(k, "/f"));
  }

  @Test
  void madvise_removeOfAWholeSharedMapping_keepsTheFileForLaterWriteback() {
    create(k, "/f", pattern(4096, 3));
    int fd = open(k, "/f", Fcntl.O_RDWR);
    long s = k.call("mmap", 0, PAGE, RW, SHARED, fd, 0);
    k.process.fds().close(fd);
    assertEquals(0, k.call("madvise", s, PAGE, MADV_REMOVE));
    mem.write8(s + 7, 'r');
    assertEquals(0, k.call("munmap", s, PAGE));
    byte[] expected = new byte[4096];
    expected[7] = 'r';
    assertArrayEquals(expected, contents(k, "/f"));
  }

  @Test
  void madvise_dontneedOfAWholeSharedMappingNeighbour_keepsWritebackWorking() {
    create(k, "/f", pattern(2 * 4096, 3));
    int fd = open(k, "/f", Fcntl.O_RDWR);
    long p = k.call("mmap", 0, PAGE, RW, PRIVATE, fd, 0);
    long s = k.call("mmap", 0, PAGE, RW, SHARED, fd, PAGE);
    k.process.fds().close(fd);
    assertEquals(0, k.call("madvise", p, PAGE, MADV_DONTNEED)); // rereads the file
    assertEquals(pattern(2 * 4096, 3)[0], (byte) mem.read8(p));
    mem.write8(s, 'w');
    assertEquals(0, k.call("munmap", s, PAGE));
    assertEquals('w', contents(k, "/f")[4096]);
  }

  @Test
  void madvise_dontneedOnReadOnlyPrivateMemory_stillZeroes() {
    long a = anon(0, PAGE, RW, PRIVATE);
    mem.write64(a, 8);
    assertEquals(0, k.call("mprotect", a, PAGE, R));
    assertEquals(0, k.call("madvise", a, PAGE, MADV_DONTNEED));
    assertEquals(0, mem.read64(a));
    assertThrows(MemoryFault.class, () -> mem.write8(a, 1));
  }
}
