package dev.blinkchroot.emulator.sse;

/**
 * RCPSS/RCPPS and RSQRTSS/RSQRTPS: approximations whose bits differ between processors; the SDM
 * promises only a relative error of at most 1.5 * 2^-12. Intel and AMD compute them with
 * lookup tables that are not documented. Here the exact value (computed in double) is rounded
 * to nearest with 12 fraction bits: the error is at most 2^-13, and the low 11 fraction bits
 * are zero as in the hardware's results, so code that refines the estimate by Newton-Raphson
 * behaves the same. Bit-exact agreement with a given CPU is not a goal.
 *
 * <p>No flags and no exceptions: MXCSR is ignored except that denormal inputs always read as
 * zero (giving infinity) and tiny results are always flushed to zero, as the SDM specifies.
 */
public final class SseFloatApprox {
  private SseFloatApprox() {}

  /** Approximate 1/a. */
  public static int reciprocal(int a) {
    int sign = a & 0x8000_0000;
    if (SseFloatCore.isNaN(a)) {
      return SseFloatCore.quiet(a);
    }
    if ((a & 0x7f80_0000) == 0) { // zero or denormal
      return sign | 0x7f80_0000;
    }
    if (SseFloatCore.isInf(a)) {
      return sign;
    }
    return sign | estimate(1.0 / Math.abs(Float.intBitsToFloat(a)));
  }

  /** Approximate 1/sqrt(a); negative nonzero inputs give the default NaN. */
  public static int reciprocalSqrt(int a) {
    int sign = a & 0x8000_0000;
    if (SseFloatCore.isNaN(a)) {
      return SseFloatCore.quiet(a);
    }
    if ((a & 0x7f80_0000) == 0) {
      return sign | 0x7f80_0000;
    }
    if (sign != 0) {
      return SseFloatCore.DEFAULT_NAN32;
    }
    if (SseFloatCore.isInf(a)) {
      return 0;
    }
    return estimate(1.0 / Math.sqrt(Float.intBitsToFloat(a)));
  }

  /** A positive double rounded to 12 fraction bits, as single bits; tiny results are zero. */
  private static int estimate(double v) {
    long bits = Double.doubleToRawLongBits(v);
    bits = (bits + (1L << 39)) & ~((1L << 40) - 1);
    double r = Double.longBitsToDouble(bits);
    if (r < 0x1p-126) {
      return 0;
    }
    return Float.floatToRawIntBits((float) r);
  }
}
