package dev.blinkchroot.vfs;

import static dev.blinkchroot.vfs.TestTrees.b;
import static dev.blinkchroot.vfs.TestTrees.errnoOf;
import static dev.blinkchroot.vfs.TestTrees.mkdir;
import static dev.blinkchroot.vfs.TestTrees.symlink;
import static dev.blinkchroot.vfs.TestTrees.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Credentials-driven checks and attribute changes, on:
 *
 * <pre>
 * /                     0755 root
 * ├── tmp/              1777 root (sticky)
 * │   ├── alice.txt     0644 uid 1000
 * │   └── bob.txt       0644 uid 1001
 * ├── home/alice/       0755 uid 1000
 * ├── secret            0600 root
 * ├── tool              4755 root (setuid)
 * └── link -> secret
 * </pre>
 */
class PermissionsAndAttributesTest {
  private Vfs vfs;
  private FsContext root;
  private FsContext alice;

  @BeforeEach
  void buildTree() {
    vfs = TestTrees.memoryVfs();
    root = TestTrees.root(vfs);
    mkdir(vfs, root, "/tmp", 01777);
    write(vfs, root, "/tmp/alice.txt", "a", 0644);
    vfs.chown(root, null, b("/tmp/alice.txt"), 1000, 1000, 0);
    write(vfs, root, "/tmp/bob.txt", "b", 0644);
    vfs.chown(root, null, b("/tmp/bob.txt"), 1001, 1001, 0);
    mkdir(vfs, root, "/home", 0755);
    mkdir(vfs, root, "/home/alice", 0755);
    vfs.chown(root, null, b("/home/alice"), 1000, 1000, 0);
    write(vfs, root, "/secret", "s", 0600);
    write(vfs, root, "/tool", "t", 0755);
    vfs.chmod(root, null, b("/tool"), 04755, 0);
    symlink(vfs, root, "secret", "/link");
    alice = vfs.newContext(Credentials.of(1000, 1000, 100));
  }

  private Stat lstat(String path) {
    return vfs.stat(root, null, b(path), Fcntl.AT_SYMLINK_NOFOLLOW);
  }

  @Test
  void open_withoutReadPermission_givesEacces_rootBypasses() {
    assertEquals(Errno.EACCES,
        errnoOf(() -> vfs.open(alice, null, b("/secret"), Fcntl.O_RDONLY, 0)));
    vfs.open(root, null, b("/secret"), Fcntl.O_RDONLY, 0).close();
  }

  @Test
  void create_inDirectoryWithoutWritePermission_givesEacces() {
    assertEquals(Errno.EACCES, errnoOf(() -> mkdir(vfs, alice, "/etc", 0755)));
    assertEquals(Errno.EACCES, errnoOf(() -> vfs.open(alice, null, b("/new"),
        Fcntl.O_CREAT | Fcntl.O_WRONLY, 0644)));
    mkdir(vfs, alice, "/home/alice/ok", 0755);
    assertEquals(1000, lstat("/home/alice/ok").uid());
    assertEquals(1000, lstat("/home/alice/ok").gid());
  }

  @Test
  void stickyDirectory_onlyOwnerMayRemoveOrRename() {
    assertEquals(Errno.EPERM, errnoOf(() -> vfs.unlink(alice, null, b("/tmp/bob.txt"), 0)));
    assertEquals(Errno.EPERM, errnoOf(() ->
        vfs.rename(alice, null, b("/tmp/bob.txt"), null, b("/tmp/mine"), 0)));
    vfs.unlink(alice, null, b("/tmp/alice.txt"), 0);
    vfs.unlink(root, null, b("/tmp/bob.txt"), 0);
  }

  @Test
  void rootExecute_needsAnExecuteBitOnFiles() {
    vfs.access(root, null, b("/tool"), Fcntl.X_OK, 0);
    assertEquals(Errno.EACCES, errnoOf(() -> vfs.access(root, null, b("/secret"), Fcntl.X_OK, 0)));
    vfs.access(root, null, b("/secret"), Fcntl.R_OK | Fcntl.W_OK, 0);
    assertEquals(Errno.EACCES, errnoOf(() -> vfs.access(alice, null, b("/secret"), Fcntl.R_OK, 0)));
    vfs.access(alice, null, b("/secret"), Fcntl.F_OK, 0);
  }

  @Test
  void chmod_byNonOwner_givesEperm_setgidClearedForForeignGroup() {
    assertEquals(Errno.EPERM, errnoOf(() -> vfs.chmod(alice, null, b("/secret"), 0777, 0)));
    vfs.chmod(alice, null, b("/tmp/alice.txt"), 02755, 0);
    assertEquals(02755, lstat("/tmp/alice.txt").permissions());
    vfs.chown(root, null, b("/tmp/alice.txt"), -1, 4242, 0);
    vfs.chmod(alice, null, b("/tmp/alice.txt"), 02755, 0);
    assertEquals(0755, lstat("/tmp/alice.txt").permissions());
  }

