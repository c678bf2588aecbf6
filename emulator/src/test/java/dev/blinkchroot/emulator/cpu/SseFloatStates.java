package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.difftest.MachineState;
import dev.blinkchroot.emulator.difftest.RandomStates;
import dev.blinkchroot.emulator.difftest.Reg;
import java.util.List;
import java.util.Random;

/**
 * Initial states for the SSE floating-point differential tests: {@link RandomStates}' states
 * (NaNs, infinities, denormals, -0.0 in the XMM registers) with three additions:
 *
 * <ul>
 *   <li>MXCSR cycles through the 16 combinations of rounding control, FTZ and DAZ (case i gets
 *       RC = i % 4, FTZ = bit 2 of i, DAZ = bit 3), with random sticky flags, so every form
 *       meets every mode within the default 20 cases;
 *   <li>about half the XMM registers get values near the edges that random values rarely
 *       reach: the overflow and underflow thresholds of single and double, the smallest
 *       denormals, integers near 2^31 and 2^63, halfway cases for rounding;
 *   <li>the 16 bytes at RDI (16-byte aligned) copy XMM2 or one of those values, so memory
 *       operands see the same kinds of values as registers.
 * </ul>
 */
final class SseFloatStates {
  private SseFloatStates() {}

  /** States for {@code form}; {@code mxcsrBase} holds the masks (0x1f80 = all masked). */
  static List<MachineState> of(String form, int mxcsrBase) {
    RandomStates rs = RandomStates.forForm(form).pointers(16, 2048, Reg.RDI);
    List<MachineState> states = rs.batch();
    Random rnd = new Random(rs.seed() ^ 0x55e);
    for (int i = 0; i < states.size(); i++) {
      MachineState s = states.get(i);
      int mx = mxcsrBase | (i & 3) << 13 | rnd.nextInt(0x40);
      if ((i & 4) != 0) {
        mx |= 1 << 15;
      }
      if ((i & 8) != 0) {
        mx |= 1 << 6;
      }
      s.setMxcsr(mx);
      for (int r = 0; r < 16; r++) {
        if (rnd.nextBoolean()) {
          s.setXmm(r, edge(rnd), edge(rnd));
        }
      }
      long rdi = s.get(Reg.RDI);
      boolean copy = rnd.nextBoolean();
      s.writeLong(rdi, copy ? s.xmmLo(2) : edge(rnd));
      s.writeLong(rdi + 8, copy ? s.xmmHi(2) : edge(rnd));
      if (rnd.nextInt(4) == 0) {
        s.set(Reg.RAX, integer(rnd));
      }
    }
    return states;
  }

  /** 64 bits holding one double or two singles near an interesting edge. */
  static long edge(Random rnd) {
    if (rnd.nextBoolean()) {
      return (edgeSingle(rnd) & 0xffff_ffffL) | (long) edgeSingle(rnd) << 32;
    }
    return edgeDouble(rnd);
  }

  private static int edgeSingle(Random rnd) {
    int sign = rnd.nextBoolean() ? 0x8000_0000 : 0;
    int frac = rnd.nextInt(4) == 0 ? rnd.nextInt(8) | 0x007f_fff8 & -rnd.nextInt(2)
        : rnd.nextInt(0x0080_0000);
    int exp;
    switch (rnd.nextInt(8)) {
      case 0: exp = 0; break; // denormal or zero
      case 1: exp = 1 + rnd.nextInt(3); break; // just above the underflow threshold
      case 2: exp = 0xfe - rnd.nextInt(3); break; // near overflow
      case 3: exp = 127 + 23 + rnd.nextInt(12) - 6; break; // where integers get sparse
      case 4: exp = 127 + 31 + rnd.nextInt(3) - 1; break; // near 2^31
      case 5: exp = 127 + 63 + rnd.nextInt(3) - 1; break; // near 2^63
      case 6: exp = 127 + rnd.nextInt(5) - 2; break; // near 1: halfway cases
      default: exp = 64 + rnd.nextInt(128);
    }
    return sign | exp << 23 | frac;
  }

  private static long edgeDouble(Random rnd) {
    long sign = rnd.nextBoolean() ? 1L << 63 : 0;
    long frac = rnd.nextLong() & 0x000f_ffff_ffff_ffffL;
    if (rnd.nextInt(4) == 0) {
      frac = rnd.nextBoolean() ? frac & 7 : frac | 0x000f_ffff_ffff_fff8L;
    }
    long exp;
    switch (rnd.nextInt(9)) {
      case 0: exp = 0; break;
      case 1: exp = 1 + rnd.nextInt(3); break;
      case 2: exp = 0x7fe - rnd.nextInt(3); break;
      case 3: exp = 1023 + 52 + rnd.nextInt(12) - 6; break;
      case 4: exp = 1023 + 31 + rnd.nextInt(3) - 1; break;
      case 5: exp = 1023 + 63 + rnd.nextInt(3) - 1; break;
      case 6: exp = 1023 + rnd.nextInt(5) - 2; break;
      case 7: exp = 1023 - 126 + rnd.nextInt(60) - 30; break; // singles' underflow range
      default: exp = 1023 + 128 + rnd.nextInt(5) - 2; // singles' overflow threshold
    }
    return sign | exp << 52 | frac;
  }

  private static long integer(Random rnd) {
    switch (rnd.nextInt(4)) {
      case 0: return (1L << 24) + rnd.nextInt(64) - 32;
      case 1: return (1L << 53) + rnd.nextInt(64) - 32;
      case 2: return Long.MIN_VALUE + rnd.nextInt(1 << 12);
      default: return -((1L << 40) + rnd.nextLong() % (1L << 40));
    }
  }
}
