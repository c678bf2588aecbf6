package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.decode.Op;
import dev.blinkchroot.emulator.x87.F80;
import dev.blinkchroot.emulator.x87.X87Convert;
import dev.blinkchroot.emulator.x87.X87State;

/**
 * Executes the x87 instructions (escape opcodes D8-DF and FWAIT) over {@link Cpu#x87}; the
 * arithmetic is the {@code x87} package's, this class only fetches operands, commits results and
 * moves the stack. The environment and state images (FNSTENV ... XRSTOR) are in
 * {@link X87StateExec}.
 *
 * <h2>Unmasked exceptions (SDM Vol. 1 §8.6, §8.7)</h2>
 * An instruction that detects an exception only records it. When the exception is unmasked
 * and is a pre-computation one (IE, DE, ZE, stack faults included), the instruction commits
 * nothing: destination, TOP and memory stay as they were, and the status word gains only the
 * pre-computation flags (no PE/UE/C1 from a result that is not delivered). Two details follow
 * the host rather than the SDM's wording: comparisons still write C0/C2/C3 (FCOM family) or
 * ZF/PF/CF (FCOMI family) as "unordered". OE, UE and PE results are committed (with the masked
 * response's value, see {@link X87State}). The fault
 * itself is delivered as hardware does, at the <em>next waiting</em> x87 instruction: every
 * instruction here except FNINIT, FNCLEX, FNSTSW, FNSTCW, FNSTENV, FNSAVE and the FXSAVE/XSAVE
 * family first checks {@link X87State#unmaskedPending()} and throws
 * {@link CpuTrap.Kind#X87_FLOATING_POINT} with RIP (and si_addr) on itself, without executing.
 * The kernel layer derives si_code from FSW and FCW, as Linux's {@code math_error} does.
 *
 * <h2>Last instruction and data pointers</h2>
 * As on the emulated Intel model (CPUID.7.0:EBX bits 6 and 13, and its recorded images):
 * every non-control instruction records FIP (its address); FOP (the low three bits of the
 * escape byte and the ModRM byte) and FDP (the effective address of a memory operand, else 0)
 * are recorded only by an instruction that incurs an unmasked exception, and keep their old
 * values otherwise. FCS and FDS stay 0. Control instructions and MMX leave all three alone.
 */
final class X87Exec {
  private X87Exec() {}

  private static final int IE = X87State.IE;
  private static final int DE = X87State.DE;
  private static final int ZE = X87State.ZE;

  static boolean execute(Cpu cpu, Insn insn) {
    X87State x = cpu.x87;
    switch (insn.op) {
      // ---- non-waiting control instructions: no #MF check, FIP/FOP kept
      case FNINIT:
        fninit(x);
        return true;
      case FNCLEX:
        x.fclex();
        return true;
      case FX87_LEGACY:
        // FNENI, FNDISI, FSETPM are no-ops since the 80387; FRSTPM (DB E5) raises #UD on
        // current processors (the host does), though the decoder's table accepts it.
        if (insn.byteAt(insn.length - 1) == 0xe5) {
          throw CpuTrap.of(CpuTrap.Kind.INVALID_OPCODE, "frstpm: " + insn.describe());
        }
        return true;
      case FNSTSW:
        if (insn.kind0 == Insn.K_MEM) {
          cpu.memory.write16(OperandAccess.effectiveAddress(cpu, insn), x.statusWord());
        } else {
          cpu.write(Cpu.RAX, 2, x.statusWord());
        }
        return true;
      case FNSTCW:
        cpu.memory.write16(OperandAccess.effectiveAddress(cpu, insn), x.controlWord());
        return true;
      case FNSTENV:
        X87StateExec.fnstenv(cpu, insn);
        return true;
      case FNSAVE:
        X87StateExec.fnsave(cpu, insn);
        return true;
      case FXSAVE:
      case FXRSTOR:
      case XSAVE:
      case XRSTOR:
      case XSAVEOPT:
      case XSAVEC:
      case XSAVES:
      case XRSTORS:
        return X87StateExec.execute(cpu, insn);
      default:
        break;
    }
    if (!isWaitingX87(insn.op)) {
      return false;
    }
    checkPending(cpu, insn);
    switch (insn.op) {
      // ---- waiting control instructions: FIP/FOP kept
      case FWAIT:
        return true;
      case FLDCW:
        x.setControlWord(cpu.memory.read16(OperandAccess.effectiveAddress(cpu, insn)));
        return true;
      case FLDENV:
        X87StateExec.fldenv(cpu, insn);
        return true;
      case FRSTOR:
        X87StateExec.frstor(cpu, insn);
        return true;
      default:
        break;
    }
    long ea = memoryOperand(cpu, insn);
    x.fip = insn.address;
    if (!X87Ops.execute(cpu, insn, ea)) {
      throw CpuTrap.of(CpuTrap.Kind.INVALID_OPCODE, "x87: " + insn.describe());
    }
    if (x.unmaskedPending() != 0) {
      // FOP and FDP are kept only for an instruction that incurs an unmasked exception
      // (CPUID.7.0:EBX[6] FDP_EXCPTN_ONLY, and FOP outside its compatibility mode).
      x.fop = opcode(insn);
      x.fdp = ea;
    }
    return true;
  }

  /** The ops handled after the #MF check: everything x87 but the no-wait control forms. */
  private static boolean isWaitingX87(Op op) {
    int o = op.ordinal();
    return o >= Op.FLD.ordinal() && o <= Op.FWAIT.ordinal();
  }

