package dev.blinkchroot.vfs.nio;

import static dev.blinkchroot.vfs.nio.MetadataJournalTest.meta;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.vfs.FileType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sidecar's record flags added with the journal, and copying a node's metadata. */
class MetadataSidecarTest {
  @TempDir Path dir;

  private static MetadataSidecar.Record named(MetadataSidecar.Record r, String name) {
    r.parentIno = 1;
    r.hostName = name;
    r.name = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return r;
  }

  @Test
  void write_thenRead_keepsPlaceholderAndDataMayBeNewerApart() throws Exception {
    MetadataSidecar.Record writing = named(meta(5, FileType.REGULAR, 0644), "log");
    writing.dataMayBeNewer = true;
    MetadataSidecar.Record fifo = named(meta(6, FileType.FIFO, 0600), "fifo");
    fifo.placeholder = true;
    MetadataSidecar.write(dir, 0, 7, List.of(writing, fifo));
    MetadataSidecar.Contents c = MetadataSidecar.read(dir);
    MetadataSidecar.Record log = c.byParent.get(1L).get("log");
    assertTrue(log.dataMayBeNewer);
    assertFalse(log.placeholder);
    MetadataSidecar.Record f = c.byParent.get(1L).get("fifo");
    assertTrue(f.placeholder);
    assertFalse(f.dataMayBeNewer);
    assertEquals(7, c.nextIno);
    assertFalse(Files.exists(dir.resolve("meta.tmp")));
  }

  @Test
  void copyMeta_copiesEveryNodeFieldAndNotTheName() {
    MetadataSidecar.Record from = meta(9, FileType.SYMLINK, 0777);
    from.placeholder = true;
    from.dataMayBeNewer = true;
    from.uid = 1;
    from.gid = 2;
    from.rdev = 3;
    from.atimeNs = 4;
    from.mtimeNs = 5;
    from.ctimeNs = 6;
    from.nlink = 7;
    from.symlinkTarget = new byte[] {'t'};
    from.xattrs = new LinkedHashMap<>();
    from.xattrs.put("user.a", new byte[] {1});
    MetadataSidecar.Record to = named(meta(9, FileType.REGULAR, 0), "keep");
    MetadataSidecar.copyMeta(from, to);
    assertEquals("keep", to.hostName);
    assertEquals(FileType.SYMLINK, to.type);
    assertTrue(to.placeholder && to.dataMayBeNewer);
    assertEquals(List.of(0777, 1, 2, 7), List.of(to.permissions, to.uid, to.gid, to.nlink));
    assertEquals(List.of(3L, 4L, 5L, 6L), List.of(to.rdev, to.atimeNs, to.mtimeNs, to.ctimeNs));
    assertArrayEquals(new byte[] {'t'}, to.symlinkTarget);
    assertNotSame(from.xattrs, to.xattrs); // a node loaded from one must not change the other
    assertArrayEquals(new byte[] {1}, to.xattrs.get("user.a"));
  }
}
