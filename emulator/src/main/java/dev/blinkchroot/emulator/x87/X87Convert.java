package dev.blinkchroot.emulator.x87;

/**
 * Conversions between the x87 register format and the memory formats: single and double
 * precision (FLD/FST m32/m64), word/doubleword/quadword integers (FILD, FIST/FISTP, FISTTP) and
 * 18-digit packed BCD (FBLD, FBSTP). The 80-bit format itself is {@link F80#fromBytes} and
 * {@link F80#toBytes}: FLD/FSTP m80 copy it bit for bit and raise nothing.
 *
 * <p>Loads are exact; a denormal single/double source raises DE and an SNaN source raises IE and
 * is quieted. Stores round with RC (never PC), with the destination's exponent range.
 */
public final class X87Convert {
  /** Single/double precision QNaN "indefinite" patterns. */
  public static final int FLOAT32_INDEFINITE = 0xffc0_0000;
  public static final long FLOAT64_INDEFINITE = 0xfff8_0000_0000_0000L;

  private X87Convert() {}

  // ---- binary floating point ------------------------------------------------------------------

  /** FLD m32. */
  public static F80 fromFloat32(X87State st, int bits) {
    return fromBinary(st, bits >>> 31 != 0, bits >>> 23 & 0xff, bits & 0x7fffffL, 23, 127, 0xff);
  }

  /** FLD m64. */
  public static F80 fromFloat64(X87State st, long bits) {
    return fromBinary(st, bits < 0, (int) (bits >>> 52 & 0x7ff), bits & 0xf_ffff_ffff_ffffL, 52,
        1023, 0x7ff);
  }

  private static F80 fromBinary(X87State st, boolean neg, int exp, long frac, int fracBits,
      int bias, int maxExp) {
    int sign = neg ? 0x8000 : 0;
    if (exp == maxExp) {
      if (frac == 0) {
        return F80.infinity(neg);
      }
      long sig = F80.J_BIT | frac << (63 - fracBits);
      if ((sig & F80.QUIET_BIT) == 0) {
        st.raise(X87State.IE);
        sig |= F80.QUIET_BIT;
      }
      return F80.of(sign | F80.EXP_MAX, sig);
    }
    if (exp == 0) {
      if (frac == 0) {
        return F80.zero(neg);
      }
      st.raise(X87State.DE);
      return F80.pack(neg, 1 - bias - fracBits + 63, frac); // exactly frac * 2^(1-bias-fracBits)
    }
    return F80.of(sign | (exp - bias + F80.BIAS), F80.J_BIT | frac << (63 - fracBits));
  }

  /** FST m32: the single-precision bit pattern. */
  public static int toFloat32(X87State st, F80 a) {
    return (int) toBinary(st, a, 24, Round.EMIN_32, Round.EMAX_32, 127, 23);
  }

  /** FST m64: the double-precision bit pattern. */
  public static long toFloat64(X87State st, F80 a) {
    return toBinary(st, a, 53, Round.EMIN_64, Round.EMAX_64, 1023, 52);
  }

  private static long toBinary(X87State st, F80 a, int prec, int emin, int emax, int bias,
      int fracBits) {
    st.sw &= ~X87State.C1;
    long sign = a.isNegative() ? 1L << (fracBits + (fracBits == 23 ? 8 : 11)) : 0;
    long expField = (long) (2 * bias + 1) << fracBits; // all ones
    switch (a.kind()) {
      case UNSUPPORTED:
        st.raise(X87State.IE);
        return fracBits == 23 ? FLOAT32_INDEFINITE & 0xffffffffL : FLOAT64_INDEFINITE;
      case SNAN:
        st.raise(X87State.IE);
        // fall through: quieted, payload truncated
      case QNAN:
        return sign | expField | 1L << (fracBits - 1) | (a.sig & ~F80.J_BIT) >>> (63 - fracBits);
      case INFINITY:
        return sign | expField;
      case ZERO:
        return sign;
      default:
        break;
    }
    F80 r = Round.round(st, a.isNegative(), a.normExp(), a.normSig(), 0, prec, emin, emax);
    if (r.kind() == F80.Kind.INFINITY) {
      return sign | expField;
    }
    if (r.isZero()) {
      return sign;
    }
    int e = r.normExp();
    long m = r.normSig();
    if (e >= emin) {
      return sign | (long) (e + bias) << fracBits | (m << 1) >>> (64 - fracBits);
    }
    return sign | m >>> (63 - fracBits + (emin - e)); // denormal: exponent field 0
  }

  // ---- integers -------------------------------------------------------------------------------

  /** FILD (any width, sign-extended by the caller): always exact. */
  public static F80 fromInt64(long v) {
    if (v == 0) {
      return F80.POS_ZERO;
    }
    boolean neg = v < 0;
    long mag = neg ? -v : v; // Long.MIN_VALUE stays 2^63 read as unsigned
    return F80.pack(neg, 63, mag);
  }

