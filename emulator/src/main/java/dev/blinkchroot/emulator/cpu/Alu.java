package dev.blinkchroot.emulator.cpu;

import static dev.blinkchroot.emulator.cpu.Flags.mask;

/**
 * Integer instruction semantics, written once as static methods over {@link Flags} so the
 * interpreter and the JIT share them. Each takes the operand width in bits (8, 16, 32, 64),
 * returns the result (unmasked bits above the width are garbage the caller masks when it
 * stores), and records the flags the Intel SDM defines. Flags the SDM leaves undefined get a
 * deterministic value here; the differential tests mask them.
 */
public final class Alu {
  private Alu() {}

  public static long add(Flags f, int width, long dst, long src) {
    long res = dst + src;
    f.set(Flags.OP_ADD, width, dst, src, res);
    return res;
  }

  public static long adc(Flags f, int width, long dst, long src) {
    boolean carry = f.isSet(Flags.CF);
    long res = dst + src + (carry ? 1 : 0);
    f.setWithCarry(Flags.OP_ADC, width, dst, src, res, carry);
    return res;
  }

  public static long sub(Flags f, int width, long dst, long src) {
    long res = dst - src;
    f.set(Flags.OP_SUB, width, dst, src, res);
    return res;
  }

  public static long sbb(Flags f, int width, long dst, long src) {
    boolean carry = f.isSet(Flags.CF);
    long res = dst - src - (carry ? 1 : 0);
    f.setWithCarry(Flags.OP_SBB, width, dst, src, res, carry);
    return res;
  }

  public static long and(Flags f, int width, long dst, long src) {
    return logic(f, width, dst & src);
  }

  public static long or(Flags f, int width, long dst, long src) {
    return logic(f, width, dst | src);
  }

  public static long xor(Flags f, int width, long dst, long src) {
    return logic(f, width, dst ^ src);
  }

  private static long logic(Flags f, int width, long res) {
    f.set(Flags.OP_LOGIC, width, 0, 0, res);
    return res;
  }

  public static long inc(Flags f, int width, long dst) {
    long res = dst + 1;
    f.setKeepingCarry(Flags.OP_INC, width, dst, res);
    return res;
  }

  public static long dec(Flags f, int width, long dst) {
    long res = dst - 1;
    f.setKeepingCarry(Flags.OP_DEC, width, dst, res);
    return res;
  }

  public static long neg(Flags f, int width, long src) {
    long res = -src;
    f.set(Flags.OP_NEG, width, 0, src, res);
    return res;
  }

  // ---------------------------------------------------------------- shifts and rotates

  /**
   * The count a shift or rotate uses: masked to 5 bits, or 6 with a 64-bit operand (SDM SAL/SAR/
   * SHL/SHR, "the count is masked to 5 bits (or 6 bits if in 64-bit mode and REX.W is used)").
   */
  public static int shiftCount(int width, long count) {
    return (int) (count & (width == 64 ? 0x3f : 0x1f));
  }

  /** SHL/SAL. A masked count of 0 changes no flags. OF is defined for count 1 only. */
  public static long shl(Flags f, int width, long dst, long count) {
    int n = shiftCount(width, count);
    if (n == 0) {
      return dst;
    }
    long m = mask(width);
    long v = dst & m;
    long res = n >= 64 ? 0 : (v << n) & m;
    f.setResult(width, res, shlCarryOverflow(width, v, n, res));
    return res;
  }

  /**
   * CF and OF (as RFLAGS bits) of SHL of {@code v} (masked to the width) by a masked count
   * {@code n} of 1 to 63 giving {@code res}; shared with compiled code.
   */
  public static long shlCarryOverflow(int width, long v, int n, long res) {
    boolean cf = n <= width && ((v >>> (width - n)) & 1) != 0;
    boolean of = Flags.signBit(res, width) != cf;
    return (cf ? Flags.CF : 0) | (of ? Flags.OF : 0);
  }

  /** SHR. OF is the original sign bit for count 1 (and set so for any count here). */
  public static long shr(Flags f, int width, long dst, long count) {
    int n = shiftCount(width, count);
    if (n == 0) {
      return dst;
    }
    long v = dst & mask(width);
    long res = n >= 64 ? 0 : v >>> n;
    f.setResult(width, res, shrCarryOverflow(width, v, n));
    return res;
  }

  /** CF and OF of SHR of {@code v} (masked to the width) by a masked count of 1 to 63. */
  public static long shrCarryOverflow(int width, long v, int n) {
    boolean cf = n <= width && ((v >>> (n - 1)) & 1) != 0;
    boolean of = Flags.signBit(v, width);
    return (cf ? Flags.CF : 0) | (of ? Flags.OF : 0);
  }

  /** SAR. OF is cleared for count 1 (and here for every count). */
  public static long sar(Flags f, int width, long dst, long count) {
    int n = shiftCount(width, count);
    if (n == 0) {
      return dst;
    }
    long v = signExtend(dst, width);
    long res = (v >> Math.min(n, 63)) & mask(width);
    f.setResult(width, res, sarCarry(v, n));
    return res;
  }

  /** CF of SAR of {@code v} (sign-extended from the width) by a masked count of 1 to 63. */
  public static long sarCarry(long v, int n) {
    return ((v >> Math.min(n - 1, 63)) & 1) != 0 ? Flags.CF : 0;
  }

  /**
   * ROL. Only CF and OF change (OF for count 1: MSB(result) XOR CF); a masked count of 0 changes
   * nothing. The count is masked before being reduced modulo the width, as the SDM's operation
   * section does.
   */
  public static long rol(Flags f, int width, long dst, long count) {
    int n = shiftCount(width, count);
    if (n == 0) {
      return dst;
    }
    long v = dst & mask(width);
    int r = n % width;
    long res = r == 0 ? v : ((v << r) | (v >>> (width - r))) & mask(width);
    f.setRflags(rolCarryOverflow(width, res), Flags.CF | Flags.OF);
    return res;
  }

