package dev.blinkchroot.emulator.cpu;

import static dev.blinkchroot.emulator.cpu.OperandAccess.pop;
import static dev.blinkchroot.emulator.cpu.OperandAccess.push;
import static dev.blinkchroot.emulator.cpu.OperandAccess.read;
import static dev.blinkchroot.emulator.cpu.OperandAccess.write;

import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.decode.Op;

/**
 * Control transfer, the stack, flag and accumulator instructions, and the ones that trap. The
 * interpreter has already set RIP to the next instruction; a taken branch overwrites it.
 */
final class ControlExec {
  /** RFLAGS bits PUSHF stores as 0 (VM and RF, SDM PUSHF). */
  private static final long PUSHF_CLEARED = (1L << 16) | (1L << 17);

  private ControlExec() {}

  /** Executes {@code insn}, one of this family's operations ({@link OpTable}). */
  static void execute(Cpu cpu, Insn insn, SyscallHandler syscalls) {
    Flags f = cpu.flags;
    switch (insn.op) {
      case JMP:
        cpu.rip = insn.kind0 == Insn.K_REL ? insn.target : read(cpu, insn, 0, 8);
        return;
      case JCC:
        if (f.condition(insn.cond)) {
          cpu.rip = insn.target;
        }
        return;
      case CALL: {
        long target = insn.kind0 == Insn.K_REL ? insn.target : read(cpu, insn, 0, 8);
        push(cpu, 8, insn.nextAddress());
        cpu.rip = target;
        return;
      }
      case RET: {
        long target = pop(cpu, 8);
        if (insn.nOperands > 0) {
          cpu.gpr[Cpu.RSP] += insn.imm & 0xffff;
        }
        cpu.rip = target;
        return;
      }
      case LOOP: case LOOPE: case LOOPNE: {
        int counterSize = insn.addrSize;
        long count = cpu.read(Cpu.RCX, counterSize) - 1;
        cpu.write(Cpu.RCX, counterSize, count);
        boolean go = (count & Flags.mask(counterSize * 8)) != 0;
        if (insn.op == Op.LOOPE) {
          go &= f.isSet(Flags.ZF);
        } else if (insn.op == Op.LOOPNE) {
          go &= !f.isSet(Flags.ZF);
        }
        if (go) {
          cpu.rip = insn.target;
        }
        return;
      }
      case JRCXZ:
        if (cpu.read(Cpu.RCX, insn.addrSize) == 0) {
          cpu.rip = insn.target;
        }
        return;
      case SETCC:
        write(cpu, insn, 0, 1, f.condition(insn.cond) ? 1 : 0);
        return;
      case CMOVCC: {
        // The source is read (and may fault) whatever the condition; a 32-bit destination is
        // zero-extended even when nothing moves.
        long src = read(cpu, insn, 1, insn.opSize);
        if (f.condition(insn.cond)) {
          write(cpu, insn, 0, insn.opSize, src);
        } else if (insn.opSize == 4) {
          write(cpu, insn, 0, 4, read(cpu, insn, 0, 4));
        }
        return;
      }
      case PUSH: {
        int size = stackSize(insn);
        push(cpu, size, read(cpu, insn, 0, size));
        return;
      }
      case POP: {
        int size = stackSize(insn);
        long value = pop(cpu, size);
        // A memory destination based on RSP uses RSP after the pop (SDM POP).
        write(cpu, insn, 0, size, value);
        return;
      }
      case PUSHF: {
        int size = stackSize(insn);
        push(cpu, size, cpu.rflags() & ~PUSHF_CLEARED);
        return;
      }
      case POPF: {
        int size = stackSize(insn);
        long value = pop(cpu, size);
        long writable = size == 2 ? Flags.USER_WRITABLE & 0xffff : Flags.USER_WRITABLE;
        f.setRflags(value, writable);
        return;
      }
      case ENTER:
        enter(cpu, insn);
        return;
      case LEAVE: {
        // RSP = RBP, then pop RBP; a fault on the load leaves RSP as it was (SDM: precise).
        int size = stackSize(insn);
        long frame = cpu.gpr[Cpu.RBP];
        long saved = OperandAccess.load(cpu.memory, frame, size);
        cpu.gpr[Cpu.RSP] = frame + size;
        cpu.write(Cpu.RBP, size, saved);
        return;
      }
      case CBW: cpu.write(Cpu.RAX, 2, Alu.signExtend(cpu.gpr[Cpu.RAX], 8)); return;
      case CWDE: cpu.write(Cpu.RAX, 4, Alu.signExtend(cpu.gpr[Cpu.RAX], 16)); return;
      case CDQE: cpu.write(Cpu.RAX, 8, Alu.signExtend(cpu.gpr[Cpu.RAX], 32)); return;
      case CWD: cpu.write(Cpu.RDX, 2, Alu.signExtend(cpu.gpr[Cpu.RAX], 16) >> 16); return;
      case CDQ: cpu.write(Cpu.RDX, 4, Alu.signExtend(cpu.gpr[Cpu.RAX], 32) >> 32); return;
      case CQO: cpu.write(Cpu.RDX, 8, cpu.gpr[Cpu.RAX] >> 63); return;
      case LAHF: // AH = SF:ZF:0:AF:0:PF:1:CF
        cpu.writeHigh8(Cpu.RAX, (cpu.rflags() & 0xd5) | 0x02);
        return;
      case SAHF:
        f.setRflags(cpu.readHigh8(Cpu.RAX), Flags.SF | Flags.ZF | Flags.AF | Flags.PF | Flags.CF);
        return;
      case CLC: f.put(Flags.CF, false); return;
      case STC: f.put(Flags.CF, true); return;
      case CMC: f.put(Flags.CF, !f.isSet(Flags.CF)); return;
      case CLD: f.setDirection(false); return;
      case STD: f.setDirection(true); return;
      case NOP: case ENDBR64: case ENDBR32: case PAUSE: case PREFETCH: case LFENCE: case SFENCE:
      case BOUNDS_NOP:
        return;
      case MFENCE:
        java.lang.invoke.VarHandle.fullFence();
        return;
      case CLFLUSH: case CLFLUSHOPT: case CLWB:
        // No caches to flush, but the line must be addressable as a byte load would be.
        cpu.memory.read8(OperandAccess.effectiveAddress(cpu, insn));
        return;
      case SYSCALL:
        cpu.gpr[Cpu.RCX] = insn.nextAddress();
        cpu.gpr[Cpu.R11] = cpu.rflags() & ~PUSHF_CLEARED;
        if (syscalls == null) {
          throw CpuTrap.of(CpuTrap.Kind.INVALID_OPCODE, "syscall with no kernel attached");
        }
        syscalls.syscall(cpu);
        return;
      case INT3:
        throw new CpuTrap(CpuTrap.Kind.BREAKPOINT, 0, "int3");
      case UD0: case UD1: case UD2:
        throw CpuTrap.of(CpuTrap.Kind.INVALID_OPCODE, insn.mnemonic);
      default:
        throw OpTable.unhandled(insn);
    }
  }

