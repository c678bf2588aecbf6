package dev.blinkchroot.emulator.cpu;

/**
 * How guest code runs: the interpreter alone, or the interpreter with a {@link Tier} that
 * compiles hot code. The kernel asks its engine for the run loop of each guest thread.
 */
@FunctionalInterface
public interface ExecutionEngine {
  /** The interpreter only ({@code --no-jit}). */
  ExecutionEngine INTERPRETER = Interpreter::create;

  /** The run loop of one guest thread over the decoded code of its address space. */
  Interpreter runner(Cpu cpu, CodeCache code, SyscallHandler syscalls);
}