  /** CF and OF of ROL giving {@code res} (the other flags are kept). */
  public static long rolCarryOverflow(int width, long res) {
    boolean cf = (res & 1) != 0;
    boolean of = Flags.signBit(res, width) != cf;
    return (cf ? Flags.CF : 0) | (of ? Flags.OF : 0);
  }

  /** ROR. OF for count 1 is the XOR of the two most significant bits of the result. */
  public static long ror(Flags f, int width, long dst, long count) {
    int n = shiftCount(width, count);
    if (n == 0) {
      return dst;
    }
    long v = dst & mask(width);
    int r = n % width;
    long res = r == 0 ? v : ((v >>> r) | (v << (width - r))) & mask(width);
    f.setRflags(rorCarryOverflow(width, res), Flags.CF | Flags.OF);
    return res;
  }

  /** CF and OF of ROR giving {@code res} (the other flags are kept). */
  public static long rorCarryOverflow(int width, long res) {
    boolean cf = Flags.signBit(res, width);
    boolean of = cf != (((res >>> (width - 2)) & 1) != 0);
    return (cf ? Flags.CF : 0) | (of ? Flags.OF : 0);
  }

  /** RCL: rotates through CF; 8- and 16-bit counts are taken modulo 9 and 17. */
  public static long rcl(Flags f, int width, long dst, long count) {
    int n = shiftCount(width, count);
    if (width < 32) {
      n %= width + 1;
    }
    if (n == 0) {
      return dst;
    }
    long v = dst & mask(width);
    boolean cf = f.isSet(Flags.CF);
    for (int i = 0; i < n; i++) {
      boolean out = Flags.signBit(v, width);
      v = ((v << 1) | (cf ? 1 : 0)) & mask(width);
      cf = out;
    }
    boolean of = Flags.signBit(v, width) != cf;
    setCarryOverflowKeepingOthers(f, cf, of);
    return v;
  }

  /** RCR: rotates right through CF; OF (count 1) is MSB XOR CF taken before the rotate. */
  public static long rcr(Flags f, int width, long dst, long count) {
    int n = shiftCount(width, count);
    if (width < 32) {
      n %= width + 1;
    }
    if (n == 0) {
      return dst;
    }
    long v = dst & mask(width);
    boolean cf = f.isSet(Flags.CF);
    boolean of = Flags.signBit(v, width) != cf;
    for (int i = 0; i < n; i++) {
      boolean out = (v & 1) != 0;
      v = (v >>> 1) | ((cf ? 1L : 0L) << (width - 1));
      cf = out;
    }
    setCarryOverflowKeepingOthers(f, cf, of);
    return v & mask(width);
  }

  /**
   * SHLD: shifts {@code dst} left, filling from the high bits of {@code src}. A count greater
   * than a 16-bit operand's width leaves the result undefined (SDM); here it continues into dst.
   */
  public static long shld(Flags f, int width, long dst, long src, long count) {
    int n = shiftCount(width, count);
    if (n == 0) {
      return dst;
    }
    long m = mask(width);
    long d = dst & m;
    long s = src & m;
    long res;
    boolean cf;
    if (width == 16 && n > 16) {
      // 16-bit with count 17..31: behaves as a 32-bit shift of src:dst:src (undefined per SDM).
      long wide = (s << 32) | (d << 16) | s;
      res = (wide << (n - 16)) >>> 32 & m;
      cf = ((wide << (n - 16 - 1)) >>> 47 & 1) != 0;
    } else {
      res = ((d << n) | (n == width ? s : s >>> (width - n))) & m;
      cf = ((d >>> (width - n)) & 1) != 0;
    }
    boolean of = Flags.signBit(res, width) != Flags.signBit(d, width);
    f.setResult(width, res, (cf ? Flags.CF : 0) | (of ? Flags.OF : 0));
    return res;
  }

  /** SHRD: shifts {@code dst} right, filling from the low bits of {@code src}. */
  public static long shrd(Flags f, int width, long dst, long src, long count) {
    int n = shiftCount(width, count);
    if (n == 0) {
      return dst;
    }
    long m = mask(width);
    long d = dst & m;
    long s = src & m;
    long res;
    boolean cf;
    if (width == 16 && n > 16) {
      long wide = (d << 32) | (s << 16) | d;
      res = (wide >>> n) & m;
      cf = ((wide >>> (n - 1)) & 1) != 0;
    } else {
      res = ((d >>> n) | (n == width ? s : s << (width - n))) & m;
      cf = ((d >>> (n - 1)) & 1) != 0;
    }
    boolean of = Flags.signBit(res, width) != Flags.signBit(d, width);
    f.setResult(width, res, (cf ? Flags.CF : 0) | (of ? Flags.OF : 0));
    return res;
  }

  /** Rotates change only CF and OF: materialise the rest, then set those two. */
  private static void setCarryOverflowKeepingOthers(Flags f, boolean cf, boolean of) {
    f.setRflags((cf ? Flags.CF : 0) | (of ? Flags.OF : 0), Flags.CF | Flags.OF);
  }

  // ---------------------------------------------------------------- helpers

  /** Sign-extends the low {@code width} bits of {@code v}. */
  public static long signExtend(long v, int width) {
    int shift = 64 - width;
    return (v << shift) >> shift;
  }

  /** Zero-extends the low {@code width} bits of {@code v}. */
  public static long zeroExtend(long v, int width) {
    return v & mask(width);
  }
}
