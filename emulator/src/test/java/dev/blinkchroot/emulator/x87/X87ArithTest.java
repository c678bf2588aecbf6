package dev.blinkchroot.emulator.x87;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Chosen edge cases of the basic arithmetic; the differential test covers the rest. */
class X87ArithTest {
  private static final int FLAGS = 0x7f;

  private static X87State state(int pc, int rc) {
    X87State st = new X87State();
    st.setControlWord(0x7f | pc << 8 | rc << 10);
    return st;
  }

  private static X87State nearest64() {
    return state(3, X87State.RC_NEAREST);
  }

  private static F80 v(String hex) {
    return F80.parse(hex);
  }

  private static F80 i(long n) {
    return X87Convert.fromInt64(n);
  }

  private static void assertResult(String hex, int flags, X87State st, F80 r) {
    assertEquals(hex, r.toString());
    assertEquals(flags, st.statusWord() & (FLAGS | X87State.C1), "status word");
  }

  @Test
  void add_belowHalfAnUlp_roundsToNearestAndSetsPeOnly() {
    X87State st = nearest64();
    assertResult("3fff:8000000000000000", X87State.PE, st,
        X87Arith.add(st, F80.ONE, v("3fbe:8000000000000000"))); // 1 + 2^-65
  }

  @Test
  void add_roundUpMode_incrementsAndSetsC1() {
    X87State st = state(3, X87State.RC_UP);
    assertResult("3fff:8000000000000001", X87State.PE | X87State.C1, st,
        X87Arith.add(st, F80.ONE, v("3fbe:8000000000000000")));
  }

  @Test
  void add_precisionControl24_tieRoundsToEven() {
    X87State st = state(0, X87State.RC_NEAREST);
    // 1 + 2^-24 is halfway between 1 and 1 + 2^-23: even is 1.
    assertResult("3fff:8000000000000000", X87State.PE, st,
        X87Arith.add(st, F80.ONE, v("3fe7:8000000000000000")));
    st = state(0, X87State.RC_NEAREST);
    // 1 + 3 * 2^-24 is halfway between 1 + 2^-23 and 1 + 2^-22: even is the latter.
    assertResult("3fff:8000020000000000", X87State.PE | X87State.C1, st,
        X87Arith.add(st, F80.ONE, v("3fe8:c000000000000000")));
  }

  @Test
  void add_precisionControl53_roundsLikeDouble() {
    X87State st = state(2, X87State.RC_NEAREST);
    assertResult("3fff:8000000000000800", X87State.PE | X87State.C1, st,
        X87Arith.add(st, F80.ONE, v("3fca:c000000000000000"))); // 1 + 1.5 * 2^-53
  }

  @Test
  void sub_exactCancellation_isPlusZeroOrMinusZeroWhenRoundingDown() {
    X87State st = nearest64();
    assertResult("0000:0000000000000000", 0, st, X87Arith.sub(st, i(5), i(5)));
    st = state(3, X87State.RC_DOWN);
    assertResult("8000:0000000000000000", 0, st, X87Arith.sub(st, i(5), i(5)));
  }

  @Test
  void add_infinitiesOfOppositeSign_isInvalidWithIndefinite() {
    X87State st = nearest64();
    assertResult("ffff:c000000000000000", X87State.IE, st,
        X87Arith.add(st, F80.POS_INF, F80.NEG_INF));
  }

  @Test
  void add_snanAndQnan_givesTheQnanAndIe() {
    X87State st = nearest64();
    assertResult("7fff:c000000000000001", X87State.IE, st,
        X87Arith.add(st, v("ffff:a000000000000000"), v("7fff:c000000000000001")));
  }

  @Test
  void add_twoQnans_givesTheLargerSignificand() {
    X87State st = nearest64();
    assertResult("ffff:e000000000000000", 0, st,
        X87Arith.add(st, v("7fff:c000000000000001"), v("ffff:e000000000000000")));
  }

  @Test
  void add_denormalOperand_raisesDe() {
    X87State st = nearest64();
    assertResult("3fff:8000000000000000", X87State.DE | X87State.PE, st,
        X87Arith.add(st, F80.ONE, v("0000:0000000000000001")));
  }

