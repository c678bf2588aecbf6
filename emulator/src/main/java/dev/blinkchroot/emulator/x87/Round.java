package dev.blinkchroot.emulator.x87;

import java.math.BigInteger;

/**
 * The one rounding step every x87 result goes through, and the operand screening shared by the
 * arithmetic (NaN propagation, invalid and denormal operands).
 *
 * <p>A pre-rounding value is {@code (hi:lo) * 2^(exp-127)} with a 128-bit significand
 * {@code hi:lo} whose bit 127 is set, i.e. {@code hi} carries the leading 64 bits with weight
 * {@code 2^exp} for bit 63 and {@code lo} the next 64 bits; producers "jam" any lost bits into
 * bit 0 of {@code lo} so that the round/sticky information is exact (two extra bits suffice, we
 * keep 64).
 *
 * <p>Rules (SDM Vol. 1 §4.8.4, §4.9.1.4-6, §8.1.5): the significand is rounded to {@code prec}
 * bits with the RC mode; values below {@code 2^emin} are denormalized (fewer significand bits,
 * rounded at the fixed position {@code 2^(emin-prec+1)}); underflow's tininess is detected
 * <em>after</em> rounding (as if the exponent were unbounded), and with UE masked only a tiny
 * <em>and</em> inexact result raises UE; overflow returns infinity or the largest finite value
 * depending on RC and sign; C1 says whether the magnitude was rounded up.
 */
final class Round {
  /** Extended format exponent range (unbiased) and its precision. */
  static final int EMIN_80 = 1 - F80.BIAS;
  static final int EMAX_80 = F80.BIAS;
  static final int EMIN_64 = -1022;
  static final int EMAX_64 = 1023;
  static final int EMIN_32 = -126;
  static final int EMAX_32 = 127;

  private Round() {}

  /** Rounds to the precision-control precision of {@code st}, extended exponent range. */
  static F80 toPc(X87State st, boolean neg, int exp, long hi, long lo) {
    return round(st, neg, exp, hi, lo, st.precision(), EMIN_80, EMAX_80);
  }

  /** Rounds to full 64-bit precision (operations that ignore PC: FSCALE, FPREM, FLD...). */
  static F80 to64(X87State st, boolean neg, int exp, long hi, long lo) {
    return round(st, neg, exp, hi, lo, 64, EMIN_80, EMAX_80);
  }

  /**
   * Rounds {@code (hi:lo) * 2^(exp-127)} ({@code hi:lo} non-zero, need not be normalized) to a
   * {@code prec}-bit significand within [emin, emax]; sets PE, UE, OE and C1 in {@code st}. The
   * result is returned as an extended value (exact, since the destination formats nest).
   */
  static F80 round(X87State st, boolean neg, int exp, long hi, long lo, int prec, int emin,
      int emax) {
    if (hi == 0) { // normalize a 128-bit significand
      if (lo == 0) {
        st.sw &= ~X87State.C1;
        return F80.zero(neg);
      }
      hi = lo;
      lo = 0;
      exp -= 64;
    }
    int lz = Long.numberOfLeadingZeros(hi);
    if (lz != 0) {
      hi = hi << lz | lo >>> (64 - lz);
      lo <<= lz;
      exp -= lz;
    }
    int rc = st.roundingControl();
    int k = 64 - prec;
    // Rounding with an unbounded exponent: the normal result, and the tininess test.
    boolean inc = roundsUp(hi, lo, k, rc, neg);
    boolean inexact = inexact(hi, lo, k);
    long keep = hi >>> k;
    int rexp = exp;
    if (inc) {
      keep++;
      if (prec < 64 ? keep == 1L << prec : keep == 0) {
        keep = 1L << (prec - 1);
        rexp++;
      }
    }
    if (rexp > emax) {
      return overflow(st, neg, prec, emax, rc);
    }
    if (exp >= emin) {
      flagInexact(st, inexact, inc);
      return F80.pack(neg, rexp, keep << k);
    }
    boolean tiny = rexp < emin;
    // Denormalize: round at the fixed position 2^(emin-prec+1).
    int kd = k + (emin - exp);
    boolean incd = roundsUp(hi, lo, kd, rc, neg);
    boolean inexactd = inexact(hi, lo, kd);
    long keepd = kd >= 64 ? 0 : hi >>> kd;
    if (incd) {
      keepd++; // at most 2^(prec-1): the smallest normal, which pack() encodes correctly
    }
    if (tiny && (inexactd || (st.cw & X87State.UE) == 0)) {
      st.raise(X87State.UE);
    }
    flagInexact(st, inexactd, incd);
    return F80.pack(neg, emin - prec + 1 + 63, keepd);
  }

