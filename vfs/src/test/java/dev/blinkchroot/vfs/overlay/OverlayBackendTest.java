package dev.blinkchroot.vfs.overlay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileContent;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.StatFs;
import dev.blinkchroot.vfs.nio.NioBackend;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Lookups, copy-up, whiteouts, opaque directories and merged readdir of {@link OverlayBackend}.
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
class OverlayBackendTest extends OverlayFixture {

  // ---- lookup and read-only use ----

  @Test
  void lookup_lowerOnlyFile_readsLowerDataAndAttributes() {
    Inode passwd = at("/etc/passwd");
    assertEquals(FileType.REGULAR, passwd.type());
    assertEquals(PASSWD, read(passwd));
    assertEquals(0644, passwd.stat().permissions());
    assertArrayEquals(SH_TARGET, at("/bin/sh").readlink());
    assertNull(root.lookup(n("nonexistent")));
  }

  @Test
  void lookup_sameNameTwice_returnsSameObject() {
    Inode first = at("/usr/share/doc/README");
    assertSame(first, at("/usr/share/doc/README"));
    assertSame(at("/usr/share"), at("/usr/share/doc").parent());
  }

  @Test
  void readOnlyUse_neverCallsUpperSupplier() {
    List<Inode> stack = new ArrayList<>(List.of(root));
    int files = 0;
    while (!stack.isEmpty()) {
      Inode dir = stack.remove(stack.size() - 1);
      dir.stat();
      dir.listXattrs();
      for (DirEntry e : dir.readdir(0, 100)) {
        Inode child = dir.lookup(e.name());
        child.stat();
        files++;
        switch (child.type()) {
          case DIRECTORY -> stack.add(child);
          case REGULAR -> read(child);
          case SYMLINK -> child.readlink();
          default -> { }
        }
      }
    }
    assertArrayEquals(bytes("secret"), at("/etc/shadow").getXattr("user.tag"));
    overlay.statfs();
    overlay.flush();
    assertEquals(17, files);
    assertEquals(0, upperCalls.get());
    assertNull(upper);
  }

  @Test
  void stat_everyNode_reportsOverlayDeviceAndDistinctIno() {
    assertNotEquals(lower.deviceId(), overlay.deviceId());
    Set<Long> inos = new HashSet<>();
    for (String p : List.of("/", "/bin", "/bin/su", "/bin/sh", "/dev/null", "/etc",
        "/etc/passwd", "/usr/share/doc/README")) {
      Stat s = at(p).stat();
      assertEquals(overlay.deviceId(), s.dev(), p);
      assertEquals(at(p).ino(), s.ino(), p);
      assertTrue(inos.add(s.ino()), "duplicate ino at " + p);
    }
    write(at("/etc/passwd"), "changed");
    assertEquals(overlay.deviceId(), at("/etc/passwd").stat().dev());
    assertEquals(overlay.deviceId(), at("/etc").stat().dev());
    assertNotEquals(upper.deviceId(), overlay.deviceId());
  }

  @Test
  void statfs_reportsOverlayMagicAndTypeName() {
    StatFs s = overlay.statfs();
    assertEquals(StatFs.OVERLAYFS_SUPER_MAGIC, s.type());
    assertEquals(0, s.flags() & StatFs.ST_RDONLY);
    assertEquals("overlay", overlay.typeName());
    assertFalse(overlay.isReadOnly());
  }

  @Test
  void directoryNlink_isTwoPlusMergedSubdirectories() {
    assertEquals(2 + 5, root.stat().nlink()); // bin dev empty etc usr
    assertEquals(3, at("/usr").stat().nlink());
    assertEquals(2, at("/etc").stat().nlink());
    root.create(n("srv"), FileType.DIRECTORY, 0755, 0, 0, 0);
    root.create(n("file"), FileType.REGULAR, 0644, 0, 0, 0);
    assertEquals(2 + 6, root.stat().nlink());
    root.rmdir(n("empty"));
    assertEquals(2 + 5, root.stat().nlink());
    at("/etc").create(n("ssl"), FileType.DIRECTORY, 0755, 0, 0, 0);
    assertEquals(3, at("/etc").stat().nlink());
  }

