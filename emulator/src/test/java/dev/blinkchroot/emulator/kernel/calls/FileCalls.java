package dev.blinkchroot.emulator.kernel.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Helpers for the file-descriptor call tests: a fixture plus open/write/read shorthands. */
public final class FileCalls {
  static final int O_RDONLY = 0;
  static final int O_WRONLY = 1;
  static final int O_RDWR = 2;
  static final int O_CREAT = 0100;
  static final int O_EXCL = 0200;
  static final int O_TRUNC = 01000;
  static final int O_APPEND = 02000;
  static final int O_NONBLOCK = 04000;
  static final int O_DIRECT = 040000;
  static final int O_LARGEFILE = 0100000;
  static final int O_DIRECTORY = 0200000;
  static final int O_NOFOLLOW = 0400000;
  static final int O_CLOEXEC = 02000000;
  public static final int O_PATH = 010000000;
  static final int O_TMPFILE = 020200000;
  static final int AT_FDCWD = -100;
  /** An address nothing is mapped at. */
  public static final long UNMAPPED = 0x2000_0000L;

  public final KernelFixture k = new KernelFixture();

  static long err(Errno e) {
    return -e.number();
  }

  long open(String path, int flags, int mode) {
    return k.call("open", k.string(path), flags, mode);
  }

  public int openOk(String path, int flags, int mode) {
    long fd = open(path, flags, mode);
    assertTrue(fd >= 0, path + ": " + fd);
    return (int) fd;
  }

  /** A new file with {@code content}, opened O_RDWR. */
  public int file(String path, String content) {
    int fd = openOk(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (!content.isEmpty()) {
      assertEquals(content.length(), write(fd, content));
      assertEquals(0, k.call("lseek", fd, 0, 0));
    }
    return fd;
  }

  long write(int fd, String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    return k.call("write", fd, k.bytes(b), b.length);
  }

  /** read(2) of up to {@code n} bytes; the text read, or fails on an error. */
  String read(int fd, int n) {
    long buf = k.alloc(Math.max(n, 1));
    long r = k.call("read", fd, buf, n);
    assertTrue(r >= 0, "read: " + r);
    return new String(k.read(buf, (int) r), StandardCharsets.ISO_8859_1);
  }

  /** A struct iovec array over (addr, len) pairs. */
  long iovec(long... addrLen) {
    ByteBuffer b = ByteBuffer.allocate(addrLen.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : addrLen) {
      b.putLong(v);
    }
    return k.bytes(b.array());
  }

  String text(long addr, int n) {
    return new String(k.read(addr, n), StandardCharsets.ISO_8859_1);
  }

  int int32(long addr) {
    return k.process.memory().read32(addr);
  }

  long int64(long addr) {
    return k.process.memory().read64(addr);
  }

  /** pipe2 into fresh memory: {read fd, write fd}. */
  int[] pipe(int flags) {
    long fds = k.alloc(8);
    assertEquals(0, k.call("pipe2", fds, flags));
    return new int[] {int32(fds), int32(fds + 4)};
  }

  public FileDescription description(int fd) {
    return k.process.fds().get(fd);
  }
}