  private static void flagInexact(X87State st, boolean inexact, boolean inc) {
    if (inexact) {
      st.raise(X87State.PE);
    }
    st.setCondition(X87State.C1, inc);
  }

  /** Masked overflow response (SDM §4.9.1.4 Table 4-10). */
  private static F80 overflow(X87State st, boolean neg, int prec, int emax, int rc) {
    st.raise(X87State.OE | X87State.PE);
    boolean toInf = rc == X87State.RC_NEAREST
        || rc == X87State.RC_UP && !neg
        || rc == X87State.RC_DOWN && neg;
    st.setCondition(X87State.C1, toInf);
    if (toInf) {
      return F80.infinity(neg);
    }
    return F80.pack(neg, emax, -1L << (64 - prec));
  }

  /** Whether rounding {@code hi:lo} at bit {@code k} of {@code hi} (k >= 0) increments. */
  static boolean roundsUp(long hi, long lo, int k, int rc, boolean neg) {
    boolean round;
    boolean sticky;
    boolean odd;
    if (k == 0) {
      round = lo < 0;
      sticky = (lo << 1) != 0;
      odd = (hi & 1) != 0;
    } else if (k < 64) {
      round = (hi >>> (k - 1) & 1) != 0;
      sticky = (hi & ((1L << (k - 1)) - 1)) != 0 || lo != 0;
      odd = (hi >>> k & 1) != 0;
    } else if (k == 64) {
      round = hi < 0;
      sticky = (hi << 1) != 0 || lo != 0;
      odd = false;
    } else {
      round = false;
      sticky = hi != 0 || lo != 0;
      odd = false;
    }
    switch (rc) {
      case X87State.RC_NEAREST:
        return round && (sticky || odd);
      case X87State.RC_DOWN:
        return neg && (round || sticky);
      case X87State.RC_UP:
        return !neg && (round || sticky);
      default:
        return false;
    }
  }

  /** Whether any bit below bit {@code k} of {@code hi} (or in {@code lo}) is set. */
  static boolean inexact(long hi, long lo, int k) {
    if (lo != 0) {
      return true;
    }
    if (k >= 64) {
      return hi != 0;
    }
    return k != 0 && (hi & ((1L << k) - 1)) != 0;
  }

  /**
   * Rounds {@code mag * 2^scale} (mag > 0) to {@code prec} bits; {@code sticky} says the exact
   * value is slightly larger than {@code mag} (a discarded non-zero tail).
   */
  static F80 roundBig(X87State st, boolean neg, BigInteger mag, int scale, boolean sticky,
      int prec, int emin, int emax) {
    int len = mag.bitLength();
    long hi;
    long lo;
    if (len <= 128) {
      BigInteger m = mag.shiftLeft(128 - len);
      hi = m.shiftRight(64).longValue();
      lo = m.longValue();
    } else {
      BigInteger m = mag.shiftRight(len - 128);
      hi = m.shiftRight(64).longValue();
      lo = m.longValue();
      if (!sticky && mag.getLowestSetBit() < len - 128) {
        sticky = true;
      }
    }
    if (sticky) {
      lo |= 1;
    }
    // bit 127 of hi:lo has weight 2^(scale + len - 1)
    return round(st, neg, scale + len - 1, hi, lo, prec, emin, emax);
  }