  @Test
  void add_unnormalOperand_isInvalid() {
    X87State st = nearest64();
    assertResult("ffff:c000000000000000", X87State.IE, st,
        X87Arith.add(st, F80.ONE, v("3fff:4000000000000000")));
  }

  @Test
  void mul_overflow_givesInfinityOrLargestFiniteByRoundingMode() {
    X87State st = nearest64();
    F80 max = v("7ffe:ffffffffffffffff");
    assertResult("7fff:8000000000000000", X87State.OE | X87State.PE | X87State.C1, st,
        X87Arith.mul(st, max, i(2)));
    st = state(3, X87State.RC_ZERO);
    assertResult("7ffe:ffffffffffffffff", X87State.OE | X87State.PE, st,
        X87Arith.mul(st, max, i(2)));
    st = state(0, X87State.RC_DOWN); // 24-bit largest finite
    assertResult("7ffe:ffffff0000000000", X87State.OE | X87State.PE, st,
        X87Arith.mul(st, max, i(2)));
  }

  @Test
  void mul_exactDenormalResult_raisesNoUnderflowWhenMasked() {
    X87State st = nearest64();
    assertResult("0000:4000000000000000", 0, st,
        X87Arith.mul(st, v("0001:8000000000000000"), v("3ffe:8000000000000000")));
  }

  @Test
  void mul_halfOfSmallestDenormal_tiesToZeroWithUnderflowAndPrecision() {
    X87State st = nearest64();
    assertResult("0000:0000000000000000", X87State.DE | X87State.UE | X87State.PE, st,
        X87Arith.mul(st, v("0000:0000000000000001"), v("3ffe:8000000000000000")));
  }

  @Test
  void mul_underflowUnmasked_isReportedEvenWhenExact() {
    X87State st = new X87State();
    st.setControlWord(0x036f); // UE unmasked
    X87Arith.mul(st, v("0001:8000000000000000"), v("3ffe:8000000000000000"));
    assertEquals(X87State.UE, st.unmaskedPending());
  }

  @Test
  void div_oneThird_isTheExtendedValue() {
    X87State st = nearest64();
    assertResult("3ffd:aaaaaaaaaaaaaaab", X87State.PE | X87State.C1, st,
        X87Arith.div(st, F80.ONE, i(3)));
  }

  @Test
  void div_byZero_isZeroDivideWithSignedInfinity_andZeroByZeroIsInvalid() {
    X87State st = nearest64();
    assertResult("ffff:8000000000000000", X87State.ZE, st, X87Arith.div(st, F80.NEG_ONE,
        F80.POS_ZERO));
    st = nearest64();
    assertResult("ffff:c000000000000000", X87State.IE, st,
        X87Arith.div(st, F80.POS_ZERO, F80.NEG_ZERO));
  }

  @Test
  void sqrt_exactSquare_isExact_negativeIsInvalid_minusZeroStays() {
    X87State st = nearest64();
    assertResult("4000:8000000000000000", 0, st, X87Arith.sqrt(st, i(4)));
    st = nearest64();
    assertResult("ffff:c000000000000000", X87State.IE, st, X87Arith.sqrt(st, F80.NEG_ONE));
    st = nearest64();
    assertResult("8000:0000000000000000", 0, st, X87Arith.sqrt(st, F80.NEG_ZERO));
  }

  @Test
  void sqrt_two_isCorrectlyRounded() {
    X87State st = nearest64();
    assertResult("3fff:b504f333f9de6484", X87State.PE, st, X87Arith.sqrt(st, i(2)));
  }

  @Test
  void fprem_truncatingQuotient_setsQuotientBitsC0C3C1() {
    X87State st = nearest64();
    F80 r = X87Arith.fprem(st, v("4001:b000000000000000"), i(2), false); // 5.5 rem 2, q = 2
    assertEquals("3fff:c000000000000000", r.toString()); // 1.5
    assertEquals(X87State.C3, st.statusWord() & (X87State.C0 | X87State.C1 | X87State.C2
        | X87State.C3));
  }

