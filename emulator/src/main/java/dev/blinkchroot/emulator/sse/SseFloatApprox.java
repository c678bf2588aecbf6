package dev.blinkchroot.emulator.sse;

/**
 * RCPSS/RCPPS and RSQRTSS/RSQRTPS, bit for bit as the emulated Intel model computes them. The
 * SDM promises only a relative error of at most 1.5 * 2^-12 and documents no tables; these are
 * the tables the recorded CPU's results fit exactly (all 2^32 inputs, checked against the
 * recording's whole-input-space hashes):
 *
 * <ul>
 *   <li>RCP: the top 11 fraction bits of the input select one of 2048 intervals of [1, 2); the
 *       result's 12 fraction bits are 1 / (the interval's midpoint), rounded to nearest, with
 *       exponent 253 - e (so 1.0 gives 0x3f7ff000, just under 1). A result whose exponent
 *       would be 0 or less is a signed zero.
 *   <li>RSQRT: the exponent's parity and the top 10 fraction bits select one of 2 * 1024
 *       intervals of [1, 4); the result's 12 fraction bits are 1 / sqrt(midpoint), rounded to
 *       nearest.
 * </ul>
 *
 * <p>No flags and no exceptions, and MXCSR is ignored (the recording shows DAZ, FTZ and every
 * rounding mode change nothing): denormal inputs always read as zero (giving a signed infinity),
 * NaNs are quieted, RSQRT of a negative nonzero number is the default NaN.
 */
public final class SseFloatApprox {
  private SseFloatApprox() {}

  /** RCP fraction bits (12, in bits 22..11 of the result) per top-11-bit input interval. */
  private static final int[] RCP = new int[2048];
  /** RSQRT fraction bits per [odd exponent: 0 | even: 1024] + top-10-bit interval. */
  private static final int[] RSQRT = new int[2048];

  static {
    for (int c = 0; c < 2048; c++) {
      // 1 / (1 + (c + 1/2) / 2048) = 2^12 / (4097 + 2c), as a 13-bit fixed-point value.
      RCP[c] = (int) Math.round(0x1p25 / (4097 + 2 * c)) - 4096;
    }
    for (int c = 0; c < 1024; c++) {
      double mid = 1 + (c + 0.5) / 1024;
      RSQRT[c] = (int) Math.round(8192 / Math.sqrt(mid)) - 4096; // odd exponent: [1, 2)
      RSQRT[1024 + c] = (int) Math.round(8192 / Math.sqrt(2 * mid)) - 4096; // even: [2, 4)
    }
  }

  /** Approximate 1/a. */
  public static int reciprocal(int a) {
    int sign = a & 0x8000_0000;
    int e = a >>> 23 & 0xff;
    if (e == 0xff) {
      return (a & 0x7f_ffff) != 0 ? SseFloatCore.quiet(a) : sign;
    }
    if (e == 0) { // zero or denormal
      return sign | 0x7f80_0000;
    }
    int re = 253 - e;
    if (re <= 0) {
      return sign;
    }
    return sign | re << 23 | RCP[(a & 0x7f_ffff) >>> 12] << 11;
  }

  /** Approximate 1/sqrt(a); negative nonzero inputs give the default NaN. */
  public static int reciprocalSqrt(int a) {
    int sign = a & 0x8000_0000;
    int e = a >>> 23 & 0xff;
    if (e == 0xff) {
      if ((a & 0x7f_ffff) != 0) {
        return SseFloatCore.quiet(a);
      }
      return sign != 0 ? SseFloatCore.DEFAULT_NAN32 : 0;
    }
    if (e == 0) {
      return sign | 0x7f80_0000;
    }
    if (sign != 0) {
      return SseFloatCore.DEFAULT_NAN32;
    }
    int odd = e & 1;
    int re = (380 - odd - e) / 2; // 1/sqrt of 2^(e-127) * [1, 2) or [2, 4) lies in (1/2, 1]
    return re << 23 | RSQRT[(odd ^ 1) << 10 | (a & 0x7f_ffff) >>> 13] << 11;
  }
}
