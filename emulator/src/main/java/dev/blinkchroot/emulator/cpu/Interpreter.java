package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.memory.MemoryFault;

/**
 * Runs one guest thread: fetches decoded blocks from the {@link CodeCache} and executes each
 * instruction through the executor of its family. RIP is set to the next instruction before an
 * instruction executes (branches overwrite it); when an instruction faults, RIP is put back on
 * it, so the kernel sees the faulting instruction, as the hardware reports it. Traps (INT3,
 * SYSCALL) leave RIP after the instruction.
 */
public final class Interpreter {
  /** One family's executor: returns false if the operation is not its. */
  @FunctionalInterface
  interface Executor {
    boolean execute(Cpu cpu, Insn insn);
  }

  private final Cpu cpu;
  private final CodeCache code;
  private final SyscallHandler syscalls;
  private final Executor[] extensions;
  private long retired;

  /**
   * @param extensions executors for the instruction families beyond the integer core (SSE,
   *     x87), tried in order
   */
  Interpreter(Cpu cpu, CodeCache code, SyscallHandler syscalls, Executor... extensions) {
    this.cpu = cpu;
    this.code = code;
    this.syscalls = syscalls;
    this.extensions = extensions;
  }

  /** An interpreter for {@code cpu} with every instruction family this build implements. */
  public static Interpreter create(Cpu cpu, CodeCache code, SyscallHandler syscalls) {
    return new Interpreter(cpu, code, syscalls, Extensions.all());
  }

  /** Instructions executed so far. */
  public long retired() {
    return retired;
  }

  /**
   * Runs until RIP reaches {@code stopAddress} at an instruction boundary, or until an
   * exception leaves (a {@link CpuTrap}, a {@link MemoryFault}, or whatever the syscall handler
   * throws to end the thread).
   */
  public void runUntil(long stopAddress) {
    while (cpu.rip != stopAddress) {
      runBlock(stopAddress);
    }
  }

  /**
   * As {@link #runUntil(long)}, but gives up after about {@code budget} instructions (whole
   * blocks are run).
   *
   * @return true if RIP reached {@code stopAddress}, false if the budget ran out first
   */
  public boolean runUntil(long stopAddress, long budget) {
    long limit = retired + budget;
    while (cpu.rip != stopAddress) {
      if (retired >= limit) {
        return false;
      }
      runBlock(stopAddress);
    }
    return true;
  }

  /** Runs forever: only an exception ends it. */
  public void run() {
    runUntil(-1L ^ 0x8000_0000_0000_0000L); // a non-canonical address no code can sit at
  }

  private void runBlock(long stopAddress) {
    CodeCache.Block block = code.blockAt(cpu.rip);
    int generation = code.generation();
    for (Insn insn : block.insns) {
      boolean singleStep = cpu.flags.trapFlag();
      cpu.rip = insn.nextAddress();
      try {
        execute(insn);
      } catch (CpuTrap trap) {
        if (trap.kind() != CpuTrap.Kind.BREAKPOINT) {
          cpu.rip = insn.address;
        }
        throw trap;
      } catch (MemoryFault fault) {
        cpu.rip = insn.address;
        if (fault.reason() == MemoryFault.Reason.NON_CANONICAL && usesStackSegment(insn)) {
          throw new CpuTrap(CpuTrap.Kind.STACK_FAULT, 0, "non-canonical stack address");
        }
        throw fault;
      }
      retired++;
      if (singleStep) {
        throw CpuTrap.of(CpuTrap.Kind.SINGLE_STEP, "trap flag");
      }
      // Leave the block on a taken branch, at the stop address, or when code was rewritten.
      if (cpu.rip != insn.nextAddress() || cpu.rip == stopAddress
          || code.generation() != generation) {
        return;
      }
    }
  }

  /**
   * Whether the instruction's memory access goes through SS: implicit stack operations, and
   * operands based on RSP or RBP without an FS/GS override (SDM Vol. 1, 3.7.4).
   */
  private static boolean usesStackSegment(Insn insn) {
    switch (insn.op) {
      case PUSH: case POP: case PUSHF: case POPF: case CALL: case RET: case ENTER: case LEAVE:
        return true;
      default:
        return insn.memOperand() >= 0 && insn.seg != Insn.SEG_FS && insn.seg != Insn.SEG_GS
            && (insn.base == Cpu.RSP || insn.base == Cpu.RBP);
    }
  }

  /** Executes one decoded instruction (RIP already points past it). */
  void execute(Insn insn) {
    if (insn.raisesSigill()) {
      throw CpuTrap.of(CpuTrap.Kind.INVALID_OPCODE, insn.describe());
    }
    if (insn.privileged) {
      throw new CpuTrap(CpuTrap.Kind.GENERAL_PROTECTION, 0, insn.describe());
    }
    if (IntegerExec.execute(cpu, insn) || ControlExec.execute(cpu, insn, syscalls)
        || StringExec.execute(cpu, insn) || SystemExec.execute(cpu, insn)) {
      return;
    }
    for (Executor e : extensions) {
      if (e.execute(cpu, insn)) {
        return;
      }
    }
    throw CpuTrap.of(CpuTrap.Kind.INVALID_OPCODE, "not implemented: " + insn.describe());
  }
}
