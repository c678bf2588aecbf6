package dev.blinkchroot.emulator.x87;

import java.math.BigInteger;

/**
 * FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X, FYL2XP1 (Intel SDM Vol. 2 pages and their
 * special-value tables), as the emulated Intel model computes them. Results are computed in
 * {@link BigFloat} at 200 bits and rounded once to 64 bits with RC (precision control does not
 * apply to these, SDM Vol. 1 §8.1.5.2), so they are the correctly rounded values of the
 * functions below. The recorded Intel CPU rounds its own internal approximations, which err by
 * up to about a tenth of an ulp: its results are within 1 ulp of these, equal to them except
 * near rounding boundaries, and its C1 (round-up) reflects its approximation, not the exact
 * value. Where the recording shows a rule, it is followed bit for bit:
 *
 * <ul>
 *   <li><b>Argument reduction is the hardware's.</b> SDM Vol. 1 §8.3.10: FSIN, FCOS, FSINCOS
 *       and FPTAN reduce with a 66-bit approximation of π. So for large arguments the
 *       hardware computes {@code f(r + kπ/2)} with {@code r = x - k·π66/2} (exact), not
 *       {@code f(x)}; near multiples of π the two differ in many ulps. {@code k} is the
 *       nearest integer to {@code x / (π66/2)}. Operands with {@code |x| >= 2^63} are out of
 *       range: C2 = 1 and the operand is left unchanged ({@code null} result).
 *   <li><b>Tiny arguments.</b> For {@code |x| < 2^-68} the sine and tangent are x itself and
 *       the cosine 1, in every rounding mode, reported inexact with C1 = 0 (UE when x is
 *       denormal).
 *   <li><b>Outside the documented domains</b> F2XM1 of {@code |x| > 1} and FYL2XP1 of
 *       {@code x <= -1} return x unchanged, inexact. F2XM1 of ±1 and FYL2X of a power of two
 *       are exact but reported inexact; for {@code x = 2^k, k < 0} FYL2X rounds as if
 *       {@code log2 x} were a little above k (its magnitude a little below).
 * </ul>
 *
 * <p>Exceptions: IE for SNaN/unsupported operands and invalid domains, DE for denormal operands,
 * ZE for FYL2X of zero, PE (and C1 for round-up) for inexact results, UE for tiny ones.
 */
public final class X87Transcendental {
  private X87Transcendental() {}

  /** π66 = P66 * 2^-64 (SDM §8.3.10); P66 is π's leading 66 bits (the 67th is 0). */
  private static final BigInteger P66 =
      X87Arith.unsigned(0xC90F_DAA2_2168_C234L).shiftLeft(2).or(BigInteger.valueOf(3));
  private static final BigFloat PI = computePi();
  private static final BigFloat HALF_PI = PI.scale(-1);
  private static final BigFloat LN2 = atanhSeries(BigFloat.of(1).divInt(3)).scale(1);
  private static final BigFloat SQRT2 = BigFloat.of(2).sqrt();
  /** Below 2^TINY_EXP the trigonometric functions return their first-order value. */
  private static final int TINY_EXP = -68;

  // ---- FSIN FCOS FSINCOS FPTAN ---------------------------------------------------------------

  /** FSIN of ST(0); null when out of range (C2 = 1, ST(0) unchanged). */
  public static F80 fsin(X87State st, F80 x) {
    F80[] r = trig(st, x, true, false);
    return r == null ? null : r[0];
  }

  /** FCOS of ST(0); null when out of range. */
  public static F80 fcos(X87State st, F80 x) {
    F80[] r = trig(st, x, false, true);
    return r == null ? null : r[1];
  }

  /**
   * FSINCOS: {sin, cos}; the interpreter puts the sine in ST(0) and pushes the cosine. Null when
   * out of range (C2 = 1, nothing pushed).
   */
  public static F80[] fsincos(X87State st, F80 x) {
    return trig(st, x, true, true);
  }

