package dev.blinkchroot.emulator.kernel.calls;

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
import dev.blinkchroot.emulator.kernel.mm.AddressSpace;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.emulator.memory.MemoryFault;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Stat;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * mmap, munmap, mprotect, brk, msync, mincore and membarrier. The error cases were checked
 * against Linux 6.18 (x86-64) with a C program calling each case (the expected errno in each
 * assertion is what it printed).
 */
class MemorySyscallsTest {
  static final long PAGE = 4096;
  static final int R = 1;
  static final int W = 2;
  static final int X = 4;
  static final int RW = R | W;
  static final int SHARED = 0x01;
  static final int PRIVATE = 0x02;
  static final int SHARED_VALIDATE = 0x03;
  static final int FIXED = 0x10;
  static final int ANON = 0x20;
  static final int MAP_32BIT = 0x40;
  static final int GROWSDOWN = 0x100;
  static final int NORESERVE = 0x4000;
  static final int POPULATE = 0x8000;
  static final int HUGETLB = 0x40000;
  static final int SYNC = 0x80000;
  static final int NOREPLACE = 0x100000;
  static final long EPERM = -1;
  static final long EBADF = -9;
  static final long ENOMEM = -12;
  static final long EACCES = -13;
  static final long EFAULT = -14;
  static final long EEXIST = -17;
  static final long ENODEV = -19;
  static final long EINVAL = -22;
  static final long EOVERFLOW = -75;
  static final long EOPNOTSUPP = -95;
  /** Linux's mmap_base without ASLR: where top-down placement starts. */
  static final long MMAP_BASE = 0x7ffff7fff000L;

  final KernelFixture k = new KernelFixture();
  final GuestMemory mem = k.process.memory();

  long anon(long addr, long len, int prot, int flags) {
    return k.call("mmap", addr, len, prot, flags | ANON, -1, 0);
  }

  // ---------------------------------------------------------------- mmap: anonymous

  @Test
  void mmap_anonymous_isPlacedTopDownBelowTheMmapBase_andZeroFilled() {
    long a = anon(0, PAGE, RW, PRIVATE);
    long b = anon(0, 3 * PAGE, RW, PRIVATE);
    assertEquals(MMAP_BASE - PAGE, a);
    assertEquals(a - 3 * PAGE, b);
    assertArrayEquals(new byte[100], k.read(b + 5000, 100));
    mem.write64(b + 8, 42);
    assertEquals(42, mem.read64(b + 8));
    assertEquals(RW, mem.protectionAt(b));
  }

  @Test
  void mmap_anonymous_ignoresTheDescriptor_andLengthIsRoundedUp() {
    long a = k.call("mmap", 0, 10, R, PRIVATE | ANON, 99, 0);
    assertTrue(a > 0);
    assertEquals(new GuestMemory.Mapping(a, a + PAGE, R), mappingAt(a));
    assertNull(k.process.fileMappings().at(a)); // anonymous memory has no name
  }

  @Test
  void mmap_invalidArguments_einval() {
    assertEquals(EINVAL, anon(0, 0, RW, PRIVATE)); // length 0
    assertEquals(EINVAL, k.call("mmap", 0, PAGE, RW, PRIVATE | ANON, -1, 1)); // offset
    assertEquals(EINVAL, anon(0, PAGE, RW, 0)); // neither shared nor private
    assertEquals(EINVAL, anon(0, PAGE, RW, 0x4)); // not a mapping type
    assertEquals(EINVAL, anon(0, PAGE, RW, SHARED_VALIDATE)); // Linux 6.18, anonymous
    assertEquals(EINVAL, anon(0, PAGE, RW, SHARED | GROWSDOWN));
    assertEquals(EINVAL, anon(0x200000001L, PAGE, RW, PRIVATE | FIXED));
    assertEquals(EINVAL, anon(0x200000001L, PAGE, RW, PRIVATE | NOREPLACE));
  }

  @Test
  void mmap_tooLarge_enomem() {
    assertEquals(ENOMEM, anon(0, -PAGE, R, PRIVATE));
    assertEquals(ENOMEM, anon(0, 1L << 47, R, PRIVATE));
    assertEquals(ENOMEM, anon(0x7ffffffff000L, 2 * PAGE, R, PRIVATE | FIXED));
  }

