package dev.blinkchroot.emulator.sse;

import static dev.blinkchroot.emulator.sse.SseFloatCore.DOUBLE;
import static dev.blinkchroot.emulator.sse.SseFloatCore.SINGLE;
import static dev.blinkchroot.emulator.sse.SseFloatCore.isDenormal;
import static dev.blinkchroot.emulator.sse.SseFloatCore.isInf;
import static dev.blinkchroot.emulator.sse.SseFloatCore.isNaN;
import static dev.blinkchroot.emulator.sse.SseFloatCore.isSNaN;
import static dev.blinkchroot.emulator.sse.SseFloatCore.isZero;

import java.math.BigInteger;

/**
 * The arithmetic of one SSE element: ADD SUB MUL DIV MIN MAX SQRT for singles (int bits) and
 * doubles (long bits), correctly rounded in every MXCSR rounding mode with the SDM's flags.
 * {@code a} is always the first source operand (the destination of the legacy encodings), which
 * matters for NaN propagation and MIN/MAX.
 *
 * <p>Exception priority (SDM Vol. 1, 4.9.2 and 11.5.2): a signalling NaN's
 * IE, then QNaN propagation, then the other invalid operations and divide by zero, then DE for a
 * denormal operand, then overflow/underflow and precision from the rounding.
 *
 * <p>Singles are computed in double, where their sum, product, quotient and root are either
 * exact or bracketed by an exactly known error sign (two-sum, FMA residues), and rounded once
 * from there. Doubles take Java's round-to-nearest result plus the error sign when the result
 * is comfortably inside the normal range, and an exact BigInteger computation otherwise.
 */
public final class SseFloatArith {
  private SseFloatArith() {}

  public static final int ADD = 0;
  public static final int SUB = 1;
  public static final int MUL = 2;
  public static final int DIV = 3;
  public static final int MIN = 4;
  public static final int MAX = 5;

  private static final int SIGN32 = 0x8000_0000;
  private static final long SIGN64 = 0x8000_0000_0000_0000L;

  /** {@code a op b} for singles; op is ADD, SUB, MUL, DIV, MIN or MAX. */
  public static int binary(Mxcsr mx, int op, int a, int b) {
    if (op >= MIN) {
      return minMax(mx, op == MAX, a, b);
    }
    if (isNaN(a) || isNaN(b)) {
      return SseFloatCore.propagate(mx, a, b);
    }
    int x = SseFloatCore.daz(mx, a);
    int y = SseFloatCore.daz(mx, b);
    if (op == SUB) {
      y ^= SIGN32;
    }
    int sign = (x ^ y) & SIGN32;
    switch (op) {
      case ADD: case SUB:
        if (isInf(x) && isInf(y) && sign != 0) {
          return invalid32(mx);
        }
        break;
      case MUL:
        if ((isInf(x) && isZero(y)) || (isZero(x) && isInf(y))) {
          return invalid32(mx);
        }
        break;
      default:
        if ((isZero(x) && isZero(y)) || (isInf(x) && isInf(y))) {
          return invalid32(mx);
        }
        if (isZero(y) && !isInf(x)) {
          mx.divideByZero();
          return sign | 0x7f80_0000;
        }
    }
    SseFloatCore.operand(mx, a);
    SseFloatCore.operand(mx, b);
    switch (op) {
      case ADD: case SUB:
        if (isInf(x) || isInf(y)) {
          return isInf(x) ? x : y;
        }
        if (isZero(x) && isZero(y)) {
          return sign == 0 ? x : SseFloatCore.zeroSumNegative(mx) ? SIGN32 : 0;
        }
        break;
      case MUL:
        if (isInf(x) || isInf(y)) {
          return sign | 0x7f80_0000;
        }
        if (isZero(x) || isZero(y)) {
          return sign;
        }
        break;
      default:
        if (isInf(x)) {
          return sign | 0x7f80_0000;
        }
        if (isInf(y) || isZero(x)) {
          return sign;
        }
    }
    double dx = Float.intBitsToFloat(x);
    double dy = Float.intBitsToFloat(y);
    double r;
    int err;
    switch (op) {
      case ADD: case SUB:
        r = dx + dy;
        if (r == 0) {
          return SseFloatCore.zeroSumNegative(mx) ? SIGN32 : 0;
        }
        err = SseFloatCore.addError(dx, dy, r);
        break;
      case MUL:
        r = dx * dy; // 24 x 24 bits: exact in double
        err = 0;
        break;
      default:
        r = dx / dy;
        err = SseFloatCore.divError(dx, dy, r);
    }
    return (int) SseFloatCore.roundDouble(mx, SINGLE, r, err);
  }