  /**
   * FPTAN: the tangent; the interpreter replaces ST(0) with it and pushes +1.0, except when the
   * result is a NaN: then it pushes that NaN again (as hardware does). Null when out of range
   * (C2 = 1, nothing pushed).
   */
  public static F80 fptan(X87State st, F80 x) {
    st.sw &= ~(X87State.C1 | X87State.C2);
    F80 nan = Round.nan1(st, x);
    if (nan != null) {
      return nan;
    }
    if (x.kind() == F80.Kind.INFINITY) {
      return Round.invalid(st);
    }
    Round.denormal(st, x);
    if (x.isZero()) {
      return x;
    }
    if (x.normExp() >= 63) {
      st.sw |= X87State.C2;
      return null;
    }
    if (x.normExp() < TINY_EXP) {
      return Round.exactButInexact(st, x);
    }
    Reduced red = reduce(x);
    BigFloat s = sinSeries(red.r);
    BigFloat c = cosSeries(red.r);
    BigFloat t = (red.k & 1) == 0 ? s.div(c) : c.div(s).negate();
    return t.round(st);
  }

  /** Computes the requested sine/cosine; {sin, cos} with nulls for what was not asked. */
  private static F80[] trig(X87State st, F80 x, boolean wantSin, boolean wantCos) {
    st.sw &= ~(X87State.C1 | X87State.C2);
    F80 nan = Round.nan1(st, x);
    if (nan != null) {
      return new F80[] {nan, nan};
    }
    if (x.kind() == F80.Kind.INFINITY) {
      F80 ind = Round.invalid(st);
      return new F80[] {ind, ind};
    }
    Round.denormal(st, x);
    if (x.isZero()) {
      return new F80[] {x, F80.ONE};
    }
    if (x.normExp() >= 63) {
      st.sw |= X87State.C2;
      return null;
    }
    if (x.normExp() < TINY_EXP) {
      F80 cos = wantCos ? Round.exactButInexact(st, F80.ONE) : null;
      F80 sin = wantSin ? Round.exactButInexact(st, x) : null;
      return new F80[] {sin, cos};
    }
    Reduced red = reduce(x);
    BigFloat s = sinSeries(red.r);
    BigFloat c = cosSeries(red.r);
    BigFloat sin;
    BigFloat cos;
    switch ((int) (red.k & 3)) {
      case 0:
        sin = s;
        cos = c;
        break;
      case 1:
        sin = c;
        cos = s.negate();
        break;
      case 2:
        sin = s.negate();
        cos = c.negate();
        break;
      default:
        sin = c.negate();
        cos = s;
        break;
    }
    // Flags accumulate over both results; C1 reports the sine's rounding (observed on hardware).
    F80 rs = wantSin ? sin.round(st) : null;
    F80 rc = wantCos ? cos.round(st) : null;
    return new F80[] {rs, rc};
  }

  /** An exact reduced argument {@code r = x - k * π66/2}. */
  private static final class Reduced {
    final long k;
    final BigFloat r;

    Reduced(long k, BigFloat r) {
      this.k = k;
      this.r = r;
    }
  }

  private static Reduced reduce(F80 x) {
    int e = x.normExp();
    BigInteger m = X87Arith.unsigned(x.normSig());
    if (x.isNegative()) {
      m = m.negate();
    }
    if (e + 2 < 0) { // |x| < 1/4 < π/4: no reduction
      return new Reduced(0, BigFloat.of(m, e - 63));
    }
    // In units of 2^-65, where π66/2 is the integer P66: X = m * 2^(e - 63 + 65).
    BigInteger big = m.shiftLeft(e + 2);
    BigInteger[] qr = big.divideAndRemainder(P66);
    BigInteger k = qr[0];
    BigInteger r = qr[1];
    // Round the quotient to nearest: |r| <= P66 / 2.
    if (r.abs().shiftLeft(1).compareTo(P66) > 0) {
      if (r.signum() > 0) {
        k = k.add(BigInteger.ONE);
        r = r.subtract(P66);
      } else {
        k = k.subtract(BigInteger.ONE);
        r = r.add(P66);
      }
    }
    return new Reduced(k.longValue(), BigFloat.of(r, -65));
  }

  /** sin r, |r| <= π/4: r - r^3/3! + ... (relative precision kept: the sum is ~ r). */
  private static BigFloat sinSeries(BigFloat r) {
    if (r.signum() == 0) {
      return BigFloat.ZERO;
    }
    BigFloat r2 = r.mul(r);
    BigFloat term = r;
    BigFloat sum = r;
    for (int n = 1; n < 200; n++) {
      term = term.mul(r2).divInt((2L * n) * (2L * n + 1)).negate();
      sum = sum.add(term);
      if (term.signum() == 0 || term.ilog2() < sum.ilog2() - BigFloat.PREC - 4) {
        break;
      }
    }
    return sum;
  }