  @Test
  void upperSupplierReturningNull_makesWritesFailWithErofs() {
    OverlayBackend readOnly = OverlayBackend.create(lower, () -> null);
    Inode etc = walk(readOnly.root(), "/etc");
    assertErrno(Errno.EROFS, () -> etc.create(n("x"), FileType.REGULAR, 0644, 0, 0, 0));
    assertErrno(Errno.EROFS, () -> etc.lookup(n("passwd")).openContent(true));
    assertEquals(PASSWD, read(etc.lookup(n("passwd"))));
  }

  // ---- copy-up ----

  @Test
  void openContentWritable_lowerFile_copiesDataUpAndLeavesLowerUnchanged() {
    Inode passwd = at("/etc/passwd");
    try (FileContent c = passwd.openContent(true)) {
      c.write(0, ByteBuffer.wrap(bytes("ROOT")));
    }
    String expected = "ROOT" + PASSWD.substring(4);
    assertEquals(expected, read(passwd));
    assertEquals(expected, read(upperAt("/etc/passwd")));
    assertEquals(PASSWD, read(walk(lower.root(), "/etc/passwd")));
    assertEquals(1, upperCalls.get());
  }

  @Test
  void copyUp_setuidFile_keepsModeOwnerNanosecondTimesXattrsAndData() {
    Inode su = at("/bin/su");
    su.setXattr("user.added", bytes("later"), 0);

    Inode copy = upperAt("/bin/su");
    assertNotNull(copy);
    Stat s = copy.stat();
    assertEquals(FileType.REGULAR, s.type());
    assertEquals(04755, s.permissions());
    assertEquals(0, s.uid());
    assertEquals(7, s.gid());
    assertEquals(ATIME, s.atimeNs());
    assertEquals(MTIME, s.mtimeNs());
    assertEquals("su-binary", read(copy));
    assertArrayEquals(bytes("image"), copy.getXattr("user.origin"));
    assertArrayEquals(bytes("later"), copy.getXattr("user.added"));
    assertEquals(Set.of("user.origin", "user.added"), new HashSet<>(su.listXattrs()));
    Stat seen = su.stat();
    assertEquals(04755, seen.permissions());
    assertEquals(MTIME, seen.mtimeNs());
  }

  @Test
  void copyUp_blockDevice_keepsRdevOwnerAndTimes() {
    Inode sda = at("/dev/sda");
    sda.setPermissions(0600);
    Stat s = upperAt("/dev/sda").stat();
    assertEquals(FileType.BLOCK_DEVICE, s.type());
    assertEquals(Stat.makedev(8, 0), s.rdev());
    assertEquals(0600, s.permissions());
    assertEquals(6, s.gid());
    assertEquals(MTIME, s.mtimeNs());
    assertEquals(ATIME, s.atimeNs());
    assertEquals(Stat.makedev(8, 0), sda.stat().rdev());
  }

  @Test
  void copyUp_symlink_keepsTargetBytesVerbatim() {
    Inode sh = at("/bin/sh");
    sh.setOwner(10, 20);
    Inode copy = upperAt("/bin/sh");
    assertEquals(FileType.SYMLINK, copy.type());
    assertArrayEquals(SH_TARGET, copy.readlink());
    assertEquals(10, copy.stat().uid());
    assertEquals(20, copy.stat().gid());
    assertArrayEquals(SH_TARGET, sh.readlink());
  }

  @Test
  void copyUp_nestedFile_copiesParentChainWithTheirAttributesAndTimes() {
    write(at("/usr/share/doc/README"), "new text");
    Stat share = upperAt("/usr/share").stat();
    assertEquals(02775, share.permissions());
    assertEquals(5, share.uid());
    assertEquals(6, share.gid());
    assertEquals(SHARE_MTIME, share.mtimeNs()); // creating doc/ inside did not show
    assertEquals(FileType.DIRECTORY, upperAt("/usr/share/doc").type());
    assertEquals("new text", read(upperAt("/usr/share/doc/README")));
    assertNull(upperAt("/usr/share/misc"), "siblings stay in the lower");
    assertNull(upperAt("/etc"));
    assertEquals("misc", read(at("/usr/share/misc")));
    assertEquals(SHARE_MTIME, at("/usr/share").stat().mtimeNs());
  }

