package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.PathOpsFiles.BAD_ADDRESS;
import static dev.blinkchroot.emulator.kernel.calls.PathOpsFiles.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.Stat;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** mkdir, mknod, rmdir, unlink, rename, link, symlink, readlink and their *at forms. */
class PathOpsNamesTest {
  private static final int AT_FDCWD = Fcntl.AT_FDCWD;
  private KernelFixture k;

  @BeforeEach
  void setUp() {
    k = new KernelFixture();
  }

  private static long err(Errno e) {
    return -e.number();
  }

  private Stat stat(String path) {
    return k.vfs.stat(k.process.fs(), null, b(path), Fcntl.AT_SYMLINK_NOFOLLOW);
  }

  private boolean exists(String path) {
    return k.call("newfstatat", AT_FDCWD, k.string(path), k.alloc(144),
        Fcntl.AT_SYMLINK_NOFOLLOW) == 0;
  }

  private void file(String path) {
    k.vfs.mknod(k.process.fs(), null, b(path), 0100644, 0);
  }

  @Test
  void mkdir_appliesUmask_andReportsErrors() {
    assertEquals(0, k.call("mkdir", k.string("/a"), 0777));
    assertEquals(040755, stat("/a").mode());
    assertEquals(022, k.call("umask", 0));
    assertEquals(0, k.call("mkdir", k.string("/b"), 01777));
    assertEquals(041777, stat("/b").mode());
    assertEquals(err(Errno.EEXIST), k.call("mkdir", k.string("/a"), 0755));
    assertEquals(err(Errno.ENOENT), k.call("mkdir", k.string("/x/y"), 0755));
    assertEquals(err(Errno.ENOENT), k.call("mkdir", k.string(""), 0755));
    assertEquals(err(Errno.EFAULT), k.call("mkdir", BAD_ADDRESS, 0755));
  }

  @Test
  void mkdirat_relativeToDirfd() {
    k.call("mkdir", k.string("/a"), 0755);
    int dir = PathOpsFiles.open(k, "/a", Fcntl.O_RDONLY | Fcntl.O_DIRECTORY);
    assertEquals(0, k.call("mkdirat", dir, k.string("sub"), 0700));
    assertEquals(040700, stat("/a/sub").mode());
    int pathFd = PathOpsFiles.open(k, "/a", Fcntl.O_PATH);
    assertEquals(0, k.call("mkdirat", pathFd, k.string("sub2"), 0700));
    assertEquals(err(Errno.EBADF), k.call("mkdirat", 42, k.string("sub3"), 0700));
    file("/a/f");
    int fileFd = PathOpsFiles.open(k, "/a/f", Fcntl.O_RDONLY);
    assertEquals(err(Errno.ENOTDIR), k.call("mkdirat", fileFd, k.string("sub4"), 0700));
  }

  @Test
  void mknod_createsFilesFifosAndDevices_withTheKernelsDevEncoding() {
    assertEquals(0, k.call("mknod", k.string("/fifo"), 0010644, 0));
    assertEquals(0010644, stat("/fifo").mode());
    assertEquals(0, k.call("mknod", k.string("/plain"), 0, 0));
    assertEquals(0100000, stat("/plain").mode());
    // makedev(1, 3) as the kernel's 32-bit dev: major in bits 8-19, minor low.
    assertEquals(0, k.call("mknodat", AT_FDCWD, k.string("/null"), 0020666, (1 << 8) | 3));
    assertEquals(Stat.makedev(1, 3), stat("/null").rdev());
    // minor 70000 = 0x11170: low byte 0x70, the rest from bit 20 up.
    long dev = (259 << 8) | 0x70 | (0x111L << 20);
    assertEquals(0, k.call("mknod", k.string("/nvme"), 0060600, dev));
    assertEquals(Stat.makedev(259, 70000), stat("/nvme").rdev());
    assertEquals(err(Errno.EPERM), k.call("mknod", k.string("/dir"), 0040755, 0));
    assertEquals(err(Errno.EEXIST), k.call("mknod", k.string("/fifo"), 0010644, 0));
  }

