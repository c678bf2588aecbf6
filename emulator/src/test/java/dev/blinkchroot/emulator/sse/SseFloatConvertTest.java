package dev.blinkchroot.emulator.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Conversions, ROUNDSS, the approximations and MXCSR's own rules. */
class SseFloatConvertTest {
  private static Mxcsr mx(int rounding) {
    return Mxcsr.of(Mxcsr.DEFAULT | rounding << Mxcsr.RC_SHIFT);
  }

  private static int f(float x) {
    return Float.floatToRawIntBits(x);
  }

  @Test
  void toInt32_roundsWithRcAndGivesIndefiniteOutOfRange() {
    assertEquals(2, SseFloatConvert.toInt32(mx(Mxcsr.RN), f(2.5f)));
    assertEquals(3, SseFloatConvert.toInt32(mx(Mxcsr.RU), f(2.5f)));
    assertEquals(-3, SseFloatConvert.toInt32(mx(Mxcsr.RD), f(-2.5f)));
    assertEquals(-2, SseFloatConvert.toInt32(mx(Mxcsr.RZ), f(-2.7f)));
    Mxcsr m = mx(Mxcsr.RN);
    assertEquals(SseFloatConvert.INDEFINITE32, SseFloatConvert.toInt32(m, f(0x1p31f)));
    assertEquals(Mxcsr.IE, m.raised());
    m = mx(Mxcsr.RN);
    assertEquals(Integer.MIN_VALUE, SseFloatConvert.toInt32(m, f(-0x1p31f)));
    assertEquals(0, m.raised());
    m = mx(Mxcsr.RN);
    assertEquals(SseFloatConvert.INDEFINITE64, SseFloatConvert.toInt64(m, 0x7ff8_0000_0000_0000L));
    assertEquals(Mxcsr.IE, m.raised());
  }

  @Test
  void fromInteger_roundsWideIntegers() {
    Mxcsr m = mx(Mxcsr.RN);
    assertEquals(Double.doubleToRawLongBits(0x1p63),
        SseFloatConvert.fromInt64ToDouble(m, Long.MAX_VALUE));
    assertEquals(Mxcsr.PE, m.raised());
    assertEquals(Double.doubleToRawLongBits(Math.nextDown(0x1p63)),
        SseFloatConvert.fromInt64ToDouble(mx(Mxcsr.RZ), Long.MAX_VALUE));
    m = mx(Mxcsr.RN);
    assertEquals(f(-0x1p63f), SseFloatConvert.fromInt64ToSingle(m, Long.MIN_VALUE));
    assertEquals(0, m.raised());
    assertEquals(f(16777216f), SseFloatConvert.fromInt64ToSingle(mx(Mxcsr.RD), 16777217));
    assertEquals(f(16777218f), SseFloatConvert.fromInt64ToSingle(mx(Mxcsr.RU), 16777217));
  }

  @Test
  void doubleToSingle_keepsTheNanPayloadTopAndQuiets() {
    Mxcsr m = mx(Mxcsr.RN);
    assertEquals(0x7fc0_0000 | 0x1234 >>> 29 | 0x0020_0000,
        SseFloatConvert.doubleToSingle(m, 0x7ff4_0000_0000_1234L));
    assertEquals(Mxcsr.IE, m.raised());
    assertEquals(0xfff8_0000_0000_0000L | (long) 0x12345 << 29,
        SseFloatConvert.singleToDouble(mx(Mxcsr.RN), 0xffc1_2345));
  }

  @Test
  void roundSingle_immediateModeAndPrecisionSuppression() {
    Mxcsr m = mx(Mxcsr.RU);
    assertEquals(f(2f), SseFloatConvert.roundSingle(m, 4, f(1.25f))); // imm8[2]: MXCSR.RC
    assertEquals(Mxcsr.PE, m.raised());
    m = mx(Mxcsr.RN);
    assertEquals(f(1f), SseFloatConvert.roundSingle(m, 8 | Mxcsr.RD, f(1.75f)));
    assertEquals(0, m.raised());
    assertEquals(f(-0f), SseFloatConvert.roundSingle(mx(Mxcsr.RN), 0, f(-0.25f)));
  }

  @Test
  void approximations_withinTheSdmBound() {
    for (float x = 1e-30f; x < 1e30f; x *= 1.37f) {
      float r = Float.intBitsToFloat(SseFloatApprox.reciprocal(f(x)));
      assertEquals(0, (r * (double) x) - 1, 1.5 * 0x1p-12, "rcp " + x);
      float q = Float.intBitsToFloat(SseFloatApprox.reciprocalSqrt(f(x)));
      assertEquals(0, q * Math.sqrt(x) - 1, 1.5 * 0x1p-12, "rsqrt " + x);
    }
    assertEquals(0xff80_0000, SseFloatApprox.reciprocal(0x8000_0001)); // denormal reads as -0
    assertEquals(SseFloatCore.DEFAULT_NAN32, SseFloatApprox.reciprocalSqrt(f(-4f)));
  }

  @Test
  void mxcsr_siCodeAndLoadableBits() {
    assertEquals(Mxcsr.FPE_FLTINV, Mxcsr.siCode(0x1f80 & ~0x80 | Mxcsr.IE | Mxcsr.PE));
    assertEquals(Mxcsr.FPE_FLTRES, Mxcsr.siCode(0x1f80 & ~0x1000 | Mxcsr.IE | Mxcsr.PE));
    assertEquals(Mxcsr.FPE_FLTUND, Mxcsr.siCode(0x1f80 & ~0x100 | Mxcsr.DE));
    assertEquals(0, Mxcsr.siCode(0x1f80 | 0x3f));
    assertEquals(true, Mxcsr.isLoadable(0xffff));
    assertEquals(false, Mxcsr.isLoadable(0x1_0000));
  }

  @Test
  void mxcsr_unmaskedPreComputationExceptionDropsThePostComputationFlags() {
    Mxcsr m = Mxcsr.of(Mxcsr.DEFAULT & ~(Mxcsr.ZE << Mxcsr.MASK_SHIFT));
    m.divideByZero();
    m.post(Mxcsr.PE);
    assertEquals(true, m.faults());
    assertEquals((Mxcsr.DEFAULT & ~(Mxcsr.ZE << Mxcsr.MASK_SHIFT)) | Mxcsr.ZE, m.result());
  }
}