  @Test
  void mmap_fixedBelowMmapMinAddr_eperm() {
    assertEquals(EPERM, anon(0x1000, PAGE, R, PRIVATE | FIXED));
    assertEquals(0x10000, anon(0x10000, PAGE, R, PRIVATE | FIXED));
  }

  @Test
  void mmap_hugetlb_enomemAnonymous_einvalForAFile() {
    assertEquals(ENOMEM, anon(0, 2 << 20, RW, PRIVATE | HUGETLB));
    create(k, "/f", new byte[10]);
    int fd = open(k, "/f", Fcntl.O_RDONLY);
    assertEquals(EINVAL, k.call("mmap", 0, PAGE, R, PRIVATE | HUGETLB, fd, 0));
  }

  @Test
  void mmap_populateNoreserveAndFriends_areAccepted() {
    long a = anon(0, 4 * PAGE, RW, PRIVATE | POPULATE | NORESERVE | 0x20000 /* MAP_STACK */);
    assertTrue(a > 0);
    long b = anon(0, PAGE, RW, PRIVATE | 0x200000 /* unknown: ignored for MAP_PRIVATE */);
    assertTrue(b > 0);
  }

  @Test
  void mmap_fixed_replacesWhatWasMapped() {
    long a = anon(0, 4 * PAGE, RW, PRIVATE);
    mem.write64(a + PAGE, 7);
    mem.write64(a + 2 * PAGE, 8);
    assertEquals(a + PAGE, anon(a + PAGE, PAGE, R, PRIVATE | FIXED));
    assertEquals(0, mem.read64(a + PAGE)); // fresh, zero
    assertEquals(8, mem.read64(a + 2 * PAGE)); // untouched
    assertEquals(R, mem.protectionAt(a + PAGE));
    assertEquals(RW, mem.protectionAt(a + 2 * PAGE));
  }

  @Test
  void mmap_fixedNoreplace_eexistOverAMapping_elseMaps() {
    long a = anon(0x500000000L, 3 * PAGE, RW, PRIVATE | FIXED);
    assertEquals(EEXIST, anon(a + PAGE, PAGE, RW, PRIVATE | NOREPLACE));
    assertEquals(EEXIST, anon(a - PAGE, 2 * PAGE, RW, PRIVATE | NOREPLACE)); // partial overlap
    assertEquals(a + 3 * PAGE, anon(a + 3 * PAGE, PAGE, RW, PRIVATE | NOREPLACE));
  }

  @Test
  void mmap_hint_usedWhenFree_elsePlacedElsewhere() {
    assertEquals(0x300000000L, anon(0x300000000L, 2 * PAGE, RW, PRIVATE));
    long other = anon(0x300000000L + PAGE, PAGE, RW, PRIVATE); // overlaps: not used
    assertEquals(MMAP_BASE - PAGE, other);
    assertEquals(0x400000000L, anon(0x400000123L, PAGE, RW, PRIVATE)); // rounded down
    assertEquals(0x10000, anon(0x1000, PAGE, RW, PRIVATE)); // raised to mmap_min_addr
  }

  @Test
  void mmap_32bit_isPlacedInTheSecondGigabyte() {
    long a = anon(0, PAGE, RW, PRIVATE | MAP_32BIT);
    assertTrue(a >= 0x40000000L && a + PAGE <= 0x80000000L, Long.toHexString(a));
  }

  @Test
  void mmap_noSpaceLeft_enomem() {
    // Fill everything between mmap_min_addr and the top, then ask for more.
    assertEquals(0x10000, anon(0x10000, GuestMemory.TASK_SIZE - 0x10000, 0, PRIVATE | FIXED));
    assertEquals(ENOMEM, anon(0, PAGE, RW, PRIVATE));
  }

  // ---------------------------------------------------------------- mmap: files

  @Test
  void mmap_file_contentsAtAnOffset_zeroPastTheEnd_andNamed() {
    byte[] data = pattern(3 * 4096 + 100, 3);
    create(k, "/data.bin", data);
    int fd = open(k, "/data.bin", Fcntl.O_RDONLY);
    long a = k.call("mmap", 0, 3 * PAGE, R, PRIVATE, fd, PAGE);
    assertTrue(a > 0);
    assertArrayEquals(Arrays.copyOfRange(data, 4096, data.length), k.read(a, data.length - 4096));
    assertArrayEquals(new byte[4096 - 100], k.read(a + 2 * PAGE + 100, 4096 - 100));
    FileMappings.Named n = k.process.fileMappings().at(a + PAGE);
    assertEquals("/data.bin", n.nameString());
    assertEquals(a, n.start());
    assertEquals(a + 3 * PAGE, n.end());
    assertEquals(PAGE, n.offset());
    Stat st = k.process.fds().get(fd).stat();
    assertEquals(st.ino(), n.ino());
    assertEquals(st.dev(), n.dev());
    assertEquals(R, mem.protectionAt(a));
    assertThrows(MemoryFault.class, () -> mem.write8(a, 1));
  }