  /**
   * The width of a stack operation: 8 bytes in 64-bit mode, 2 with a 66 prefix. (Operand 0's
   * size is not it: ENTER's first operand is a 16-bit immediate.)
   */
  private static int stackSize(Insn insn) {
    return insn.effOpSize == 2 ? 2 : 8;
  }

  /**
   * ENTER size, level: a frame with {@code level} copied frame pointers (SDM ENTER). RSP and RBP
   * change only when every access succeeded, as on hardware.
   */
  private static void enter(Cpu cpu, Insn insn) {
    int size = stackSize(insn);
    long frameSize = insn.imm & 0xffff;
    int level = (int) (insn.imm2 & 0x1f);
    long rsp = cpu.gpr[Cpu.RSP] - size;
    OperandAccess.store(cpu.memory, rsp, size, cpu.gpr[Cpu.RBP]);
    long frame = rsp;
    if (level > 0) {
      long rbp = cpu.gpr[Cpu.RBP];
      for (int i = 1; i < level; i++) {
        rbp -= size;
        long saved = OperandAccess.load(cpu.memory, rbp, size);
        rsp -= size;
        OperandAccess.store(cpu.memory, rsp, size, saved);
      }
      rsp -= size;
      OperandAccess.store(cpu.memory, rsp, size, frame);
    }
    cpu.write(Cpu.RBP, size, frame);
    cpu.gpr[Cpu.RSP] = rsp - frameSize;
  }
}
