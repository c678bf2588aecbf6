package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.memory.MemoryFault;

/**
 * Runs one guest thread: fetches decoded blocks from the {@link CodeCache} and executes each
 * instruction through its operation's executor ({@link OpTable}). RIP is set to the next
 * instruction before an instruction executes (branches overwrite it); when an instruction faults,
 * RIP is put back on it, so the kernel sees the faulting instruction, as the hardware reports it.
 * Traps (INT3, SYSCALL) leave RIP after the instruction.
 *
 * <p>With a {@link Tier}, this is also the JIT's dispatcher: a block that has run often enough
 * is compiled, and a block with compiled code runs that code, which returns here with RIP on the
 * next block (there is no recursion between blocks). An interrupt request ({@link
 * Cpu#requestInterrupt}) makes the run methods return at the next block boundary. While TF is
 * set no compiled code runs (and compiled code leaves after a POPF), so that the interpreter
 * raises the single-step trap after each instruction.
 */
public final class Interpreter {
  private final Cpu cpu;
  private final CodeCache code;
  private final SyscallHandler syscalls;
  /** Null: interpret everything. */
  private final Tier tier;
  private long retired;
  /** Where the instruction budget of {@link #runUntil(long, long)} ends. */
  private long limit = Long.MAX_VALUE;
  /** The next block is interpreted even if it has compiled code ({@link #resumeInInterpreter}). */
  private boolean interpretNext;

  private Interpreter(Cpu cpu, CodeCache code, SyscallHandler syscalls, Tier tier) {
    this.cpu = cpu;
    this.code = code;
    this.syscalls = syscalls;
    this.tier = tier;
  }

  /** An interpreter for {@code cpu} with every instruction family this build implements. */
  public static Interpreter create(Cpu cpu, CodeCache code, SyscallHandler syscalls) {
    return new Interpreter(cpu, code, syscalls, null);
  }

  /** An interpreter that hands hot blocks to {@code tier} and runs what it compiles. */
  public static Interpreter create(Cpu cpu, CodeCache code, SyscallHandler syscalls, Tier tier) {
    return new Interpreter(cpu, code, syscalls, tier);
  }

  /** Instructions executed so far. */
  public long retired() {
    return retired;
  }

  /** Compiled code reports the instructions it executed. */
  public void addRetired(long count) {
    retired += count;
  }

  /**
   * How many more instructions the current {@link #runUntil(long, long)} may execute; compiled
   * loops leave at a back-edge once they used it up.
   */
  public long budgetLeft() {
    return limit - retired;
  }

  /**
   * Compiled code met a case its fast path does not handle (a flag to raise, a misaligned
   * operand) and returns with RIP on that instruction: the interpreter runs it, and the rest of
   * its block, before compiled code is entered again.
   */
  public void resumeInInterpreter() {
    interpretNext = true;
  }

  /** Where SYSCALL goes (compiled code calls the same executors the interpreter does). */
  public SyscallHandler syscalls() {
    return syscalls;
  }

  /**
   * Runs until RIP reaches {@code stopAddress} at an instruction boundary, an interrupt is
   * requested, or an exception leaves (a {@link CpuTrap}, a {@link MemoryFault}, or whatever the
   * syscall handler throws to end the thread).
   */
  public void runUntil(long stopAddress) {
    limit = Long.MAX_VALUE;
    while (cpu.rip != stopAddress && !cpu.interruptPending()) {
      runBlock(stopAddress);
    }
  }

  /**
   * As {@link #runUntil(long)}, but gives up after about {@code budget} instructions (whole
   * blocks, and compiled code up to its next back-edge, are run).
   *
   * @return true if RIP reached {@code stopAddress}, false if the budget ran out or an interrupt
   *     was requested first
   */
  public boolean runUntil(long stopAddress, long budget) {
    limit = retired + budget;
    try {
      while (cpu.rip != stopAddress) {
        if (retired >= limit || cpu.interruptPending()) {
          return false;
        }
        runBlock(stopAddress);
      }
      return true;
    } finally {
      limit = Long.MAX_VALUE;
    }
  }

  /** Runs until an exception ends it or an interrupt is requested. */
  public void run() {
    runUntil(-1L ^ 0x8000_0000_0000_0000L); // a non-canonical address no code can sit at
  }

  private void runBlock(long stopAddress) {
    CodeCache.Block block = code.blockAt(cpu.rip);
    if (interpretNext) {
      interpretNext = false;
    } else if (tier != null && !cpu.flags.trapFlag()) { // single steps are interpreted
      CompiledCode compiled = block.compiled;
      if (compiled == null && ++block.hits == tier.threshold()) {
        compiled = tier.compile(code, block.start, stopAddress);
      }
      if (compiled != null && compiled.stopsAt(stopAddress)) {
        compiled.run(cpu, this);
        return;
      }
    }
    int generation = code.generation();
    for (Insn insn : block.insns) {
      boolean singleStep = cpu.flags.trapFlag();
      step(insn);
      if (singleStep) {
        throw CpuTrap.of(CpuTrap.Kind.SINGLE_STEP, "trap flag");
      }
      // Leave the block on a taken branch, at the stop address, or when code was rewritten.
      if (cpu.rip != insn.nextAddress() || cpu.rip == stopAddress
          || code.generation() != generation) {
        if (block.indirectExit) {
          block.lastTarget = cpu.rip; // the profile of an indirect branch, for the JIT
        }
        return;
      }
    }
  }

  /** Executes {@code insn} at RIP and counts it; a fault leaves RIP as {@link #faultAt} says. */
  private void step(Insn insn) {
    cpu.rip = insn.nextAddress();
    try {
      execute(insn);
    } catch (CpuTrap | MemoryFault fault) {
      throw faultAt(cpu, insn, fault);
    }
    retired++;
  }

  /**
   * What a CPU exception raised by {@code insn} leaves behind, for the interpreter and compiled
   * code alike: RIP back on the instruction (INT3 excepted: a trap reports the next one), and a
   * non-canonical address reached through the stack segment reported as #SS rather than #GP.
   * Returns the exception to throw.
   */
  public static RuntimeException faultAt(Cpu cpu, Insn insn, RuntimeException fault) {
    if (fault instanceof CpuTrap trap) {
      if (trap.kind() != CpuTrap.Kind.BREAKPOINT) {
        cpu.rip = insn.address;
      }
      return trap;
    }
    cpu.rip = insn.address;
    if (fault instanceof MemoryFault memoryFault
        && memoryFault.reason() == MemoryFault.Reason.NON_CANONICAL && usesStackSegment(insn)) {
      return new CpuTrap(CpuTrap.Kind.STACK_FAULT, 0, "non-canonical stack address");
    }
    return fault;
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
    executeOne(cpu, insn, syscalls);
  }

  /**
   * Executes {@code insn} as the interpreter does (the SIGILL and #GP checks, then its executor),
   * RIP already past it: the fallback compiled code calls for an instruction it does not compile
   * inline, so that both run the same semantics.
   */
  public static void executeOne(Cpu cpu, Insn insn, SyscallHandler syscalls) {
    if (insn.raisesSigill()) {
      throw CpuTrap.of(CpuTrap.Kind.INVALID_OPCODE, insn.describe());
    }
    if (insn.privileged) {
      throw new CpuTrap(CpuTrap.Kind.GENERAL_PROTECTION, 0, insn.describe());
    }
    OpTable.execute(cpu, insn, syscalls);
  }
}
