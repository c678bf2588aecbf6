package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.PathOpsFiles.BAD_ADDRESS;
import static dev.blinkchroot.emulator.kernel.calls.PathOpsFiles.b;
import static dev.blinkchroot.emulator.kernel.calls.PathOpsFiles.le;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.blinkchroot.emulator.kernel.abi.StatLayout;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.StatFs;
import dev.blinkchroot.vfs.nio.NioBackend;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The xattr family, statfs/fstatfs, and the refused mount calls. */
class PathOpsXattrStatfsTest {
  private static final int XATTR_CREATE = 1;
  private static final int XATTR_REPLACE = 2;
  private KernelFixture k;

  @BeforeEach
  void setUp() {
    k = new KernelFixture();
    k.vfs.mkdir(k.process.fs(), null, b("/d"), 0755);
    k.vfs.mknod(k.process.fs(), null, b("/d/f"), 0100644, 0);
    k.vfs.symlink(k.process.fs(), b("f"), null, b("/d/l"));
  }

  private static long err(Errno e) {
    return -e.number();
  }

  // ---------------------------------------------------------------- xattrs

  @Test
  void setxattr_getxattr_sizeZeroQueriesTheLength_tooSmallIsErange() {
    long value = k.bytes(b("hello"));
    assertEquals(0, k.call("setxattr", k.string("/d/f"), k.string("user.greeting"), value, 5,
        0));
    assertEquals(5, k.call("getxattr", k.string("/d/f"), k.string("user.greeting"), 0, 0));
    long buf = k.alloc(16);
    assertEquals(err(Errno.ERANGE), k.call("getxattr", k.string("/d/f"),
        k.string("user.greeting"), buf, 4));
    assertEquals(5, k.call("getxattr", k.string("/d/f"), k.string("user.greeting"), buf, 16));
    assertArrayEquals(b("hello"), k.read(buf, 5));
    // Through the symlink (followed) too.
    assertEquals(5, k.call("getxattr", k.string("/d/l"), k.string("user.greeting"), buf, 16));
    assertEquals(err(Errno.ENODATA), k.call("getxattr", k.string("/d/f"),
        k.string("user.none"), buf, 16));
    // An empty value.
    assertEquals(0, k.call("setxattr", k.string("/d/f"), k.string("user.empty"), 0, 0, 0));
    assertEquals(0, k.call("getxattr", k.string("/d/f"), k.string("user.empty"), buf, 16));
  }

  @Test
  void setxattr_createAndReplaceFlags() {
    long v = k.bytes(b("1"));
    long name = k.string("user.x");
    long path = k.string("/d/f");
    assertEquals(err(Errno.ENODATA), k.call("setxattr", path, name, v, 1, XATTR_REPLACE));
    assertEquals(0, k.call("setxattr", path, name, v, 1, XATTR_CREATE));
    assertEquals(err(Errno.EEXIST), k.call("setxattr", path, name, v, 1, XATTR_CREATE));
    assertEquals(0, k.call("setxattr", path, name, v, 1, XATTR_REPLACE));
    assertEquals(err(Errno.EINVAL), k.call("setxattr", path, name, v, 1, 4));
  }

  @Test
  void xattrNames_emptyOrLongerThan255_areErange_unknownNamespaceEopnotsupp() {
    long v = k.bytes(b("1"));
    long path = k.string("/d/f");
    assertEquals(err(Errno.ERANGE), k.call("setxattr", path, k.string(""), v, 1, 0));
    assertEquals(err(Errno.ERANGE), k.call("setxattr", path,
        k.string("user." + "n".repeat(251)), v, 1, 0));
    assertEquals(0, k.call("setxattr", path, k.string("user." + "n".repeat(250)), v, 1, 0));
    assertEquals(err(Errno.EOPNOTSUPP), k.call("setxattr", path, k.string("bogus.x"), v, 1, 0));
    assertEquals(err(Errno.EFAULT), k.call("setxattr", path, BAD_ADDRESS, v, 1, 0));
    assertEquals(err(Errno.EFAULT), k.call("setxattr", path, k.string("user.a"), BAD_ADDRESS,
        1, 0));
    assertEquals(err(Errno.E2BIG), k.call("setxattr", path, k.string("user.a"), v, 65537, 0));
    assertEquals(err(Errno.EFAULT), k.call("getxattr", BAD_ADDRESS, k.string("user.a"), 0, 0));
  }

