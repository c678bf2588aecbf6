package dev.blinkchroot.runner.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.blinkchroot.runner.Fixtures;
import dev.blinkchroot.vfs.Stat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The long format against GNU ls's own output for the same files (fixture
 * ls-ln-special-files.txt, produced with mknod/chmod/chown/touch as its header says).
 */
class LongListingTest {
  private static final long MTIME = 1725622445L * 1_000_000_000L; // 2024-09-06 11:34:05 UTC
  private static final long NOW = 1795247168L * 1_000_000_000L; // when the fixture was made

  private static LongListing.Row row(String name, int mode, int nlink, int uid, int gid,
      long rdev, long size, long blocks, String target) {
    Stat st = new Stat(0, 1, mode, nlink, uid, gid, rdev, size, 4096, blocks, MTIME, MTIME,
        MTIME);
    return new LongListing.Row(name.getBytes(StandardCharsets.UTF_8), st,
        target == null ? null : target.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void write_matchesGnuLsForSpecialFilesDevicesAndWideIds() {
    List<LongListing.Row> rows = new ArrayList<>();
    rows.add(row("big", 0102644, 1, 1000, 65534, 0, 123456, 248, null));
    rows.add(row("fifo", 010644, 1, 0, 0, 0, 0, 0, null));
    rows.add(row("file", 0104755, 1, 0, 0, 0, 6, 8, null));
    rows.add(row("link", 0120777, 1, 0, 0, 0, 4, 0, "file"));
    rows.add(row("null", 020644, 1, 0, 0, Stat.makedev(1, 3), 0, 0, null));
    rows.add(row("nvme", 020644, 1, 0, 0, Stat.makedev(259, 1048575), 0, 0, null));
    rows.add(row("sda", 060644, 1, 0, 0, Stat.makedev(8, 0), 0, 0, null));
    rows.add(row("sticky", 041777, 2, 0, 0, 0, 4096, 8, null));
    rows.add(row("stickynox", 041776, 2, 0, 0, 0, 4096, 8, null));
    rows.add(row("tty64", 020644, 1, 0, 0, Stat.makedev(4, 64), 0, 0, null));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ToolIo io = new ToolIo(out, new PrintStream(new ByteArrayOutputStream()), "test");
    io.print("total " + LongListing.totalKibibytes(rows) + "\n");
    LongListing.write(rows, io, NOW, ZoneOffset.UTC);

    List<String> expected = Fixtures.lines("ls-ln-special-files.txt");
    assertEquals(String.join("\n", expected) + "\n", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void totalKibibytes_roundsUp() {
    List<LongListing.Row> rows = List.of(row("a", 0100644, 1, 0, 0, 0, 1, 1, null));
    assertEquals(1, LongListing.totalKibibytes(rows));
  }
}
