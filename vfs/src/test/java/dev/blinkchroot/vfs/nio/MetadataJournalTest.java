package dev.blinkchroot.vfs.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Stat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's file format: every kind of record round-trips, a torn end is dropped, damage
 * before the end is a one-line EIO, and the journal starts afresh after it is folded away.
 *
 * <pre>
 * header (12) | len crc NODE... | len crc LINK... | len crc UNLINK... | ...
 * </pre>
 */
class MetadataJournalTest {
  @TempDir Path dir;

  /** What a replay saw, one line per record. */
  static final class Seen implements MetadataJournal.Visitor {
    final List<String> lines = new ArrayList<>();
    final List<MetadataSidecar.Record> nodes = new ArrayList<>();

    @Override
    public void node(MetadataSidecar.Record meta) {
      nodes.add(meta);
      lines.add("node " + meta.ino + " " + meta.type + " "
          + Integer.toOctalString(meta.permissions));
    }

    @Override
    public void link(long parentIno, String hostName, byte[] name, long ino) {
      lines.add("link " + parentIno + " " + hostName + " "
          + new String(name, StandardCharsets.ISO_8859_1) + " " + ino);
    }

    @Override
    public void unlink(long parentIno, String hostName) {
      lines.add("unlink " + parentIno + " " + hostName);
    }
  }

  static MetadataSidecar.Record meta(long ino, FileType type, int permissions) {
    MetadataSidecar.Record r = new MetadataSidecar.Record();
    r.ino = ino;
    r.type = type;
    r.permissions = permissions;
    r.nlink = type == FileType.DIRECTORY ? 0 : 1;
    return r;
  }

  private Path file() {
    return dir.resolve(MetadataJournal.FILE_NAME);
  }

  /** Appends one batch per record: a NODE, a LINK and an UNLINK, then two more NODEs. */
  private MetadataJournal fiveRecords() throws IOException {
    MetadataJournal j = new MetadataJournal(dir, 0);
    MetadataJournal.Batch b = new MetadataJournal.Batch();
    b.node(meta(5, FileType.REGULAR, 04751));
    j.append(b.take());
    b.link(1, "f", "f".getBytes(StandardCharsets.US_ASCII), 5);
    j.append(b.take());
    b.unlink(1, "old");
    j.append(b.take());
    b.node(meta(6, FileType.DIRECTORY, 0700));
    j.append(b.take());
    b.node(meta(7, FileType.FIFO, 0600));
    j.append(b.take());
    return j;
  }

  private Seen read() throws IOException {
    Seen seen = new Seen();
    MetadataJournal.read(dir, seen);
    return seen;
  }

  private static final List<String> FIVE = List.of("node 5 REGULAR 4751", "link 1 f f 5",
      "unlink 1 old", "node 6 DIRECTORY 700", "node 7 FIFO 600");

  @Test
  void read_noJournal_returnsNull() throws IOException {
    assertNull(MetadataJournal.read(dir, new Seen()));
  }

  @Test
  void append_thenRead_givesEveryKindOfRecordInOrder() throws IOException {
    fiveRecords();
    Seen seen = new Seen();
    MetadataJournal.Found found = MetadataJournal.read(dir, seen);
    assertEquals(FIVE, seen.lines);
    assertEquals(5, found.records());
    assertEquals(Files.size(file()), found.validBytes());
  }

