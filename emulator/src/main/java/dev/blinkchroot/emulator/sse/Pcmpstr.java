package dev.blinkchroot.emulator.sse;

/**
 * The SSE4.2 packed string compares PCMPESTRI, PCMPESTRM, PCMPISTRI and PCMPISTRM (SDM Vol. 2,
 * 4.1 "Imm8 control byte operation for PCMPESTRI / PCMPESTRM / PCMPISTRI / PCMPISTRM").
 *
 * <p>Operand roles as the SDM names them: {@code src1} is the register operand xmm1 (the
 * character set, range list or needle), {@code src2} is xmm2/m128 (the text). Each has a
 * length: explicit (|EAX| and |EDX|, or RAX/RDX with REX.W, clamped) or implicit (up to the
 * first zero element). Elements at or beyond the length are invalid, which overrides the
 * comparison of a pair as the SDM's Table 4-7 says.
 *
 * <pre>
 *   imm8[1:0] source format   00 unsigned bytes  01 unsigned words  10 signed bytes  11 signed words
 *   imm8[3:2] aggregation     00 equal any  01 ranges  10 equal each  11 equal ordered
 *   imm8[5:4] polarity        00 +  01 negate all  10 +  11 negate valid src2 elements only
 *   imm8[6]   index: 0 least significant set bit, 1 most; mask: 0 bit mask, 1 element mask
 * </pre>
 *
 * Flags: CF = result non-zero, ZF = src2 shorter than the vector, SF = src1 shorter than the
 * vector, OF = result bit 0, AF = PF = 0.
 */
public final class Pcmpstr {
  private Pcmpstr() {}

  // RFLAGS bits (defined here so this package does not depend on the interpreter's).
  public static final long CF = 1L;
  public static final long PF = 1L << 2;
  public static final long AF = 1L << 4;
  public static final long ZF = 1L << 6;
  public static final long SF = 1L << 7;
  public static final long OF = 1L << 11;
  /** The flags a string compare writes: all six status flags. */
  public static final long WRITTEN = CF | PF | AF | ZF | SF | OF;

  /** 16 for byte formats, 8 for word formats. */
  public static int elements(int imm) {
    return (imm & 1) != 0 ? 8 : 16;
  }

  /** Element {@code i} of lo:hi in the source format of {@code imm} (signed or unsigned). */
  static long element(long lo, long hi, int imm, int i) {
    int bits = (imm & 1) != 0 ? 16 : 8;
    int perChunk = 64 / bits;
    long chunk = i < perChunk ? lo : hi;
    int k = i % perChunk;
    return (imm & 2) != 0 ? SseIntLanes.slane(chunk, bits, k) : SseIntLanes.lane(chunk, bits, k);
  }

  /**
   * An explicit length from EAX/EDX ({@code is64} false: the low 32 bits as a signed value) or
   * RAX/RDX (REX.W): its absolute value, clamped to the number of elements.
   */
  public static int explicitLength(long register, boolean is64, int imm) {
    long v = is64 ? register : (int) register;
    int n = elements(imm);
    if (v == Long.MIN_VALUE) {
      return n; // |MIN| does not fit, but it is certainly above the clamp
    }
    return (int) Math.min(Math.abs(v), n);
  }

  /** An implicit length: the index of the first zero element, or the number of elements. */
  public static int implicitLength(long lo, long hi, int imm) {
    int n = elements(imm);
    for (int i = 0; i < n; i++) {
      if (element(lo, hi, imm, i) == 0) {
        return i;
      }
    }
    return n;
  }