  @Test
  void copyUp_keepsInoAndNodeIdentity() {
    Inode passwd = at("/etc/passwd");
    Inode etc = at("/etc");
    long ino = passwd.ino();
    long etcIno = etc.ino();
    passwd.setPermissions(0600);
    assertSame(passwd, at("/etc/passwd"));
    assertSame(etc, at("/etc"));
    assertEquals(ino, passwd.stat().ino());
    assertEquals(etcIno, etc.stat().ino());
    assertEquals(0600, passwd.stat().permissions());
    assertEquals(0644, walk(lower.root(), "/etc/passwd").stat().permissions());
  }

  @Test
  void readOnlyOpen_beforeCopyUp_readsTheCopiedUpData() {
    Inode passwd = at("/etc/passwd");
    try (FileContent reader = passwd.openContent(false)) {
      write(passwd, "rewritten");
      assertEquals("rewritten", readAll(reader));
    }
  }

  @Test
  void xattrs_overlayNamespace_refusedAndNeverListed() {
    Inode etc = at("/etc");
    assertErrno(Errno.EPERM, () -> etc.setXattr("trusted.overlay.opaque", bytes("y"), 0));
    assertErrno(Errno.EPERM, () -> etc.removeXattr("trusted.overlay.opaque"));
    assertErrno(Errno.ENODATA, () -> at("/etc/shadow").removeXattr("user.none"));
    assertEquals(0, upperCalls.get());
    at("/etc/shadow").removeXattr("user.tag");
    assertEquals(List.of(), at("/etc/shadow").listXattrs());
    assertArrayEquals(bytes("secret"), walk(lower.root(), "/etc/shadow").getXattr("user.tag"));
  }

  // ---- whiteouts and opaque directories ----

  @Test
  void unlink_lowerFile_leavesWhiteoutAndHidesName() {
    at("/etc").unlink(n("passwd"));
    assertNull(at("/etc").lookup(n("passwd")));
    assertFalse(names(at("/etc")).contains("passwd"));
    assertWhiteout(upperAt("/etc/passwd"));
    assertEquals(PASSWD, read(walk(lower.root(), "/etc/passwd")));
  }

  @Test
  void unlink_copiedUpFile_replacesUpperCopyWithWhiteout() {
    write(at("/etc/shadow"), "changed");
    at("/etc").unlink(n("shadow"));
    assertNull(at("/etc").lookup(n("shadow")));
    assertWhiteout(upperAt("/etc/shadow"));
  }

  @Test
  void unlink_upperOnlyFile_leavesNoWhiteout() {
    Inode etc = at("/etc");
    etc.create(n("motd"), FileType.REGULAR, 0644, 0, 0, 0);
    assertNotNull(upperAt("/etc/motd"));
    etc.unlink(n("motd"));
    assertNull(etc.lookup(n("motd")));
    assertNull(upperAt("/etc/motd"));
    assertErrno(Errno.ENOENT, () -> etc.unlink(n("motd")));
  }

  @Test
  void rmdir_lowerDirWithEntries_failsWithEnotempty() {
    assertErrno(Errno.ENOTEMPTY, () -> at("/usr").rmdir(n("share")));
    assertErrno(Errno.ENOTDIR, () -> at("/etc").rmdir(n("passwd")));
    assertErrno(Errno.EISDIR, () -> root.unlink(n("etc")));
    assertEquals(0, upperCalls.get());
  }

  @Test
  void rmdir_lowerEmptyDir_leavesWhiteout() {
    root.rmdir(n("empty"));
    assertNull(root.lookup(n("empty")));
    assertWhiteout(upperAt("/empty"));
  }

  @Test
  void rmdir_dirEmptiedByWhiteouts_removesItAndItsWhiteouts() {
    Inode doc = at("/usr/share/doc");
    doc.unlink(n("README"));
    assertTrue(doc.isEmpty());
    assertWhiteout(upperAt("/usr/share/doc/README"));
    at("/usr/share").rmdir(n("doc"));
    assertWhiteout(upperAt("/usr/share/doc"));
    assertEquals(List.of("misc"), names(at("/usr/share")));
  }

