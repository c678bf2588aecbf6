package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.PathOpsFiles.BAD_ADDRESS;
import static dev.blinkchroot.emulator.kernel.calls.PathOpsFiles.b;
import static dev.blinkchroot.emulator.kernel.calls.PathOpsFiles.le;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.blinkchroot.emulator.kernel.abi.StatLayout;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Stat;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** stat, fstat, lstat, newfstatat and statx: encoding, flags and errors. */
class PathOpsStatTest {
  private static final int AT_FDCWD = Fcntl.AT_FDCWD;
  private KernelFixture k;

  @BeforeEach
  void setUp() {
    k = new KernelFixture();
    k.vfs.mkdir(k.process.fs(), null, b("/d"), 0755);
    try (OpenFile f = k.vfs.open(k.process.fs(), null, b("/d/f"),
        Fcntl.O_CREAT | Fcntl.O_WRONLY, 0640)) {
      f.write(ByteBuffer.wrap(b("hello")));
    }
    k.vfs.symlink(k.process.fs(), b("f"), null, b("/d/link"));
    k.vfs.utimens(k.process.fs(), null, b("/d/f"), 1_700_000_000_123_456_789L,
        -1_500_000_000L, 0); // an mtime before the epoch: -1.5 s
  }

  private static long err(Errno e) {
    return -e.number();
  }

  private ByteBuffer statAt(long buf) {
    return le(k.read(buf, StatLayout.STAT_SIZE));
  }

  @Test
  void stat_fillsEveryFieldAtItsOffset() {
    long buf = k.alloc(144);
    assertEquals(0, k.call("stat", k.string("/d/f"), buf));
    ByteBuffer s = statAt(buf);
    Stat expected = k.vfs.stat(k.process.fs(), null, b("/d/f"), 0);
    assertEquals(expected.dev(), s.getLong(0));
    assertEquals(expected.ino(), s.getLong(8));
    assertEquals(1, s.getLong(16));
    assertEquals(0100640, s.getInt(24));
    assertEquals(0, s.getInt(28));
    assertEquals(0, s.getInt(32));
    assertEquals(5, s.getLong(48));
    assertEquals(4096, s.getLong(56));
    assertEquals(1_700_000_000L, s.getLong(72));
    assertEquals(123_456_789L, s.getLong(80));
    assertEquals(-2, s.getLong(88)); // floor(-1.5 s) ...
    assertEquals(500_000_000L, s.getLong(96)); // ... + 0.5 s: tv_nsec stays non-negative
  }

  @Test
  void stat_followsSymlink_lstatDoesNot() {
    long buf = k.alloc(144);
    assertEquals(0, k.call("stat", k.string("/d/link"), buf));
    assertEquals(0100640, statAt(buf).getInt(24));
    assertEquals(0, k.call("lstat", k.string("/d/link"), buf));
    assertEquals(0120777, statAt(buf).getInt(24));
    assertEquals(1, statAt(buf).getLong(48)); // the target's length
  }

  @Test
  void stat_errors() {
    long buf = k.alloc(144);
    assertEquals(err(Errno.ENOENT), k.call("stat", k.string("/nope"), buf));
    assertEquals(err(Errno.ENOENT), k.call("stat", k.string(""), buf));
    assertEquals(err(Errno.ENOTDIR), k.call("stat", k.string("/d/f/x"), buf));
    assertEquals(err(Errno.EFAULT), k.call("stat", BAD_ADDRESS, buf));
    assertEquals(err(Errno.EFAULT), k.call("stat", 0, buf));
    assertEquals(err(Errno.EFAULT), k.call("stat", k.string("/d/f"), BAD_ADDRESS));
    assertEquals(err(Errno.EFAULT), k.call("lstat", k.string("/d/f"), 0));
    // The lookup error comes before the bad buffer, as in Linux.
    assertEquals(err(Errno.ENOENT), k.call("stat", k.string("/nope"), BAD_ADDRESS));
  }

  @Test
  void fstat_worksOnFilesAndOpathDescriptors_andFailsOnBadFds() {
    long buf = k.alloc(144);
    int fd = PathOpsFiles.open(k, "/d/f", Fcntl.O_RDONLY);
    assertEquals(0, k.call("fstat", fd, buf));
    assertEquals(0100640, statAt(buf).getInt(24));
    int pathFd = PathOpsFiles.open(k, "/d", Fcntl.O_PATH);
    assertEquals(0, k.call("fstat", pathFd, buf));
    assertEquals(040755, statAt(buf).getInt(24));
    assertEquals(err(Errno.EBADF), k.call("fstat", 99, buf));
    assertEquals(err(Errno.EBADF), k.call("fstat", -1, buf));
    assertEquals(err(Errno.EFAULT), k.call("fstat", fd, BAD_ADDRESS));
    // A descriptor outside the tree: its own attributes (stdin here is a terminal).
    assertEquals(0, k.call("fstat", 0, buf));
    assertEquals(0020620, statAt(buf).getInt(24));
  }

