package dev.blinkchroot.vfs.nio;

import static dev.blinkchroot.vfs.nio.BackendContractTest.errno;
import static dev.blinkchroot.vfs.nio.BackendContractTest.file;
import static dev.blinkchroot.vfs.nio.BackendContractTest.mkdir;
import static dev.blinkchroot.vfs.nio.BackendContractTest.n;
import static dev.blinkchroot.vfs.nio.BackendContractTest.read;
import static dev.blinkchroot.vfs.nio.BackendContractTest.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileContent;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import dev.blinkchroot.vfs.Stat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A store whose session ends without a flush (the JVM killed) keeps every change with its Linux
 * metadata: the journal is replayed at the next open. "Killed" here is a session abandoned
 * without flush, its journal left as the host's kernel has it. Subclasses choose the host.
 */
abstract class StoreCrashContractTest {
  protected NioBackend fs;
  protected Inode root;

  /** Where the store lives; the same for every call within one test. */
  protected abstract Path storeDir() throws Exception;

  @BeforeEach
  void open() throws Exception {
    fs = NioBackend.hostStore(storeDir(), false);
    root = fs.root();
  }

  /** The session dies without a flush; a new one opens the store. */
  private void killAndReopen() throws Exception {
    open();
  }

  private Path journal() throws Exception {
    return storeDir().resolve(".blink-chroot").resolve(MetadataJournal.FILE_NAME);
  }

  private Path sidecar() throws Exception {
    return storeDir().resolve(".blink-chroot").resolve(MetadataSidecar.FILE_NAME);
  }

  /** Every name under {@code dir}: path, stat but st_dev, target, xattrs, data; readdir order. */
  static Map<String, String> snapshot(Inode dir) {
    Map<String, String> out = new LinkedHashMap<>();
    describe("", dir, out);
    return out;
  }

  private static void describe(String path, Inode node, Map<String, String> out) {
    Stat s = node.stat();
    StringBuilder d = new StringBuilder();
    d.append(s.ino()).append(' ').append(Integer.toOctalString(s.mode())).append(" nlink ")
        .append(s.nlink()).append(" own ").append(s.uid()).append(':').append(s.gid())
        .append(" rdev ").append(s.rdev()).append(" size ").append(s.size())
        .append(" times ").append(s.atimeNs()).append(' ').append(s.mtimeNs()).append(' ')
        .append(s.ctimeNs());
    for (String x : node.listXattrs()) {
      d.append(' ').append(x).append('=').append(Arrays.toString(node.getXattr(x)));
    }
    if (node.type() == FileType.SYMLINK) {
      d.append(" -> ").append(Arrays.toString(node.readlink()));
    } else if (node.type() == FileType.REGULAR) {
      d.append(" data ").append(read(node));
    }
    out.put(path.isEmpty() ? "/" : path, d.toString());
    if (node.type() == FileType.DIRECTORY) {
      for (DirEntry e : node.readdir(0, Integer.MAX_VALUE)) {
        describe(path + "/" + e.name(), node.lookup(e.name()), out);
      }
    }
  }