  @Test
  void mmap_filePrivate_writesStayInTheMapping() {
    create(k, "/f", pattern(100, 1));
    int fd = open(k, "/f", Fcntl.O_RDONLY); // MAP_PRIVATE + PROT_WRITE needs only read access
    long a = k.call("mmap", 0, PAGE, RW, PRIVATE, fd, 0);
    mem.write8(a, 0);
    assertEquals(0, mem.read8(a));
    assertArrayEquals(pattern(100, 1), contents(k, "/f"));
    assertEquals(0, k.call("munmap", a, PAGE));
    assertArrayEquals(pattern(100, 1), contents(k, "/f"));
  }

  @Test
  void mmap_fileErrors() {
    create(k, "/f", pattern(100, 1));
    int rdonly = open(k, "/f", Fcntl.O_RDONLY);
    int wronly = open(k, "/f", Fcntl.O_WRONLY);
    int path = open(k, "/f", Fcntl.O_PATH);
    int rdwr = open(k, "/f", Fcntl.O_RDWR);
    assertEquals(EBADF, k.call("mmap", 0, PAGE, R, PRIVATE, 99, 0));
    assertEquals(EBADF, k.call("mmap", 0, 0, R, PRIVATE, 99, 0)); // EBADF before length
    assertEquals(EINVAL, k.call("mmap", 0, PAGE, R, PRIVATE, 99, 1)); // offset first
    assertEquals(EBADF, k.call("mmap", 0, PAGE, R, PRIVATE, path, 0));
    assertEquals(EACCES, k.call("mmap", 0, PAGE, R, PRIVATE, wronly, 0));
    assertEquals(EACCES, k.call("mmap", 0, PAGE, RW, SHARED, rdonly, 0));
    assertEquals(EOVERFLOW, k.call("mmap", 0, PAGE, R, PRIVATE, rdonly, -PAGE));
    assertEquals(EINVAL, k.call("mmap", 0, PAGE, R, PRIVATE | GROWSDOWN, rdonly, 0));
    assertEquals(EINVAL, k.call("mmap", 0, PAGE, R, 0x08 /* MAP_DROPPABLE */, rdonly, 0));
    assertEquals(EOPNOTSUPP, k.call("mmap", 0, PAGE, R, SHARED_VALIDATE | 0x200000, rdwr, 0));
    assertEquals(EOPNOTSUPP, k.call("mmap", 0, PAGE, R, SHARED_VALIDATE | SYNC, rdwr, 0));
    assertEquals(EOPNOTSUPP,
        k.call("mmap", 0x600000000L, PAGE, R, SHARED_VALIDATE | NOREPLACE, rdwr, 0));
    assertTrue(k.call("mmap", 0, PAGE, R, SHARED | 0x200000, rdwr, 0) > 0); // ignored
    assertTrue(k.call("mmap", 0, PAGE, RW, SHARED_VALIDATE | MAP_32BIT, rdwr, 0) > 0);
    assertTrue(k.call("mmap", 0, PAGE, R, SHARED, rdonly, 0) > 0);
  }

  @Test
  void mmap_descriptorsThatCannotBeMapped_enodev() {
    int fifo = k.process.fds().add(new MmapTestFiles.Special(0010600, 0), false);
    int socket = k.process.fds().add(new MmapTestFiles.Special(0140777, 0), false);
    k.vfs.mkdir(k.process.fs(), null, MmapTestFiles.bytes("/d"), 0755);
    int dir = open(k, "/d", Fcntl.O_RDONLY | Fcntl.O_DIRECTORY);
    assertEquals(ENODEV, k.call("mmap", 0, PAGE, R, PRIVATE, fifo, 0));
    assertEquals(ENODEV, k.call("mmap", 0, PAGE, R, PRIVATE, socket, 0));
    assertEquals(ENODEV, k.call("mmap", 0, PAGE, R, PRIVATE, dir, 0));
    assertEquals(ENODEV, k.call("mmap", 0, PAGE, R, PRIVATE, 0, 0)); // a tty (stdin)
  }