  /**
   * IntRes2: the aggregated comparison after polarity, one bit per element of the text.
   *
   * @param lenA valid elements of src1 (0..elements)
   * @param lenB valid elements of src2 (0..elements)
   */
  public static int compare(long aLo, long aHi, int lenA, long bLo, long bHi, int lenB,
      int imm) {
    int n = elements(imm);
    int res1 = 0;
    switch (imm >>> 2 & 3) {
      case 0: // equal any: text element j is in the set src1[0..lenA)
        for (int j = 0; j < lenB; j++) {
          long b = element(bLo, bHi, imm, j);
          for (int i = 0; i < lenA; i++) {
            if (element(aLo, aHi, imm, i) == b) {
              res1 |= 1 << j;
              break;
            }
          }
        }
        break;
      case 1: // ranges: src1 holds (low, high) pairs; an incomplete last pair never matches
        for (int j = 0; j < lenB; j++) {
          long b = element(bLo, bHi, imm, j);
          for (int i = 0; i + 1 < lenA; i += 2) {
            if (b >= element(aLo, aHi, imm, i) && b <= element(aLo, aHi, imm, i + 1)) {
              res1 |= 1 << j;
              break;
            }
          }
        }
        break;
      case 2: // equal each: element-wise equality; two invalid elements count as equal
        for (int i = 0; i < n; i++) {
          boolean validA = i < lenA;
          boolean validB = i < lenB;
          boolean r = validA && validB
              ? element(aLo, aHi, imm, i) == element(bLo, bHi, imm, i)
              : !validA && !validB;
          if (r) {
            res1 |= 1 << i;
          }
        }
        break;
      default: // equal ordered: the needle src1 starts at text element j
        for (int j = 0; j < n; j++) {
          boolean r = true;
          // Only pairs inside the vector are compared: a match running off its end counts.
          for (int i = 0; r && j + i < n; i++) {
            if (i >= lenA) {
              break; // the needle has ended: the rest compare true
            }
            r = j + i < lenB && element(aLo, aHi, imm, i) == element(bLo, bHi, imm, j + i);
          }
          if (r) {
            res1 |= 1 << j;
          }
        }
        break;
    }
    int all = (1 << n) - 1;
    switch (imm >>> 4 & 3) {
      case 1:
        return ~res1 & all;
      case 3:
        return res1 ^ ((1 << lenB) - 1); // negate only where the text element is valid
      default:
        return res1;
    }
  }

  /** PCMPxSTRI's ECX: the least (imm8[6] = 0) or most significant set bit, or the count if none. */
  public static int index(int res2, int imm) {
    if (res2 == 0) {
      return elements(imm);
    }
    return (imm & 0x40) != 0 ? 31 - Integer.numberOfLeadingZeros(res2)
        : Integer.numberOfTrailingZeros(res2);
  }

  /**
   * PCMPxSTRM's XMM0: the bit mask zero-extended (imm8[6] = 0), or each byte/word all ones where
   * its bit is set (imm8[6] = 1).
   */
  public static void mask(int res2, int imm, long[] out, int at) {
    if ((imm & 0x40) == 0) {
      out[at] = res2 & 0xffffL;
      out[at + 1] = 0;
      return;
    }
    int bits = (imm & 1) != 0 ? 16 : 8;
    int perChunk = 64 / bits;
    long lo = 0;
    long hi = 0;
    for (int i = 0; i < 128 / bits; i++) {
      if ((res2 >>> i & 1) != 0) {
        long ones = SseIntLanes.mask(bits) << (bits * (i % perChunk));
        if (i < perChunk) {
          lo |= ones;
        } else {
          hi |= ones;
        }
      }
    }
    out[at] = lo;
    out[at + 1] = hi;
  }

  /** The status flags (CF, ZF, SF, OF; AF and PF clear) as RFLAGS bits. */
  public static long flags(int res2, int lenA, int lenB, int imm) {
    int n = elements(imm);
    long f = 0;
    if (res2 != 0) {
      f |= CF;
    }
    if (lenB < n) {
      f |= ZF;
    }
    if (lenA < n) {
      f |= SF;
    }
    if ((res2 & 1) != 0) {
      f |= OF;
    }
    return f;
  }
}
