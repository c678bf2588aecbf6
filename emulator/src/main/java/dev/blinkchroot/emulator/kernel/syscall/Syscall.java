package dev.blinkchroot.emulator.kernel.syscall;

import dev.blinkchroot.emulator.kernel.task.Task;

/**
 * The handler of one system call. It reads its arguments from the task ({@link Task#arg}),
 * returns the result (a non-negative value, or a negative errno), or throws an
 * {@link dev.blinkchroot.vfs.ErrnoException}; the dispatcher turns either into RAX.
 */
@FunctionalInterface
public interface Syscall {
  long call(Task task);
}
