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
final class IntegerEmitter implements Opcodes {
  private static final String ALU = "dev/blinkchroot/emulator/cpu/Alu";
  private final Gen g;
  private final MethodVisitor mv;
  private final Operands operands;
  private final FlagEmitter flags;
  private final MulDivEmitter mulDiv;

  IntegerEmitter(Gen g, Operands operands, FlagEmitter flags) {
    this.g = g;
    this.mv = g.mv;
    this.operands = operands;
    this.flags = flags;
    this.mulDiv = new MulDivEmitter(g, operands, flags);
  }

  /** Whether {@link #emit} compiles {@code insn} (possibly with an executor slow path). */
  static boolean handles(Insn insn) {
    if ((insn.prefixes & Insn.P_LOCK) != 0) {
      return false;
    }
    for (int i = 0; i < insn.nOperands; i++) {
      if (!Operands.simple(insn, i)) {
        return false;
      }
    }
    switch (insn.op) {
      case MOV: case MOVZX: case MOVSX: case MOVSXD: case LEA: case ADD: case ADC: case SUB:
      case SBB: case AND: case OR: case XOR: case CMP: case TEST: case INC: case DEC: case NEG:
      case NOT: case SETCC: case CMOVCC: case CBW: case CWDE: case CDQE: case CWD: case CDQ:
      case CQO: case NOP: case ENDBR64: case PAUSE: case PREFETCH: case BSWAP:
        return true;
      case XCHG:
        return insn.kind0 != Insn.K_MEM && insn.kind1 != Insn.K_MEM; // memory XCHG is locked
      case SHL: case SHR: case SAR:
        return insn.kind1 == Insn.K_IMM || insn.kind1 == Insn.K_GPR; // by an immediate or CL
      case ROL: case ROR:
        return insn.kind1 == Insn.K_IMM;
      case IMUL:
        return insn.nOperands >= 2 || insn.opSize >= 4;
      case MUL: case DIV: case IDIV:
        return insn.opSize >= 4;
      case BSF: case BSR:
        return true;
      case BT:
        return insn.kind0 != Insn.K_MEM;
      default:
        return false;
    }
  }

  /** Whether the instruction has an executor slow path (and so may do anything it does). */
  static boolean hasSlowPath(Insn insn) {
    return insn.op == Op.DIV || insn.op == Op.IDIV;
  }

  /** Whether its inline code stores to memory. */
  static boolean stores(Insn insn) {
    if (insn.kind0 != Insn.K_MEM) {
      return false;
    }
    switch (insn.op) {
      case CMP: case TEST: case CMOVCC: case IMUL: case DIV: case IDIV:
        return false;
      default:
        return true;
    }
  }

  /** The status flags the inline code overwrites (its new lazy state replaces theirs). */
  static int kills(Insn insn) {
    switch (insn.op) {
      case ADD: case ADC: case SUB: case SBB: case AND: case OR: case XOR: case CMP: case TEST:
      case NEG: case IMUL:
        return Insn.F_STATUS;
      case INC: case DEC:
        return Insn.F_STATUS & ~Insn.F_CF;
      case SHL: case SHR: case SAR:
        if (insn.kind1 != Insn.K_IMM) {
          return 0; // a count of 0 in CL leaves the flags: nothing is surely overwritten
        }
        return shiftCount(insn) == 0 ? 0 : Insn.F_STATUS;
      case ROL: case ROR:
        return shiftCount(insn) == 0 ? 0 : Insn.F_CF | Insn.F_OF;
      case MUL: case BSF: case BSR:
        return Insn.F_STATUS;
      case BT:
        return Insn.F_CF;
      default:
        return 0;
    }
  }

  private static int shiftCount(Insn insn) {
    return (int) (insn.imm & (insn.opSize == 8 ? 0x3f : 0x1f));
  }

