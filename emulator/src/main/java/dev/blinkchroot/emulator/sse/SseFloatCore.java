package dev.blinkchroot.emulator.sse;

import java.math.BigInteger;

/**
 * The IEEE-754 machinery shared by every SSE floating-point operation: classifying bit
 * patterns, x86's NaN rules, DAZ, and the one rounding step that turns an exact (or exactly
 * bracketed) value into a single or double result under MXCSR's rounding control, FTZ and the
 * overflow/underflow/precision flags.
 *
 * <p>Values are bit patterns: a single in the low 32 bits of an int, a double in a long. The
 * rounding step takes a magnitude as {@code (m + sticky) * 2^e}: {@code m} an integer below
 * 2^62 and {@code sticky} true when the exact value is strictly above {@code m * 2^e} but below
 * {@code (m + 1) * 2^e}. Callers either have the exact value (then sticky is false) or keep
 * enough bits that this bracketing decides the rounding (two extra bits suffice).
 */
public final class SseFloatCore {
  private SseFloatCore() {}

  /** Format selectors for {@link #round}. */
  public static final int SINGLE = 0;
  public static final int DOUBLE = 1;

  /** The "QNaN floating-point indefinite" an invalid operation returns (SDM Vol. 1, 4.8.3.7). */
  public static final int DEFAULT_NAN32 = 0xffc0_0000;
  public static final long DEFAULT_NAN64 = 0xfff8_0000_0000_0000L;

  private static final int SIGN32 = 0x8000_0000;
  private static final long SIGN64 = 0x8000_0000_0000_0000L;

  // ---- classification --------------------------------------------------------------------------

  public static boolean isNaN(int a) {
    return (a & 0x7fff_ffff) > 0x7f80_0000;
  }

  public static boolean isNaN(long a) {
    return (a & ~SIGN64) > 0x7ff0_0000_0000_0000L;
  }

  /** A signalling NaN: a NaN whose most significant fraction bit is clear. */
  public static boolean isSNaN(int a) {
    return isNaN(a) && (a & 0x0040_0000) == 0;
  }

  public static boolean isSNaN(long a) {
    return isNaN(a) && (a & 0x0008_0000_0000_0000L) == 0;
  }

  public static boolean isInf(int a) {
    return (a & 0x7fff_ffff) == 0x7f80_0000;
  }

  public static boolean isInf(long a) {
    return (a & ~SIGN64) == 0x7ff0_0000_0000_0000L;
  }

  public static boolean isZero(int a) {
    return (a & 0x7fff_ffff) == 0;
  }

  public static boolean isZero(long a) {
    return (a & ~SIGN64) == 0;
  }

  public static boolean isDenormal(int a) {
    return (a & 0x7f80_0000) == 0 && (a & 0x007f_ffff) != 0;
  }

  public static boolean isDenormal(long a) {
    return (a & 0x7ff0_0000_0000_0000L) == 0 && (a & 0x000f_ffff_ffff_ffffL) != 0;
  }

  public static int quiet(int a) {
    return a | 0x0040_0000;
  }

  public static long quiet(long a) {
    return a | 0x0008_0000_0000_0000L;
  }

  /**
   * The NaN result of a two-operand operation with at least one NaN operand (SDM Vol. 1,
   * table 4-7, SSE column): the first source if it is a NaN, else the second, quieted; IE when
   * either is signalling.
   */
  public static int propagate(Mxcsr mx, int a, int b) {
    if (isSNaN(a) || isSNaN(b)) {
      mx.invalid();
    }
    return quiet(isNaN(a) ? a : b);
  }

  public static long propagate(Mxcsr mx, long a, long b) {
    if (isSNaN(a) || isSNaN(b)) {
      mx.invalid();
    }
    return quiet(isNaN(a) ? a : b);
  }

  /**
   * An arithmetic operand as the operation sees it: with DAZ a denormal becomes a zero of its
   * sign and raises nothing; without, it raises DE (the caller only asks once NaNs, invalid
   * operations and division by zero, which take priority, are ruled out).
   */
  public static int operand(Mxcsr mx, int a) {
    if (isDenormal(a)) {
      if (mx.daz()) {
        return a & SIGN32;
      }
      mx.denormal();
    }
    return a;
  }

  public static long operand(Mxcsr mx, long a) {
    if (isDenormal(a)) {
      if (mx.daz()) {
        return a & SIGN64;
      }
      mx.denormal();
    }
    return a;
  }

