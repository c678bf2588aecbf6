package dev.blinkchroot.vfs.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The contract on a host store, plus what a store adds: names any host can keep, and metadata
 * that survives flush and reopen. Subclasses choose the host file system.
 */
abstract class StoreContractTest extends BackendContractTest {
  /** Where the store lives; the same for every call within one test. */
  protected abstract Path storeDir() throws Exception;

  /** Whether the host file system folds case (so the store must keep case twins apart). */
  protected abstract boolean caseInsensitiveHost();

  @Override
  protected NioBackend newBackend() throws Exception {
    return NioBackend.hostStore(storeDir(), false);
  }

  /** Flushes and opens the store afresh, as a new session would. */
  protected NioBackend reopen() throws Exception {
    fs.flush();
    fs = NioBackend.hostStore(storeDir(), false);
    root = fs.root();
    return fs;
  }

  /** Names that some host file system mangles, refuses or merges. */
  static List<FileName> awkwardNames() {
    List<FileName> names = new ArrayList<>();
    names.add(FileName.of(new byte[] {(byte) 0xff, (byte) 0xfe, 'x'}));
    names.add(FileName.of(new byte[] {'b', 'a', 'd', (byte) 0xc3}));
    for (String s : List.of("a%b", "%41", "a\\b", "c:d", "star*", "q?", "\"quoted\"", "<tag>",
        "pi|pe", "\u0001ctl\u001f", "del\u007f", "trail.", "trail ", " lead", "...", "CON", "con",
        "nul", "NUL.txt", "com1.tar.gz", "LPT9", "aux ", "conin$", "Foo", "foo", "FOO",
        ".blink-chroot", ".BLINK-CHROOT", "%_deadbeef", "caf\u00e9",
        Normalizer.normalize("caf\u00e9", Normalizer.Form.NFD), "\u00c5ngstr\u00f6m",
        "\u212bngstr\u00f6m", "\ud83d\ude00", "ok-name_1.2")) {
      names.add(FileName.of(s));
    }
    byte[] longName = new byte[255];
    for (int i = 0; i < longName.length; i++) {
      longName[i] = (byte) (0x80 + i % 64);
    }
    names.add(FileName.of(longName));
    byte[] longName2 = longName.clone();
    longName2[254] = 'z';
    names.add(FileName.of(longName2));
    return names;
  }

  // ---- names ----

  @Test
  void store_anyGuestName_survivesHostAndReopen() throws Exception {
    List<FileName> names = awkwardNames();
    Inode d = mkdir(root, "names");
    for (int i = 0; i < names.size(); i++) {
      Inode f = d.create(names.get(i), FileType.REGULAR, 0644, 0, 0, 0);
      write(f, 0, "#" + i);
    }
    Inode sub = d.create(FileName.of("Sub:Dir*"), FileType.DIRECTORY, 0700, 0, 0, 0);
    sub.create(FileName.of("AUX"), FileType.REGULAR, 0600, 0, 0, 0);
    checkNames(names);
    reopen();
    checkNames(names);
    Inode sub2 = root.lookup(n("names")).lookup(FileName.of("Sub:Dir*"));
    assertEquals(FileType.DIRECTORY, sub2.type());
    assertNotNull(sub2.lookup(FileName.of("AUX")));
    assertHostNamesSafe(storeDir(), caseInsensitiveHost());
  }

  private void checkNames(List<FileName> names) {
    Inode d = root.lookup(n("names"));
    for (int i = 0; i < names.size(); i++) {
      Inode f = d.lookup(names.get(i));
      assertNotNull(f, "lost " + names.get(i));
      assertEquals("#" + i, read(f), "content of " + names.get(i));
    }
    Set<FileName> listed = new HashSet<>();
    for (DirEntry e : d.readdir(0, 1000)) {
      listed.add(e.name());
    }
    Set<FileName> expected = new HashSet<>(names);
    expected.add(FileName.of("Sub:Dir*"));
    assertEquals(expected, listed);
  }

