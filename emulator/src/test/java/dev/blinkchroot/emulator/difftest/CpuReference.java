package dev.blinkchroot.emulator.difftest;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results recorded on a real Intel CPU in {@code ../shared/cpu-reference/} (format in that
 * directory's README): the truth for the instructions whose results the architecture leaves to
 * the implementation, on any host. The file is read where it lies, never copied into the
 * repository: {@code $BLINK_CHROOT_CPU_REFERENCE}, else
 * {@code ${blinkchroot.shared}/cpu-reference/intel-xeon-emerald-rapids-06-cf-2.txt}. A missing
 * file fails the test that needs it; nothing skips.
 *
 * <pre>
 *   for (CpuReference.Line l : CpuReference.intel().section("dpps")) {
 *     l.part();      // "specials-by-imm"
 *     l.field(1);    // "00001f80"
 *   }
 * </pre>
 */
public final class CpuReference {
  public static final String FILE_NAME = "intel-xeon-emerald-rapids-06-cf-2.txt";

  /** One data line: its section, the part it is in (or ""), and its space-separated fields. */
  public record Line(String section, String part, int lineNumber, String[] fields) {
    public String field(int i) {
      return fields[i];
    }

    public long hex(int i) {
      return Long.parseUnsignedLong(fields[i], 16);
    }

    public String text() {
      return String.join(" ", fields);
    }

    @Override
    public String toString() {
      return FILE_NAME + ":" + lineNumber + ": " + text();
    }
  }

  private static CpuReference intel;

  private final Path file;
  private final Map<String, List<Line>> sections;
  private final List<String> cpuFacts;

  private CpuReference(Path file, Map<String, List<Line>> sections, List<String> cpuFacts) {
    this.file = file;
    this.sections = sections;
    this.cpuFacts = cpuFacts;
  }

  /** The Intel Xeon (family 6 model 0xcf) recording, read once per JVM. */
  public static synchronized CpuReference intel() {
    if (intel == null) {
      intel = read(locate());
    }
    return intel;
  }

  private static Path locate() {
    String env = System.getenv("BLINK_CHROOT_CPU_REFERENCE");
    Path p;
    if (env != null && !env.isEmpty()) {
      p = Path.of(env);
    } else {
      String shared = System.getProperty("blinkchroot.shared");
      if (shared == null) {
        return fail("set BLINK_CHROOT_CPU_REFERENCE or the system property blinkchroot.shared"
            + " to find " + FILE_NAME);
      }
      p = Path.of(shared, "cpu-reference", FILE_NAME);
    }
    if (!Files.isReadable(p)) {
      return fail("the CPU reference file is missing at " + p + " (../shared/cpu-reference/"
          + " beside the repository, or set BLINK_CHROOT_CPU_REFERENCE)");
    }
    return p;
  }

  static CpuReference read(Path file) {
    Map<String, List<Line>> sections = new LinkedHashMap<>();
    List<String> facts = new ArrayList<>();
    String section = "";
    String part = "";
    boolean ended = false;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
      String s;
      int n = 0;
      while ((s = r.readLine()) != null) {
        n++;
        if (s.startsWith("# section ")) {
          section = s.substring(10).trim();
          part = "";
          sections.computeIfAbsent(section, k -> new ArrayList<>());
        } else if (s.startsWith("# part ")) {
          String rest = s.substring(7).trim();
          int colon = rest.indexOf(':');
          part = (colon < 0 ? rest : rest.substring(0, colon)).split(" ")[0];
        } else if (s.startsWith("# cpu ")) {
          facts.add(s.substring(6));
        } else if (s.equals("# end")) {
          ended = true;
        } else if (!s.startsWith("#") && !s.isBlank()) {
          sections.computeIfAbsent(section, k -> new ArrayList<>())
              .add(new Line(section, part, n, s.trim().split(" ")));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!ended) {
      fail(file + " is truncated: it has no '# end' line");
    }
    return new CpuReference(file, sections, facts);
  }

  /** The data lines of a section, in file order; fails when the section is absent or empty. */
  public List<Line> section(String name) {
    List<Line> lines = sections.get(name);
    if (lines == null || lines.isEmpty()) {
      return fail(file + " has no data in section " + name);
    }
    return lines;
  }

  /** The "# cpu ..." lines: what was recorded on. */
  public List<String> cpuFacts() {
    return cpuFacts;
  }

  public Path file() {
    return file;
  }

  /** Parses a 128-bit register written most significant digit first: {low, high}. */
  public static long[] xmm(String hex32) {
    return new long[] {Long.parseUnsignedLong(hex32.substring(16), 16),
        Long.parseUnsignedLong(hex32.substring(0, 16), 16)};
  }

  /** A byte string in memory order. */
  public static byte[] bytes(String hex) {
    byte[] b = new byte[hex.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
    }
    return b;
  }

  /** The inverse of {@link #bytes}. */
  public static String hex(byte[] b, int off, int len) {
    StringBuilder sb = new StringBuilder(2 * len);
    for (int i = 0; i < len; i++) {
      sb.append(String.format("%02x", b[off + i] & 0xff));
    }
    return sb.toString();
  }
}
