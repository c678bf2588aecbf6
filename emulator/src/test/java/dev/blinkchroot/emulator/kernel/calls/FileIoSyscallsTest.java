package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_APPEND;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_CREAT;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_DIRECTORY;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_RDONLY;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_RDWR;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_WRONLY;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.UNMAPPED;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.err;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.Errno;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** read, write, their vector and positioned forms, lseek: data, offsets and error cases. */
class FileIoSyscallsTest {
  private final FileCalls f = new FileCalls();
  private final KernelFixture k = f.k;

  @Test
  void write_thenRead_roundTripsThroughTheOffset() {
    int fd = f.file("/a", "");
    assertEquals(5, f.write(fd, "hello"));
    assertEquals(5, k.call("lseek", fd, 0, 1));
    assertEquals(0, k.call("lseek", fd, 0, 0));
    assertEquals("hel", f.read(fd, 3));
    assertEquals("lo", f.read(fd, 100));
    assertEquals("", f.read(fd, 100));
  }

  @Test
  void read_writeOnlyOrBadDescriptor_isEbadf() {
    int fd = f.openOk("/a", O_WRONLY | O_CREAT, 0644);
    assertEquals(err(Errno.EBADF), k.call("read", fd, k.alloc(4), 4));
    assertEquals(err(Errno.EBADF), k.call("read", 99, k.alloc(4), 4));
    int ro = f.openOk("/a", O_RDONLY, 0);
    assertEquals(err(Errno.EBADF), k.call("write", ro, k.alloc(4), 4));
  }

  @Test
  void read_directory_isEisdir_evenWithABadBufferOrZeroCount() {
    int fd = f.openOk("/", O_RDONLY | O_DIRECTORY, 0);
    assertEquals(err(Errno.EISDIR), k.call("read", fd, k.alloc(8), 8));
    assertEquals(err(Errno.EISDIR), k.call("read", fd, UNMAPPED, 8));
    assertEquals(err(Errno.EISDIR), k.call("read", fd, 0, 0));
  }

  @Test
  void read_unmappedBuffer_isEfault_andTheOffsetStays() {
    int fd = f.file("/a", "data");
    assertEquals(err(Errno.EFAULT), k.call("read", fd, UNMAPPED, 4));
    assertEquals(0, k.call("lseek", fd, 0, 1));
  }

  @Test
  void read_bufferRunningIntoAnUnmappedPage_readsTheMappedPart() {
    int fd = f.file("/a", "0123456789");
    long end = KernelFixture.SCRATCH + KernelFixture.SCRATCH_SIZE;
    assertEquals(4, k.call("read", fd, end - 4, 10));
    assertEquals("0123", f.text(end - 4, 4));
    assertEquals(4, k.call("lseek", fd, 0, 1));
  }

  @Test
  void read_rangeBeyondUserSpace_isEfault_zeroCountWithNullIsZero() {
    int fd = f.file("/a", "x");
    assertEquals(err(Errno.EFAULT), k.call("read", fd, k.alloc(4), -1L));
    assertEquals(err(Errno.EFAULT), k.call("read", fd, 0x7fff_ffff_f000L, 0x2000));
    assertEquals(0, k.call("read", fd, 0, 0));
  }

  @Test
  void write_unmappedOrReadOnlySource_isEfault_fileUnchanged() {
    int fd = f.file("/a", "");
    assertEquals(err(Errno.EFAULT), k.call("write", fd, UNMAPPED, 3));
    long page = 0x3000_0000L;
    k.process.memory().map(page, 4096, GuestMemory.PROT_NONE);
    assertEquals(err(Errno.EFAULT), k.call("write", fd, page, 3));
    assertEquals(0, f.description(fd).stat().size());
  }

  @Test
  void write_sourceRunningIntoAnUnmappedPage_writesTheMappedPrefix() {
    int fd = f.file("/a", "");
    long end = KernelFixture.SCRATCH + KernelFixture.SCRATCH_SIZE;
    k.process.memory().writeBytes(end - 3, "xyz".getBytes(StandardCharsets.US_ASCII), 0, 3);
    assertEquals(3, k.call("write", fd, end - 3, 100));
    assertEquals(3, f.description(fd).stat().size());
  }

  @Test
  void read_intoReadOnlyMemory_isEfault() {
    int fd = f.file("/a", "abc");
    long page = 0x3000_0000L;
    k.process.memory().map(page, 4096, GuestMemory.PROT_READ);
    assertEquals(err(Errno.EFAULT), k.call("read", fd, page, 3));
  }