  /** DAZ alone, for the checks that come before DE may be raised. */
  public static int daz(Mxcsr mx, int a) {
    return mx.daz() && isDenormal(a) ? a & SIGN32 : a;
  }

  public static long daz(Mxcsr mx, long a) {
    return mx.daz() && isDenormal(a) ? a & SIGN64 : a;
  }

  /** The zero an exact zero sum gets: +0, except -0 when rounding down (IEEE 754, 6.3). */
  public static boolean zeroSumNegative(Mxcsr mx) {
    return mx.rounding() == Mxcsr.RD;
  }

  // ---- rounding --------------------------------------------------------------------------------

  private static int precision(int fmt) {
    return fmt == SINGLE ? 24 : 53;
  }

  private static int emin(int fmt) {
    return fmt == SINGLE ? -126 : -1022;
  }

  private static int emax(int fmt) {
    return fmt == SINGLE ? 127 : 1023;
  }

  private static long signBit(int fmt, boolean neg) {
    return !neg ? 0 : fmt == SINGLE ? 0x8000_0000L : SIGN64;
  }

  /** The largest finite value's bits (without sign). */
  private static long maxFinite(int fmt) {
    return fmt == SINGLE ? 0x7f7f_ffffL : 0x7fef_ffff_ffff_ffffL;
  }

  private static long infinity(int fmt) {
    return fmt == SINGLE ? 0x7f80_0000L : 0x7ff0_0000_0000_0000L;
  }

  /**
   * {@code m >> shift} rounded in {@code mode} for a value of sign {@code neg}, where {@code
   * sticky} stands for a nonzero fraction below all of m's bits. {@code m < 2^62}.
   */
  static long shiftRound(long m, int shift, boolean sticky, int mode, boolean neg) {
    long q;
    boolean half;
    boolean rest;
    if (shift <= 0) {
      q = m << -shift;
      half = false;
      rest = sticky;
    } else {
      int s = Math.min(shift, 63);
      q = m >>> s;
      half = (m >>> (s - 1) & 1) != 0;
      rest = sticky || (m & ((1L << (s - 1)) - 1)) != 0;
    }
    boolean up;
    switch (mode) {
      case Mxcsr.RN: up = half && (rest || (q & 1) != 0); break;
      case Mxcsr.RD: up = neg && (half || rest); break;
      case Mxcsr.RU: up = !neg && (half || rest); break;
      default: up = false;
    }
    return up ? q + 1 : q;
  }

  /** True when {@code m >> shift} drops a nonzero bit (or sticky says the value has one). */
  static boolean loses(long m, int shift, boolean sticky) {
    if (sticky) {
      return true;
    }
    if (shift <= 0) {
      return false;
    }
    return shift >= 64 ? m != 0 : (m & ((1L << shift) - 1)) != 0;
  }

  /**
   * Rounds {@code ±(m + sticky) * 2^e} (m > 0, m < 2^62) to {@code fmt}, raising OE, UE and PE
   * as SSE does: tininess is detected after rounding (with an unbounded exponent), UE is raised
   * for a tiny result only when it is also inexact unless the underflow exception is unmasked,
   * FTZ turns a tiny result into a zero (UE and PE) when underflow is masked (SDM Vol. 1,
   * 4.9.1.4-4.9.1.6, 10.2.3.3). When the overflow or underflow exception is unmasked the result
   * is never stored, so it is meaningless; PE is then raised only when the significand had to
   * be rounded at full precision (the result IEEE hands a trap handler), as the host CPU does.
   */
  public static long round(Mxcsr mx, int fmt, boolean neg, long m, int e, boolean sticky) {
    int p = precision(fmt);
    int mode = mx.rounding();
    int n = 64 - Long.numberOfLeadingZeros(m);
    int shift = n - p;
    long q = shiftRound(m, shift, sticky, mode, neg);
    boolean inexact = loses(m, shift, sticky);
    int exp = n - 1 + e;
    if (q == 1L << p) {
      q >>>= 1;
      exp++;
    }
    long sign = signBit(fmt, neg);
    if (exp > emax(fmt)) {
      if (!mx.masked(Mxcsr.OE)) {
        // Trapped: PE only if the significand itself was rounded (IEEE's scaled result).
        mx.post(Mxcsr.OE | (inexact ? Mxcsr.PE : 0));
        return sign | infinity(fmt);
      }
      mx.post(Mxcsr.OE | Mxcsr.PE);
      boolean toInfinity = mode == Mxcsr.RN || (mode == Mxcsr.RU && !neg)
          || (mode == Mxcsr.RD && neg);
      return sign | (toInfinity ? infinity(fmt) : maxFinite(fmt));
    }
    if (exp < emin(fmt)) {
      if (!mx.masked(Mxcsr.UE)) { // trapped: as for overflow
        mx.post(Mxcsr.UE | (inexact ? Mxcsr.PE : 0));
        return sign;
      }
      if (mx.ftz()) {
        mx.post(Mxcsr.UE | Mxcsr.PE);
        return sign;
      }
      // The denormal's last place is 2^(emin - p + 1).
      int dshift = emin(fmt) - p + 1 - e;
      long d = shiftRound(m, dshift, sticky, mode, neg);
      if (loses(m, dshift, sticky)) {
        mx.post(Mxcsr.UE | Mxcsr.PE);
      }
      return sign | d; // d == 2^(p-1) encodes the smallest normal, as it should
    }
    if (inexact) {
      mx.post(Mxcsr.PE);
    }
    long biased = exp + (fmt == SINGLE ? 127 : 1023);
    return sign | biased << (p - 1) | (q & ((1L << (p - 1)) - 1));
  }

