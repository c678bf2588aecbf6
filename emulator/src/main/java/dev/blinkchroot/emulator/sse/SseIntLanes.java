package dev.blinkchroot.emulator.sse;

/**
 * Lane-wise MMX/SSE integer semantics on one 64-bit chunk of a vector register: every method
 * takes and returns 64 bits holding 8 bytes, 4 words, 2 doublewords or 1 quadword, lane 0 in
 * the low bits. An MMX instruction applies the method once, an SSE instruction once to each
 * half of the XMM register, so the interpreter and a JIT share one definition per operation.
 * Definitions follow the Intel SDM Vol. 2 instruction pages.
 *
 * <p>Lane widths are given in bits (8, 16, 32, 64). Saturation follows SDM Vol. 1, 4.6.3:
 * signed results clamp to [MIN, MAX] of the lane, unsigned ones to [0, MAX].
 */
public final class SseIntLanes {
  private SseIntLanes() {}

  private static final long H8 = 0x8080_8080_8080_8080L;
  private static final long H16 = 0x8000_8000_8000_8000L;
  private static final long H32 = 0x8000_0000_8000_0000L;

  /** The all-ones mask of a lane width. */
  static long mask(int bits) {
    return bits == 64 ? -1L : (1L << bits) - 1;
  }

  /** Lane {@code i} of {@code v}, zero-extended. */
  public static long lane(long v, int bits, int i) {
    return v >>> (i * bits) & mask(bits);
  }

  /** Lane {@code i} of {@code v}, sign-extended. */
  public static long slane(long v, int bits, int i) {
    return v << (64 - bits - i * bits) >> (64 - bits);
  }

  /** {@code v} with lane {@code i} replaced by the low bits of {@code x}. */
  public static long withLane(long v, int bits, int i, long x) {
    long m = mask(bits) << (i * bits);
    return v & ~m | (x << (i * bits)) & m;
  }

  private static long clamp(long x, long lo, long hi) {
    return x < lo ? lo : x > hi ? hi : x;
  }

  // ---------------------------------------------------------------- wrapping add / subtract

  /** The sign bits of every lane of a width below 64. */
  private static long highs(int bits) {
    return bits == 8 ? H8 : bits == 16 ? H16 : H32;
  }

  /**
   * PADDB/W/D/Q: lane sums modulo 2^bits. The sign bits are added separately so no carry
   * crosses a lane boundary.
   */
  public static long add(int bits, long a, long b) {
    if (bits == 64) {
      return a + b;
    }
    long h = highs(bits);
    return ((a & ~h) + (b & ~h)) ^ ((a ^ b) & h);
  }

  /** PSUBB/W/D/Q: lane differences modulo 2^bits (borrows stop at lane boundaries). */
  public static long sub(int bits, long a, long b) {
    if (bits == 64) {
      return a - b;
    }
    long h = highs(bits);
    return ((a | h) - (b & ~h)) ^ ((a ^ ~b) & h);
  }

  // ---------------------------------------------------------------- saturating add / subtract

  /** PADDSB/PADDSW: signed saturating sums. */
  public static long addSigned(int bits, long a, long b) {
    long r = 0;
    long max = mask(bits - 1);
    for (int i = 0; i < 64 / bits; i++) {
      long x = clamp(slane(a, bits, i) + slane(b, bits, i), -max - 1, max);
      r = withLane(r, bits, i, x);
    }
    return r;
  }

  /** PSUBSB/PSUBSW: signed saturating differences. */
  public static long subSigned(int bits, long a, long b) {
    long r = 0;
    long max = mask(bits - 1);
    for (int i = 0; i < 64 / bits; i++) {
      long x = clamp(slane(a, bits, i) - slane(b, bits, i), -max - 1, max);
      r = withLane(r, bits, i, x);
    }
    return r;
  }

  /** PADDUSB/PADDUSW: unsigned saturating sums. */
  public static long addUnsigned(int bits, long a, long b) {
    long r = 0;
    for (int i = 0; i < 64 / bits; i++) {
      r = withLane(r, bits, i, Math.min(lane(a, bits, i) + lane(b, bits, i), mask(bits)));
    }
    return r;
  }