  @Test
  void chown_rules_andSetuidClearing() {
    assertEquals(Errno.EPERM,
        errnoOf(() -> vfs.chown(alice, null, b("/tmp/alice.txt"), 1001, -1, 0)));
    assertEquals(Errno.EPERM,
        errnoOf(() -> vfs.chown(alice, null, b("/tmp/alice.txt"), -1, 4242, 0)));
    vfs.chown(alice, null, b("/tmp/alice.txt"), -1, 100, 0); // a supplementary group
    assertEquals(100, lstat("/tmp/alice.txt").gid());
    vfs.chown(root, null, b("/tool"), 0, 0, 0);
    assertEquals(0755, lstat("/tool").permissions());
  }

  @Test
  void chown_withNofollow_changesTheLinkItself() {
    vfs.chown(root, null, b("/link"), 7, 8, Fcntl.AT_SYMLINK_NOFOLLOW);
    assertEquals(7, lstat("/link").uid());
    assertEquals(0, lstat("/secret").uid());
  }

  @Test
  void utimens_setsNanoseconds_omitKeeps_nonOwnerMayOnlyTouchNow() {
    long t = 1_000_000_000L * 1_000_000_000L + 123_456_789L;
    vfs.utimens(root, null, b("/secret"), t, Vfs.TIME_OMIT, 0);
    Stat st = lstat("/secret");
    assertEquals(t, st.atimeNs());
    vfs.utimens(root, null, b("/secret"), Vfs.TIME_OMIT, t + 1, 0);
    assertEquals(t, lstat("/secret").atimeNs());
    assertEquals(t + 1, lstat("/secret").mtimeNs());
    assertEquals(Errno.EPERM,
        errnoOf(() -> vfs.utimens(alice, null, b("/tmp/bob.txt"), t, t, 0)));
    assertEquals(Errno.EACCES, errnoOf(() -> vfs.utimens(alice, null, b("/tmp/bob.txt"),
        Vfs.TIME_NOW, Vfs.TIME_NOW, 0)));
  }

  @Test
  void utimens_timeEqualToLinuxUtimeNowValue_isAnOrdinaryTime() {
    vfs.utimens(root, null, b("/secret"), Fcntl.UTIME_NOW, Fcntl.UTIME_OMIT, 0);
    assertEquals(Fcntl.UTIME_NOW, lstat("/secret").atimeNs());
    assertEquals(Fcntl.UTIME_OMIT, lstat("/secret").mtimeNs());
  }

  @Test
  void truncate_needsWritePermission_andARegularFile() {
    assertEquals(Errno.EACCES, errnoOf(() -> vfs.truncate(alice, null, b("/secret"), 0)));
    assertEquals(Errno.EISDIR, errnoOf(() -> vfs.truncate(root, null, b("/tmp"), 0)));
    vfs.truncate(root, null, b("/secret"), 0);
    assertEquals(0, lstat("/secret").size());
  }

  @Test
  void userXattrs_setGetListRemove_withCreateAndReplaceFlags() {
    vfs.setxattr(root, null, b("/secret"), "user.k", b("v1"), 0, 0);
    assertArrayEquals(b("v1"), vfs.getxattr(root, null, b("/secret"), "user.k", 0));
    assertEquals(Errno.EEXIST, errnoOf(() ->
        vfs.setxattr(root, null, b("/secret"), "user.k", b("v2"), Inode.XATTR_CREATE, 0)));
    assertEquals(Errno.ENODATA, errnoOf(() ->
        vfs.setxattr(root, null, b("/secret"), "user.other", b("v"), Inode.XATTR_REPLACE, 0)));
    assertEquals(List.of("user.k"), vfs.listxattr(root, null, b("/secret"), 0));
    vfs.removexattr(root, null, b("/secret"), "user.k", 0);
    assertEquals(Errno.ENODATA,
        errnoOf(() -> vfs.getxattr(root, null, b("/secret"), "user.k", 0)));
  }

  @Test
  void xattrs_namespaceRules() {
    assertEquals(Errno.EOPNOTSUPP,
        errnoOf(() -> vfs.setxattr(root, null, b("/secret"), "bogus.k", b("v"), 0, 0)));
    assertEquals(Errno.EPERM, errnoOf(() -> vfs.setxattr(root, null, b("/link"), "user.k",
        b("v"), 0, Fcntl.AT_SYMLINK_NOFOLLOW)));
    assertEquals(Errno.EACCES, errnoOf(() ->
        vfs.setxattr(alice, null, b("/tmp/bob.txt"), "user.k", b("v"), 0, 0)));
    vfs.setxattr(root, null, b("/secret"), "trusted.t", b("v"), 0, 0);
    vfs.setxattr(root, null, b("/tmp/bob.txt"), "trusted.t", b("v"), 0, 0);
    assertEquals(List.of(), vfs.listxattr(alice, null, b("/tmp/bob.txt"), 0));
    assertEquals(List.of("trusted.t"), vfs.listxattr(root, null, b("/tmp/bob.txt"), 0));
  }
}