  @Test
  void mmap_devZero_isAnonymousMemory() {
    int zero = k.process.fds().add(new MmapTestFiles.Special(0020666, Stat.makedev(1, 5)), false);
    long a = k.call("mmap", 0, 2 * PAGE, RW, PRIVATE, zero, 0);
    assertTrue(a > 0);
    assertArrayEquals(new byte[64], k.read(a, 64));
    mem.write8(a, 5);
    long s = k.call("mmap", 0, PAGE, RW, SHARED, zero, 0);
    assertEquals("/dev/zero (deleted)", k.process.fileMappings().at(s).nameString());
  }

  @Test
  void mmap_sharedAnonymous_isMemoryNamedLikeLinux() {
    long a = anon(0, 2 * PAGE, RW, SHARED);
    mem.write8(a + PAGE, 9);
    assertEquals(9, mem.read8(a + PAGE));
    assertEquals("/dev/zero (deleted)", k.process.fileMappings().at(a).nameString());
  }

  // ---------------------------------------------------------------- MAP_SHARED writeback

  @Test
  void mmapShared_changesReachTheFileAtMsync() {
    create(k, "/db", pattern(2 * 4096, 5));
    int fd = open(k, "/db", Fcntl.O_RDWR);
    long a = k.call("mmap", 0, 2 * PAGE, RW, SHARED, fd, 0);
    assertArrayEquals(pattern(2 * 4096, 5), k.read(a, 2 * 4096));
    mem.writeBytes(a + 4000, new byte[] {'h', 'e', 'l', 'l', 'o'}, 0, 5);
    assertEquals(0, k.call("msync", a, 2 * PAGE, 4 /* MS_SYNC */));
    byte[] expected = pattern(2 * 4096, 5);
    System.arraycopy(new byte[] {'h', 'e', 'l', 'l', 'o'}, 0, expected, 4000, 5);
    assertArrayEquals(expected, contents(k, "/db"));
    mem.write8(a + 10, 'X');
    assertEquals(0, k.call("msync", a, PAGE, 1 /* MS_ASYNC */));
    expected[10] = 'X';
    assertArrayEquals(expected, contents(k, "/db"));
  }

  @Test
  void mmapShared_munmapWritesBack_evenAfterTheDescriptorClosed_withoutExtendingTheFile() {
    create(k, "/db", pattern(5000, 2));
    int fd = open(k, "/db", Fcntl.O_RDWR);
    long a = k.call("mmap", 0, 2 * PAGE, RW, SHARED, fd, 0);
    k.process.fds().close(fd);
    mem.write8(a, 'A');
    mem.write8(a + 4999, 'B');
    mem.write8(a + 5000, 'C'); // past the end of the file: Linux would not write it either
    assertEquals(0, k.call("munmap", a, 2 * PAGE));
    byte[] expected = pattern(5000, 2);
    expected[0] = 'A';
    expected[4999] = 'B';
    assertArrayEquals(expected, contents(k, "/db"));
  }

  @Test
  void mmapShared_writeback_doesNotUndoWritesToPartsTheMappingDidNotChange() {
    create(k, "/db", pattern(4096, 2));
    int fd = open(k, "/db", Fcntl.O_RDWR);
    long a = k.call("mmap", 0, PAGE, RW, SHARED, fd, 0);
    mem.write8(a + 1, 'm');
    try (OpenFile other = k.vfs.open(k.process.fs(), null, MmapTestFiles.bytes("/db"),
        Fcntl.O_WRONLY, 0)) {
      other.pwrite(ByteBuffer.wrap(new byte[] {'w'}), 100);
    }
    assertEquals(0, k.call("munmap", a, PAGE));
    byte[] file = contents(k, "/db");
    assertEquals('m', file[1]);
    assertEquals('w', file[100]);
  }

