package dev.blinkchroot.emulator.kernel;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.cpu.CpuTrap;
import dev.blinkchroot.emulator.kernel.signal.SigInfo;
import dev.blinkchroot.emulator.kernel.signal.SignalFrame;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.memory.MemoryFault;

/**
 * A processor exception as the signal Linux x86-64 sends for it: the signal, si_code and
 * si_addr (siginfo), and the vector, error code and CR2 the signal frame's sigcontext reports.
 */
record Fault(SigInfo info, SignalFrame.Trap trap) {
  private static final int X86_TRAP_DE = 0;
  private static final int X86_TRAP_DB = 1;
  private static final int X86_TRAP_BP = 3;
  private static final int X86_TRAP_UD = 6;
  private static final int X86_TRAP_SS = 12;
  private static final int X86_TRAP_GP = 13;
  private static final int X86_TRAP_PF = 14;
  private static final int X86_TRAP_MF = 16;
  private static final int X86_TRAP_XM = 19;

  /** Page-fault error code bits: protection violation, write, user mode, instruction fetch. */
  private static final int PF_PROT = 1;
  private static final int PF_WRITE = 2;
  private static final int PF_USER = 4;
  private static final int PF_INSTR = 16;

  private static final int FPE_FLTDIV = 3;
  private static final int FPE_FLTOVF = 4;
  private static final int FPE_FLTUND = 5;
  private static final int FPE_FLTRES = 6;
  private static final int FPE_FLTINV = 7;

  /**
   * A page fault: SIGSEGV with SEGV_MAPERR or SEGV_ACCERR at the address; a non-canonical
   * address is a #GP instead, SIGSEGV with SI_KERNEL and no address.
   */
  static Fault of(Cpu cpu, MemoryFault f) {
    if (f.reason() == MemoryFault.Reason.NON_CANONICAL) {
      return new Fault(SigInfo.kernel(Signals.SIGSEGV),
          new SignalFrame.Trap(X86_TRAP_GP, 0, 0));
    }
    int err = PF_USER;
    if (f.reason() == MemoryFault.Reason.PROTECTION) {
      err |= PF_PROT;
    }
    if (f.access() == MemoryFault.Access.WRITE) {
      err |= PF_WRITE;
    } else if (f.access() == MemoryFault.Access.EXEC) {
      err |= PF_INSTR;
    }
    int signal = f.reason() == MemoryFault.Reason.BEYOND_EOF ? Signals.SIGBUS : Signals.SIGSEGV;
    return new Fault(SigInfo.fault(signal, f.reason().siCode(), f.guestAddr()),
        new SignalFrame.Trap(X86_TRAP_PF, err, f.guestAddr()));
  }

  /**
   * Any other exception, as Linux's trap handlers report it: #DE SIGFPE FPE_INTDIV, #UD SIGILL
   * ILL_ILLOPN (both with the instruction's address), a single step SIGTRAP TRAP_TRACE with the
   * address of the next instruction, #MF and #XM SIGFPE with the code of the
   * first unmasked exception flagged, #BP SIGTRAP, #GP SIGSEGV, #SS SIGBUS (those three
   * SI_KERNEL without an address).
   */
  static Fault of(Cpu cpu, CpuTrap trap) {
    int sig = trap.kind().signal();
    switch (trap.kind()) {
      case DIVIDE_ERROR:
        return new Fault(SigInfo.fault(sig, trap.kind().siCode(), cpu.rip),
            new SignalFrame.Trap(X86_TRAP_DE, 0, 0));
      case INVALID_OPCODE:
        return new Fault(SigInfo.fault(sig, trap.kind().siCode(), cpu.rip),
            new SignalFrame.Trap(X86_TRAP_UD, 0, 0));
      case X87_FLOATING_POINT: {
        int flagged = cpu.x87.statusWord() & ~cpu.x87.controlWord();
        return new Fault(SigInfo.fault(sig, floatingPointCode(flagged), cpu.rip),
            new SignalFrame.Trap(X86_TRAP_MF, 0, 0));
      }
      case SIMD_FLOATING_POINT: {
        int flagged = ~(cpu.mxcsr >> 7) & cpu.mxcsr;
        return new Fault(SigInfo.fault(sig, floatingPointCode(flagged), cpu.rip),
            new SignalFrame.Trap(X86_TRAP_XM, 0, 0));
      }
      case SINGLE_STEP:
        return new Fault(SigInfo.fault(sig, trap.kind().siCode(), cpu.rip),
            new SignalFrame.Trap(X86_TRAP_DB, 0, 0));
      case BREAKPOINT:
        return new Fault(SigInfo.kernel(sig), new SignalFrame.Trap(X86_TRAP_BP, 0, 0));
      case STACK_FAULT:
        return new Fault(SigInfo.kernel(sig), new SignalFrame.Trap(X86_TRAP_SS, 0, 0));
      default:
        return new Fault(SigInfo.kernel(sig), new SignalFrame.Trap(X86_TRAP_GP, 0, 0));
    }
  }

  /** The si_code of a floating-point exception, from the unmasked flags that are set. */
  private static int floatingPointCode(int flagged) {
    if ((flagged & 0x001) != 0) {
      return FPE_FLTINV;
    } else if ((flagged & 0x004) != 0) {
      return FPE_FLTDIV;
    } else if ((flagged & 0x008) != 0) {
      return FPE_FLTOVF;
    } else if ((flagged & 0x012) != 0) {
      return FPE_FLTUND;
    } else if ((flagged & 0x020) != 0) {
      return FPE_FLTRES;
    }
    return 0;
  }
}
