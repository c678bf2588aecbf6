package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.cpu.Flags;
import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.decode.Op;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Integer instructions compiled inline, with the semantics of {@code IntegerExec} and {@code
 * Alu}: operands are read (memory faults happen here) before anything is written, the
 * destination is written with x86's register-width rules, and the flags are recorded in the
 * lazy flag locals only when the liveness pass says someone may read them. Every instruction
 * here follows the same order, so a fault leaves the locals as they were before it.
 */
/**
 * Inline code for the multiplications and divisions of {@link IntegerEmitter}'s ops: MUL and IMUL
 * in all their forms, DIV and IDIV when no exception and no overflow can happen.
 */
final class MulDivEmitter implements Opcodes {
  private final Gen g;
  private final MethodVisitor mv;
  private final Operands operands;
  private final FlagEmitter flags;

  MulDivEmitter(Gen g, Operands operands, FlagEmitter flags) {
    this.g = g;
    this.mv = g.mv;
    this.operands = operands;
    this.flags = flags;
  }

  /**
   * MUL and one-operand IMUL of 32 and 64 bits: RDX:RAX = RAX * operand (MulDiv.mul and
   * imulWide), CF and OF when the high half is needed.
   */
  void multiplyWide(Insn insn, int size, int width, boolean flagsLive) {
    boolean signed = insn.op == Op.IMUL;
    int addr = insn.kind0 == Insn.K_MEM ? operands.addressTemp(insn) : -1;
    int b = operands.readTemp(insn, 0, size, addr);
    int a = g.longTemp();
    g.pushGpr(0, size);
    mv.visitVarInsn(LSTORE, a);
    if (signed) {
      g.signExtend(a, width);
      g.signExtend(b, width);
    }
    int low = g.longTemp();
    int high = g.longTemp();
    g.iconst(width);
    mv.visitVarInsn(LLOAD, a);
    mv.visitVarInsn(LLOAD, b);
    mv.visitMethodInsn(INVOKESTATIC, Gen.RUNTIME, signed ? "imulHigh" : "mulHigh", "(IJJ)J",
        false);
    mv.visitVarInsn(LSTORE, high);
    mv.visitVarInsn(LLOAD, a);
    mv.visitVarInsn(LLOAD, b);
    mv.visitInsn(LMUL);
    g.lconst(Flags.mask(width));
    mv.visitInsn(LAND);
    mv.visitVarInsn(LSTORE, low);
    if (flagsLive) {
      int aux = g.longTemp();
      g.iconst(width);
      mv.visitVarInsn(LLOAD, low);
      mv.visitVarInsn(LLOAD, high);
      g.iconst(signed ? 1 : 0);
      mv.visitMethodInsn(INVOKESTATIC, Gen.RUNTIME, "wideMultiplyFlags", "(IJJZ)J", false);
      mv.visitVarInsn(LSTORE, aux);
      flags.record(Flags.OP_RESULT, width, -1, -1, low, aux);
    }
    mv.visitVarInsn(LLOAD, low);
    g.storeGpr(0, size);
    mv.visitVarInsn(LLOAD, high);
    g.storeGpr(2, size);
  }

  /** IMUL with two or three operands (MulDiv.imul). */
  void multiply(Insn insn, int size, int width, boolean flagsLive) {
    int addr = insn.memOperand() >= 0 ? operands.addressTemp(insn) : -1;
    int x = operands.readTemp(insn, insn.nOperands == 3 ? 1 : 0, size, addr);
    int y = operands.readTemp(insn, insn.nOperands == 3 ? 2 : 1, size, addr);
    g.signExtend(x, width);
    g.signExtend(y, width);
    int low = g.longTemp();
    mv.visitVarInsn(LLOAD, x);
    mv.visitVarInsn(LLOAD, y);
    mv.visitInsn(LMUL);
    mv.visitVarInsn(LSTORE, low);
    int r = g.longTemp();
    mv.visitVarInsn(LLOAD, low);
    g.lconst(Flags.mask(width));
    mv.visitInsn(LAND);
    mv.visitVarInsn(LSTORE, r);
    if (flagsLive) {
      int aux = g.longTemp();
      g.iconst(width);
      mv.visitVarInsn(LLOAD, x);
      mv.visitVarInsn(LLOAD, y);
      mv.visitVarInsn(LLOAD, low);
      mv.visitMethodInsn(INVOKESTATIC, Gen.RUNTIME, "imulOverflow", "(IJJJ)J", false);
      mv.visitVarInsn(LSTORE, aux);
      flags.record(Flags.OP_RESULT, width, -1, -1, r, aux);
    }
    operands.writeRegister(insn, 0, size, r);
  }

