package dev.blinkchroot.vfs;

import static dev.blinkchroot.vfs.TestTrees.b;
import static dev.blinkchroot.vfs.TestTrees.errnoOf;
import static dev.blinkchroot.vfs.TestTrees.mkdir;
import static dev.blinkchroot.vfs.TestTrees.symlink;
import static dev.blinkchroot.vfs.TestTrees.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Path resolution as path_resolution(7) describes it, on this tree:
 *
 * <pre>
 * /
 * ├── bin/
 * │   ├── busybox                      regular, 0755
 * │   └── ls -> /bin/busybox           absolute target
 * ├── etc/
 * │   └── passwd                       regular
 * ├── abs -> /etc                      absolute: restarts at the sandbox root
 * ├── escape -> ../../..               climbs past the root: stays at the root
 * ├── rel -> etc/passwd
 * ├── dirlink -> bin
 * ├── loop1 -> loop2, loop2 -> loop1
 * ├── dangling -> nowhere
 * ├── chain0 -> chain1 -> ... -> chain40 -> etc/passwd   (41 links)
 * ├── file                             regular
 * └── private/                         0700, root: search denied to others
 *     └── secret
 * </pre>
 */
class PathWalkerTest {
  private Vfs vfs;
  private FsContext ctx;

  @BeforeEach
  void buildTree() {
    vfs = TestTrees.memoryVfs();
    ctx = TestTrees.root(vfs);
    mkdir(vfs, ctx, "/bin", 0755);
    write(vfs, ctx, "/bin/busybox", "busybox", 0755);
    symlink(vfs, ctx, "/bin/busybox", "/bin/ls");
    mkdir(vfs, ctx, "/etc", 0755);
    write(vfs, ctx, "/etc/passwd", "root:x:0:0", 0644);
    symlink(vfs, ctx, "/etc", "/abs");
    symlink(vfs, ctx, "../../..", "/escape");
    symlink(vfs, ctx, "etc/passwd", "/rel");
    symlink(vfs, ctx, "bin", "/dirlink");
    symlink(vfs, ctx, "loop2", "/loop1");
    symlink(vfs, ctx, "loop1", "/loop2");
    symlink(vfs, ctx, "nowhere", "/dangling");
    for (int i = 0; i < 40; i++) {
      symlink(vfs, ctx, "chain" + (i + 1), "/chain" + i);
    }
    symlink(vfs, ctx, "etc/passwd", "/chain40");
    write(vfs, ctx, "/file", "x", 0644);
    mkdir(vfs, ctx, "/private", 0700);
    write(vfs, ctx, "/private/secret", "s", 0644);
  }

  private Inode inode(String path) {
    return vfs.lookup(ctx, null, b(path), 0).inode();
  }

  @Test
  void resolve_absoluteSymlinkInsideRoot_staysInSandbox() {
    assertSame(inode("/etc/passwd"), inode("/abs/passwd"));
    assertSame(inode("/bin/busybox"), inode("/bin/ls"));
  }

  @Test
  void resolve_dotDotAtRoot_staysAtRoot() {
    assertSame(inode("/etc/passwd"), inode("/../../../etc/passwd"));
    assertSame(vfs.root().inode(), inode(".."));
  }

  @Test
  void resolve_symlinkClimbingPastRoot_staysInSandbox() {
    assertSame(inode("/etc/passwd"), inode("/escape/etc/passwd"));
    assertSame(vfs.root().inode(), inode("/escape"));
  }

  @Test
  void resolve_chrootedContext_absolutePathsAndSymlinksStartAtNewRoot() {
    vfs.chroot(ctx, b("/etc"));
    ctx.setCwd(ctx.root());
    assertSame(vfs.lookup(TestTrees.root(vfs), null, b("/etc/passwd"), 0).inode(),
        inode("/passwd"));
    assertSame(inode("/passwd"), inode("../../passwd"));
    assertEquals(Errno.ENOENT, errnoOf(() -> inode("/etc/passwd")));
    assertArrayEquals(b("/passwd"), vfs.realpath(ctx, null, b("/../passwd")));
  }

  @Test
  void resolve_relativeSymlink_resolvesFromItsDirectory() {
    assertSame(inode("/etc/passwd"), inode("/rel"));
    assertSame(inode("/bin/busybox"), inode("/dirlink/busybox"));
  }

  @Test
  void resolve_fortySymlinks_isTheLimit_fortyOneGivesEloop() {
    assertSame(inode("/etc/passwd"), inode("/chain1"));
    assertEquals(Errno.ELOOP, errnoOf(() -> inode("/chain0")));
  }

  @Test
  void resolve_symlinkLoop_givesEloop() {
    assertEquals(Errno.ELOOP, errnoOf(() -> inode("/loop1")));
    assertEquals(Errno.ELOOP, errnoOf(() -> inode("/loop1/x")));
  }

  @Test
  void resolve_finalSymlinkWithNofollow_isTheLinkItself() {
    Location link = vfs.lookup(ctx, null, b("/bin/ls"), Fcntl.AT_SYMLINK_NOFOLLOW);
    assertEquals(FileType.SYMLINK, link.inode().type());
    assertArrayEquals(b("/bin/busybox"), link.inode().readlink());
  }

