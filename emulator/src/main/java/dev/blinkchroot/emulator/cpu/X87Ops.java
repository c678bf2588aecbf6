package dev.blinkchroot.emulator.cpu;

import static dev.blinkchroot.emulator.cpu.X87Exec.blocked;
import static dev.blinkchroot.emulator.cpu.X87Exec.clearC1;

import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.decode.Op;
import dev.blinkchroot.emulator.memory.MemoryFault;
import dev.blinkchroot.emulator.x87.F80;
import dev.blinkchroot.emulator.x87.X87Arith;
import dev.blinkchroot.emulator.x87.X87Compare;
import dev.blinkchroot.emulator.x87.X87Convert;
import dev.blinkchroot.emulator.x87.X87State;
import dev.blinkchroot.emulator.x87.X87Transcendental;

/**
 * The x87 data, arithmetic, comparison and stack instructions, after {@link X87Exec} has done
 * the #MF check and recorded FIP/FOP/FDP. Each method notes the status word, fetches operands,
 * calls the library, and commits the result only when no unmasked IE/DE/ZE was raised
 * ({@link X87Exec#blocked}).
 *
 * <p>Stack faults: an empty source register is a stack underflow (IE, SF, C1 = 0) and the
 * masked response is the indefinite, whatever the other operand (the operation is not
 * computed); a push onto a full stack is an overflow (C1 = 1) that pushes the indefinite.
 *
 * <p>Operand order follows the decoder (Intel order, destination first): D8 register forms
 * are {@code st(0), st(i)}, DC and DE ones {@code st(i), st(0)}, and FSUB/FSUBR/FDIV/FDIVR
 * compute {@code dest op src} / {@code src op dest} whatever the form, so the DC/DE "reversal"
 * lives only in the decoder's table (checked against the host in X87DifferentialExecTest).
 */
final class X87Ops {
  private X87Ops() {}

  private static final int ADD = 0, SUB = 1, SUBR = 2, MUL = 3, DIV = 4, DIVR = 5;
  /** {@link #raisesDenormal} for a comparison. */
  private static final int COMPARE = -1;

