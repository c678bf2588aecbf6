package dev.blinkchroot.emulator.cpu;

/**
 * Guest code compiled for the JVM (by the JIT), entered at the start address of the decoded block
 * it is attached to ({@link CodeCache#install}). {@link #run} executes guest instructions from
 * there, with the registers in its own locals, and returns at an instruction boundary with the
 * whole architectural state back in the {@link Cpu} and RIP on the next instruction to run. A
 * fault leaves as it does from the interpreter: the same exception, RIP on the faulting
 * instruction, the state as of that instruction.
 */
public abstract class CompiledCode {
  /** Lowest and one past the highest instruction start address compiled into this code. */
  private final long low;
  private final long high;
  /** The address the compiler was told to stop at (never compiled in), or -1. */
  private final long stopAddress;
  private volatile boolean retired;

  protected CompiledCode(long low, long high, long stopAddress) {
    this.low = low;
    this.high = high;
    this.stopAddress = stopAddress;
  }

  /**
   * Runs guest code from the entry address until it leaves the compiled code, an interrupt is
   * pending at a back-edge, or {@code runner}'s instruction budget runs out at a back-edge.
   */
  public abstract void run(Cpu cpu, Interpreter runner);

  /**
   * Whether running this code cannot pass {@code stopAddress} without stopping there: the
   * address is outside the compiled range, or the compiler left it out.
   */
  public final boolean stopsAt(long stop) {
    return stop == stopAddress || stop < low || stop >= high;
  }

  /** Its code page was written, remapped or reprotected, or it was evicted: never run again. */
  final void retire() {
    retired = true;
  }

  /** Whether {@link #retire} was called (the JIT's budget then stops counting this code). */
  public final boolean isRetired() {
    return retired;
  }
}
