package dev.blinkchroot.emulator.x87;

import dev.blinkchroot.emulator.difftest.CpuReference;
import java.util.List;

/**
 * The Intel recording's x87 lines as {@link HostX87} cases and results, so that the
 * differential test can compare the library with the recorded CPU in place of the host when the
 * host is not of the emulated vendor. A register the recorder printed as empty ("-") becomes a
 * null result, which the comparison leaves out.
 */
final class X87Recording {
  private X87Recording() {}

  /** Appends every recorded line of operation {@code op} (e.g. "fsin") to the two lists. */
  static void load(String op, List<HostX87.Case> cases, List<HostX87.Result> results) {
    for (CpuReference.Line l : CpuReference.intel().section("x87-" + op)) {
      int f = 1;
      int cw = (int) l.hex(f++);
      F80 a = F80.parse(colon(l.field(f++)));
      boolean binary = !l.field(f).equals("->");
      F80 b = binary ? F80.parse(colon(l.field(f++))) : F80.ONE;
      f++; // "->"
      F80 r0 = value(l.field(f++));
      F80 r1 = value(l.field(f++));
      int sw = (int) l.hex(f);
      cases.add(new HostX87.Case(op, cw, a, b));
      results.add(new HostX87.Result(r0, r1, sw, 0));
    }
  }

  private static F80 value(String hex) {
    return hex.equals("-") ? null : F80.parse(colon(hex));
  }

  /** "3fff8000000000000000" as F80.parse spells it: "3fff:8000000000000000". */
  private static String colon(String hex) {
    return hex.substring(0, 4) + ":" + hex.substring(4);
  }
}