  /** cos r, |r| <= π/4: 1 - r^2/2! + ... */
  private static BigFloat cosSeries(BigFloat r) {
    BigFloat r2 = r.mul(r);
    BigFloat term = BigFloat.ONE;
    BigFloat sum = BigFloat.ONE;
    for (int n = 1; n < 200; n++) {
      term = term.mul(r2).divInt((2L * n - 1) * (2L * n)).negate();
      sum = sum.add(term);
      if (term.signum() == 0 || term.ilog2() < -BigFloat.PREC - 4) {
        break;
      }
    }
    return sum;
  }

  // ---- FPATAN --------------------------------------------------------------------------------

  /** FPATAN: atan2(y = ST(1), x = ST(0)) in (-π, π]; the interpreter pops and stores in ST(0). */
  public static F80 fpatan(X87State st, F80 y, F80 x) {
    st.sw &= ~X87State.C1;
    F80 nan = Round.nan2(st, x, y);
    if (nan != null) {
      return nan;
    }
    Round.denormals(st, x, y);
    boolean ny = y.isNegative();
    boolean nx = x.isNegative();
    boolean iy = y.kind() == F80.Kind.INFINITY;
    boolean ix = x.kind() == F80.Kind.INFINITY;
    BigFloat angle;
    if (iy && ix) {
      angle = nx ? PI.mul(BigFloat.of(3)).scale(-2) : PI.scale(-2); // 3π/4 or π/4
    } else if (iy || x.isZero() && !y.isZero()) {
      angle = HALF_PI;
    } else if (ix || y.isZero()) {
      if (!nx) {
        return F80.zero(ny); // atan2(±0 or finite, +x)
      }
      angle = PI;
    } else {
      BigFloat ay = BigFloat.of(y).abs();
      BigFloat ax = BigFloat.of(x).abs();
      if (ay.sub(ax).signum() > 0) {
        angle = HALF_PI.sub(atan(ax.div(ay)));
      } else {
        BigFloat q = ay.div(ax);
        if (!nx && q.ilog2() < TINY_EXP) {
          return tinyQuotient(st, ny, q);
        }
        angle = atan(q);
      }
      if (nx) {
        angle = PI.sub(angle);
      }
    }
    return (ny ? angle.negate() : angle).round(st);
  }

  /**
   * FPATAN of a ratio below 2^-68 in magnitude: the quotient itself, first rounded to nearest
   * at 68 bits (exponent unbounded: the hardware's internal width, which its double rounding of
   * exact ties and its denormalized results reveal), then to the destination with RC, and
   * reported inexact (UE when tiny), as the recorded CPU returns it in every rounding mode.
   */
  private static F80 tinyQuotient(X87State st, boolean negative, BigFloat q) {
    BigInteger mag = q.man.abs();
    int scale = q.exp;
    int excess = mag.bitLength() - 68;
    if (excess > 0) { // to nearest, ties to even (the working value is never an exact tie)
      BigInteger kept = mag.shiftRight(excess);
      int cmp = mag.subtract(kept.shiftLeft(excess)).shiftLeft(1)
          .compareTo(BigInteger.ONE.shiftLeft(excess));
      if (cmp > 0 || cmp == 0 && kept.testBit(0)) {
        kept = kept.add(BigInteger.ONE);
      }
      mag = kept;
      scale += excess;
    }
    F80 r = Round.roundBig(st, negative, mag, scale, false, 64, Round.EMIN_80, Round.EMAX_80);
    st.raise(X87State.PE | (r.isZero() || r.normExp() < Round.EMIN_80 ? X87State.UE : 0));
    return r;
  }

  /** atan t for 0 <= t <= 1: three half-angle steps, then the Taylor series. */
  private static BigFloat atan(BigFloat t) {
    if (t.signum() == 0) {
      return t;
    }
    int doublings = 0;
    while (t.ilog2() > -8) { // atan t = 2 atan(t / (1 + sqrt(1 + t^2)))
      t = t.div(BigFloat.ONE.add(BigFloat.ONE.add(t.mul(t)).sqrt()));
      doublings++;
    }
    BigFloat t2 = t.mul(t);
    BigFloat pow = t;
    BigFloat sum = t;
    for (int n = 1; n < 200; n++) {
      pow = pow.mul(t2).negate();
      BigFloat term = pow.divInt(2L * n + 1);
      sum = sum.add(term);
      if (term.ilog2() < sum.ilog2() - BigFloat.PREC - 4) {
        break;
      }
    }
    return sum.scale(doublings);
  }

