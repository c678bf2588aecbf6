package dev.blinkchroot.emulator.jit;

import static dev.blinkchroot.emulator.decode.Op.*;

import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.decode.Op;
import java.util.EnumMap;
import java.util.Map;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * SSE instructions compiled inline on the XMM locals (each register a low and a high long), with
 * the executors' semantics: the integer lane operations call the same per-64-bit-half functions
 * {@code SseIntegerExec} calls ({@code SseIntLanes}, {@code SseIntPermute}); moves and logic are
 * plain long moves; scalar double arithmetic takes {@link JitSse}'s fast path when it applies.
 * Anything unusual (a misaligned operand that must raise #GP, a flag to raise, a NaN) goes to the
 * executor. Only legacy (non-VEX) forms on XMM registers are compiled; MMX forms are not.
 */
final class SseEmitter implements Opcodes {
  private static final String LANES = "dev/blinkchroot/emulator/sse/SseIntLanes";
  private static final String PERMUTE = "dev/blinkchroot/emulator/sse/SseIntPermute";
  private static final String JIT_SSE = "dev/blinkchroot/emulator/jit/JitSse";

  /** A lane operation on one 64-bit half: SseIntLanes method and lane width (0: no width). */
  private record Lane(String method, int bits) {}

  private static final Map<Op, Lane> LANE_OPS = new EnumMap<>(Op.class);

  private static void lane(String method, int bits, Op... ops) {
    for (Op op : ops) {
      LANE_OPS.put(op, new Lane(method, bits));
    }
  }

  static {
    lane("add", 8, PADDB);
    lane("add", 16, PADDW);
    lane("add", 32, PADDD);
    lane("add", 64, PADDQ);
    lane("sub", 8, PSUBB);
    lane("sub", 16, PSUBW);
    lane("sub", 32, PSUBD);
    lane("sub", 64, PSUBQ);
    lane("addSigned", 8, PADDSB);
    lane("addSigned", 16, PADDSW);
    lane("subSigned", 8, PSUBSB);
    lane("subSigned", 16, PSUBSW);
    lane("addUnsigned", 8, PADDUSB);
    lane("addUnsigned", 16, PADDUSW);
    lane("subUnsigned", 8, PSUBUSB);
    lane("subUnsigned", 16, PSUBUSW);
    lane("mulLow", 16, PMULLW);
    lane("mulLow", 32, PMULLD);
    lane("mulHighSigned16", 0, PMULHW);
    lane("mulHighUnsigned16", 0, PMULHUW);
    lane("mulUnsignedDq", 0, PMULUDQ);
    lane("maddWd", 0, PMADDWD);
    lane("sadBw", 0, PSADBW);
    lane("average", 8, PAVGB);
    lane("average", 16, PAVGW);
    lane("minUnsigned", 8, PMINUB);
    lane("minUnsigned", 16, PMINUW);
    lane("minUnsigned", 32, PMINUD);
    lane("minSigned", 8, PMINSB);
    lane("minSigned", 16, PMINSW);
    lane("minSigned", 32, PMINSD);
    lane("maxUnsigned", 8, PMAXUB);
    lane("maxUnsigned", 16, PMAXUW);
    lane("maxUnsigned", 32, PMAXUD);
    lane("maxSigned", 8, PMAXSB);
    lane("maxSigned", 16, PMAXSW);
    lane("maxSigned", 32, PMAXSD);
    lane("compareEqual", 8, PCMPEQB);
    lane("compareEqual", 16, PCMPEQW);
    lane("compareEqual", 32, PCMPEQD);
    lane("compareEqual", 64, PCMPEQQ);
    lane("compareGreater", 8, PCMPGTB);
    lane("compareGreater", 16, PCMPGTW);
    lane("compareGreater", 32, PCMPGTD);
    lane("compareGreater", 64, PCMPGTQ);
    lane("shiftLeft", 16, PSLLW);
    lane("shiftLeft", 32, PSLLD);
    lane("shiftLeft", 64, PSLLQ);
    lane("shiftRightLogical", 16, PSRLW);
    lane("shiftRightLogical", 32, PSRLD);
    lane("shiftRightLogical", 64, PSRLQ);
    lane("shiftRightArithmetic", 16, PSRAW);
    lane("shiftRightArithmetic", 32, PSRAD);
  }

  private final Gen g;
  private final MethodVisitor mv;
  private final Operands operands;
  private final FlagEmitter flags;

  SseEmitter(Gen g, Operands operands, FlagEmitter flags) {
    this.g = g;
    this.mv = g.mv;
    this.operands = operands;
    this.flags = flags;
  }

  static boolean handles(Insn insn) {
    if (insn.vexKind != Insn.VEX_NONE) {
      return false;
    }
    for (int i = 0; i < insn.nOperands; i++) {
      int k = insn.kind(i);
      if (k != Insn.K_XMM && k != Insn.K_MEM && k != Insn.K_IMM && k != Insn.K_GPR) {
        return false;
      }
    }
    if (LANE_OPS.containsKey(insn.op)) {
      return insn.kind0 == Insn.K_XMM;
    }
    switch (insn.op) {
      case MOVAPS: case MOVAPD: case MOVUPS: case MOVUPD: case MOVDQA: case MOVDQU: case LDDQU:
      case MOVQ: case MOVSD: case MOVSS:
        return insn.kind0 != Insn.K_GPR && insn.kind1 != Insn.K_GPR;
      case MOVD:
        return true;
      case PAND: case PANDN: case POR: case PXOR: case ANDPS: case ANDPD: case ANDNPS:
      case ANDNPD: case ORPS: case ORPD: case XORPS: case XORPD: case PUNPCKLBW: case PUNPCKLWD:
      case PUNPCKLDQ: case PUNPCKHBW: case PUNPCKHWD: case PUNPCKHDQ: case PUNPCKLQDQ:
      case PUNPCKHQDQ: case PACKSSWB: case PACKSSDW: case PACKUSWB: case PACKUSDW: case PSHUFD:
      case PSHUFLW: case PSHUFHW: case PSLLDQ: case PSRLDQ: case ADDSD: case SUBSD: case MULSD:
      case DIVSD: case SQRTSD: case UCOMISD: case COMISD: case CVTSI2SD:
        return insn.kind0 == Insn.K_XMM;
      case PMOVMSKB: case CVTTSD2SI: case CVTSD2SI:
        return insn.kind0 == Insn.K_GPR;
      default:
        return false;
    }
  }

  /** Whether the inline code may fault or call the executor. */
  static boolean mayFault(Insn insn) {
    switch (insn.op) {
      case ADDSD: case SUBSD: case MULSD: case DIVSD: case SQRTSD: case UCOMISD: case COMISD:
      case CVTSI2SD: case CVTTSD2SI: case CVTSD2SI:
        return true;
      default:
        return insn.memOperand() >= 0;
    }
  }

  static boolean stores(Insn insn) {
    return insn.kind0 == Insn.K_MEM;
  }

  /** UCOMISD and COMISD replace all six status flags. */
  static int kills(Insn insn) {
    return insn.op == UCOMISD || insn.op == COMISD ? Insn.F_STATUS : 0;
  }

  /** Whether the integer family's executor requires a 16-byte memory operand to be aligned. */
  private static boolean integerAlignment(Op op) {
    return op != MOVDQU && op != LDDQU;
  }

  void emit(Insn insn, Runnable slowPath) {
    Lane laneOp = LANE_OPS.get(insn.op);
    if (laneOp != null) {
      laneOperation(insn, laneOp, slowPath);
      return;
    }
    switch (insn.op) {
      case MOVAPS, MOVAPD, MOVUPS, MOVUPD -> {
        boolean aligned = insn.op == MOVAPS || insn.op == MOVAPD;
        vectorMove(insn, aligned, slowPath);
      }
      case MOVDQA, MOVDQU, LDDQU -> vectorMove(insn, integerAlignment(insn.op), slowPath);
      case MOVQ -> moveQuad(insn);
      case MOVD -> moveDouble(insn);
      case MOVSD, MOVSS -> moveScalar(insn, insn.op == MOVSD ? 8 : 4);
      case PAND, PANDN, POR, PXOR, ANDPS, ANDPD, ANDNPS, ANDNPD, ORPS, ORPD, XORPS, XORPD ->
          logic(insn, slowPath);
      case PUNPCKLBW, PUNPCKLWD, PUNPCKLDQ, PUNPCKHBW, PUNPCKHWD, PUNPCKHDQ, PUNPCKLQDQ,
          PUNPCKHQDQ, PACKSSWB, PACKSSDW, PACKUSWB, PACKUSDW, PSHUFD, PSHUFLW, PSHUFHW, PSLLDQ,
          PSRLDQ -> permute(insn, slowPath);
      case PMOVMSKB -> {
        int lo = g.longTemp();
        int hi = g.longTemp();
        copyXmm(insn.reg1, lo, hi);
        int v = g.longTemp();
        mv.visitVarInsn(LLOAD, lo);
        mv.visitMethodInsn(INVOKESTATIC, PERMUTE, "moveMaskBytes", "(J)I", false);
        mv.visitVarInsn(LLOAD, hi);
        mv.visitMethodInsn(INVOKESTATIC, PERMUTE, "moveMaskBytes", "(J)I", false);
        g.iconst(8);
        mv.visitInsn(ISHL);
        mv.visitInsn(IOR);
        mv.visitInsn(I2L);
        mv.visitVarInsn(LSTORE, v);
        operands.writeRegister(insn, 0, insn.size0, v);
      }
      default -> new SseFloatEmitter(g, operands, flags).emit(insn, slowPath);
    }
  }

  /** Copies XMM register {@code r} into two temporaries (a source must survive the write). */
  void copyXmm(int r, int lo, int hi) {
    g.loadXmm(r, false);
    mv.visitVarInsn(LSTORE, lo);
    g.loadXmm(r, true);
    mv.visitVarInsn(LSTORE, hi);
  }

  void setXmm(int r, int lo, int hi) {
    mv.visitVarInsn(LLOAD, lo);
    g.storeXmm(r, false);
    mv.visitVarInsn(LLOAD, hi);
    g.storeXmm(r, true);
  }

  /**
   * Operand {@code i} as 128 bits into two new temporaries: an XMM register, an immediate (a
   * shift count: the low half), or memory of {@code insn.size(i)} bytes (zero-extended), which
   * must be 16-byte aligned when {@code aligned} and 16 bytes long, or the slow path runs.
   */
  int[] source(Insn insn, int i, boolean aligned, Label slow) {
    int lo = g.longTemp();
    int hi = g.longTemp();
    switch (insn.kind(i)) {
      case Insn.K_XMM -> copyXmm(insn.reg(i), lo, hi);
      case Insn.K_IMM -> {
        g.lconst(insn.imm & 0xff);
        mv.visitVarInsn(LSTORE, lo);
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, hi);
      }
      default -> {
        int size = insn.size(i);
        int addr = operands.addressTemp(insn);
        if (size == 16 && aligned) {
          checkAligned(addr, slow);
        }
        if (size == 16) {
          operands.load128(addr, lo, hi);
        } else {
          operands.load(addr, size);
          mv.visitVarInsn(LSTORE, lo);
          mv.visitInsn(LCONST_0);
          mv.visitVarInsn(LSTORE, hi);
        }
      }
    }
    return new int[] {lo, hi};
  }

  /** Jumps to {@code slow} unless the address in {@code addr} is 16-byte aligned. */
  void checkAligned(int addr, Label slow) {
    mv.visitVarInsn(LLOAD, addr);
    g.lconst(15);
    mv.visitInsn(LAND);
    mv.visitInsn(LCONST_0);
    mv.visitInsn(LCMP);
    mv.visitJumpInsn(IFNE, slow);
  }

  /** Emits {@code slowPath} at {@code slow} and joins at a new label after it. */
  void slowPathAt(Label slow, Runnable slowPath) {
    Label done = new Label();
    mv.visitJumpInsn(GOTO, done);
    mv.visitLabel(slow);
    slowPath.run();
    mv.visitLabel(done);
  }

  /** MOVAPS MOVAPD MOVUPS MOVUPD MOVDQA MOVDQU LDDQU. */
  private void vectorMove(Insn insn, boolean aligned, Runnable slowPath) {
    Label slow = new Label();
    int[] s = source(insn, 1, aligned, slow);
    if (insn.kind0 == Insn.K_XMM) {
      boolean ordinary = insn.kind1 == Insn.K_XMM && g.xmmLowOrdinary[insn.reg1];
      setXmm(insn.reg0, s[0], s[1]);
      g.xmmLowOrdinary[insn.reg0] = ordinary;
    } else {
      int addr = operands.addressTemp(insn);
      if (aligned) {
        checkAligned(addr, slow);
      }
      // Within one page, neither store can fault; the interpreter does the crossing case.
      operands.store128(addr, s[0], s[1]);
    }
    slowPathAt(slow, slowPath);
  }

  /** MOVQ between XMM registers and memory: 64 bits, the upper half of a register zeroed. */
  private void moveQuad(Insn insn) {
    int v = g.longTemp();
    if (insn.kind1 == Insn.K_XMM) {
      g.loadXmm(insn.reg1, false);
    } else {
      operands.load(operands.addressTemp(insn), 8);
    }
    mv.visitVarInsn(LSTORE, v);
    if (insn.kind0 == Insn.K_XMM) {
      mv.visitVarInsn(LLOAD, v);
      g.storeXmm(insn.reg0, false);
      mv.visitInsn(LCONST_0);
      g.storeXmm(insn.reg0, true);
    } else {
      operands.store(operands.addressTemp(insn), 8, v);
    }
  }

  /** MOVD/MOVQ with a general register or m32: zero-extending into the XMM register. */
  private void moveDouble(Insn insn) {
    if (insn.kind0 == Insn.K_XMM) {
      int addr = insn.kind1 == Insn.K_MEM ? operands.addressTemp(insn) : -1;
      int v = operands.readTemp(insn, 1, insn.size1, addr);
      mv.visitVarInsn(LLOAD, v);
      g.storeXmm(insn.reg0, false);
      mv.visitInsn(LCONST_0);
      g.storeXmm(insn.reg0, true);
      return;
    }
    int addr = insn.kind0 == Insn.K_MEM ? operands.addressTemp(insn) : -1;
    int v = g.longTemp();
    g.loadXmm(insn.reg1, false);
    mv.visitVarInsn(LSTORE, v);
    if (insn.kind0 == Insn.K_MEM) {
      operands.store(addr, insn.size0, v);
    } else {
      operands.writeRegister(insn, 0, insn.size0, v);
    }
  }

  /** MOVSD/MOVSS: register to register keeps the upper bits, a load zeroes them. */
  private void moveScalar(Insn insn, int size) {
    long mask = size == 4 ? 0xffff_ffffL : -1L;
    if (insn.kind0 == Insn.K_MEM) {
      int addr = operands.addressTemp(insn);
      int v = g.longTemp();
      g.loadXmm(insn.reg1, false);
      mv.visitVarInsn(LSTORE, v);
      operands.store(addr, size, v);
    } else if (insn.kind1 == Insn.K_MEM) {
      int addr = operands.addressTemp(insn);
      operands.load(addr, size);
      g.storeXmm(insn.reg0, false);
      mv.visitInsn(LCONST_0);
      g.storeXmm(insn.reg0, true);
    } else {
      boolean ordinary = size == 8 && g.xmmLowOrdinary[insn.reg1];
      g.loadXmm(insn.reg0, false);
      g.lconst(~mask);
      mv.visitInsn(LAND);
      g.loadXmm(insn.reg1, false);
      g.lconst(mask);
      mv.visitInsn(LAND);
      mv.visitInsn(LOR);
      g.storeXmm(insn.reg0, false);
      g.xmmLowOrdinary[insn.reg0] = ordinary;
    }
  }

  /** The bitwise operations: both executors require an aligned memory operand. */
  private void logic(Insn insn, Runnable slowPath) {
    Label slow = new Label();
    int[] s = source(insn, 1, true, slow);
    for (int half = 0; half < 2; half++) {
      boolean high = half == 1;
      switch (insn.op) {
        case PANDN, ANDNPS, ANDNPD -> {
          g.loadXmm(insn.reg0, high);
          g.lconst(-1);
          mv.visitInsn(LXOR);
          mv.visitVarInsn(LLOAD, s[half]);
          mv.visitInsn(LAND);
        }
        default -> {
          g.loadXmm(insn.reg0, high);
          mv.visitVarInsn(LLOAD, s[half]);
          mv.visitInsn(switch (insn.op) {
            case PAND, ANDPS, ANDPD -> LAND;
            case POR, ORPS, ORPD -> LOR;
            default -> LXOR;
          });
        }
      }
      g.storeXmm(insn.reg0, high);
    }
    slowPathAt(slow, slowPath);
  }

  /**
   * A lane operation, each half of the destination with the same half of the source; a shift
   * takes its count from the source's low half for both.
   */
  private void laneOperation(Insn insn, Lane op, Runnable slowPath) {
    if (insn.kind1 == Insn.K_IMM && op.method.startsWith("shift")
        && (op.bits != 16 || !op.method.equals("shiftRightArithmetic"))) {
      immediateShift(insn, op);
      return;
    }
    Label slow = new Label();
    int[] s = source(insn, 1, true, slow);
    boolean shift = op.method.startsWith("shift");
    int[] r = {g.longTemp(), g.longTemp()};
    for (int half = 0; half < 2; half++) {
      if (op.bits > 0) {
        g.iconst(op.bits);
      }
      g.loadXmm(insn.reg0, half == 1);
      mv.visitVarInsn(LLOAD, shift ? s[0] : s[half]);
      mv.visitMethodInsn(INVOKESTATIC, LANES, op.method, op.bits > 0 ? "(IJJ)J" : "(JJ)J",
          false);
      mv.visitVarInsn(LSTORE, r[half]);
    }
    setXmm(insn.reg0, r[0], r[1]);
    slowPathAt(slow, slowPath);
  }

  /**
   * A lane shift by an immediate, with the lane masks computed here (SseIntLanes' semantics: a
   * count of the lane width or more clears a logical shift's lanes and fills an arithmetic
   * shift's with the sign).
   */
  private void immediateShift(Insn insn, Lane op) {
    int bits = op.bits;
    long count = insn.imm & 0xff;
    boolean left = op.method.equals("shiftLeft");
    boolean arithmetic = op.method.equals("shiftRightArithmetic");
    long laneMask = bits == 64 ? -1L : (1L << bits) - 1;
    for (int half = 0; half < 2; half++) {
      boolean high = half == 1;
      if (!arithmetic && count >= bits) {
        mv.visitInsn(LCONST_0);
      } else if (arithmetic) { // 32-bit lanes: each lane shifted as an int
        int c = (int) Math.min(count, bits - 1);
        g.loadXmm(insn.reg0, high);
        mv.visitInsn(L2I);
        g.iconst(c);
        mv.visitInsn(ISHR);
        mv.visitInsn(I2L);
        g.lconst(0xffff_ffffL);
        mv.visitInsn(LAND);
        g.loadXmm(insn.reg0, high);
        g.iconst(32 + c);
        mv.visitInsn(LSHR);
        g.iconst(32);
        mv.visitInsn(LSHL);
        mv.visitInsn(LOR);
      } else {
        int c = (int) count;
        long keep = 0;
        for (int lane = 0; lane < 64 / bits; lane++) {
          keep |= (left ? laneMask << c & laneMask : laneMask >>> c) << (lane * bits);
        }
        g.loadXmm(insn.reg0, high);
        g.iconst(c);
        mv.visitInsn(left ? LSHL : LUSHR);
        if (bits < 64) {
          g.lconst(keep);
          mv.visitInsn(LAND);
        }
      }
      g.storeXmm(insn.reg0, high);
    }
  }

  /** Unpacks, packs, shuffles and byte shifts (SseIntegerExec.xmmOp's permutes). */
  private void permute(Insn insn, Runnable slowPath) {
    Label slow = new Label();
    int[] d = {g.longTemp(), g.longTemp()};
    copyXmm(insn.reg0, d[0], d[1]);
    int[] s = insn.nOperands > 1 && insn.kind1 != Insn.K_IMM ? source(insn, 1, true, slow)
        : d;
    int imm = (int) insn.imm & 0xff;
    int[] r = {g.longTemp(), g.longTemp()};
    for (int half = 0; half < 2; half++) {
      switch (insn.op) {
        case PUNPCKLBW, PUNPCKLWD, PUNPCKLDQ, PUNPCKHBW, PUNPCKHWD, PUNPCKHDQ -> {
          boolean highInputs = insn.op.name().startsWith("PUNPCKH");
          int bits = insn.op.name().endsWith("BW") ? 8 : insn.op.name().endsWith("WD") ? 16 : 32;
          g.iconst(bits);
          mv.visitVarInsn(LLOAD, d[highInputs ? 1 : 0]);
          mv.visitVarInsn(LLOAD, s[highInputs ? 1 : 0]);
          mv.visitMethodInsn(INVOKESTATIC, PERMUTE, half == 0 ? "interleaveLow"
              : "interleaveHigh", "(IJJ)J", false);
        }
        case PUNPCKLQDQ -> mv.visitVarInsn(LLOAD, half == 0 ? d[0] : s[0]);
        case PUNPCKHQDQ -> mv.visitVarInsn(LLOAD, half == 0 ? d[1] : s[1]);
        case PACKSSWB, PACKSSDW, PACKUSWB, PACKUSDW -> {
          int bits = insn.op == PACKSSWB || insn.op == PACKUSWB ? 16 : 32;
          boolean unsigned = insn.op == PACKUSWB || insn.op == PACKUSDW;
          int[] from = half == 0 ? d : s;
          narrow(bits, unsigned, from[0]);
          narrow(bits, unsigned, from[1]);
          g.iconst(32);
          mv.visitInsn(LSHL);
          mv.visitInsn(LOR);
        }
        case PSHUFD -> {
          mv.visitVarInsn(LLOAD, s[0]);
          mv.visitVarInsn(LLOAD, s[1]);
          g.iconst(imm);
          g.iconst(half);
          mv.visitMethodInsn(INVOKESTATIC, JIT_SSE, "shuffleDwords", "(JJII)J", false);
        }
        case PSHUFLW, PSHUFHW -> {
          boolean shuffled = (insn.op == PSHUFLW) == (half == 0);
          mv.visitVarInsn(LLOAD, s[half]);
          if (shuffled) {
            g.iconst(imm);
            mv.visitMethodInsn(INVOKESTATIC, PERMUTE, "shuffleWords", "(JI)J", false);
          }
        }
        default -> { // PSLLDQ, PSRLDQ by the immediate
          mv.visitVarInsn(LLOAD, d[0]);
          mv.visitVarInsn(LLOAD, d[1]);
          g.lconst(imm);
          g.iconst(insn.op == PSLLDQ ? 1 : 0);
          g.iconst(half);
          mv.visitMethodInsn(INVOKESTATIC, JIT_SSE, "shiftBytes", "(JJJZI)J", false);
        }
      }
      mv.visitVarInsn(LSTORE, r[half]);
    }
    setXmm(insn.reg0, r[0], r[1]);
    slowPathAt(slow, slowPath);
  }

  /** Pushes SseIntPermute.narrow(bits, unsigned, chunk) (the low 32 bits of a pack). */
  private void narrow(int bits, boolean unsigned, int chunkSlot) {
    g.iconst(bits);
    g.iconst(unsigned ? 1 : 0);
    mv.visitVarInsn(LLOAD, chunkSlot);
    mv.visitMethodInsn(INVOKESTATIC, PERMUTE, "narrow", "(IZJ)J", false);
  }
}