  /**
   * DIV and IDIV of 32 and 64 bits when the dividend fits the divisor's width (RDX/EDX is the
   * zero or sign extension of RAX/EAX) and the quotient cannot overflow: one JVM division. Every
   * other case, division by zero included, goes to the executor.
   */
  void divide(Insn insn, int size, Runnable slowPath) {
    boolean signed = insn.op == Op.IDIV;
    int addr = insn.kind0 == Insn.K_MEM ? operands.addressTemp(insn) : -1;
    int s = operands.readTemp(insn, 0, size, addr);
    int a = g.longTemp();
    Label slow = new Label();
    Label done = new Label();
    if (size == 4) {
      signOrZeroExtend(s, 32, signed);
    }
    // the divisor: not zero, and for IDIV not -1 (which may overflow)
    mv.visitVarInsn(LLOAD, s);
    mv.visitInsn(LCONST_0);
    mv.visitInsn(LCMP);
    mv.visitJumpInsn(IFEQ, slow);
    if (signed) {
      mv.visitVarInsn(LLOAD, s);
      g.lconst(-1);
      mv.visitInsn(LCMP);
      mv.visitJumpInsn(IFEQ, slow);
    }
    // the dividend: RDX must be the extension of RAX
    g.loadGpr(0);
    mv.visitVarInsn(LSTORE, a);
    if (size == 4) {
      signOrZeroExtend(a, 32, signed);
    }
    g.loadGpr(2);
    if (size == 4) {
      g.lconst(0xffff_ffffL);
      mv.visitInsn(LAND);
    }
    if (signed) {
      mv.visitVarInsn(LLOAD, a);
      g.iconst(63);
      mv.visitInsn(LSHR);
      if (size == 4) {
        g.lconst(0xffff_ffffL);
        mv.visitInsn(LAND);
      }
    } else {
      mv.visitInsn(LCONST_0);
    }
    mv.visitInsn(LCMP);
    mv.visitJumpInsn(IFNE, slow);
    int q = g.longTemp();
    int rem = g.longTemp();
    mv.visitVarInsn(LLOAD, a);
    mv.visitVarInsn(LLOAD, s);
    if (signed || size == 4) {
      mv.visitInsn(LDIV); // 32-bit DIV: both are non-negative longs here
    } else {
      mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "divideUnsigned", "(JJ)J", false);
    }
    mv.visitVarInsn(LSTORE, q);
    mv.visitVarInsn(LLOAD, a);
    mv.visitVarInsn(LLOAD, s);
    if (signed || size == 4) {
      mv.visitInsn(LREM);
    } else {
      mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "remainderUnsigned", "(JJ)J", false);
    }
    mv.visitVarInsn(LSTORE, rem);
    mv.visitVarInsn(LLOAD, q);
    g.storeGpr(0, size);
    mv.visitVarInsn(LLOAD, rem);
    g.storeGpr(2, size);
    mv.visitJumpInsn(GOTO, done);
    mv.visitLabel(slow);
    slowPath.run();
    mv.visitLabel(done);
  }

  void signOrZeroExtend(int slot, int width, boolean signed) {
    if (signed) {
      g.signExtend(slot, width);
    } else {
      mv.visitVarInsn(LLOAD, slot);
      g.lconst(Flags.mask(width));
      mv.visitInsn(LAND);
      mv.visitVarInsn(LSTORE, slot);
    }
  }
}
