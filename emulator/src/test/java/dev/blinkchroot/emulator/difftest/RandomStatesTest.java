package dev.blinkchroot.emulator.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomStatesTest {
  @Test
  void sameForm_givesSameStates() {
    List<MachineState> a = RandomStates.forForm("add r64, r64").next(10);
    List<MachineState> b = RandomStates.forForm("add r64, r64").next(10);
    assertEquals(a, b);
  }

  @Test
  void differentForms_giveDifferentStates() {
    assertNotEquals(RandomStates.forForm("add r64, r64").next(),
        RandomStates.forForm("sub r64, r64").next());
  }

  @Test
  void states_keepDfClearRspAtStackTopAndValidControlWords() {
    RandomStates rs = RandomStates.seeded(3);
    for (MachineState s : rs.next(500)) {
      assertEquals(0, s.rflags() & RFlags.DF);
      assertEquals(RFlags.FIXED, s.rflags() & ~RFlags.STATUS);
      assertEquals(MachineState.STACK_TOP, s.get(Reg.RSP));
      assertEquals(0x3f, s.fcw() & 0x3f, "x87 exceptions masked");
      assertEquals(0x1f80, s.mxcsr() & 0x1f80, "SSE exceptions masked");
    }
    assertEquals(500, rs.produced());
  }

  @Test
  void pointers_pointIntoTheDataRegionAligned() {
    RandomStates rs = RandomStates.seeded(4).pointers(16, 1024, Reg.RSI, Reg.RDI);
    for (MachineState s : rs.next(200)) {
      for (Reg r : new Reg[] {Reg.RSI, Reg.RDI}) {
        long off = s.get(r) - MachineState.DATA_BASE;
        assertTrue(off >= 0 && off < 1024 && off % 16 == 0, r + " = " + s.get(r));
      }
    }
  }

  @Test
  void int64_coversTheEdgeValues() {
    RandomStates rs = RandomStates.seeded(5);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 5000; i++) {
      seen.add(rs.int64());
    }
    for (long v : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x8000_0000L, -0x80}) {
      assertTrue(seen.contains(v), "never produced " + Long.toHexString(v));
    }
  }

  @Test
  void xmmHalf_coversNanInfinityDenormalAndNegativeZero() {
    RandomStates rs = RandomStates.seeded(6);
    boolean nan = false;
    boolean inf = false;
    boolean denormal = false;
    boolean negZero = false;
    for (int i = 0; i < 2000; i++) {
      double d = Double.longBitsToDouble(rs.xmmHalf(0));
      nan |= Double.isNaN(d);
      inf |= Double.isInfinite(d);
      denormal |= d != 0 && Math.abs(d) < Double.MIN_NORMAL;
      negZero |= Double.doubleToRawLongBits(d) == Long.MIN_VALUE;
    }
    assertTrue(nan && inf && denormal && negZero);
  }

  @Test
  void cases_defaultsToTwentyWithoutTheProperty() {
    String old = System.getProperty(RandomStates.CASES_PROPERTY);
    try {
      System.clearProperty(RandomStates.CASES_PROPERTY);
      assertEquals(20, RandomStates.cases());
      System.setProperty(RandomStates.CASES_PROPERTY, "1000");
      assertEquals(1000, RandomStates.cases());
    } finally {
      if (old == null) {
        System.clearProperty(RandomStates.CASES_PROPERTY);
      } else {
        System.setProperty(RandomStates.CASES_PROPERTY, old);
      }
    }
  }
}
