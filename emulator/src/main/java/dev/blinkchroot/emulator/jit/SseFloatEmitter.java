package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.decode.Op;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Scalar double instructions compiled inline (ADDSD SUBSD MULSD DIVSD SQRTSD UCOMISD COMISD
 * CVTSI2SD CVTTSD2SI CVTSD2SI): the operands are read (a memory operand may fault), then
 * {@link JitSse} computes the result when its fast path applies; otherwise the executor runs the
 * instruction, so every exception flag, NaN rule and rounding mode stays the executor's.
 */
final class SseFloatEmitter implements Opcodes {
  private static final String JIT_SSE = "dev/blinkchroot/emulator/jit/JitSse";
  private final Gen g;
  private final MethodVisitor mv;
  private final Operands operands;
  private final FlagEmitter flags;

  SseFloatEmitter(Gen g, Operands operands, FlagEmitter flags) {
    this.g = g;
    this.mv = g.mv;
    this.operands = operands;
    this.flags = flags;
  }

  void emit(Insn insn, Runnable slowPath) {
    Label slow = new Label();
    switch (insn.op) {
      case ADDSD: case SUBSD: case MULSD: case DIVSD: {
        boolean checkB = !knownOrdinary(insn);
        boolean checkA = !g.xmmLowOrdinary[insn.reg0];
        int b = scalar(insn);
        int r = g.longTemp();
        pushMxcsr();
        g.iconst(insn.op == Op.ADDSD ? 0 : insn.op == Op.SUBSD ? 1 : insn.op == Op.MULSD ? 2 : 3);
        g.loadXmm(insn.reg0, false);
        mv.visitVarInsn(LLOAD, b);
        g.iconst(checkA ? 1 : 0);
        g.iconst(checkB ? 1 : 0);
        mv.visitMethodInsn(INVOKESTATIC, JIT_SSE, "binary", "(IIJJZZ)J", false);
        mv.visitVarInsn(LSTORE, r);
        jumpIfSlow(r, slow);
        mv.visitVarInsn(LLOAD, r);
        g.storeXmm(insn.reg0, false);
        g.xmmLowOrdinary[insn.reg0] = true;
        break;
      }
      case SQRTSD: {
        boolean checkA = !knownOrdinary(insn);
        int a = scalar(insn);
        int r = g.longTemp();
        pushMxcsr();
        mv.visitVarInsn(LLOAD, a);
        g.iconst(checkA ? 1 : 0);
        mv.visitMethodInsn(INVOKESTATIC, JIT_SSE, "sqrt", "(IJZ)J", false);
        mv.visitVarInsn(LSTORE, r);
        jumpIfSlow(r, slow);
        mv.visitVarInsn(LLOAD, r);
        g.storeXmm(insn.reg0, false);
        g.xmmLowOrdinary[insn.reg0] = true;
        break;
      }
      case UCOMISD: case COMISD: {
        int b = scalar(insn);
        int m = g.longTemp();
        pushMxcsr();
        g.loadXmm(insn.reg0, false);
        mv.visitVarInsn(LLOAD, b);
        g.flagsRead = true;
        mv.visitVarInsn(LLOAD, Gen.S_FMAT);
        mv.visitMethodInsn(INVOKESTATIC, JIT_SSE, "compare", "(IJJJ)J", false);
        mv.visitVarInsn(LSTORE, m);
        jumpIfSlow(m, slow);
        mv.visitVarInsn(LLOAD, m);
        flags.recordMaterialised();
        break;
      }
      case CVTSI2SD: {
        int addr = insn.kind1 == Insn.K_MEM ? operands.addressTemp(insn) : -1;
        int v = operands.readTemp(insn, 1, insn.size1, addr);
        int r = g.longTemp();
        mv.visitVarInsn(LLOAD, v);
        if (insn.size1 == 4) {
          mv.visitInsn(L2I);
          mv.visitInsn(I2L);
        }
        mv.visitMethodInsn(INVOKESTATIC, JIT_SSE, "fromInt", "(J)J", false);
        mv.visitVarInsn(LSTORE, r);
        jumpIfSlow(r, slow);
        mv.visitVarInsn(LLOAD, r);
        g.storeXmm(insn.reg0, false);
        break;
      }
      case CVTTSD2SI: case CVTSD2SI: {
        int a = scalar(insn);
        pushMxcsr();
        mv.visitVarInsn(LLOAD, a);
        g.iconst(insn.size0);
        mv.visitMethodInsn(INVOKESTATIC, JIT_SSE, "convertibleToInt", "(IJI)Z", false);
        mv.visitJumpInsn(IFEQ, slow);
        int r = g.longTemp();
        mv.visitVarInsn(LLOAD, a);
        g.iconst(insn.op == Op.CVTTSD2SI ? 1 : 0);
        mv.visitMethodInsn(INVOKESTATIC, JIT_SSE, "toInt", "(JZ)J", false);
        mv.visitVarInsn(LSTORE, r);
        operands.writeRegister(insn, 0, insn.size0, r);
        break;
      }
      default:
        throw new IllegalStateException("not an SSE op the JIT handles: " + insn);
    }
    Label done = new Label();
    mv.visitJumpInsn(GOTO, done);
    mv.visitLabel(slow);
    slowPath.run();
    mv.visitLabel(done);
  }

  /** Operand 1's low quadword (an XMM register or m64, no alignment) into a new temporary. */
  private int scalar(Insn insn) {
    int v = g.longTemp();
    if (insn.kind1 == Insn.K_XMM) {
      g.loadXmm(insn.reg1, false);
    } else {
      operands.load(operands.addressTemp(insn), 8);
    }
    mv.visitVarInsn(LSTORE, v);
    return v;
  }

  private void pushMxcsr() {
    mv.visitVarInsn(ILOAD, Gen.S_MXCSR);
  }

  /** Whether operand 1 is a register whose low quadword a fast path produced here. */
  private boolean knownOrdinary(Insn insn) {
    return insn.kind1 == Insn.K_XMM && g.xmmLowOrdinary[insn.reg1];
  }

  private void jumpIfSlow(int slot, Label slow) {
    mv.visitVarInsn(LLOAD, slot);
    g.lconst(JitSse.SLOW);
    mv.visitInsn(LCMP);
    mv.visitJumpInsn(IFEQ, slow);
  }
}
