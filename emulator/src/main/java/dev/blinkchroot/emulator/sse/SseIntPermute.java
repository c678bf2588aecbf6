package dev.blinkchroot.emulator.sse;

import static dev.blinkchroot.emulator.sse.SseIntLanes.lane;
import static dev.blinkchroot.emulator.sse.SseIntLanes.mask;
import static dev.blinkchroot.emulator.sse.SseIntLanes.slane;
import static dev.blinkchroot.emulator.sse.SseIntLanes.withLane;

/**
 * MMX/SSE integer operations that move data across lanes: packs, unpacks, horizontal adds,
 * shuffles, byte shifts and alignment, blends, sign/zero extension, PHMINPOSUW and MPSADBW.
 *
 * <p>A 128-bit value is passed as two longs (bits 63..0, then 127..64). Operations whose result
 * is built from 64-bit chunks return one chunk (the caller composes MMX and XMM results, as the
 * class comments of the callers show); operations with a 128-bit result write {@code out[at]}
 * and {@code out[at + 1]}, so a caller may pass the register file itself.
 */
public final class SseIntPermute {
  private SseIntPermute() {}

  // ---------------------------------------------------------------- packs (narrowing halves)

  /**
   * PACKSSWB/PACKSSDW/PACKUSWB/PACKUSDW on one 64-bit chunk: its lanes of {@code bits} narrowed
   * to half width with saturation (signed source; signed or unsigned destination), giving 32
   * bits. An MMX pack is {@code narrow(dst) | narrow(src) << 32}; an SSE pack is
   * {@code narrow(dLo) | narrow(dHi) << 32} and {@code narrow(sLo) | narrow(sHi) << 32}.
   */
  public static long narrow(int bits, boolean unsignedResult, long chunk) {
    int half = bits / 2;
    long hi = unsignedResult ? mask(half) : mask(half - 1);
    long lo = unsignedResult ? 0 : -mask(half - 1) - 1;
    long r = 0;
    for (int i = 0; i < 64 / bits; i++) {
      long x = slane(chunk, bits, i);
      r = withLane(r, half, i, x < lo ? lo : x > hi ? hi : x);
    }
    return r;
  }

  // ---------------------------------------------------------------- unpacks (interleave)

  /**
   * The lanes of the low 32 bits of {@code a} and {@code b} interleaved, a first: the MMX
   * PUNPCKL* result, and the low half of the SSE one (whose high half is
   * {@link #interleaveHigh} of the same low chunks).
   */
  public static long interleaveLow(int bits, long a, long b) {
    long r = 0;
    for (int i = 0; i < 32 / bits; i++) {
      r = withLane(r, bits, 2 * i, lane(a, bits, i));
      r = withLane(r, bits, 2 * i + 1, lane(b, bits, i));
    }
    return r;
  }

  /** The lanes of the high 32 bits of {@code a} and {@code b} interleaved, a first. */
  public static long interleaveHigh(int bits, long a, long b) {
    return interleaveLow(bits, a >>> 32, b >>> 32);
  }

  // ---------------------------------------------------------------- horizontal add / subtract