  @Test
  void mkdir_overWhiteout_isOpaqueAndHidesLowerContent() {
    Inode share = at("/usr/share");
    share.lookup(n("doc")).unlink(n("README"));
    share.rmdir(n("doc"));
    Inode doc = share.create(n("doc"), FileType.DIRECTORY, 0700, 3, 4, 0);
    assertTrue(doc.isEmpty());
    assertNull(doc.lookup(n("README")));
    Inode upperDoc = upperAt("/usr/share/doc");
    assertEquals(FileType.DIRECTORY, upperDoc.type());
    assertOpaque(upperDoc);
    assertEquals(0700, doc.stat().permissions());
    assertEquals(List.of(), doc.listXattrs());
    assertErrno(Errno.ENODATA, () -> doc.getXattr("trusted.overlay.opaque"));
    assertEquals(2, doc.stat().nlink());
  }

  @Test
  void create_overWhiteout_replacesWhiteoutWithNewFile() {
    Inode etc = at("/etc");
    etc.unlink(n("passwd"));
    Inode fresh = etc.create(n("passwd"), FileType.REGULAR, 0600, 0, 0, 0);
    write(fresh, "new");
    assertSame(fresh, etc.lookup(n("passwd")));
    assertEquals("new", read(etc.lookup(n("passwd"))));
    assertEquals(FileType.REGULAR, upperAt("/etc/passwd").type());
    assertEquals(1, names(etc).stream().filter("passwd"::equals).count());
  }

  @Test
  void symlink_overWhiteout_replacesWhiteout() {
    Inode etc = at("/etc");
    etc.unlink(n("hosts"));
    etc.symlink(n("hosts"), bytes("/run/hosts"), 0, 0);
    assertArrayEquals(bytes("/run/hosts"), etc.lookup(n("hosts")).readlink());
    assertEquals(FileType.SYMLINK, upperAt("/etc/hosts").type());
  }

  @Test
  void create_takenOrWhiteoutDeviceName_refused() {
    Inode etc = at("/etc");
    assertErrno(Errno.EEXIST, () -> etc.create(n("passwd"), FileType.REGULAR, 0644, 0, 0, 0));
    assertErrno(Errno.EEXIST, () -> etc.symlink(n("hosts"), bytes("x"), 0, 0));
    assertEquals(0, upperCalls.get());
    assertErrno(Errno.EPERM,
        () -> etc.create(n("wh"), FileType.CHARACTER_DEVICE, 0600, 0, 0, 0));
    Inode tty = etc.create(n("tty"), FileType.CHARACTER_DEVICE, 0620, 0, 5, Stat.makedev(5, 0));
    assertEquals(Stat.makedev(5, 0), tty.stat().rdev());
    assertSame(tty, etc.lookup(n("tty")));
  }

  // ---- merged readdir ----

  @Test
  void readdir_mergedDir_listsEachVisibleNameOnceWithOverlayInos() {
    Inode etc = at("/etc");
    write(at("/etc/passwd"), "copied up");
    etc.unlink(n("shadow"));
    etc.create(n("motd"), FileType.REGULAR, 0644, 0, 0, 0);
    etc.create(n("ssl"), FileType.DIRECTORY, 0755, 0, 0, 0);

    List<DirEntry> entries = list(etc, 2);
    List<String> seen = new ArrayList<>();
    for (DirEntry e : entries) {
      seen.add(e.name().toString());
      Inode child = etc.lookup(e.name());
      assertEquals(child.ino(), e.ino(), e.name().toString());
      assertEquals(child.type(), e.type(), e.name().toString());
      assertTrue(e.cookie() >= 3);
    }
    seen.sort(null);
    assertEquals(List.of("hosts", "hosts.hard", "motd", "passwd", "ssl"), seen);
    // the upper really holds: the copy, the whiteout, the new entries
    List<String> upperNames = sortedNames(upperAt("/etc"));
    assertEquals(List.of("motd", "passwd", "shadow", "ssl"), upperNames);
  }

