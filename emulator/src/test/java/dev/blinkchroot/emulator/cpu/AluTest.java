package dev.blinkchroot.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Hand-checked cases from the Intel SDM's flag definitions; the differential harness compares
 * against the host CPU exhaustively.
 */
class AluTest {
  private final Flags f = new Flags();

  private long status() {
    return f.rflags() & Flags.STATUS;
  }

  @Test
  void add8_0xffPlus1_wrapsToZeroWithCarryZeroAndAdjust() {
    assertEquals(0, Alu.add(f, 8, 0xff, 1) & 0xff);
    assertEquals(Flags.CF | Flags.ZF | Flags.AF | Flags.PF, status());
  }

  @Test
  void add32_maxPositivePlusOne_overflowsToNegative() {
    long r = Alu.add(f, 32, 0x7fffffffL, 1) & 0xffffffffL;
    assertEquals(0x80000000L, r);
    assertEquals(Flags.OF | Flags.SF | Flags.AF | Flags.PF, status());
  }

  @Test
  void sub64_zeroMinusOne_borrows() {
    assertEquals(-1L, Alu.sub(f, 64, 0, 1));
    assertEquals(Flags.CF | Flags.SF | Flags.AF | Flags.PF, status());
  }

  @Test
  void adc_usesAndProducesCarry_evenWhenSrcIsAllOnes() {
    f.put(Flags.CF, true);
    assertEquals(5, Alu.adc(f, 16, 5, 0xffff) & 0xffff);
    assertTrue(f.isSet(Flags.CF));
  }

  @Test
  void sbb_withBorrowIn_equalOperandsBorrow() {
    f.put(Flags.CF, true);
    assertEquals(0xff, Alu.sbb(f, 8, 7, 7) & 0xff);
    assertTrue(f.isSet(Flags.CF));
    assertTrue(f.isSet(Flags.SF));
  }

  @Test
  void incAndDec_keepTheCarryFlag() {
    f.put(Flags.CF, true);
    Alu.inc(f, 8, 0x7f);
    assertTrue(f.isSet(Flags.CF));
    assertTrue(f.isSet(Flags.OF));
    f.put(Flags.CF, false);
    Alu.dec(f, 8, 0x80);
    assertFalse(f.isSet(Flags.CF));
    assertTrue(f.isSet(Flags.OF));
  }

  @Test
  void neg_ofZeroClearsCarry_ofMinSetsOverflow() {
    Alu.neg(f, 32, 0);
    assertFalse(f.isSet(Flags.CF));
    Alu.neg(f, 32, 0x80000000L);
    assertTrue(f.isSet(Flags.CF));
    assertTrue(f.isSet(Flags.OF));
  }

  @Test
  void logic_clearsCarryAndOverflow() {
    f.put(Flags.CF, true);
    assertEquals(0, Alu.and(f, 64, 0xf0, 0x0f));
    assertEquals(Flags.ZF | Flags.PF, status());
  }

  @Test
  void shl_countIsMaskedTo5Bits_andZeroCountKeepsFlags() {
    Alu.add(f, 8, 0xff, 1);
    long before = status();
    assertEquals(0x12, Alu.shl(f, 32, 0x12, 32));
    assertEquals(before, status());
    assertEquals(0x24, Alu.shl(f, 32, 0x12, 33) & 0xffffffffL);
  }

  @Test
  void shl8_byEight_shiftsTheLastBitIntoCarry() {
    assertEquals(0, Alu.shl(f, 8, 0x01, 8) & 0xff);
    assertTrue(f.isSet(Flags.CF));
    assertEquals(0, Alu.shl(f, 8, 0x01, 9) & 0xff);
    assertFalse(f.isSet(Flags.CF));
  }

  @Test
  void sar_keepsTheSign() {
    assertEquals(0xfc, Alu.sar(f, 8, 0xf0, 2));
    assertFalse(f.isSet(Flags.CF));
    assertEquals(-1L, Alu.sar(f, 64, Long.MIN_VALUE, 63));
  }

  @Test
  void rol_andRor_changeOnlyCarryAndOverflow() {
    Alu.add(f, 8, 0, 0); // ZF set
    assertEquals(0x03, Alu.rol(f, 8, 0x81, 1));
    assertTrue(f.isSet(Flags.CF));
    assertTrue(f.isSet(Flags.ZF));
    assertEquals(0xc0, Alu.ror(f, 8, 0x81, 1));
    assertTrue(f.isSet(Flags.CF));
  }

  @Test
  void rcl8_rotatesThroughCarry_countModulo9() {
    f.put(Flags.CF, true);
    assertEquals(0x01, Alu.rcl(f, 8, 0x00, 1));
    assertFalse(f.isSet(Flags.CF));
    f.put(Flags.CF, false);
    assertEquals(0x80, Alu.rcl(f, 8, 0x80, 9));
  }

  @Test
  void shldAndShrd_fillFromTheOtherOperand() {
    assertEquals(0x2345, Alu.shld(f, 16, 0x1234, 0x5678, 4));
    assertTrue(f.isSet(Flags.CF));
    assertEquals(0x8123, Alu.shrd(f, 16, 0x1234, 0x5678, 4));
    assertFalse(f.isSet(Flags.CF));
  }

  @Test
  void conditions_matchTheirFlags() {
    Alu.sub(f, 32, 1, 2); // 1 < 2: below, less, not equal
    assertTrue(f.condition(0x2)); // B
    assertTrue(f.condition(0xC)); // L
    assertTrue(f.condition(0x5)); // NE
    assertFalse(f.condition(0x7)); // A
    assertFalse(f.condition(0xF)); // G
  }
}
