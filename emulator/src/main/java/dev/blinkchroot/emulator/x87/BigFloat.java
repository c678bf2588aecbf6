package dev.blinkchroot.emulator.x87;

import java.math.BigInteger;

/**
 * A working-precision binary float for the transcendental functions: {@code man * 2^exp} with a
 * signed {@link BigInteger} significand truncated to {@link #PREC} bits. Relative (not fixed-
 * point) precision matters here: FSIN of 2^-10000 or FYL2X of 1 + 2^-63 must stay accurate to
 * the last bit of their tiny results. 200 bits leave ~136 guard bits over the 64-bit target,
 * far more than the series and reductions below lose, so rounding once gives the correctly
 * rounded result except for values within 2^-190 of a rounding boundary (none are known for
 * these functions at 64 bits).
 */
final class BigFloat {
  static final int PREC = 200;

  static final BigFloat ZERO = new BigFloat(BigInteger.ZERO, 0);
  static final BigFloat ONE = new BigFloat(BigInteger.ONE, 0);

  final BigInteger man;
  final int exp;

  private BigFloat(BigInteger man, int exp) {
    this.man = man;
    this.exp = exp;
  }

  /** {@code man * 2^exp}, truncated toward zero to PREC bits. */
  static BigFloat of(BigInteger man, int exp) {
    int excess = man.bitLength() - PREC;
    if (excess > 0) {
      man = man.signum() < 0 ? man.negate().shiftRight(excess).negate() : man.shiftRight(excess);
      exp += excess;
    }
    return new BigFloat(man, exp);
  }

  static BigFloat of(long v) {
    return of(BigInteger.valueOf(v), 0);
  }

  /** The exact value of a finite extended operand. */
  static BigFloat of(F80 a) {
    if (a.isZero()) {
      return ZERO;
    }
    BigInteger m = X87Arith.unsigned(a.normSig());
    return of(a.isNegative() ? m.negate() : m, a.normExp() - 63);
  }

  int signum() {
    return man.signum();
  }

  /** Floor of log2 |this| (this != 0). */
  int ilog2() {
    return man.abs().bitLength() - 1 + exp;
  }

  BigFloat negate() {
    return new BigFloat(man.negate(), exp);
  }

  BigFloat abs() {
    return man.signum() < 0 ? negate() : this;
  }

  BigFloat scale(int n) {
    return new BigFloat(man, exp + n);
  }

  BigFloat add(BigFloat o) {
    if (o.signum() == 0) {
      return this;
    }
    if (signum() == 0) {
      return o;
    }
    // An addend entirely below the other's working precision only affects the sticky tail.
    int gap = ilog2() - o.ilog2();
    if (gap > PREC + 4) {
      return nudge(this, o.signum());
    }
    if (gap < -PREC - 4) {
      return nudge(o, signum());
    }
    if (exp >= o.exp) {
      return of(man.shiftLeft(exp - o.exp).add(o.man), o.exp);
    }
    return of(o.man.shiftLeft(o.exp - exp).add(man), exp);
  }

  /**
   * {@code big} plus a negligible addend of sign {@code sign}: one unit below the working
   * precision, so the truncation still says on which side of {@code big} the sum lies (FSIN of a
   * denormal is just below it, which decides directed rounding and C1).
   */
  private static BigFloat nudge(BigFloat big, int sign) {
    int shift = PREC + 8 - big.man.bitLength();
    return of(big.man.shiftLeft(shift).add(BigInteger.valueOf(sign)), big.exp - shift);
  }

  BigFloat sub(BigFloat o) {
    return add(o.negate());
  }

  BigFloat mul(BigFloat o) {
    return of(man.multiply(o.man), exp + o.exp);
  }

  BigFloat div(BigFloat o) {
    int shift = PREC + 2 + o.man.bitLength() - man.bitLength();
    BigInteger n = shift > 0 ? man.shiftLeft(shift) : man;
    return of(n.divide(o.man), exp - (shift > 0 ? shift : 0) - o.exp);
  }

  BigFloat divInt(long d) {
    int shift = PREC + 2 - man.bitLength() + 64;
    return of(man.shiftLeft(shift).divide(BigInteger.valueOf(d)), exp - shift);
  }

  /** Square root of a non-negative value. */
  BigFloat sqrt() {
    if (signum() == 0) {
      return ZERO;
    }
    int shift = 2 * PREC + 4 - man.bitLength();
    if (((exp - shift) & 1) != 0) {
      shift++;
    }
    return of(man.shiftLeft(shift).sqrt(), (exp - shift) / 2);
  }

  /**
   * Rounds to the extended format at 64 bits with RC, as an inexact value: the exact result is
   * taken to lie strictly between this truncation and the next representable working value.
   */
  F80 round(X87State st) {
    if (signum() == 0) {
      return F80.POS_ZERO;
    }
    return Round.roundBig(st, signum() < 0, man.abs(), exp, true, 64, Round.EMIN_80,
        Round.EMAX_80);
  }

  @Override
  public String toString() {
    return man + "*2^" + exp;
  }
}
