package dev.blinkchroot.emulator.sse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Lane-boundary cases of the MMX/SSE integer semantics, worked by hand from the SDM. */
class SseIntLanesTest {
  @Test
  void wrappingAdd_doesNotCarryAcrossLanes() {
    assertEquals(0x0000_0000_0000_ff00L, SseIntLanes.add(8, 0x0000_0000_0000_ffffL, 0x01));
    assertEquals(0x0000_0000_ffff_0000L, SseIntLanes.sub(16, 0, 0x0000_0000_0001_0000L));
    assertEquals(0x0000_0000_ffff_ffffL, SseIntLanes.sub(8, 0x0101_0101_0000_0000L,
        0x0101_0101_0101_0101L));
  }

  @Test
  void saturatingArithmetic_clampsEachLane() {
    assertEquals(0x807fL, SseIntLanes.addSigned(8, 0x807fL, 0xff01L)); // 127+1, -128-1
    assertEquals(0xffffL, SseIntLanes.addUnsigned(16, 0xfffeL, 0x0003L));
    assertEquals(0L, SseIntLanes.subUnsigned(8, 0x01L, 0x02L));
    assertEquals(0x8000L, SseIntLanes.subSigned(16, 0x8000L, 0x0001L) & 0xffff);
  }

  @Test
  void shifts_byCountsAtOrAboveTheWidth_clearOrFillWithSign() {
    assertEquals(0, SseIntLanes.shiftLeft(16, -1L, 16));
    assertEquals(0, SseIntLanes.shiftRightLogical(64, -1L, 64));
    assertEquals(0, SseIntLanes.shiftLeft(32, -1L, Long.MIN_VALUE)); // unsigned 64-bit count
    assertEquals(0xffff_0000_ffff_0000L, SseIntLanes.shiftRightArithmetic(16,
        0x8000_0001_8000_7fffL, 1000));
    assertEquals(0xfffe_fffe_fffe_fffeL, SseIntLanes.shiftLeft(16, -1L, 1));
    assertEquals(0x7fff_7fff_7fff_7fffL, SseIntLanes.shiftRightLogical(16, -1L, 1));
  }

  @Test
  void multiplies_keepTheRightHalves() {
    assertEquals(0x4000L, SseIntLanes.mulHighSigned16(0x8000L, 0x8000L)); // (-2^15)^2 = 2^30
    assertEquals(0x8000L, SseIntLanes.mulHighRoundScale16(0x8000L, 0x8000L) & 0xffff);
    assertEquals(0xffff_fffe_0000_0001L, SseIntLanes.mulUnsignedDq(0xffff_ffffL, 0xffff_ffffL));
    assertEquals(1L, SseIntLanes.mulSignedDq(0xffff_ffffL, 0xffff_ffffL));
    // 0x8000 * 0x8000 * 2 = 2^31: wraps to INT_MIN, no saturation in PMADDWD
    assertEquals(0x8000_0000L, SseIntLanes.maddWd(0x8000_8000L, 0x8000_8000L));
    // 255 * 127 * 2 saturates to 0x7fff in PMADDUBSW
    assertEquals(0x7fffL, SseIntLanes.maddUbsw(0xffffL, 0x7f7fL));
  }

  @Test
  void absAndSign_ofTheMostNegativeLane() {
    assertEquals(0x80L, SseIntLanes.abs(8, 0x80L));
    assertEquals(0x80L, SseIntLanes.sign(8, 0x80L, 0xffL)); // -(-128) wraps to -128
    assertEquals(0L, SseIntLanes.sign(16, 0x1234L, 0L));
  }

  @Test
  void byteShiftsAndAlign_areWindowsOnTheConcatenation() {
    long[] out = new long[2];
    SseIntPermute.shiftLeftBytes(0x0807_0605_0403_0201L, 0x100f_0e0d_0c0b_0a09L, 3, out, 0);
    assertArrayEquals(new long[] {0x0504_0302_0100_0000L, 0x0d0c_0b0a_0908_0706L}, out);
    SseIntPermute.shiftRightBytes(1, 2, 16, out, 0);
    assertArrayEquals(new long[] {0, 0}, out);
    SseIntPermute.alignRight(0xaaL, 0xbbL, 0x11L, 0x22L, 16, out, 0);
    assertArrayEquals(new long[] {0xaaL, 0xbbL}, out);
    assertEquals(0x00_0000_0000_0000_aaL, SseIntPermute.window(0x11, 0xaa, 0, 0, 8));
  }

  @Test
  void packs_saturateSignedSourcesIntoSignedOrUnsignedHalves() {
    // words 0x7fff, 0x8000, 0x0100, 0xffff
    long words = 0xffff_0100_8000_7fffL;
    assertEquals(0xff7f_807fL & 0xffff_ffffL, SseIntPermute.narrow(16, false, words));
    assertEquals(0x00ff_00ffL, SseIntPermute.narrow(16, true, words));
  }

  @Test
  void phminposuw_takesTheFirstOfEqualMinima() {
    // words: ffff 0003 0004 0003 | 0003 0003 0003 0003 -> minimum 3 at index 1
    assertEquals(0x1_0003L, SseIntPermute.minPosition(0x0003_0004_0003_ffffL,
        0x0003_0003_0003_0003L));
  }
}