  @Test
  void killed_keepsEveryKindOfChangeWithItsMetadata() throws Exception {
    Inode etc = mkdir(root, "etc");
    Inode passwd = file(etc, "passwd", "root:x:0:0");
    passwd.setOwner(0, 42);
    passwd.setPermissions(04751); // after chown, which would clear set-id bits
    Inode dev = etc.create(n("dev"), FileType.DIRECTORY, 0711, 0, 0, 0);
    dev.create(n("null"), FileType.CHARACTER_DEVICE, 0666, 0, 0, Stat.makedev(1, 3));
    dev.create(n("sda1"), FileType.BLOCK_DEVICE, 0660, 0, 6, Stat.makedev(8, 1));
    dev.create(n("initctl"), FileType.FIFO, 0600, 5, 5, 0);
    dev.create(n("log"), FileType.SOCKET, 0666, 0, 0, 0);
    dev.create(n("motd"), FileType.CHARACTER_DEVICE, 0, 0, 0, 0); // an overlay whiteout
    root.symlink(n("abs"), "/etc/passwd".getBytes(StandardCharsets.UTF_8), 7, 8);
    root.symlink(n("odd"), new byte[] {'/', (byte) 0xfe, 'x'}, 0, 0);
    Inode tmp = root.create(n("tmp"), FileType.DIRECTORY, 01777, 0, 0, 0);
    tmp.link(n("pw-link"), passwd);
    passwd.setXattr("user.origin", "alpine".getBytes(StandardCharsets.UTF_8), 0);
    passwd.setXattr("security.capability", new byte[] {1, 0, 0, 2}, 0);
    passwd.setXattr("user.gone", new byte[] {9}, 0);
    passwd.removeXattr("user.gone");
    tmp.setXattr("trusted.overlay.opaque", new byte[] {'y'}, 0);
    file(root, "old-name", "moved");
    root.rename(n("old-name"), tmp, n("new-name"), 0);
    file(tmp, "victim", "replaced");
    file(root, "winner", "replacing");
    root.rename(n("winner"), tmp, n("victim"), 0);
    mkdir(root, "swap-a");
    file(root, "swap-b", "b");
    root.rename(n("swap-a"), root, n("swap-b"), Inode.RENAME_EXCHANGE);
    Inode gone = mkdir(root, "gone");
    file(gone, "inside", "");
    gone.unlink(n("inside"));
    root.rmdir(n("gone"));
    Inode twice = file(root, "hl1", "two names");
    root.link(n("hl2"), twice);
    root.unlink(n("hl1"));
    Inode d1 = mkdir(root, "d1");
    d1.create(n("deep"), FileType.REGULAR, 04711, 7, 8, 0);
    root.rename(n("d1"), tmp, n("d2"), 0);
    Inode times = file(root, "times", "t");
    times.setTimes(1_600_000_000_123_456_789L, 1_500_000_000_987_654_321L);
    Inode names = mkdir(root, "names");
    List<FileName> awkward = StoreContractTest.awkwardNames();
    for (int i = 0; i < awkward.size(); i++) {
      names.create(awkward.get(i), FileType.REGULAR, 0400 + i, i, i, 0);
    }
    root.setPermissions(0711);
    root.setOwner(3, 4);
    Map<String, String> before = snapshot(root);

    killAndReopen();

    assertEquals(before, snapshot(root));
  }

  @Test
  void killed_afterAnEarlierFlush_replaysOverTheSidecar() throws Exception {
    Inode d = mkdir(root, "d");
    Inode inner = mkdir(d, "inner");
    inner.create(n("f"), FileType.REGULAR, 04711, 7, 8, 0);
    file(root, "stays", "s").setPermissions(0600);
    fs.flush();
    open();
    root.rename(n("d"), root, n("e"), 0); // d is not listed in this session
    root.lookup(n("stays")).setOwner(5, 6);
    file(root, "new", "n").setPermissions(0640);
    Map<String, String> before = snapshot(root);
    killAndReopen();
    assertEquals(before, snapshot(root));
    assertEquals(0104711, root.lookup(n("e")).lookup(n("inner")).lookup(n("f")).stat().mode());
  }

  @Test
  void killedTwice_eachSessionsChangesSurvive() throws Exception {
    file(root, "one", "1").setPermissions(0601);
    killAndReopen();
    file(root, "two", "2").setPermissions(0602);
    root.lookup(n("one")).setOwner(11, 11);
    Map<String, String> before = snapshot(root);
    killAndReopen();
    assertEquals(before, snapshot(root));
  }

  @Test
  void open_afterAKill_foldsTheJournalIntoTheSidecar() throws Exception {
    file(root, "f", "x").setPermissions(0604);
    assertTrue(Files.exists(journal()));
    killAndReopen();
    assertFalse(Files.exists(journal()));
    assertTrue(Files.exists(sidecar()));
    NioBackend again = NioBackend.hostStore(storeDir(), true);
    assertEquals(0100604, again.root().lookup(n("f")).stat().mode());
  }