  @Test
  void resolve_intermediateSymlink_isFollowedEvenWithNofollow() {
    Location f = vfs.lookup(ctx, null, b("/abs/passwd"), Fcntl.AT_SYMLINK_NOFOLLOW);
    assertSame(inode("/etc/passwd"), f.inode());
  }

  @Test
  void resolve_trailingSlashOnSymlinkToDirectory_followsEvenWithNofollow() {
    Location dir = vfs.lookup(ctx, null, b("/dirlink/"), Fcntl.AT_SYMLINK_NOFOLLOW);
    assertSame(inode("/bin"), dir.inode());
  }

  @Test
  void resolve_trailingSlashOnFile_givesEnotdir() {
    assertEquals(Errno.ENOTDIR, errnoOf(() -> inode("/file/")));
    assertEquals(Errno.ENOTDIR, errnoOf(() -> inode("/rel/")));
  }

  @Test
  void resolve_fileInTheMiddle_givesEnotdir_missingInTheMiddle_givesEnoent() {
    assertEquals(Errno.ENOTDIR, errnoOf(() -> inode("/file/x")));
    assertEquals(Errno.ENOENT, errnoOf(() -> inode("/nope/x")));
    assertEquals(Errno.ENOENT, errnoOf(() -> inode("/nope")));
  }

  @Test
  void resolve_danglingSymlink_followedGivesEnoent_lstatWorks() {
    assertEquals(Errno.ENOENT, errnoOf(() -> inode("/dangling")));
    assertEquals(FileType.SYMLINK,
        vfs.stat(ctx, null, b("/dangling"), Fcntl.AT_SYMLINK_NOFOLLOW).type());
  }

  @Test
  void resolve_componentOver255Bytes_givesEnametoolong() {
    byte[] name = new byte[256];
    Arrays.fill(name, (byte) 'a');
    assertEquals(Errno.ENAMETOOLONG, errnoOf(() -> vfs.lookup(ctx, null, name, 0)));
    byte[] ok = Arrays.copyOf(name, 255);
    assertEquals(Errno.ENOENT, errnoOf(() -> vfs.lookup(ctx, null, ok, 0)));
  }

  @Test
  void resolve_pathOf4096Bytes_givesEnametoolong_4095IsAllowed() {
    byte[] path = new byte[4096];
    Arrays.fill(path, (byte) '/');
    assertEquals(Errno.ENAMETOOLONG, errnoOf(() -> vfs.lookup(ctx, null, path, 0)));
    byte[] shorter = Arrays.copyOf(path, 4095);
    assertSame(vfs.root().inode(), vfs.lookup(ctx, null, shorter, 0).inode());
  }

  @Test
  void resolve_withoutSearchPermission_givesEacces() {
    FsContext user = vfs.newContext(Credentials.of(1000, 1000));
    assertEquals(Errno.EACCES,
        errnoOf(() -> vfs.lookup(user, null, b("/private/secret"), 0)));
    // The directory itself can still be named.
    assertEquals(FileType.DIRECTORY, vfs.stat(user, null, b("/private"), 0).type());
  }

  @Test
  void resolve_emptyPath_givesEnoent_unlessAtEmptyPath() {
    assertEquals(Errno.ENOENT, errnoOf(() -> vfs.lookup(ctx, null, new byte[0], 0)));
    Location etc = vfs.lookup(ctx, null, b("/etc"), 0);
    assertSame(etc.inode(), vfs.lookup(ctx, etc, new byte[0], Fcntl.AT_EMPTY_PATH).inode());
  }

  @Test
  void resolve_relativeToDirfd_startsThere_absoluteIgnoresIt() {
    Location etc = vfs.lookup(ctx, null, b("/etc"), 0);
    assertSame(inode("/etc/passwd"), vfs.lookup(ctx, etc, b("passwd"), 0).inode());
    assertSame(inode("/file"), vfs.lookup(ctx, etc, b("/file"), 0).inode());
  }

  @Test
  void resolve_nonUtf8Name_survivesCreateLookupAndReaddir() {
    byte[] name = {'/', (byte) 0xff, (byte) 0xfe, 'x'};
    vfs.open(ctx, null, name, Fcntl.O_CREAT | Fcntl.O_WRONLY, 0644).close();
    assertEquals(FileType.REGULAR, vfs.stat(ctx, null, name, 0).type());
    try (OpenFile dir = vfs.open(ctx, null, b("/"), Fcntl.O_RDONLY | Fcntl.O_DIRECTORY, 0)) {
      boolean found = dir.readdir(1000).stream()
          .anyMatch(e -> Arrays.equals(e.name().bytes(), Arrays.copyOfRange(name, 1, 4)));
      assertEquals(true, found);
    }
  }

  @Test
  void realpath_resolvesEveryLink() {
    assertArrayEquals(b("/bin/busybox"), vfs.realpath(ctx, null, b("/dirlink/../bin/ls")));
    assertArrayEquals(b("/etc"), vfs.realpath(ctx, null, b("/escape/abs/")));
    assertArrayEquals(b("/"), vfs.realpath(ctx, null, b("/escape")));
  }
}
