package dev.blinkchroot.emulator.kernel.dev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.testing.SyntheticFsFixture;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Stat;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * /dev as SyntheticMounts builds it, and the drivers Devices.open attaches by device number.
 *
 * <pre>
 * /dev  (devtmpfs, 0755)
 *  ├── null zero full random urandom tty   crw-rw-rw- 1,3 1,5 1,7 1,8 1,9 5,0
 *  ├── fd -> /proc/self/fd    stdin -> /proc/self/fd/0   stdout -> .../1   stderr -> .../2
 *  ├── shm/  (tmpfs, 1777)
 *  └── pts/  (devpts, empty)
 * </pre>
 */
class DevicesTest {
  private final SyntheticFsFixture f = new SyntheticFsFixture();

  private static void assertErrno(Errno expected, Runnable r) {
    ErrnoException e = assertThrows(ErrnoException.class, r::run);
    assertEquals(expected, e.errno());
  }

  private FileDescription openDevice(String path, int flags) {
    OpenFile file = f.open(path, flags);
    return Devices.open(f.k.task, file, file.stat().rdev(), flags);
  }

  @Test
  void devNodes_haveLinuxNumbersAndModes() {
    String[][] nodes = {
      {"null", "1", "3"}, {"zero", "1", "5"}, {"full", "1", "7"},
      {"random", "1", "8"}, {"urandom", "1", "9"}, {"tty", "5", "0"},
    };
    for (String[] n : nodes) {
      Stat st = f.lstat("/dev/" + n[0]);
      assertEquals(FileType.CHARACTER_DEVICE, st.type(), n[0]);
      assertEquals(020666, st.mode(), n[0] + ": crw-rw-rw-");
      assertEquals(Integer.parseInt(n[1]), Stat.major(st.rdev()), n[0]);
      assertEquals(Integer.parseInt(n[2]), Stat.minor(st.rdev()), n[0]);
      assertEquals(0, st.uid());
      assertEquals(0, st.gid());
    }
  }

  @Test
  void devLinks_pointIntoProcSelfFd() {
    assertEquals("/proc/self/fd", f.readlink("/dev/fd"));
    assertEquals("/proc/self/fd/0", f.readlink("/dev/stdin"));
    assertEquals("/proc/self/fd/1", f.readlink("/dev/stdout"));
    assertEquals("/proc/self/fd/2", f.readlink("/dev/stderr"));
  }

  @Test
  void devListing_hasNoPtmxOrConsole() {
    List<String> names = f.list("/dev");
    assertTrue(names.containsAll(List.of("null", "zero", "full", "random", "urandom", "tty",
        "fd", "stdin", "stdout", "stderr", "shm", "pts")), names.toString());
    assertFalse(names.contains("ptmx"));
    assertFalse(names.contains("console"));
    assertErrno(Errno.ENOENT, () -> f.lstat("/dev/ptmx"));
  }

  @Test
  void devShm_isAStickyWritableTmpfs_andPtsIsEmpty() {
    Stat shm = f.stat("/dev/shm");
    assertEquals(FileType.DIRECTORY, shm.type());
    assertEquals(01777, shm.permissions());
    f.open("/dev/shm/seg", Fcntl.O_CREAT | Fcntl.O_RDWR).close();
    assertEquals(List.of("seg"), f.list("/dev/shm"));
    assertEquals(List.of(), f.list("/dev/pts"));
    assertErrno(Errno.EACCES, () -> f.open("/dev/pts/x", Fcntl.O_CREAT | Fcntl.O_RDWR)
        .close());
  }

  @Test
  void null_readsEof_andSwallowsWrites() {
    FileDescription d = openDevice("/dev/null", Fcntl.O_RDWR);
    assertEquals(0, d.read(ByteBuffer.allocate(16)));
    assertEquals(5, d.write(ByteBuffer.wrap("hello".getBytes())));
    assertEquals(0, d.seek(100, Fcntl.SEEK_SET));
    assertEquals("/dev/null", d.procLink());
    assertEquals(FileType.CHARACTER_DEVICE, d.stat().type());
    d.close();
  }

