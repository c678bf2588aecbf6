package dev.blinkchroot.emulator.x87;

/**
 * One x87 double extended-precision value, exactly as the 80-bit register holds it (Intel SDM
 * Vol. 1 §4.2.2, §8.2): bit 79 sign, bits 78..64 biased exponent (bias 16383), bits 63..0 the
 * significand <em>with</em> its explicit integer bit J (bit 63).
 *
 * <p>Why an immutable two-field object and not a pair of primitives: Java has no multiple return
 * values, and every x87 operation produces a sign/exponent and a significand together. A final
 * class with a packed {@code int} (sign and 15-bit exponent, the upper 16 bits of the memory
 * image) and a {@code long} significand is allocation-cheap (the JIT scalar-replaces most
 * temporaries, and common constants are shared), keeps the raw bit pattern (pseudo-denormals,
 * unnormals, NaN payloads survive loads and stores bit for bit, as hardware requires), and
 * compares by value. Arithmetic lives elsewhere ({@link X87Arith}, {@link X87Convert},
 * {@link X87Transcendental}); this class only encodes, decodes and classifies.
 */
public final class F80 {
  /** Exponent bias of the extended format. */
  public static final int BIAS = 16383;
  /** Maximal biased exponent: infinities and NaNs. */
  public static final int EXP_MAX = 0x7fff;
  /** Significand bit 63: the explicit integer bit J. */
  public static final long J_BIT = 0x8000_0000_0000_0000L;
  /** Significand bit 62: the quiet bit of a NaN. */
  public static final long QUIET_BIT = 0x4000_0000_0000_0000L;

  public static final F80 POS_ZERO = new F80(0, 0);
  public static final F80 NEG_ZERO = new F80(0x8000, 0);
  public static final F80 POS_INF = new F80(0x7fff, J_BIT);
  public static final F80 NEG_INF = new F80(0xffff, J_BIT);
  /** The "real indefinite" QNaN, the masked response to an invalid operation (SDM Table 4-3). */
  public static final F80 INDEFINITE = new F80(0xffff, 0xC000_0000_0000_0000L);
  public static final F80 ONE = new F80(BIAS, J_BIT);
  public static final F80 NEG_ONE = new F80(0x8000 | BIAS, J_BIT);

  /** The classes the x87 distinguishes (SDM Vol. 1 Table 8-3 and §8.2.2). */
  public enum Kind {
    ZERO,
    /** Exponent 0 and J = 0, significand non-zero. */
    DENORMAL,
    /** Exponent 0 and J = 1: accepted as an operand, handled like a denormal (§8.2.2). */
    PSEUDO_DENORMAL,
    NORMAL,
    INFINITY,
    QNAN,
    SNAN,
    /** Unnormals, pseudo-NaNs and pseudo-infinities: always an invalid operand (§8.2.2). */
    UNSUPPORTED
  }

  /** Sign (bit 15) and biased exponent (bits 14..0): the upper two bytes of the memory image. */
  final int se;
  /** The 64-bit significand including the explicit integer bit. */
  final long sig;

  private F80(int se, long sig) {
    this.se = se & 0xffff;
    this.sig = sig;
  }

  /** The value with sign/exponent word {@code signExp} (low 16 bits used) and significand. */
  public static F80 of(int signExp, long significand) {
    if (significand == 0 && (signExp & 0x7fff) == 0) {
      return (signExp & 0x8000) == 0 ? POS_ZERO : NEG_ZERO;
    }
    return new F80(signExp, significand);
  }

  /** The signed zero. */
  public static F80 zero(boolean negative) {
    return negative ? NEG_ZERO : POS_ZERO;
  }

  /** The signed infinity. */
  public static F80 infinity(boolean negative) {
    return negative ? NEG_INF : POS_INF;
  }

  /**
   * The extended value of {@code sig * 2^(exp-63)} where {@code sig} is exact: normalizes, and
   * produces a denormal (exponent field 0) below 2^-16382. The caller guarantees the value fits
   * the exponent range without rounding (all callers round first).
   */
  static F80 pack(boolean negative, int exp, long sig) {
    int sign = negative ? 0x8000 : 0;
    if (sig == 0) {
      return zero(negative);
    }
    int lz = Long.numberOfLeadingZeros(sig);
    sig <<= lz;
    exp -= lz;
    int biased = exp + BIAS;
    if (biased <= 0) {
      // Denormal: exponent field 0 means 2^-16382 with J = 0.
      int shift = 1 - biased;
      sig = shift >= 64 ? 0 : sig >>> shift;
      return of(sign, sig);
    }
    return new F80(sign | biased, sig);
  }