  /** {@code a op b} for doubles. */
  public static long binary(Mxcsr mx, int op, long a, long b) {
    if (op >= MIN) {
      return minMax(mx, op == MAX, a, b);
    }
    if (isNaN(a) || isNaN(b)) {
      return SseFloatCore.propagate(mx, a, b);
    }
    long x = SseFloatCore.daz(mx, a);
    long y = SseFloatCore.daz(mx, b);
    if (op == SUB) {
      y ^= SIGN64;
    }
    long sign = (x ^ y) & SIGN64;
    switch (op) {
      case ADD: case SUB:
        if (isInf(x) && isInf(y) && sign != 0) {
          return invalid64(mx);
        }
        break;
      case MUL:
        if ((isInf(x) && isZero(y)) || (isZero(x) && isInf(y))) {
          return invalid64(mx);
        }
        break;
      default:
        if ((isZero(x) && isZero(y)) || (isInf(x) && isInf(y))) {
          return invalid64(mx);
        }
        if (isZero(y) && !isInf(x)) {
          mx.divideByZero();
          return sign | 0x7ff0_0000_0000_0000L;
        }
    }
    SseFloatCore.operand(mx, a);
    SseFloatCore.operand(mx, b);
    switch (op) {
      case ADD: case SUB:
        if (isInf(x) || isInf(y)) {
          return isInf(x) ? x : y;
        }
        if (isZero(x) && isZero(y)) {
          return sign == 0 ? x : SseFloatCore.zeroSumNegative(mx) ? SIGN64 : 0;
        }
        break;
      case MUL:
        if (isInf(x) || isInf(y)) {
          return sign | 0x7ff0_0000_0000_0000L;
        }
        if (isZero(x) || isZero(y)) {
          return sign;
        }
        break;
      default:
        if (isInf(x)) {
          return sign | 0x7ff0_0000_0000_0000L;
        }
        if (isInf(y) || isZero(x)) {
          return sign;
        }
    }
    double dx = Double.longBitsToDouble(x);
    double dy = Double.longBitsToDouble(y);
    double r;
    int err;
    switch (op) {
      case ADD: case SUB:
        r = dx + dy;
        if (!inFastRange(r) || r == 0) {
          return slowAdd(mx, x, y);
        }
        err = SseFloatCore.addError(dx, dy, r);
        break;
      case MUL:
        r = dx * dy;
        if (!inFastRange(r)) {
          return slow(mx, MUL, x, y);
        }
        err = SseFloatCore.mulError(dx, dy, r);
        break;
      default:
        r = dx / dy;
        if (!inFastRange(r) || Math.abs(dx) < 0x1p-900 || Math.abs(r) > 0x1p1000) {
          return slow(mx, DIV, x, y);
        }
        err = SseFloatCore.divError(dx, dy, r);
    }
    return fastResult(mx, r, err);
  }

  /** sqrt(a) for a single. */
  public static int sqrt(Mxcsr mx, int a) {
    if (isNaN(a)) {
      return SseFloatCore.propagate(mx, a, a);
    }
    int x = SseFloatCore.daz(mx, a);
    if (x < 0 && !isZero(x)) {
      return invalid32(mx);
    }
    SseFloatCore.operand(mx, a);
    if (isZero(x) || isInf(x)) {
      return x;
    }
    double dx = Float.intBitsToFloat(x);
    double r = Math.sqrt(dx);
    return (int) SseFloatCore.roundDouble(mx, SINGLE, r, SseFloatCore.sqrtError(dx, r));
  }

  /** sqrt(a) for a double. */
  public static long sqrt(Mxcsr mx, long a) {
    if (isNaN(a)) {
      return SseFloatCore.propagate(mx, a, a);
    }
    long x = SseFloatCore.daz(mx, a);
    if (x < 0 && !isZero(x)) {
      return invalid64(mx);
    }
    SseFloatCore.operand(mx, a);
    if (isZero(x) || isInf(x)) {
      return x;
    }
    double dx = Double.longBitsToDouble(x);
    if (dx < 0x1p-900) {
      return slow(mx, -1, x, 0);
    }
    double r = Math.sqrt(dx);
    return fastResult(mx, r, SseFloatCore.sqrtError(dx, r));
  }

