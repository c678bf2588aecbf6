package dev.blinkchroot.vfs;

import static dev.blinkchroot.vfs.TestTrees.b;
import static dev.blinkchroot.vfs.TestTrees.errnoOf;
import static dev.blinkchroot.vfs.TestTrees.mkdir;
import static dev.blinkchroot.vfs.TestTrees.read;
import static dev.blinkchroot.vfs.TestTrees.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.blinkchroot.vfs.nio.NioBackend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mount table: crossing into and out of mounts, and the errors mounts cause.
 *
 * <pre>
 * /                 root mount (memory)
 * ├── file
 * ├── rw/           ← a writable memory mount:  rw/inside
 * └── ro/           ← a read-only memory mount: ro/data
 * </pre>
 */
class MountTest {
  private Vfs vfs;
  private FsContext ctx;

  @BeforeEach
  void buildTree() {
    vfs = TestTrees.memoryVfs();
    ctx = TestTrees.root(vfs);
    write(vfs, ctx, "/file", "root", 0644);
    mkdir(vfs, ctx, "/rw", 0755);
    write(vfs, ctx, "/rw/hidden-by-mount", "", 0644);
    mkdir(vfs, ctx, "/ro", 0755);
    vfs.mount(ctx, b("/rw"), NioBackend.memory(), "rw", false);
    NioBackend roBackend = NioBackend.memory();
    vfs.mount(ctx, b("/ro"), roBackend, "ro", false);
    write(vfs, ctx, "/ro/data", "data", 0644);
    vfs.unmount(ctx, b("/ro"));
    vfs.mount(ctx, b("/ro"), roBackend, "ro", true);
    write(vfs, ctx, "/rw/inside", "in", 0644);
  }

  @Test
  void lookup_crossesIntoMounts_andDotDotComesBack() {
    assertEquals("in", read(vfs, ctx, "/rw/inside"));
    assertEquals(Errno.ENOENT, errnoOf(() -> vfs.stat(ctx, null, b("/rw/hidden-by-mount"), 0)));
    assertSame(vfs.root().inode(), vfs.lookup(ctx, null, b("/rw/.."), 0).inode());
    assertEquals("root", read(vfs, ctx, "/ro/../file"));
  }

  @Test
  void eachMount_hasItsOwnDevice() {
    long rootDev = vfs.stat(ctx, null, b("/file"), 0).dev();
    assertNotEquals(rootDev, vfs.stat(ctx, null, b("/rw/inside"), 0).dev());
    assertNotEquals(vfs.stat(ctx, null, b("/ro/data"), 0).dev(),
        vfs.stat(ctx, null, b("/rw/inside"), 0).dev());
  }

  @Test
  void readOnlyMount_refusesEveryWriteWithErofs() {
    assertEquals("data", read(vfs, ctx, "/ro/data"));
    assertEquals(Errno.EROFS, errnoOf(() -> write(vfs, ctx, "/ro/data", "x", 0644)));
    assertEquals(Errno.EROFS, errnoOf(() -> mkdir(vfs, ctx, "/ro/d", 0755)));
    assertEquals(Errno.EROFS, errnoOf(() -> vfs.unlink(ctx, null, b("/ro/data"), 0)));
    assertEquals(Errno.EROFS, errnoOf(() -> vfs.chmod(ctx, null, b("/ro/data"), 0600, 0)));
    assertEquals(Errno.EROFS, errnoOf(() -> vfs.truncate(ctx, null, b("/ro/data"), 0)));
    assertEquals(Errno.EROFS, errnoOf(() -> vfs.access(ctx, null, b("/ro/data"), Fcntl.W_OK, 0)));
    assertEquals(StatFs.ST_RDONLY, vfs.statfs(ctx, null, b("/ro")).flags() & StatFs.ST_RDONLY);
    assertEquals(0, vfs.statfs(ctx, null, b("/rw")).flags() & StatFs.ST_RDONLY);
  }

  @Test
  void renameOrLinkAcrossMounts_givesExdev() {
    assertEquals(Errno.EXDEV,
        errnoOf(() -> vfs.rename(ctx, null, b("/file"), null, b("/rw/file"), 0)));
    assertEquals(Errno.EXDEV,
        errnoOf(() -> vfs.link(ctx, null, b("/file"), null, b("/rw/file"), 0)));
  }

  @Test
  void removingOrRenamingAMountPoint_givesEbusy() {
    assertEquals(Errno.EBUSY, errnoOf(() -> vfs.rmdir(ctx, null, b("/rw"))));
    assertEquals(Errno.EBUSY, errnoOf(() -> vfs.rename(ctx, null, b("/rw"), null, b("/x"), 0)));
  }

  @Test
  void pathOf_aDirectoryInsideAMount_isItsFullPath() {
    mkdir(vfs, ctx, "/rw/a", 0755);
    mkdir(vfs, ctx, "/rw/a/b", 0755);
    vfs.chdir(ctx, null, b("/rw/a/b"));
    assertArrayEquals(b("/rw/a/b"), vfs.pathOf(ctx, ctx.cwd()));
    assertArrayEquals(b("/rw/inside"), vfs.realpath(ctx, null, b("../../inside")));
  }

  @Test
  void pathOf_aRemovedWorkingDirectory_givesEnoent() {
    mkdir(vfs, ctx, "/rw/gone", 0755);
    vfs.chdir(ctx, null, b("/rw/gone"));
    vfs.rmdir(ctx, null, b("/rw/gone"));
    assertEquals(Errno.ENOENT, errnoOf(() -> vfs.pathOf(ctx, ctx.cwd())));
  }

  @Test
  void dotDot_fromARemovedWorkingDirectory_leadsToItsFormerParent() {
    mkdir(vfs, ctx, "/rw/gone", 0755);
    vfs.chdir(ctx, null, b("/rw/gone"));
    vfs.rmdir(ctx, null, b("/rw/gone"));
    vfs.chdir(ctx, null, b(".."));
    assertEquals("in", read(vfs, ctx, "inside"));
  }

  @Test
  void pathOf_outsideAChroot_isUnreachable() {
    vfs.chdir(ctx, null, b("/rw"));
    vfs.chroot(ctx, b("/ro"));
    assertArrayEquals(b("(unreachable)/rw"), vfs.pathOf(ctx, ctx.cwd()));
  }

  @Test
  void unmount_revealsWhatWasBeneath() {
    vfs.unmount(ctx, b("/rw"));
    assertEquals(FileType.REGULAR, vfs.stat(ctx, null, b("/rw/hidden-by-mount"), 0).type());
    assertEquals(Errno.EINVAL, errnoOf(() -> vfs.unmount(ctx, b("/rw"))));
  }
}
