package dev.blinkchroot.emulator.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The element semantics without a host CPU: IEEE rounding in every mode (Java's own
 * round-to-nearest arithmetic, subnormals included, is the oracle for RN; the directed modes
 * must bracket it), x86's NaN, MIN/MAX and zero rules, FTZ/DAZ and the flags.
 */
class SseFloatArithTest {
  private static final int MASKED = Mxcsr.DEFAULT;

  private static Mxcsr mx(int rounding) {
    return Mxcsr.of(MASKED | rounding << Mxcsr.RC_SHIFT);
  }

  private static int f(float x) {
    return Float.floatToRawIntBits(x);
  }

  private static long d(double x) {
    return Double.doubleToRawLongBits(x);
  }

  @Test
  void add_singleInEachRoundingMode_roundsTheExactSum() {
    int one = f(1f);
    int tiny = f(0x1p-30f);
    assertEquals(f(1f), SseFloatArith.binary(mx(Mxcsr.RN), SseFloatArith.ADD, one, tiny));
    assertEquals(f(Math.nextUp(1f)), SseFloatArith.binary(mx(Mxcsr.RU), SseFloatArith.ADD, one, tiny));
    assertEquals(f(1f), SseFloatArith.binary(mx(Mxcsr.RD), SseFloatArith.ADD, one, tiny));
    assertEquals(f(Math.nextDown(1f)),
        SseFloatArith.binary(mx(Mxcsr.RZ), SseFloatArith.SUB, one, tiny));
    Mxcsr m = mx(Mxcsr.RN);
    SseFloatArith.binary(m, SseFloatArith.ADD, one, tiny);
    assertEquals(Mxcsr.PE, m.raised());
  }

  @Test
  void sub_equalOperands_givesPlusZeroExceptWhenRoundingDown() {
    long x = d(3.5);
    assertEquals(0L, SseFloatArith.binary(mx(Mxcsr.RN), SseFloatArith.SUB, x, x));
    assertEquals(d(-0.0), SseFloatArith.binary(mx(Mxcsr.RD), SseFloatArith.SUB, x, x));
  }

  @Test
  void minMax_nanOrZeros_returnTheSecondOperand() {
    Mxcsr m = mx(Mxcsr.RN);
    int qnan = 0x7fc0_0001;
    assertEquals(f(2f), SseFloatArith.binary(m, SseFloatArith.MIN, qnan, f(2f)));
    assertEquals(Mxcsr.IE, m.raised()); // MIN/MAX signal IE even for a QNaN
    assertEquals(qnan, SseFloatArith.binary(mx(Mxcsr.RN), SseFloatArith.MAX, f(2f), qnan));
    assertEquals(f(-0f), SseFloatArith.binary(mx(Mxcsr.RN), SseFloatArith.MIN, f(0f), f(-0f)));
    assertEquals(f(0f), SseFloatArith.binary(mx(Mxcsr.RN), SseFloatArith.MAX, f(-0f), f(0f)));
  }

  @Test
  void nanPropagation_firstOperandWinsAndIsQuieted() {
    Mxcsr m = mx(Mxcsr.RN);
    long snan = 0x7ff0_0000_0000_0001L;
    long qnan = 0xfff8_0000_0000_0002L;
    assertEquals(0x7ff8_0000_0000_0001L, SseFloatArith.binary(m, SseFloatArith.MUL, snan, qnan));
    assertEquals(Mxcsr.IE, m.raised());
    assertEquals(qnan, SseFloatArith.binary(mx(Mxcsr.RN), SseFloatArith.ADD, qnan, snan));
    assertEquals(0x7ff8_0000_0000_0001L,
        SseFloatArith.binary(mx(Mxcsr.RN), SseFloatArith.ADD, d(1), snan));
  }

  @Test
  void invalidAndDivideByZero() {
    Mxcsr m = mx(Mxcsr.RN);
    assertEquals(SseFloatCore.DEFAULT_NAN32, SseFloatArith.sqrt(m, f(-1f)));
    assertEquals(Mxcsr.IE, m.raised());
    assertEquals(f(-0f), SseFloatArith.sqrt(mx(Mxcsr.RN), f(-0f)));
    m = mx(Mxcsr.RN);
    assertEquals(d(Double.NEGATIVE_INFINITY), SseFloatArith.binary(m, SseFloatArith.DIV, d(-1), 0L));
    assertEquals(Mxcsr.ZE, m.raised());
    m = mx(Mxcsr.RN);
    assertEquals(SseFloatCore.DEFAULT_NAN64, SseFloatArith.binary(m, SseFloatArith.DIV, 0L, d(-0.0)));
    assertEquals(Mxcsr.IE, m.raised());
  }

  @Test
  void overflow_dependsOnTheRoundingMode() {
    long max = d(Double.MAX_VALUE);
    Mxcsr m = mx(Mxcsr.RN);
    assertEquals(d(Double.POSITIVE_INFINITY), SseFloatArith.binary(m, SseFloatArith.MUL, max, d(2)));
    assertEquals(Mxcsr.OE | Mxcsr.PE, m.raised());
    assertEquals(max, SseFloatArith.binary(mx(Mxcsr.RZ), SseFloatArith.MUL, max, d(2)));
    assertEquals(d(-Double.MAX_VALUE),
        SseFloatArith.binary(mx(Mxcsr.RU), SseFloatArith.MUL, max, d(-2)));
  }