  @Test
  void readdir_resumedFromCookieWhileEntriesChange_seesEverySurvivorOnce() {
    Inode lowerMany = lower.root().create(n("many"), FileType.DIRECTORY, 0755, 0, 0, 0);
    for (int i = 0; i < 12; i++) {
      write(lowerMany.create(n("f" + i), FileType.REGULAR, 0644, 0, 0, 0), "f" + i);
    }
    OverlayBackend fresh = OverlayBackend.create(lower, NioBackend::memory);
    Inode many = walk(fresh.root(), "/many");
    for (int i = 0; i < 3; i++) {
      many.create(n("u" + i), FileType.REGULAR, 0644, 0, 0, 0);
    }
    List<String> order = new ArrayList<>();
    for (DirEntry e : list(many, 100)) {
      order.add(e.name().toString());
    }
    assertEquals(15, order.size());

    List<DirEntry> first = many.readdir(0, 5);
    assertEquals(order.subList(0, 5), first.stream().map(e -> e.name().toString()).toList());
    String listedThenRemoved = order.get(1);
    String removedBeforeListing = order.get(9);
    String copiedUpBeforeListing = order.get(7);
    many.unlink(n(listedThenRemoved));
    many.unlink(n(removedBeforeListing));
    write(many.lookup(n(copiedUpBeforeListing)), "changed");
    many.create(n("late"), FileType.REGULAR, 0644, 0, 0, 0);

    Map<String, Integer> counts = new HashMap<>();
    first.forEach(e -> counts.merge(e.name().toString(), 1, Integer::sum));
    long cookie = first.get(first.size() - 1).cookie();
    long lastCookie = cookie;
    while (true) {
      List<DirEntry> batch = many.readdir(cookie, 3);
      if (batch.isEmpty()) {
        break;
      }
      for (DirEntry e : batch) {
        assertTrue(e.cookie() > lastCookie, "positions increase");
        lastCookie = e.cookie();
        counts.merge(e.name().toString(), 1, Integer::sum);
      }
      cookie = lastCookie;
    }
    for (String name : order) {
      if (!name.equals(listedThenRemoved) && !name.equals(removedBeforeListing)) {
        assertEquals(1, counts.getOrDefault(name, 0), name);
      }
    }
    assertFalse(counts.containsKey(removedBeforeListing));
    assertEquals(1, counts.get(listedThenRemoved)); // seen before it went, once
    assertEquals(1, counts.getOrDefault("late", 0));
  }

  @Test
  void readdir_opaqueUpperDir_hidesWholeLowerDir() {
    Inode share = at("/usr/share");
    share.lookup(n("doc")).unlink(n("README"));
    share.rmdir(n("doc"));
    Inode doc = share.create(n("doc"), FileType.DIRECTORY, 0755, 0, 0, 0);
    doc.create(n("NEW"), FileType.REGULAR, 0644, 0, 0, 0);
    assertEquals(List.of("NEW"), names(doc));
    // a second overlay over the same layers reads the opaque mark back from the upper
    FileName sentinel = n("sentinel");
    OverlayBackend again = OverlayBackend.create(lower, () -> upper);
    again.root().create(sentinel, FileType.REGULAR, 0644, 0, 0, 0);
    assertEquals(List.of("NEW"), names(walk(again.root(), "/usr/share/doc")));
  }

  @Test
  void upperKeptFromEarlierRun_isMergedInOnFirstWrite() {
    at("/etc").unlink(n("passwd"));
    write(at("/etc/hosts"), "upper hosts");
    at("/etc").create(n("motd"), FileType.REGULAR, 0644, 0, 0, 0);
    root.rmdir(n("empty"));

    OverlayBackend again = OverlayBackend.create(lower, () -> upper);
    Inode etc = walk(again.root(), "/etc");
    Inode hard = etc.lookup(n("hosts.hard"));
    Inode hosts = etc.lookup(n("hosts"));
    long hostsIno = hosts.ino();
    assertTrue(names(etc).contains("passwd")); // no upper yet: the lower alone
    again.root().create(n("trigger"), FileType.REGULAR, 0644, 0, 0, 0);

    assertEquals(List.of("hosts", "hosts.hard", "motd", "shadow"), sortedNames(etc));
    assertNull(etc.lookup(n("passwd")));
    assertNull(again.root().lookup(n("empty")));
    assertSame(hosts, etc.lookup(n("hosts")));
    assertEquals(hostsIno, hosts.ino());
    assertEquals("upper hosts", read(hosts));
    assertEquals(HOSTS, read(hard));
  }
}
