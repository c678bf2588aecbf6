package dev.blinkchroot.vfs.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import dev.blinkchroot.vfs.Stat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * rename and link on {@link OverlayBackend}: copy-up of both sides, whiteouts at the source,
 * opaque directories at the destination, RENAME_NOREPLACE and RENAME_EXCHANGE.
 *
 * <pre>
 * lower (the image; the overlay never writes it)        upper (NioBackend.memory())
 * /                       0755 0:0                       made on the first change, empty
 * ├── bin/                0755 0:0
 * │   ├── su              04755 0:7 "su-binary"  xattr user.origin=image  atime A, mtime M (ns)
 * │   └── sh -> "busy\xffbox"  (symlink, target not UTF-8)
 * ├── dev/                0755
 * │   ├── null            c 1,3  0666
 * │   └── sda             b 8,0  0660 0:6  atime A, mtime M
 * ├── empty/              0755 (no entries)
 * ├── etc/                0755
 * │   ├── passwd          0644 PASSWD
 * │   ├── shadow          0640 0:42 "root:*:"  xattr user.tag=secret
 * │   ├── hosts           0644 HOSTS        ┐ one inode,
 * │   └── hosts.hard      (hard link)       ┘ two names
 * └── usr/                0755
 *     └── share/          02775 5:6  mtime SHARE_MTIME
 *         ├── doc/        0755
 *         │   └── README  "read me"
 *         └── misc        "misc"
 * </pre>
 *
 * (Built in {@link OverlayFixture}.)
 */
class OverlayRenameTest extends OverlayFixture {

  @Test
  void rename_lowerFile_copiesUpAndWhitesOutSource() {
    Inode etc = at("/etc");
    Inode passwd = at("/etc/passwd");
    long ino = passwd.ino();
    etc.rename(n("passwd"), etc, n("passwd-"), 0);
    assertNull(etc.lookup(n("passwd")));
    assertSame(passwd, etc.lookup(n("passwd-")));
    assertEquals(ino, passwd.stat().ino());
    assertEquals(PASSWD, read(passwd));
    assertWhiteout(upperAt("/etc/passwd"));
    assertEquals(PASSWD, read(upperAt("/etc/passwd-")));
    assertEquals(PASSWD, read(walk(lower.root(), "/etc/passwd")));
  }

  @Test
  void rename_lowerFileIntoOtherDir_copiesBothParentChains() {
    at("/etc").rename(n("shadow"), at("/usr/share/doc"), n("shadow"), 0);
    assertNull(at("/etc").lookup(n("shadow")));
    Inode moved = at("/usr/share/doc/shadow");
    assertEquals(0640, moved.stat().permissions());
    assertEquals(42, moved.stat().gid());
    assertWhiteout(upperAt("/etc/shadow"));
    assertEquals(FileType.REGULAR, upperAt("/usr/share/doc/shadow").type());
    assertEquals(List.of("README", "shadow"), sortedNames(at("/usr/share/doc")));
  }

  @Test
  void rename_lowerDirWithContent_copiesSubtreeAndMarksDestinationOpaque() {
    Inode share = at("/usr/share");
    Inode doc = at("/usr/share/doc");
    long shareIno = share.ino();
    at("/usr").rename(n("share"), root, n("share2"), 0);

    assertSame(share, root.lookup(n("share2")));
    assertEquals(shareIno, share.stat().ino());
    assertSame(root, share.parent());
    assertEquals(n("share2"), share.name());
    assertSame(doc, at("/share2/doc"));
    assertEquals("read me", read(at("/share2/doc/README")));
    assertEquals("misc", read(at("/share2/misc")));
    assertEquals(02775, share.stat().permissions());
    assertEquals(List.of("doc", "misc"), sortedNames(share));
    assertNull(at("/usr").lookup(n("share")));
    assertEquals(2, at("/usr").stat().nlink());

    // what the upper holds: a whiteout for the old name, the whole subtree, opaque on top
    assertWhiteout(upperAt("/usr/share"));
    assertOpaque(upperAt("/share2"));
    assertEquals("read me", read(upperAt("/share2/doc/README")));
    assertEquals("misc", read(upperAt("/share2/misc")));
    assertEquals(02775, upperAt("/share2").stat().permissions());
    assertEquals(SHARE_MTIME, upperAt("/share2").stat().mtimeNs());
  }

