package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.decode.Insn;

/**
 * Runs one decoded instruction of the operations {@link OpTable} gives it. RIP already points
 * past the instruction (a branch overwrites it); a fault leaves by {@link CpuTrap} or {@link
 * dev.blinkchroot.emulator.memory.MemoryFault}, and the caller puts RIP back on the instruction.
 * The interpreter calls executors for every instruction, the JIT for those it does not compile
 * inline, so both run the same semantics.
 */
@FunctionalInterface
public interface Executor {
  /**
   * @param syscalls where SYSCALL goes; null when no kernel is attached (SYSCALL then raises #UD)
   */
  void execute(Cpu cpu, Insn insn, SyscallHandler syscalls);
}
