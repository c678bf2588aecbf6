package dev.blinkchroot.emulator.cpu;

/**
 * A compiler the interpreter hands hot code to: after a block has run {@link #threshold} times,
 * the interpreter asks for compiled code entered at its address.
 */
public interface Tier {
  /** Executions of a block before it is compiled (1: compile before the first execution). */
  int threshold();

  /**
   * Compiles code entered at {@code entry} and installs it in {@code code} ({@link
   * CodeCache#install}); returns it, or null if nothing was compiled (the block stays
   * interpreted). Code that contains {@code stopAddress} must stop there (-1: no such address).
   */
  CompiledCode compile(CodeCache code, long entry, long stopAddress);
}
