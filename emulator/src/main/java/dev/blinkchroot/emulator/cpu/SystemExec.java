package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.decode.Insn;
import java.security.SecureRandom;

/**
 * CPUID, the time-stamp counter, the random-number instructions, XGETBV, and the instructions a
 * user-mode program may not execute (#GP, as Linux reports SIGSEGV for them).
 */
final class SystemExec {
  private static final SecureRandom RANDOM = new SecureRandom();

  private SystemExec() {}

  /** Executes {@code insn}, one of this family's operations ({@link OpTable}). */
  static void execute(Cpu cpu, Insn insn) {
    switch (insn.op) {
      case CPUID:
        Cpuid.execute(cpu);
        return;
      case RDTSC:
        tsc(cpu);
        return;
      case RDTSCP:
        tsc(cpu);
        cpu.write(Cpu.RCX, 4, 0); // IA32_TSC_AUX: processor 0
        return;
      case RDRAND: case RDSEED: {
        int size = insn.opSize;
        long value = RANDOM.nextLong();
        OperandAccess.write(cpu, insn, 0, size, value);
        // CF=1: a value was available; OF SF ZF AF PF cleared.
        cpu.flags.setRflags(Flags.CF, Flags.STATUS);
        return;
      }
      case XGETBV:
        if ((int) cpu.gpr[Cpu.RCX] != 0) {
          throw new CpuTrap(CpuTrap.Kind.GENERAL_PROTECTION, 0, "xgetbv ecx != 0");
        }
        cpu.write(Cpu.RAX, 4, Cpuid.XCR0);
        cpu.write(Cpu.RDX, 4, 0);
        return;
      case MOV_SREG:
        // Reading a selector: Linux's user code and data selectors; loading one is refused.
        if (insn.kind0 == Insn.K_SEG) {
          throw new CpuTrap(CpuTrap.Kind.GENERAL_PROTECTION, 0, "mov to a segment register");
        }
        OperandAccess.write(cpu, insn, 0, insn.opSize, selector(insn.reg1));
        return;
      case HLT: case CLI: case STI: case IN: case OUT: case INS: case OUTS: case INT:
      case MOV_CR: case MOV_DR: case RDMSR: case WRMSR: case RDPMC: case XSETBV: case INVD:
      case WBINVD: case INVLPG: case LGDT: case LIDT: case LLDT: case LTR: case LMSW: case CLTS:
      case SWAPGS: case SYSRET: case SYSENTER: case SYSEXIT: case IRET: case MONITOR: case MWAIT:
      case RSM: case SYSTEM: case JMP_FAR: case CALL_FAR: case RET_FAR: case INT1:
        throw new CpuTrap(CpuTrap.Kind.GENERAL_PROTECTION, 0, insn.mnemonic + " in user mode");
      default:
        throw OpTable.unhandled(insn);
    }
  }

  /** A 1 GHz counter: nanoseconds of the host's monotonic clock. */
  private static void tsc(Cpu cpu) {
    long t = System.nanoTime();
    cpu.write(Cpu.RAX, 4, t);
    cpu.write(Cpu.RDX, 4, t >>> 32);
  }

  /** The selectors Linux gives a 64-bit process: CS 0x33, SS 0x2b, the others null. */
  private static long selector(int seg) {
    switch (seg) {
      case Insn.SEG_CS: return 0x33;
      case Insn.SEG_SS: return 0x2b;
      default: return 0;
    }
  }
}