  /**
   * Emits {@code insn}; {@code flagsLive} says whether any flag it writes is live after it;
   * {@code slowPath} emits the executor call for the uncommon cases.
   */
  void emit(Insn insn, boolean flagsLive, Runnable slowPath) {
    int size = insn.opSize;
    int width = size * 8;
    switch (insn.op) {
      case NOP: case ENDBR64: case PAUSE: case PREFETCH:
        return;
      case MOV: {
        int addr = insn.memOperand() >= 0 ? operands.addressTemp(insn) : -1;
        int v = operands.readTemp(insn, 1, size, addr);
        writeOperand0(insn, size, addr, v);
        return;
      }
      case MOVZX: case MOVSX: case MOVSXD: {
        int addr = insn.memOperand() >= 0 ? operands.addressTemp(insn) : -1;
        int v = operands.readTemp(insn, 1, insn.size1, addr);
        if (insn.op != Op.MOVZX) {
          g.signExtend(v, insn.size1 * 8);
        }
        writeOperand0(insn, size, addr, v);
        return;
      }
      case LEA: {
        int v = g.longTemp();
        operands.pushAddress(insn, false);
        mv.visitVarInsn(LSTORE, v);
        operands.writeRegister(insn, 0, size, v);
        return;
      }
      case XCHG: {
        int a = operands.readTemp(insn, 0, size, -1);
        int b = operands.readTemp(insn, 1, size, -1);
        operands.writeRegister(insn, 0, size, b);
        operands.writeRegister(insn, 1, size, a);
        return;
      }
      case ADD: case ADC: case SUB: case SBB: case AND: case OR: case XOR: case CMP: case TEST:
        binary(insn, size, width, flagsLive);
        return;
      case INC: case DEC: case NEG: case NOT:
        unary(insn, size, width, flagsLive);
        return;
      case SHL: case SHR: case SAR: case ROL: case ROR:
        if (insn.kind1 == Insn.K_IMM) {
          shift(insn, size, width, flagsLive);
        } else {
          shiftByCl(insn, size, width, flagsLive);
        }
        return;
      case IMUL:
        if (insn.nOperands == 1) {
          mulDiv.multiplyWide(insn, size, width, flagsLive);
        } else {
          mulDiv.multiply(insn, size, width, flagsLive);
        }
        return;
      case MUL:
        mulDiv.multiplyWide(insn, size, width, flagsLive);
        return;
      case BSF: case BSR:
        bitScan(insn, size, width, flagsLive);
        return;
      case BT:
        bitTest(insn, size, width, flagsLive);
        return;
      case DIV: case IDIV:
        mulDiv.divide(insn, size, slowPath);
        return;
      case SETCC: {
        int addr = insn.kind0 == Insn.K_MEM ? operands.addressTemp(insn) : -1;
        int v = g.longTemp();
        flags.pushCondition(insn.cond);
        mv.visitInsn(I2L);
        mv.visitVarInsn(LSTORE, v);
        writeOperand0(insn, 1, addr, v);
        return;
      }
      case CMOVCC:
        conditionalMove(insn, size);
        return;
      case BSWAP: {
        int v = operands.readTemp(insn, 0, size, -1);
        mv.visitVarInsn(LLOAD, v);
        if (size == 8) {
          mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "reverseBytes", "(J)J", false);
          mv.visitVarInsn(LSTORE, v);
        } else { // a 16-bit BSWAP is undefined; the interpreter's Bits.bswap decides it
          mv.visitInsn(POP2);
          g.iconst(width);
          mv.visitVarInsn(LLOAD, v);
          mv.visitMethodInsn(INVOKESTATIC, "dev/blinkchroot/emulator/cpu/Bits", "bswap", "(IJ)J",
              false);
          mv.visitVarInsn(LSTORE, v);
        }
        operands.writeRegister(insn, 0, size, v);
        return;
      }
      default:
        accumulator(insn);
    }
  }

  /** CBW CWDE CDQE CWD CDQ CQO. */
  private void accumulator(Insn insn) {
    switch (insn.op) {
      case CBW -> {
        pushSignExtended(0, 8);
        g.storeGpr(0, 2);
      }
      case CWDE -> {
        pushSignExtended(0, 16);
        g.storeGpr(0, 4);
      }
      case CDQE -> {
        pushSignExtended(0, 32);
        g.storeGpr(0, 8);
      }
      case CWD -> {
        pushSignExtended(0, 16);
        g.iconst(16);
        mv.visitInsn(LSHR);
        g.storeGpr(2, 2);
      }
      case CDQ -> {
        pushSignExtended(0, 32);
        g.iconst(32);
        mv.visitInsn(LSHR);
        g.storeGpr(2, 4);
      }
      case CQO -> {
        g.loadGpr(0);
        g.iconst(63);
        mv.visitInsn(LSHR);
        g.storeGpr(2, 8);
      }
      default -> throw new IllegalStateException("not an integer op the JIT handles: " + insn);
    }
  }

  private void pushSignExtended(int reg, int fromWidth) {
    g.loadGpr(reg);
    g.iconst(64 - fromWidth);
    mv.visitInsn(LSHL);
    g.iconst(64 - fromWidth);
    mv.visitInsn(LSHR);
  }

  /** Writes operand 0 (a register, or memory through {@code addr}). */
  private void writeOperand0(Insn insn, int size, int addr, int valueSlot) {
    if (insn.kind0 == Insn.K_MEM) {
      operands.store(addr, size, valueSlot);
    } else {
      operands.writeRegister(insn, 0, size, valueSlot);
    }
  }

  private void binary(Insn insn, int size, int width, boolean flagsLive) {
    int addr = insn.memOperand() >= 0 ? operands.addressTemp(insn) : -1;
    int d = operands.readTemp(insn, 0, size, addr);
    int s = operands.readTemp(insn, 1, size, addr);
    int carry = -1;
    if (insn.op == Op.ADC || insn.op == Op.SBB) {
      carry = g.longTemp();
      flags.pushFlag(Flags.CF);
      mv.visitVarInsn(LSTORE, carry);
    }
    int r = g.longTemp();
    mv.visitVarInsn(LLOAD, d);
    mv.visitVarInsn(LLOAD, s);
    switch (insn.op) {
      case ADD -> mv.visitInsn(LADD);
      case ADC -> {
        mv.visitInsn(LADD);
        mv.visitVarInsn(LLOAD, carry);
        mv.visitInsn(LADD);
      }
      case SUB, CMP -> mv.visitInsn(LSUB);
      case SBB -> {
        mv.visitInsn(LSUB);
        mv.visitVarInsn(LLOAD, carry);
        mv.visitInsn(LSUB);
      }
      case AND, TEST -> mv.visitInsn(LAND);
      case OR -> mv.visitInsn(LOR);
      default -> mv.visitInsn(LXOR);
    }
    mv.visitVarInsn(LSTORE, r);
    boolean writes = insn.op != Op.CMP && insn.op != Op.TEST;
    if (writes && insn.kind0 == Insn.K_MEM) {
      operands.store(addr, size, r);
    }
    if (flagsLive) {
      switch (insn.op) {
        case ADD -> flags.record(Flags.OP_ADD, width, d, s, r, -1);
        case ADC -> flags.record(Flags.OP_ADC, width, d, s, r, carry);
        case SUB, CMP -> flags.record(Flags.OP_SUB, width, d, s, r, -1);
        case SBB -> flags.record(Flags.OP_SBB, width, d, s, r, carry);
        default -> flags.record(Flags.OP_LOGIC, width, -1, -1, r, -1);
      }
    }
    if (writes && insn.kind0 != Insn.K_MEM) {
      operands.writeRegister(insn, 0, size, r);
    }
  }

  private void unary(Insn insn, int size, int width, boolean flagsLive) {
    int addr = insn.kind0 == Insn.K_MEM ? operands.addressTemp(insn) : -1;
    int d = operands.readTemp(insn, 0, size, addr);
    int carry = -1;
    if (flagsLive && (insn.op == Op.INC || insn.op == Op.DEC)) {
      carry = g.longTemp();
      flags.pushFlag(Flags.CF);
      mv.visitVarInsn(LSTORE, carry);
    }
    int r = g.longTemp();
    switch (insn.op) {
      case INC, DEC -> {
        mv.visitVarInsn(LLOAD, d);
        mv.visitInsn(LCONST_1);
        mv.visitInsn(insn.op == Op.INC ? LADD : LSUB);
      }
      case NEG -> {
        mv.visitVarInsn(LLOAD, d);
        mv.visitInsn(LNEG);
      }
      default -> {
        mv.visitVarInsn(LLOAD, d);
        g.lconst(-1);
        mv.visitInsn(LXOR);
      }
    }
    mv.visitVarInsn(LSTORE, r);
    if (insn.kind0 == Insn.K_MEM) {
      operands.store(addr, size, r);
    }
    if (flagsLive) {
      switch (insn.op) {
        case INC, DEC -> {
          int one = g.longTemp();
          mv.visitInsn(LCONST_1);
          mv.visitVarInsn(LSTORE, one);
          flags.record(insn.op == Op.INC ? Flags.OP_INC : Flags.OP_DEC, width, d, one, r, carry);
        }
        case NEG -> flags.record(Flags.OP_NEG, width, -1, d, r, -1);
        default -> { } // NOT changes no flags
      }
    }
    if (insn.kind0 != Insn.K_MEM) {
      operands.writeRegister(insn, 0, size, r);
    }
  }

  /** SHL SHR SAR ROL ROR by an immediate count (Alu's semantics). */
  private void shift(Insn insn, int size, int width, boolean flagsLive) {
    int addr = insn.kind0 == Insn.K_MEM ? operands.addressTemp(insn) : -1;
    int d = operands.readTemp(insn, 0, size, addr);
    int n = shiftCount(insn);
    if (n == 0) { // no flags change; the destination is still written (a 32-bit one zero-extends)
      writeOperand0(insn, size, addr, d);
      return;
    }
    long mask = Flags.mask(width);
    int r = g.longTemp();
    int aux = -1;
    switch (insn.op) {
      case SHL -> {
        mv.visitVarInsn(LLOAD, d);
        g.iconst(n);
        mv.visitInsn(LSHL);
        g.lconst(mask);
        mv.visitInsn(LAND);
        mv.visitVarInsn(LSTORE, r);
        if (flagsLive) {
          aux = g.longTemp();
          g.iconst(width);
          mv.visitVarInsn(LLOAD, d);
          g.iconst(n);
          mv.visitVarInsn(LLOAD, r);
          mv.visitMethodInsn(INVOKESTATIC, ALU, "shlCarryOverflow", "(IJIJ)J", false);
          mv.visitVarInsn(LSTORE, aux);
        }
      }
      case SHR -> {
        mv.visitVarInsn(LLOAD, d);
        g.iconst(n);
        mv.visitInsn(LUSHR);
        mv.visitVarInsn(LSTORE, r);
        if (flagsLive) {
          aux = g.longTemp();
          g.iconst(width);
          mv.visitVarInsn(LLOAD, d);
          g.iconst(n);
          mv.visitMethodInsn(INVOKESTATIC, ALU, "shrCarryOverflow", "(IJI)J", false);
          mv.visitVarInsn(LSTORE, aux);
        }
      }
      case SAR -> {
        g.signExtend(d, width);
        mv.visitVarInsn(LLOAD, d);
        g.iconst(n);
        mv.visitInsn(LSHR);
        g.lconst(mask);
        mv.visitInsn(LAND);
        mv.visitVarInsn(LSTORE, r);
        if (flagsLive) {
          aux = g.longTemp();
          mv.visitVarInsn(LLOAD, d);
          g.iconst(n);
          mv.visitMethodInsn(INVOKESTATIC, ALU, "sarCarry", "(JI)J", false);
          mv.visitVarInsn(LSTORE, aux);
        }
      }
      default -> { // ROL, ROR
        int k = n % width;
        if (k == 0) {
          mv.visitVarInsn(LLOAD, d);
        } else {
          boolean left = insn.op == Op.ROL;
          mv.visitVarInsn(LLOAD, d);
          g.iconst(left ? k : width - k);
          mv.visitInsn(LSHL);
          mv.visitVarInsn(LLOAD, d);
          g.iconst(left ? width - k : k);
          mv.visitInsn(LUSHR);
          mv.visitInsn(LOR);
          g.lconst(mask);
          mv.visitInsn(LAND);
        }
        mv.visitVarInsn(LSTORE, r);
      }
    }
    if (insn.kind0 == Insn.K_MEM) {
      operands.store(addr, size, r);
    }
    if (flagsLive) {
      if (insn.op == Op.ROL || insn.op == Op.ROR) {
        // Only CF and OF change: the others are materialised from the current state.
        flags.pushRflags();
        g.lconst(~(Flags.CF | Flags.OF));
        mv.visitInsn(LAND);
        g.iconst(width);
        mv.visitVarInsn(LLOAD, r);
        mv.visitMethodInsn(INVOKESTATIC, ALU,
            insn.op == Op.ROL ? "rolCarryOverflow" : "rorCarryOverflow", "(IJ)J", false);
        mv.visitInsn(LOR);
        g.lconst(Flags.RESERVED_ONE);
        mv.visitInsn(LOR);
        flags.recordMaterialised();
      } else {
        flags.record(Flags.OP_RESULT, width, -1, -1, r, aux);
      }
    }
    if (insn.kind0 != Insn.K_MEM) {
      operands.writeRegister(insn, 0, size, r);
    }
  }

  /**
   * SHL/SHR/SAR by CL (Alu's semantics): a masked count of 0 changes no flags and still writes
   * the destination back (a 32-bit register zero-extends).
   */
  private void shiftByCl(Insn insn, int size, int width, boolean flagsLive) {
    int addr = insn.kind0 == Insn.K_MEM ? operands.addressTemp(insn) : -1;
    int d = operands.readTemp(insn, 0, size, addr);
    int n = g.intTemp();
    g.loadGpr(1);
    mv.visitInsn(L2I);
    g.iconst(width == 64 ? 0x3f : 0x1f);
    mv.visitInsn(IAND);
    mv.visitVarInsn(ISTORE, n);
    Label shifted = new Label();
    Label done = new Label();
    mv.visitVarInsn(ILOAD, n);
    mv.visitJumpInsn(IFNE, shifted);
    writeOperand0(insn, size, addr, d);
    mv.visitJumpInsn(GOTO, done);
    mv.visitLabel(shifted);
    long mask = Flags.mask(width);
    int r = g.longTemp();
    int aux = g.longTemp();
    if (insn.op == Op.SAR) {
      g.signExtend(d, width);
    }
    mv.visitVarInsn(LLOAD, d);
    mv.visitVarInsn(ILOAD, n);
    mv.visitInsn(insn.op == Op.SHL ? LSHL : insn.op == Op.SHR ? LUSHR : LSHR);
    if (insn.op != Op.SHR) {
      g.lconst(mask);
      mv.visitInsn(LAND);
    }
    mv.visitVarInsn(LSTORE, r);
    if (flagsLive) {
      switch (insn.op) {
        case SHL -> {
          g.iconst(width);
          mv.visitVarInsn(LLOAD, d);
          mv.visitVarInsn(ILOAD, n);
          mv.visitVarInsn(LLOAD, r);
          mv.visitMethodInsn(INVOKESTATIC, ALU, "shlCarryOverflow", "(IJIJ)J", false);
        }
        case SHR -> {
          g.iconst(width);
          mv.visitVarInsn(LLOAD, d);
          mv.visitVarInsn(ILOAD, n);
          mv.visitMethodInsn(INVOKESTATIC, ALU, "shrCarryOverflow", "(IJI)J", false);
        }
        default -> {
          mv.visitVarInsn(LLOAD, d);
          mv.visitVarInsn(ILOAD, n);
          mv.visitMethodInsn(INVOKESTATIC, ALU, "sarCarry", "(JI)J", false);
        }
      }
      mv.visitVarInsn(LSTORE, aux);
    }
    if (insn.kind0 == Insn.K_MEM) {
      operands.store(addr, size, r);
    }
    if (flagsLive) {
      flags.record(Flags.OP_RESULT, width, -1, -1, r, aux);
    }
    if (insn.kind0 != Insn.K_MEM) {
      operands.writeRegister(insn, 0, size, r);
    }
    mv.visitLabel(done);
    flags.forget(); // one path changed the flags, the other did not
  }

  /**
   * BSF/BSR (Bits.bsf/bsr): with a zero source ZF is set and the destination keeps its value
   * (not even zero-extended); the flags are OP_RESULT of 0 or 1.
   */
  private void bitScan(Insn insn, int size, int width, boolean flagsLive) {
    int addr = insn.kind1 == Insn.K_MEM ? operands.addressTemp(insn) : -1;
    int src = operands.readTemp(insn, 1, size, addr);
    Label zero = new Label();
    mv.visitVarInsn(LLOAD, src);
    mv.visitInsn(LCONST_0);
    mv.visitInsn(LCMP);
    mv.visitJumpInsn(IFEQ, zero);
    int index = g.longTemp();
    if (insn.op == Op.BSF) {
      mv.visitVarInsn(LLOAD, src);
      mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "numberOfTrailingZeros", "(J)I", false);
    } else {
      g.iconst(63);
      mv.visitVarInsn(LLOAD, src);
      mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "numberOfLeadingZeros", "(J)I", false);
      mv.visitInsn(ISUB);
    }
    mv.visitInsn(I2L);
    mv.visitVarInsn(LSTORE, index);
    operands.writeRegister(insn, 0, size, index);
    mv.visitLabel(zero);
    if (flagsLive) {
      int r = g.longTemp();
      int noAux = g.longTemp();
      mv.visitVarInsn(LLOAD, src); // (s | -s) >>> 63: 0 for a zero source, else 1
      mv.visitInsn(DUP2);
      mv.visitInsn(LNEG);
      mv.visitInsn(LOR);
      g.iconst(63);
      mv.visitInsn(LUSHR);
      mv.visitVarInsn(LSTORE, r);
      mv.visitInsn(LCONST_0);
      mv.visitVarInsn(LSTORE, noAux);
      flags.record(Flags.OP_RESULT, width, -1, -1, r, noAux);
    }
  }

  /** BT on a register: CF = the bit, the other flags as they were (materialised). */
  private void bitTest(Insn insn, int size, int width, boolean flagsLive) {
    int value = operands.readTemp(insn, 0, size, -1);
    int offset = operands.readTemp(insn, 1, insn.kind1 == Insn.K_IMM ? 1 : size, -1);
    if (!flagsLive) {
      return;
    }
    flags.pushRflags();
    g.lconst(~Flags.CF);
    mv.visitInsn(LAND);
    mv.visitVarInsn(LLOAD, value);
    mv.visitVarInsn(LLOAD, offset);
    mv.visitInsn(L2I);
    g.iconst(width - 1);
    mv.visitInsn(IAND);
    mv.visitInsn(LUSHR);
    mv.visitInsn(LCONST_1);
    mv.visitInsn(LAND);
    mv.visitInsn(LOR);
    g.lconst(Flags.RESERVED_ONE);
    mv.visitInsn(LOR);
    flags.recordMaterialised();
  }

  /**
   * CMOVcc: the source is read (and may fault) whatever the condition; a 32-bit destination is
   * zero-extended even when nothing moves.
   */
  private void conditionalMove(Insn insn, int size) {
    int addr = insn.kind1 == Insn.K_MEM ? operands.addressTemp(insn) : -1;
    int s = operands.readTemp(insn, 1, size, addr);
    Label skip = new Label();
    Label done = new Label();
    flags.jumpIf(insn.cond ^ 1, skip);
    operands.writeRegister(insn, 0, size, s);
    mv.visitJumpInsn(GOTO, done);
    mv.visitLabel(skip);
    if (size == 4) {
      int old = operands.readTemp(insn, 0, 4, -1);
      operands.writeRegister(insn, 0, 4, old);
    }
    mv.visitLabel(done);
  }
}
