package dev.blinkchroot.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Multiply and divide, checked against BigInteger arithmetic. */
class MulDivTest {
  private final Flags f = new Flags();
  private static final BigInteger TWO64 = BigInteger.ONE.shiftLeft(64);

  private static BigInteger unsigned(long v) {
    return v >= 0 ? BigInteger.valueOf(v) : BigInteger.valueOf(v).add(TWO64);
  }

  @Test
  void mul64_matchesBigInteger_forRandomOperands() {
    Random r = new Random(42);
    for (int i = 0; i < 10_000; i++) {
      long a = r.nextLong();
      long b = r.nextLong();
      MulDiv.Wide w = MulDiv.mul(f, 64, a, b);
      BigInteger p = unsigned(a).multiply(unsigned(b));
      assertEquals(p.shiftRight(64).longValue(), w.high());
      assertEquals(p.longValue(), w.low());
      assertEquals(w.high() != 0, f.isSet(Flags.CF));
    }
  }

  @Test
  void imulWide64_matchesBigInteger() {
    Random r = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      long a = r.nextLong() >> r.nextInt(64);
      long b = r.nextLong() >> r.nextInt(64);
      MulDiv.Wide w = MulDiv.imulWide(f, 64, a, b);
      BigInteger p = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
      assertEquals(p.shiftRight(64).longValue(), w.high());
      assertEquals(p.longValue(), w.low());
      assertEquals(p.bitLength() > 63, f.isSet(Flags.OF));
    }
  }

  @Test
  void imul32_twoOperand_setsOverflowWhenTruncated() {
    assertEquals(0x80000000L & 0xffffffffL, MulDiv.imul(f, 32, 0x10000, 0x8000));
    assertTrue(f.isSet(Flags.OF));
    assertEquals(0xfffffffeL, MulDiv.imul(f, 32, -1, 2));
    assertFalse(f.isSet(Flags.CF));
  }

  @Test
  void div64_128bitDividend_matchesBigInteger() {
    Random r = new Random(3);
    for (int i = 0; i < 10_000; i++) {
      long d = r.nextLong() | 1;
      long high = Long.remainderUnsigned(r.nextLong(), d); // keeps the quotient in range
      long low = r.nextLong();
      MulDiv.Wide w = MulDiv.div(64, high, low, d);
      BigInteger n = unsigned(high).shiftLeft(64).add(unsigned(low));
      BigInteger[] qr = n.divideAndRemainder(unsigned(d));
      assertEquals(qr[0].longValue(), w.low());
      assertEquals(qr[1].longValue(), w.high());
    }
  }

  @Test
  void idiv64_128bitDividend_truncatesTowardZero() {
    Random r = new Random(5);
    for (int i = 0; i < 10_000; i++) {
      long q0 = r.nextLong() >> r.nextInt(64);
      long d = (r.nextLong() >> r.nextInt(64)) | 1;
      BigInteger n = BigInteger.valueOf(q0).multiply(BigInteger.valueOf(d))
          .add(BigInteger.valueOf(r.nextInt(Math.max(1, (int) Math.min(Math.abs(d), 1000)))));
      if (n.bitLength() > 126) {
        continue;
      }
      BigInteger[] qr = n.divideAndRemainder(BigInteger.valueOf(d));
      if (qr[0].bitLength() > 63) {
        continue;
      }
      MulDiv.Wide w = MulDiv.idiv(64, n.shiftRight(64).longValue(), n.longValue(), d);
      assertEquals(qr[0].longValue(), w.low(), n + " / " + d);
      assertEquals(qr[1].longValue(), w.high(), n + " % " + d);
    }
  }

  @Test
  void divide_byZeroOrOverflow_raisesDivideError() {
    assertEquals(CpuTrap.Kind.DIVIDE_ERROR,
        assertThrows(CpuTrap.class, () -> MulDiv.div(32, 0, 5, 0)).kind());
    assertThrows(CpuTrap.class, () -> MulDiv.div(8, 0x01, 0x00, 0x01)); // 256/1 > 255
    assertThrows(CpuTrap.class, () -> MulDiv.idiv(32, 0xffffffffL, 0x80000000L, -1));
    assertThrows(CpuTrap.class, () -> MulDiv.idiv(64, -1, Long.MIN_VALUE, -1));
  }

  @Test
  void idiv8_signedRemainderFollowsDividend() {
    MulDiv.Wide w = MulDiv.idiv(8, 0xff, 0xf9, 2); // -7 / 2
    assertEquals(0xfd, w.low()); // -3
    assertEquals(0xff, w.high()); // -1
  }
}
