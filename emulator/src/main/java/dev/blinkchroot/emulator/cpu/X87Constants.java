package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.decode.Op;
import dev.blinkchroot.emulator.x87.F80;
import dev.blinkchroot.emulator.x87.X87State;

/**
 * The constants of FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2 and FLDZ. SDM Vol. 1 §8.3.8: the
 * processor keeps the irrational ones with more than 64 bits and rounds them to 64 bits with
 * RC (no PE, PC ignored). Each row holds the round-to-nearest significand and whether it lies
 * above the exact value; the directed modes then move one ulp. The significands and the
 * directions were computed from the exact values (log2 10, log2 e, π, log10 2, ln 2) with
 * 80-digit decimal arithmetic.
 */
final class X87Constants {
  private X87Constants() {}

  private record Constant(int signExp, long nearest, boolean nearestAboveExact) {
    F80 rounded(int rc) {
      long sig = nearest;
      if (nearestAboveExact && (rc == X87State.RC_DOWN || rc == X87State.RC_ZERO)) {
        sig--; // positive constants: toward zero and down are the same
      } else if (!nearestAboveExact && rc == X87State.RC_UP) {
        sig++;
      }
      return F80.of(signExp, sig);
    }
  }

  private static final Constant L2T = new Constant(0x4000, 0xd49a_784b_cd1b_8afeL, false);
  private static final Constant L2E = new Constant(0x3fff, 0xb8aa_3b29_5c17_f0bcL, true);
  private static final Constant PI = new Constant(0x4000, 0xc90f_daa2_2168_c235L, true);
  private static final Constant LG2 = new Constant(0x3ffd, 0x9a20_9a84_fbcf_f799L, true);
  private static final Constant LN2 = new Constant(0x3ffe, 0xb172_17f7_d1cf_79acL, true);

  /** The value {@code op} loads under rounding control {@code rc}. */
  static F80 of(Op op, int rc) {
    switch (op) {
      case FLD1: return F80.ONE;
      case FLDZ: return F80.POS_ZERO;
      case FLDL2T: return L2T.rounded(rc);
      case FLDL2E: return L2E.rounded(rc);
      case FLDPI: return PI.rounded(rc);
      case FLDLG2: return LG2.rounded(rc);
      case FLDLN2: return LN2.rounded(rc);
      default: throw new IllegalArgumentException(op.name());
    }
  }
}