  /** PSUBUSB/PSUBUSW: unsigned saturating differences (clamped at 0). */
  public static long subUnsigned(int bits, long a, long b) {
    long r = 0;
    for (int i = 0; i < 64 / bits; i++) {
      r = withLane(r, bits, i, Math.max(lane(a, bits, i) - lane(b, bits, i), 0));
    }
    return r;
  }

  // ---------------------------------------------------------------- multiplies

  /** PMULLW (16) and PMULLD (32): the low half of each signed product. */
  public static long mulLow(int bits, long a, long b) {
    long r = 0;
    for (int i = 0; i < 64 / bits; i++) {
      r = withLane(r, bits, i, lane(a, bits, i) * lane(b, bits, i));
    }
    return r;
  }

  /** PMULHW: the high 16 bits of each signed 16x16 product. */
  public static long mulHighSigned16(long a, long b) {
    long r = 0;
    for (int i = 0; i < 4; i++) {
      r = withLane(r, 16, i, slane(a, 16, i) * slane(b, 16, i) >> 16);
    }
    return r;
  }

  /** PMULHUW: the high 16 bits of each unsigned 16x16 product. */
  public static long mulHighUnsigned16(long a, long b) {
    long r = 0;
    for (int i = 0; i < 4; i++) {
      r = withLane(r, 16, i, lane(a, 16, i) * lane(b, 16, i) >>> 16);
    }
    return r;
  }

  /** PMULHRSW: each signed product scaled by 2^-15 with rounding, (a*b >> 14) + 1 >> 1. */
  public static long mulHighRoundScale16(long a, long b) {
    long r = 0;
    for (int i = 0; i < 4; i++) {
      long p = slane(a, 16, i) * slane(b, 16, i);
      r = withLane(r, 16, i, ((p >> 14) + 1) >> 1);
    }
    return r;
  }

  /** PMULUDQ: the unsigned 64-bit product of the low doublewords. */
  public static long mulUnsignedDq(long a, long b) {
    return (a & 0xffff_ffffL) * (b & 0xffff_ffffL);
  }

  /** PMULDQ: the signed 64-bit product of the low doublewords. */
  public static long mulSignedDq(long a, long b) {
    return (long) (int) a * (long) (int) b;
  }

  /** PMADDWD: signed word products, adjacent pairs summed into doublewords (wrapping). */
  public static long maddWd(long a, long b) {
    long r = 0;
    for (int i = 0; i < 2; i++) {
      long s = slane(a, 16, 2 * i) * slane(b, 16, 2 * i)
          + slane(a, 16, 2 * i + 1) * slane(b, 16, 2 * i + 1);
      r = withLane(r, 32, i, s);
    }
    return r;
  }

  /**
   * PMADDUBSW: unsigned bytes of the destination times signed bytes of the source, adjacent
   * pairs summed with signed word saturation.
   */
  public static long maddUbsw(long dst, long src) {
    long r = 0;
    for (int i = 0; i < 4; i++) {
      long s = lane(dst, 8, 2 * i) * slane(src, 8, 2 * i)
          + lane(dst, 8, 2 * i + 1) * slane(src, 8, 2 * i + 1);
      r = withLane(r, 16, i, clamp(s, Short.MIN_VALUE, Short.MAX_VALUE));
    }
    return r;
  }

  /** PSADBW: the sum of the 8 absolute byte differences in bits 15..0, the rest zero. */
  public static long sadBw(long a, long b) {
    long sum = 0;
    for (int i = 0; i < 8; i++) {
      sum += Math.abs(lane(a, 8, i) - lane(b, 8, i));
    }
    return sum;
  }

  // ---------------------------------------------------------------- averages, min, max

  /** PAVGB/PAVGW: unsigned rounded averages, (a + b + 1) >> 1 without overflow. */
  public static long average(int bits, long a, long b) {
    long r = 0;
    for (int i = 0; i < 64 / bits; i++) {
      r = withLane(r, bits, i, (lane(a, bits, i) + lane(b, bits, i) + 1) >>> 1);
    }
    return r;
  }

  /** PMINUB/UW/UD: unsigned minima. */
  public static long minUnsigned(int bits, long a, long b) {
    long r = 0;
    for (int i = 0; i < 64 / bits; i++) {
      r = withLane(r, bits, i, Math.min(lane(a, bits, i), lane(b, bits, i)));
    }
    return r;
  }

