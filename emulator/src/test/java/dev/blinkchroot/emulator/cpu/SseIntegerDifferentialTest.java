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
 * The MMX and SSE2..SSE4.1 integer instructions against the host CPU: every form, register and
 * memory operands (through RDI, 16-byte aligned, so {@code [rdi+k]} is deliberately misaligned
 * and must give #GP where the SDM requires alignment), from seeded random states whose vector
 * and MMX registers are biased towards lane boundaries (0, ±1, MIN, MAX of bytes, words,
 * doublewords) and small shift counts. MMX forms also compare the x87 image (TOP, tags, the
 * exponent bits MMX writes set). Nothing is left undefined: these instructions define every
 * result bit and flag they touch. The string compares are in {@link PcmpstrDifferentialTest}.
 */
class SseIntegerDifferentialTest {
  private static final Differential DIFF = Differential.of(new InterpreterCpu());

  private static final List<String> FORMS = new ArrayList<>();

  private static void forms(String... asm) {
    FORMS.addAll(List.of(asm));
  }

  /** Register-register and register-memory forms of a two-operand MMX or SSE instruction. */
  private static void binary(boolean mmx, boolean sse, String... mnemonics) {
    for (String m : mnemonics) {
      if (mmx) {
        // MMX PUNPCKL* read only 32 bits of memory (SDM: mm/m32)
        String width = m.startsWith("punpckl") ? "dword" : "qword";
        forms(m + " mm1, mm2", m + " mm7, " + width + " ptr [rdi]", m + " mm0, mm0");
      }
      if (sse) {
        forms(m + " xmm1, xmm2", m + " xmm9, xmm14", m + " xmm3, xmmword ptr [rdi]",
            m + " xmm4, xmm4");
      }
    }
  }

  static {
    // ---- MMX and SSE2 forms sharing one opcode
    binary(true, true, "paddb", "paddw", "paddd", "paddq", "paddsb", "paddsw", "paddusb",
        "paddusw", "psubb", "psubw", "psubd", "psubq", "psubsb", "psubsw", "psubusb", "psubusw",
        "pmullw", "pmulhw", "pmulhuw", "pmuludq", "pmaddwd", "psadbw", "pavgb", "pavgw",
        "pminub", "pmaxub", "pminsw", "pmaxsw", "pand", "pandn", "por", "pxor", "pcmpeqb",
        "pcmpeqw", "pcmpeqd", "pcmpgtb", "pcmpgtw", "pcmpgtd", "packsswb", "packssdw",
        "packuswb", "punpcklbw", "punpcklwd", "punpckldq", "punpckhbw", "punpckhwd",
        "punpckhdq", "psllw", "pslld", "psllq", "psrlw", "psrld", "psrlq", "psraw", "psrad");
    // ---- SSSE3: MMX and SSE forms
    binary(true, true, "pshufb", "phaddw", "phaddd", "phaddsw", "phsubw", "phsubd", "phsubsw",
        "pmaddubsw", "pmulhrsw", "psignb", "psignw", "psignd", "pabsb", "pabsw", "pabsd");
    // ---- SSE2/SSE4.1/SSE4.2 only
    binary(false, true, "punpcklqdq", "punpckhqdq", "pmuldq", "pmulld", "pminsb", "pminsd",
        "pminuw", "pminud", "pmaxsb", "pmaxsd", "pmaxuw", "pmaxud", "pcmpeqq", "pcmpgtq",
        "packusdw", "phminposuw", "ptest");
    // ---- shifts by immediate, including counts at and beyond the lane width
    for (String sh : new String[] {"psllw", "pslld", "psllq", "psrlw", "psrld", "psrlq", "psraw",
        "psrad"}) {
      for (int count : new int[] {0, 1, 7, 15, 16, 31, 32, 63, 64, 255}) {
        forms(sh + " mm3, " + count, sh + " xmm5, " + count);
      }
    }
    for (int count : new int[] {0, 1, 7, 8, 15, 16, 17, 255}) {
      forms("pslldq xmm6, " + count, "psrldq xmm11, " + count);
    }
    // ---- immediates
    for (int imm : new int[] {0x00, 0x1b, 0x4e, 0x93, 0xe4, 0xff, 0x27}) {
      forms("pshufw mm1, mm2, " + imm, "pshufw mm1, qword ptr [rdi], " + imm,
          "pshufd xmm1, xmm2, " + imm, "pshufd xmm1, xmmword ptr [rdi], " + imm,
          "pshufhw xmm1, xmm2, " + imm, "pshuflw xmm10, xmm2, " + imm,
          "pshufhw xmm1, xmmword ptr [rdi], " + imm);
    }
    for (int imm : new int[] {0, 1, 3, 7, 8, 9, 15, 16, 17, 24, 31, 32, 200}) {
      forms("palignr mm1, mm2, " + imm, "palignr xmm1, xmm2, " + imm);
    }
    forms("palignr mm1, qword ptr [rdi], 5", "palignr xmm1, xmmword ptr [rdi], 21");
    for (int imm : new int[] {0x00, 0xa5, 0xff, 0x3c, 0x81}) {
      forms("pblendw xmm1, xmm2, " + imm, "pblendw xmm1, xmmword ptr [rdi], " + imm);
    }
    for (int imm = 0; imm < 8; imm++) {
      forms("mpsadbw xmm1, xmm2, " + imm);
    }
    forms("mpsadbw xmm1, xmmword ptr [rdi], 5", "mpsadbw xmm3, xmm3, 6",
        "pblendvb xmm1, xmm2, xmm0", "pblendvb xmm9, xmmword ptr [rdi], xmm0",
        "pblendvb xmm0, xmm1, xmm0");
    // ---- sign and zero extension (memory operands narrower than 16 bytes: no alignment)
    for (String x : new String[] {"pmovsx", "pmovzx"}) {
      String[][] kinds = {{"bw", "qword"}, {"bd", "dword"}, {"bq", "word"}, {"wd", "qword"},
          {"wq", "dword"}, {"dq", "qword"}};
      for (String[] k : kinds) {
        forms(x + k[0] + " xmm1, xmm2", x + k[0] + " xmm12, " + k[1] + " ptr [rdi+1]");
      }
    }
    // ---- moves between general registers, memory and mm/xmm
    forms("movd mm1, eax", "movq mm1, rax", "movd eax, mm1", "movq rax, mm1",
        "movd mm1, dword ptr [rdi+3]", "movd dword ptr [rdi+1], mm1",
        "movq mm1, qword ptr [rdi+5]", "movq qword ptr [rdi+2], mm1", "movq mm1, mm2",
        "movd xmm1, eax", "movq xmm1, rax", "movd eax, xmm1", "movq rax, xmm1",
        "movd r9d, xmm10", "movq r12, xmm15", "movd xmm13, r14d",
        "movd xmm1, dword ptr [rdi+1]", "movd dword ptr [rdi+7], xmm1",
        "movq xmm1, qword ptr [rdi+3]", "movq qword ptr [rdi+9], xmm1", "movq xmm1, xmm2",
        "movq xmm8, xmm8", "movq2dq xmm1, mm2", "movdq2q mm1, xmm2", "movdqa xmm1, xmm2",
        "movdqa xmm1, xmmword ptr [rdi]", "movdqa xmmword ptr [rdi+16], xmm1",
        "movdqu xmm1, xmmword ptr [rdi+1]", "movdqu xmmword ptr [rdi+3], xmm9",
        "movdqu xmm1, xmm2", "movntdq xmmword ptr [rdi], xmm1",
        "movntdqa xmm1, xmmword ptr [rdi]", "lddqu xmm1, xmmword ptr [rdi+5]",
        "movntq qword ptr [rdi+3], mm1", "maskmovq mm1, mm2", "maskmovdqu xmm1, xmm2",
        "addr32 maskmovdqu xmm9, xmm3", "pmovmskb eax, mm1", "pmovmskb eax, xmm1",
        "pmovmskb r10d, xmm11", "emms", "paddb mm1, mm2; emms", "movq rax, mm3; emms");
    for (int imm : new int[] {0, 1, 2, 3, 5, 7, 13, 255}) {
      forms("pextrw eax, mm1, " + imm, "pextrw eax, xmm1, " + imm, "pinsrw mm1, eax, " + imm,
          "pinsrw xmm1, eax, " + imm, "pextrb eax, xmm1, " + imm, "pinsrb xmm1, eax, " + imm,
          "pextrd eax, xmm1, " + imm, "pinsrd xmm1, eax, " + imm, "pextrq rax, xmm1, " + imm,
          "pinsrq xmm1, rax, " + imm);
    }
    forms("pextrw word ptr [rdi+1], xmm1, 6", "pextrb byte ptr [rdi], xmm1, 9",
        "pextrd dword ptr [rdi+2], xmm1, 3", "pextrq qword ptr [rdi+3], xmm1, 1",
        "pinsrw mm1, word ptr [rdi+1], 2", "pinsrw xmm1, word ptr [rdi+1], 6",
        "pinsrb xmm1, byte ptr [rdi+1], 15", "pinsrd xmm1, dword ptr [rdi+3], 1",
        "pinsrq xmm1, qword ptr [rdi+5], 0", "pextrb r11d, xmm12, 4", "pinsrb xmm14, r13d, 11");
    // ---- misaligned 16-byte operands: #GP where the SDM requires alignment
    forms("movdqa xmm1, xmmword ptr [rdi+1]", "movdqa xmmword ptr [rdi+8], xmm1",
        "movntdq xmmword ptr [rdi+4], xmm1", "movntdqa xmm1, xmmword ptr [rdi+2]",
        "paddb xmm1, xmmword ptr [rdi+4]", "pshufb xmm1, xmmword ptr [rdi+2]",
        "pshufd xmm1, xmmword ptr [rdi+1], 0x1b", "psllw xmm1, xmmword ptr [rdi+8]",
        "ptest xmm1, xmmword ptr [rdi+1]", "phminposuw xmm1, xmmword ptr [rdi+3]",
        "pblendvb xmm1, xmmword ptr [rdi+6], xmm0", "palignr xmm1, xmmword ptr [rdi+1], 3",
        "mpsadbw xmm1, xmmword ptr [rdi+12], 1", "pcmpeqq xmm1, xmmword ptr [rdi+1]",
        "punpcklqdq xmm1, xmmword ptr [rdi+8]", "pmulld xmm1, xmmword ptr [rdi+4]",
        "paddb mm1, qword ptr [rdi+1]");
  }

  // ---- states ---------------------------------------------------------------------------------

  private static final long[] LANE_EDGES = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
      0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL, 0xfe, 0x81, 0x7ffe, 0x8001};

  /** A 64-bit chunk whose lanes (of one random width) are lane boundary values. */
  static long edgyChunk(Random rnd) {
    int bits = 8 << rnd.nextInt(4);
    long r = 0;
    for (int i = 0; i < 64 / bits; i++) {
      long v = rnd.nextInt(3) == 0 ? rnd.nextLong() : LANE_EDGES[rnd.nextInt(LANE_EDGES.length)];
      if (rnd.nextBoolean() && bits < 64) {
        v = -v; // negative boundaries of the lane width: 0x81 -> 0xff7f in a word lane
      }
      long mask = bits == 64 ? -1L : (1L << bits) - 1;
      r |= (v & mask) << (i * bits);
    }
    return r;
  }

  /** A value for a chunk: a lane-boundary pattern, a small shift count or kept random. */
  static long chunk(Random rnd, long original) {
    switch (rnd.nextInt(5)) {
      case 0: case 1: return edgyChunk(rnd);
      case 2: return rnd.nextInt(72); // shift counts around the lane widths
      default: return original;
    }
  }

  /** Biases the vector and MMX registers of {@code states} towards integer lane edges. */
  static List<MachineState> shape(List<MachineState> states, long seed) {
    Random rnd = new Random(seed);
    for (MachineState s : states) {
      for (int i = 0; i < 16; i++) {
        s.setXmm(i, chunk(rnd, s.xmmLo(i)), rnd.nextInt(4) == 0 ? s.xmmHi(i) : edgyChunk(rnd));
      }
      for (int i = 0; i < 8; i++) {
        s.setSt(i, s.stSignExp(i), chunk(rnd, s.stMantissa(i)));
      }
      for (int off = 0; off < 2048 + 64; off += 8) {
        if (rnd.nextBoolean()) {
          s.writeLong(MachineState.DATA_BASE + off, chunk(rnd, 0));
        }
      }
    }
    return states;
  }

  private static RandomStates states(String asm) {
    RandomStates s = RandomStates.forForm(asm);
    if (asm.contains("[") || asm.contains("maskmov")) {
      s = s.pointers(16, 2048, Reg.RDI);
    }
    return s;
  }

  static void check(Differential diff, String asm, Undefined undefined, RandomStates states) {
    List<Case> cases = Case.each(asm, shape(states.batch(), states.seed()));
    diff.check(cases, undefined, states.describe());
  }

  @TestFactory
  Stream<DynamicTest> sseIntegerForms_matchTheHostCpu() {
    Assembler.assembleAll(FORMS); // one assembler run for the whole table
    return FORMS.stream().map(asm -> DynamicTest.dynamicTest(asm,
        () -> check(DIFF, asm, Undefined.NONE, states(asm))));
  }
}