  /**
   * MIN/MAX (SDM MINPS/MAXPS): if either operand is a NaN, QNaN included, IE and the second
   * operand is returned (flushed to zero if DAZ applies to it, as the host CPU does); two zeros
   * of any sign give the second operand too. So it is {@code a < b ? a : b}, not IEEE minNum and
   * not Java's Math.min.
   */
  public static int minMax(Mxcsr mx, boolean max, int a, int b) {
    if (isNaN(a) || isNaN(b)) {
      mx.invalid();
      return SseFloatCore.daz(mx, b); // DAZ applies to the returned operand too (host behaviour)
    }
    int x = SseFloatCore.operand(mx, a);
    int y = SseFloatCore.operand(mx, b);
    float fx = Float.intBitsToFloat(x);
    float fy = Float.intBitsToFloat(y);
    return (max ? fx > fy : fx < fy) ? x : y;
  }

  public static long minMax(Mxcsr mx, boolean max, long a, long b) {
    if (isNaN(a) || isNaN(b)) {
      mx.invalid();
      return SseFloatCore.daz(mx, b);
    }
    long x = SseFloatCore.operand(mx, a);
    long y = SseFloatCore.operand(mx, b);
    double dx = Double.longBitsToDouble(x);
    double dy = Double.longBitsToDouble(y);
    return (max ? dx > dy : dx < dy) ? x : y;
  }

  // ---- comparisons -----------------------------------------------------------------------------

  /**
   * CMPPS/CMPSS predicate {@code pred} (imm8[2:0]: EQ LT LE UNORD NEQ NLT NLE ORD). LT, LE,
   * NLT and NLE signal IE on any NaN, the others only on a signalling NaN.
   */
  public static boolean compare(Mxcsr mx, int pred, int a, int b) {
    boolean unordered = isNaN(a) || isNaN(b);
    return predicate(mx, pred, unordered, isSNaN(a) || isSNaN(b),
        unordered ? 0 : Float.compare(toFloat(mx, a), toFloat(mx, b)));
  }

  public static boolean compare(Mxcsr mx, int pred, long a, long b) {
    boolean unordered = isNaN(a) || isNaN(b);
    return predicate(mx, pred, unordered, isSNaN(a) || isSNaN(b),
        unordered ? 0 : Double.compare(toDouble(mx, a), toDouble(mx, b)));
  }

  private static float toFloat(Mxcsr mx, int a) {
    return Float.intBitsToFloat(SseFloatCore.operand(mx, a)) + 0.0f; // -0.0 == +0.0
  }

  private static double toDouble(Mxcsr mx, long a) {
    return Double.longBitsToDouble(SseFloatCore.operand(mx, a)) + 0.0;
  }

  private static boolean predicate(Mxcsr mx, int pred, boolean unordered, boolean snan, int c) {
    boolean signalling = (pred & 3) == 1 || (pred & 3) == 2;
    if (snan || (unordered && signalling)) {
      mx.invalid();
    }
    boolean r;
    switch (pred & 3) {
      case 0: r = !unordered && c == 0; break;
      case 1: r = !unordered && c < 0; break;
      case 2: r = !unordered && c <= 0; break;
      default: r = unordered;
    }
    return (pred & 4) == 0 ? r : !r;
  }

  /**
   * COMISS/UCOMISS: the RFLAGS status bits (ZF PF CF; OF SF AF clear): unordered 111, greater
   * 000, less 001, equal 100. COMIS signals IE on any NaN, UCOMIS on a signalling NaN only.
   */
  public static int compareFlags(Mxcsr mx, boolean signalling, int a, int b) {
    boolean unordered = isNaN(a) || isNaN(b);
    if (isSNaN(a) || isSNaN(b) || (unordered && signalling)) {
      mx.invalid();
    }
    return unordered ? UNORDERED : flagsOf(Float.compare(toFloat(mx, a), toFloat(mx, b)));
  }

  public static int compareFlags(Mxcsr mx, boolean signalling, long a, long b) {
    boolean unordered = isNaN(a) || isNaN(b);
    if (isSNaN(a) || isSNaN(b) || (unordered && signalling)) {
      mx.invalid();
    }
    return unordered ? UNORDERED : flagsOf(Double.compare(toDouble(mx, a), toDouble(mx, b)));
  }

