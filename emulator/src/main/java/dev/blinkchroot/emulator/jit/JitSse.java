package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.cpu.Flags;
import dev.blinkchroot.emulator.sse.Mxcsr;
import dev.blinkchroot.emulator.sse.SseIntPermute;

/**
 * Fast paths for SSE instructions in compiled code, each valid only where it gives exactly what
 * the executor gives, and otherwise answering "not here" so the executor runs.
 *
 * <p>Scalar double arithmetic: under MXCSR's usual setting (every exception masked, round to
 * nearest, no DAZ/FTZ) with the precision flag already set (which happens at the first inexact
 * result and stays: it is sticky), an operation on normal operands (or zeros) with a normal,
 * finite result (or an exact zero) raises nothing new, and its result is the JVM's, which is
 * IEEE round-to-nearest too. Anything else (a NaN, an infinity, a denormal, a result near the
 * underflow or overflow threshold, another rounding mode, a flag to raise) goes to the executor.
 */
final class JitSse {
  /** Returned when the fast path does not apply: a NaN no fast path ever produces. */
  static final long SLOW = 0x7ff4_5f5f_5f5f_5f5fL;

  private static final long EXPONENT = 0x7ff0_0000_0000_0000L;

  private JitSse() {}

  /**
   * Whether MXCSR is in the fast paths' setting: all exceptions masked, RC = nearest, DAZ and FTZ
   * clear, PE already set (the other flags may be anything).
   */
  static boolean fastMxcsr(int mxcsr) {
    return (mxcsr & 0xffe0) == (Mxcsr.DEFAULT | Mxcsr.PE);
  }

  /** A normal number or a zero (no NaN, infinity or denormal). */
  static boolean normalOrZero(long bits) {
    long e = bits & EXPONENT;
    return e != EXPONENT && (e != 0 || (bits << 1) == 0);
  }

  /** A result that raised nothing but PE: finite, and normal by a margin, or an exact zero. */
  private static boolean safeResult(long r) {
    long e = (r & EXPONENT) >>> 52;
    return e >= 2 && e != 0x7ff;
  }

  /** ADDSD/SUBSD/MULSD/DIVSD ({@code op}: SseFloatArith's ADD SUB MUL DIV), or {@link #SLOW}. */
  static long binary(int mxcsr, int op, long a, long b) {
    if (!fastMxcsr(mxcsr) || !normalOrZero(a) || !normalOrZero(b)) {
      return SLOW;
    }
    double x = Double.longBitsToDouble(a);
    double y = Double.longBitsToDouble(b);
    double r;
    switch (op) {
      case 0: r = x + y; break;
      case 1: r = x - y; break;
      case 2: r = x * y; break;
      default:
        if (y == 0) {
          return SLOW; // divide by zero, or 0/0
        }
        r = x / y;
    }
    long bits = Double.doubleToRawLongBits(r);
    if (safeResult(bits)) {
      return bits;
    }
    if (r == 0) {
      // exact for a sum (two normals cancel exactly); a product or quotient is zero without
      // underflow only when an operand is
      boolean exact = op < 2 || (op == 2 ? x == 0 || y == 0 : x == 0);
      return exact ? bits : SLOW;
    }
    return SLOW;
  }

  /** SQRTSD, or {@link #SLOW}. */
  static long sqrt(int mxcsr, long a) {
    if (!fastMxcsr(mxcsr) || !normalOrZero(a) || (a < 0 && (a << 1) != 0)) {
      return SLOW;
    }
    return Double.doubleToRawLongBits(Math.sqrt(Double.longBitsToDouble(a)));
  }

  /**
   * UCOMISD/COMISD: the new materialised RFLAGS word (ZF, PF, CF from the comparison; OF, SF,
   * AF clear; other bits from {@code materialised}), or {@link #SLOW} for a NaN or denormal
   * operand or another MXCSR setting. Infinities compare without raising anything.
   */
  static long compare(int mxcsr, long a, long b, long rflags) {
    if ((mxcsr & 0xffc0) != Mxcsr.DEFAULT || notOrdinary(a) || notOrdinary(b)) {
      return SLOW;
    }
    double x = Double.longBitsToDouble(a);
    double y = Double.longBitsToDouble(b);
    long status = x == y ? Flags.ZF : x < y ? Flags.CF : 0;
    return (rflags & ~Flags.STATUS) | status | Flags.RESERVED_ONE;
  }

  /** A NaN or a denormal. */
  private static boolean notOrdinary(long bits) {
    long e = bits & EXPONENT;
    return e == EXPONENT ? (bits & 0x000f_ffff_ffff_ffffL) != 0 : e == 0 && (bits << 1) != 0;
  }

  /**
   * CVTSI2SD of a value that converts exactly (|v| at most 2^53): its double's bits, or {@link
   * #SLOW}. An exact conversion raises nothing in any mode.
   */
  static long fromInt(long v) {
    if (v < -(1L << 53) || v > 1L << 53) {
      return SLOW;
    }
    return Double.doubleToRawLongBits((double) v);
  }

  /**
   * CVTTSD2SI (truncating) and CVTSD2SI (rounding to nearest) into {@code size} bytes, when the
   * value fits and PE is already set; else {@code fallback} tells the caller to use the
   * executor (the returned long is then meaningless).
   */
  static boolean convertibleToInt(int mxcsr, long a, int size) {
    if (!fastMxcsr(mxcsr) || !normalOrZero(a)) {
      return false;
    }
    double x = Math.abs(Double.longBitsToDouble(a));
    return size == 4 ? x < 0x1p31 - 1 : x < 0x1p63;
  }

  static long toInt(long a, boolean truncate) {
    double x = Double.longBitsToDouble(a);
    return (long) (truncate ? x : Math.rint(x));
  }

  /** PSRLDQ/PSLLDQ: half {@code half} of the 128-bit value shifted by {@code count} bytes. */
  static long shiftBytes(long lo, long hi, long count, boolean left, int half) {
    long[] out = new long[2];
    if (left) {
      SseIntPermute.shiftLeftBytes(lo, hi, count, out, 0);
    } else {
      SseIntPermute.shiftRightBytes(lo, hi, count, out, 0);
    }
    return out[half];
  }

  /** PSHUFD: half {@code half} of the shuffled source. */
  static long shuffleDwords(long lo, long hi, int imm, int half) {
    long[] out = new long[2];
    SseIntPermute.shuffleDwords(lo, hi, imm, out, 0);
    return out[half];
  }
}
