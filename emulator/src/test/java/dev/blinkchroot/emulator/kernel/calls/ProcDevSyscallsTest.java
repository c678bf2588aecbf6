package dev.blinkchroot.emulator.kernel.calls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.testing.SyntheticFsFixture;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** /proc and /dev through the system calls a program makes (skipped while a call is ENOSYS). */
class ProcDevSyscallsTest {
  private final SyntheticFsFixture f = new SyntheticFsFixture();

  private long open(String path, int flags) {
    long fd = f.k.call("openat", Fcntl.AT_FDCWD, f.k.string(path), flags, 0);
    assertTrue(fd != -Errno.ENOSYS.number(), "openat is not implemented yet");
    return fd;
  }

  private String readAll(long fd) {
    StringBuilder sb = new StringBuilder();
    long buf = f.k.alloc(4096);
    long n;
    while ((n = f.k.call("read", fd, buf, 4096)) > 0) {
      sb.append(new String(f.k.read(buf, (int) n), StandardCharsets.ISO_8859_1));
    }
    assertEquals(0, n);
    return sb.toString();
  }

  @Test
  void devFull_writeIsEnospc_andDevZeroReadsZeros() {
    long full = open("/dev/full", Fcntl.O_RDWR);
    assertTrue(full >= 3);
    assertEquals(-Errno.ENOSPC.number(), f.k.call("write", full, f.k.bytes(new byte[4]), 4));
    long zero = open("/dev/zero", Fcntl.O_RDONLY);
    long buf = f.k.bytes(new byte[] {1, 2, 3});
    assertEquals(3, f.k.call("read", zero, buf, 3));
    assertArrayEquals(new byte[3], f.k.read(buf, 3));
    long nul = open("/dev/null", Fcntl.O_WRONLY);
    assertEquals(5, f.k.call("write", nul, f.k.bytes(new byte[5]), 5));
  }

  @Test
  void devTty_withoutAControllingTerminal_isEnxio() {
    assertEquals(-Errno.ENXIO.number(), open("/dev/tty", Fcntl.O_RDWR));
  }

  @Test
  void procSelfStat_readsThroughOpenAndRead() {
    long fd = open("/proc/self/stat", Fcntl.O_RDONLY);
    String stat = readAll(fd);
    assertTrue(stat.startsWith("1 ("), stat);
    assertEquals(52, ProcFsTest.statFields(stat.trim()).size());
  }

  @Test
  void procSelfFd_namesAnOpenedFilesPath() {
    long tmpFd = open("/tmp/notes", Fcntl.O_CREAT | Fcntl.O_RDWR);
    long devFd = open("/dev/urandom", Fcntl.O_RDONLY);
    long buf = f.k.alloc(256);
    long n = f.k.call("readlink", f.k.string("/proc/self/fd/" + tmpFd), buf, 256);
    assertTrue(n != -Errno.ENOSYS.number(), "readlink is not implemented yet");
    assertEquals("/tmp/notes", new String(f.k.read(buf, (int) n), StandardCharsets.US_ASCII));
    n = f.k.call("readlink", f.k.string("/proc/self/fd/" + devFd), buf, 256);
    assertEquals("/dev/urandom", new String(f.k.read(buf, (int) n), StandardCharsets.US_ASCII));
    String info = readAll(open("/proc/self/fdinfo/" + tmpFd, Fcntl.O_RDONLY));
    assertTrue(info.startsWith("pos:\t0\nflags:\t0"), info);
  }

  @Test
  void procSelfMaps_showsMmapsOfFiles_sharedAsS() {
    long fd = open("/tmp/data", Fcntl.O_CREAT | Fcntl.O_RDWR);
    assertEquals(0, f.k.call("ftruncate", fd, 3 * 4096));
    int protRw = 3;
    long shared = f.k.call("mmap", 0, 8192, protRw, 0x01 /* MAP_SHARED */, fd, 4096);
    assertTrue(shared != -Errno.ENOSYS.number(), "mmap is not implemented yet");
    long priv = f.k.call("mmap", 0, 4096, 1, 0x02 /* MAP_PRIVATE */, fd, 0);
    assertTrue(shared > 0 && priv > 0);
    String maps = readAll(open("/proc/self/maps", Fcntl.O_RDONLY));
    String ino = Long.toString(f.stat("/tmp/data").ino());
    assertTrue(maps.contains(String.format("%08x-%08x rw-s 00001000 ", shared, shared + 8192)),
        maps);
    assertTrue(maps.contains(String.format("%08x-%08x r--p 00000000 ", priv, priv + 4096)),
        maps);
    for (String line : maps.split("\n")) {
      if (line.contains(" rw-s ") || line.contains(" r--p 00000000 ")) {
        assertTrue(line.contains(" " + ino + " "), line);
        assertEquals(73, line.indexOf("/tmp/data"), line);
      }
    }
    String smaps = readAll(open("/proc/self/smaps", Fcntl.O_RDONLY));
    assertTrue(smaps.contains("VmFlags: rd wr sh mr mw me ms \n"), smaps);
  }
}