  @Test
  void newfstatat_relativeToDirfd_withFlags() {
    long buf = k.alloc(144);
    int dir = PathOpsFiles.open(k, "/d", Fcntl.O_RDONLY | Fcntl.O_DIRECTORY);
    assertEquals(0, k.call("newfstatat", dir, k.string("link"), buf, 0));
    assertEquals(0100640, statAt(buf).getInt(24));
    assertEquals(0, k.call("newfstatat", dir, k.string("link"), buf,
        Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_NO_AUTOMOUNT));
    assertEquals(0120777, statAt(buf).getInt(24));
    // AT_STATX_SYNC_* pass, as the kernel's fstatat accepts them.
    assertEquals(0, k.call("newfstatat", dir, k.string("f"), buf, 0x2000));
    // An absolute path ignores the dirfd entirely, even a bad one.
    assertEquals(0, k.call("newfstatat", 12345, k.string("/d/f"), buf, 0));
    assertEquals(0, k.call("newfstatat", AT_FDCWD, k.string("d/f"), buf, 0));
  }

  @Test
  void newfstatat_emptyPath() {
    long buf = k.alloc(144);
    int file = PathOpsFiles.open(k, "/d/f", Fcntl.O_RDONLY);
    assertEquals(err(Errno.ENOENT), k.call("newfstatat", file, k.string(""), buf, 0));
    assertEquals(0, k.call("newfstatat", file, k.string(""), buf, Fcntl.AT_EMPTY_PATH));
    assertEquals(0100640, statAt(buf).getInt(24));
    // NULL with AT_EMPTY_PATH (Linux 6.11) is the empty path.
    assertEquals(0, k.call("newfstatat", file, 0, buf, Fcntl.AT_EMPTY_PATH));
    assertEquals(0, k.call("newfstatat", AT_FDCWD, k.string(""), buf, Fcntl.AT_EMPTY_PATH));
    assertEquals(040000, statAt(buf).getInt(24) & 0170000); // the working directory, "/"
    // A descriptor outside the tree (stdin) works with AT_EMPTY_PATH.
    assertEquals(0, k.call("newfstatat", 0, k.string(""), buf, Fcntl.AT_EMPTY_PATH));
    assertEquals(0020620, statAt(buf).getInt(24));
    assertEquals(err(Errno.EBADF), k.call("newfstatat", 77, k.string(""), buf,
        Fcntl.AT_EMPTY_PATH));
  }

  @Test
  void newfstatat_errors() {
    long buf = k.alloc(144);
    int file = PathOpsFiles.open(k, "/d/f", Fcntl.O_RDONLY);
    assertEquals(err(Errno.EINVAL), k.call("newfstatat", AT_FDCWD, k.string("/d"), buf, 0x1));
    assertEquals(err(Errno.EINVAL), k.call("newfstatat", AT_FDCWD, k.string("/d"), buf,
        Fcntl.AT_REMOVEDIR));
    assertEquals(err(Errno.ENOTDIR), k.call("newfstatat", file, k.string("x"), buf, 0));
    assertEquals(err(Errno.ENOTDIR), k.call("newfstatat", 0, k.string("x"), buf, 0));
    assertEquals(err(Errno.EBADF), k.call("newfstatat", 55, k.string("x"), buf, 0));
    assertEquals(err(Errno.EFAULT), k.call("newfstatat", AT_FDCWD, BAD_ADDRESS, buf, 0));
    assertEquals(err(Errno.EFAULT), k.call("newfstatat", AT_FDCWD, k.string("/d"),
        BAD_ADDRESS, 0));
  }

  @Test
  void statx_fillsBasicStatsAndMountId_noBtime() {
    long buf = k.alloc(256);
    for (int i = 0; i < 256; i++) {
      k.process.memory().write8(buf + i, 0xAA); // everything must be overwritten
    }
    assertEquals(0, k.call("statx", AT_FDCWD, k.string("/d/f"), 0, 0x7ff, buf));
    ByteBuffer s = le(k.read(buf, 256));
    Stat st = k.vfs.stat(k.process.fs(), null, b("/d/f"), 0);
    assertEquals(StatLayout.STATX_BASIC_STATS | StatLayout.STATX_MNT_ID, s.getInt(0));
    assertEquals(0, s.getInt(0) & StatLayout.STATX_BTIME);
    assertEquals(4096, s.getInt(4));
    assertEquals(0, s.getLong(8)); // not a mount root
    assertEquals(1, s.getInt(16));
    assertEquals((short) 0100640, s.getShort(28));
    assertEquals(0, s.getShort(30));
    assertEquals(st.ino(), s.getLong(32));
    assertEquals(5, s.getLong(40));
    assertEquals(StatLayout.STATX_ATTR_MOUNT_ROOT | StatLayout.STATX_ATTR_AUTOMOUNT,
        s.getLong(56));
    assertEquals(1_700_000_000L, s.getLong(64));
    assertEquals(123_456_789, s.getInt(72));
    assertEquals(0, s.getInt(76));
    assertEquals(0, s.getLong(80)); // stx_btime absent
    assertEquals(0, s.getLong(88));
    assertEquals(-2, s.getLong(112));
    assertEquals(500_000_000, s.getInt(120));
    assertEquals(Stat.major(st.dev()), s.getInt(136));
    assertEquals(Stat.minor(st.dev()), s.getInt(140));
    assertEquals(k.vfs.mounts().get(0).id(), s.getLong(144));
    for (int i = 152; i < 256; i++) {
      assertEquals(0, s.get(i), "spare byte " + i);
    }
  }

