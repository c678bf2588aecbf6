package dev.blinkchroot.vfs.nio;

import static dev.blinkchroot.vfs.nio.MetadataJournalTest.meta;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.blinkchroot.vfs.FileType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Replaying records over a sidecar's contents. The sidecar of these tests:
 *
 * <pre>
 * / (ino 1, 0755)
 * ├── etc/     ino 2, 0755
 * │   └── passwd   ino 4, 0644, nlink 2
 * ├── tmp/     ino 3, 01777
 * │   └── pw       ino 4 (a hard link)
 * └── f        ino 5, 0600
 * next ino 6
 * </pre>
 */
class JournalReplayTest {
  private static MetadataSidecar.Record name(long parent, String name, long ino, FileType type,
      int permissions) {
    MetadataSidecar.Record r = meta(ino, type, permissions);
    r.parentIno = parent;
    r.hostName = name;
    r.name = name.getBytes(StandardCharsets.US_ASCII);
    return r;
  }

  private static MetadataSidecar.Contents sidecar() {
    MetadataSidecar.Contents c = new MetadataSidecar.Contents();
    c.nextIno = 6;
    c.root = name(0, "", 1, FileType.DIRECTORY, 0755);
    put(c, name(1, "etc", 2, FileType.DIRECTORY, 0755));
    put(c, name(1, "tmp", 3, FileType.DIRECTORY, 01777));
    put(c, name(1, "f", 5, FileType.REGULAR, 0600));
    MetadataSidecar.Record passwd = name(2, "passwd", 4, FileType.REGULAR, 0644);
    passwd.nlink = 2;
    put(c, passwd);
    MetadataSidecar.Record pw = name(3, "pw", 4, FileType.REGULAR, 0644);
    pw.nlink = 2;
    put(c, pw);
    return c;
  }

  private static void put(MetadataSidecar.Contents c, MetadataSidecar.Record r) {
    c.byParent.computeIfAbsent(r.parentIno, k -> new LinkedHashMap<>()).put(r.hostName, r);
  }

  private static MetadataSidecar.Contents replay(MetadataSidecar.Contents base,
      Consumer<JournalReplay> records) {
    JournalReplay replay = new JournalReplay(base);
    records.accept(replay);
    return replay.finish(0);
  }

  private static void link(JournalReplay r, long parent, String name, long ino) {
    r.link(parent, name, name.getBytes(StandardCharsets.US_ASCII), ino);
  }

  /** "parent/name ino mode" for every name, in each directory's order; the root first. */
  private static List<String> describe(MetadataSidecar.Contents c) {
    List<String> out = new ArrayList<>();
    if (c.root != null) {
      out.add("/ " + c.root.ino + " " + Integer.toOctalString(c.root.permissions));
    }
    Map<Long, Map<String, MetadataSidecar.Record>> sorted = new TreeMap<>(c.byParent);
    sorted.forEach((parent, names) -> names.values().forEach(r -> out.add(parent + "/"
        + r.hostName + " " + r.ino + " " + r.type + " " + Integer.toOctalString(r.permissions)
        + " nlink " + r.nlink)));
    out.add("next " + c.nextIno);
    return out;
  }

  @Test
  void nothing_leavesTheSidecarAsItWas() {
    assertEquals(describe(sidecar()), describe(replay(sidecar(), r -> { })));
  }

  @Test
  void node_givesEveryNameOfTheInodeItsMetadata() {
    MetadataSidecar.Record chmod = meta(4, FileType.REGULAR, 04755);
    chmod.nlink = 2;
    chmod.uid = 7;
    MetadataSidecar.Contents c = replay(sidecar(), r -> r.node(chmod));
    assertEquals(04755, c.byParent.get(2L).get("passwd").permissions);
    assertEquals(04755, c.byParent.get(3L).get("pw").permissions);
    assertEquals(7, c.byParent.get(3L).get("pw").uid);
  }

  @Test
  void node_ofTheRoot_changesTheRootRecord() {
    MetadataSidecar.Contents c = replay(sidecar(), r -> r.node(meta(1, FileType.DIRECTORY, 0711)));
    assertEquals(0711, c.root.permissions);
  }

  @Test
  void create_newNameGoesLastWithItsNode() {
    MetadataSidecar.Contents c = replay(sidecar(), r -> {
      r.node(meta(6, FileType.CHARACTER_DEVICE, 0666));
      link(r, 1, "null", 6);
    });
    assertEquals(List.of("etc", "tmp", "f", "null"), List.copyOf(c.byParent.get(1L).keySet()));
    assertEquals(FileType.CHARACTER_DEVICE, c.byParent.get(1L).get("null").type);
    assertEquals(7, c.nextIno);
  }

