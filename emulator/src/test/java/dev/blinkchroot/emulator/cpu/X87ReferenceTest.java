package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.difftest.CpuReference;
import dev.blinkchroot.emulator.difftest.ReferenceTally;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The x87 transcendental and partial operations against the Intel recording (sections
 * {@code x87-OP}), run through the interpreter exactly as the recorder ran them on the
 * hardware: {@code fninit; fldcw CW; [fld B (m80)]; fld A (m80); OP; fnsave}. ST(0), ST(1),
 * the whole status word and the whole tag word are compared: bit for bit for FSCALE, FPREM,
 * FPREM1, FXTRACT, FRNDINT and FSQRT, and for the transcendentals within the tolerance of
 * {@link X87Tolerance} (one ulp, C1 of inexact results not compared). How many transcendental
 * lines match bit for bit, and how often C1 agrees, is printed.
 */
class X87ReferenceTest {
  private static final int CW = 0, A = 16, B = 32, SAVE = 64;

  /** name, ModRM byte after D9, binary, transcendental. */
  private static final Object[][] OPS = {
    {"fsin", 0xfe, false, true}, {"fcos", 0xff, false, true}, {"fsincos", 0xfb, false, true},
    {"fptan", 0xf2, false, true}, {"fpatan", 0xf3, true, true}, {"fyl2x", 0xf1, true, true},
    {"fyl2xp1", 0xf9, true, true}, {"f2xm1", 0xf0, false, true},
    {"fscale", 0xfd, true, false}, {"fprem", 0xf8, true, false},
    {"fprem1", 0xf5, true, false}, {"fxtract", 0xf4, false, false},
    {"frndint", 0xfc, false, false}, {"fsqrt", 0xfa, false, false},
  };

  @TestFactory
  Stream<DynamicTest> x87Operations_matchTheIntelRecording() {
    return Stream.of(OPS).map(op -> DynamicTest.dynamicTest((String) op[0],
        () -> check((String) op[0], (Integer) op[1], (Boolean) op[2], (Boolean) op[3])));
  }

  /** Checks the operation whose D9 register form has this ModRM byte (e.g. 0xfe, FSIN). */
  static void checkByModrm(int modrm) {
    for (Object[] op : OPS) {
      if ((Integer) op[1] == modrm) {
        check((String) op[0], modrm, (Boolean) op[2], (Boolean) op[3]);
        return;
      }
    }
    throw new IllegalArgumentException(String.format("no recorded operation D9 %02x", modrm));
  }

  private static void check(String name, int modrm, boolean binary, boolean transcendental) {
    SnippetMachine m = new SnippetMachine();
    // fninit; fldcw [rdi]; fld tbyte [rdi+B]; fld tbyte [rdi+A]; OP; fnsave [rdi+SAVE]
    byte[] code = SnippetMachine.bytes(0xdb, 0xe3, 0xd9, 0x2f, 0xdb, 0x6f, B, 0xdb, 0x6f, A,
        0xd9, modrm, 0xdd, 0x77, SAVE);
    byte[] unaryCode = SnippetMachine.bytes(0xdb, 0xe3, 0xd9, 0x2f, 0xdb, 0x6f, A,
        0xd9, modrm, 0xdd, 0x77, SAVE);
    byte[] used = binary ? code : unaryCode;
    long start = m.place(used);
    long end = start + used.length;
    m.cpu.gpr[Cpu.RDI] = SnippetMachine.DATA;
    ReferenceTally tally = new ReferenceTally("x87-" + name);
    int bitExact = 0;
    int inexact = 0;
    int c1Agrees = 0;
    byte[] save = new byte[108];
    for (CpuReference.Line l : CpuReference.intel().section("x87-" + name)) {
      int f = 1;
      m.memory.write16(SnippetMachine.DATA + CW, (int) l.hex(f++));
      writeF80(m, A, l.field(f++));
      if (binary) {
        writeF80(m, B, l.field(f++));
      }
      f++; // "->"
      String expected = String.join(" ", l.field(f), l.field(f + 1), l.field(f + 2),
          l.field(f + 3));
      m.run(start, end);
      m.memory.readBytes(SnippetMachine.DATA + SAVE, save, 0, save.length);
      String actual = describe(save);
      if (!transcendental) {
        tally.check(l, expected, actual);
        continue;
      }
      String why = X87Tolerance.compare(expected, actual);
      tally.check(l, why == null, why + ": expected " + expected + ", emulator " + actual);
      bitExact += expected.equals(actual) ? 1 : 0;
      int swExpected = Integer.parseInt(l.field(f + 2), 16);
      if ((swExpected & 0x20) != 0) {
        inexact++;
        c1Agrees += ((swExpected ^ Integer.parseInt(actual.split(" ")[2], 16)) & 0x200) == 0
            ? 1 : 0;
      }
    }
    if (transcendental) {
      System.out.printf("x87-%s: %d of %d lines bit for bit; C1 agrees on %d of %d inexact"
          + " results%n", name, bitExact, tally.lines(), c1Agrees, inexact);
    }
    tally.assertAllMatched();
  }

  private static void writeF80(SnippetMachine m, int offset, String hex20) {
    m.memory.write64(SnippetMachine.DATA + offset, Long.parseUnsignedLong(hex20.substring(4), 16));
    m.memory.write16(SnippetMachine.DATA + offset + 8, Integer.parseInt(hex20.substring(0, 4), 16));
  }

  /** "R0 R1 SW TW" from an FNSAVE image, as the recorder prints it. */
  static String describe(byte[] save) {
    int sw = u16(save, 4);
    int tw = u16(save, 8);
    int top = sw >> 11 & 7;
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 2; i++) {
      int phys = (top + i) & 7;
      if ((tw >> (2 * phys) & 3) == 3) {
        sb.append('-');
      } else {
        int o = 28 + 10 * i;
        long sig = 0;
        for (int k = 7; k >= 0; k--) {
          sig = sig << 8 | (save[o + k] & 0xff);
        }
        sb.append(String.format("%04x%016x", u16(save, o + 8), sig));
      }
      sb.append(' ');
    }
    return sb.append(String.format("%04x %04x", sw, tw)).toString();
  }

  private static int u16(byte[] b, int o) {
    return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8;
  }
}
