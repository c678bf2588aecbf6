package dev.blinkchroot.emulator.cpu;

import java.math.BigInteger;

/**
 * How an x87 transcendental result is compared with the Intel recording. The recorded CPU
 * rounds its own internal approximation (off by up to about a tenth of an ulp), so the
 * emulator's correctly rounded result may differ from it in the last bit, and then so may what
 * follows from that bit. A line matches when:
 *
 * <ul>
 *   <li>ST(0) and ST(1) are equal, or both finite of one sign and adjacent (one ulp apart on the
 *       extended format's number line, across binades and into the denormals);
 *   <li>the status words are equal except C1 when the result is inexact (PE set in the
 *       recording): C1 is the round-up bit of the hardware's approximation. When a result
 *       differs, UE may also differ if either of the two results is tiny;
 *   <li>the tag words are equal, except for the tags of registers whose values differ.
 * </ul>
 *
 * Lines are given as the recorder prints them: "R0 R1 SW TW", R "-" when empty.
 */
final class X87Tolerance {
  private static final int C1 = 0x0200;
  private static final int PE = 0x20;
  private static final int UE = 0x10;

  private X87Tolerance() {}

  /** Null when {@code actual} is within tolerance of {@code expected}, else why not. */
  static String compare(String expected, String actual) {
    String[] e = expected.split(" ");
    String[] a = actual.split(" ");
    int swE = Integer.parseInt(e[2], 16);
    int swA = Integer.parseInt(a[2], 16);
    int ignoreSw = (swE & PE) != 0 ? C1 : 0;
    int tagsDiffering = 0;
    int top = swE >> 11 & 7;
    for (int i = 0; i < 2; i++) {
      if (e[i].equals(a[i])) {
        continue;
      }
      if (!adjacent(e[i], a[i])) {
        return "ST(" + i + ") more than one ulp from the recording";
      }
      if (tiny(e[i]) || tiny(a[i])) {
        ignoreSw |= UE;
      }
      tagsDiffering |= 3 << (2 * ((top + i) & 7));
    }
    if (((swE ^ swA) & ~ignoreSw) != 0) {
      return String.format("status word differs in %04x", (swE ^ swA) & ~ignoreSw);
    }
    int twE = Integer.parseInt(e[3], 16);
    int twA = Integer.parseInt(a[3], 16);
    if (((twE ^ twA) & ~tagsDiffering) != 0) {
      return "tag word differs";
    }
    return null;
  }

  /** Two finite values of one sign whose encodings are neighbours on the number line. */
  static boolean adjacent(String x, String y) {
    BigInteger kx = key(x);
    BigInteger ky = key(y);
    if (kx == null || ky == null || (sign(x) != sign(y) && kx.signum() != 0 && ky.signum() != 0)) {
      return false;
    }
    BigInteger d = (sign(x) ? kx.negate() : kx).subtract(sign(y) ? ky.negate() : ky);
    return d.abs().compareTo(BigInteger.ONE) <= 0;
  }

  private static boolean sign(String v) {
    return Integer.parseInt(v.substring(0, 4), 16) >= 0x8000;
  }

  /** The magnitude's position on the number line (in ulps of the denormal range), or null. */
  private static BigInteger key(String v) {
    if (v.equals("-")) {
      return null;
    }
    int exp = Integer.parseInt(v.substring(0, 4), 16) & 0x7fff;
    BigInteger sig = new BigInteger(v.substring(4), 16);
    if (exp == 0x7fff || exp != 0 && !sig.testBit(63)) {
      return null; // infinities, NaNs, unsupported encodings
    }
    if (exp == 0) {
      return sig; // denormals (and pseudo-denormals, which equal the smallest normals)
    }
    // Normal: (exp - 1) binades of 2^63 steps above the denormal range.
    return BigInteger.valueOf(exp - 1L).shiftLeft(63).add(sig);
  }

  private static boolean tiny(String v) {
    return !v.equals("-") && (Integer.parseInt(v.substring(0, 4), 16) & 0x7fff) == 0;
  }
}
