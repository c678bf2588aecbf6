package dev.blinkchroot.vfs;

import static dev.blinkchroot.vfs.TestTrees.b;
import static dev.blinkchroot.vfs.TestTrees.errnoOf;
import static dev.blinkchroot.vfs.TestTrees.mkdir;
import static dev.blinkchroot.vfs.TestTrees.read;
import static dev.blinkchroot.vfs.TestTrees.symlink;
import static dev.blinkchroot.vfs.TestTrees.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * mkdir, mknod, symlink, link, unlink, rmdir and rename with their Linux error cases, on:
 *
 * <pre>
 * /
 * ├── d/
 * │   ├── sub/
 * │   │   └── deep/
 * │   └── f          "data"
 * ├── empty/
 * ├── full/
 * │   └── x
 * ├── file           "file"
 * └── link -> file
 * </pre>
 */
class NamespaceOpsTest {
  private Vfs vfs;
  private FsContext ctx;

  @BeforeEach
  void buildTree() {
    vfs = TestTrees.memoryVfs();
    ctx = TestTrees.root(vfs);
    mkdir(vfs, ctx, "/d", 0755);
    mkdir(vfs, ctx, "/d/sub", 0755);
    mkdir(vfs, ctx, "/d/sub/deep", 0755);
    write(vfs, ctx, "/d/f", "data", 0644);
    mkdir(vfs, ctx, "/empty", 0755);
    mkdir(vfs, ctx, "/full", 0755);
    write(vfs, ctx, "/full/x", "", 0644);
    write(vfs, ctx, "/file", "file", 0644);
    symlink(vfs, ctx, "file", "/link");
  }

  private Stat lstat(String path) {
    return vfs.stat(ctx, null, b(path), Fcntl.AT_SYMLINK_NOFOLLOW);
  }

  @Test
  void mkdir_existingName_givesEexist_evenThroughDanglingSymlink() {
    assertEquals(Errno.EEXIST, errnoOf(() -> mkdir(vfs, ctx, "/d", 0755)));
    assertEquals(Errno.EEXIST, errnoOf(() -> mkdir(vfs, ctx, "/link", 0755)));
    assertEquals(Errno.EEXIST, errnoOf(() -> mkdir(vfs, ctx, "/d/.", 0755)));
    assertEquals(Errno.EEXIST, errnoOf(() -> mkdir(vfs, ctx, "/", 0755)));
  }

  @Test
  void mkdir_trailingSlash_isAllowed_andAppliesUmask() {
    ctx.setUmask(022);
    mkdir(vfs, ctx, "/new/", 0777);
    assertEquals(0755, lstat("/new").permissions());
    assertEquals(FileType.DIRECTORY, lstat("/new").type());
  }

  @Test
  void mkdir_inSetgidDirectory_inheritsGroupAndSetgid() {
    vfs.chown(ctx, null, b("/d"), 0, 50, 0);
    vfs.chmod(ctx, null, b("/d"), 02775, 0);
    mkdir(vfs, ctx, "/d/g", 0755);
    write(vfs, ctx, "/d/gf", "", 0644);
    assertEquals(50, lstat("/d/g").gid());
    assertEquals(02755, lstat("/d/g").permissions());
    assertEquals(50, lstat("/d/gf").gid());
    assertEquals(0644, lstat("/d/gf").permissions());
  }

  @Test
  void directoryNlink_isTwoPlusSubdirectories() {
    assertEquals(3, lstat("/d").nlink());
    assertEquals(2, lstat("/empty").nlink());
    mkdir(vfs, ctx, "/d/another", 0755);
    assertEquals(4, lstat("/d").nlink());
    vfs.rmdir(ctx, null, b("/d/another"));
    assertEquals(3, lstat("/d").nlink());
  }

  @Test
  void mknod_createsDevicesFifosAndSockets_withTheirNumbers() {
    vfs.mknod(ctx, null, b("/null"), FileType.CHARACTER_DEVICE.modeBits() | 0666,
        Stat.makedev(1, 3));
    vfs.mknod(ctx, null, b("/sda"), FileType.BLOCK_DEVICE.modeBits() | 0660,
        Stat.makedev(8, 0));
    vfs.mknod(ctx, null, b("/fifo"), FileType.FIFO.modeBits() | 0644, 0);
    vfs.mknod(ctx, null, b("/sock"), FileType.SOCKET.modeBits() | 0755, 0);
    Stat nul = lstat("/null");
    assertEquals(FileType.CHARACTER_DEVICE, nul.type());
    assertEquals(1, Stat.major(nul.rdev()));
    assertEquals(3, Stat.minor(nul.rdev()));
    assertEquals(8, Stat.major(lstat("/sda").rdev()));
    assertEquals(FileType.FIFO, lstat("/fifo").type());
    assertEquals(FileType.SOCKET, lstat("/sock").type());
  }