  @Test
  void flush_deletesTheJournal() throws Exception {
    file(root, "f", "x");
    fs.flush();
    assertFalse(Files.exists(journal()));
    root.lookup(n("f")).setPermissions(0600); // and a later change starts a new one
    assertTrue(Files.exists(journal()));
  }

  @Test
  void longSession_journalIsFoldedIntoTheSidecarAsItGrows() throws Exception {
    fs.log.minFoldBytes = 4096;
    long largest = 0;
    Inode d = mkdir(root, "many");
    for (int i = 0; i < 300; i++) {
      d.create(n("f" + i), FileType.REGULAR, 0600, i, i, 0).setPermissions(0640);
      if (i % 3 == 0) {
        d.unlink(n("f" + i));
      }
      largest = Math.max(largest, Files.exists(journal()) ? Files.size(journal()) : 0);
    }
    long sidecarBytes = Files.size(sidecar());
    assertTrue(largest < Math.max(4096, 2 * sidecarBytes) + 1024, largest + " bytes of journal");
    Map<String, String> before = snapshot(root);
    killAndReopen();
    assertEquals(before, snapshot(root));
  }

  @Test
  void unjournaledStore_writesNoJournalAndKeepsItsMetadataAtFlush() throws Exception {
    NioBackend built = NioBackend.hostStoreUnjournaled(storeDir());
    built.root().create(n("f"), FileType.REGULAR, 0644, 0, 0, 0).setPermissions(04700);
    assertFalse(Files.exists(journal()));
    built.flush();
    open();
    assertEquals(0104700, root.lookup(n("f")).stat().mode());
  }

  @Test
  void readOnlyOpen_afterAKill_seesTheChangesAndLeavesTheJournal() throws Exception {
    file(root, "f", "x").setOwner(9, 9);
    byte[] journalBytes = Files.readAllBytes(journal());
    NioBackend ro = NioBackend.hostStore(storeDir(), true);
    assertEquals(9, ro.root().lookup(n("f")).stat().uid());
    assertEquals(Arrays.toString(journalBytes), Arrays.toString(Files.readAllBytes(journal())));
    assertFalse(Files.exists(sidecar()));
  }

  @Test
  void killedBetweenSidecarAndJournalDeletion_replayChangesNothing() throws Exception {
    Inode d = mkdir(root, "d");
    file(d, "a", "a").setPermissions(0612);
    d.rename(n("a"), root, n("b"), 0);
    file(d, "a", "again");
    root.unlink(n("b"));
    root.setXattr("user.x", new byte[] {1}, 0);
    Map<String, String> before = snapshot(root);
    byte[] journalBytes = Files.readAllBytes(journal());
    fs.flush();
    Files.write(journal(), journalBytes); // as if the flush died before deleting it
    killAndReopen();
    assertEquals(before, snapshot(root));
  }

  @Test
  void inodeNumbers_areNotReusedAfterAKill() throws Exception {
    Inode a = file(root, "a", "");
    Inode b = file(root, "b", "");
    long highest = Math.max(a.ino(), b.ino());
    root.unlink(n("b"));
    killAndReopen();
    Inode c = file(root, "c", "");
    assertTrue(c.ino() > highest, c.ino() + " after " + highest);
    assertEquals(a.ino(), root.lookup(n("a")).ino());
  }

  @Test
  void fileOpenForWritingWhenKilled_takesItsMtimeFromTheHost() throws Exception {
    Inode f = file(root, "log", "");
    FileContent w = f.openContent(true);
    w.write(0, ByteBuffer.wrap(new byte[] {'1'}));
    long recorded = f.stat().mtimeNs();
    w.write(1, ByteBuffer.wrap(new byte[] {'2'})); // not recorded: the file is being written
    long later = recorded + TimeUnit.SECONDS.toNanos(5);
    Files.setLastModifiedTime(storeDir().resolve("log"),
        FileTime.from(later, TimeUnit.NANOSECONDS));
    killAndReopen();
    Inode back = root.lookup(n("log"));
    assertEquals("12", read(back));
    assertEquals(later, back.stat().mtimeNs());
  }

