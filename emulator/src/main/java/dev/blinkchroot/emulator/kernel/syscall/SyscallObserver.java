package dev.blinkchroot.emulator.kernel.syscall;

import dev.blinkchroot.emulator.kernel.task.Task;

/**
 * Sees every system call: --strace prints them, --report counts them. {@code entry} is null for
 * an unimplemented call. Called on the guest thread, around the handler.
 */
public interface SyscallObserver {
  /** Before the handler (after the policy allowed the call). */
  default void enter(Task task, long number, SyscallTable.Entry entry, long[] args) {}

  /**
   * After the call: {@code result} is what RAX receives (a negative errno on failure);
   * {@code denied} says the policy failed or killed it without running the handler.
   */
  void exit(Task task, long number, SyscallTable.Entry entry, long[] args, long result,
      boolean denied);
}