  @Test
  void mknod_deviceAsUser_isEperm() {
    k.call("mkdir", k.string("/tmp"), 0777);
    k.call("chmod", k.string("/tmp"), 0777);
    PathOpsFiles.becomeUser(k, 1000, 1000);
    assertEquals(err(Errno.EPERM), k.call("mknod", k.string("/tmp/n"), 0020666, 0x103));
    assertEquals(0, k.call("mknod", k.string("/tmp/p"), 0010600, 0));
  }

  @Test
  void rmdir_andUnlink() {
    k.call("mkdir", k.string("/d"), 0755);
    file("/d/f");
    assertEquals(err(Errno.ENOTEMPTY), k.call("rmdir", k.string("/d")));
    assertEquals(err(Errno.ENOTDIR), k.call("rmdir", k.string("/d/f")));
    assertEquals(err(Errno.EISDIR), k.call("unlink", k.string("/d")));
    assertEquals(err(Errno.EINVAL), k.call("rmdir", k.string("/d/.")));
    assertEquals(0, k.call("unlink", k.string("/d/f")));
    assertEquals(err(Errno.ENOENT), k.call("unlink", k.string("/d/f")));
    assertEquals(0, k.call("rmdir", k.string("/d")));
    assertEquals(err(Errno.ENOENT), k.call("rmdir", k.string("/d")));
    assertEquals(err(Errno.EFAULT), k.call("unlink", BAD_ADDRESS));
    assertEquals(err(Errno.ENOENT), k.call("unlink", k.string("")));
  }

  @Test
  void unlinkat_removedirFlag_andUnknownFlags() {
    k.call("mkdir", k.string("/d"), 0755);
    k.call("mkdir", k.string("/d/sub"), 0755);
    file("/d/f");
    int dir = PathOpsFiles.open(k, "/d", Fcntl.O_RDONLY);
    assertEquals(err(Errno.EINVAL), k.call("unlinkat", dir, k.string("f"), 0x100));
    assertEquals(err(Errno.EISDIR), k.call("unlinkat", dir, k.string("sub"), 0));
    assertEquals(err(Errno.ENOTDIR), k.call("unlinkat", dir, k.string("f"),
        Fcntl.AT_REMOVEDIR));
    assertEquals(0, k.call("unlinkat", dir, k.string("sub"), Fcntl.AT_REMOVEDIR));
    assertEquals(0, k.call("unlinkat", dir, k.string("f"), 0));
    assertEquals(false, exists("/d/f"));
  }

  @Test
  void rename_movesAndReplaces() {
    file("/a");
    file("/b");
    long inoA = stat("/a").ino();
    assertEquals(0, k.call("rename", k.string("/a"), k.string("/b")));
    assertEquals(inoA, stat("/b").ino());
    assertEquals(false, exists("/a"));
    assertEquals(err(Errno.ENOENT), k.call("rename", k.string("/a"), k.string("/c")));
    assertEquals(err(Errno.EFAULT), k.call("rename", k.string("/b"), BAD_ADDRESS));
    k.call("mkdir", k.string("/d"), 0755);
    assertEquals(err(Errno.EISDIR), k.call("rename", k.string("/b"), k.string("/d")));
    assertEquals(err(Errno.EINVAL), k.call("rename", k.string("/d"), k.string("/d/in")));
  }

  @Test
  void renameat_usesBothDirfds() {
    k.call("mkdir", k.string("/x"), 0755);
    k.call("mkdir", k.string("/y"), 0755);
    file("/x/f");
    int x = PathOpsFiles.open(k, "/x", Fcntl.O_RDONLY);
    int y = PathOpsFiles.open(k, "/y", Fcntl.O_PATH);
    assertEquals(0, k.call("renameat", x, k.string("f"), y, k.string("g")));
    assertEquals(true, exists("/y/g"));
    assertEquals(err(Errno.EBADF), k.call("renameat", 99, k.string("f"), y, k.string("g")));
  }