  @Test
  void node_keepsEveryField() throws IOException {
    MetadataSidecar.Record r = meta(42, FileType.SYMLINK, 0777);
    r.placeholder = true;
    r.dataMayBeNewer = true;
    r.uid = 1000;
    r.gid = -2;
    r.rdev = Stat.makedev(8, 1);
    r.atimeNs = -1_000_000_001L;
    r.mtimeNs = 1_600_000_000_123_456_789L;
    r.ctimeNs = Long.MAX_VALUE;
    r.nlink = 3;
    r.symlinkTarget = new byte[] {'/', (byte) 0xfe, 0x7f};
    r.xattrs = new LinkedHashMap<>();
    r.xattrs.put("user.a", new byte[] {1, 2});
    r.xattrs.put("security.capability", new byte[0]);
    MetadataJournal j = new MetadataJournal(dir, 0);
    MetadataJournal.Batch b = new MetadataJournal.Batch();
    b.node(r);
    j.append(b.take());
    MetadataSidecar.Record back = read().nodes.get(0);
    assertEquals(42, back.ino);
    assertEquals(FileType.SYMLINK, back.type);
    assertTrue(back.placeholder);
    assertTrue(back.dataMayBeNewer);
    assertEquals(0777, back.permissions);
    assertEquals(1000, back.uid);
    assertEquals(-2, back.gid);
    assertEquals(Stat.makedev(8, 1), back.rdev);
    assertEquals(-1_000_000_001L, back.atimeNs);
    assertEquals(1_600_000_000_123_456_789L, back.mtimeNs);
    assertEquals(Long.MAX_VALUE, back.ctimeNs);
    assertEquals(3, back.nlink);
    assertArrayEquals(r.symlinkTarget, back.symlinkTarget);
    assertEquals(List.of("user.a", "security.capability"), List.copyOf(back.xattrs.keySet()));
    assertArrayEquals(new byte[] {1, 2}, back.xattrs.get("user.a"));
  }

  @Test
  void batch_ofSeveralRecords_isOneAppend() throws IOException {
    MetadataJournal j = new MetadataJournal(dir, 0);
    MetadataJournal.Batch b = new MetadataJournal.Batch();
    b.link(1, "a", new byte[] {'a'}, 9);
    b.node(meta(9, FileType.REGULAR, 0644));
    b.node(meta(1, FileType.DIRECTORY, 0755));
    assertFalse(b.isEmpty());
    j.append(b.take());
    assertTrue(b.isEmpty());
    assertEquals(List.of("link 1 a a 9", "node 9 REGULAR 644", "node 1 DIRECTORY 755"),
        read().lines);
  }

  @Test
  void read_headerOnlyOrTorn_isAnEmptyJournal() throws IOException {
    fiveRecords();
    byte[] all = Files.readAllBytes(file());
    Files.write(file(), Arrays.copyOf(all, MetadataJournal.HEADER_SIZE));
    assertEquals(0, MetadataJournal.read(dir, new Seen()).records());
    Files.write(file(), Arrays.copyOf(all, 5));
    assertNull(MetadataJournal.read(dir, new Seen()));
    Files.write(file(), new byte[4096]); // zeros: the first write never reached the disk
    assertNull(MetadataJournal.read(dir, new Seen()));
  }

  @Test
  void read_lastRecordCutShort_dropsItKeepsTheRest() throws IOException {
    fiveRecords();
    byte[] all = Files.readAllBytes(file());
    for (int cut = 1; cut < 60; cut++) {
      Files.write(file(), Arrays.copyOf(all, all.length - cut));
      assertEquals(FIVE.subList(0, 4), read().lines, "cut " + cut);
    }
  }

  @Test
  void read_lastRecordWithBadCrc_dropsIt() throws IOException {
    fiveRecords();
    byte[] all = Files.readAllBytes(file());
    all[all.length - 3] ^= 0x10;
    Files.write(file(), all);
    assertEquals(FIVE.subList(0, 4), read().lines);
  }

  @Test
  void read_zerosAfterTheLastWrite_areDropped() throws IOException {
    fiveRecords();
    byte[] all = Files.readAllBytes(file());
    Files.write(file(), Arrays.copyOf(all, all.length + 8192)); // a power loss's zero-filled tail
    assertEquals(FIVE, read().lines);
  }