  @Test
  void unlink_removesTheNameAndAnEmptyDirectorysMap() {
    MetadataSidecar.Contents c = replay(sidecar(), r -> {
      r.unlink(2, "passwd");
      MetadataSidecar.Record left = meta(4, FileType.REGULAR, 0644);
      r.node(left); // nlink 1 now
    });
    assertNull(c.byParent.get(2L));
    assertEquals(1, c.byParent.get(3L).get("pw").nlink);
  }

  @Test
  void unlink_ofANameNeverRecorded_changesNothing() {
    assertEquals(describe(sidecar()), describe(replay(sidecar(), r -> r.unlink(9, "nope"))));
  }

  @Test
  void rename_overAnExistingName_keepsThatNamesPlace() {
    MetadataSidecar.Contents c = replay(sidecar(), r -> {
      r.unlink(1, "f");
      link(r, 1, "etc", 5); // as if f had replaced an entry named etc
    });
    assertEquals(List.of("etc", "tmp"), List.copyOf(c.byParent.get(1L).keySet()));
    assertEquals(5, c.byParent.get(1L).get("etc").ino);
    assertEquals(FileType.REGULAR, c.byParent.get(1L).get("etc").type);
  }

  @Test
  void rename_ofADirectory_takesItsChildrenAlong() {
    MetadataSidecar.Contents c = replay(sidecar(), r -> {
      r.unlink(1, "etc");
      link(r, 3, "etc-moved", 2);
    });
    assertEquals(2, c.byParent.get(3L).get("etc-moved").ino);
    assertNotNull(c.byParent.get(2L).get("passwd")); // keyed by the directory's number
  }

  @Test
  void rmdir_afterItsLastChildIsGone() {
    MetadataSidecar.Contents c = replay(sidecar(), r -> {
      r.unlink(2, "passwd");
      r.unlink(1, "etc");
    });
    assertNull(c.byParent.get(2L));
    assertEquals(List.of("tmp", "f"), List.copyOf(c.byParent.get(1L).keySet()));
  }

  @Test
  void hardLink_newNameSharesTheNode() {
    MetadataSidecar.Contents c = replay(sidecar(), r -> {
      link(r, 3, "f2", 5);
      MetadataSidecar.Record two = meta(5, FileType.REGULAR, 0600);
      two.nlink = 2;
      r.node(two);
    });
    assertEquals(2, c.byParent.get(1L).get("f").nlink);
    assertEquals(2, c.byParent.get(3L).get("f2").nlink);
  }

  @Test
  void link_toAnInodeNoRecordDescribes_isDropped() {
    MetadataSidecar.Contents c = replay(sidecar(), r -> link(r, 1, "ghost", 50));
    assertNull(c.byParent.get(1L).get("ghost"));
    assertEquals(51, c.nextIno); // the number is still never reused
  }

  @Test
  void nextIno_neverBelowTheSidecarsNorAnyRecordedNumber() {
    assertEquals(6, replay(sidecar(), r -> r.node(meta(3, FileType.DIRECTORY, 0700))).nextIno);
    MetadataSidecar.Contents c = replay(sidecar(), r -> {
      r.node(meta(90, FileType.REGULAR, 0644));
      link(r, 1, "x", 90);
      r.unlink(1, "x");
    });
    assertEquals(91, c.nextIno);
  }

  @Test
  void noSidecar_buildsFromTheJournalAloneWithItsFlags() {
    JournalReplay replay = new JournalReplay(null);
    replay.node(meta(1, FileType.DIRECTORY, 0700));
    replay.node(meta(2, FileType.SYMLINK, 0777));
    link(replay, 1, "l", 2);
    MetadataSidecar.Contents c = replay.finish(MetadataSidecar.FLAG_CASE_INSENSITIVE);
    assertEquals(MetadataSidecar.FLAG_CASE_INSENSITIVE, c.flags);
    assertEquals(0700, c.root.permissions);
    assertEquals(1, c.root.ino);
    assertEquals(FileType.SYMLINK, c.byParent.get(1L).get("l").type);
    assertEquals(3, c.nextIno);
  }

  @Test
  void replayTwice_overItsOwnResult_changesNothing() {
    Consumer<JournalReplay> journal = r -> {
      r.node(meta(6, FileType.DIRECTORY, 0700));
      link(r, 1, "d", 6);
      r.node(meta(7, FileType.REGULAR, 0644));
      link(r, 6, "a", 7);
      r.unlink(6, "a");
      link(r, 1, "a", 7);
      r.unlink(1, "f");
      link(r, 1, "tmp", 5);
      r.node(meta(5, FileType.REGULAR, 0444));
      r.node(meta(1, FileType.DIRECTORY, 0711));
    };
    MetadataSidecar.Contents once = replay(sidecar(), journal);
    List<String> expected = describe(once);
    // A crash after the sidecar was written and before the journal was deleted.
    assertEquals(expected, describe(replay(once, journal)));
  }
}