  @Test
  void zero_readsZeros_andAcceptsWrites() {
    FileDescription d = openDevice("/dev/zero", Fcntl.O_RDWR);
    ByteBuffer b = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5});
    assertEquals(5, d.read(b));
    assertArrayEquals(new byte[5], b.array());
    assertEquals(3, d.write(ByteBuffer.wrap(new byte[3])));
  }

  @Test
  void full_readsZeros_butWritesFailWithEnospc() {
    FileDescription d = openDevice("/dev/full", Fcntl.O_RDWR);
    ByteBuffer b = ByteBuffer.wrap(new byte[] {9, 9});
    assertEquals(2, d.read(b));
    assertArrayEquals(new byte[2], b.array());
    assertErrno(Errno.ENOSPC, () -> d.write(ByteBuffer.wrap(new byte[1])));
  }

  @Test
  void urandom_andRandom_readRandomBytes() {
    for (String dev : new String[] {"/dev/urandom", "/dev/random"}) {
      FileDescription d = openDevice(dev, Fcntl.O_RDONLY);
      byte[] a = new byte[64];
      byte[] b = new byte[64];
      assertEquals(64, d.read(ByteBuffer.wrap(a)));
      assertEquals(64, d.read(ByteBuffer.wrap(b)));
      assertFalse(java.util.Arrays.equals(a, b), dev);
      assertFalse(java.util.Arrays.equals(a, new byte[64]), dev);
      byte[] big = new byte[200_000];
      assertEquals(big.length, d.read(ByteBuffer.wrap(big)));
    }
  }

  @Test
  void tty_withoutControllingTerminal_isEnxio() {
    assertErrno(Errno.ENXIO, () -> openDevice("/dev/tty", Fcntl.O_RDWR));
  }

  @Test
  void accessMode_isEnforced() {
    FileDescription ro = openDevice("/dev/zero", Fcntl.O_RDONLY);
    assertErrno(Errno.EBADF, () -> ro.write(ByteBuffer.wrap(new byte[1])));
    FileDescription wo = openDevice("/dev/null", Fcntl.O_WRONLY);
    assertErrno(Errno.EBADF, () -> wo.read(ByteBuffer.allocate(1)));
  }

  @Test
  void nodeOnTheImage_worksByNumberNotName() {
    // A tarball's /dev/null is a mknod'd node anywhere; the driver follows the number.
    f.asInit(() -> {
      f.k.vfs.mknod(f.k.process.fs(), null, SyntheticFsFixture.path("/blackhole"),
          FileType.CHARACTER_DEVICE.modeBits() | 0666, Stat.makedev(1, 3));
      f.k.vfs.mknod(f.k.process.fs(), null, SyntheticFsFixture.path("/zeros"),
          FileType.CHARACTER_DEVICE.modeBits() | 0666, Stat.makedev(1, 5));
      return null;
    });
    FileDescription d = openDevice("/blackhole", Fcntl.O_RDWR);
    assertEquals(0, d.read(ByteBuffer.allocate(4)));
    assertEquals(4, d.write(ByteBuffer.allocate(4)));
    ByteBuffer z = ByteBuffer.wrap(new byte[] {7});
    assertEquals(1, openDevice("/zeros", Fcntl.O_RDONLY).read(z));
    assertEquals(0, z.get(0));
  }

  @Test
  void unknownDeviceNumbers_andBlockDevices_areEnxio() {
    f.asInit(() -> {
      f.k.vfs.mknod(f.k.process.fs(), null, SyntheticFsFixture.path("/mem"),
          FileType.CHARACTER_DEVICE.modeBits() | 0600, Stat.makedev(1, 1));
      f.k.vfs.mknod(f.k.process.fs(), null, SyntheticFsFixture.path("/ram3"),
          FileType.BLOCK_DEVICE.modeBits() | 0600, Stat.makedev(1, 3));
      return null;
    });
    assertErrno(Errno.ENXIO, () -> openDevice("/mem", Fcntl.O_RDONLY));
    assertErrno(Errno.ENXIO, () -> openDevice("/ram3", Fcntl.O_RDONLY));
  }

  @Test
  void devIsWritableForRoot_likeDevtmpfs() {
    f.asInit(() -> {
      f.k.vfs.symlink(f.k.process.fs(), SyntheticFsFixture.path("/proc/kcore"), null,
          SyntheticFsFixture.path("/dev/core"));
      f.k.vfs.chmod(f.k.process.fs(), null, SyntheticFsFixture.path("/dev/null"), 0600, 0);
      return null;
    });
    assertEquals("/proc/kcore", f.readlink("/dev/core"));
    assertEquals(020600, f.lstat("/dev/null").mode());
  }
}
