package dev.blinkchroot.emulator.cpu;

import static dev.blinkchroot.emulator.cpu.Flags.mask;

/**
 * Bit instructions: BT BTS BTR BTC, BSF BSR, LZCNT TZCNT POPCNT, the BMI1/BMI2 group, ADCX ADOX,
 * BSWAP. Flags the SDM leaves undefined get deterministic values; ZF after BT is unaffected.
 */
public final class Bits {
  private Bits() {}

  /** BT: CF = the selected bit; other status flags keep their values here (OF SF AF PF undefined). */
  public static void bt(Flags f, int width, long value, long bitOffset) {
    f.put(Flags.CF, ((value >>> (bitOffset & (width - 1))) & 1) != 0);
  }

  public static long bts(Flags f, int width, long value, long bitOffset) {
    bt(f, width, value, bitOffset);
    return value | (1L << (bitOffset & (width - 1)));
  }

  public static long btr(Flags f, int width, long value, long bitOffset) {
    bt(f, width, value, bitOffset);
    return value & ~(1L << (bitOffset & (width - 1)));
  }

  public static long btc(Flags f, int width, long value, long bitOffset) {
    bt(f, width, value, bitOffset);
    return value ^ (1L << (bitOffset & (width - 1)));
  }

  /**
   * BSF: the index of the lowest set bit; with a zero source ZF=1 and the destination keeps its
   * value (the SDM says undefined; processors leave it unchanged, and software relies on it).
   */
  public static long bsf(Flags f, int width, long dst, long src) {
    long s = src & mask(width);
    f.setResult(width, s == 0 ? 0 : 1, 0);
    return s == 0 ? dst : Long.numberOfTrailingZeros(s);
  }

  /** BSR: the index of the highest set bit; zero source as for BSF. */
  public static long bsr(Flags f, int width, long dst, long src) {
    long s = src & mask(width);
    f.setResult(width, s == 0 ? 0 : 1, 0);
    return s == 0 ? dst : 63 - Long.numberOfLeadingZeros(s);
  }

  /** LZCNT: CF when the source is zero (result = width), ZF when the result is zero. */
  public static long lzcnt(Flags f, int width, long src) {
    long s = src & mask(width);
    long res = s == 0 ? width : Long.numberOfLeadingZeros(s) - (64 - width);
    f.setResult(width, res, s == 0 ? Flags.CF : 0);
    return res;
  }

  /** TZCNT: CF when the source is zero (result = width), ZF when the result is zero. */
  public static long tzcnt(Flags f, int width, long src) {
    long s = src & mask(width);
    long res = s == 0 ? width : Long.numberOfTrailingZeros(s);
    f.setResult(width, res, s == 0 ? Flags.CF : 0);
    return res;
  }

  /** POPCNT: ZF when the source is zero; OF SF AF CF PF cleared. */
  public static long popcnt(Flags f, int width, long src) {
    long res = Long.bitCount(src & mask(width));
    f.setRflags(res == 0 ? Flags.ZF : 0, Flags.STATUS);
    return res;
  }

  /** ANDN: ~a & b; SF ZF from the result, CF OF cleared (AF PF undefined). */
  public static long andn(Flags f, int width, long a, long b) {
    long res = ~a & b & mask(width);
    f.setResult(width, res, 0);
    return res;
  }

  /** BEXTR: start = control[7:0], length = control[15:8]; ZF from the result, CF OF cleared. */
  public static long bextr(Flags f, int width, long src, long control) {
    int start = (int) (control & 0xff);
    int length = (int) ((control >>> 8) & 0xff);
    long s = src & mask(width);
    long res = start >= width ? 0 : s >>> start;
    if (length < 64) {
      res &= (1L << length) - 1;
    }
    f.setResult(width, res, 0);
    return res;
  }