  /** Executes {@code insn}; {@code ea} is its memory operand's effective address. */
  static boolean execute(Cpu cpu, Insn insn, long ea) {
    X87State x = cpu.x87;
    switch (insn.op) {
      // ---- loads and stores
      case FLD: fld(cpu, insn, ea); return true;
      case FST: fst(cpu, insn, ea, false); return true;
      case FSTP: fst(cpu, insn, ea, true); return true;
      case FILD:
        clearC1(x);
        x.push(X87Exec.loadInt(cpu, ea, insn.size0));
        return true;
      case FIST: fist(cpu, insn, ea, false, false); return true;
      case FISTP: fist(cpu, insn, ea, true, false); return true;
      case FISTTP: fist(cpu, insn, ea, true, true); return true;
      case FBLD: {
        clearC1(x);
        byte[] b = new byte[10];
        cpu.memory.readBytes(ea, b, 0, 10);
        x.push(X87Convert.fromBcd(b, 0));
        return true;
      }
      case FBSTP: {
        int saved = x.statusWord();
        F80 a = x.readOrUnderflow(0);
        byte[] b = new byte[10];
        X87Convert.toBcd(x, a, b, 0);
        if (!blocked(x, saved)) {
          writeOrRestore(cpu, ea, b, saved);
          x.pop();
        }
        return true;
      }
      case FXCH: fxch(x, insn.reg0); return true;
      case FCMOV: fcmov(cpu, insn); return true;
      // ---- arithmetic
      case FADD: case FIADD: arith(cpu, insn, ea, ADD, false); return true;
      case FADDP: arith(cpu, insn, ea, ADD, true); return true;
      case FSUB: case FISUB: arith(cpu, insn, ea, SUB, false); return true;
      case FSUBP: arith(cpu, insn, ea, SUB, true); return true;
      case FSUBR: case FISUBR: arith(cpu, insn, ea, SUBR, false); return true;
      case FSUBRP: arith(cpu, insn, ea, SUBR, true); return true;
      case FMUL: case FIMUL: arith(cpu, insn, ea, MUL, false); return true;
      case FMULP: arith(cpu, insn, ea, MUL, true); return true;
      case FDIV: case FIDIV: arith(cpu, insn, ea, DIV, false); return true;
      case FDIVP: arith(cpu, insn, ea, DIV, true); return true;
      case FDIVR: case FIDIVR: arith(cpu, insn, ea, DIVR, false); return true;
      case FDIVRP: arith(cpu, insn, ea, DIVR, true); return true;
      // ---- comparisons
      case FCOM: case FICOM: compare(cpu, insn, ea, false, 0); return true;
      case FCOMP: case FICOMP: compare(cpu, insn, ea, false, 1); return true;
      case FCOMPP: compare(cpu, insn, ea, false, 2); return true;
      case FUCOM: compare(cpu, insn, ea, true, 0); return true;
      case FUCOMP: compare(cpu, insn, ea, true, 1); return true;
      case FUCOMPP: compare(cpu, insn, ea, true, 2); return true;
      case FCOMI: fcomi(cpu, insn, false, false); return true;
      case FCOMIP: fcomi(cpu, insn, false, true); return true;
      case FUCOMI: fcomi(cpu, insn, true, false); return true;
      case FUCOMIP: fcomi(cpu, insn, true, true); return true;
      case FTST: {
        int saved = x.statusWord();
        X87Compare.ftst(x, x.readOrUnderflow(0));
        comparisonBlocked(x, saved);
        return true;
      }
      case FXAM:
        X87Compare.fxam(x, x.st(0), x.isEmpty(0));
        return true;
      // ---- sign, constants
      case FCHS: case FABS: {
        int saved = x.statusWord();
        clearC1(x);
        boolean empty = x.isEmpty(0);
        F80 a = x.readOrUnderflow(0);
        if (!blocked(x, saved)) {
          x.setSt(0, empty ? a : insn.op == Op.FCHS ? a.negate() : a.abs());
        }
        return true;
      }
      case FLD1: case FLDL2T: case FLDL2E: case FLDPI: case FLDLG2: case FLDLN2: case FLDZ:
        clearC1(x);
        x.push(X87Constants.of(insn.op, x.roundingControl()));
        return true;
      // ---- ST(0) functions
      case FSQRT: case FRNDINT: case F2XM1: case FSIN: case FCOS:
        unary(x, insn);
        return true;
      case FPREM: case FPREM1: case FSCALE: {
        int saved = x.statusWord();
        clearC1(x);
        F80 r;
        if (underflow(x, 0, 1)) {
          r = F80.INDEFINITE;
        } else if (insn.op == Op.FSCALE) {
          r = X87Arith.fscale(x, x.st(0), x.st(1));
        } else {
          r = X87Arith.fprem(x, x.st(0), x.st(1), insn.op == Op.FPREM1);
        }
        if (!blocked(x, saved)) {
          x.setSt(0, r);
        }
        return true;
      }
      case FYL2X: case FYL2XP1: case FPATAN: {
        int saved = x.statusWord();
        clearC1(x);
        F80 r;
        if (underflow(x, 0, 1)) {
          r = F80.INDEFINITE;
        } else if (insn.op == Op.FYL2X) {
          r = X87Transcendental.fyl2x(x, x.st(1), x.st(0));
        } else if (insn.op == Op.FYL2XP1) {
          r = X87Transcendental.fyl2xp1(x, x.st(1), x.st(0));
        } else {
          r = X87Transcendental.fpatan(x, x.st(1), x.st(0));
        }
        if (!blocked(x, saved)) {
          x.setSt(1, r);
          x.pop();
        }
        return true;
      }
      case FPTAN: case FSINCOS: case FXTRACT:
        replaceAndPush(x, insn);
        return true;
      // ---- stack management
      case FDECSTP:
        clearC1(x);
        x.setTop(x.top() - 1);
        return true;
      case FINCSTP:
        clearC1(x);
        x.setTop(x.top() + 1);
        return true;
      case FNOP:
        return true;
      case FFREE:
        x.free(insn.reg0);
        return true;
      case FFREEP:
        x.free(insn.reg0);
        x.pop();
        return true;
      default:
        return false;
    }
  }

  // ---- loads and stores ----------------------------------------------------------------------

