package dev.blinkchroot.emulator.difftest;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the reference lines an emulator result matched, by part, and keeps the first few that
 * did not, so that one failure message shows how far off a whole section is.
 *
 * <pre>
 *   ReferenceTally t = new ReferenceTally("dpps");
 *   for (Line l : ref.section("dpps")) {
 *     t.check(l, expected, actual);
 *   }
 *   t.assertAllMatched();   // prints "dpps: 16000 lines, 16000 matched" either way
 * </pre>
 */
public final class ReferenceTally {
  private static final int EXAMPLES = 12;

  private final String name;
  private final Map<String, int[]> byPart = new LinkedHashMap<>();
  private final List<String> examples = new ArrayList<>();
  private int lines;
  private int mismatches;

  public ReferenceTally(String name) {
    this.name = name;
  }

  /** Records one line: a match when {@code expected.equals(actual)}. */
  public void check(CpuReference.Line line, String expected, String actual) {
    check(line, expected.equals(actual), "expected " + expected + ", emulator " + actual);
  }

  /** Records one line whose comparison the caller made; {@code detail} explains a mismatch. */
  public void check(CpuReference.Line line, boolean matched, String detail) {
    lines++;
    int[] counts = byPart.computeIfAbsent(line.part(), k -> new int[2]);
    counts[0]++;
    if (!matched) {
      counts[1]++;
      mismatches++;
      if (examples.size() < EXAMPLES) {
        examples.add(line + "\n    " + detail);
      }
    }
  }

  public int lines() {
    return lines;
  }

  public int mismatches() {
    return mismatches;
  }

  /** "dpps: 16000 lines, 15990 matched (part prng: 8000 lines, 7990 matched)". */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(name).append(": ").append(lines).append(" reference lines, ")
        .append(lines - mismatches).append(" matched");
    if (byPart.size() > 1 || mismatches > 0) {
      sb.append(" (");
      String sep = "";
      for (Map.Entry<String, int[]> e : byPart.entrySet()) {
        sb.append(sep).append(e.getKey().isEmpty() ? "all" : e.getKey()).append(' ')
            .append(e.getValue()[0] - e.getValue()[1]).append('/').append(e.getValue()[0]);
        sep = ", ";
      }
      sb.append(')');
    }
    return sb.toString();
  }

  /** Prints the summary and fails with the first mismatches if there were any, or no lines. */
  public void assertAllMatched() {
    System.out.println(summary());
    if (lines == 0) {
      fail(name + ": no reference lines were checked");
    }
    if (mismatches > 0) {
      fail(summary() + "\nfirst mismatches:\n" + String.join("\n", examples));
    }
  }
}
