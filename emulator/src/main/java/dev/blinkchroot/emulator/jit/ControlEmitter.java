package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.decode.Insn;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Branches, calls, returns and the stack, with {@code ControlExec}'s semantics. A branch to an
 * instruction of the region is a JVM jump (through an interrupt and budget check when it goes
 * backwards); any other target leaves the region with RIP on it. Stack stores happen before RSP
 * changes, so a fault leaves RSP as it was.
 */
final class ControlEmitter implements Opcodes {
  /** Where a branch from one instruction to an address goes in the generated code. */
  interface Targets {
    Label jumpTo(int fromIndex, long address);
  }

  private final Gen g;
  private final MethodVisitor mv;
  private final Operands operands;
  private final FlagEmitter flags;
  private final Targets targets;

  ControlEmitter(Gen g, Operands operands, FlagEmitter flags, Targets targets) {
    this.g = g;
    this.mv = g.mv;
    this.operands = operands;
    this.flags = flags;
    this.targets = targets;
  }

  static boolean handles(Insn insn) {
    switch (insn.op) {
      case JCC:
        return insn.kind0 == Insn.K_REL;
      case JMP: case CALL:
        return insn.kind0 == Insn.K_REL || Operands.simple(insn, 0);
      case RET: case LEAVE:
        return true;
      case PUSH:
        return Operands.simple(insn, 0);
      case POP:
        return insn.kind0 == Insn.K_GPR;
      default:
        return false;
    }
  }

  /** Whether its inline code stores to memory (the stack). */
  static boolean stores(Insn insn) {
    return insn.op == dev.blinkchroot.emulator.decode.Op.PUSH
        || insn.op == dev.blinkchroot.emulator.decode.Op.CALL;
  }

  /** Whether it touches memory (and may fault): everything but direct jumps. */
  static boolean touchesMemory(Insn insn) {
    switch (insn.op) {
      case JCC:
        return false;
      case JMP:
        return insn.kind0 == Insn.K_MEM;
      default:
        return true;
    }
  }

  private static int stackSize(Insn insn) {
    return insn.effOpSize == 2 ? 2 : 8;
  }

  void emit(int index, Insn insn) {
    switch (insn.op) {
      case JCC -> {
        g.retire();
        g.flushRetired();
        flags.jumpIf(insn.cond, targets.jumpTo(index, insn.target));
      }
      case JMP -> {
        if (insn.kind0 == Insn.K_REL) {
          g.retire();
          g.flushRetired();
          mv.visitJumpInsn(GOTO, targets.jumpTo(index, insn.target));
        } else {
          int addr = insn.kind0 == Insn.K_MEM ? operands.addressTemp(insn) : -1;
          int t = operands.readTemp(insn, 0, 8, addr);
          g.retire();
          g.flushRetired();
          goTo(index, t, new long[] {g.region.speculatedTarget(index)});
        }
      }
      case CALL -> call(index, insn);
      case RET -> {
        int sp = g.longTemp();
        g.loadGpr(Cpu.RSP);
        mv.visitVarInsn(LSTORE, sp);
        int t = g.longTemp();
        operands.load(sp, 8);
        mv.visitVarInsn(LSTORE, t);
        mv.visitVarInsn(LLOAD, sp);
        g.lconst(8 + (insn.nOperands > 0 ? insn.imm & 0xffff : 0));
        mv.visitInsn(LADD);
        g.storeGpr64(Cpu.RSP);
        g.retire();
        g.flushRetired();
        goTo(index, t, g.region.returnSites);
      }
      case PUSH -> {
        int size = stackSize(insn);
        int addr = insn.kind0 == Insn.K_MEM ? operands.addressTemp(insn) : -1;
        int v = operands.readTemp(insn, 0, size, addr);
        push(size, v);
        g.retire();
      }
      case POP -> {
        int size = stackSize(insn);
        int sp = g.longTemp();
        g.loadGpr(Cpu.RSP);
        mv.visitVarInsn(LSTORE, sp);
        int v = g.longTemp();
        operands.load(sp, size);
        mv.visitVarInsn(LSTORE, v);
        mv.visitVarInsn(LLOAD, sp);
        g.lconst(size);
        mv.visitInsn(LADD);
        g.storeGpr64(Cpu.RSP);
        operands.writeRegister(insn, 0, size, v);
        g.retire();
      }
      case LEAVE -> {
        int size = stackSize(insn);
        int frame = g.longTemp();
        g.loadGpr(Cpu.RBP);
        mv.visitVarInsn(LSTORE, frame);
        int v = g.longTemp();
        operands.load(frame, size);
        mv.visitVarInsn(LSTORE, v);
        mv.visitVarInsn(LLOAD, frame);
        g.lconst(size);
        mv.visitInsn(LADD);
        g.storeGpr64(Cpu.RSP);
        mv.visitVarInsn(LLOAD, v);
        g.storeGpr(Cpu.RBP, size);
        g.retire();
      }
      default -> throw new IllegalStateException("not a control op the JIT handles: " + insn);
    }
  }

  /** CALL: the target is read first (it may be on the stack), then the return address pushed. */
  private void call(int index, Insn insn) {
    int t = -1;
    if (insn.kind0 != Insn.K_REL) {
      int addr = insn.kind0 == Insn.K_MEM ? operands.addressTemp(insn) : -1;
      t = operands.readTemp(insn, 0, 8, addr);
    }
    int ret = g.longTemp();
    g.lconst(insn.nextAddress());
    mv.visitVarInsn(LSTORE, ret);
    push(8, ret);
    g.retire();
    if (t < 0) {
      g.flushRetired();
      mv.visitJumpInsn(GOTO, targets.jumpTo(index, insn.target));
    } else {
      g.flushRetired();
      goTo(index, t, new long[] {g.region.speculatedTarget(index)});
    }
  }

  /**
   * Goes to the address in {@code slot}: to the region's code for it when it is one of {@code
   * candidates} (a speculated call or jump target, a return site), else out of the region.
   */
  private void goTo(int index, int slot, long[] candidates) {
    for (long candidate : candidates) {
      if (candidate >= 0 && g.region.index(candidate) >= 0) {
        mv.visitVarInsn(LLOAD, slot);
        g.lconst(candidate);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFEQ, targets.jumpTo(index, candidate));
      }
    }
    exitToSlot(slot);
  }

  /** Stores {@code size} bytes of the long in {@code valueSlot} below RSP, then moves RSP. */
  private void push(int size, int valueSlot) {
    int sp = g.longTemp();
    g.loadGpr(Cpu.RSP);
    g.lconst(size);
    mv.visitInsn(LSUB);
    mv.visitVarInsn(LSTORE, sp);
    operands.store(sp, size, valueSlot);
    mv.visitVarInsn(LLOAD, sp);
    g.storeGpr64(Cpu.RSP);
  }

  /** Leaves the region with RIP = the long in {@code slot}. */
  private void exitToSlot(int slot) {
    g.flushRetired();
    mv.visitVarInsn(LLOAD, slot);
    mv.visitVarInsn(LSTORE, Gen.S_NEXT);
    mv.visitJumpInsn(GOTO, g.exit);
  }
}