  @Test
  void fprem1_nearestQuotient_givesNegativeRemainder() {
    X87State st = nearest64();
    F80 r = X87Arith.fprem(st, v("4001:b000000000000000"), i(2), true); // q = 3
    assertEquals("bffe:8000000000000000", r.toString()); // -0.5
    assertEquals(X87State.C3 | X87State.C1, st.statusWord() & (X87State.C0 | X87State.C1
        | X87State.C2 | X87State.C3));
  }

  @Test
  void fprem_hugeExponentDifference_isPartialWithC2() {
    X87State st = nearest64();
    F80 a = v("4063:8000000000000000"); // 2^100
    F80 r = X87Arith.fprem(st, a, i(3), false);
    assertEquals(X87State.C2, st.statusWord() & (X87State.C0 | X87State.C1 | X87State.C2
        | X87State.C3));
    // Iterating, as software does, reaches the true remainder 2^100 mod 3 = 1.
    while ((st.statusWord() & X87State.C2) != 0) {
      r = X87Arith.fprem(st, r, i(3), false);
    }
    assertEquals(F80.ONE, r);
  }

  @Test
  void fprem_divisorZero_isInvalid() {
    X87State st = nearest64();
    assertResult("ffff:c000000000000000", X87State.IE, st,
        X87Arith.fprem(st, F80.ONE, F80.POS_ZERO, false));
  }

  @Test
  void fscale_truncatesTheScaleTowardZero() {
    X87State st = nearest64();
    F80 tenPointSeven = X87Arith.div(new X87State(), i(107), i(10));
    assertEquals("4009:8000000000000000", X87Arith.fscale(st, F80.ONE, tenPointSeven).toString());
    assertEquals("3ff5:8000000000000000",
        X87Arith.fscale(st, F80.ONE, tenPointSeven.negate()).toString());
  }

  @Test
  void fscale_zeroTimesPlusInfinity_isInvalid_finiteTimesMinusInfinityIsZero() {
    X87State st = nearest64();
    assertResult("ffff:c000000000000000", X87State.IE, st,
        X87Arith.fscale(st, F80.POS_ZERO, F80.POS_INF));
    st = nearest64();
    assertResult("8000:0000000000000000", 0, st, X87Arith.fscale(st, F80.NEG_ONE, F80.NEG_INF));
  }

  @Test
  void fxtract_splitsExponentAndSignificand() {
    X87State st = nearest64();
    F80[] r = X87Arith.fxtract(st, i(-12));
    assertEquals("4000:c000000000000000", r[0].toString()); // 3
    assertEquals("bfff:c000000000000000", r[1].toString()); // -1.5
  }

  @Test
  void fxtract_ofZero_isZeroDivideWithMinusInfinityExponent() {
    X87State st = nearest64();
    F80[] r = X87Arith.fxtract(st, F80.NEG_ZERO);
    assertEquals(F80.NEG_INF, r[0]);
    assertEquals(F80.NEG_ZERO, r[1]);
    assertEquals(X87State.ZE, st.statusWord() & FLAGS);
  }

  @Test
  void frndint_halfway_followsTheRoundingControl() {
    F80 twoPointFive = v("4000:a000000000000000");
    X87State st = nearest64();
    assertResult("4000:8000000000000000", X87State.PE, st, X87Arith.frndint(st, twoPointFive));
    st = state(3, X87State.RC_UP);
    assertResult("4000:c000000000000000", X87State.PE | X87State.C1, st,
        X87Arith.frndint(st, twoPointFive));
    st = state(3, X87State.RC_DOWN);
    assertResult("c000:c000000000000000", X87State.PE | X87State.C1, st,
        X87Arith.frndint(st, twoPointFive.negate()));
  }

  @Test
  void frndint_tinyNegative_roundsToMinusZero() {
    X87State st = nearest64();
    assertResult("8000:0000000000000000", X87State.PE, st,
        X87Arith.frndint(st, v("bffd:8000000000000000")));
  }
}