  private static void fld(Cpu cpu, Insn insn, long ea) {
    X87State x = cpu.x87;
    int saved = x.statusWord();
    clearC1(x);
    F80 v;
    if (insn.kind0 == Insn.K_ST) {
      v = x.readOrUnderflow(insn.reg0);
    } else if (insn.size0 == 10) {
      byte[] b = new byte[10];
      cpu.memory.readBytes(ea, b, 0, 10);
      v = F80.fromBytes(b, 0); // bit for bit, no exceptions (SDM FLD)
    } else {
      // On a full stack the overflow is all the host reports (no DE for a denormal source).
      X87State convert = x.isEmpty(7) ? x : new X87State();
      v = insn.size0 == 4 ? X87Convert.fromFloat32(convert, cpu.memory.read32(ea))
          : X87Convert.fromFloat64(convert, cpu.memory.read64(ea));
      if (blocked(x, saved, X87State.IE)) {
        return;
      }
      x.push(v);
      return;
    }
    if (!blocked(x, saved)) {
      x.push(v);
    }
  }

  private static void fst(Cpu cpu, Insn insn, long ea, boolean pop) {
    X87State x = cpu.x87;
    int saved = x.statusWord();
    clearC1(x);
    F80 a = x.readOrUnderflow(0);
    if (insn.kind0 == Insn.K_ST) {
      if (blocked(x, saved)) {
        return;
      }
      x.setSt(insn.reg0, a); // register copies are raw: no rounding, SNaNs stay SNaNs
    } else {
      byte[] b = new byte[insn.size0];
      switch (insn.size0) {
        case 4:
          put(b, X87Convert.toFloat32(x, a), 4);
          break;
        case 8:
          put(b, X87Convert.toFloat64(x, a), 8);
          break;
        default:
          a.toBytes(b, 0);
      }
      if (blocked(x, saved, X87State.IE | X87State.DE | X87State.OE | X87State.UE)) {
        return;
      }
      writeOrRestore(cpu, ea, b, saved);
    }
    if (pop) {
      x.pop();
    }
  }

  private static void fist(Cpu cpu, Insn insn, long ea, boolean pop, boolean truncate) {
    X87State x = cpu.x87;
    int saved = x.statusWord();
    F80 a = x.readOrUnderflow(0);
    long v = X87Convert.toInt(x, a, insn.size0 * 8, truncate);
    if (blocked(x, saved)) {
      return;
    }
    byte[] b = new byte[insn.size0];
    put(b, v, insn.size0);
    writeOrRestore(cpu, ea, b, saved);
    if (pop) {
      x.pop();
    }
  }