  // ---- F2XM1 FYL2X FYL2XP1 -------------------------------------------------------------------

  /** F2XM1: 2^x - 1, defined by the SDM for -1 <= x <= +1 (computed for any finite x here). */
  public static F80 f2xm1(X87State st, F80 x) {
    st.sw &= ~X87State.C1;
    F80 nan = Round.nan1(st, x);
    if (nan != null) {
      return nan;
    }
    Round.denormal(st, x);
    if (x.isZero()) {
      return x;
    }
    if (x.kind() == F80.Kind.INFINITY) {
      return x.isNegative() ? F80.NEG_ONE : x;
    }
    if (x.equals(F80.ONE)) {
      return Round.exactButInexact(st, F80.ONE);
    }
    if (x.equals(F80.NEG_ONE)) {
      return Round.exactButInexact(st, F80.of(0x8000 | (F80.BIAS - 1), F80.J_BIT));
    }
    if (x.normExp() >= 0) { // |x| > 1, outside the domain: x comes back
      return Round.exactButInexact(st, x);
    }
    return expm1(BigFloat.of(x).mul(LN2)).round(st);
  }

  /** e^z - 1 with relative precision: halve z until tiny, sum, then e(2z)-1 = u(u+2). */
  private static BigFloat expm1(BigFloat z) {
    int halvings = Math.max(0, z.ilog2() + 9);
    z = z.scale(-halvings);
    BigFloat term = z;
    BigFloat sum = z;
    for (int n = 2; n < 200; n++) {
      term = term.mul(z).divInt(n);
      sum = sum.add(term);
      if (term.signum() == 0 || term.ilog2() < sum.ilog2() - BigFloat.PREC - 4) {
        break;
      }
    }
    BigFloat two = BigFloat.of(2);
    for (int i = 0; i < halvings; i++) {
      sum = sum.mul(sum.add(two));
    }
    return sum;
  }

  /** FYL2X: y * log2(x) with y = ST(1), x = ST(0); the interpreter pops and stores in ST(0). */
  public static F80 fyl2x(X87State st, F80 y, F80 x) {
    st.sw &= ~X87State.C1;
    F80 nan = Round.nan2(st, x, y);
    if (nan != null) {
      return nan;
    }
    boolean ny = y.isNegative();
    boolean iy = y.kind() == F80.Kind.INFINITY;
    if (x.isNegative() && !x.isZero()) {
      return Round.invalid(st); // log of a negative number (including -inf)
    }
    if (x.isZero()) {
      if (y.isZero()) {
        return Round.invalid(st);
      }
      if (!iy) {
        st.raise(X87State.ZE); // and no DE: ZE suppresses it, as IE does
      }
      return F80.infinity(!ny); // log2(0) = -inf
    }
    Round.denormals(st, x, y);
    if (x.kind() == F80.Kind.INFINITY) {
      if (y.isZero()) {
        return Round.invalid(st);
      }
      return F80.infinity(ny);
    }
    int cmpOne = X87Compare.compareValues(x, F80.ONE);
    if (iy) {
      if (cmpOne == 0) {
        return Round.invalid(st); // inf * log2(1) = inf * 0
      }
      return F80.infinity(ny ^ cmpOne < 0);
    }
    if (y.isZero() || cmpOne == 0) {
      return F80.zero(ny ^ cmpOne < 0);
    }
    if (x.normSig() == F80.J_BIT) {
      return timesExactLog(st, y, x.normExp());
    }
    return BigFloat.of(y).mul(log2(BigFloat.of(x))).round(st);
  }

  /**
   * y * k where k = log2 of a power of two (FYL2X of 2^k, FYL2XP1 of 2^k - 1). The hardware
   * never detects that the logarithm is exact: the product is reported inexact, and for k < 0
   * it rounds as if |log2| were a bit below |k|.
   */
  private static F80 timesExactLog(X87State st, F80 y, int k) {
    if (k > 0) {
      F80 r = X87Arith.mul(st, y, X87Convert.fromInt64(k), 64);
      st.raise(X87State.PE | (r.isDenormal() ? X87State.UE : 0));
      return r;
    }
    BigInteger product = X87Arith.unsigned(y.normSig()).multiply(BigInteger.valueOf(-k));
    return Round.justBelow(st, !y.isNegative(), product, y.normExp() - 63);
  }

