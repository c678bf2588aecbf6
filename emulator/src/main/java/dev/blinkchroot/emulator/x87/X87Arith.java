package dev.blinkchroot.emulator.x87;

import java.math.BigInteger;

/**
 * Exactly rounded x87 arithmetic on {@link F80} values (Intel SDM Vol. 2 FADD, FSUB, FMUL, FDIV,
 * FSQRT, FPREM, FPREM1, FSCALE, FXTRACT, FRNDINT). Each method takes the operands as values (the
 * interpreter fetches ST(i) or converts a memory operand first), reads PC/RC from {@code st},
 * records exceptions and C1 in {@code st}, and returns the masked-response result.
 *
 * <p>The approach: screen NaNs/unsupported encodings and the special cases of the SDM tables,
 * compute the exact result (or exact to 128 bits plus a sticky bit) with integer arithmetic,
 * and round once in {@link Round}. Precision control applies only to add, subtract, multiply,
 * divide and square root (SDM Vol. 1 §8.1.5.2); the others round to 64 bits.
 */
public final class X87Arith {
  private X87Arith() {}

  /** FADD: {@code a + b}. */
  public static F80 add(X87State st, F80 a, F80 b) {
    return addSub(st, a, b, false);
  }

  /** FSUB: {@code a - b} (FSUBR is {@code sub(st, b, a)}). */
  public static F80 sub(X87State st, F80 a, F80 b) {
    return addSub(st, a, b, true);
  }

  private static F80 addSub(X87State st, F80 a, F80 b, boolean subtract) {
    st.sw &= ~X87State.C1;
    F80 nan = Round.nan2(st, a, b);
    if (nan != null) {
      return nan;
    }
    Round.denormals(st, a, b);
    boolean sa = a.isNegative();
    boolean sb = b.isNegative() ^ subtract;
    boolean ia = a.kind() == F80.Kind.INFINITY;
    boolean ib = b.kind() == F80.Kind.INFINITY;
    if (ia || ib) {
      if (ia && ib && sa != sb) {
        return Round.invalid(st); // inf - inf
      }
      return F80.infinity(ia ? sa : sb);
    }
    if (b.isZero()) {
      if (a.isZero()) {
        return F80.zero(sa == sb ? sa : st.roundingControl() == X87State.RC_DOWN);
      }
      return Round.toPc(st, sa, a.normExp(), a.normSig(), 0); // PC may still round a
    }
    if (a.isZero()) {
      return Round.toPc(st, sb, b.normExp(), b.normSig(), 0);
    }
    int ea = a.normExp();
    int eb = b.normExp();
    long ma = a.normSig();
    long mb = b.normSig();
    if (ea < eb || ea == eb && Long.compareUnsigned(ma, mb) < 0) { // |a| >= |b| from here on
      int te = ea;
      ea = eb;
      eb = te;
      long tm = ma;
      ma = mb;
      mb = tm;
      boolean ts = sa;
      sa = sb;
      sb = ts;
    }
    int d = ea - eb;
    long bh;
    long bl;
    if (d == 0) {
      bh = mb;
      bl = 0;
    } else if (d < 64) {
      bh = mb >>> d;
      bl = mb << (64 - d);
    } else if (d == 64) {
      bh = 0;
      bl = mb;
    } else if (d < 128) {
      bh = 0;
      bl = mb >>> (d - 64) | ((mb << (128 - d)) != 0 ? 1 : 0); // jam the lost bits
    } else {
      bh = 0;
      bl = 1;
    }
    if (sa == sb) {
      long lo = bl;
      long hi = ma + bh;
      int exp = ea;
      if (Long.compareUnsigned(hi, ma) < 0) { // carry out of bit 63
        lo = lo >>> 1 | hi << 63 | lo & 1;
        hi = hi >>> 1 | F80.J_BIT;
        exp++;
      }
      return Round.toPc(st, sa, exp, hi, lo);
    }
    long lo = -bl;
    long hi = ma - bh - (bl != 0 ? 1 : 0);
    if (hi == 0 && lo == 0) { // exact cancellation: +0, or -0 when rounding down (SDM §4.8.3.3)
      return F80.zero(st.roundingControl() == X87State.RC_DOWN);
    }
    return Round.toPc(st, sa, ea, hi, lo);
  }

