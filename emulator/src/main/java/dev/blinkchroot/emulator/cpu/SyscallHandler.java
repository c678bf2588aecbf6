package dev.blinkchroot.emulator.cpu;

/**
 * Where SYSCALL goes: the kernel layer. On entry RIP is already past the instruction, RCX and
 * R11 hold the return address and RFLAGS as the instruction defines, and RAX holds the number;
 * the handler leaves the result in RAX.
 */
@FunctionalInterface
public interface SyscallHandler {
  void syscall(Cpu cpu);
}
