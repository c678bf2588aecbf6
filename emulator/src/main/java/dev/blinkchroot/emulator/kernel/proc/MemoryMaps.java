package dev.blinkchroot.emulator.kernel.proc;

import dev.blinkchroot.emulator.kernel.mm.FileMappings;
import dev.blinkchroot.emulator.kernel.mm.SharedMappings;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.Stat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * /proc/PID/maps and smaps, and the memory totals status, stat and statm report. The ranges are
 * the address space's mappings (with their protections) cut where the named ranges of
 * {@link FileMappings} begin and end, so each line has one protection and one name.
 *
 * Ranges mapped MAP_SHARED are cut out too, and show 's'.
 *
 * <p>Limit: every page of a mapping counts as resident (pages are not tracked one by one), except
 * PROT_NONE reservations, which count as not resident.
 */
final class MemoryMaps {
  /** Where the name column starts in a maps line: {@code 25 + 6 * sizeof(void *)}. */
  static final int NAME_COLUMN = 73;

  private MemoryMaps() {}

  /** One line of maps. {@code name} is empty for an anonymous range. */
  record Line(long start, long end, int prot, boolean shared, long offset, long dev, long ino,
      byte[] name) {
    long size() {
      return end - start;
    }

    /** A file mapping: named, and not a "[heap]"-style pseudo name. */
    boolean isFile() {
      return name.length > 0 && name[0] == '/';
    }

    boolean named(String s) {
      return Arrays.equals(name, s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }
  }

  /** The lines of {@code p}'s maps in address order. */
  static List<Line> lines(GuestProcess p) {
    if (!p.live()) {
      return List.of();
    }
    return splitShared(namedLines(p), SharedMappings.of(p.mm()));
  }

  /** Cuts lines where shared ranges begin and end, marking the pieces inside them. */
  private static List<Line> splitShared(List<Line> lines, List<long[]> shared) {
    if (shared.isEmpty()) {
      return lines;
    }
    List<Line> out = new ArrayList<>();
    for (Line l : lines) {
      long cur = l.start();
      for (long[] s : shared) {
        if (s[1] <= cur || s[0] >= l.end()) {
          continue;
        }
        if (s[0] > cur) {
          out.add(piece(l, cur, s[0], false));
          cur = s[0];
        }
        long end = Math.min(s[1], l.end());
        out.add(piece(l, cur, end, true));
        cur = end;
      }
      if (cur < l.end()) {
        out.add(piece(l, cur, l.end(), false));
      }
    }
    return out;
  }

  private static Line piece(Line l, long start, long end, boolean shared) {
    long offset = l.isFile() ? l.offset() + (start - l.start()) : l.offset();
    return new Line(start, end, l.prot(), shared, offset, l.dev(), l.ino(), l.name());
  }

  /** The memory's ranges cut where named ranges begin and end. */
  private static List<Line> namedLines(GuestProcess p) {
    List<GuestMemory.Mapping> ranges = p.memory().mappings();
    List<FileMappings.Named> names = p.fileMappings().all();
    List<Line> out = new ArrayList<>();
    int first = 0;
    for (GuestMemory.Mapping r : ranges) {
      long cur = r.start();
      while (first < names.size() && names.get(first).end() <= r.start()) {
        first++;
      }
      for (int i = first; i < names.size() && names.get(i).start() < r.end(); i++) {
        FileMappings.Named n = names.get(i);
        if (n.end() <= cur) {
          continue;
        }
        if (n.start() > cur) {
          out.add(new Line(cur, n.start(), r.prot(), false, 0, 0, 0, new byte[0]));
          cur = n.start();
        }
        long end = Math.min(n.end(), r.end());
        out.add(new Line(cur, end, r.prot(), false, n.offset() + (cur - n.start()), n.dev(),
            n.ino(), n.name()));
        cur = end;
      }
      if (cur < r.end()) {
        out.add(new Line(cur, r.end(), r.prot(), false, 0, 0, 0, new byte[0]));
      }
    }
    return out;
  }

  /**
   * One maps line as Linux prints it: {@code %08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu }, then,
   * for a named range, spaces up to column 73 and the name.
   */
  static void header(StringBuilder sb, Line l) {
    int lineStart = sb.length();
    sb.append(hex8(l.start())).append('-').append(hex8(l.end())).append(' ');
    sb.append((l.prot() & GuestMemory.PROT_READ) != 0 ? 'r' : '-');
    sb.append((l.prot() & GuestMemory.PROT_WRITE) != 0 ? 'w' : '-');
    sb.append((l.prot() & GuestMemory.PROT_EXEC) != 0 ? 'x' : '-');
    sb.append(l.shared() ? 's' : 'p').append(' ');
    sb.append(hex8(l.offset())).append(' ');
    sb.append(hex2(Stat.major(l.dev()))).append(':').append(hex2(Stat.minor(l.dev()))).append(' ');
    sb.append(Long.toUnsignedString(l.ino())).append(' ');
    if (l.name().length > 0) {
      while (sb.length() - lineStart < NAME_COLUMN - 1) {
        sb.append(' ');
      }
      // seq_pad: pad to 72, then one more space before the name.
      sb.append(' ');
      sb.append(ProcessDir.latin1(escapeNewlines(l.name())));
    }
    sb.append('\n');
  }

  /** Linux shows a newline inside a mapped file's name as "\012" (seq_file_path escaping). */
  private static byte[] escapeNewlines(byte[] name) {
    String s = ProcessDir.latin1(name);
    return s.indexOf('\n') < 0 ? name
        : s.replace("\n", "\\012").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  static String maps(GuestProcess p) {
    StringBuilder sb = new StringBuilder();
    for (Line l : lines(p)) {
      header(sb, l);
    }
    return sb.toString();
  }

  /** smaps: each maps line followed by its sizes, in proc(5)'s order and "%-16s%8lu kB" form. */
  static String smaps(GuestProcess p) {
    StringBuilder sb = new StringBuilder();
    for (Line l : lines(p)) {
      header(sb, l);
      long kb = l.size() / 1024;
      long rss = resident(l) / 1024;
      boolean anon = !l.isFile() && !l.shared();
      kb(sb, "Size:", kb);
      kb(sb, "KernelPageSize:", 4);
      kb(sb, "MMUPageSize:", 4);
      kb(sb, "Rss:", rss);
      kb(sb, "Pss:", rss);
      kb(sb, "Pss_Dirty:", anon ? rss : 0);
      kb(sb, "Shared_Clean:", l.shared() ? rss : 0);
      kb(sb, "Shared_Dirty:", 0);
      kb(sb, "Private_Clean:", anon || l.shared() ? 0 : rss);
      kb(sb, "Private_Dirty:", anon ? rss : 0);
      kb(sb, "Referenced:", rss);
      kb(sb, "Anonymous:", anon ? rss : 0);
      kb(sb, "LazyFree:", 0);
      kb(sb, "AnonHugePages:", 0);
      kb(sb, "ShmemPmdMapped:", 0);
      kb(sb, "FilePmdMapped:", 0);
      kb(sb, "Shared_Hugetlb:", 0);
      kb(sb, "Private_Hugetlb:", 0);
      kb(sb, "Swap:", 0);
      kb(sb, "SwapPss:", 0);
      kb(sb, "Locked:", 0);
      sb.append("THPeligible:    0\n");
      sb.append("VmFlags:");
      if ((l.prot() & GuestMemory.PROT_READ) != 0) {
        sb.append(" rd");
      }
      if ((l.prot() & GuestMemory.PROT_WRITE) != 0) {
        sb.append(" wr");
      }
      if ((l.prot() & GuestMemory.PROT_EXEC) != 0) {
        sb.append(" ex");
      }
      if (l.shared()) {
        sb.append(" sh");
      }
      sb.append(" mr mw me");
      if (l.shared()) {
        sb.append(" ms");
      }
      if (l.named("[stack]")) {
        sb.append(" gd");
      }
      if (anon && (l.prot() & GuestMemory.PROT_WRITE) != 0) { // accounted private memory
        sb.append(" ac");
      }
      sb.append(" \n");
    }
    return sb.toString();
  }

  private static void kb(StringBuilder sb, String label, long kb) {
    sb.append(String.format(java.util.Locale.ROOT, "%-16s%8d kB\n", label, kb));
  }

  /** Bytes counted resident: all of a mapping but a PROT_NONE reservation. */
  static long resident(Line l) {
    return l.prot() == GuestMemory.PROT_NONE ? 0 : l.size();
  }

  static String hex8(long v) {
    String s = Long.toHexString(v);
    return s.length() >= 8 ? s : "00000000".substring(s.length()) + s;
  }

  private static String hex2(int v) {
    String s = Integer.toHexString(v);
    return s.length() >= 2 ? s : "0" + s;
  }

  /** The totals status, stat and statm show, in bytes. */
  record Totals(long size, long rss, long rssAnon, long rssFile, long data, long stack, long exe,
      long lib, long startCode, long endCode, long startData, long endData, long startStack) {}

  /** What a zombie has: nothing (its memory is gone). */
  private static final Totals NONE = new Totals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  static Totals totals(GuestProcess p) {
    if (!p.live()) {
      return NONE;
    }
    byte[] exe = p.exePath();
    long size = 0;
    long rss = 0;
    long rssAnon = 0;
    long rssFile = 0;
    long data = 0;
    long stack = 0;
    long exeBytes = 0;
    long lib = 0;
    long startCode = 0;
    long endCode = 0;
    long startData = 0;
    long endData = 0;
    long startStack = 0;
    for (Line l : lines(p)) {
      size += l.size();
      long r = resident(l);
      rss += r;
      boolean isExe = exe.length > 0 && Arrays.equals(l.name(), exe);
      if (l.isFile()) {
        rssFile += r;
      } else {
        rssAnon += r;
      }
      boolean writable = (l.prot() & GuestMemory.PROT_WRITE) != 0;
      boolean executable = (l.prot() & GuestMemory.PROT_EXEC) != 0;
      if (l.named("[stack]")) {
        stack += l.size();
        startStack = l.end();
      } else if (writable && !executable) {
        data += l.size();
      }
      if (executable && isExe) {
        exeBytes += l.size();
        startCode = startCode == 0 ? l.start() : startCode;
        endCode = l.end();
      } else if (executable && l.isFile()) {
        lib += l.size();
      }
      if (isExe && writable) {
        startData = startData == 0 ? l.start() : startData;
        endData = l.end();
      }
    }
    return new Totals(size, rss, rssAnon, rssFile, data, stack, exeBytes, lib, startCode,
        endCode, startData, endData, startStack);
  }
}
