package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.cpu.Flags;
import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.decode.Op;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * MOVS, STOS and LODS without a REP prefix (one element, as byte loops in memcpy and memset
 * use them), with {@code StringExec}'s semantics: the source is {@code seg:rSI} (FS/GS
 * overrides honoured), the destination {@code rDI}, both moving by the element size, backwards
 * when DF is set; a 67 prefix makes them 32-bit. The element is read and written before the
 * pointers move, so a fault leaves them as they were. REP forms call the executor, which moves
 * pages at a time.
 */
final class StringEmitter implements Opcodes {
  private final Gen g;
  private final MethodVisitor mv;
  private final Operands operands;

  StringEmitter(Gen g, Operands operands) {
    this.g = g;
    this.mv = g.mv;
    this.operands = operands;
  }

  static boolean handles(Insn insn) {
    switch (insn.op) {
      case MOVS: case STOS: case LODS:
        return (insn.prefixes & (Insn.P_REP | Insn.P_REPNE)) == 0;
      default:
        return false;
    }
  }

  void emit(Insn insn) {
    int size = insn.opSize;
    int step = g.longTemp();
    pushStep(size);
    mv.visitVarInsn(LSTORE, step);
    int src = -1;
    if (insn.op != Op.STOS) {
      src = g.longTemp();
      pushPointer(Cpu.RSI, insn.addrSize);
      if (insn.seg == Insn.SEG_FS || insn.seg == Insn.SEG_GS) {
        mv.visitVarInsn(ALOAD, Gen.S_CPU);
        mv.visitFieldInsn(GETFIELD, Gen.CPU, insn.seg == Insn.SEG_FS ? "fsBase" : "gsBase", "J");
        mv.visitInsn(LADD);
      }
      mv.visitVarInsn(LSTORE, src);
    }
    int dst = -1;
    if (insn.op != Op.LODS) {
      dst = g.longTemp();
      pushPointer(Cpu.RDI, insn.addrSize);
      mv.visitVarInsn(LSTORE, dst);
    }
    int value = g.longTemp();
    if (insn.op == Op.STOS) {
      g.pushGpr(Cpu.RAX, size);
    } else {
      operands.load(src, size);
    }
    mv.visitVarInsn(LSTORE, value);
    if (insn.op != Op.LODS) {
      operands.store(dst, size, value);
    } else {
      mv.visitVarInsn(LLOAD, value);
      g.storeGpr(Cpu.RAX, size);
    }
    if (insn.op != Op.STOS) {
      advance(Cpu.RSI, insn.addrSize, step);
    }
    if (insn.op != Op.LODS) {
      advance(Cpu.RDI, insn.addrSize, step);
    }
  }

  /** Pushes the element size, negated when DF is set (read from the materialised flags). */
  private void pushStep(int size) {
    Label up = new Label();
    Label done = new Label();
    g.flagsRead = true;
    mv.visitVarInsn(LLOAD, Gen.S_FMAT);
    g.lconst(Flags.DF);
    mv.visitInsn(LAND);
    mv.visitInsn(LCONST_0);
    mv.visitInsn(LCMP);
    mv.visitJumpInsn(IFEQ, up);
    g.lconst(-size);
    mv.visitJumpInsn(GOTO, done);
    mv.visitLabel(up);
    g.lconst(size);
    mv.visitLabel(done);
  }

  /** Pushes rSI or rDI at the address size. */
  private void pushPointer(int reg, int addrSize) {
    g.pushGpr(reg, addrSize);
  }

  /** rSI/rDI += step at the address size (a 32-bit pointer zero-extends, as cpu.write does). */
  private void advance(int reg, int addrSize, int step) {
    g.pushGpr(reg, addrSize);
    mv.visitVarInsn(LLOAD, step);
    mv.visitInsn(LADD);
    g.storeGpr(reg, addrSize);
  }
}