  @Test
  void listxattr_nulSeparatedNames_withSizeQuery() {
    long path = k.string("/d/f");
    assertEquals(0, k.call("listxattr", path, 0, 0));
    k.call("setxattr", path, k.string("user.a"), k.bytes(b("1")), 1, 0);
    k.call("setxattr", path, k.string("user.bb"), k.bytes(b("2")), 1, 0);
    long total = k.call("listxattr", path, 0, 0);
    assertEquals("user.a\0user.bb\0".length(), total);
    long buf = k.alloc(64);
    assertEquals(err(Errno.ERANGE), k.call("listxattr", path, buf, total - 1));
    assertEquals(total, k.call("listxattr", path, buf, 64));
    String list = new String(k.read(buf, (int) total), StandardCharsets.UTF_8);
    assertEquals(java.util.Set.of("user.a", "user.bb"),
        java.util.Set.of(list.substring(0, list.length() - 1).split("\0")));
    assertEquals(err(Errno.EFAULT), k.call("listxattr", path, BAD_ADDRESS, 64));
  }

  @Test
  void lVariants_actOnTheSymlink_fVariantsOnTheDescriptor() {
    long v = k.bytes(b("v"));
    // user.* attributes are not allowed on symlinks.
    assertEquals(err(Errno.EPERM), k.call("lsetxattr", k.string("/d/l"), k.string("user.a"), v,
        1, 0));
    assertEquals(0, k.call("lsetxattr", k.string("/d/l"), k.string("trusted.a"), v, 1, 0));
    assertEquals(1, k.call("lgetxattr", k.string("/d/l"), k.string("trusted.a"), 0, 0));
    assertEquals(err(Errno.ENODATA), k.call("getxattr", k.string("/d/l"), k.string("trusted.a"),
        0, 0));
    assertEquals("trusted.a\0".length(), k.call("llistxattr", k.string("/d/l"), 0, 0));
    assertEquals(0, k.call("lremovexattr", k.string("/d/l"), k.string("trusted.a")));
    assertEquals(0, k.call("llistxattr", k.string("/d/l"), 0, 0));

    int fd = PathOpsFiles.open(k, "/d/f", Fcntl.O_RDONLY);
    assertEquals(0, k.call("fsetxattr", fd, k.string("user.f"), v, 1, 0));
    long buf = k.alloc(8);
    assertEquals(1, k.call("fgetxattr", fd, k.string("user.f"), buf, 8));
    assertEquals('v', k.read(buf, 1)[0]);
    assertEquals("user.f\0".length(), k.call("flistxattr", fd, 0, 0));
    assertEquals(0, k.call("fremovexattr", fd, k.string("user.f")));
    assertEquals(err(Errno.ENODATA), k.call("fremovexattr", fd, k.string("user.f")));
    assertEquals(err(Errno.ENODATA), k.call("removexattr", k.string("/d/f"),
        k.string("user.f")));
  }

  @Test
  void fVariants_onOpathDescriptor_areEbadf_onBadFdEbadf() {
    int fd = PathOpsFiles.open(k, "/d/f", Fcntl.O_PATH);
    long v = k.bytes(b("v"));
    assertEquals(err(Errno.EBADF), k.call("fsetxattr", fd, k.string("user.a"), v, 1, 0));
    assertEquals(err(Errno.EBADF), k.call("fgetxattr", fd, k.string("user.a"), 0, 0));
    assertEquals(err(Errno.EBADF), k.call("flistxattr", fd, 0, 0));
    assertEquals(err(Errno.EBADF), k.call("fremovexattr", fd, k.string("user.a")));
    assertEquals(err(Errno.EBADF), k.call("fgetxattr", 91, k.string("user.a"), 0, 0));
    // A terminal has no attributes.
    assertEquals(err(Errno.EOPNOTSUPP), k.call("fgetxattr", 0, k.string("user.a"), 0, 0));
    assertEquals(0, k.call("flistxattr", 0, 0, 0));
  }