  /**
   * An exactly representable result that the hardware nevertheless reports as inexact (its
   * algorithm does not detect exactness): the value unchanged (a pseudo-denormal comes back
   * normalized), PE raised, UE too when the value is denormal, C1 = 0.
   */
  static F80 exactButInexact(X87State st, F80 value) {
    st.raise(X87State.PE);
    st.setCondition(X87State.C1, false);
    if (value.isZero()) {
      return value;
    }
    if (value.normExp() < EMIN_80) {
      st.raise(X87State.UE);
    }
    return F80.pack(value.isNegative(), value.normExp(), value.normSig());
  }

  /**
   * Rounds a value known to lie just below {@code mag * 2^scale} in magnitude (by less than any
   * unit of the working precision): the rounding then depends on the mode, as for a result
   * computed slightly too small.
   */
  static F80 justBelow(X87State st, boolean neg, BigInteger mag, int scale) {
    return roundBig(st, neg, mag.shiftLeft(2).subtract(BigInteger.ONE), scale - 2, true, 64,
        EMIN_80, EMAX_80);
  }

  // ---- operand screening ----------------------------------------------------------------------

  /**
   * For an operation on one operand: the result if {@code a} is a NaN or unsupported (raising IE
   * for SNaNs and unsupported encodings), otherwise null.
   */
  static F80 nan1(X87State st, F80 a) {
    switch (a.kind()) {
      case UNSUPPORTED:
        st.raise(X87State.IE);
        return F80.INDEFINITE;
      case SNAN:
        st.raise(X87State.IE);
        return a.quiet();
      case QNAN:
        return a;
      default:
        return null;
    }
  }

  /**
   * For an operation on two operands: the NaN result, or null. Unsupported encodings give the
   * indefinite with IE; an SNaN raises IE; an SNaN meeting a QNaN gives the QNaN; two NaNs of
   * the same kind give the one with the larger significand, quieted (SDM Vol. 1 Table 4-7, x87
   * column). Callers raise DE only after their invalid-operation checks: IE suppresses DE.
   */
  static F80 nan2(X87State st, F80 a, F80 b) {
    F80.Kind ka = a.kind();
    F80.Kind kb = b.kind();
    if (ka == F80.Kind.UNSUPPORTED || kb == F80.Kind.UNSUPPORTED) {
      st.raise(X87State.IE);
      return F80.INDEFINITE;
    }
    boolean na = ka == F80.Kind.QNAN || ka == F80.Kind.SNAN;
    boolean nb = kb == F80.Kind.QNAN || kb == F80.Kind.SNAN;
    if (!na && !nb) {
      return null;
    }
    if (ka == F80.Kind.SNAN || kb == F80.Kind.SNAN) {
      st.raise(X87State.IE);
    }
    if (na && nb && ka != kb) {
      return ka == F80.Kind.QNAN ? a : b; // SNaN and QNaN: the QNaN operand
    }
    if (na && nb) {
      long ma = a.sig | F80.QUIET_BIT;
      long mb = b.sig | F80.QUIET_BIT;
      int c = Long.compareUnsigned(ma, mb);
      if (c == 0) {
        // Equal payloads: the positive one (observed on hardware; the SDM leaves it open).
        return (a.isNegative() ? b : a).quiet();
      }
      return (c > 0 ? a : b).quiet();
    }
    return (na ? a : b).quiet();
  }

  /** Raises DE when any of the given operands is a denormal or pseudo-denormal. */
  static void denormals(X87State st, F80 a, F80 b) {
    if (a.isDenormal() || b.isDenormal()) {
      st.raise(X87State.DE);
    }
  }

  static void denormal(X87State st, F80 a) {
    if (a.isDenormal()) {
      st.raise(X87State.DE);
    }
  }

  /** The invalid-operation masked response: IE and the real indefinite. */
  static F80 invalid(X87State st) {
    st.raise(X87State.IE);
    return F80.INDEFINITE;
  }
}
