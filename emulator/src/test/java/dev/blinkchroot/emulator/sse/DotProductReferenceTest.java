package dev.blinkchroot.emulator.sse;

import dev.blinkchroot.emulator.difftest.CpuReference;
import dev.blinkchroot.emulator.difftest.ReferenceTally;
import org.junit.jupiter.api.Test;

/**
 * DPPS and DPPD against the Intel recording (sections {@code dpps} and {@code dppd}): the sum's
 * intermediate rounding, which NaN comes out, and the MXCSR flags, bit for bit, for every
 * special-value pair under every imm8, every pair under DAZ|FTZ, and random lanes in all four
 * rounding modes. Each line is {@code IMM MXCSR_IN A B -> OUT MXCSR_OUT}, A the destination.
 */
class DotProductReferenceTest {
  @Test
  void dpps_matchesTheIntelRecording() {
    check("dpps", true);
  }

  @Test
  void dppd_matchesTheIntelRecording() {
    check("dppd", false);
  }

  private static void check(String section, boolean singles) {
    ReferenceTally tally = new ReferenceTally(section);
    for (CpuReference.Line l : CpuReference.intel().section(section)) {
      int imm = (int) l.hex(1);
      Mxcsr mx = Mxcsr.of((int) l.hex(2));
      long[] a = CpuReference.xmm(l.field(3));
      long[] b = CpuReference.xmm(l.field(4));
      long[] r = singles ? SseFloatPacked.dotPs(mx, imm, a, b)
          : SseFloatPacked.dotPd(mx, imm, a, b);
      String actual = String.format("%016x%016x %08x", r[1], r[0], mx.result());
      tally.check(l, l.field(6) + " " + l.field(7), actual);
    }
    tally.assertAllMatched();
  }
}