  @Test
  void mknod_errors() {
    FsContext user = vfs.newContext(Credentials.of(1000, 1000));
    vfs.chmod(ctx, null, b("/empty"), 0777, 0);
    assertEquals(Errno.EPERM, errnoOf(() -> vfs.mknod(user, null, b("/empty/c"),
        FileType.CHARACTER_DEVICE.modeBits() | 0666, 0)));
    assertEquals(Errno.EPERM, errnoOf(() -> vfs.mknod(ctx, null, b("/dir"),
        FileType.DIRECTORY.modeBits() | 0755, 0)));
    assertEquals(Errno.ENOENT, errnoOf(() -> vfs.mknod(ctx, null, b("/x/"), 0100644, 0)));
    assertEquals(Errno.EEXIST, errnoOf(() -> vfs.mknod(ctx, null, b("/file"), 0100644, 0)));
  }

  @Test
  void symlink_storesTargetVerbatim_emptyTargetGivesEnoent() {
    byte[] target = {'.', '.', '/', (byte) 0x80, '/', '/', 'x'};
    vfs.symlink(ctx, target, null, b("/weird"));
    assertEquals(new String(target, java.nio.charset.StandardCharsets.ISO_8859_1),
        new String(vfs.readlink(ctx, null, b("/weird")),
            java.nio.charset.StandardCharsets.ISO_8859_1));
    assertEquals(Errno.ENOENT, errnoOf(() -> vfs.symlink(ctx, new byte[0], null, b("/e"))));
    assertEquals(Errno.EINVAL, errnoOf(() -> vfs.readlink(ctx, null, b("/file"))));
  }

  @Test
  void link_addsAName_countsLinks_refusesDirectories() {
    vfs.link(ctx, null, b("/file"), null, b("/d/hard"), 0);
    assertSame(vfs.lookup(ctx, null, b("/file"), 0).inode(),
        vfs.lookup(ctx, null, b("/d/hard"), 0).inode());
    assertEquals(2, lstat("/file").nlink());
    assertEquals(Errno.EPERM, errnoOf(() -> vfs.link(ctx, null, b("/d"), null, b("/d2"), 0)));
    assertEquals(Errno.EEXIST, errnoOf(() -> vfs.link(ctx, null, b("/file"), null, b("/d/f"), 0)));
    vfs.unlink(ctx, null, b("/file"), 0);
    assertEquals(1, lstat("/d/hard").nlink());
    assertEquals("file", read(vfs, ctx, "/d/hard"));
  }

  @Test
  void link_ofSymlink_linksTheLinkUnlessAtSymlinkFollow() {
    vfs.link(ctx, null, b("/link"), null, b("/l2"), 0);
    assertEquals(FileType.SYMLINK, lstat("/l2").type());
    vfs.link(ctx, null, b("/link"), null, b("/l3"), Fcntl.AT_SYMLINK_FOLLOW);
    assertEquals(FileType.REGULAR, lstat("/l3").type());
  }

  @Test
  void unlink_errors() {
    assertEquals(Errno.EISDIR, errnoOf(() -> vfs.unlink(ctx, null, b("/d"), 0)));
    assertEquals(Errno.ENOTDIR, errnoOf(() -> vfs.unlink(ctx, null, b("/file/"), 0)));
    assertEquals(Errno.ENOENT, errnoOf(() -> vfs.unlink(ctx, null, b("/nope"), 0)));
    assertEquals(Errno.EISDIR, errnoOf(() -> vfs.unlink(ctx, null, b("/d/.."), 0)));
  }

  @Test
  void unlink_ofSymlink_removesTheLinkNotTheTarget() {
    vfs.unlink(ctx, null, b("/link"), 0);
    assertEquals("file", read(vfs, ctx, "/file"));
    assertEquals(Errno.ENOENT, errnoOf(() -> lstat("/link")));
  }