  @Test
  void read_badCrcBeforeTheLastRecord_isOneLineEioNamingFileAndByte() throws IOException {
    fiveRecords();
    byte[] all = Files.readAllBytes(file());
    int second = secondRecordOffset(all);
    all[second + 12] ^= 0x01; // inside the LINK record's body
    Files.write(file(), all);
    ErrnoException e = assertThrows(ErrnoException.class, this::read);
    assertEquals(Errno.EIO, e.errno());
    assertEquals("metadata journal damaged at byte " + second + " of " + all.length + ": "
        + file() + " (move it away to open the store without the metadata changes it holds)",
        e.detail());
  }

  @Test
  void read_garbageLengthBeforeTheEnd_isEio() throws IOException {
    fiveRecords();
    byte[] all = Files.readAllBytes(file());
    int second = secondRecordOffset(all);
    all[second] = (byte) 0x80; // a negative length
    Files.write(file(), all);
    assertEquals(Errno.EIO, assertThrows(ErrnoException.class, this::read).errno());
  }

  @Test
  void read_notAJournal_isEio() throws IOException {
    Files.write(file(), "this is not a journal at all".getBytes(StandardCharsets.US_ASCII));
    ErrnoException e = assertThrows(ErrnoException.class, this::read);
    assertEquals(Errno.EIO, e.errno());
    assertTrue(e.detail().startsWith("not a metadata journal: "), e.detail());
  }

  @Test
  void read_unknownVersion_isEio() throws IOException {
    fiveRecords();
    byte[] all = Files.readAllBytes(file());
    all[7] = 99;
    Files.write(file(), all);
    ErrnoException e = assertThrows(ErrnoException.class, this::read);
    assertTrue(e.detail().startsWith("metadata journal version 99 unknown"), e.detail());
  }

  @Test
  void read_headerFlags_areTheJournals() throws IOException {
    MetadataJournal j = new MetadataJournal(dir, MetadataSidecar.FLAG_CASE_INSENSITIVE);
    MetadataJournal.Batch b = new MetadataJournal.Batch();
    b.unlink(1, "x");
    j.append(b.take());
    assertEquals(MetadataSidecar.FLAG_CASE_INSENSITIVE,
        MetadataJournal.read(dir, new Seen()).flags());
  }

  @Test
  void delete_thenAppend_startsAFreshJournal() throws IOException {
    MetadataJournal j = fiveRecords();
    j.delete();
    assertFalse(Files.exists(file()));
    assertNull(MetadataJournal.read(dir, new Seen()));
    MetadataJournal.Batch b = new MetadataJournal.Batch();
    b.unlink(3, "z");
    j.append(b.take());
    assertEquals(List.of("unlink 3 z"), read().lines);
  }

  @Test
  void append_overATornJournalLeftBehind_replacesIt() throws IOException {
    Files.createDirectories(dir);
    Files.write(file(), new byte[] {0x42, 0x43});
    MetadataJournal j = new MetadataJournal(dir, 0);
    MetadataJournal.Batch b = new MetadataJournal.Batch();
    b.unlink(3, "z");
    j.append(b.take());
    assertEquals(List.of("unlink 3 z"), read().lines);
  }

  @Test
  void append_byAnInterruptedThread_writesAndKeepsTheInterrupt() throws Exception {
    MetadataJournal j = new MetadataJournal(dir, 0);
    MetadataJournal.Batch b = new MetadataJournal.Batch();
    Thread.currentThread().interrupt();
    try {
      b.unlink(1, "a");
      j.append(b.take());
      b.unlink(1, "b");
      j.append(b.take());
      j.force();
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
    b.unlink(1, "c");
    j.append(b.take());
    assertEquals(List.of("unlink 1 a", "unlink 1 b", "unlink 1 c"), read().lines);
  }

  @Test
  void force_beforeAnyAppend_doesNothing() throws IOException {
    new MetadataJournal(dir, 0).force();
    assertFalse(Files.exists(file()));
  }

  /** The first record starts after the header; the second after the first's frame and body. */
  private static int secondRecordOffset(byte[] all) {
    int firstLength = java.nio.ByteBuffer.wrap(all).getInt(MetadataJournal.HEADER_SIZE);
    return MetadataJournal.HEADER_SIZE + 8 + firstLength;
  }
}