  @Test
  void userXattrs_followThePermissionBits() {
    k.call("setxattr", k.string("/d/f"), k.string("user.a"), k.bytes(b("1")), 1, 0);
    k.call("chmod", k.string("/d/f"), 0600);
    PathOpsFiles.becomeUser(k, 1000, 1000);
    assertEquals(err(Errno.EACCES), k.call("getxattr", k.string("/d/f"), k.string("user.a"),
        0, 0));
    assertEquals(err(Errno.EACCES), k.call("setxattr", k.string("/d/f"), k.string("user.a"),
        k.bytes(b("2")), 1, 0));
  }

  // ---------------------------------------------------------------- statfs

  @Test
  void statfs_andFstatfs_encodeTheFileSystem() {
    long buf = k.alloc(120);
    assertEquals(0, k.call("statfs", k.string("/d/l"), buf));
    StatFs expected = k.vfs.statfs(k.vfs.root());
    ByteBuffer s = le(k.read(buf, 120));
    assertEquals(expected.type(), s.getLong(0));
    assertEquals(expected.blockSize(), s.getLong(8));
    assertEquals(expected.blocks(), s.getLong(16));
    assertEquals(expected.blocksFree(), s.getLong(24));
    assertEquals(expected.blocksAvailable(), s.getLong(32));
    assertEquals(expected.files(), s.getLong(40));
    assertEquals(expected.filesFree(), s.getLong(48));
    assertEquals((int) expected.fsid(), s.getInt(56));
    assertEquals((int) (expected.fsid() >>> 32), s.getInt(60));
    assertEquals(expected.nameMax(), s.getLong(64));
    assertEquals(expected.fragmentSize(), s.getLong(72));
    assertEquals(expected.flags() | StatLayout.ST_VALID, s.getLong(80));
    for (int i = 88; i < 120; i++) {
      assertEquals(0, s.get(i));
    }
    int fd = PathOpsFiles.open(k, "/d", Fcntl.O_PATH);
    long buf2 = k.alloc(120);
    assertEquals(0, k.call("fstatfs", fd, buf2));
    assertArrayEquals(k.read(buf, 120), k.read(buf2, 120));
  }

  @Test
  void statfs_ofAReadOnlyMount_setsStRdonly_andDescriptorsOutsideTheTreeHaveAPseudoFs() {
    k.vfs.mount(k.process.fs(), b("/d"), NioBackend.memory(), "ro", true);
    long buf = k.alloc(120);
    assertEquals(0, k.call("statfs", k.string("/d"), buf));
    assertEquals(StatFs.ST_RDONLY | StatLayout.ST_VALID, le(k.read(buf, 120)).getLong(80));
    assertEquals(0, k.call("fstatfs", 0, buf));
    assertEquals(PathArgs.DEVPTS_SUPER_MAGIC, le(k.read(buf, 120)).getLong(0));
  }

  @Test
  void statfs_errors() {
    long buf = k.alloc(120);
    assertEquals(err(Errno.ENOENT), k.call("statfs", k.string("/nope"), buf));
    assertEquals(err(Errno.ENOENT), k.call("statfs", k.string(""), buf));
    assertEquals(err(Errno.EFAULT), k.call("statfs", BAD_ADDRESS, buf));
    assertEquals(err(Errno.EFAULT), k.call("statfs", k.string("/"), BAD_ADDRESS));
    assertEquals(err(Errno.EBADF), k.call("fstatfs", 63, buf));
    assertEquals(err(Errno.EFAULT), k.call("fstatfs", 0, BAD_ADDRESS));
  }

  // ---------------------------------------------------------------- mount

  @Test
  void mount_umount2_pivotRoot_areRefusedWithEperm() {
    assertEquals(err(Errno.EPERM), k.call("mount", k.string("proc"), k.string("/d"),
        k.string("proc"), 0, 0));
    assertEquals(err(Errno.EPERM), k.call("umount2", k.string("/"), 0));
    assertEquals(err(Errno.EPERM), k.call("pivot_root", k.string("/d"), k.string("/d")));
  }
}