  @Test
  void statx_ofTheRoot_isAMountRoot_andMaskZeroStillFillsBasics() {
    long buf = k.alloc(256);
    assertEquals(0, k.call("statx", AT_FDCWD, k.string("/"), 0, 0, buf));
    ByteBuffer s = le(k.read(buf, 256));
    assertEquals(StatLayout.STATX_ATTR_MOUNT_ROOT, s.getLong(8));
    assertEquals(040000, s.getShort(28) & 0170000);
    assertEquals(StatLayout.STATX_BASIC_STATS | StatLayout.STATX_MNT_ID, s.getInt(0));
  }

  @Test
  void statx_deviceNumbers_splitIntoMajorMinor() {
    long buf = k.alloc(256);
    k.vfs.mknod(k.process.fs(), null, b("/null"), 0020666, Stat.makedev(1, 3));
    k.vfs.mknod(k.process.fs(), null, b("/big"), 0060600, Stat.makedev(259, 70000));
    assertEquals(0, k.call("statx", AT_FDCWD, k.string("/null"), 0, 0x7ff, buf));
    ByteBuffer s = le(k.read(buf, 256));
    assertEquals(1, s.getInt(128));
    assertEquals(3, s.getInt(132));
    assertEquals(0, k.call("statx", AT_FDCWD, k.string("/big"), 0, 0x7ff, buf));
    s = le(k.read(buf, 256));
    assertEquals(259, s.getInt(128));
    assertEquals(70000, s.getInt(132));
    long sbuf = k.alloc(144);
    assertEquals(0, k.call("stat", k.string("/big"), sbuf));
    assertEquals(Stat.makedev(259, 70000), statAt(sbuf).getLong(40));
  }

  @Test
  void statx_flagsAndMask_validated() {
    long buf = k.alloc(256);
    long path = k.string("/d/f");
    assertEquals(err(Errno.EINVAL), k.call("statx", AT_FDCWD, path, 0, 0x80000000L, buf));
    assertEquals(err(Errno.EINVAL), k.call("statx", AT_FDCWD, path, 0x6000, 0x7ff, buf));
    assertEquals(err(Errno.EINVAL), k.call("statx", AT_FDCWD, path, 0x1, 0x7ff, buf));
    assertEquals(0, k.call("statx", AT_FDCWD, path, 0x2000, 0x7ff, buf));
    assertEquals(0, k.call("statx", AT_FDCWD, path, 0x4000, 0xfff, buf));
    assertEquals(err(Errno.EFAULT), k.call("statx", AT_FDCWD, path, 0, 0x7ff, BAD_ADDRESS));
    assertEquals(err(Errno.EFAULT), k.call("statx", AT_FDCWD, 0, 0, 0x7ff, buf));
    assertEquals(err(Errno.ENOENT), k.call("statx", AT_FDCWD, k.string(""), 0, 0x7ff, buf));
  }

  @Test
  void statx_symlinkNofollow_andEmptyPathOnDescriptor() {
    long buf = k.alloc(256);
    assertEquals(0, k.call("statx", AT_FDCWD, k.string("/d/link"),
        Fcntl.AT_SYMLINK_NOFOLLOW, 0x7ff, buf));
    assertEquals((short) 0120777, le(k.read(buf, 256)).getShort(28));
    int fd = PathOpsFiles.open(k, "/d/f", Fcntl.O_PATH);
    assertEquals(0, k.call("statx", fd, k.string(""), Fcntl.AT_EMPTY_PATH, 0x7ff, buf));
    assertEquals((short) 0100640, le(k.read(buf, 256)).getShort(28));
    assertEquals(0, k.call("statx", 2, 0, Fcntl.AT_EMPTY_PATH, 0x7ff, buf));
    assertEquals((short) 0020620, le(k.read(buf, 256)).getShort(28));
    assertNotEquals(0, le(k.read(buf, 256)).getInt(0));
  }
}