  private static final int CF = 1;
  private static final int PF = 1 << 2;
  private static final int ZF = 1 << 6;
  private static final int UNORDERED = ZF | PF | CF;

  private static int flagsOf(int c) {
    return c == 0 ? ZF : c < 0 ? CF : 0;
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static int invalid32(Mxcsr mx) {
    mx.invalid();
    return SseFloatCore.DEFAULT_NAN32;
  }

  private static long invalid64(Mxcsr mx) {
    mx.invalid();
    return SseFloatCore.DEFAULT_NAN64;
  }

  /**
   * Where Java's double result and its error sign decide the result without further care: far
   * enough from the subnormal range that FMA residues are exact and no tininess question
   * arises, and below the largest finite value so directed rounding cannot overflow.
   */
  private static boolean inFastRange(double r) {
    double m = Math.abs(r);
    return m > 0x1p-900 && m < Double.MAX_VALUE;
  }

  private static long fastResult(Mxcsr mx, double r, int err) {
    if (err != 0) {
      mx.post(Mxcsr.PE);
      switch (mx.rounding()) {
        case Mxcsr.RD:
          if (err < 0) {
            r = Math.nextDown(r);
          }
          break;
        case Mxcsr.RU:
          if (err > 0) {
            r = Math.nextUp(r);
          }
          break;
        case Mxcsr.RZ:
          if ((err < 0) != (r < 0)) {
            r = r < 0 ? Math.nextUp(r) : Math.nextDown(r);
          }
          break;
        default:
      }
    }
    return Double.doubleToRawLongBits(r);
  }

  private static long slowAdd(Mxcsr mx, long x, long y) {
    if (isZero(x) || isZero(y)) {
      long v = isZero(x) ? y : x; // exact, but may be tiny: round() decides FTZ/UE
      return SseFloatCore.round(mx, DOUBLE, v < 0, SseFloatCore.significand(v),
          SseFloatCore.exponent(v), false);
    }
    int ex = SseFloatCore.exponent(x);
    int ey = SseFloatCore.exponent(y);
    int e = Math.min(ex, ey);
    BigInteger mx1 = BigInteger.valueOf(SseFloatCore.significand(x)).shiftLeft(ex - e);
    BigInteger my1 = BigInteger.valueOf(SseFloatCore.significand(y)).shiftLeft(ey - e);
    BigInteger s = (x < 0 ? mx1.negate() : mx1).add(y < 0 ? my1.negate() : my1);
    if (s.signum() == 0) {
      return SseFloatCore.zeroSumNegative(mx) ? SIGN64 : 0;
    }
    return SseFloatCore.roundBig(mx, DOUBLE, s.signum() < 0, s.abs(), e, false);
  }

  /** Exact MUL, DIV (y the divisor) or SQRT (op -1) of finite nonzero doubles. */
  private static long slow(Mxcsr mx, int op, long x, long y) {
    BigInteger mx1 = BigInteger.valueOf(SseFloatCore.significand(x));
    int ex = SseFloatCore.exponent(x);
    boolean neg = (x ^ y) < 0;
    if (op == MUL) {
      BigInteger my1 = BigInteger.valueOf(SseFloatCore.significand(y));
      return SseFloatCore.roundBig(mx, DOUBLE, neg, mx1.multiply(my1),
          ex + SseFloatCore.exponent(y), false);
    }
    if (op == DIV) {
      BigInteger my1 = BigInteger.valueOf(SseFloatCore.significand(y));
      int k = Math.max(0, 64 + my1.bitLength() - mx1.bitLength());
      BigInteger[] qr = mx1.shiftLeft(k).divideAndRemainder(my1);
      return SseFloatCore.roundBig(mx, DOUBLE, neg, qr[0], ex - SseFloatCore.exponent(y) - k,
          qr[1].signum() != 0);
    }
    // sqrt: make the exponent even and the radicand wide enough for 64 root bits
    int k = 128 - mx1.bitLength();
    if (((ex - k) & 1) != 0) {
      k++;
    }
    BigInteger rad = mx1.shiftLeft(k);
    BigInteger root = rad.sqrt();
    return SseFloatCore.roundBig(mx, DOUBLE, false, root, (ex - k) / 2,
        !root.multiply(root).equals(rad));
  }
}
