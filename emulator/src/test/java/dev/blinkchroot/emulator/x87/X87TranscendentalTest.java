package dev.blinkchroot.emulator.x87;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Special values, range rules and a few correctly rounded values of the transcendentals. */
class X87TranscendentalTest {
  private static final F80 PI64 = F80.parse("4000:c90fdaa22168c235");

  private static int flags(X87State st) {
    return st.statusWord() & 0x7f;
  }

  @Test
  void fsin_ofPi64_usesThe66BitPiReduction_givingMinusTwoToTheMinus64() {
    // The exact sin(pi64) is -5.0165576e-20; hardware reduces with pi rounded to 66 bits,
    // pi64 - pi66 = 2^-64 exactly, so it returns -sin(2^-64), which rounds to -2^-64.
    X87State st = new X87State();
    assertEquals("bfbf:8000000000000000", X87Transcendental.fsin(st, PI64).toString());
    assertEquals(X87State.PE, flags(st));
  }

  @Test
  void fsin_outOfRange_setsC2AndLeavesTheOperand() {
    X87State st = new X87State();
    assertNull(X87Transcendental.fsin(st, F80.parse("403e:8000000000000000"))); // 2^63
    assertEquals(X87State.C2, st.statusWord() & X87State.C2);
    assertNull(X87Transcendental.fptan(st, F80.parse("c03e:ffffffffffffffff")));
  }

  @Test
  void fsin_infinity_isInvalid() {
    X87State st = new X87State();
    assertEquals(F80.INDEFINITE, X87Transcendental.fsin(st, F80.NEG_INF));
    assertEquals(X87State.IE, flags(st));
  }

  @Test
  void fcos_ofZero_isExactlyOne() {
    X87State st = new X87State();
    assertEquals(F80.ONE, X87Transcendental.fcos(st, F80.NEG_ZERO));
    assertEquals(0, flags(st));
  }

  /**
   * Below 2^-68 the recorded Intel CPU returns the argument itself in every rounding mode,
   * reported inexact with C1 = 0 (cpu-reference x87-fsin, e.g. "fsin 0f7f 00008000000000000000
   * -> 00018000000000000000 - 3822 3fff").
   */
  @Test
  void fsin_ofATinyArgument_isTheArgumentInEveryRoundingMode() {
    X87State st = new X87State();
    st.setControlWord(0x0f7f); // round toward zero
    F80 x = F80.parse("0000:8000000000000000"); // pseudo-denormal 2^-16382
    assertEquals("0001:8000000000000000", X87Transcendental.fsin(st, x).toString());
    assertEquals(X87State.DE | X87State.PE, flags(st));
    assertEquals(0, st.statusWord() & X87State.C1);
    st = new X87State();
    st.setControlWord(0x077f); // round down: sin x < x, yet x comes back
    F80 denormal = F80.parse("0000:0000000000000001");
    assertEquals(denormal, X87Transcendental.fsin(st, denormal));
    assertEquals(X87State.DE | X87State.UE | X87State.PE, flags(st));
  }

  @Test
  void fsincos_returnsBoth() {
    X87State st = new X87State();
    F80[] r = X87Transcendental.fsincos(st, F80.POS_ZERO);
    assertEquals(F80.POS_ZERO, r[0]);
    assertEquals(F80.ONE, r[1]);
  }

  @Test
  void fpatan_quadrantsAndSignedZeros() {
    X87State st = new X87State();
    assertEquals("3ffe:c90fdaa22168c235", X87Transcendental.fpatan(st, F80.ONE, F80.ONE)
        .toString()); // pi/4
    assertEquals(PI64, X87Transcendental.fpatan(st, F80.POS_ZERO, F80.NEG_ZERO)); // pi
    assertEquals(F80.NEG_ZERO, X87Transcendental.fpatan(st, F80.NEG_ZERO, F80.POS_ZERO));
    assertEquals("bfff:c90fdaa22168c235",
        X87Transcendental.fpatan(st, F80.NEG_INF, F80.ONE).toString()); // -pi/2
  }

  @Test
  void f2xm1_ofHalf_isSqrtTwoMinusOneCorrectlyRounded() {
    X87State st = new X87State();
    assertEquals("3ffd:d413cccfe7799211",
        X87Transcendental.f2xm1(st, F80.parse("3ffe:8000000000000000")).toString());
    assertEquals(F80.NEG_ONE, X87Transcendental.f2xm1(st, F80.NEG_INF));
  }

  @Test
  void fyl2x_log2OfTen_isCorrectlyRounded() {
    X87State st = new X87State();
    assertEquals("4000:d49a784bcd1b8afe",
        X87Transcendental.fyl2x(st, F80.ONE, X87Convert.fromInt64(10)).toString());
  }

  @Test
  void fyl2x_ofZero_isZeroDivide_ofNegativeIsInvalid() {
    X87State st = new X87State();
    assertEquals(F80.NEG_INF, X87Transcendental.fyl2x(st, F80.ONE, F80.POS_ZERO));
    assertEquals(X87State.ZE, flags(st));
    st = new X87State();
    assertEquals(F80.INDEFINITE, X87Transcendental.fyl2x(st, F80.ONE, F80.NEG_ONE));
    assertEquals(X87State.IE, flags(st));
  }

  @Test
  void fyl2xp1_smallArgument_keepsFullRelativePrecision() {
    X87State st = new X87State();
    assertEquals("3ff5:b89329ba1fa2a0fd",
        X87Transcendental.fyl2xp1(st, F80.ONE, F80.parse("3ff5:8000000000000000")).toString());
  }

  @Test
  void fptan_ofZero_isZero() {
    X87State st = new X87State();
    assertEquals(F80.NEG_ZERO, X87Transcendental.fptan(st, F80.NEG_ZERO));
    assertEquals(0, flags(st));
  }
}