  @Test
  void mmapShared_readOnlyFile_mprotectWrite_eacces() {
    create(k, "/f", pattern(10, 1));
    int fd = open(k, "/f", Fcntl.O_RDONLY);
    long a = k.call("mmap", 0, PAGE, R, SHARED, fd, 0);
    assertEquals(EACCES, k.call("mprotect", a, PAGE, RW));
    assertEquals(R, mem.protectionAt(a));
    int rw = open(k, "/f", Fcntl.O_RDWR);
    long b = k.call("mmap", 0, PAGE, R, SHARED, rw, 0);
    assertEquals(0, k.call("mprotect", b, PAGE, RW)); // VM_MAYWRITE: opened read-write
    mem.write8(b, 'z');
    assertEquals(0, k.call("munmap", b, PAGE));
    assertEquals('z', contents(k, "/f")[0]);
  }

  @Test
  void mmapShared_mapFixedOverIt_writesBackFirst() {
    create(k, "/f", pattern(4096, 1));
    int fd = open(k, "/f", Fcntl.O_RDWR);
    long a = k.call("mmap", 0, PAGE, RW, SHARED, fd, 0);
    mem.write8(a + 5, 'q');
    assertEquals(a, anon(a, PAGE, RW, PRIVATE | FIXED));
    assertEquals('q', contents(k, "/f")[5]);
    assertNull(k.process.fileMappings().at(a));
  }

  @Test
  void releasingTheAddressSpace_writesSharedMappingsBack() {
    create(k, "/f", pattern(4096, 1));
    int fd = open(k, "/f", Fcntl.O_RDWR);
    long a = k.call("mmap", 0, PAGE, RW, SHARED, fd, 0);
    mem.write8(a, 'e');
    k.process.mm().release();
    assertEquals('e', contents(k, "/f")[0]);
  }

  @Test
  void forkCopy_childWritesBackItsOwnChanges_withoutUndoingTheParents() {
    create(k, "/f", pattern(4096, 1));
    int fd = open(k, "/f", Fcntl.O_RDWR);
    long a = k.call("mmap", 0, PAGE, RW, SHARED, fd, 0);
    AddressSpace child = k.process.mm().forkCopy();
    child.memory().write8(a, 'c');
    mem.write8(a + 1, 'p');
    child.release();
    assertEquals(0, k.call("munmap", a, PAGE));
    byte[] file = contents(k, "/f");
    assertEquals('c', file[0]);
    assertEquals('p', file[1]);
  }

  @Test
  void mmapShared_storeIsSeenByPreadAtOnce_andPwriteByTheMapping() {
    create(k, "/f", pattern(4096, 1));
    int fd = open(k, "/f", Fcntl.O_RDWR);
    long a = k.call("mmap", 0, PAGE, RW, SHARED, fd, 0);
    mem.write8(a + 3, 's');
    long buf = k.alloc(4);
    assertEquals(4, k.call("pread64", fd, buf, 4, 0));
    assertEquals('s', k.read(buf, 4)[3]);
    mem.writeBytes(buf, new byte[] {'p'}, 0, 1);
    assertEquals(1, k.call("pwrite64", fd, buf, 1, 9));
    assertEquals('p', mem.read8(a + 9));
    assertEquals('s', mem.read8(a + 3));
  }

  @Test
  void mmapShared_readOnlyMapping_neverWritesTheFile() {
    create(k, "/f", pattern(4096, 1));
    long mtime = k.vfs.stat(k.process.fs(), null, MmapTestFiles.bytes("/f"), 0).mtimeNs();
    int fd = open(k, "/f", Fcntl.O_RDONLY);
    long a = k.call("mmap", 0, PAGE, R, SHARED, fd, 0);
    assertEquals(pattern(4096, 1)[7], (byte) mem.read8(a + 7));
    assertEquals(0, k.call("munmap", a, PAGE));
    assertEquals(mtime, k.vfs.stat(k.process.fs(), null, MmapTestFiles.bytes("/f"), 0).mtimeNs());
    assertArrayEquals(pattern(4096, 1), contents(k, "/f"));
  }

  @Test
  void mmapShared_ofAnUnlinkedClosedFile_keepsItsDataUntilUnmapped() {
    create(k, "/tmpfile", pattern(4096, 3));
    int fd = open(k, "/tmpfile", Fcntl.O_RDWR);
    assertEquals(0, k.call("unlink", k.string("/tmpfile")));
    long a = k.call("mmap", 0, PAGE, RW, SHARED, fd, 0);
    k.process.fds().close(fd);
    mem.write8(a, 'u');
    assertEquals('u', mem.read8(a));
    assertEquals(pattern(4096, 3)[1], (byte) mem.read8(a + 1));
    assertEquals(0, k.call("munmap", a, PAGE));
  }

