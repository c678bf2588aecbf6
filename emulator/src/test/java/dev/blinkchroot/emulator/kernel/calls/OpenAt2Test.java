package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.FileCalls.AT_FDCWD;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_CREAT;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_DIRECTORY;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_NOFOLLOW;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_PATH;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_RDONLY;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_RDWR;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_TRUNC;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.UNMAPPED;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.err;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.emulator.kernel.testing.SyntheticFsFixture;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.nio.NioBackend;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * openat2 and its RESOLVE_* flags, over this tree:
 *
 * <pre>
 * /
 * ├── file            "root file"
 * ├── outside         "outside"
 * └── base/           (the dirfd)
 *     ├── file        "base file"
 *     ├── sub/inner   "inner"
 *     ├── rel   -> sub/inner        (stays inside)
 *     ├── back  -> sub/../file      (".." that stays inside)
 *     ├── up    -> ..               (escapes by "..")
 *     ├── abs   -> /outside         (escapes by an absolute target)
 *     ├── rootf -> /file            (IN_ROOT: base/file)
 *     ├── dangling -> made          (O_CREAT creates base/made)
 *     └── mnt/        a separate in-memory mount: m "mounted"
 * </pre>
 */
class OpenAt2Test {
  private static final long NO_XDEV = 0x01;
  private static final long NO_MAGICLINKS = 0x02;
  private static final long NO_SYMLINKS = 0x04;
  private static final long BENEATH = 0x08;
  private static final long IN_ROOT = 0x10;
  private static final long CACHED = 0x20;

  private final FileCalls f = new FileCalls();
  private final KernelFixture k = f.k;
  private final FsContext ctx = k.process.fs();
  private final int base;