  /** BLSI: the lowest set bit; CF when the source is non-zero. */
  public static long blsi(Flags f, int width, long src) {
    long s = src & mask(width);
    long res = s & -s;
    f.setResult(width, res, s != 0 ? Flags.CF : 0);
    return res;
  }

  /** BLSMSK: mask up to the lowest set bit; CF when the source is zero, ZF cleared. */
  public static long blsmsk(Flags f, int width, long src) {
    long s = src & mask(width);
    long res = (s ^ (s - 1)) & mask(width);
    f.setResult(width, res, s == 0 ? Flags.CF : 0);
    return res;
  }

  /** BLSR: clears the lowest set bit; CF when the source is zero. */
  public static long blsr(Flags f, int width, long src) {
    long s = src & mask(width);
    long res = s & (s - 1);
    f.setResult(width, res, s == 0 ? Flags.CF : 0);
    return res;
  }

  /** BZHI: zeroes bits from index[7:0] up; CF when the index is beyond the operand. */
  public static long bzhi(Flags f, int width, long src, long index) {
    int n = (int) (index & 0xff);
    long s = src & mask(width);
    long res = n >= width ? s : s & ((1L << n) - 1);
    f.setResult(width, res, n > width - 1 ? Flags.CF : 0);
    return res;
  }

  /** PDEP: deposits the low bits of {@code src} at the set bits of {@code selector}. No flags. */
  public static long pdep(int width, long src, long selector) {
    long res = 0;
    long sel = selector & mask(width);
    for (long k = 1; sel != 0; k <<= 1) {
      long lowest = sel & -sel;
      if ((src & k) != 0) {
        res |= lowest;
      }
      sel &= sel - 1;
    }
    return res;
  }

  /** PEXT: gathers the bits of {@code src} at the set bits of {@code selector}. No flags. */
  public static long pext(int width, long src, long selector) {
    long res = 0;
    long sel = selector & mask(width);
    for (long k = 1; sel != 0; k <<= 1) {
      long lowest = sel & -sel;
      if ((src & lowest) != 0) {
        res |= k;
      }
      sel &= sel - 1;
    }
    return res;
  }

  /** RORX: rotate right by an immediate; no flags. */
  public static long rorx(int width, long src, int count) {
    int n = count & (width - 1);
    long s = src & mask(width);
    return n == 0 ? s : ((s >>> n) | (s << (width - n))) & mask(width);
  }

  /** SARX SHLX SHRX: shifts whose count is masked to the width; no flags. */
  public static long sarx(int width, long src, long count) {
    return (Alu.signExtend(src, width) >> (count & (width - 1))) & mask(width);
  }

  public static long shlx(int width, long src, long count) {
    return (src << (count & (width - 1))) & mask(width);
  }

  public static long shrx(int width, long src, long count) {
    return (src & mask(width)) >>> (count & (width - 1));
  }

  /** ADCX: unsigned add with carry in and out through CF only. */
  public static long adcx(Flags f, int width, long a, long b) {
    return addThrough(f, width, a, b, Flags.CF);
  }

  /** ADOX: unsigned add with carry in and out through OF only. */
  public static long adox(Flags f, int width, long a, long b) {
    return addThrough(f, width, a, b, Flags.OF);
  }

  private static long addThrough(Flags f, int width, long a, long b, long flag) {
    long m = mask(width);
    long x = a & m;
    long y = b & m;
    long in = f.isSet(flag) ? 1 : 0;
    long res = (x + y + in) & m;
    boolean out = in == 0 ? Long.compareUnsigned(res, x) < 0 : Long.compareUnsigned(res, x) <= 0;
    f.put(flag, out);
    return res;
  }

  /** BSWAP of a 32- or 64-bit register (16-bit BSWAP is undefined; it yields 0 on hardware). */
  public static long bswap(int width, long v) {
    if (width == 64) {
      return Long.reverseBytes(v);
    }
    if (width == 32) {
      return Integer.reverseBytes((int) v) & 0xffffffffL;
    }
    return 0;
  }
}