  /**
   * FIST/FISTP ({@code truncate == false}: rounds with RC) and FISTTP ({@code truncate}: toward
   * zero) to a {@code bits}-wide integer (16, 32 or 64), returned sign-extended. NaNs, infinities,
   * unsupported encodings and out-of-range results raise IE and give the "integer indefinite"
   * (the most negative value, SDM Table 4-3).
   */
  public static long toInt(X87State st, F80 a, int bits, boolean truncate) {
    st.sw &= ~X87State.C1;
    long indefinite = Long.MIN_VALUE >> (64 - bits);
    switch (a.kind()) {
      case ZERO:
        return 0;
      case NORMAL:
      case DENORMAL:
      case PSEUDO_DENORMAL:
        break;
      default:
        st.raise(X87State.IE);
        return indefinite;
    }
    boolean neg = a.isNegative();
    int e = a.normExp();
    if (e >= 64) {
      st.raise(X87State.IE);
      return indefinite;
    }
    long m = a.normSig();
    int k = 63 - e;
    int rc = truncate ? X87State.RC_ZERO : st.roundingControl();
    long keep;
    boolean inc;
    boolean inexact;
    if (k <= 0) {
      keep = m; // e == 63: already an integer, 2^63 <= |a| < 2^64
      inc = false;
      inexact = false;
    } else {
      keep = k >= 64 ? 0 : m >>> k;
      inc = Round.roundsUp(m, 0, k, rc, neg);
      inexact = Round.inexact(m, 0, k);
    }
    if (inc) {
      keep++; // cannot wrap: k >= 1 leaves keep < 2^63
    }
    // Range check on the magnitude: [0, 2^(bits-1) - 1] or, when negative, up to 2^(bits-1).
    long limit = 1L << (bits - 1); // for bits == 64 this is Long.MIN_VALUE, i.e. 2^63 unsigned
    int c = Long.compareUnsigned(keep, limit);
    if (c > 0 || c == 0 && !neg) {
      st.raise(X87State.IE);
      return indefinite;
    }
    if (inexact) {
      st.raise(X87State.PE);
    }
    st.setCondition(X87State.C1, inc);
    return neg ? -keep : keep;
  }

  // ---- packed BCD -----------------------------------------------------------------------------

  /** Largest magnitude FBSTP can store: 18 nines. */
  private static final long BCD_MAX = 999_999_999_999_999_999L;

  /**
   * FBLD: 18 BCD digits in bytes 0..8 (two per byte, low digit in the low nibble), sign in bit 7
   * of byte 9. Invalid digits give undefined results on hardware; here they are used as their
   * binary nibble value.
   */
  public static F80 fromBcd(byte[] b, int off) {
    long v = 0;
    for (int i = 8; i >= 0; i--) {
      int x = b[off + i] & 0xff;
      v = v * 100 + (x >>> 4) * 10 + (x & 15);
    }
    boolean neg = (b[off + 9] & 0x80) != 0;
    if (v == 0) {
      return F80.zero(neg);
    }
    return F80.pack(neg, 63, v);
  }

  /**
   * FBSTP: rounds with RC to an integer and writes 10 bytes at {@code off}. Values whose rounded
   * magnitude exceeds 18 digits, NaNs, infinities and unsupported encodings raise IE and store
   * the packed BCD indefinite (bytes 7..9 = C0 FF FF, SDM Table 4-3).
   */
  public static void toBcd(X87State st, F80 a, byte[] b, int off) {
    st.sw &= ~X87State.C1;
    boolean neg = a.isNegative();
    long v;
    switch (a.kind()) {
      case ZERO:
        v = 0;
        break;
      case NORMAL:
      case DENORMAL:
      case PSEUDO_DENORMAL:
        if (a.normExp() >= 60) { // >= 2^60 > 10^18 - 1
          v = -1;
          break;
        }
        int saved = st.sw;
        v = toInt(st, a, 64, false);
        if (Math.abs(v) > BCD_MAX) {
          st.sw = saved; // no PE/C1 from the rounding when the value is out of range
          v = -1;
        } else {
          v = Math.abs(v);
        }
        break;
      default:
        v = -1;
        break;
    }
    if (v < 0) {
      st.raise(X87State.IE);
      for (int i = 0; i < 7; i++) {
        b[off + i] = 0;
      }
      b[off + 7] = (byte) 0xc0;
      b[off + 8] = (byte) 0xff;
      b[off + 9] = (byte) 0xff;
      return;
    }
    for (int i = 0; i < 9; i++) {
      int lowDigit = (int) (v % 10);
      v /= 10;
      int highDigit = (int) (v % 10);
      v /= 10;
      b[off + i] = (byte) (highDigit << 4 | lowDigit);
    }
    b[off + 9] = (byte) (neg ? 0x80 : 0);
  }
}