  /** FMUL: {@code a * b}. */
  public static F80 mul(X87State st, F80 a, F80 b) {
    return mul(st, a, b, st.precision());
  }

  /** {@code a * b} rounded to {@code prec} bits (FYL2X's exact case ignores PC). */
  static F80 mul(X87State st, F80 a, F80 b, int prec) {
    st.sw &= ~X87State.C1;
    F80 nan = Round.nan2(st, a, b);
    if (nan != null) {
      return nan;
    }
    Round.denormals(st, a, b);
    boolean neg = a.isNegative() ^ b.isNegative();
    boolean ia = a.kind() == F80.Kind.INFINITY;
    boolean ib = b.kind() == F80.Kind.INFINITY;
    if (ia || ib) {
      if (a.isZero() || b.isZero()) {
        return Round.invalid(st); // 0 * inf
      }
      return F80.infinity(neg);
    }
    if (a.isZero() || b.isZero()) {
      return F80.zero(neg);
    }
    long ma = a.normSig();
    long mb = b.normSig();
    long lo = ma * mb;
    long hi = unsignedMultiplyHigh(ma, mb);
    return Round.round(st, neg, a.normExp() + b.normExp() + 1, hi, lo, prec, Round.EMIN_80,
        Round.EMAX_80);
  }

  /** FDIV: {@code a / b} (FDIVR is {@code div(st, b, a)}). */
  public static F80 div(X87State st, F80 a, F80 b) {
    st.sw &= ~X87State.C1;
    F80 nan = Round.nan2(st, a, b);
    if (nan != null) {
      return nan;
    }
    boolean neg = a.isNegative() ^ b.isNegative();
    boolean ia = a.kind() == F80.Kind.INFINITY;
    boolean ib = b.kind() == F80.Kind.INFINITY;
    if (ia && ib || a.isZero() && b.isZero()) {
      return Round.invalid(st); // inf / inf, 0 / 0
    }
    if (b.isZero() && !ia) {
      st.raise(X87State.ZE); // ZE, like IE, suppresses DE (observed on hardware)
      return F80.infinity(neg);
    }
    Round.denormals(st, a, b);
    if (ia) {
      return F80.infinity(neg);
    }
    if (ib) {
      return F80.zero(neg);
    }
    if (a.isZero()) {
      return F80.zero(neg);
    }
    long ma = a.normSig();
    long mb = b.normSig();
    int exp = a.normExp() - b.normExp();
    // Restoring division, one quotient bit per step; the partial remainder is 65 bits wide
    // (carry + r) because it is shifted before it is compared.
    long r = ma;
    boolean carry = false;
    if (Long.compareUnsigned(ma, mb) < 0) {
      exp--;
      carry = r < 0;
      r <<= 1;
    }
    long q = 0;
    for (int i = 0; i < 64; i++) {
      if (carry || Long.compareUnsigned(r, mb) >= 0) {
        r -= mb;
        q = q << 1 | 1;
      } else {
        q <<= 1;
      }
      carry = r < 0;
      r <<= 1;
    }
    boolean guard = carry || Long.compareUnsigned(r, mb) >= 0;
    if (guard) {
      r -= mb;
    }
    long lo = (guard ? F80.J_BIT : 0) | (r != 0 ? 1 : 0);
    return Round.toPc(st, neg, exp, q, lo);
  }