  /** Little-endian bytes of {@code v}. */
  private static void put(byte[] b, long v, int size) {
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (v >>> 8 * i);
    }
  }

  /**
   * Stores an instruction's result; a faulting store leaves the x87 status as it was before the
   * instruction, so the restarted instruction sees the same state.
   */
  private static void writeOrRestore(Cpu cpu, long ea, byte[] b, int savedStatus) {
    try {
      cpu.memory.writeBytes(ea, b, 0, b.length);
    } catch (MemoryFault fault) {
      cpu.x87.setStatusWord(savedStatus);
      throw fault;
    }
  }

  // ---- register moves ------------------------------------------------------------------------

  /** FXCH: empty registers become the indefinite (masked underflow), then swap; C1 = 0. */
  private static void fxch(X87State x, int i) {
    int saved = x.statusWord();
    clearC1(x);
    F80 a = x.readOrUnderflow(0);
    F80 b = x.readOrUnderflow(i);
    if (blocked(x, saved)) {
      return;
    }
    x.setSt(0, b);
    x.setSt(i, a);
  }

  /**
   * FCMOVcc: ST(0) = ST(i) when the EFLAGS condition holds. Both registers are checked for
   * underflow whatever the condition; the masked response writes the indefinite to ST(0).
   */
  private static void fcmov(Cpu cpu, Insn insn) {
    X87State x = cpu.x87;
    int saved = x.statusWord();
    clearC1(x);
    int i = insn.reg1;
    if (underflow(x, 0, i)) {
      if (!blocked(x, saved)) {
        x.setSt(0, F80.INDEFINITE);
      }
      return;
    }
    if (cpu.flags.condition(insn.cond)) {
      x.setSt(0, x.st(i));
    }
  }

  // ---- arithmetic ----------------------------------------------------------------------------

  private static void arith(Cpu cpu, Insn insn, long ea, int kind, boolean pop) {
    X87State x = cpu.x87;
    int saved = x.statusWord();
    clearC1(x);
    int dest;
    int src;
    F80 b;
    boolean denormalSource = false;
    if (insn.kind0 == Insn.K_MEM) {
      boolean integer = insn.op.name().startsWith("FI");
      b = integer ? X87Exec.loadInt(cpu, ea, insn.size0)
          : X87Exec.loadOperand(cpu, ea, insn.size0);
      denormalSource = !integer && X87Exec.isDenormalOperand(cpu, ea, insn.size0);
      dest = 0;
      src = 0;
    } else {
      dest = insn.reg0;
      src = insn.reg1;
      b = x.st(src);
    }
    F80 r;
    if (underflow(x, dest, src)) {
      r = F80.INDEFINITE; // the masked response, whatever the other operand
    } else {
      F80 a = x.st(dest);
      r = arith(x, kind, a, b);
      if (denormalSource && raisesDenormal(x, kind, a, b)) {
        x.raise(X87State.DE);
      }
    }
    if (blocked(x, saved)) {
      return;
    }
    x.setSt(dest, r);
    if (pop) {
      x.pop();
    }
  }

  private static F80 arith(X87State x, int kind, F80 a, F80 b) {
    switch (kind) {
      case ADD: return X87Arith.add(x, a, b);
      case SUB: return X87Arith.sub(x, a, b);
      case SUBR: return X87Arith.sub(x, b, a);
      case MUL: return X87Arith.mul(x, a, b);
      case DIV: return X87Arith.div(x, a, b);
      default: return X87Arith.div(x, b, a);
    }
  }

  /**
   * Whether a denormal single/double memory operand raises DE in this operation. Widened to
   * the extended format it is a normal number, so the library cannot see it; the same
   * operation on an extended denormal stand-in of the same sign, on a scratch state with the
   * same control word, says whether the operand classes let DE through (a NaN operand, IE or
   * ZE suppress it, as the library has measured for extended operands).
   */
  private static boolean raisesDenormal(X87State x, int kind, F80 a, F80 memory) {
    X87State probe = new X87State();
    probe.setControlWord(x.controlWord() | X87State.EXCEPTIONS);
    F80 standIn = F80.of(memory.isNegative() ? 0x8000 : 0, 1);
    if (kind == COMPARE) {
      X87Compare.fcom(probe, a, standIn, false);
    } else {
      arith(probe, kind, a, standIn);
    }
    return (probe.statusWord() & X87State.DE) != 0;
  }

  /**
   * Raises stack underflow (IE, SF, C1 = 0) when ST(i) or ST(j) is empty; true if so. The
   * masked response of such an operation is the indefinite, not a function of the operands.
   */
  private static boolean underflow(X87State x, int i, int j) {
    if (x.isEmpty(i) || x.isEmpty(j)) {
      x.readOrUnderflow(x.isEmpty(i) ? i : j);
      return true;
    }
    return false;
  }

  private static void unary(X87State x, Insn insn) {
    int saved = x.statusWord();
    clearC1(x);
    F80 a = x.readOrUnderflow(0);
    F80 r;
    switch (insn.op) {
      case FSQRT: r = X87Arith.sqrt(x, a); break;
      case FRNDINT: r = X87Arith.frndint(x, a); break;
      case F2XM1: r = X87Transcendental.f2xm1(x, a); break;
      case FSIN: r = X87Transcendental.fsin(x, a); break;
      default: r = X87Transcendental.fcos(x, a); break;
    }
    if (r != null && !blocked(x, saved)) { // null: FSIN/FCOS out of range, C2 = 1, ST(0) kept
      x.setSt(0, r);
    }
  }

  /**
   * FPTAN, FSINCOS, FXTRACT: ST(0) is replaced by the first result and the second is pushed.
   * An empty ST(0) (underflow) or a full stack (overflow: ST(7) in use, C1 = 1) gives the
   * indefinite for both results, without computing (the host raises nothing else then).
   */
  private static void replaceAndPush(X87State x, Insn insn) {
    int saved = x.statusWord();
    clearC1(x);
    if (x.isEmpty(0) || !x.isEmpty(7)) {
      if (x.isEmpty(0)) {
        x.readOrUnderflow(0);
      }
      if ((x.controlWord() & X87State.IE) == 0) {
        if (!x.isEmpty(7)) {
          x.push(F80.INDEFINITE); // unmasked overflow: flags only, nothing pushed
        }
        blocked(x, saved);
        return;
      }
      x.setSt(0, F80.INDEFINITE);
      x.push(F80.INDEFINITE); // a masked overflow pushes the indefinite anyway
      return;
    }
    F80 a = x.st(0);
    F80 first;
    F80 second;
    switch (insn.op) {
      case FPTAN: {
        F80 t = X87Transcendental.fptan(x, a);
        if (t == null) {
          return; // out of range: C2 = 1, nothing changes
        }
        first = t;
        second = t.isNaN() ? t : F80.ONE;
        break;
      }
      case FSINCOS: {
        F80[] sc = X87Transcendental.fsincos(x, a);
        if (sc == null) {
          return;
        }
        first = sc[0];
        second = sc[1];
        break;
      }
      default: {
        F80[] es = X87Arith.fxtract(x, a);
        first = es[0];
        second = es[1];
      }
    }
    if (blocked(x, saved)) {
      return;
    }
    x.setSt(0, first);
    x.push(second);
  }

  // ---- comparisons ---------------------------------------------------------------------------

  /**
   * FCOM/FUCOM/FICOM and their popping forms. The source is the memory operand, ST(i) (one
   * register operand), or ST(1) for FCOMPP/FUCOMPP. C1 = 0. With an unmasked invalid
   * operation nothing is popped.
   */
  private static void compare(Cpu cpu, Insn insn, long ea, boolean quiet, int pops) {
    X87State x = cpu.x87;
    int saved = x.statusWord();
    F80 b;
    boolean denormalSource = false;
    if (insn.nOperands > 0 && insn.kind0 == Insn.K_MEM) {
      boolean integer = insn.op.name().startsWith("FI");
      b = integer ? X87Exec.loadInt(cpu, ea, insn.size0)
          : X87Exec.loadOperand(cpu, ea, insn.size0);
      denormalSource = !integer && X87Exec.isDenormalOperand(cpu, ea, insn.size0);
    } else {
      b = x.readOrUnderflow(insn.nOperands > 0 ? insn.reg0 : 1);
    }
    F80 a = x.readOrUnderflow(0);
    X87Compare.fcom(x, a, b, quiet);
    if (denormalSource && raisesDenormal(x, COMPARE, a, b)) {
      x.raise(X87State.DE);
    }
    if (comparisonBlocked(x, saved)) {
      return;
    }
    for (int i = 0; i < pops; i++) {
      x.pop();
    }
  }

  /**
   * {@link X87Exec#blocked} for comparisons: with an unmasked invalid operation the condition
   * codes still report the comparison (unordered), as the host shows (the SDM says they are
   * not set), and nothing is popped.
   */
  private static boolean comparisonBlocked(X87State x, int saved) {
    int conditions = x.statusWord() & (X87State.C0 | X87State.C2 | X87State.C3);
    if (!blocked(x, saved)) {
      return false;
    }
    x.setConditions(conditions | x.statusWord() & X87State.C1);
    return true;
  }

  /** FCOMI/FUCOMI(P): ZF PF CF from the comparison, OF SF AF cleared; C1 = 0. */
  private static void fcomi(Cpu cpu, Insn insn, boolean quiet, boolean pop) {
    X87State x = cpu.x87;
    int saved = x.statusWord();
    F80 a = x.readOrUnderflow(0);
    F80 b = x.readOrUnderflow(insn.reg1);
    int f = X87Compare.fcomi(x, a, b, quiet);
    // EFLAGS are written even when the invalid operation is unmasked (the host does, though
    // the SDM describes them as unchanged); the pop is not done.
    cpu.flags.setRflags(f, Flags.CF | Flags.PF | Flags.ZF | Flags.OF | Flags.SF | Flags.AF);
    if (blocked(x, saved)) {
      return;
    }
    if (pop) {
      x.pop();
    }
  }
}