  // ---------------------------------------------------------------- munmap

  @Test
  void munmap_errors_andUnmappingNothingSucceeds() {
    long a = anon(0, 2 * PAGE, RW, PRIVATE);
    assertEquals(EINVAL, k.call("munmap", a + 1, PAGE));
    assertEquals(EINVAL, k.call("munmap", a, 0));
    assertEquals(EINVAL, k.call("munmap", a, 1L << 47));
    assertEquals(0, k.call("munmap", 0x100000000L, PAGE));
  }

  @Test
  void munmap_middleOfAFileMapping_splitsItsName() {
    create(k, "/f", pattern(3 * 4096, 1));
    int fd = open(k, "/f", Fcntl.O_RDONLY);
    long a = k.call("mmap", 0, 3 * PAGE, R, PRIVATE, fd, 0);
    assertEquals(0, k.call("munmap", a + PAGE, 1)); // length rounded up to a page
    assertThrows(MemoryFault.class, () -> mem.read8(a + PAGE));
    FileMappings.Named tail = k.process.fileMappings().at(a + 2 * PAGE);
    assertEquals(2 * PAGE, tail.offset());
    assertEquals(a + PAGE, k.process.fileMappings().at(a).end());
    assertEquals(pattern(3 * 4096, 1)[2 * 4096], (byte) mem.read8(a + 2 * PAGE));
  }

  // ---------------------------------------------------------------- mprotect

  @Test
  void mprotect_changesProtection_andChecksItsArguments() {
    long a = anon(0, 2 * PAGE, RW, PRIVATE);
    assertEquals(0, k.call("mprotect", a, PAGE, R));
    assertThrows(MemoryFault.class, () -> mem.write8(a, 1));
    mem.write8(a + PAGE, 1);
    assertEquals(EINVAL, k.call("mprotect", a + 1, PAGE, R));
    assertEquals(EINVAL, k.call("mprotect", a + 1, 0, R)); // alignment before length
    assertEquals(0, k.call("mprotect", a, 0, R));
    assertEquals(EINVAL, k.call("mprotect", a, PAGE, 0x11));
    assertEquals(0, k.call("mprotect", a, PAGE, R | 0x8 /* PROT_SEM */));
    assertEquals(ENOMEM, k.call("mprotect", 0x100000000L, PAGE, R));
    assertEquals(ENOMEM, k.call("mprotect", a, 3 * PAGE, R)); // runs past the mapping
    assertEquals(ENOMEM, k.call("mprotect", a, -PAGE, R));
  }

  @Test
  void mprotect_growsDown_extendsToTheStartOfAGrowsDownMapping() {
    long g = anon(0, 4 * PAGE, RW, PRIVATE | GROWSDOWN);
    long plain = anon(0, PAGE, RW, PRIVATE);
    assertEquals(0, k.call("mprotect", g + 3 * PAGE, PAGE, R | X | 0x01000000));
    assertEquals(R | X, mem.protectionAt(g));
    assertEquals(EINVAL, k.call("mprotect", plain, PAGE, R | 0x01000000));
    assertEquals(EINVAL, k.call("mprotect", plain, PAGE, R | 0x02000000)); // no grows-up on x86
    assertEquals(EINVAL, k.call("mprotect", plain, PAGE, R | 0x03000000));
  }

  // ---------------------------------------------------------------- brk

  @Test
  void brk_growsShrinksAndZeroesRegrownPages() {
    long start = 0x555555560000L;
    k.process.mm().setBrk(start, start);
    assertEquals(start, k.call("brk", 0));
    assertEquals(start + 3 * PAGE + 16, k.call("brk", start + 3 * PAGE + 16));
    assertEquals(RW, mem.protectionAt(start + 3 * PAGE));
    assertEquals(start + 3 * PAGE + 16, k.process.mm().brk());
    mem.write64(start + 2 * PAGE, 77);
    FileMappings.Named heap = k.process.fileMappings().at(start);
    assertEquals("[heap]", heap.nameString());
    assertEquals(start + 4 * PAGE, heap.end());
    assertEquals(start + PAGE, k.call("brk", start + PAGE));
    assertEquals(-1, mem.protectionAt(start + 2 * PAGE));
    assertEquals(start + PAGE, k.process.fileMappings().at(start).end());
    assertEquals(start + 3 * PAGE, k.call("brk", start + 3 * PAGE));
    assertEquals(0, mem.read64(start + 2 * PAGE)); // fresh pages
    assertEquals(start, k.call("brk", start));
    assertNull(k.process.fileMappings().at(start));
  }