  /** FSQRT. */
  public static F80 sqrt(X87State st, F80 a) {
    st.sw &= ~X87State.C1;
    F80 nan = Round.nan1(st, a);
    if (nan != null) {
      return nan;
    }
    if (a.isNegative() && !a.isZero()) {
      return Round.invalid(st);
    }
    Round.denormal(st, a);
    if (a.isZero()) {
      return a; // sqrt(-0) = -0
    }
    if (a.kind() == F80.Kind.INFINITY) {
      return a;
    }
    // a = m * 2^(e-63). Take the integer square root of a 128-bit N with a = N * 2^(2k), so
    // that N is in [2^126, 2^128) and its root fills exactly 64 bits.
    int e = a.normExp();
    long m = a.normSig();
    long nHi;
    long nLo;
    int k;
    if ((e & 1) != 0) { // N = m * 2^64
      nHi = m;
      nLo = 0;
      k = (e - 127) / 2;
    } else { // N = m * 2^63
      nHi = m >>> 1;
      nLo = m << 63;
      k = (e - 126) / 2;
    }
    // Binary digit-by-digit root: two radicand bits per step; the remainder stays below
    // 2 * root + 1 < 2^65, so it is kept as remHi:remLo.
    long root = 0;
    long remHi = 0;
    long remLo = 0;
    for (int i = 63; i >= 0; i--) {
      int pair = (int) ((i >= 32 ? nHi >>> (2 * (i - 32)) : nLo >>> (2 * i)) & 3);
      remHi = remHi << 2 | remLo >>> 62;
      remLo = remLo << 2 | pair;
      long trialHi = root >>> 62; // trial = 4 * root + 1
      long trialLo = root << 2 | 1;
      root <<= 1;
      if (remHi > trialHi || remHi == trialHi && Long.compareUnsigned(remLo, trialLo) >= 0) {
        remHi = remHi - trialHi - (Long.compareUnsigned(remLo, trialLo) < 0 ? 1 : 0);
        remLo -= trialLo;
        root |= 1;
      }
    }
    // The next root bit is 1 iff N - root^2 > root ((root + 1/2)^2 is never an integer); any
    // non-zero remainder means an inexact (sticky) tail.
    boolean guard = remHi != 0 || Long.compareUnsigned(remLo, root) > 0;
    boolean sticky = remHi != 0 || remLo != 0;
    long lo = (guard ? F80.J_BIT : 0) | (sticky ? 1 : 0);
    return Round.toPc(st, false, k + 63, root, lo);
  }

  /**
   * FPREM ({@code ieee == false}: quotient truncated) and FPREM1 ({@code ieee == true}: quotient
   * rounded to nearest-even) of {@code a = ST(0)} by {@code b = ST(1)}. Sets C2 = 1 when the
   * reduction is partial (exponent difference >= 64) and otherwise C0, C3, C1 to the quotient's
   * bits 2, 1, 0. A partial step reduces by 2^(D-N) with N = 32 + D mod 32, which is within the
   * SDM's "implementation-dependent number between 32 and 63" and matches the host CPUs we
   * measured; the partial step leaves C0 = C3 = C1 = 0, as they do. The result is exact.
   */
  public static F80 fprem(X87State st, F80 a, F80 b, boolean ieee) {
    st.setConditions(0);
    F80 nan = Round.nan2(st, a, b);
    if (nan != null) {
      return nan;
    }
    if (a.kind() == F80.Kind.INFINITY || b.isZero()) {
      return Round.invalid(st);
    }
    Round.denormals(st, a, b);
    if (a.isZero()) {
      return a;
    }
    if (b.kind() == F80.Kind.INFINITY) {
      return canonical(a);
    }
    boolean neg = a.isNegative();
    int ea = a.normExp();
    int eb = b.normExp();
    long ma = a.normSig();
    long mb = b.normSig();
    int d = ea - eb;
    if (d < -1) {
      return canonical(a); // |a| < |b| / 2: quotient 0 in both modes, the remainder is a
    }
    BigInteger bigB = unsigned(mb);
    if (d >= 64) {
      int n = 32 + d % 32;
      BigInteger num = unsigned(ma).shiftLeft(n);
      BigInteger rem = num.mod(bigB);
      st.setConditions(X87State.C2);
      return exact(st, neg, rem, ea - n - 63);
    }
    BigInteger num = unsigned(ma);
    int scale;
    if (d >= 0) {
      num = num.shiftLeft(d);
      scale = eb - 63;
    } else {
      bigB = bigB.shiftLeft(1);
      scale = ea - 63;
    }
    BigInteger[] qr = num.divideAndRemainder(bigB);
    BigInteger q = qr[0];
    BigInteger rem = qr[1];
    if (ieee) {
      int c = rem.shiftLeft(1).compareTo(bigB);
      if (c > 0 || c == 0 && q.testBit(0)) {
        q = q.add(BigInteger.ONE);
        rem = bigB.subtract(rem);
        neg = !neg;
      }
    }
    int qlow = q.intValue();
    st.setConditions(((qlow & 4) != 0 ? X87State.C0 : 0) | ((qlow & 2) != 0 ? X87State.C3 : 0)
        | ((qlow & 1) != 0 ? X87State.C1 : 0));
    if (rem.signum() == 0) {
      return F80.zero(a.isNegative()); // a zero remainder keeps the dividend's sign
    }
    return exact(st, neg, rem, scale);
  }