  /**
   * Rounds to {@code fmt} a value known as a double {@code d} (finite, nonzero) plus an error
   * of sign {@code errSign} smaller than half of d's last place: the exact value lies strictly
   * between d and its neighbour on that side, which decides every rounding to a format no wider
   * than double.
   */
  public static long roundDouble(Mxcsr mx, int fmt, double d, int errSign) {
    long bits = Double.doubleToRawLongBits(d);
    boolean neg = bits < 0;
    int biased = (int) (bits >>> 52 & 0x7ff);
    long m = bits & 0x000f_ffff_ffff_ffffL;
    int e = -1074;
    if (biased != 0) {
      m |= 1L << 52;
      e = biased - 1075;
    }
    int toward = neg ? -errSign : errSign; // the error's sign relative to the magnitude
    if (toward > 0) {
      return round(mx, fmt, neg, m, e, true);
    }
    if (toward < 0) {
      return round(mx, fmt, neg, 2 * m - 1, e - 1, true);
    }
    return round(mx, fmt, neg, m, e, false);
  }

  /** Rounds an exact magnitude held in a BigInteger (slow paths: operands far apart in scale). */
  static long roundBig(Mxcsr mx, int fmt, boolean neg, BigInteger m, int e, boolean sticky) {
    int n = m.bitLength();
    if (n > 62) {
      int s = n - 62;
      sticky |= m.getLowestSetBit() < s;
      m = m.shiftRight(s);
      e += s;
    }
    return round(mx, fmt, neg, m.longValueExact(), e, sticky);
  }

  /** The significand of a finite nonzero double as an integer (its exponent: {@link #exponent}). */
  static long significand(long bits) {
    long f = bits & 0x000f_ffff_ffff_ffffL;
    return (bits & 0x7ff0_0000_0000_0000L) == 0 ? f : f | 1L << 52;
  }

  /** The power of two of {@link #significand}'s last bit. */
  static int exponent(long bits) {
    int biased = (int) (bits >>> 52 & 0x7ff);
    return biased == 0 ? -1074 : biased - 1075;
  }

  /** The sign of the rounding error of {@code s = x + y} (Knuth's two-sum; s must be finite). */
  static int addError(double x, double y, double s) {
    double bv = s - x;
    double err = (x - (s - bv)) + (y - bv);
    return err > 0 ? 1 : err < 0 ? -1 : 0;
  }

  /** The sign of {@code x * y - p}, exact when p is comfortably normal. */
  static int mulError(double x, double y, double p) {
    double err = Math.fma(x, y, -p);
    return err > 0 ? 1 : err < 0 ? -1 : 0;
  }

  /** The sign of {@code x / y - q}: the remainder x - q*y, exact in range, signed by y. */
  static int divError(double x, double y, double q) {
    double rem = Math.fma(-q, y, x);
    int s = rem > 0 ? 1 : rem < 0 ? -1 : 0;
    return y < 0 ? -s : s;
  }

  /** The sign of {@code sqrt(x) - r}: the sign of x - r*r. */
  static int sqrtError(double x, double r) {
    double rem = Math.fma(-r, r, x);
    return rem > 0 ? 1 : rem < 0 ? -1 : 0;
  }
}
