package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.difftest.Assembler;
import dev.blinkchroot.emulator.difftest.Case;
import dev.blinkchroot.emulator.difftest.Differential;
import dev.blinkchroot.emulator.difftest.MachineState;
import dev.blinkchroot.emulator.difftest.RandomStates;
import dev.blinkchroot.emulator.difftest.Reg;
import dev.blinkchroot.emulator.difftest.Undefined;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * PCMPESTRI, PCMPESTRM, PCMPISTRI and PCMPISTRM against the host CPU for every control byte
 * that matters: each source format x aggregation x polarity x output selection (128 values,
 * imm8 bits 0-6) for all four instructions, plus a few with the reserved bit 7 set, memory
 * (unaligned: these need no alignment) and REX.W forms.
 *
 * <p>The operands are string-like: letters from a tiny alphabet (so sets, ranges and substrings
 * match often), embedded zero bytes/words (implicit lengths), sometimes bytes with the top bit
 * set (signed formats), and a copy of part of xmm1 inside xmm2 (equal ordered finds it).
 * Explicit lengths in EAX/EDX range over -20..20 with random upper bits, sometimes extreme.
 */
class PcmpstrDifferentialTest {
  private static final Differential DIFF = Differential.of(new InterpreterCpu());

  private static final String[] INSNS = {"pcmpestri", "pcmpestrm", "pcmpistri", "pcmpistrm"};

  private static List<String> forms() {
    List<String> out = new ArrayList<>();
    for (String insn : INSNS) {
      for (int imm = 0; imm < 0x80; imm++) {
        out.add(String.format("%s xmm1, xmm2, 0x%02x", insn, imm));
      }
      for (int imm : new int[] {0x80, 0x8c, 0xc5, 0xfa}) {
        out.add(String.format("%s xmm1, xmm2, 0x%02x", insn, imm));
      }
      for (int imm : new int[] {0x00, 0x0c, 0x19, 0x44, 0x3a, 0x6f}) {
        out.add(String.format("%s xmm1, xmmword ptr [rdi+%d], 0x%02x", insn, imm % 16, imm));
      }
      out.add(insn + " xmm9, xmm13, 0x08");
      out.add(insn + " xmm0, xmm1, 0x4c"); // the M forms overwrite their own operand
      out.add(insn + " xmm2, xmm0, 0x0d");
    }
    for (int imm : new int[] {0x00, 0x0c, 0x15, 0x3a, 0x44, 0x79}) {
      out.add(String.format("pcmpestriq xmm1, xmm2, 0x%02x", imm));
      out.add(String.format("pcmpestrmq xmm1, xmmword ptr [rdi+3], 0x%02x", imm));
    }
    return out;
  }

  // ---- string-like states ---------------------------------------------------------------------

  /** One element of a "string": a letter, now and then a zero or a high-bit byte. */
  private static int element(Random rnd, int alphabet, boolean zeros, boolean high) {
    int k = rnd.nextInt(24);
    if (zeros && k == 0) {
      return 0;
    }
    if (high && k < 4) {
      return 0x80 + rnd.nextInt(0x80);
    }
    return 'a' + rnd.nextInt(alphabet);
  }

  private static byte[] text(Random rnd, boolean words) {
    byte[] b = new byte[16];
    int alphabet = 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 8);
    boolean zeros = rnd.nextInt(3) != 0;
    boolean high = rnd.nextInt(3) == 0;
    for (int i = 0; i < 16; i += words ? 2 : 1) {
      int e = element(rnd, alphabet, zeros, high);
      b[i] = (byte) e;
      if (words) {
        // word elements: mostly small, sometimes with a high byte (signed words)
        b[i + 1] = (byte) (e == 0 ? 0 : high && rnd.nextInt(4) == 0 ? 0x80 | rnd.nextInt(0x80)
            : rnd.nextInt(8) == 0 ? 1 : 0);
      }
    }
    if (rnd.nextInt(4) == 0) { // a random tail after a terminator
      int z = rnd.nextInt(16);
      b[z] = 0;
      if (words) {
        b[z ^ 1] = 0;
      }
    }
    return b;
  }

  private static long lo(byte[] b) {
    return getLong(b, 0);
  }

  private static long hi(byte[] b) {
    return getLong(b, 8);
  }

  private static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = v << 8 | (b[off + i] & 0xff);
    }
    return v;
  }

  /** An explicit length register value: mostly -20..20 under random upper bits. */
  private static long length(Random rnd, boolean wide) {
    switch (rnd.nextInt(8)) {
      case 0: return rnd.nextLong();
      case 1: return rnd.nextBoolean() ? Long.MIN_VALUE : 0x8000_0000L;
      case 2: return rnd.nextBoolean() ? -16 : 16;
      default: {
        long small = rnd.nextInt(41) - 20;
        return wide ? small : rnd.nextLong() & 0xffff_ffff_0000_0000L | small & 0xffff_ffffL;
      }
    }
  }

  private static List<MachineState> shape(List<MachineState> states, long seed, String asm) {
    Random rnd = new Random(seed);
    boolean wide = asm.contains("strmq") || asm.contains("striq");
    for (MachineState s : states) {
      boolean words = rnd.nextBoolean();
      for (int r = 0; r < 16; r++) {
        byte[] t = text(rnd, words);
        s.setXmm(r, lo(t), hi(t));
      }
      // xmm2 (and the memory text) often contains a piece of xmm1, where strstr finds it
      for (int target : new int[] {2, 13, 0, -1}) {
        if (rnd.nextBoolean()) {
          byte[] src = new byte[16];
          putLong(src, 0, s.xmmLo(1));
          putLong(src, 8, s.xmmHi(1));
          byte[] dst = new byte[16];
          int from = rnd.nextInt(4) * (words ? 2 : 1);
          int to = rnd.nextInt(8) * (words ? 2 : 1);
          byte[] base = text(rnd, words);
          System.arraycopy(base, 0, dst, 0, 16);
          int n = Math.min(16 - from, 16 - to);
          System.arraycopy(src, from, dst, to, rnd.nextInt(n + 1) & (words ? ~1 : ~0));
          if (target >= 0) {
            s.setXmm(target, lo(dst), hi(dst));
          } else {
            long rdi = s.get(Reg.RDI);
            for (int k = 0; k < 16; k += 8) { // every plausible [rdi+k] sees text
              s.writeLong(rdi + k, lo(dst));
              s.writeLong(rdi + k + 8, hi(dst));
            }
          }
        }
      }
      s.set(Reg.RAX, length(rnd, wide));
      s.set(Reg.RDX, length(rnd, wide));
    }
    return states;
  }

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (v >>> 8 * i);
    }
  }

  @TestFactory
  Stream<DynamicTest> stringCompares_matchTheHostCpu() {
    List<String> forms = forms();
    Assembler.assembleAll(forms);
    return forms.stream().map(asm -> DynamicTest.dynamicTest(asm, () -> {
      RandomStates states = RandomStates.forForm(asm).pointers(16, 2048, Reg.RDI);
      List<Case> cases = Case.each(asm, shape(states.batch(), states.seed(), asm));
      DIFF.check(cases, Undefined.NONE, states.describe());
    }));
  }
}