  /** Decodes the 10-byte little-endian memory image at {@code off}. */
  public static F80 fromBytes(byte[] b, int off) {
    long sig = 0;
    for (int i = 7; i >= 0; i--) {
      sig = sig << 8 | (b[off + i] & 0xff);
    }
    return of((b[off + 8] & 0xff) | (b[off + 9] & 0xff) << 8, sig);
  }

  /** Writes the 10-byte little-endian memory image at {@code off}. */
  public void toBytes(byte[] b, int off) {
    long s = sig;
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) s;
      s >>>= 8;
    }
    b[off + 8] = (byte) se;
    b[off + 9] = (byte) (se >>> 8);
  }

  /** Sign and biased exponent, as in bytes 8..9 of the memory image. */
  public int signExp() {
    return se;
  }

  /** The significand including the explicit integer bit. */
  public long significand() {
    return sig;
  }

  public boolean isNegative() {
    return (se & 0x8000) != 0;
  }

  /** The biased exponent field. */
  public int biasedExponent() {
    return se & 0x7fff;
  }

  public Kind kind() {
    int e = se & 0x7fff;
    boolean j = sig < 0;
    if (e == 0) {
      if (sig == 0) {
        return Kind.ZERO;
      }
      return j ? Kind.PSEUDO_DENORMAL : Kind.DENORMAL;
    }
    if (!j) {
      return Kind.UNSUPPORTED; // unnormal, pseudo-infinity, pseudo-NaN
    }
    if (e == EXP_MAX) {
      long frac = sig & ~J_BIT;
      if (frac == 0) {
        return Kind.INFINITY;
      }
      return (sig & QUIET_BIT) != 0 ? Kind.QNAN : Kind.SNAN;
    }
    return Kind.NORMAL;
  }

  public boolean isNaN() {
    Kind k = kind();
    return k == Kind.QNAN || k == Kind.SNAN;
  }

  public boolean isZero() {
    return (se & 0x7fff) == 0 && sig == 0;
  }

  public boolean isInfinite() {
    return kind() == Kind.INFINITY;
  }

  /** True for denormals and pseudo-denormals: the operands that raise DE in arithmetic. */
  public boolean isDenormal() {
    return (se & 0x7fff) == 0 && sig != 0;
  }

  /** The same value with the sign flipped (FCHS). */
  public F80 negate() {
    return of(se ^ 0x8000, sig);
  }

  /** The same value with the sign cleared (FABS). */
  public F80 abs() {
    return of(se & 0x7fff, sig);
  }

  /** The NaN with its quiet bit set (an SNaN becomes a QNaN, SDM §4.8.3.4). */
  F80 quiet() {
    return of(se, sig | QUIET_BIT);
  }

  /**
   * The unbiased exponent of bit 63 after normalization, for finite non-zero values: denormals and
   * pseudo-denormals use the exponent 2^-16382 of the biased exponent 1 (SDM §8.2.2), so the
   * value is always {@code normSig() * 2^(normExp() - 63)}.
   */
  int normExp() {
    int e = se & 0x7fff;
    if (e == 0) {
      return 1 - BIAS - Long.numberOfLeadingZeros(sig);
    }
    return e - BIAS;
  }

  /** The significand shifted so that bit 63 is set (finite non-zero values). */
  long normSig() {
    return sig << Long.numberOfLeadingZeros(sig);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof F80 && ((F80) o).se == se && ((F80) o).sig == sig;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(sig) * 31 + se;
  }

  /** The bit pattern, "SSSS:XXXXXXXXXXXXXXXX", as the tests and the oracle print it. */
  @Override
  public String toString() {
    return String.format("%04x:%016x", se, sig);
  }

  /** Parses {@link #toString()}'s format. */
  public static F80 parse(String hex) {
    int colon = hex.indexOf(':');
    return of(Integer.parseInt(hex.substring(0, colon), 16),
        Long.parseUnsignedLong(hex.substring(colon + 1), 16));
  }
}