  /** log2 v for v > 0: the exponent plus the logarithm of a significand in [sqrt 1/2, sqrt 2]. */
  private static BigFloat log2(BigFloat v) {
    int e = v.ilog2();
    BigFloat m = v.scale(-e); // [1, 2)
    if (m.sub(SQRT2).signum() > 0) {
      m = m.scale(-1);
      e++;
    }
    return ln(m).div(LN2).add(BigFloat.of(e));
  }

  /** FYL2XP1: y * log2(x + 1), defined for |x| < 1 - sqrt(2)/2. */
  public static F80 fyl2xp1(X87State st, F80 y, F80 x) {
    st.sw &= ~X87State.C1;
    F80 nan = Round.nan2(st, x, y);
    if (nan != null) {
      return nan;
    }
    boolean ny = y.isNegative();
    boolean nx = x.isNegative();
    boolean iy = y.kind() == F80.Kind.INFINITY;
    // Invalid operations first: IE has priority over DE (SDM Vol. 1 §4.9.2).
    if (x.kind() == F80.Kind.INFINITY && (nx || y.isZero()) || x.isZero() && iy) {
      return Round.invalid(st);
    }
    Round.denormals(st, x, y);
    if (x.kind() == F80.Kind.INFINITY) {
      return F80.infinity(ny);
    }
    if (x.isZero()) {
      return F80.zero(ny ^ nx);
    }
    if (iy) {
      return F80.infinity(ny ^ nx);
    }
    if (y.isZero()) {
      return F80.zero(ny ^ nx);
    }
    if (nx && x.normExp() >= 0) { // x <= -1, outside the domain: x comes back
      return Round.exactButInexact(st, x);
    }
    BigFloat onePlus = BigFloat.ONE.add(BigFloat.of(x)); // exact: x has 64 significant bits
    int k = onePlus.ilog2();
    if (x.normExp() >= -1 && onePlus.scale(-k).sub(BigFloat.ONE).signum() == 0) {
      return timesExactLog(st, y, k);
    }
    return BigFloat.of(y).mul(log2OnePlus(BigFloat.of(x))).round(st);
  }

  /** log2(1 + x) for x > -1: a series for small x, the exact sum's logarithm otherwise. */
  private static BigFloat log2OnePlus(BigFloat x) {
    if (x.ilog2() < -2) {
      // ln(1 + x) = 2 atanh(x / (2 + x)): no cancellation for small x.
      return atanhSeries(x.div(BigFloat.of(2).add(x))).scale(1).div(LN2);
    }
    return log2(BigFloat.ONE.add(x)); // the sum is exact: x has 64 significant bits
  }

  /** ln m for m in [sqrt(1/2), sqrt(2)]: 2 atanh((m - 1) / (m + 1)). */
  private static BigFloat ln(BigFloat m) {
    return atanhSeries(m.sub(BigFloat.ONE).div(m.add(BigFloat.ONE))).scale(1);
  }

  /** atanh u = u + u^3/3 + u^5/5 + ... for |u| <= 1/3. */
  private static BigFloat atanhSeries(BigFloat u) {
    if (u.signum() == 0) {
      return u;
    }
    BigFloat u2 = u.mul(u);
    BigFloat pow = u;
    BigFloat sum = u;
    for (int n = 1; n < 400; n++) {
      pow = pow.mul(u2);
      BigFloat term = pow.divInt(2L * n + 1);
      sum = sum.add(term);
      if (term.ilog2() < sum.ilog2() - BigFloat.PREC - 4) {
        break;
      }
    }
    return sum;
  }

  /** π = 16 atan(1/5) - 4 atan(1/239) (Machin), at working precision, once. */
  private static BigFloat computePi() {
    return atanInverse(5).scale(2).sub(atanInverse(239)).scale(2);
  }

  private static BigFloat atanInverse(int n) {
    BigFloat x = BigFloat.ONE.divInt(n);
    BigFloat x2 = x.mul(x);
    BigFloat pow = x;
    BigFloat sum = x;
    for (int k = 1; k < 400; k++) {
      pow = pow.mul(x2).negate();
      BigFloat term = pow.divInt(2L * k + 1);
      sum = sum.add(term);
      if (term.ilog2() < -BigFloat.PREC - 8) {
        break;
      }
    }
    return sum;
  }
}