  @Test
  void largeWriteAndRead_streamThroughChunks() {
    int size = 3 << 20;
    long region = 0x4000_0000L;
    k.process.memory().map(region, size, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    byte[] data = new byte[size];
    for (int i = 0; i < size; i++) {
      data[i] = (byte) (i * 31 + (i >> 12));
    }
    k.process.memory().writeBytes(region, data, 0, size);
    int fd = f.file("/big", "");
    assertEquals(size, k.call("write", fd, region, size));
    k.process.memory().writeBytes(region, new byte[size], 0, size);
    assertEquals(0, k.call("lseek", fd, 0, 0));
    assertEquals(size, k.call("read", fd, region, size));
    assertArrayEquals(data, k.read(region, size));
  }

  @Test
  void oAppend_writesGoToTheEnd_evenAfterASeek() {
    int fd = f.file("/a", "abc");
    k.call("close", fd);
    int ap = f.openOk("/a", O_WRONLY | O_APPEND, 0);
    assertEquals(0, k.call("lseek", ap, 0, 0));
    f.write(ap, "de");
    long buf = k.alloc(2);
    k.process.memory().writeBytes(buf, "fg".getBytes(StandardCharsets.US_ASCII), 0, 2);
    assertEquals(2, k.call("pwrite64", ap, buf, 2, 0));
    int rd = f.openOk("/a", O_RDONLY, 0);
    assertEquals("abcdefg", f.read(rd, 100));
  }

  @Test
  void lseekPastTheEnd_thenWrite_leavesAHoleOfZeros() {
    int fd = f.file("/h", "ab");
    assertEquals(10000, k.call("lseek", fd, 10000, 0));
    f.write(fd, "z");
    assertEquals(10001, f.description(fd).stat().size());
    long buf = k.alloc(10001);
    assertEquals(10001, k.call("pread64", fd, buf, 20000, 0));
    byte[] got = k.read(buf, 10001);
    assertEquals('a', got[0]);
    assertEquals(0, got[2]);
    assertEquals(0, got[9999]);
    assertEquals('z', got[10000]);
  }

  @Test
  void lseek_whences_andTheirErrors() {
    int fd = f.file("/a", "0123456789");
    assertEquals(7, k.call("lseek", fd, -3, 2));
    assertEquals(9, k.call("lseek", fd, 2, 1));
    assertEquals(4, k.call("lseek", fd, 4, 3)); // SEEK_DATA
    assertEquals(10, k.call("lseek", fd, 4, 4)); // SEEK_HOLE: the end
    assertEquals(err(Errno.ENXIO), k.call("lseek", fd, 10, 3));
    assertEquals(err(Errno.EINVAL), k.call("lseek", fd, -1, 0));
    assertEquals(err(Errno.EINVAL), k.call("lseek", fd, 0, 7));
    assertEquals(err(Errno.EBADF), k.call("lseek", 77, 0, 0));
    int[] p = f.pipe(0);
    assertEquals(err(Errno.ESPIPE), k.call("lseek", p[0], 0, 1));
  }

  @Test
  void pread_leavesTheOffset_negativeIsEinval_pipeIsEspipe() {
    int fd = f.file("/a", "abcdef");
    long buf = k.alloc(3);
    assertEquals(3, k.call("pread64", fd, buf, 3, 2));
    assertEquals("cde", f.text(buf, 3));
    assertEquals(0, k.call("lseek", fd, 0, 1));
    assertEquals(err(Errno.EINVAL), k.call("pread64", fd, buf, 3, -1));
    int[] p = f.pipe(0);
    assertEquals(err(Errno.ESPIPE), k.call("pread64", p[0], buf, 1, 0));
    assertEquals(err(Errno.ESPIPE), k.call("pwrite64", p[1], buf, 1, 0));
    // ksys_pread64 checks the offset before the descriptor, and positions before the buffer.
    assertEquals(err(Errno.EINVAL), k.call("pread64", p[0], buf, 1, -1));
    assertEquals(err(Errno.EINVAL), k.call("pread64", 99, buf, 1, -1));
    assertEquals(err(Errno.ESPIPE), k.call("pread64", p[0], UNMAPPED, 1, 0));
    assertEquals(err(Errno.ESPIPE), k.call("pwrite64", p[0], buf, 1, 0));
  }

  @Test
  void readv_ofNothing_returnsZero_evenOnADirectory() {
    int dir = f.openOk("/", FileCalls.O_RDONLY | FileCalls.O_DIRECTORY, 0);
    assertEquals(0, k.call("readv", dir, 0, 0));
    assertEquals(0, k.call("readv", dir, f.iovec(k.alloc(1), 0), 1));
    assertEquals(err(Errno.EISDIR), k.call("readv", dir, f.iovec(k.alloc(1), 1), 1));
  }

  @Test
  void readv_scattersIntoEachBufferInTurn() {
    int fd = f.file("/a", "abcdefgh");
    long a = k.alloc(3);
    long b = k.alloc(2);
    long c = k.alloc(10);
    assertEquals(8, k.call("readv", fd, f.iovec(a, 3, b, 2, c, 10), 3));
    assertEquals("abc", f.text(a, 3));
    assertEquals("de", f.text(b, 2));
    assertEquals("fgh", f.text(c, 3));
  }

  @Test
  void writev_gathersAllBuffers() {
    int fd = f.file("/a", "");
    long a = k.string("one,");
    long b = k.string("two");
    assertEquals(7, k.call("writev", fd, f.iovec(a, 4, 0, 0, b, 3), 3));
    assertEquals(0, k.call("lseek", fd, 0, 0));
    assertEquals("one,two", f.read(fd, 20));
  }

  @Test
  void readv_errors_countsLengthsAndPointers() {
    int fd = f.file("/a", "abcdefghij");
    long a = k.alloc(5);
    assertEquals(0, k.call("readv", fd, 0, 0));
    assertEquals(err(Errno.EINVAL), k.call("readv", fd, 0, 1025));
    assertEquals(err(Errno.EINVAL), k.call("readv", fd, 0, -1));
    assertEquals(err(Errno.EFAULT), k.call("readv", fd, UNMAPPED, 1));
    assertEquals(err(Errno.EINVAL), k.call("readv", fd, f.iovec(a, -1, a, 1), 2));
    assertEquals(err(Errno.EFAULT), k.call("readv", fd, f.iovec(a, Long.MAX_VALUE, a, 1), 2));
    // A bad buffer first: nothing read; a bad buffer second: the first one's bytes.
    assertEquals(err(Errno.EFAULT), k.call("readv", fd, f.iovec(UNMAPPED, 5, a, 5), 2));
    assertEquals(0, k.call("lseek", fd, 0, 1));
    assertEquals(5, k.call("readv", fd, f.iovec(a, 5, UNMAPPED, 5), 2));
    assertEquals(5, k.call("lseek", fd, 0, 1));
  }

  @Test
  void readv_fromAPipe_returnsWhatIsThere_withoutWaitingToFillEveryBuffer() {
    int[] p = f.pipe(0);
    f.write(p[1], "abcd");
    long a = k.alloc(2);
    long b = k.alloc(10);
    assertEquals(4, k.call("readv", p[0], f.iovec(a, 2, b, 10), 2));
    assertEquals("cd", f.text(b, 2));
  }

  @Test
  void preadvAndPwritev_useTheOffset_notTheFilePosition() {
    int fd = f.file("/a", "0123456789");
    long a = k.alloc(2);
    long b = k.alloc(2);
    assertEquals(4, k.call("preadv", fd, f.iovec(a, 2, b, 2), 2, 3));
    assertEquals("3456", f.text(a, 2) + f.text(b, 2));
    assertEquals(0, k.call("lseek", fd, 0, 1));
    long x = k.string("XY");
    assertEquals(2, k.call("pwritev", fd, f.iovec(x, 2), 1, 8));
    assertEquals("01234567XY", f.read(fd, 20));
    assertEquals(err(Errno.EINVAL), k.call("preadv", fd, f.iovec(a, 2), 1, -1));
  }

  @Test
  void preadv2_offsetMinusOne_usesAndMovesTheFileOffset_unknownFlagIsEopnotsupp() {
    int fd = f.file("/a", "abcdef");
    long a = k.alloc(3);
    assertEquals(3, k.call("preadv2", fd, f.iovec(a, 3), 1, -1, 0, 0));
    assertEquals("abc", f.text(a, 3));
    assertEquals(3, k.call("lseek", fd, 0, 1));
    assertEquals(2, k.call("preadv2", fd, f.iovec(a, 2), 1, 0, 0, 8 /* RWF_NOWAIT */));
    assertEquals(err(Errno.EOPNOTSUPP), k.call("preadv2", fd, f.iovec(a, 2), 1, 0, 0, 0x100));
    assertEquals(err(Errno.EINVAL), k.call("preadv2", fd, f.iovec(a, 2), 1, -2, 0, 0));
  }

  @Test
  void pwritev2_rwfAppend_writesAtTheEnd_offsetMinusOneIsLikeWritev() {
    int fd = f.file("/a", "abc");
    long x = k.string("Z");
    assertEquals(1, k.call("pwritev2", fd, f.iovec(x, 1), 1, 0, 0, 0x10));
    assertEquals(1, k.call("pwritev2", fd, f.iovec(x, 1), 1, -1, 0, 0));
    assertEquals(1, k.call("lseek", fd, 0, 1));
    assertEquals(0, k.call("lseek", fd, 0, 0));
    assertEquals("ZbcZ", f.read(fd, 10));
  }
}