  @Test
  void fileClosedBeforeTheKill_keepsItsRecordedMtimeWhateverTheHostSays() throws Exception {
    Inode f = file(root, "done", "data");
    f.setTimes(1_000_000_000L, 2_000_000_000L);
    write(f, 0, "DATA"); // opened, written, closed: the close records the final times
    long mtime = f.stat().mtimeNs();
    Files.setLastModifiedTime(storeDir().resolve("done"), FileTime.fromMillis(1));
    killAndReopen();
    assertEquals(mtime, root.lookup(n("done")).stat().mtimeNs());
  }

  @Test
  void entriesTheHostAloneDescribed_areRecordedWithTheirNamesWhenChanged() throws Exception {
    fs.flush();
    Path hostDir = Files.createDirectories(storeDir().resolve("made-on-host").resolve("sub"));
    Files.write(hostDir.resolve("f"), "host".getBytes(StandardCharsets.US_ASCII));
    open();
    Inode f = root.lookup(n("made-on-host")).lookup(n("sub")).lookup(n("f"));
    f.setPermissions(04700);
    f.setOwner(77, 88);
    root.lookup(n("made-on-host")).lookup(n("sub")).create(n("g"), FileType.FIFO, 0600, 1, 2, 0);
    Map<String, String> before = snapshot(root);
    killAndReopen();
    assertEquals(before, snapshot(root));
  }

  @Test
  void changeByAnInterruptedThread_isRecordedAndLaterOnesToo() throws Exception {
    // The kernel interrupts a guest thread's Java thread to deliver a signal or kill it.
    Thread.currentThread().interrupt();
    try {
      root.create(n("a"), FileType.REGULAR, 0644, 0, 0, 0).setPermissions(0601);
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
    root.create(n("b"), FileType.REGULAR, 0644, 0, 0, 0).setPermissions(0602);
    killAndReopen();
    assertEquals(0100601, root.lookup(n("a")).stat().mode());
    assertEquals(0100602, root.lookup(n("b")).stat().mode());
  }

  @Test
  void fsync_ofAFile_succeedsWithAJournal() throws Exception {
    Inode f = file(root, "f", "");
    f.setPermissions(0640);
    try (FileContent c = f.openContent(true)) {
      c.write(0, ByteBuffer.wrap(new byte[] {1}));
      c.sync();
    }
    killAndReopen();
    assertEquals(0100640, root.lookup(n("f")).stat().mode());
  }

  @Test
  void journalTornAtItsEnd_opensWithEverythingBeforeIt() throws Exception {
    file(root, "a", "").setPermissions(0601);
    long whole = Files.size(journal());
    file(root, "b", "").setPermissions(0602);
    byte[] all = Files.readAllBytes(journal());
    Files.write(journal(), Arrays.copyOf(all, all.length - 3)); // b's chmod cut short
    killAndReopen();
    assertEquals(0100601, root.lookup(n("a")).stat().mode());
    assertNotNull(root.lookup(n("b"))); // its data was on the host all along
    assertTrue(whole < all.length);
  }

  @Test
  void journalDamagedBeforeItsEnd_refusesToOpenTheStore() throws Exception {
    file(root, "a", "").setPermissions(0601);
    file(root, "b", "").setPermissions(0602);
    byte[] all = Files.readAllBytes(journal());
    all[MetadataJournal.HEADER_SIZE + 10] ^= 0x40;
    Files.write(journal(), all);
    assertEquals(Errno.EIO, errno(() -> NioBackend.hostStore(storeDir(), false)));
    assertEquals(Errno.EIO, errno(() -> NioBackend.hostStore(storeDir(), true)));
    // Moved away, as the message says: the store opens, the metadata of that session lost.
    Files.move(journal(), storeDir().resolve("journal.damaged"));
    open();
    assertNotNull(root.lookup(n("a")));
    assertNull(root.lookup(n(".blink-chroot")));
  }
}
