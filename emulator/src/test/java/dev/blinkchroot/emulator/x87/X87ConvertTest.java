package dev.blinkchroot.emulator.x87;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Memory-format conversions: m32/m64 reals, m16/m32/m64 integers, packed BCD. */
class X87ConvertTest {
  private static X87State state(int rc) {
    X87State st = new X87State();
    st.setControlWord(0x037f | rc << 10);
    return st;
  }

  private static int flags(X87State st) {
    return st.statusWord() & (0x7f | X87State.C1);
  }

  @Test
  void fromFloat32_denormalIsExactAndRaisesDe() {
    X87State st = state(0);
    F80 v = X87Convert.fromFloat32(st, 1); // 2^-149
    assertEquals("3f6a:8000000000000000", v.toString());
    assertEquals(X87State.DE, flags(st));
  }

  @Test
  void fromFloat64_snanIsQuietedWithIe_payloadKept() {
    X87State st = state(0);
    F80 v = X87Convert.fromFloat64(st, 0xfff0_0000_0000_0001L);
    assertEquals("ffff:c000000000000800", v.toString());
    assertEquals(X87State.IE, flags(st));
  }

  @Test
  void toFloat32_oneThird_roundsToNearestAndReportsRoundUp() {
    X87State st = state(0);
    int bits = X87Convert.toFloat32(st, X87Arith.div(new X87State(), F80.ONE,
        X87Convert.fromInt64(3)));
    assertEquals(0x3eaaaaab, bits);
    assertEquals(X87State.PE | X87State.C1, flags(st));
  }

  @Test
  void toFloat32_ignoresPrecisionControl_butHonoursRounding() {
    X87State st = new X87State();
    st.setControlWord(0x007f | X87State.RC_ZERO << 10); // PC = 24 bits, RC = toward zero
    int bits = X87Convert.toFloat32(st, X87Arith.div(new X87State(), F80.ONE,
        X87Convert.fromInt64(3)));
    assertEquals(0x3eaaaaaa, bits);
  }

  @Test
  void toFloat64_outOfRange_overflowsToInfinity() {
    X87State st = state(0);
    long bits = X87Convert.toFloat64(st, F80.parse("43ff:8000000000000000")); // 2^1024
    assertEquals(0x7ff0_0000_0000_0000L, bits);
    assertEquals(X87State.OE | X87State.PE | X87State.C1, flags(st));
  }

  @Test
  void toFloat64_tinyValue_becomesDenormalWithUnderflow() {
    X87State st = state(0);
    long bits = X87Convert.toFloat64(st, F80.parse("3bcc:c000000000000000")); // 1.5 * 2^-1075
    assertEquals(1L, bits); // rounds to the smallest denormal, 2^-1074
    assertEquals(X87State.UE | X87State.PE | X87State.C1, flags(st));
  }

  @Test
  void toFloat32_nan_keepsTheTopPayloadBits() {
    X87State st = state(0);
    assertEquals(0xffc0_0000, X87Convert.toFloat32(st, F80.INDEFINITE));
    assertEquals(0, flags(st));
  }

  @Test
  void toInt_roundsWithRc_fisttpTruncates() {
    F80 twoPointFive = F80.parse("4000:a000000000000000");
    X87State st = state(X87State.RC_NEAREST);
    assertEquals(2, X87Convert.toInt(st, twoPointFive, 16, false));
    assertEquals(X87State.PE, flags(st));
    st = state(X87State.RC_UP);
    assertEquals(3, X87Convert.toInt(st, twoPointFive, 32, false));
    assertEquals(X87State.PE | X87State.C1, flags(st));
    st = state(X87State.RC_UP);
    assertEquals(-2, X87Convert.toInt(st, twoPointFive.negate(), 64, true));
    assertEquals(X87State.PE, flags(st));
  }

  @Test
  void toInt_outOfRange_isIntegerIndefiniteWithIe() {
    X87State st = state(0);
    assertEquals(-32768, X87Convert.toInt(st, X87Convert.fromInt64(32768), 16, false));
    assertEquals(X87State.IE, flags(st));
    st = state(0);
    assertEquals(-32768, X87Convert.toInt(st, X87Convert.fromInt64(-32768), 16, false));
    assertEquals(0, flags(st)); // in range
    st = state(0);
    assertEquals(Long.MIN_VALUE, X87Convert.toInt(st, F80.INDEFINITE, 64, false));
    assertEquals(X87State.IE, flags(st));
  }

  @Test
  void fromInt64_minimumValueIsExact() {
    assertEquals("c03e:8000000000000000", X87Convert.fromInt64(Long.MIN_VALUE).toString());
  }

  @Test
  void toBcd_packsEighteenDigitsAndSign() {
    X87State st = state(0);
    byte[] b = new byte[10];
    X87Convert.toBcd(st, X87Convert.fromInt64(-1234567), b, 0);
    assertArrayEquals(new byte[] {0x67, 0x45, 0x23, 0x01, 0, 0, 0, 0, 0, (byte) 0x80}, b);
    assertEquals(X87Convert.fromInt64(-1234567), X87Convert.fromBcd(b, 0));
  }

  @Test
  void toBcd_nineteenDigits_isBcdIndefinite() {
    X87State st = state(0);
    byte[] b = new byte[10];
    X87Convert.toBcd(st, X87Convert.fromInt64(1_000_000_000_000_000_000L), b, 0);
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) 0xc0, (byte) 0xff, (byte) 0xff}, b);
    assertEquals(X87State.IE, flags(st));
  }

  @Test
  void fromBcd_largestValue_isExact() {
    byte[] b = {(byte) 0x99, (byte) 0x99, (byte) 0x99, (byte) 0x99, (byte) 0x99, (byte) 0x99,
        (byte) 0x99, (byte) 0x99, (byte) 0x99, 0};
    assertEquals(X87Convert.fromInt64(999_999_999_999_999_999L), X87Convert.fromBcd(b, 0));
  }
}
