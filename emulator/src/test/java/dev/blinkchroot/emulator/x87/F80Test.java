package dev.blinkchroot.emulator.x87;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Encoding, decoding and classification of the 80-bit format (SDM Vol. 1 Table 8-3, §8.2.2). */
class F80Test {
  private static F80.Kind kind(String hex) {
    return F80.parse(hex).kind();
  }

  @Test
  void kind_classifiesEverySupportedAndUnsupportedEncoding() {
    assertEquals(F80.Kind.ZERO, kind("8000:0000000000000000"));
    assertEquals(F80.Kind.DENORMAL, kind("0000:0000000000000001"));
    assertEquals(F80.Kind.PSEUDO_DENORMAL, kind("0000:8000000000000000"));
    assertEquals(F80.Kind.NORMAL, kind("3fff:8000000000000000"));
    assertEquals(F80.Kind.INFINITY, kind("ffff:8000000000000000"));
    assertEquals(F80.Kind.QNAN, kind("7fff:c000000000000000"));
    assertEquals(F80.Kind.SNAN, kind("7fff:8000000000000001"));
    assertEquals(F80.Kind.UNSUPPORTED, kind("3fff:7fffffffffffffff")); // unnormal
    assertEquals(F80.Kind.UNSUPPORTED, kind("7fff:0000000000000000")); // pseudo-infinity
    assertEquals(F80.Kind.UNSUPPORTED, kind("7fff:4000000000000000")); // pseudo-NaN
  }

  @Test
  void indefinite_isNegativeQnanWithOnlyTheTopTwoSignificandBits() {
    assertEquals("ffff:c000000000000000", F80.INDEFINITE.toString());
    assertEquals(F80.Kind.QNAN, F80.INDEFINITE.kind());
  }

  @Test
  void toBytesFromBytes_roundTripLittleEndianTenBytes() {
    F80 v = F80.parse("c000:c90fdaa22168c235");
    byte[] b = new byte[12];
    v.toBytes(b, 1);
    assertArrayEquals(new byte[] {0, 0x35, (byte) 0xc2, 0x68, 0x21, (byte) 0xa2, (byte) 0xda, 0x0f,
        (byte) 0xc9, 0x00, (byte) 0xc0, 0}, b);
    assertEquals(v, F80.fromBytes(b, 1));
  }

  @Test
  void pseudoDenormal_hasTheValueOfExponentOne() {
    F80 p = F80.parse("0000:8000000000000000");
    assertEquals(F80.parse("0001:8000000000000000").normExp(), p.normExp());
    assertTrue(p.isDenormal());
  }

  @Test
  void negateAndAbs_onlyTouchTheSignBit() {
    assertEquals("bfff:8000000000000000", F80.ONE.negate().toString());
    assertEquals("7fff:8000000000000001", F80.parse("ffff:8000000000000001").abs().toString());
  }
}