  /** #MF at a waiting instruction while an unmasked exception is pending (SDM §8.6). */
  private static void checkPending(Cpu cpu, Insn insn) {
    int pending = cpu.x87.unmaskedPending();
    if (pending != 0) {
      throw new CpuTrap(CpuTrap.Kind.X87_FLOATING_POINT, insn.address,
          String.format("x87 exception pending (FSW %#06x, FCW %#06x)", cpu.x87.statusWord(),
              cpu.x87.controlWord()));
    }
  }

  /** The effective address of the memory operand, 0 for a register form. */
  private static long memoryOperand(Cpu cpu, Insn insn) {
    return insn.memOperand() < 0 ? 0 : OperandAccess.effectiveAddress(cpu, insn);
  }

  /** FOP: the low three bits of the escape byte and the ModRM byte (SDM Vol. 1 §8.1.9). */
  private static int opcode(Insn insn) {
    int i = 0;
    while (i < insn.length - 1 && (insn.byteAt(i) < 0xd8 || insn.byteAt(i) > 0xdf)) {
      i++; // prefixes and REX
    }
    return (insn.byteAt(i) & 7) << 8 | insn.byteAt(Math.min(i + 1, insn.length - 1));
  }

  // ---- helpers shared with X87Ops ----------------------------------------------------------

  /**
   * True when the operation just performed raised an unmasked pre-computation exception (IE,
   * DE or ZE, stack faults included): the instruction then commits nothing (the #MF comes at
   * the next waiting instruction). Earlier pending exceptions cannot be the cause: they trapped
   * at entry. The status word goes back to {@code savedStatus} plus the pre-computation flags
   * (and C1 when a stack fault set it), as the host shows: the operation stops at the
   * exception, so PE, UE and a rounding C1 the library computed on the way are not reported.
   */
  static boolean blocked(X87State x, int savedStatus) {
    return blocked(x, savedStatus, IE | DE | ZE);
  }

  /**
   * {@link #blocked(X87State, int)} for the unmasked exceptions in {@code which}: FLD of a
   * single/double operand is blocked by IE only (the host loads a denormal with DE unmasked),
   * stores to memory also by OE and UE (SDM §4.9.1.4/5: nothing is stored, nothing popped).
   */
  static boolean blocked(X87State x, int savedStatus, int which) {
    if ((x.unmaskedPending() & which) == 0) {
      return false;
    }
    int now = x.statusWord();
    int kept = now & (which | X87State.SF);
    int c1 = (now & ~savedStatus & X87State.SF) != 0 ? now & X87State.C1
        : savedStatus & X87State.C1;
    x.setStatusWord(savedStatus & ~X87State.C1 | kept | c1);
    return true;
  }

  /** FNINIT. The library's finit also zeroes R0..R7; the hardware leaves them (only tags). */
  static void fninit(X87State x) {
    F80[] regs = new F80[8];
    for (int i = 0; i < 8; i++) {
      regs[i] = x.physical(i);
    }
    x.finit();
    for (int i = 0; i < 8; i++) {
      x.setPhysical(i, regs[i]);
    }
  }

  /**
   * A 4- or 8-byte binary floating-point operand of an arithmetic or compare instruction,
   * converted exactly and without raising anything. NaNs are widened without quieting so that
   * the operation sees an SNaN as an SNaN (it raises IE and picks the result NaN by SDM Table
   * 4-7, which prefers a QNaN ST(0) over a quieted memory SNaN). A denormal source is normal in
   * the extended format, so whether it raises DE is decided by {@link X87Ops} (see
   * {@link #isDenormalOperand}).
   */
  static F80 loadOperand(Cpu cpu, long ea, int size) {
    X87State scratch = new X87State(); // swallows the conversion's DE
    if (size == 4) {
      int bits = cpu.memory.read32(ea);
      if ((bits & 0x7f80_0000) == 0x7f80_0000 && (bits & 0x007f_ffff) != 0) {
        return F80.of(bits >>> 16 & 0x8000 | 0x7fff, F80.J_BIT | (long) (bits & 0x7f_ffff) << 40);
      }
      return X87Convert.fromFloat32(scratch, bits);
    }
    long bits = cpu.memory.read64(ea);
    if ((bits & 0x7ff0_0000_0000_0000L) == 0x7ff0_0000_0000_0000L
        && (bits & 0x000f_ffff_ffff_ffffL) != 0) {
      return F80.of((int) (bits >>> 48) & 0x8000 | 0x7fff,
          F80.J_BIT | (bits & 0x000f_ffff_ffff_ffffL) << 11);
    }
    return X87Convert.fromFloat64(scratch, bits);
  }

  /** Whether the 4- or 8-byte floating-point operand at {@code ea} is a denormal. */
  static boolean isDenormalOperand(Cpu cpu, long ea, int size) {
    if (size == 4) {
      int bits = cpu.memory.read32(ea);
      return (bits & 0x7f80_0000) == 0 && (bits & 0x007f_ffff) != 0;
    }
    long bits = cpu.memory.read64(ea);
    return (bits & 0x7ff0_0000_0000_0000L) == 0 && (bits & 0x000f_ffff_ffff_ffffL) != 0;
  }

  /** A 2-, 4- or 8-byte signed integer operand, exactly. */
  static F80 loadInt(Cpu cpu, long ea, int size) {
    long v;
    switch (size) {
      case 2:
        v = (short) cpu.memory.read16(ea);
        break;
      case 4:
        v = cpu.memory.read32(ea);
        break;
      default:
        v = cpu.memory.read64(ea);
    }
    return X87Convert.fromInt64(v);
  }

  /** Clears C1 (most instructions report "no overflow / not rounded up" as C1 = 0). */
  static void clearC1(X87State x) {
    x.setCondition(X87State.C1, false);
  }
}