  /** PMAXUB/UW/UD: unsigned maxima. */
  public static long maxUnsigned(int bits, long a, long b) {
    long r = 0;
    for (int i = 0; i < 64 / bits; i++) {
      r = withLane(r, bits, i, Math.max(lane(a, bits, i), lane(b, bits, i)));
    }
    return r;
  }

  /** PMINSB/SW/SD: signed minima. */
  public static long minSigned(int bits, long a, long b) {
    long r = 0;
    for (int i = 0; i < 64 / bits; i++) {
      r = withLane(r, bits, i, Math.min(slane(a, bits, i), slane(b, bits, i)));
    }
    return r;
  }

  /** PMAXSB/SW/SD: signed maxima. */
  public static long maxSigned(int bits, long a, long b) {
    long r = 0;
    for (int i = 0; i < 64 / bits; i++) {
      r = withLane(r, bits, i, Math.max(slane(a, bits, i), slane(b, bits, i)));
    }
    return r;
  }

  // ---------------------------------------------------------------- compares

  /** PCMPEQB/W/D/Q: all ones in lanes that are equal, zero elsewhere. */
  public static long compareEqual(int bits, long a, long b) {
    long r = 0;
    for (int i = 0; i < 64 / bits; i++) {
      r = withLane(r, bits, i, lane(a, bits, i) == lane(b, bits, i) ? -1 : 0);
    }
    return r;
  }

  /** PCMPGTB/W/D/Q: all ones where the signed lane of {@code a} is greater. */
  public static long compareGreater(int bits, long a, long b) {
    long r = 0;
    for (int i = 0; i < 64 / bits; i++) {
      r = withLane(r, bits, i, slane(a, bits, i) > slane(b, bits, i) ? -1 : 0);
    }
    return r;
  }

  // ---------------------------------------------------------------- sign and absolute value

  /** PABSB/W/D: absolute values; the most negative lane stays 0x80.. (read as unsigned). */
  public static long abs(int bits, long v) {
    long r = 0;
    for (int i = 0; i < 64 / bits; i++) {
      r = withLane(r, bits, i, Math.abs(slane(v, bits, i)));
    }
    return r;
  }

  /**
   * PSIGNB/W/D: each lane of {@code dst} negated where the source lane is negative, zeroed
   * where it is zero, kept where it is positive.
   */
  public static long sign(int bits, long dst, long src) {
    long r = 0;
    for (int i = 0; i < 64 / bits; i++) {
      long s = slane(src, bits, i);
      long d = slane(dst, bits, i);
      r = withLane(r, bits, i, s < 0 ? -d : s == 0 ? 0 : d);
    }
    return r;
  }

  // ---------------------------------------------------------------- shifts

  /**
   * PSLLW/D/Q: logical left shift of every lane by the unsigned 64-bit {@code count}; counts
   * of the lane width or more clear the lanes (SDM: "if the count is greater than 15/31/63").
   */
  public static long shiftLeft(int bits, long v, long count) {
    if (Long.compareUnsigned(count, bits) >= 0) {
      return 0;
    }
    int c = (int) count;
    if (bits == 64) {
      return v << c;
    }
    // Shift the whole chunk, then drop the bits that crossed into the next lane up.
    long keep = 0;
    for (int i = 0; i < 64 / bits; i++) {
      keep |= (mask(bits) << c & mask(bits)) << (i * bits);
    }
    return v << c & keep;
  }

  /** PSRLW/D/Q: logical right shift of every lane; counts of the width or more clear it. */
  public static long shiftRightLogical(int bits, long v, long count) {
    if (Long.compareUnsigned(count, bits) >= 0) {
      return 0;
    }
    int c = (int) count;
    if (bits == 64) {
      return v >>> c;
    }
    long keep = 0;
    for (int i = 0; i < 64 / bits; i++) {
      keep |= (mask(bits) >>> c) << (i * bits);
    }
    return v >>> c & keep;
  }

  /** PSRAW/D: arithmetic right shift; counts of the width or more fill each lane with its sign. */
  public static long shiftRightArithmetic(int bits, long v, long count) {
    int c = Long.compareUnsigned(count, bits) >= 0 ? bits - 1 : (int) count;
    long r = 0;
    for (int i = 0; i < 64 / bits; i++) {
      r = withLane(r, bits, i, slane(v, bits, i) >> c);
    }
    return r;
  }
}