  @Test
  void renameat2_noreplaceExchangeAndWhiteout() {
    file("/a");
    file("/b");
    long inoA = stat("/a").ino();
    long inoB = stat("/b").ino();
    assertEquals(err(Errno.EEXIST), k.call("renameat2", AT_FDCWD, k.string("/a"), AT_FDCWD,
        k.string("/b"), PathOpsSyscalls.RENAME_NOREPLACE));
    assertEquals(0, k.call("renameat2", AT_FDCWD, k.string("/a"), AT_FDCWD, k.string("/b"),
        PathOpsSyscalls.RENAME_EXCHANGE));
    assertEquals(inoB, stat("/a").ino());
    assertEquals(inoA, stat("/b").ino());
    assertEquals(err(Errno.ENOENT), k.call("renameat2", AT_FDCWD, k.string("/a"), AT_FDCWD,
        k.string("/c"), PathOpsSyscalls.RENAME_EXCHANGE));
    assertEquals(0, k.call("renameat2", AT_FDCWD, k.string("/a"), AT_FDCWD, k.string("/c"),
        PathOpsSyscalls.RENAME_NOREPLACE));
    // Invalid combinations and unknown bits.
    assertEquals(err(Errno.EINVAL), k.call("renameat2", AT_FDCWD, k.string("/c"), AT_FDCWD,
        k.string("/b"), 3));
    assertEquals(err(Errno.EINVAL), k.call("renameat2", AT_FDCWD, k.string("/c"), AT_FDCWD,
        k.string("/b"), 6));
    assertEquals(err(Errno.EINVAL), k.call("renameat2", AT_FDCWD, k.string("/c"), AT_FDCWD,
        k.string("/b"), 8));
    // No backend stores whiteouts: EINVAL as from a file system without them.
    assertEquals(err(Errno.EINVAL), k.call("renameat2", AT_FDCWD, k.string("/c"), AT_FDCWD,
        k.string("/w"), PathOpsSyscalls.RENAME_WHITEOUT));
    assertEquals(true, exists("/c"));
  }

  @Test
  void link_andLinkat() {
    file("/f");
    k.vfs.symlink(k.process.fs(), b("f"), null, b("/sl"));
    assertEquals(0, k.call("link", k.string("/f"), k.string("/g")));
    assertEquals(2, stat("/f").nlink());
    assertEquals(err(Errno.EEXIST), k.call("link", k.string("/f"), k.string("/g")));
    k.call("mkdir", k.string("/d"), 0755);
    assertEquals(err(Errno.EPERM), k.call("link", k.string("/d"), k.string("/d2")));
    // linkat without AT_SYMLINK_FOLLOW links the symlink itself; with it, its target.
    assertEquals(0, k.call("linkat", AT_FDCWD, k.string("/sl"), AT_FDCWD, k.string("/l1"), 0));
    assertEquals(0120777, stat("/l1").mode());
    assertEquals(0, k.call("linkat", AT_FDCWD, k.string("/sl"), AT_FDCWD, k.string("/l2"),
        Fcntl.AT_SYMLINK_FOLLOW));
    assertEquals(stat("/f").ino(), stat("/l2").ino());
    assertEquals(err(Errno.EINVAL), k.call("linkat", AT_FDCWD, k.string("/f"), AT_FDCWD,
        k.string("/l3"), Fcntl.AT_SYMLINK_NOFOLLOW));
    assertEquals(err(Errno.ENOENT), k.call("linkat", AT_FDCWD, k.string(""), AT_FDCWD,
        k.string("/l3"), 0));
  }