  @Test
  void rename_newDirOntoLowerEmptyDir_isOpaqueAtDestination() {
    Inode fresh = root.create(n("fresh"), FileType.DIRECTORY, 0755, 0, 0, 0);
    fresh.create(n("inside"), FileType.REGULAR, 0644, 0, 0, 0);
    root.rename(n("fresh"), root, n("empty"), 0);
    assertSame(fresh, root.lookup(n("empty")));
    assertNull(root.lookup(n("fresh")));
    assertNull(upperAt("/fresh"), "an upper-only source needs no whiteout");
    assertOpaque(upperAt("/empty"));
    assertEquals(List.of("inside"), names(fresh));
  }

  @Test
  void rename_ontoNonEmptyMergedDir_failsWithEnotempty() {
    assertErrno(Errno.ENOTEMPTY, () -> root.rename(n("empty"), root, n("usr"), 0));
    assertErrno(Errno.ENOENT, () -> root.rename(n("missing"), root, n("x"), 0));
    assertEquals(0, upperCalls.get());
  }

  @Test
  void rename_replacingLowerFile_keepsTheTargetsReaddirPosition() {
    Inode etc = at("/etc");
    long hostsCookie = cookieOf(etc, "hosts");
    Inode passwd = at("/etc/passwd");
    etc.rename(n("passwd"), etc, n("hosts"), 0);
    assertSame(passwd, etc.lookup(n("hosts")));
    assertEquals(PASSWD, read(etc.lookup(n("hosts"))));
    assertEquals(hostsCookie, cookieOf(etc, "hosts"));
    assertEquals(List.of("hosts", "hosts.hard", "shadow"), sortedNames(etc));
    assertEquals(HOSTS, read(etc.lookup(n("hosts.hard"))));
    assertWhiteout(upperAt("/etc/passwd"));
  }

  @Test
  void rename_overWhiteout_replacesIt() {
    Inode etc = at("/etc");
    etc.unlink(n("hosts"));
    etc.rename(n("passwd"), etc, n("hosts"), Inode.RENAME_NOREPLACE);
    assertEquals(PASSWD, read(etc.lookup(n("hosts"))));
    assertEquals(FileType.REGULAR, upperAt("/etc/hosts").type());
    assertWhiteout(upperAt("/etc/passwd"));
  }

  @Test
  void rename_noreplaceOntoExistingName_failsWithEexistBeforeAnyCopyUp() {
    Inode etc = at("/etc");
    assertErrno(Errno.EEXIST,
        () -> etc.rename(n("passwd"), etc, n("shadow"), Inode.RENAME_NOREPLACE));
    assertEquals(0, upperCalls.get());
    assertEquals(PASSWD, read(etc.lookup(n("passwd"))));
  }

  @Test
  void rename_noreplaceOntoFreeName_moves() {
    Inode etc = at("/etc");
    etc.rename(n("passwd"), root, n("passwd"), Inode.RENAME_NOREPLACE);
    assertEquals(PASSWD, read(root.lookup(n("passwd"))));
    assertNull(etc.lookup(n("passwd")));
  }

  @Test
  void rename_exchangeLowerAndUpperFile_swapsNamesWithoutWhiteouts() {
    Inode etc = at("/etc");
    Inode motd = etc.create(n("motd"), FileType.REGULAR, 0644, 0, 0, 0);
    write(motd, "hello");
    Inode passwd = at("/etc/passwd");
    etc.rename(n("passwd"), etc, n("motd"), Inode.RENAME_EXCHANGE);
    assertSame(motd, etc.lookup(n("passwd")));
    assertSame(passwd, etc.lookup(n("motd")));
    assertEquals("hello", read(etc.lookup(n("passwd"))));
    assertEquals(PASSWD, read(etc.lookup(n("motd"))));
    assertEquals("hello", read(upperAt("/etc/passwd")));
    assertEquals(PASSWD, read(upperAt("/etc/motd")));
  }