  /** Every host name is one Windows and macOS keep as they are, and distinct without case. */
  static void assertHostNamesSafe(Path dir, boolean caseInsensitive) throws IOException {
    Set<String> folded = new HashSet<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String name = p.getFileName().toString();
        assertTrue(folded.add(caseInsensitive ? name.toLowerCase(Locale.ROOT) : name),
            "case twin: " + name);
        for (char c : name.toCharArray()) {
          assertTrue(c >= 0x20 && c < 0x7f && "\\:*?\"<>|".indexOf(c) < 0, "bad char in " + name);
        }
        assertFalse(name.endsWith(".") || name.endsWith(" "), "trailing dot/space: " + name);
        String base = name.split("\\.", 2)[0].trim().toLowerCase(Locale.ROOT);
        assertFalse(base.matches("con|prn|aux|nul|com[0-9]|lpt[0-9]|conin\\$|conout\\$"),
            "reserved: " + name);
        assertTrue(name.length() <= 255, "too long: " + name);
        if (Files.isDirectory(p) && !name.equals(".blink-chroot")) {
          assertHostNamesSafe(p, caseInsensitive);
        }
      }
    }
  }

  @Test
  void store_sidecarDirectory_isHiddenFromGuest() throws Exception {
    file(root, "f", "x");
    fs.flush();
    assertTrue(Files.isRegularFile(storeDir().resolve(".blink-chroot").resolve("meta")));
    reopen();
    List<String> listed = new ArrayList<>();
    for (DirEntry e : root.readdir(0, 100)) {
      listed.add(e.name().toString());
    }
    assertEquals(List.of("f"), listed);
    assertNull(root.lookup(n(".blink-chroot")));
  }

  // ---- persistence ----

  @Test
  void store_reopenedAfterFlush_keepsAllMetadata() throws Exception {
    Inode bin = root.create(n("bin"), FileType.DIRECTORY, 0755, 0, 0, 0);
    Inode su = bin.create(n("su"), FileType.REGULAR, 04755, 0, 0, 0);
    write(su, 0, "setuid binary");
    Inode tmp = root.create(n("tmp"), FileType.DIRECTORY, 01777, 0, 0, 0);
    Inode shared = root.create(n("shared"), FileType.DIRECTORY, 02775, 1000, 50, 0);
    Inode dev = root.create(n("dev"), FileType.DIRECTORY, 0755, 0, 0, 0);
    dev.create(n("null"), FileType.CHARACTER_DEVICE, 0666, 0, 0, Stat.makedev(1, 3));
    dev.create(n("sda1"), FileType.BLOCK_DEVICE, 0660, 0, 6, Stat.makedev(8, 1));
    dev.create(n("initctl"), FileType.FIFO, 0600, 0, 0, 0);
    dev.create(n("log"), FileType.SOCKET, 0666, 0, 0, 0);
    byte[] target = {'/', 'b', 'i', 'n', '/', (byte) 0xfe, 's', 'u'};
    bin.symlink(n("sh"), "/bin/busybox".getBytes(StandardCharsets.UTF_8), 0, 0);
    bin.symlink(n("odd"), target, 12, 34);
    Inode home = root.create(n("home"), FileType.DIRECTORY, 0700, 1000, 1000, 0);
    Inode owned = home.create(n("notes"), FileType.REGULAR, 0600, 1000, 1000, 0);
    write(owned, 0, "mine");
    tmp.link(n("su-link"), su);
    su.setXattr("user.origin", "alpine".getBytes(StandardCharsets.UTF_8), 0);
    su.setXattr("security.capability", new byte[] {1, 0, 0, 2}, 0);
    home.setXattr("user.dir", new byte[] {7}, 0);
    owned.setTimes(1_600_000_000_123_456_789L, 1_500_000_000_987_654_321L);
    shared.setTimes(-1_000_000_001L, 2_000_000_003L);
    long suIno = su.ino();
    long rootIno = root.ino();
    long homeIno = home.ino();
    Stat ownedStat = owned.stat();
    Stat sharedStat = shared.stat();
    root.setPermissions(0711);
    root.setOwner(0, 0);

    reopen();

    assertEquals(rootIno, root.ino());
    assertEquals(0040711, root.stat().mode());
    Inode bin2 = root.lookup(n("bin"));
    Inode su2 = bin2.lookup(n("su"));
    assertEquals(0104755, su2.stat().mode());
    assertEquals(suIno, su2.ino());
    assertEquals("setuid binary", read(su2));
    assertEquals(2, su2.stat().nlink());
    Inode tmp2 = root.lookup(n("tmp"));
    assertEquals(0041777, tmp2.stat().mode());
    assertSame(su2, tmp2.lookup(n("su-link")));
    assertArrayEquals("alpine".getBytes(StandardCharsets.UTF_8), su2.getXattr("user.origin"));
    assertArrayEquals(new byte[] {1, 0, 0, 2}, su2.getXattr("security.capability"));
    assertEquals(List.of("user.origin", "security.capability"), su2.listXattrs());
    Inode shared2 = root.lookup(n("shared"));
    assertEquals(0042775, shared2.stat().mode());
    assertEquals(1000, shared2.stat().uid());
    assertEquals(50, shared2.stat().gid());
    assertEquals(sharedStat.atimeNs(), shared2.stat().atimeNs());
    assertEquals(sharedStat.mtimeNs(), shared2.stat().mtimeNs());
    assertEquals(sharedStat.ctimeNs(), shared2.stat().ctimeNs());
    Inode dev2 = root.lookup(n("dev"));
    assertEquals(0020666, dev2.lookup(n("null")).stat().mode());
    assertEquals(Stat.makedev(1, 3), dev2.lookup(n("null")).stat().rdev());
    assertEquals(0060660, dev2.lookup(n("sda1")).stat().mode());
    assertEquals(Stat.makedev(8, 1), dev2.lookup(n("sda1")).stat().rdev());
    assertEquals(6, dev2.lookup(n("sda1")).stat().gid());
    assertEquals(FileType.FIFO, dev2.lookup(n("initctl")).type());
    assertEquals(0010600, dev2.lookup(n("initctl")).stat().mode());
    assertEquals(FileType.SOCKET, dev2.lookup(n("log")).type());
    assertEquals(List.of("null", "sda1", "initctl", "log"), names(dev2));
    assertArrayEquals("/bin/busybox".getBytes(StandardCharsets.UTF_8),
        bin2.lookup(n("sh")).readlink());
    Inode odd = bin2.lookup(n("odd"));
    assertArrayEquals(target, odd.readlink());
    assertEquals(0120777, odd.stat().mode());
    assertEquals(12, odd.stat().uid());
    assertEquals(34, odd.stat().gid());
    assertEquals(target.length, odd.stat().size());
    Inode home2 = root.lookup(n("home"));
    assertEquals(homeIno, home2.ino());
    assertArrayEquals(new byte[] {7}, home2.getXattr("user.dir"));
    Inode owned2 = home2.lookup(n("notes"));
    // Everything but st_dev, which every mount (session) gets anew.
    assertEquals(withDev(ownedStat, fs.deviceId()), owned2.stat());
    assertEquals("mine", read(owned2));
    assertEquals(List.of("bin", "tmp", "shared", "dev", "home"), names(root));
    assertEquals(7, root.stat().nlink());

    // New inodes after reopen do not reuse numbers.
    Inode fresh = file(root, "fresh", "");
    assertTrue(fresh.ino() > suIno && fresh.ino() > homeIno);
  }

  static Stat withDev(Stat s, long dev) {
    return new Stat(dev, s.ino(), s.mode(), s.nlink(), s.uid(), s.gid(), s.rdev(), s.size(),
        s.blksize(), s.blocks(), s.atimeNs(), s.mtimeNs(), s.ctimeNs());
  }

  @Test
  void store_hardLinksAcrossDirectories_stayOneFileAfterReopen() throws Exception {
    Inode a = mkdir(root, "a");
    Inode b = mkdir(root, "b");
    Inode f = file(a, "f", "one");
    b.link(n("g"), f);
    reopen();
    Inode g = root.lookup(n("b")).lookup(n("g"));
    Inode f2 = root.lookup(n("a")).lookup(n("f"));
    assertSame(f2, g);
    assertEquals(2, g.stat().nlink());
    write(g, 0, "ONE");
    assertEquals("ONE", read(f2));
    root.lookup(n("a")).unlink(n("f"));
    assertEquals(1, g.stat().nlink());
    reopen();
    assertEquals(1, root.lookup(n("b")).lookup(n("g")).stat().nlink());
    assertEquals("ONE", read(root.lookup(n("b")).lookup(n("g"))));
  }

  @Test
  void store_directoryRenamedBeforeListing_keepsItsChildrensMetadata() throws Exception {
    Inode d = mkdir(root, "d");
    Inode inner = mkdir(d, "inner");
    inner.create(n("f"), FileType.REGULAR, 04711, 7, 8, 0);
    reopen();
    root.rename(n("d"), root, n("e"), 0); // d was never listed in this session
    reopen();
    Inode f = root.lookup(n("e")).lookup(n("inner")).lookup(n("f"));
    assertEquals(0104711, f.stat().mode());
    assertEquals(7, f.stat().uid());
    assertEquals(8, f.stat().gid());
  }

  @Test
  void store_entriesNoRecordKnows_keepNamesAndDataWithDefaults() throws Exception {
    Inode d = mkdir(root, "d");
    Inode f0 = file(d, "f", "unsynced");
    f0.setOwner(12, 34);
    root.symlink(n("l"), "d/f".getBytes(StandardCharsets.UTF_8), 0, 0);
    // No flush, and no journal (a crash of a version without one, or entries made on the host
    // behind the store's back): the tree is still there; Linux-only metadata takes defaults.
    Files.delete(storeDir().resolve(".blink-chroot").resolve("journal"));
    fs = NioBackend.hostStore(storeDir(), false);
    root = fs.root();
    Inode f = root.lookup(n("d")).lookup(n("f"));
    assertEquals("unsynced", read(f));
    assertEquals(FileType.REGULAR, f.type());
    assertEquals(0, f.stat().uid());
    assertEquals(FileType.DIRECTORY, root.lookup(n("d")).type());
    assertNotNull(root.lookup(n("l")));
  }

  @Test
  void store_readdirOrderAndCookies_stableAcrossReopen() throws Exception {
    for (String s : List.of("zeta", "alpha", "mid")) {
      file(root, s, "");
    }
    reopen();
    List<DirEntry> first = root.readdir(0, 100);
    reopen();
    assertEquals(first, root.readdir(0, 100));
  }

  @Test
  void store_unlinkedOpenFile_leavesNothingBehindAfterClose() throws Exception {
    Inode f = file(root, "f", "orphan data");
    FileContent c = f.openContent(false);
    root.unlink(n("f"));
    assertEquals("orphan data", readAll(c));
    assertFalse(Files.exists(storeDir().resolve("f")));
    c.close();
    try (Stream<Path> left = Files.list(storeDir().resolve(".blink-chroot"))) {
      assertEquals(List.of(), left.map(p -> p.getFileName().toString())
          .filter(name -> !name.startsWith("meta") && !name.equals("journal")).toList());
    }
    reopen();
    assertEquals(List.of(), names(root));
  }

  @Test
  void store_statfs_isExt4() {
    assertEquals(StatFs.EXT4_SUPER_MAGIC, fs.statfs().type());
    assertEquals("ext4", fs.typeName());
  }

  @Test
  void store_root_isMode0755OwnedByRoot() {
    assertEquals(0040755, root.stat().mode());
    assertEquals(4096, root.stat().size());
    assertEquals(8, root.stat().blocks());
    assertEquals(0, root.stat().uid());
    assertEquals(0, root.stat().gid());
  }

  @Test
  void store_readOnly_refusesEveryChangeWithEROFS() throws Exception {
    Inode d = mkdir(root, "d");
    Inode f = file(d, "f", "data");
    d.symlink(n("l"), new byte[] {'f'}, 0, 0);
    f.setXattr("user.a", new byte[] {1}, 0);
    fs.flush();
    NioBackend ro = NioBackend.hostStore(storeDir(), true);
    assertTrue(ro.isReadOnly());
    assertEquals(StatFs.ST_RDONLY, ro.statfs().flags());
    Inode r = ro.root();
    Inode rd = r.lookup(n("d"));
    Inode rf = rd.lookup(n("f"));
    assertEquals("data", read(rf));
    List<Executable> changes = List.of(
        () -> rd.create(n("x"), FileType.REGULAR, 0644, 0, 0, 0),
        () -> rd.symlink(n("y"), new byte[] {'f'}, 0, 0),
        () -> rd.link(n("z"), rf),
        () -> rd.unlink(n("f")),
        () -> r.rmdir(n("d")),
        () -> rd.rename(n("f"), rd, n("g"), 0),
        () -> rf.setPermissions(0600),
        () -> rf.setOwner(1, 1),
        () -> rf.setTimes(1, 1),
        () -> rf.setXattr("user.b", new byte[0], 0),
        () -> rf.removeXattr("user.a"),
        () -> rf.openContent(true));
    for (Executable change : changes) {
      assertEquals(Errno.EROFS, errno(change));
    }
    assertArrayEquals(new byte[] {1}, rf.getXattr("user.a"));
    assertEquals(0100644, rf.stat().mode());
    assertEquals(List.of("f", "l"), names(rd));
  }

  @Test
  void store_corruptSidecar_isReportedAsEIO() throws Exception {
    file(root, "f", "x");
    fs.flush();
    Path meta = storeDir().resolve(".blink-chroot").resolve("meta");
    byte[] bytes = Files.readAllBytes(meta);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(meta, bytes);
    assertEquals(Errno.EIO, errno(() -> NioBackend.hostStore(storeDir(), false)));
  }

  @Test
  void store_of600Entries_reopensReadOnlyAndReadsOneFile() throws Exception {
    for (int d = 0; d < 20; d++) {
      Inode dir = mkdir(root, "dir" + d);
      for (int i = 0; i < 30; i++) {
        Inode f = dir.create(n("file" + i), FileType.REGULAR, 0644, 0, 0, 0);
        if (i == 7) {
          write(f, 0, "payload " + d);
        }
      }
    }
    fs.flush();
    NioBackend again = NioBackend.hostStore(storeDir(), true);
    Inode f = again.root().lookup(n("dir13")).lookup(n("file7"));
    try (FileContent c = f.openContent(false)) {
      ByteBuffer buf = ByteBuffer.allocate(64);
      c.read(0, buf);
      assertEquals("payload 13",
          new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
    }
    assertEquals(30, again.root().lookup(n("dir0")).readdir(0, 100).size());
  }
}