  @Test
  void linkat_emptyPath_linksTheDescriptorsFile_forRootOnly() {
    file("/f");
    int fd = PathOpsFiles.open(k, "/f", Fcntl.O_RDONLY);
    assertEquals(0, k.call("linkat", fd, k.string(""), AT_FDCWD, k.string("/g"),
        Fcntl.AT_EMPTY_PATH));
    assertEquals(stat("/f").ino(), stat("/g").ino());
    assertEquals(err(Errno.EXDEV), k.call("linkat", 0, k.string(""), AT_FDCWD,
        k.string("/tty"), Fcntl.AT_EMPTY_PATH));
    k.call("chmod", k.string("/"), 0777);
    PathOpsFiles.becomeUser(k, 1000, 1000);
    assertEquals(err(Errno.ENOENT), k.call("linkat", fd, k.string(""), AT_FDCWD,
        k.string("/h"), Fcntl.AT_EMPTY_PATH));
  }

  @Test
  void symlink_andReadlink_truncateWithoutNul() {
    assertEquals(0, k.call("symlink", k.string("/some/target"), k.string("/l")));
    long buf = k.alloc(64);
    for (int i = 0; i < 64; i++) {
      k.process.memory().write8(buf + i, 'x');
    }
    assertEquals(12, k.call("readlink", k.string("/l"), buf, 64));
    assertEquals("/some/targetx", new String(k.read(buf, 13), StandardCharsets.UTF_8));
    assertEquals(5, k.call("readlink", k.string("/l"), buf, 5));
    assertEquals("/some", new String(k.read(buf, 5), StandardCharsets.UTF_8));
    assertEquals(err(Errno.EINVAL), k.call("readlink", k.string("/l"), buf, 0));
    assertEquals(err(Errno.EINVAL), k.call("readlink", k.string("/l"), buf, -1));
    // bufsiz is checked before the path is even read.
    assertEquals(err(Errno.EINVAL), k.call("readlink", BAD_ADDRESS, buf, 0));
    assertEquals(err(Errno.EINVAL), k.call("readlink", k.string("/"), buf, 64));
    assertEquals(err(Errno.ENOENT), k.call("readlink", k.string("/nope"), buf, 64));
    assertEquals(err(Errno.EFAULT), k.call("readlink", k.string("/l"), BAD_ADDRESS, 64));
    assertEquals(err(Errno.EEXIST), k.call("symlink", k.string("x"), k.string("/l")));
    assertEquals(err(Errno.ENOENT), k.call("symlink", k.string(""), k.string("/m")));
    assertEquals(err(Errno.EFAULT), k.call("symlink", BAD_ADDRESS, k.string("/m")));
  }

  @Test
  void symlinkat_andReadlinkat_relativeAndEmptyPath() {
    k.call("mkdir", k.string("/d"), 0755);
    int dir = PathOpsFiles.open(k, "/d", Fcntl.O_RDONLY);
    assertEquals(0, k.call("symlinkat", k.string("../t"), dir, k.string("l")));
    long buf = k.alloc(16);
    assertEquals(4, k.call("readlinkat", dir, k.string("l"), buf, 16));
    assertArrayEquals(b("../t"), k.read(buf, 4));
    // An O_PATH|O_NOFOLLOW descriptor on the link, and an empty path.
    int link = PathOpsFiles.open(k, "/d/l", Fcntl.O_PATH | Fcntl.O_NOFOLLOW);
    assertEquals(4, k.call("readlinkat", link, k.string(""), buf, 16));
    // An empty path on something that is not a symlink: ENOENT, not EINVAL.
    assertEquals(err(Errno.ENOENT), k.call("readlinkat", dir, k.string(""), buf, 16));
    assertEquals(err(Errno.ENOENT), k.call("readlinkat", AT_FDCWD, k.string(""), buf, 16));
    assertEquals(err(Errno.EBADF), k.call("readlinkat", 50, k.string("l"), buf, 16));
  }
}