  @Test
  void underflow_ftzFlushesAndDazReadsDenormalsAsZero() {
    int small = f(0x1p-126f * 1.5f);
    Mxcsr m = mx(Mxcsr.RN);
    assertEquals(f(0x1p-127f * 1.5f), SseFloatArith.binary(m, SseFloatArith.MUL, small, f(0.5f)));
    assertEquals(0, m.raised()); // tiny but exact: no UE while underflow is masked
    m = Mxcsr.of(MASKED | Mxcsr.FTZ);
    assertEquals(0, SseFloatArith.binary(m, SseFloatArith.MUL, small, f(0.5f)));
    assertEquals(Mxcsr.UE | Mxcsr.PE, m.raised());
    m = mx(Mxcsr.RN);
    assertEquals(f(0x1p-149f), SseFloatArith.binary(m, SseFloatArith.MUL, f(0x1p-149f), f(1.25f)));
    assertEquals(Mxcsr.DE | Mxcsr.UE | Mxcsr.PE, m.raised());
    m = Mxcsr.of(MASKED | Mxcsr.DAZ);
    assertEquals(f(1f), SseFloatArith.binary(m, SseFloatArith.ADD, f(0x1p-149f), f(1f)));
    assertEquals(0, m.raised());
  }

  @Test
  void compare_predicatesAndSignalling() {
    Mxcsr m = mx(Mxcsr.RN);
    int qnan = 0x7fc0_0000;
    assertTrue(SseFloatArith.compare(m, 4, qnan, f(1f))); // NEQ: unordered is not equal
    assertEquals(0, m.raised()); // quiet predicate
    assertTrue(!SseFloatArith.compare(m, 1, qnan, f(1f)));
    assertEquals(Mxcsr.IE, m.raised()); // LT signals on a QNaN
    assertTrue(SseFloatArith.compare(mx(Mxcsr.RN), 0, f(0f), f(-0f)));
    assertEquals(0x45, SseFloatArith.compareFlags(mx(Mxcsr.RN), false, qnan, f(1f)));
    assertEquals(0x01, SseFloatArith.compareFlags(mx(Mxcsr.RN), true, f(-1f), f(1f)));
  }

  /** RN must equal Java's IEEE arithmetic; the directed modes must bracket it. */
  @Test
  void randomOperands_matchJavaInNearestAndBracketItOtherwise() {
    Random rnd = new Random(42);
    for (int i = 0; i < 200_000; i++) {
      long a = randomDouble(rnd);
      long b = randomDouble(rnd);
      int op = rnd.nextInt(4);
      double x = Double.longBitsToDouble(a);
      double y = Double.longBitsToDouble(b);
      double java = op == 0 ? x + y : op == 1 ? x - y : op == 2 ? x * y : x / y;
      checkDouble(op, a, b, java);
      int fa = (int) a;
      int fb = (int) (a >>> 32);
      float fx = Float.intBitsToFloat(fa);
      float fy = Float.intBitsToFloat(fb);
      float fjava = op == 0 ? fx + fy : op == 1 ? fx - fy : op == 2 ? fx * fy : fx / fy;
      int rn = SseFloatArith.binary(mx(Mxcsr.RN), op, fa, fb);
      if (!Float.isNaN(fjava)) {
        assertEquals(f(fjava), rn, () -> op + " " + fx + " " + fy);
      }
    }
  }

  private static void checkDouble(int op, long a, long b, double java) {
    long rn = SseFloatArith.binary(mx(Mxcsr.RN), op, a, b);
    if (Double.isNaN(java)) {
      return;
    }
    assertEquals(d(java), rn, () -> op + " " + Long.toHexString(a) + " " + Long.toHexString(b));
    Mxcsr m = mx(Mxcsr.RN);
    SseFloatArith.binary(m, op, a, b);
    boolean inexact = (m.raised() & Mxcsr.PE) != 0;
    double down = Double.longBitsToDouble(SseFloatArith.binary(mx(Mxcsr.RD), op, a, b));
    double up = Double.longBitsToDouble(SseFloatArith.binary(mx(Mxcsr.RU), op, a, b));
    double zero = Double.longBitsToDouble(SseFloatArith.binary(mx(Mxcsr.RZ), op, a, b));
    if (!inexact) {
      assertEquals(d(java), d(down));
      assertEquals(d(java), d(up));
      return;
    }
    if (Double.isInfinite(java) || Double.isInfinite(down) || Double.isInfinite(up)) {
      return; // overflow results are checked in overflow_dependsOnTheRoundingMode
    }
    assertTrue(Math.nextUp(down) == up, () -> "bracket " + down + " " + up + " for " + java);
    assertTrue(java == down || java == up);
    assertEquals(d(down >= 0 ? down : up), d(zero));
  }

  private static long randomDouble(Random rnd) {
    long bits = rnd.nextLong();
    switch (rnd.nextInt(4)) {
      case 0: return bits & 0x800f_ffff_ffff_ffffL; // denormal
      case 1: return bits & 0x801f_ffff_ffff_ffffL | 0x0010_0000_0000_0000L; // near the threshold
      case 2: return bits & 0x80ff_ffff_ffff_ffffL | 0x3f00_0000_0000_0000L; // near 1
      default: return bits;
    }
  }
}
