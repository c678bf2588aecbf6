package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.cpu.Flags;
import dev.blinkchroot.emulator.sse.Mxcsr;
import dev.blinkchroot.emulator.sse.SseIntPermute;

/**
 * Fast paths for SSE instructions in compiled code, each valid only where it gives exactly what
 * the executor gives, and otherwise answering "not here" so the executor runs.
 *
 * <p>Scalar double arithmetic: under MXCSR's usual setting (every exception masked, round to
 * nearest, no DAZ/FTZ), an operation on normal operands (or zeros) with a normal, finite result
 * (or an exact zero) raises at most the precision flag, and its result is the JVM's, which is
 * IEEE round-to-nearest too. When PE is already set (it is sticky) that is all; when it is clear,
 * an inexact result must set it, which the executor does. Anything else (a NaN, an infinity, a
 * denormal, a result near the underflow or overflow threshold, another rounding mode, a flag to
 * raise) goes to the executor.
 */
final class JitSse {
  /** Returned when the fast path does not apply: a NaN no fast path ever produces. */
  static final long SLOW = 0x7ff4_5f5f_5f5f_5f5fL;

  private static final long EXPONENT = 0x7ff0_0000_0000_0000L;

  private JitSse() {}

  /**
   * Whether MXCSR is in the fast paths' setting: all exceptions masked, RC = nearest, DAZ and FTZ
   * clear (the flags may be anything).
   */
  static boolean fastMxcsr(int mxcsr) {
    return (mxcsr & 0xffc0) == Mxcsr.DEFAULT;
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

  /**
   * ADDSD/SUBSD/MULSD/DIVSD ({@code op}: SseFloatArith's ADD SUB MUL DIV), or {@link #SLOW}.
   * {@code checkA}/{@code checkB} false: the compiler knows that operand came out of a fast path
   * (so it is normal or zero). With PE clear, an inexact result goes to the executor, which sets
   * PE; with PE set, exactness does not matter.
   */
  static long binary(int mxcsr, int op, long a, long b, boolean checkA, boolean checkB) {
    if (!fastMxcsr(mxcsr) || checkA && !normalOrZero(a) || checkB && !normalOrZero(b)) {
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
    if (!safeResult(bits)) {
      // an exact zero only: a sum of two normals that cancel, a product or quotient of zero
      boolean exactZero = r == 0 && (op < 2 || (op == 2 ? x == 0 || y == 0 : x == 0));
      if (!exactZero) {
        return SLOW;
      }
    }
    if ((mxcsr & Mxcsr.PE) == 0 && inexact(op, x, y, r)) {
      return SLOW;
    }
    return bits;
  }

  /**
   * Whether {@code r}, the rounded result of {@code x op y}, differs from the exact result; also
   * true (so the executor decides) where the error term could underflow and hide an inexact
   * result. The two-sum's error is always exact for normal operands; FMA residuals are exact
   * when the operands and result stay above 2^-900 (and a quotient below 2^1000), as in the
   * interpreter's fast range.
   */
  private static boolean inexact(int op, double x, double y, double r) {
    switch (op) {
      case 0: case 1: {
        double yy = op == 0 ? y : -y;
        double bv = r - x;
        return (x - (r - bv)) + (yy - bv) != 0;
      }
      case 2:
        return r != 0 && Math.abs(r) < 0x1p-900 || Math.fma(x, y, -r) != 0;
      default:
        return x != 0 && (Math.abs(x) < 0x1p-900 || Math.abs(r) < 0x1p-900
            || Math.abs(r) > 0x1p1000) || Math.fma(-r, y, x) != 0;
    }
  }

  /** SQRTSD, or {@link #SLOW}. */
  static long sqrt(int mxcsr, long a, boolean checkA) {
    if (!fastMxcsr(mxcsr) || checkA && !normalOrZero(a) || (a < 0 && (a << 1) != 0)) {
      return SLOW;
    }
    double x = Double.longBitsToDouble(a);
    double r = Math.sqrt(x);
    if ((mxcsr & Mxcsr.PE) == 0
        && (x != 0 && Math.abs(x) < 0x1p-900 || Math.fma(-r, r, x) != 0)) {
      return SLOW; // an inexact root (or one too small to tell) sets PE: the executor's job
    }
    return Double.doubleToRawLongBits(r);
  }

  /**
   * UCOMISD/COMISD: the new materialised RFLAGS word (ZF, PF, CF from the comparison; OF, SF,
   * AF clear; other bits from {@code materialised}), or {@link #SLOW} for a NaN or denormal
   * operand or another MXCSR setting. Infinities compare without raising anything.
   */
  static long compare(int mxcsr, long a, long b, long rflags) {
    if (!fastMxcsr(mxcsr) || notOrdinary(a) || notOrdinary(b)) {
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
    if (!fastMxcsr(mxcsr) || (mxcsr & Mxcsr.PE) == 0 || !normalOrZero(a)) {
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