  @Test
  void rename_exchangeLowerDirs_copiesBothSubtreesOpaque() {
    Inode bin = at("/bin");
    Inode doc = at("/usr/share/doc");
    root.rename(n("bin"), at("/usr/share"), n("doc"), Inode.RENAME_EXCHANGE);
    assertSame(doc, root.lookup(n("bin")));
    assertSame(bin, at("/usr/share/doc"));
    assertEquals(List.of("README"), names(at("/bin")));
    assertEquals(List.of("sh", "su"), sortedNames(at("/usr/share/doc")));
    assertEquals(04755, at("/usr/share/doc/su").stat().permissions());
    assertSame(at("/usr/share"), bin.parent());
    assertEquals(n("bin"), doc.name());
    assertOpaque(upperAt("/bin"));
    assertOpaque(upperAt("/usr/share/doc"));
    assertEquals("read me", read(upperAt("/bin/README")));
  }

  @Test
  void rename_exchangeWithMissingTarget_failsWithEnoent() {
    Inode etc = at("/etc");
    assertErrno(Errno.ENOENT,
        () -> etc.rename(n("passwd"), etc, n("nope"), Inode.RENAME_EXCHANGE));
    assertErrno(Errno.EINVAL, () -> etc.rename(n("passwd"), etc, n("hosts"),
        Inode.RENAME_EXCHANGE | Inode.RENAME_NOREPLACE));
    assertEquals(0, upperCalls.get());
  }

  @Test
  void rename_betweenTwoNamesOfOneLowerInode_isNoOp() {
    Inode etc = at("/etc");
    etc.rename(n("hosts"), etc, n("hosts.hard"), 0);
    assertEquals(List.of("hosts", "hosts.hard", "passwd", "shadow"), sortedNames(etc));
    assertEquals(0, upperCalls.get());
  }

  @Test
  void link_lowerFile_copiesUpAndSharesNodeAndIno() {
    Inode etc = at("/etc");
    Inode passwd = at("/etc/passwd");
    root.link(n("passwd.link"), passwd);
    assertSame(passwd, root.lookup(n("passwd.link")));
    assertEquals(2, passwd.stat().nlink());
    Stat a = upperAt("/etc/passwd").stat();
    Stat b = upperAt("/passwd.link").stat();
    assertEquals(a.ino(), b.ino());
    assertEquals(2, b.nlink());
    write(passwd, "via one name");
    assertEquals("via one name", read(root.lookup(n("passwd.link"))));
    etc.unlink(n("passwd"));
    assertWhiteout(upperAt("/etc/passwd"));
    assertEquals(1, root.lookup(n("passwd.link")).stat().nlink());
  }

  @Test
  void link_linkingADirectory_isRefused() {
    assertErrno(Errno.EPERM, () -> root.link(n("etc2"), at("/etc")));
    assertErrno(Errno.EEXIST, () -> root.link(n("etc"), at("/etc/passwd")));
  }

  /** Copy-up of one name breaks a lower hard link, as on Linux overlayfs without index=on. */
  @Test
  void copyUp_oneNameOfLowerHardLink_leavesTheOtherNameOnTheLowerData() {
    assertEquals(2, at("/etc/hosts").stat().nlink());
    write(at("/etc/hosts"), "changed");
    assertEquals("changed", read(at("/etc/hosts")));
    assertEquals(HOSTS, read(at("/etc/hosts.hard")));
    assertNull(upperAt("/etc/hosts.hard"));
  }

  @Test
  void rename_directory_parentAndNameFollow() {
    Inode doc = at("/usr/share/doc");
    assertEquals(n("doc"), doc.name());
    assertNull(root.name());
    assertSame(root, root.parent());
    at("/usr/share").rename(n("doc"), at("/etc"), n("docs"), 0);
    assertSame(at("/etc"), doc.parent());
    assertEquals(n("docs"), doc.name());
    assertNotNull(upperAt("/etc/docs/README"));
    assertWhiteout(upperAt("/usr/share/doc"));
    assertFalse(names(at("/usr/share")).contains("doc"));
    assertTrue(names(at("/etc")).contains("docs"));
  }

  private static long cookieOf(Inode dir, String name) {
    for (DirEntry e : list(dir, 100)) {
      if (e.name().toString().equals(name)) {
        return e.cookie();
      }
    }
    throw new AssertionError(name + " not listed");
  }
}