  /** A finite non-zero value re-encoded: a pseudo-denormal becomes the equal normal. */
  private static F80 canonical(F80 a) {
    return F80.pack(a.isNegative(), a.normExp(), a.normSig());
  }

  /** Packs an exactly representable {@code mag * 2^scale}; rounding never happens. */
  private static F80 exact(X87State st, boolean neg, BigInteger mag, int scale) {
    if (mag.signum() == 0) {
      return F80.zero(neg);
    }
    int saved = st.sw & X87State.C1;
    F80 r = Round.roundBig(st, neg, mag, scale, false, 64, Round.EMIN_80, Round.EMAX_80);
    st.sw = st.sw & ~X87State.C1 | saved; // keep the quotient bit in C1
    return r;
  }

  /** FSCALE: {@code a * 2^trunc(b)}, rounded to 64 bits with RC (SDM FSCALE table). */
  public static F80 fscale(X87State st, F80 a, F80 b) {
    st.sw &= ~X87State.C1;
    F80 nan = Round.nan2(st, a, b);
    if (nan != null) {
      return nan;
    }
    Round.denormals(st, a, b);
    boolean ia = a.kind() == F80.Kind.INFINITY;
    if (b.kind() == F80.Kind.INFINITY) {
      if (b.isNegative()) {
        return ia ? Round.invalid(st) : F80.zero(a.isNegative());
      }
      return a.isZero() ? Round.invalid(st) : F80.infinity(a.isNegative());
    }
    if (a.isZero() || ia) {
      return a;
    }
    long n = 0;
    if (!b.isZero()) {
      int eb = b.normExp();
      if (eb >= 30) {
        n = 1L << 30; // far beyond the exponent range either way
      } else if (eb >= 0) {
        n = b.normSig() >>> (63 - eb);
      }
      if (b.isNegative()) {
        n = -n;
      }
    }
    return Round.to64(st, a.isNegative(), (int) (a.normExp() + n), a.normSig(), 0);
  }

  /**
   * FXTRACT: returns {exponent, significand}; the interpreter stores the exponent in ST(0) and
   * then pushes the significand. Zero gives ZE, -inf and the signed zero (SDM FXTRACT).
   */
  public static F80[] fxtract(X87State st, F80 a) {
    st.sw &= ~X87State.C1;
    F80 nan = Round.nan1(st, a);
    if (nan != null) {
      return new F80[] {nan, nan};
    }
    Round.denormal(st, a);
    if (a.isZero()) {
      st.raise(X87State.ZE);
      return new F80[] {F80.NEG_INF, a};
    }
    if (a.kind() == F80.Kind.INFINITY) {
      return new F80[] {F80.POS_INF, a};
    }
    F80 sig = F80.pack(a.isNegative(), 0, a.normSig());
    return new F80[] {X87Convert.fromInt64(a.normExp()), sig};
  }

  /** FRNDINT: rounds to an integer with RC (PE when inexact, C1 when rounded up). */
  public static F80 frndint(X87State st, F80 a) {
    st.sw &= ~X87State.C1;
    F80 nan = Round.nan1(st, a);
    if (nan != null) {
      return nan;
    }
    Round.denormal(st, a);
    if (a.isZero() || a.kind() == F80.Kind.INFINITY) {
      return a;
    }
    int e = a.normExp();
    if (e >= 63) {
      return a; // already an integer
    }
    boolean neg = a.isNegative();
    long m = a.normSig();
    int k = 63 - e; // fraction bits
    boolean inc = Round.roundsUp(m, 0, k, st.roundingControl(), neg);
    long keep = k >= 64 ? 0 : m >>> k;
    if (Round.inexact(m, 0, k)) {
      st.raise(X87State.PE);
    }
    st.setCondition(X87State.C1, inc);
    if (inc) {
      keep++;
    }
    if (keep == 0) {
      return F80.zero(neg);
    }
    return F80.pack(neg, 63, keep);
  }

  /** The high 64 bits of the unsigned 128-bit product (Math.unsignedMultiplyHigh is Java 18). */
  static long unsignedMultiplyHigh(long x, long y) {
    return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
  }

  static BigInteger unsigned(long v) {
    BigInteger b = BigInteger.valueOf(v & Long.MAX_VALUE);
    return v < 0 ? b.setBit(63) : b;
  }
}
