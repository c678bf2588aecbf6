package dev.blinkchroot.emulator.sse;

import static dev.blinkchroot.emulator.sse.SseFloatCore.DOUBLE;
import static dev.blinkchroot.emulator.sse.SseFloatCore.SINGLE;
import static dev.blinkchroot.emulator.sse.SseFloatCore.isInf;
import static dev.blinkchroot.emulator.sse.SseFloatCore.isNaN;
import static dev.blinkchroot.emulator.sse.SseFloatCore.isSNaN;
import static dev.blinkchroot.emulator.sse.SseFloatCore.isZero;

/**
 * The CVT* conversions of one element and ROUNDSS/ROUNDSD's round-to-integral (SDM CVTSS2SI,
 * CVTSI2SS, CVTSS2SD, CVTSD2SS, ROUNDSS and their packed forms).
 *
 * <p>To an integer: rounded with MXCSR.RC (CVT*) or toward zero (CVTT*: the caller sets RZ);
 * a NaN or a result outside the integer's range gives the "integer indefinite" (the most
 * negative value) and IE, an inexact one PE. These conversions raise no DE; with DAZ a
 * denormal source converts as zero.
 */
public final class SseFloatConvert {
  private SseFloatConvert() {}

  /** The "integer indefinite" of 32- and 64-bit conversions. */
  public static final int INDEFINITE32 = 0x8000_0000;
  public static final long INDEFINITE64 = 0x8000_0000_0000_0000L;

  /** A single to a 32-bit integer. */
  public static int toInt32(Mxcsr mx, int a) {
    return (int) toInteger(mx, isNaN(a), Float.intBitsToFloat(SseFloatCore.daz(mx, a)), 32);
  }

  /** A single to a 64-bit integer. */
  public static long toInt64(Mxcsr mx, int a) {
    return toInteger(mx, isNaN(a), Float.intBitsToFloat(SseFloatCore.daz(mx, a)), 64);
  }

  public static int toInt32(Mxcsr mx, long a) {
    return (int) toInteger(mx, isNaN(a), Double.longBitsToDouble(SseFloatCore.daz(mx, a)), 32);
  }

  public static long toInt64(Mxcsr mx, long a) {
    return toInteger(mx, isNaN(a), Double.longBitsToDouble(SseFloatCore.daz(mx, a)), 64);
  }

  private static long toInteger(Mxcsr mx, boolean nan, double x, int width) {
    double r = nan ? 0 : integral(x, mx.rounding());
    double limit = width == 32 ? 0x1p31 : 0x1p63;
    if (nan || !(r >= -limit && r < limit)) {
      mx.invalid();
      return width == 32 ? INDEFINITE32 : INDEFINITE64;
    }
    if (r != x) {
      mx.post(Mxcsr.PE);
    }
    return (long) r;
  }

  /** {@code x} rounded to an integral value in {@code mode}; exact in Java (no double rounding). */
  static double integral(double x, int mode) {
    switch (mode) {
      case Mxcsr.RN: return Math.rint(x);
      case Mxcsr.RD: return Math.floor(x);
      case Mxcsr.RU: return Math.ceil(x);
      default: return x < 0 ? Math.ceil(x) : Math.floor(x);
    }
  }

  /** A signed integer to a single (CVTSI2SS, CVTDQ2PS, CVTPI2PS), rounded with MXCSR.RC. */
  public static int fromInt64ToSingle(Mxcsr mx, long v) {
    return (int) fromInteger(mx, SINGLE, v);
  }

  /** A signed integer to a double (CVTSI2SD; exact for 32-bit integers). */
  public static long fromInt64ToDouble(Mxcsr mx, long v) {
    return fromInteger(mx, DOUBLE, v);
  }

  private static long fromInteger(Mxcsr mx, int fmt, long v) {
    if (v == 0) {
      return 0;
    }
    boolean neg = v < 0;
    long m = neg ? -v : v; // Long.MIN_VALUE stays 2^63 read unsigned
    int e = 0;
    boolean sticky = false;
    if (m >>> 62 != 0) { // round() wants m < 2^62: keep the two dropped bits as sticky
      sticky = (m & 3) != 0;
      m >>>= 2;
      e = 2;
    }
    return SseFloatCore.round(mx, fmt, neg, m, e, sticky);
  }

  /** CVTSS2SD: exact; an SNaN is quieted with IE, a denormal raises DE (or is zero with DAZ). */
  public static long singleToDouble(Mxcsr mx, int a) {
    long sign = (long) (a & 0x8000_0000) << 32;
    if (isNaN(a)) {
      if (isSNaN(a)) {
        mx.invalid();
      }
      return sign | 0x7ff8_0000_0000_0000L | (long) (a & 0x003f_ffff) << 29;
    }
    int x = SseFloatCore.operand(mx, a);
    if (isZero(x)) {
      return sign;
    }
    return Double.doubleToRawLongBits(Float.intBitsToFloat(x)); // exact, infinities included
  }

  /**
   * CVTSD2SS: rounded with MXCSR.RC (OE, UE, PE as for arithmetic); a NaN keeps the top of its
   * payload and is quieted (IE for an SNaN).
   */
  public static int doubleToSingle(Mxcsr mx, long a) {
    int sign = (int) (a >>> 32) & 0x8000_0000;
    if (isNaN(a)) {
      if (isSNaN(a)) {
        mx.invalid();
      }
      return sign | 0x7fc0_0000 | (int) (a >>> 29 & 0x003f_ffff);
    }
    if (isInf(a)) {
      return sign | 0x7f80_0000;
    }
    long x = SseFloatCore.operand(mx, a);
    if (isZero(x)) {
      return sign;
    }
    return (int) SseFloatCore.round(mx, SINGLE, a < 0, SseFloatCore.significand(x),
        SseFloatCore.exponent(x), false);
  }

  /**
   * ROUNDSS (SDM): {@code imm8[1:0]} is the rounding mode unless {@code imm8[2]} selects
   * MXCSR.RC; {@code imm8[3]} suppresses the precision exception. Only an SNaN raises IE.
   */
  public static int roundSingle(Mxcsr mx, int imm8, int a) {
    if (isNaN(a)) {
      return SseFloatCore.propagate(mx, a, a);
    }
    int x = SseFloatCore.daz(mx, a);
    if (isZero(x) || isInf(x)) {
      return x;
    }
    double d = Float.intBitsToFloat(x);
    double r = integral(d, roundingOf(mx, imm8));
    inexact(mx, imm8, r != d);
    return Float.floatToRawIntBits((float) r); // an integral single is exact
  }

  public static long roundDouble(Mxcsr mx, int imm8, long a) {
    if (isNaN(a)) {
      return SseFloatCore.propagate(mx, a, a);
    }
    long x = SseFloatCore.daz(mx, a);
    if (isZero(x) || isInf(x)) {
      return x;
    }
    double d = Double.longBitsToDouble(x);
    double r = integral(d, roundingOf(mx, imm8));
    inexact(mx, imm8, r != d);
    return Double.doubleToRawLongBits(r);
  }

  private static int roundingOf(Mxcsr mx, int imm8) {
    return (imm8 & 4) != 0 ? mx.rounding() : imm8 & 3;
  }

  private static void inexact(Mxcsr mx, int imm8, boolean inexact) {
    if (inexact && (imm8 & 8) == 0) {
      mx.post(Mxcsr.PE);
    }
  }
}
