package dev.blinkchroot.vfs.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.DirectoryIndex;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FileContent;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.VfsClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Inode contract, run against every way the nio backend is used (memory, host stores on
 * several host file systems, a bind). Subclasses say how to make a backend.
 */
abstract class BackendContractTest {
  protected NioBackend fs;
  protected Inode root;

  /** A fresh, empty, writable backend. */
  protected abstract NioBackend newBackend() throws Exception;

  @BeforeEach
  void setUpBackend() throws Exception {
    fs = newBackend();
    root = fs.root();
  }

  // ---- helpers ----

  static FileName n(String name) {
    return FileName.of(name);
  }

  static Inode file(Inode dir, String name, String content) {
    Inode f = dir.create(n(name), FileType.REGULAR, 0644, 0, 0, 0);
    write(f, 0, content);
    return f;
  }

  static Inode mkdir(Inode dir, String name) {
    return dir.create(n(name), FileType.DIRECTORY, 0755, 0, 0, 0);
  }

  static void write(Inode f, long position, String content) {
    try (FileContent c = f.openContent(true)) {
      c.write(position, ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
    }
  }

  static String read(Inode f) {
    try (FileContent c = f.openContent(false)) {
      return readAll(c);
    }
  }

  static String readAll(FileContent c) {
    ByteBuffer buf = ByteBuffer.allocate((int) c.size());
    c.read(0, buf);
    return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
  }

  static Errno errno(Executable action) {
    return assertThrows(ErrnoException.class, action::run).errno();
  }

  interface Executable {
    void run() throws Exception;
  }

  static List<String> names(Inode dir) {
    List<String> out = new ArrayList<>();
    for (DirEntry e : dir.readdir(0, Integer.MAX_VALUE)) {
      out.add(e.name().toString());
    }
    return out;
  }

  // ---- creation and stat ----

  @Test
  void create_regularFile_statReportsEveryField() {
    long before = VfsClock.nowNanos();
    Inode f = root.create(n("f"), FileType.REGULAR, 0640, 1000, 100, 0);
    long after = VfsClock.nowNanos();
    Stat st = f.stat();
    assertEquals(fs.deviceId(), st.dev());
    assertEquals(f.ino(), st.ino());
    assertEquals(0100640, st.mode());
    assertEquals(1, st.nlink());
    assertEquals(1000, st.uid());
    assertEquals(100, st.gid());
    assertEquals(0, st.rdev());
    assertEquals(0, st.size());
    assertEquals(4096, st.blksize());
    assertEquals(0, st.blocks());
    assertTrue(st.mtimeNs() >= before && st.mtimeNs() <= after, "mtime " + st.mtimeNs());
    assertEquals(st.mtimeNs(), st.atimeNs());
    assertEquals(st.mtimeNs(), st.ctimeNs());
    assertSame(fs, f.backend());
  }

  @Test
  void create_takenName_throwsEEXIST() {
    file(root, "f", "x");
    assertEquals(Errno.EEXIST, errno(() -> root.create(n("f"), FileType.REGULAR, 0644, 0, 0, 0)));
    assertEquals(Errno.EEXIST, errno(() -> mkdir(root, "f")));
    assertEquals(Errno.EEXIST, errno(() -> root.symlink(n("f"), new byte[] {'x'}, 0, 0)));
  }

  @Test
  void lookup_missingName_returnsNull() {
    assertNull(root.lookup(n("nothing")));
  }

  @Test
  void lookup_sameFile_returnsSameObject() {
    Inode d = mkdir(root, "d");
    Inode f = file(d, "f", "x");
    assertSame(d, root.lookup(n("d")));
    assertSame(f, d.lookup(n("f")));
    assertSame(f, root.lookup(n("d")).lookup(n("f")));
  }

  @Test
  void inodeNumbers_areUniqueAndStable() {
    Set<Long> seen = new HashSet<>();
    seen.add(root.ino());
    Inode d = mkdir(root, "d");
    assertTrue(seen.add(d.ino()));
    for (int i = 0; i < 20; i++) {
      assertTrue(seen.add(file(d, "f" + i, "").ino()));
    }
    long ino = d.lookup(n("f3")).ino();
    d.rename(n("f3"), root, n("moved"), 0);
    assertEquals(ino, root.lookup(n("moved")).ino());
  }

  @Test
  void directory_knowsParentAndName_rootIsItsOwnParent() {
    Inode a = mkdir(root, "a");
    Inode b = mkdir(a, "b");
    assertSame(root, root.parent());
    assertNull(root.name());
    assertSame(a, b.parent());
    assertEquals(n("b"), b.name());
    a.rename(n("b"), root, n("c"), 0);
    assertSame(root, b.parent());
    assertEquals(n("c"), b.name());
  }

  @Test
  void directory_nlinkIsTwoPlusSubdirectories() {
    assertEquals(2, root.stat().nlink());
    Inode a = mkdir(root, "a");
    mkdir(root, "b");
    file(root, "f", "");
    assertEquals(4, root.stat().nlink());
    assertEquals(2, a.stat().nlink());
    assertEquals(0040755, a.stat().mode());
    root.rmdir(n("b"));
    assertEquals(3, root.stat().nlink());
  }

  @Test
  void create_deviceNodesFifosAndSockets_keepTypeAndRdev() {
    long null3 = Stat.makedev(1, 3);
    long sda = Stat.makedev(8, 0);
    Inode c = root.create(n("null"), FileType.CHARACTER_DEVICE, 0666, 0, 0, null3);
    Inode b = root.create(n("sda"), FileType.BLOCK_DEVICE, 0660, 0, 6, sda);
    Inode p = root.create(n("fifo"), FileType.FIFO, 0600, 0, 0, 0);
    Inode s = root.create(n("sock"), FileType.SOCKET, 0755, 0, 0, 0);
    assertEquals(0020666, c.stat().mode());
    assertEquals(null3, c.stat().rdev());
    assertEquals(1, Stat.major(c.stat().rdev()));
    assertEquals(3, Stat.minor(c.stat().rdev()));
    assertEquals(0060660, b.stat().mode());
    assertEquals(sda, b.stat().rdev());
    assertEquals(6, b.stat().gid());
    assertEquals(FileType.FIFO, p.type());
    assertEquals(0010600, p.stat().mode());
    assertEquals(0, p.stat().rdev());
    assertEquals(0140755, s.stat().mode());
    assertEquals(FileType.CHARACTER_DEVICE, root.lookup(n("null")).type());
    assertEquals(List.of("null", "sda", "fifo", "sock"), names(root));
    assertEquals(FileType.FIFO, root.readdir(0, 10).get(2).type());
  }

  @Test
  void create_symlinkType_isRefused() {
    assertEquals(Errno.EINVAL,
        errno(() -> root.create(n("l"), FileType.SYMLINK, 0777, 0, 0, 0)));
  }

  @Test
  void openContent_nonRegular_throwsEINVAL() {
    Inode d = mkdir(root, "d");
    assertEquals(Errno.EINVAL, errno(() -> d.openContent(false)));
  }

  // ---- symlinks ----

  @Test
  void symlink_readlink_returnsTargetVerbatim() {
    byte[] target = "/usr/lib/../bin//busybox".getBytes(StandardCharsets.UTF_8);
    Inode l = root.symlink(n("sh"), target, 0, 0);
    assertArrayEquals(target, l.readlink());
    Stat st = l.stat();
    assertEquals(0120777, st.mode());
    assertEquals(target.length, st.size());
    assertEquals(1, st.nlink());
    assertSame(l, root.lookup(n("sh")));
    assertEquals(FileType.SYMLINK, root.readdir(0, 1).get(0).type());
  }

  @Test
  void symlink_nonUtf8TargetAndDanglingTarget_surviveVerbatim() {
    byte[] target = {'.', '.', '/', (byte) 0xff, (byte) 0xc3, 'x', ':', '*'};
    Inode l = root.symlink(n("odd"), target, 5, 6);
    assertArrayEquals(target, root.lookup(n("odd")).readlink());
    assertEquals(5, l.stat().uid());
    assertEquals(6, l.stat().gid());
  }

  @Test
  void readlink_nonSymlink_throwsEINVAL() {
    Inode f = file(root, "f", "x");
    assertEquals(Errno.EINVAL, errno(f::readlink));
  }

  // ---- hard links ----

  @Test
  void link_sharesInodeAndCountsNames() {
    Inode d = mkdir(root, "d");
    Inode f = file(root, "a", "hello");
    long ctime = f.stat().ctimeNs();
    d.link(n("b"), f);
    assertSame(f, d.lookup(n("b")));
    assertEquals(2, f.stat().nlink());
    assertTrue(f.stat().ctimeNs() >= ctime);
    write(d.lookup(n("b")), 0, "HELLO");
    assertEquals("HELLO", read(root.lookup(n("a"))));
    root.unlink(n("a"));
    assertEquals(1, f.stat().nlink());
    assertEquals("HELLO", read(d.lookup(n("b"))));
    assertEquals(Errno.EEXIST, errno(() -> d.link(n("b"), f)));
  }

  @Test
  void link_toDirectory_throwsEPERM() {
    Inode d = mkdir(root, "d");
    assertEquals(Errno.EPERM, errno(() -> root.link(n("d2"), d)));
  }

  @Test
  void link_symlinkAndDevice_sharesInode() {
    Inode l = root.symlink(n("l"), "target".getBytes(StandardCharsets.UTF_8), 0, 0);
    Inode c = root.create(n("c"), FileType.CHARACTER_DEVICE, 0600, 0, 0, Stat.makedev(4, 1));
    root.link(n("l2"), l);
    root.link(n("c2"), c);
    assertSame(l, root.lookup(n("l2")));
    assertEquals(2, l.stat().nlink());
    assertArrayEquals("target".getBytes(StandardCharsets.UTF_8), root.lookup(n("l2")).readlink());
    assertEquals(Stat.makedev(4, 1), root.lookup(n("c2")).stat().rdev());
    root.unlink(n("l"));
    assertArrayEquals("target".getBytes(StandardCharsets.UTF_8), root.lookup(n("l2")).readlink());
  }

  // ---- unlink and rmdir ----

  @Test
  void unlink_errors_followLinux() {
    mkdir(root, "d");
    assertEquals(Errno.ENOENT, errno(() -> root.unlink(n("missing"))));
    assertEquals(Errno.EISDIR, errno(() -> root.unlink(n("d"))));
  }

  @Test
  void rmdir_errors_followLinux() {
    Inode d = mkdir(root, "d");
    file(d, "f", "");
    file(root, "f", "");
    assertEquals(Errno.ENOENT, errno(() -> root.rmdir(n("missing"))));
    assertEquals(Errno.ENOTEMPTY, errno(() -> root.rmdir(n("d"))));
    assertEquals(Errno.ENOTDIR, errno(() -> root.rmdir(n("f"))));
    d.unlink(n("f"));
    assertTrue(d.isEmpty());
    root.rmdir(n("d"));
    assertNull(root.lookup(n("d")));
    assertEquals(0, d.stat().nlink());
    assertEquals(Errno.ENOENT, errno(() -> file(d, "late", "")));
  }

  @Test
  void unlink_openFile_staysReadableAndWritableUntilClosed() {
    Inode f = file(root, "f", "still here");
    FileContent c = f.openContent(true);
    root.unlink(n("f"));
    assertNull(root.lookup(n("f")));
    assertEquals(0, f.stat().nlink());
    assertEquals("still here", readAll(c));
    c.write(10, ByteBuffer.wrap("!".getBytes(StandardCharsets.UTF_8)));
    assertEquals("still here!", readAll(c));
    assertEquals(11, f.stat().size());
    // The name is free again for a new file.
    Inode g = file(root, "f", "new");
    assertNotEquals(f.ino(), g.ino());
    assertEquals("new", read(g));
    c.close();
    assertEquals(List.of("f"), names(root));
  }

  @Test
  void unlinkedOpenFile_canBeOpenedAgainUntilItsLastClose() {
    Inode f = file(root, "f", "kept");
    FileContent first = f.openContent(true);
    root.unlink(n("f"));
    FileContent again = f.openContent(true);
    again.write(4, ByteBuffer.wrap("!".getBytes(StandardCharsets.UTF_8)));
    first.close();
    assertEquals("kept!", readAll(again)); // the first close did not take the data away
    FileContent reader = f.openContent(false);
    again.close();
    assertEquals("kept!", readAll(reader));
    reader.close();
    assertEquals(Errno.ENOENT, errno(() -> f.openContent(false)));
  }

  @Test
  void rename_overOpenFile_keepsReplacedDataForItsReader() {
    file(root, "a", "new data");
    Inode old = file(root, "b", "old data");
    try (FileContent c = old.openContent(false)) {
      root.rename(n("a"), root, n("b"), 0);
      assertEquals("old data", readAll(c));
      assertEquals("new data", read(root.lookup(n("b"))));
    }
    assertEquals(List.of("b"), names(root));
  }

  @Test
  void entries_changes_updateDirectoryMtimeAndCtime() throws Exception {
    Inode d = mkdir(root, "d");
    d.setTimes(1_000_000_000L, 1_000_000_000L);
    file(d, "f", "");
    assertTrue(d.stat().mtimeNs() > 1_000_000_000L);
    d.setTimes(Inode.OMIT, 5L);
    d.unlink(n("f"));
    assertTrue(d.stat().mtimeNs() > 5L);
    assertTrue(d.stat().ctimeNs() >= d.stat().mtimeNs());
  }

  // ---- rename ----

  @Test
  void rename_replacesExistingFile() {
    Inode a = file(root, "a", "A");
    Inode b = file(root, "b", "B");
    root.rename(n("a"), root, n("b"), 0);
    assertNull(root.lookup(n("a")));
    assertSame(a, root.lookup(n("b")));
    assertEquals("A", read(root.lookup(n("b"))));
    assertEquals(0, b.stat().nlink());
    assertEquals(List.of("b"), names(root));
  }

  @Test
  void rename_noreplace_existingTarget_throwsEEXIST() {
    file(root, "a", "A");
    file(root, "b", "B");
    assertEquals(Errno.EEXIST,
        errno(() -> root.rename(n("a"), root, n("b"), Inode.RENAME_NOREPLACE)));
    assertEquals("B", read(root.lookup(n("b"))));
    root.rename(n("a"), root, n("c"), Inode.RENAME_NOREPLACE);
    assertEquals("A", read(root.lookup(n("c"))));
  }

  @Test
  void rename_exchange_swapsEntries() {
    Inode d = mkdir(root, "d");
    Inode a = file(root, "a", "A");
    Inode sub = mkdir(d, "sub");
    file(sub, "inner", "I");
    root.rename(n("a"), d, n("sub"), Inode.RENAME_EXCHANGE);
    assertSame(sub, root.lookup(n("a")));
    assertSame(a, d.lookup(n("sub")));
    assertEquals("A", read(d.lookup(n("sub"))));
    assertEquals("I", read(root.lookup(n("a")).lookup(n("inner"))));
    assertSame(root, sub.parent());
    assertEquals(n("a"), sub.name());
    assertEquals(2, d.stat().nlink());
    assertEquals(4, root.stat().nlink());
  }

  @Test
  void rename_exchange_missingTarget_throwsENOENT() {
    file(root, "a", "A");
    assertEquals(Errno.ENOENT,
        errno(() -> root.rename(n("a"), root, n("b"), Inode.RENAME_EXCHANGE)));
    assertEquals(Errno.EINVAL, errno(() -> root.rename(n("a"), root, n("b"),
        Inode.RENAME_EXCHANGE | Inode.RENAME_NOREPLACE)));
  }

  @Test
  void rename_directoryOverEmptyDirectory_replacesIt() {
    Inode a = mkdir(root, "a");
    file(a, "f", "F");
    Inode b = mkdir(root, "b");
    root.rename(n("a"), root, n("b"), 0);
    assertSame(a, root.lookup(n("b")));
    assertEquals("F", read(a.lookup(n("f"))));
    assertEquals(0, b.stat().nlink());
    assertEquals(3, root.stat().nlink());
  }

  @Test
  void rename_directoryOverNonEmptyDirectory_throwsENOTEMPTY() {
    mkdir(root, "a");
    Inode b = mkdir(root, "b");
    file(b, "f", "");
    assertEquals(Errno.ENOTEMPTY, errno(() -> root.rename(n("a"), root, n("b"), 0)));
  }

  @Test
  void rename_ontoAnotherNameOfTheSameFile_isNoop() {
    Inode f = file(root, "a", "A");
    root.link(n("b"), f);
    root.rename(n("a"), root, n("b"), 0);
    assertSame(f, root.lookup(n("a")));
    assertSame(f, root.lookup(n("b")));
    assertEquals(2, f.stat().nlink());
    root.rename(n("a"), root, n("a"), 0);
    assertSame(f, root.lookup(n("a")));
  }

  @Test
  void rename_directoryAcrossParents_movesSubtreeAndNlinks() {
    Inode x = mkdir(root, "x");
    Inode y = mkdir(root, "y");
    Inode d = mkdir(x, "d");
    Inode deep = mkdir(d, "deep");
    file(deep, "f", "deep data");
    x.rename(n("d"), y, n("d2"), 0);
    assertEquals(2, x.stat().nlink());
    assertEquals(3, y.stat().nlink());
    assertSame(y, d.parent());
    assertEquals("deep data", read(y.lookup(n("d2")).lookup(n("deep")).lookup(n("f"))));
    file(deep, "g", "new after move");
    assertEquals("new after move", read(deep.lookup(n("g"))));
  }

  @Test
  void rename_missingSource_throwsENOENT() {
    assertEquals(Errno.ENOENT, errno(() -> root.rename(n("a"), root, n("b"), 0)));
  }

  @Test
  void rename_keepsReplacedSlotCookie() {
    file(root, "a", "");
    file(root, "b", "");
    file(root, "c", "");
    long cookieOfB = root.readdir(0, 10).get(1).cookie();
    root.rename(n("c"), root, n("b"), 0);
    List<DirEntry> after = root.readdir(0, 10);
    assertEquals(2, after.size());
    assertEquals(n("b"), after.get(1).name());
    assertEquals(cookieOfB, after.get(1).cookie());
  }

  // ---- readdir ----

  @Test
  void readdir_resumedFromCookie_seesSurvivorsExactlyOnce() {
    for (String s : List.of("a", "b", "c", "d", "e")) {
      file(root, s, "");
    }
    List<DirEntry> first = root.readdir(0, 2);
    assertEquals(List.of(n("a"), n("b")), List.of(first.get(0).name(), first.get(1).name()));
    assertTrue(first.get(0).cookie() >= DirectoryIndex.FIRST_COOKIE);
    root.unlink(n("a"));
    root.unlink(n("d"));
    file(root, "f", "");
    List<DirEntry> rest = root.readdir(first.get(1).cookie(), 100);
    List<FileName> restNames = new ArrayList<>();
    long last = first.get(1).cookie();
    for (DirEntry e : rest) {
      restNames.add(e.name());
      assertTrue(e.cookie() > last);
      last = e.cookie();
    }
    assertEquals(List.of(n("c"), n("e"), n("f")), restNames);
    assertEquals(List.of(), root.readdir(last, 100));
  }

  @Test
  void readdir_reportsInoAndType_neverDotEntries() {
    Inode f = file(root, "f", "");
    Inode d = mkdir(root, "d");
    List<DirEntry> all = root.readdir(0, 100);
    assertEquals(2, all.size());
    assertEquals(f.ino(), all.get(0).ino());
    assertEquals(FileType.REGULAR, all.get(0).type());
    assertEquals(d.ino(), all.get(1).ino());
    assertEquals(FileType.DIRECTORY, all.get(1).type());
    assertTrue(root.lookup(n("d")).isEmpty());
    assertFalse(root.isEmpty());
  }

  // ---- content ----

  @Test
  void content_writeBeyondEnd_leavesHoleReadingAsZeros() {
    Inode f = root.create(n("f"), FileType.REGULAR, 0644, 0, 0, 0);
    try (FileContent c = f.openContent(true)) {
      c.write(1 << 20, ByteBuffer.wrap(new byte[] {7, 8}));
      assertEquals((1 << 20) + 2, c.size());
      ByteBuffer buf = ByteBuffer.allocate(4);
      assertEquals(4, c.read((1 << 20) - 2, buf));
      assertArrayEquals(new byte[] {0, 0, 7, 8}, buf.array());
      ByteBuffer start = ByteBuffer.allocate(3);
      c.read(0, start);
      assertArrayEquals(new byte[3], start.array());
      assertEquals(0, c.read((1 << 20) + 2, ByteBuffer.allocate(10)));
      assertEquals(0, c.read(1L << 40, ByteBuffer.allocate(10)));
    }
    assertEquals((1 << 20) + 2, f.stat().size());
    assertEquals(((1 << 20) + 2 + 4095) / 4096 * 8, f.stat().blocks());
  }

  @Test
  void content_writeAtOffset_overwritesInPlace() {
    Inode f = file(root, "f", "hello world");
    write(f, 6, "WORLD");
    assertEquals("hello WORLD", read(f));
    write(f, 9, "LD!!");
    assertEquals("hello WORLD!!", read(f));
  }

  @Test
  void content_truncate_shrinksAndExtendsWithZeros() {
    Inode f = file(root, "f", "abcdef");
    try (FileContent c = f.openContent(true)) {
      c.truncate(3);
      assertEquals("abc", readAll(c));
      c.truncate(6);
      ByteBuffer buf = ByteBuffer.allocate(6);
      c.read(0, buf);
      assertArrayEquals(new byte[] {'a', 'b', 'c', 0, 0, 0}, buf.array());
    }
    assertEquals(6, f.stat().size());
  }

  @Test
  void content_writeAndTruncate_updateMtimeAndCtime() {
    Inode f = file(root, "f", "abc");
    f.setTimes(1_000L, 2_000L);
    write(f, 0, "x");
    Stat st = f.stat();
    assertEquals(1_000L, st.atimeNs());
    assertTrue(st.mtimeNs() > 2_000L);
    assertEquals(st.mtimeNs(), st.ctimeNs());
    f.setTimes(1_000L, 2_000L);
    try (FileContent c = f.openContent(true)) {
      c.truncate(3); // same size: nothing changes
      assertEquals(2_000L, f.stat().mtimeNs());
      c.truncate(1);
    }
    assertTrue(f.stat().mtimeNs() > 2_000L);
  }

  @Test
  void content_readOnlyOpen_refusesWrites() {
    Inode f = file(root, "f", "abc");
    try (FileContent c = f.openContent(false)) {
      assertEquals(Errno.EBADF, errno(() -> c.write(0, ByteBuffer.wrap(new byte[1]))));
      assertEquals(Errno.EINVAL, errno(() -> c.truncate(0)));
    }
    assertEquals("abc", read(f));
  }

  @Test
  void content_closed_throwsEBADF() {
    Inode f = file(root, "f", "abc");
    FileContent c = f.openContent(false);
    c.close();
    c.close();
    assertEquals(Errno.EBADF, errno(() -> c.read(0, ByteBuffer.allocate(1))));
  }

  // ---- attributes ----

  @Test
  void setPermissions_keepsSetuidSetgidAndSticky() {
    Inode f = file(root, "f", "");
    Inode d = mkdir(root, "d");
    f.setPermissions(06755);
    d.setPermissions(01777);
    assertEquals(0106755, f.stat().mode());
    assertEquals(0041777, d.stat().mode());
    f.setPermissions(0100000 | 0000); // type bits are ignored
    assertEquals(0100000, f.stat().mode());
  }

  @Test
  void setOwner_minusOneLeavesOneUnchanged_andCtimeMoves() {
    Inode f = root.create(n("f"), FileType.REGULAR, 0644, 1, 2, 0);
    f.setTimes(Inode.OMIT, Inode.OMIT);
    long ctime = f.stat().ctimeNs();
    f.setOwner(-1, 50);
    assertEquals(1, f.stat().uid());
    assertEquals(50, f.stat().gid());
    f.setOwner(0, -1);
    assertEquals(0, f.stat().uid());
    assertEquals(50, f.stat().gid());
    assertTrue(f.stat().ctimeNs() >= ctime);
  }

  @Test
  void setTimes_keepsNanosecondsAndOmit() {
    Inode f = file(root, "f", "");
    long atime = 1_700_000_000_123_456_789L;
    long mtime = -86_400_000_000_001L; // before 1970
    f.setTimes(atime, mtime);
    assertEquals(atime, f.stat().atimeNs());
    assertEquals(mtime, f.stat().mtimeNs());
    f.setTimes(Inode.OMIT, 42L);
    assertEquals(atime, f.stat().atimeNs());
    assertEquals(42L, f.stat().mtimeNs());
    assertTrue(f.stat().ctimeNs() > atime);
  }

  // ---- xattrs ----

  @Test
  void xattrs_setGetListRemove() {
    Inode f = file(root, "f", "");
    f.setXattr("user.mime_type", "text/plain".getBytes(StandardCharsets.UTF_8), 0);
    f.setXattr("user.empty", new byte[0], 0);
    f.setXattr("security.selinux", new byte[] {1, 2}, 0);
    assertArrayEquals("text/plain".getBytes(StandardCharsets.UTF_8),
        f.getXattr("user.mime_type"));
    assertArrayEquals(new byte[0], f.getXattr("user.empty"));
    assertEquals(List.of("user.mime_type", "user.empty", "security.selinux"), f.listXattrs());
    f.removeXattr("user.empty");
    assertEquals(List.of("user.mime_type", "security.selinux"), f.listXattrs());
    assertEquals(Errno.ENODATA, errno(() -> f.getXattr("user.empty")));
    assertEquals(Errno.ENODATA, errno(() -> f.removeXattr("user.empty")));
  }

  @Test
  void xattrs_createAndReplaceFlags_followSetxattr() {
    Inode d = mkdir(root, "d");
    d.setXattr("user.a", new byte[] {1}, Inode.XATTR_CREATE);
    assertEquals(Errno.EEXIST, errno(() -> d.setXattr("user.a", new byte[] {2},
        Inode.XATTR_CREATE)));
    d.setXattr("user.a", new byte[] {3}, Inode.XATTR_REPLACE);
    assertArrayEquals(new byte[] {3}, d.getXattr("user.a"));
    assertEquals(Errno.ENODATA, errno(() -> d.setXattr("user.b", new byte[] {2},
        Inode.XATTR_REPLACE)));
    assertEquals(List.of("user.a"), d.listXattrs());
  }

  @Test
  void xattrs_badNamespaceAndUserOnSymlink_refused() {
    Inode f = file(root, "f", "");
    Inode l = root.symlink(n("l"), new byte[] {'f'}, 0, 0);
    assertEquals(Errno.EOPNOTSUPP, errno(() -> f.setXattr("bogus.a", new byte[1], 0)));
    assertEquals(Errno.EOPNOTSUPP, errno(() -> f.setXattr("user.", new byte[1], 0)));
    assertEquals(Errno.ERANGE, errno(() -> f.setXattr("user." + "x".repeat(300), new byte[1], 0)));
    assertEquals(Errno.E2BIG, errno(() -> f.setXattr("user.big", new byte[65537], 0)));
    assertEquals(Errno.EPERM, errno(() -> l.setXattr("user.a", new byte[1], 0)));
    l.setXattr("trusted.a", new byte[] {9}, 0);
    assertArrayEquals(new byte[] {9}, l.getXattr("trusted.a"));
  }

  @Test
  void xattrs_returnedValues_areCopies() {
    Inode f = file(root, "f", "");
    byte[] value = {1, 2, 3};
    f.setXattr("user.v", value, 0);
    value[0] = 9;
    f.getXattr("user.v")[1] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, f.getXattr("user.v"));
  }

  // ---- concurrency ----

  @Test
  void concurrentCreatesAndWrites_allLandWithUniqueInodes() throws Exception {
    Inode d = mkdir(root, "d");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Long>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          long sum = 0;
          for (int i = 0; i < 25; i++) {
            Inode f = file(d, "t" + thread + "-" + i, "data" + i);
            sum += f.ino();
            d.readdir(0, 10);
          }
          return sum;
        }));
      }
      for (Future<Long> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    List<DirEntry> all = d.readdir(0, 1000);
    assertEquals(200, all.size());
    Set<Long> inos = new HashSet<>();
    for (DirEntry e : all) {
      assertTrue(inos.add(e.ino()));
    }
    assertEquals("data24", read(d.lookup(n("t7-24"))));
  }

  @Test
  void statfs_reportsTypeAndNameMax() {
    assertEquals(255, fs.statfs().nameMax());
    assertEquals(4096, fs.statfs().blockSize());
    assertEquals(fs.deviceId(), fs.statfs().fsid());
    assertEquals(0, fs.statfs().flags());
  }
}