  @Test
  void rmdir_errors() {
    assertEquals(Errno.ENOTEMPTY, errnoOf(() -> vfs.rmdir(ctx, null, b("/full"))));
    assertEquals(Errno.EINVAL, errnoOf(() -> vfs.rmdir(ctx, null, b("/empty/."))));
    assertEquals(Errno.ENOTEMPTY, errnoOf(() -> vfs.rmdir(ctx, null, b("/empty/.."))));
    assertEquals(Errno.EBUSY, errnoOf(() -> vfs.rmdir(ctx, null, b("/"))));
    assertEquals(Errno.ENOTDIR, errnoOf(() -> vfs.rmdir(ctx, null, b("/file"))));
    assertEquals(Errno.ENOTDIR, errnoOf(() -> vfs.rmdir(ctx, null, b("/link"))));
    vfs.rmdir(ctx, null, b("/empty/"));
    assertEquals(Errno.ENOENT, errnoOf(() -> lstat("/empty")));
  }

  @Test
  void rename_replacesAtomically_andKeepsTheInode() {
    long ino = lstat("/d/f").ino();
    vfs.rename(ctx, null, b("/d/f"), null, b("/file"), 0);
    assertEquals(ino, lstat("/file").ino());
    assertEquals("data", read(vfs, ctx, "/file"));
    assertEquals(Errno.ENOENT, errnoOf(() -> lstat("/d/f")));
  }

  @Test
  void rename_directoryOverEmptyDirectory_works_overFullGivesEnotempty() {
    vfs.rename(ctx, null, b("/full"), null, b("/empty"), 0);
    assertEquals(FileType.REGULAR, lstat("/empty/x").type());
    mkdir(vfs, ctx, "/full", 0755);
    write(vfs, ctx, "/full/y", "", 0644);
    assertEquals(Errno.ENOTEMPTY,
        errnoOf(() -> vfs.rename(ctx, null, b("/d"), null, b("/full"), 0)));
  }

  @Test
  void rename_directoryIntoItself_givesEinval() {
    assertEquals(Errno.EINVAL,
        errnoOf(() -> vfs.rename(ctx, null, b("/d"), null, b("/d/sub/deep/d"), 0)));
    assertEquals(Errno.EINVAL,
        errnoOf(() -> vfs.rename(ctx, null, b("/d"), null, b("/d/new"), 0)));
  }

  @Test
  void rename_ontoAnAncestor_givesEnotempty() {
    assertEquals(Errno.ENOTEMPTY,
        errnoOf(() -> vfs.rename(ctx, null, b("/d/sub/deep"), null, b("/d"), 0)));
  }

  @Test
  void rename_typeMismatch_givesEisdirOrEnotdir() {
    assertEquals(Errno.EISDIR, errnoOf(() -> vfs.rename(ctx, null, b("/file"), null, b("/d"), 0)));
    assertEquals(Errno.ENOTDIR,
        errnoOf(() -> vfs.rename(ctx, null, b("/empty"), null, b("/file"), 0)));
    assertEquals(Errno.ENOTDIR,
        errnoOf(() -> vfs.rename(ctx, null, b("/file/"), null, b("/new"), 0)));
  }

  @Test
  void rename_noreplace_givesEexist_exchange_swaps() {
    assertEquals(Errno.EEXIST, errnoOf(() -> vfs.rename(ctx, null, b("/d/f"), null, b("/file"),
        Inode.RENAME_NOREPLACE)));
    long dIno = lstat("/d").ino();
    long fileIno = lstat("/file").ino();
    vfs.rename(ctx, null, b("/d"), null, b("/file"), Inode.RENAME_EXCHANGE);
    assertEquals(dIno, lstat("/file").ino());
    assertEquals(fileIno, lstat("/d").ino());
    assertEquals("data", read(vfs, ctx, "/file/f"));
    assertEquals(Errno.ENOENT, errnoOf(() -> vfs.rename(ctx, null, b("/d"), null, b("/nope"),
        Inode.RENAME_EXCHANGE)));
  }

  @Test
  void rename_ofTwoNamesOfOneFile_isASuccessfulNoop() {
    vfs.link(ctx, null, b("/file"), null, b("/again"), 0);
    vfs.rename(ctx, null, b("/file"), null, b("/again"), 0);
    assertEquals(2, lstat("/file").nlink());
    assertEquals(2, lstat("/again").nlink());
  }

  @Test
  void rename_dotOrRoot_givesEbusy() {
    assertEquals(Errno.EBUSY, errnoOf(() -> vfs.rename(ctx, null, b("/d/."), null, b("/x"), 0)));
    assertEquals(Errno.EBUSY, errnoOf(() -> vfs.rename(ctx, null, b("/file"), null, b("/"), 0)));
  }

  @Test
  void inodeNumbers_areUniqueAndStable() {
    long a = lstat("/file").ino();
    long b = lstat("/d/f").ino();
    assertNotEquals(a, b);
    assertEquals(a, lstat("/file").ino());
    assertEquals(lstat("/").dev(), lstat("/d/f").dev());
  }
}
