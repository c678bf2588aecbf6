package dev.blinkchroot.runner.fs;

import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Stat;
import java.time.ZoneId;
import java.util.List;

/**
 * The rows of {@code ls -ln}: "MODE NLINK UID GID SIZE DATE NAME[ -> TARGET]". Columns are
 * right-aligned to the widest value of the listing, as GNU ls aligns them; a device shows
 * "MAJOR, MINOR" where a file shows its size.
 */
final class LongListing {
  record Row(byte[] name, Stat stat, byte[] linkTarget) {}

  private LongListing() {}

  static void write(List<Row> rows, ToolIo io, long nowNs, ZoneId zone) {
    int nlinkWidth = 0;
    int uidWidth = 0;
    int gidWidth = 0;
    int sizeWidth = 0;
    int majorWidth = 0;
    int minorWidth = 0;
    for (Row row : rows) {
      Stat st = row.stat();
      nlinkWidth = Math.max(nlinkWidth, digits(st.nlink()));
      uidWidth = Math.max(uidWidth, digits(Integer.toUnsignedLong(st.uid())));
      gidWidth = Math.max(gidWidth, digits(Integer.toUnsignedLong(st.gid())));
      if (isDevice(st)) {
        majorWidth = Math.max(majorWidth, digits(Stat.major(st.rdev())));
        minorWidth = Math.max(minorWidth, digits(Stat.minor(st.rdev())));
        sizeWidth = Math.max(sizeWidth, majorWidth + 2 + minorWidth);
      } else {
        sizeWidth = Math.max(sizeWidth, digits(st.size()));
      }
    }
    StringBuilder line = new StringBuilder(80);
    for (Row row : rows) {
      Stat st = row.stat();
      line.setLength(0);
      line.append(ModeString.of(st.mode())).append(' ');
      padLeft(line, Integer.toString(st.nlink()), nlinkWidth).append(' ');
      padLeft(line, Integer.toUnsignedString(st.uid()), uidWidth).append(' ');
      padLeft(line, Integer.toUnsignedString(st.gid()), gidWidth).append(' ');
      if (isDevice(st)) {
        int blanks = Math.max(0, sizeWidth - (majorWidth + 2 + minorWidth));
        padLeft(line, Integer.toUnsignedString(Stat.major(st.rdev())), majorWidth + blanks);
        line.append(", ");
        padLeft(line, Integer.toUnsignedString(Stat.minor(st.rdev())), minorWidth);
      } else {
        padLeft(line, Long.toString(st.size()), sizeWidth);
      }
      line.append(' ').append(TimeFormat.ls(st.mtimeNs(), nowNs, zone)).append(' ');
      io.print(line.toString());
      io.write(row.name());
      if (row.linkTarget() != null) {
        io.print(" -> ");
        io.write(row.linkTarget());
      }
      io.newline();
    }
  }

  /** ls's "total": the listed files' 512-byte blocks in 1 KiB units, rounded up. */
  static long totalKibibytes(List<Row> rows) {
    long blocks = 0;
    for (Row row : rows) {
      blocks += row.stat().blocks();
    }
    return (blocks + 1) / 2;
  }

  private static boolean isDevice(Stat st) {
    FileType type = st.type();
    return type != null && type.isDevice();
  }

  private static int digits(long value) {
    return Long.toString(value).length();
  }

  private static StringBuilder padLeft(StringBuilder s, String value, int width) {
    for (int i = value.length(); i < width; i++) {
      s.append(' ');
    }
    return s.append(value);
  }
}
