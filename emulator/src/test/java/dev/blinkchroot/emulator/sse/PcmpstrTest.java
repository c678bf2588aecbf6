package dev.blinkchroot.emulator.sse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Hand-worked string compares in the SDM's terms (src1 = xmm1, the set/needle; src2 = the
 * text); the differential test checks every control byte against the host CPU.
 */
class PcmpstrTest {
  /** Up to 16 ASCII bytes as lo:hi, zero padded. */
  private static long[] str(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    long[] v = new long[2];
    for (int i = 0; i < b.length; i++) {
      v[i / 8] |= (long) (b[i] & 0xff) << (8 * (i % 8));
    }
    return v;
  }

  private static int implicitCompare(String set, String text, int imm) {
    long[] a = str(set);
    long[] b = str(text);
    return Pcmpstr.compare(a[0], a[1], Pcmpstr.implicitLength(a[0], a[1], imm), b[0], b[1],
        Pcmpstr.implicitLength(b[0], b[1], imm), imm);
  }

  @Test
  void equalAny_marksTextBytesInTheSet_likeStrpbrk() {
    // text "hello, world" against the set "ol": bits at 2, 3, 4, 8, 10
    int res = implicitCompare("ol", "hello, world", 0x00);
    assertEquals(1 << 2 | 1 << 3 | 1 << 4 | 1 << 8 | 1 << 10, res);
    assertEquals(2, Pcmpstr.index(res, 0x00));
    assertEquals(10, Pcmpstr.index(res, 0x40));
  }

  @Test
  void ranges_matchInclusivePairs_andIgnoreAnOddLastElement() {
    // set "azZ": the pair a..z, then a lone 'Z' that forms no range
    int res = implicitCompare("azZ", "aZ9z", 0x04);
    assertEquals(0b1001, res);
  }

  @Test
  void equalEach_countsPositionsPastBothEndsAsEqual_likeStrcmp() {
    int res = implicitCompare("abcd", "abXd", 0x08);
    // 0,1,3 equal; 2 differs; 4..15 are past both ends: equal
    assertEquals(0xfffb, res);
    // negative polarity gives the first difference
    assertEquals(2, Pcmpstr.index(implicitCompare("abcd", "abXd", 0x18), 0x18));
  }

  @Test
  void equalOrdered_findsTheNeedle_andPartialMatchesAtTheVectorEnd() {
    int res = implicitCompare("lo", "hello, world", 0x0c);
    assertEquals(1 << 3, res);
    // a needle cut off by the end of the 16 bytes still matches there (strstr continues later)
    int tail = implicitCompare("xyz", "0123456789abcdex", 0x0c);
    assertEquals(1 << 15, tail);
  }

  @Test
  void maskedNegativePolarity_invertsOnlyValidTextElements() {
    long[] a = str("a");
    long[] b = str("abab");
    int res = Pcmpstr.compare(a[0], a[1], 1, b[0], b[1], 4, 0x30); // equal any, masked -
    assertEquals(0b1010, res);
    int negAll = Pcmpstr.compare(a[0], a[1], 1, b[0], b[1], 4, 0x10);
    assertEquals(0xfffa, negAll);
  }

  @Test
  void explicitLengths_areAbsoluteValuesClampedToTheElementCount() {
    assertEquals(5, Pcmpstr.explicitLength(-5, false, 0));
    assertEquals(16, Pcmpstr.explicitLength(0x8000_0000L, false, 0)); // INT_MIN
    assertEquals(3, Pcmpstr.explicitLength(0xffff_ffff_0000_0003L, false, 0)); // EAX only
    assertEquals(8, Pcmpstr.explicitLength(0xffff_ffff_0000_0003L, true, 1)); // RAX, words
    assertEquals(8, Pcmpstr.explicitLength(Long.MIN_VALUE, true, 1));
  }

  @Test
  void flags_reportShortOperandsAndResultBitZero() {
    long f = Pcmpstr.flags(1, 3, 16, 0);
    assertEquals(Pcmpstr.CF | Pcmpstr.SF | Pcmpstr.OF, f);
    assertEquals(Pcmpstr.ZF, Pcmpstr.flags(0, 8, 7, 1));
  }

  @Test
  void expandedMask_setsWholeWords() {
    long[] out = new long[2];
    Pcmpstr.mask(0b1000_0001, 0x41, out, 0);
    assertArrayEquals(new long[] {0xffffL, 0xffffL << 48}, out);
    Pcmpstr.mask(0b1000_0001, 0x01, out, 0);
    assertArrayEquals(new long[] {0x81, 0}, out);
  }
}
