package dev.blinkchroot.emulator.kernel.syscall;

import dev.blinkchroot.emulator.kernel.task.Task;

/**
 * The handler of a system call that may change the task's course (execve, exit, exit_group):
 * it returns what happens next as an {@link Outcome} rather than throwing for control flow.
 * Errors are still an {@link dev.blinkchroot.vfs.ErrnoException}.
 */
@FunctionalInterface
public interface ControlSyscall {
  Outcome call(Task task);
}
