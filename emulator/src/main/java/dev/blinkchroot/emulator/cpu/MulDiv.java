package dev.blinkchroot.emulator.cpu;

import static dev.blinkchroot.emulator.cpu.Flags.mask;

/**
 * MUL, IMUL and DIV, IDIV. Results wider than 64 bits come back as a {@link Wide} pair (the
 * high half in RDX/DX/AH, the low in RAX/AX/AL). CF and OF say whether the high half is
 * needed; SF, ZF, AF and PF are undefined after a multiply (here: from the low half).
 */
public final class MulDiv {
  private MulDiv() {}

  /** A double-width value: {@code high:low}, each holding {@code width} bits. */
  public record Wide(long high, long low) {}

  /** MUL: unsigned {@code a * b}, double width. */
  public static Wide mul(Flags f, int width, long a, long b) {
    long m = mask(width);
    long x = a & m;
    long y = b & m;
    long high;
    long low;
    if (width == 64) {
      low = x * y;
      high = unsignedMultiplyHigh(x, y);
    } else {
      long p = x * y; // fits: at most 32x32 bits
      low = p & m;
      high = (p >>> width) & m;
    }
    multiplyFlags(f, width, low, high != 0);
    return new Wide(high, low);
  }

  /** MULX: unsigned double-width product without touching the flags. */
  public static Wide mulNoFlags(int width, long a, long b) {
    long m = mask(width);
    long x = a & m;
    long y = b & m;
    if (width == 64) {
      return new Wide(unsignedMultiplyHigh(x, y), x * y);
    }
    long p = x * y;
    return new Wide((p >>> width) & m, p & m);
  }

  /** IMUL with one operand: signed {@code a * b}, double width. */
  public static Wide imulWide(Flags f, int width, long a, long b) {
    long x = Alu.signExtend(a, width);
    long y = Alu.signExtend(b, width);
    long high;
    long low;
    if (width == 64) {
      low = x * y;
      high = Math.multiplyHigh(x, y);
    } else {
      long p = x * y;
      low = p & mask(width);
      high = (p >> width) & mask(width);
    }
    boolean overflow = Alu.signExtend(low, width) >> 63 != Alu.signExtend(high, width);
    multiplyFlags(f, width, low, overflow);
    return new Wide(high, low);
  }

  /** IMUL with two or three operands: the low half, CF/OF set when it lost significant bits. */
  public static long imul(Flags f, int width, long a, long b) {
    long x = Alu.signExtend(a, width);
    long y = Alu.signExtend(b, width);
    long low = x * y;
    boolean overflow;
    if (width == 64) {
      overflow = Math.multiplyHigh(x, y) != (low >> 63);
    } else {
      overflow = Alu.signExtend(low, width) != low;
    }
    multiplyFlags(f, width, low & mask(width), overflow);
    return low & mask(width);
  }

  private static void multiplyFlags(Flags f, int width, long low, boolean overflow) {
    f.setResult(width, low, overflow ? Flags.CF | Flags.OF : 0);
  }

  /** The high 64 bits of the unsigned 128-bit product (Math.unsignedMultiplyHigh is Java 18). */
  static long unsignedMultiplyHigh(long x, long y) {
    return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
  }

  /**
   * DIV: unsigned {@code high:low / divisor}; {@link Wide} holds (remainder, quotient). #DE when
   * the divisor is 0 or the quotient does not fit the width. Flags are undefined and unchanged.
   */
  public static Wide div(int width, long high, long low, long divisor) {
    long m = mask(width);
    long d = divisor & m;
    if (d == 0) {
      throw CpuTrap.of(CpuTrap.Kind.DIVIDE_ERROR, "divide by zero");
    }
    long h = high & m;
    long l = low & m;
    if (width < 64) {
      long dividend = (h << width) | l; // at most 64 bits
      long q = Long.divideUnsigned(dividend, d);
      if (Long.compareUnsigned(q, m) > 0) {
        throw CpuTrap.of(CpuTrap.Kind.DIVIDE_ERROR, "quotient overflow");
      }
      return new Wide(Long.remainderUnsigned(dividend, d), q);
    }
    if (Long.compareUnsigned(h, d) >= 0) {
      throw CpuTrap.of(CpuTrap.Kind.DIVIDE_ERROR, "quotient overflow");
    }
    if (h == 0) {
      return new Wide(Long.remainderUnsigned(l, d), Long.divideUnsigned(l, d));
    }
    // 128-by-64 restoring division: h < d, so the quotient fits 64 bits.
    long q = 0;
    long r = h;
    for (int i = 63; i >= 0; i--) {
      boolean top = r < 0; // the bit shifted out of r
      r = (r << 1) | ((l >>> i) & 1);
      q <<= 1;
      if (top || Long.compareUnsigned(r, d) >= 0) {
        r -= d;
        q |= 1;
      }
    }
    return new Wide(r, q);
  }

  /** IDIV: signed division truncating toward zero; remainder has the dividend's sign. */
  public static Wide idiv(int width, long high, long low, long divisor) {
    long d = Alu.signExtend(divisor, width);
    if (d == 0) {
      throw CpuTrap.of(CpuTrap.Kind.DIVIDE_ERROR, "divide by zero");
    }
    long m = mask(width);
    if (width < 64) {
      long dividend = Alu.signExtend(((high & m) << width) | (low & m), width * 2);
      return idivChecked(width, dividend, d);
    }
    boolean negative = high < 0;
    long absHigh = high;
    long absLow = low;
    if (negative) { // two's-complement negate the 128-bit dividend
      absLow = -low;
      absHigh = ~high + (low == 0 ? 1 : 0);
    }
    long absD = d < 0 ? -d : d;
    Wide u = unsignedDiv128(absHigh, absLow, absD);
    boolean quotientNegative = negative != (d < 0);
    long q = quotientNegative ? -u.low() : u.low();
    // The magnitude must fit the signed range (2^63 only when negative).
    if (Long.compareUnsigned(u.low(), quotientNegative ? Long.MIN_VALUE : Long.MAX_VALUE) > 0) {
      throw CpuTrap.of(CpuTrap.Kind.DIVIDE_ERROR, "quotient overflow");
    }
    long r = negative ? -u.high() : u.high();
    return new Wide(r, q);
  }

  private static Wide idivChecked(int width, long dividend, long d) {
    if (dividend == Long.MIN_VALUE && d == -1) {
      throw CpuTrap.of(CpuTrap.Kind.DIVIDE_ERROR, "quotient overflow");
    }
    long q = dividend / d;
    if (q != Alu.signExtend(q, width)) {
      throw CpuTrap.of(CpuTrap.Kind.DIVIDE_ERROR, "quotient overflow");
    }
    long m = mask(width);
    return new Wide((dividend % d) & m, q & m);
  }

  private static Wide unsignedDiv128(long h, long l, long d) {
    if (Long.compareUnsigned(h, d) >= 0) {
      throw CpuTrap.of(CpuTrap.Kind.DIVIDE_ERROR, "quotient overflow");
    }
    return div(64, h, l, d);
  }
}