  OpenAt2Test() {
    file("/file", "root file");
    file("/outside", "outside");
    k.vfs.mkdir(ctx, null, b("/base"), 0755);
    file("/base/file", "base file");
    k.vfs.mkdir(ctx, null, b("/base/sub"), 0755);
    file("/base/sub/inner", "inner");
    link("sub/inner", "/base/rel");
    link("sub/../file", "/base/back");
    link("..", "/base/up");
    link("/outside", "/base/abs");
    link("/file", "/base/rootf");
    link("made", "/base/dangling");
    k.vfs.mkdir(ctx, null, b("/base/mnt"), 0755);
    k.vfs.mount(ctx, b("/base/mnt"), NioBackend.memory(), "m", false);
    file("/base/mnt/m", "mounted");
    base = f.openOk("/base", O_RDONLY | O_DIRECTORY, 0);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private void file(String path, String content) {
    k.call("close", f.file(path, content));
  }

  private void link(String target, String path) {
    k.vfs.symlink(ctx, b(target), null, b(path));
  }

  private long how(long flags, long mode, long resolve) {
    ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    h.putLong(flags).putLong(mode).putLong(resolve);
    return k.bytes(h.array());
  }

  private long openat2(int dirfd, String path, long flags, long resolve) {
    return k.call("openat2", dirfd, k.string(path), how(flags, 0, resolve), 24);
  }

  /** The content of what openat2 opens, or its errno as "-N". */
  private String content(int dirfd, String path, long resolve) {
    long fd = openat2(dirfd, path, O_RDONLY, resolve);
    return fd < 0 ? Long.toString(fd) : f.read((int) fd, 100);
  }

  private static String e(Errno errno) {
    return Long.toString(err(errno));
  }

  @Test
  void withoutResolveFlags_itIsOpenat() {
    assertEquals("outside", content(base, "up/outside", 0));
    assertEquals("outside", content(base, "abs", 0));
    assertEquals("root file", content(base, "rootf", 0));
    assertEquals("inner", content(AT_FDCWD, "/base/rel", 0));
  }

  @Test
  void beneath_allowsPathsThatStayBelowTheDirfd() {
    assertEquals("base file", content(base, "file", BENEATH));
    assertEquals("base file", content(base, "sub/../file", BENEATH));
    assertEquals("inner", content(base, "rel", BENEATH));
    assertEquals("base file", content(base, "back", BENEATH));
    assertEquals("mounted", content(base, "mnt/m", BENEATH));
    assertTrue(openat2(base, ".", O_RDONLY | O_DIRECTORY, BENEATH) >= 0);
  }

  @Test
  void beneath_escapes_areExdev() {
    assertEquals(e(Errno.EXDEV), content(base, "..", BENEATH));
    assertEquals(e(Errno.EXDEV), content(base, "sub/../../outside", BENEATH));
    assertEquals(e(Errno.EXDEV), content(base, "up/outside", BENEATH));
    assertEquals(e(Errno.EXDEV), content(base, "abs", BENEATH));
    assertEquals(e(Errno.EXDEV), content(base, "/file", BENEATH));
    assertEquals(e(Errno.EXDEV), content(base, "rootf", BENEATH));
  }

  @Test
  void beneath_withAtFdcwd_anchorsAtTheWorkingDirectory() {
    k.vfs.chdir(ctx, null, b("/base"));
    assertEquals("base file", content(AT_FDCWD, "file", BENEATH));
    assertEquals(e(Errno.EXDEV), content(AT_FDCWD, "../file", BENEATH));
  }

  @Test
  void inRoot_treatsTheDirfdAsTheRoot() {
    assertEquals("base file", content(base, "/file", IN_ROOT));
    assertEquals("base file", content(base, "rootf", IN_ROOT));
    assertEquals("base file", content(base, "up/file", IN_ROOT));
    assertEquals("base file", content(base, "../../file", IN_ROOT));
    assertEquals(e(Errno.ENOENT), content(base, "abs", IN_ROOT));
    long fd = openat2(base, "/rootf", O_RDONLY, IN_ROOT);
    assertEquals("/base/file", f.description((int) fd).procLink());
  }

  @Test
  void noSymlinks_anySymlinkFollowedIsEloop_aFinalOneNotFollowedIsFine() {
    assertEquals("base file", content(base, "file", NO_SYMLINKS));
    assertEquals(e(Errno.ELOOP), content(base, "rel", NO_SYMLINKS));
    assertEquals(e(Errno.ELOOP), content(AT_FDCWD, "/base/up/file", NO_SYMLINKS));
    long fd = openat2(base, "rel", O_PATH | O_NOFOLLOW, NO_SYMLINKS);
    assertTrue(fd >= 0);
    assertEquals(FileType.SYMLINK, f.description((int) fd).stat().type());
  }

  @Test
  void noXdev_crossingAMountEitherWay_isExdev() {
    assertEquals("inner", content(base, "sub/inner", NO_XDEV));
    assertEquals(e(Errno.EXDEV), content(base, "mnt/m", NO_XDEV));
    assertEquals(e(Errno.EXDEV), content(AT_FDCWD, "base/mnt/m", NO_XDEV));
    assertEquals(e(Errno.EXDEV), Long.toString(openat2(base, "mnt", O_RDONLY, NO_XDEV)));
    int mnt = f.openOk("/base/mnt", O_RDONLY | O_DIRECTORY, 0);
    assertEquals("mounted", content(mnt, "m", NO_XDEV));
    assertEquals(e(Errno.EXDEV), content(mnt, "../file", NO_XDEV));
    assertEquals(e(Errno.EXDEV), content(mnt, "/file", NO_XDEV));
  }

  @Test
  void create_underResolveFlags_createsInsideAndThroughADanglingLink() {
    long fd = k.call("openat2", base, k.string("new"), how(O_RDWR | O_CREAT, 0640, BENEATH),
        24);
    assertTrue(fd >= 0);
    assertEquals(0640 & ~022, f.description((int) fd).stat().permissions());
    assertEquals("/base/new", f.description((int) fd).procLink());
    assertTrue(k.call("openat2", base, k.string("dangling"), how(O_RDWR | O_CREAT, 0600,
        IN_ROOT), 24) >= 0);
    assertTrue(f.open("/base/made", O_RDONLY, 0) >= 0);
    assertEquals(err(Errno.EXDEV), k.call("openat2", base, k.string("../escape"),
        how(O_RDWR | O_CREAT, 0600, BENEATH), 24));
  }

  @Test
  void noMagiclinks_refusesProcsFdAndCwdLinks_butNotOrdinaryOnes() {
    SyntheticFsFixture s = new SyntheticFsFixture();
    KernelFixture sk = s.k;
    long how = sk.bytes(ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(O_RDONLY | O_DIRECTORY).putLong(0).putLong(NO_MAGICLINKS).array());
    assertEquals(err(Errno.ELOOP), sk.call("openat2", AT_FDCWD, sk.string("/proc/self/cwd"),
        how, 24));
    assertTrue(sk.call("openat2", AT_FDCWD, sk.string("/proc/self"), how, 24) >= 0);
    long plain = sk.bytes(ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(O_RDONLY | O_DIRECTORY).putLong(0).putLong(0).array());
    assertTrue(sk.call("openat2", AT_FDCWD, sk.string("/proc/self/cwd"), plain, 24) >= 0);
  }

  @Test
  void openHow_validation() {
    long path = k.string("file");
    assertEquals(err(Errno.EINVAL), k.call("openat2", base, path, how(0, 0, 0), 23));
    assertEquals(err(Errno.E2BIG), k.call("openat2", base, path, how(0, 0, 0), 4097));
    long big = k.alloc(40);
    assertTrue(k.call("openat2", base, path, big, 40) >= 0);
    k.process.memory().write8(big + 30, 1);
    assertEquals(err(Errno.E2BIG), k.call("openat2", base, path, big, 40));
    assertEquals(err(Errno.EFAULT), k.call("openat2", base, path, UNMAPPED, 24));
    assertEquals(err(Errno.EINVAL), k.call("openat2", base, path, how(1L << 40, 0, 0), 24));
    assertEquals(err(Errno.EINVAL), k.call("openat2", base, path, how(0x40000000, 0, 0), 24));
    assertEquals(err(Errno.EINVAL), k.call("openat2", base, path, how(0, 0644, 0), 24));
    assertEquals(err(Errno.EINVAL), k.call("openat2", base, path, how(O_CREAT, 010000, 0), 24));
    assertEquals(err(Errno.EINVAL), k.call("openat2", base, path, how(0, 0, 0x40), 24));
    assertEquals(err(Errno.EINVAL),
        k.call("openat2", base, path, how(0, 0, BENEATH | IN_ROOT), 24));
    assertEquals(err(Errno.EINVAL), k.call("openat2", base, path, how(O_PATH | O_RDWR, 0, 0), 24));
    assertEquals(err(Errno.EAGAIN), k.call("openat2", base, path, how(O_TRUNC, 0, CACHED), 24));
    assertTrue(k.call("openat2", base, path, how(0, 0, CACHED), 24) >= 0);
    assertEquals(err(Errno.EFAULT), k.call("openat2", base, UNMAPPED, how(0, 0, 0), 24));
    assertEquals(err(Errno.ENOENT), k.call("openat2", base, k.string(""), how(0, 0, BENEATH),
        24));
  }
}