  @Test
  void brk_refusedRequests_returnTheCurrentBreak() {
    long start = 0x555555560000L;
    k.process.mm().setBrk(start, start + 100);
    assertEquals(start + 100, k.call("brk", 1));
    assertEquals(start + 100, k.call("brk", start - PAGE));
    assertEquals(start + 100, k.call("brk", -PAGE));
    anon(start + 8 * PAGE, PAGE, RW, PRIVATE | FIXED);
    assertEquals(start + 100, k.call("brk", start + 9 * PAGE)); // would overlap
    assertEquals(start + 100, k.call("brk", start + 8 * PAGE)); // no guard page left
    assertEquals(start + 7 * PAGE, k.call("brk", start + 7 * PAGE));
    assertEquals(start + 50, k.call("brk", start + 50)); // within the first page
  }

  // ---------------------------------------------------------------- msync, mincore

  @Test
  void msync_errors() {
    long a = anon(0, PAGE, RW, PRIVATE);
    assertEquals(EINVAL, k.call("msync", a + 1, PAGE, 4));
    assertEquals(EINVAL, k.call("msync", a, PAGE, 8));
    assertEquals(EINVAL, k.call("msync", a, PAGE, 5)); // MS_SYNC | MS_ASYNC
    assertEquals(ENOMEM, k.call("msync", 0x100000000L, PAGE, 4));
    assertEquals(ENOMEM, k.call("msync", a, 2 * PAGE, 4));
    assertEquals(0, k.call("msync", 0x100000000L, 0, 4));
    assertEquals(0, k.call("msync", a, PAGE, 2 /* MS_INVALIDATE */));
  }

  @Test
  void mincore_reportsEveryMappedPage_andItsErrors() {
    long a = anon(0, 3 * PAGE, RW, PRIVATE);
    long vec = k.alloc(8);
    k.process.memory().writeBytes(vec, new byte[] {9, 9, 9, 9}, 0, 4);
    assertEquals(0, k.call("mincore", a, 3 * PAGE - 1, vec));
    assertArrayEquals(new byte[] {1, 1, 1, 9}, k.read(vec, 4));
    assertEquals(EINVAL, k.call("mincore", a + 1, PAGE, vec));
    assertEquals(ENOMEM, k.call("mincore", 0x100000000L, PAGE, vec));
    assertEquals(ENOMEM, k.call("mincore", a, 4 * PAGE, vec));
    assertEquals(EFAULT, k.call("mincore", a, PAGE, 8));
    assertEquals(ENOMEM, k.call("mincore", 0x100000000L, PAGE, 8)); // ENOMEM first
    assertEquals(0, k.call("mincore", a, 0, vec));
  }

  // ---------------------------------------------------------------- membarrier

  @Test
  void membarrier_queryRegisterAndExpedite() {
    long mask = k.call("membarrier", 0, 0, 0);
    assertEquals(1 | 2 | 4 | 8 | 16 | 32 | 64 | 512, mask);
    assertEquals(0, k.call("membarrier", 1, 0, 0)); // GLOBAL
    assertEquals(EPERM, k.call("membarrier", 8, 0, 0));
    assertEquals(0, k.call("membarrier", 16, 0, 0));
    assertEquals(0, k.call("membarrier", 8, 0, 0));
    assertEquals(EPERM, k.call("membarrier", 32, 0, 0));
    assertEquals(0, k.call("membarrier", 64, 0, 0));
    assertEquals(0, k.call("membarrier", 32, 0, 0));
    assertEquals(16 | 64, k.call("membarrier", 512, 0, 0));
    assertEquals(EINVAL, k.call("membarrier", 0, 1, 0));
    assertEquals(EINVAL, k.call("membarrier", 1024, 0, 0));
    assertEquals(EINVAL, k.call("membarrier", 128, 0, 0)); // RSEQ: not offered
  }

  private GuestMemory.Mapping mappingAt(long addr) {
    List<GuestMemory.Mapping> all = mem.mappings();
    for (GuestMemory.Mapping m : all) {
      if (m.start() <= addr && addr < m.end()) {
        return m;
      }
    }
    return null;
  }
}