  /**
   * PHADDW/PHADDD/PHADDSW/PHSUBW/PHSUBD/PHSUBSW on one 64-bit chunk: adjacent lane pairs
   * combined (even lane op odd lane), 32 bits of results. Composed like {@link #narrow}.
   *
   * @param subtract even minus odd instead of the sum
   * @param saturate signed word saturation (the ...SW forms)
   */
  public static long horizontal(int bits, boolean subtract, boolean saturate, long chunk) {
    long r = 0;
    for (int i = 0; i < 32 / bits; i++) {
      long a = slane(chunk, bits, 2 * i);
      long b = slane(chunk, bits, 2 * i + 1);
      long x = subtract ? a - b : a + b;
      if (saturate) {
        x = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, x));
      }
      r = withLane(r, bits, i, x);
    }
    return r;
  }

  // ---------------------------------------------------------------- byte addressing

  /** Byte {@code n} (0-15) of the 128-bit value lo:hi. */
  public static int byteOf(long lo, long hi, int n) {
    return (int) ((n < 8 ? lo >>> (8 * n) : hi >>> (8 * (n - 8))) & 0xff);
  }

  /**
   * Eight bytes from byte offset {@code offset} of the 256-bit value w3:w2:w1:w0 (w0 lowest);
   * bytes beyond the top read as zero. Byte shifts and PALIGNR are windows on such values.
   */
  public static long window(long w0, long w1, long w2, long w3, int offset) {
    if (offset >= 32) {
      return 0;
    }
    int q = offset >>> 3;
    int s = (offset & 7) * 8;
    long first = q == 0 ? w0 : q == 1 ? w1 : q == 2 ? w2 : w3;
    long next = q == 0 ? w1 : q == 1 ? w2 : q == 2 ? w3 : 0;
    return s == 0 ? first : first >>> s | next << (64 - s);
  }

  /** PSRLDQ: lo:hi shifted right by {@code count} bytes (16 or more: zero). */
  public static void shiftRightBytes(long lo, long hi, long count, long[] out, int at) {
    int n = (int) Math.min(count & 0xff, 16);
    out[at] = window(lo, hi, 0, 0, n);
    out[at + 1] = window(lo, hi, 0, 0, n + 8);
  }

  /** PSLLDQ: lo:hi shifted left by {@code count} bytes (16 or more: zero). */
  public static void shiftLeftBytes(long lo, long hi, long count, long[] out, int at) {
    int n = (int) Math.min(count & 0xff, 16);
    // The value sits in the upper half of a 256-bit window whose lower half is zero.
    out[at] = window(0, 0, lo, hi, 16 - n);
    out[at + 1] = window(0, 0, lo, hi, 24 - n);
  }

  /**
   * SSE PALIGNR: dst:src (dst high) shifted right by {@code imm} bytes, the low 128 bits.
   * (MMX PALIGNR is {@code window(src, dst, 0, 0, imm)}.)
   */
  public static void alignRight(long dLo, long dHi, long sLo, long sHi, int imm,
      long[] out, int at) {
    out[at] = window(sLo, sHi, dLo, dHi, imm);
    out[at + 1] = window(sLo, sHi, dLo, dHi, imm + 8);
  }

  // ---------------------------------------------------------------- shuffles

  /**
   * PSHUFB on 8 control bytes: each result byte is the table byte the low bits of its control
   * byte select ({@code indexMask} 7 for MMX, 15 for SSE), or zero when the control byte's top
   * bit is set. The table is tLo:tHi (MMX passes the register twice).
   */
  public static long shuffleBytes(long control, long tLo, long tHi, int indexMask) {
    long r = 0;
    for (int i = 0; i < 8; i++) {
      int c = (int) (control >>> (8 * i)) & 0xff;
      if ((c & 0x80) == 0) {
        r |= (long) byteOf(tLo, tHi, c & indexMask) << (8 * i);
      }
    }
    return r;
  }

  /** PSHUFW, and each half of PSHUFLW/PSHUFHW: words of one chunk chosen by 2-bit fields. */
  public static long shuffleWords(long chunk, int imm) {
    long r = 0;
    for (int i = 0; i < 4; i++) {
      r = withLane(r, 16, i, lane(chunk, 16, imm >>> (2 * i) & 3));
    }
    return r;
  }

  /** PSHUFD: doublewords of lo:hi chosen by the 2-bit fields of {@code imm}. */
  public static void shuffleDwords(long lo, long hi, int imm, long[] out, int at) {
    long r0 = 0;
    long r1 = 0;
    for (int i = 0; i < 4; i++) {
      int sel = imm >>> (2 * i) & 3;
      long d = lane(sel < 2 ? lo : hi, 32, sel & 1);
      if (i < 2) {
        r0 = withLane(r0, 32, i, d);
      } else {
        r1 = withLane(r1, 32, i - 2, d);
      }
    }
    out[at] = r0;
    out[at + 1] = r1;
  }

  // ---------------------------------------------------------------- masks and blends

  /** PMOVMSKB on one chunk: the top bit of each byte, byte 0 in bit 0. */
  public static int moveMaskBytes(long chunk) {
    int m = 0;
    for (int i = 0; i < 8; i++) {
      m |= (int) (chunk >>> (8 * i + 7) & 1) << i;
    }
    return m;
  }

  /** PBLENDVB on one chunk: bytes of {@code src} where the mask byte's top bit is set. */
  public static long blendBytes(long dst, long src, long maskChunk) {
    long sel = ((maskChunk & 0x8080_8080_8080_8080L) >>> 7) * 0xff;
    return dst & ~sel | src & sel;
  }

  /** PBLENDW on one chunk: word i of {@code src} where bit i of {@code bits4} is set. */
  public static long blendWords(long dst, long src, int bits4) {
    long sel = 0;
    for (int i = 0; i < 4; i++) {
      if ((bits4 >>> i & 1) != 0) {
        sel |= 0xffffL << (16 * i);
      }
    }
    return dst & ~sel | src & sel;
  }

  // ---------------------------------------------------------------- PMOVSX / PMOVZX

  /**
   * PMOVSX and PMOVZX: lanes {@code first}, {@code first + 1}, ... of {@code src} (width
   * {@code from}) extended to width {@code to}, filling one 64-bit chunk.
   */
  public static long extend(long src, int from, int to, boolean signed, int first) {
    long r = 0;
    for (int i = 0; i < 64 / to; i++) {
      long x = signed ? slane(src, from, first + i) : lane(src, from, first + i);
      r = withLane(r, to, i, x);
    }
    return r;
  }

  // ---------------------------------------------------------------- SSE4.1 searches

  /**
   * PHMINPOSUW: the least unsigned word of lo:hi in bits 15..0 and its index (the lowest on
   * ties) in bits 18..16; the rest of the result is zero (so the high chunk is 0).
   */
  public static long minPosition(long lo, long hi) {
    long best = lane(lo, 16, 0);
    int at = 0;
    for (int i = 1; i < 8; i++) {
      long w = lane(i < 4 ? lo : hi, 16, i & 3);
      if (w < best) {
        best = w;
        at = i;
      }
    }
    return best | (long) at << 16;
  }

  /**
   * MPSADBW: eight sums of absolute differences between a 4-byte block of the source (at byte
   * {@code 4 * imm[1:0]}) and the 4-byte windows of the destination starting at byte
   * {@code 4 * imm[2] + i}, i = 0..7, as words.
   */
  public static void multipleSad(long dLo, long dHi, long sLo, long sHi, int imm,
      long[] out, int at) {
    int srcOff = (imm & 3) * 4;
    int dstOff = (imm >>> 2 & 1) * 4;
    long r0 = 0;
    long r1 = 0;
    for (int i = 0; i < 8; i++) {
      long sum = 0;
      for (int k = 0; k < 4; k++) {
        sum += Math.abs(byteOf(dLo, dHi, dstOff + i + k) - byteOf(sLo, sHi, srcOff + k));
      }
      if (i < 4) {
        r0 = withLane(r0, 16, i, sum);
      } else {
        r1 = withLane(r1, 16, i - 4, sum);
      }
    }
    out[at] = r0;
    out[at + 1] = r1;
  }
}
