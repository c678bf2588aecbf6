package dev.blinkchroot.emulator.kernel.task;

/**
 * Thrown by a successful execve after the new program is loaded: the task's run loop catches it
 * and continues with a fresh interpreter over the new address space.
 */
public final class ExecCompleted extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ExecCompleted() {
    super(null, null, false, false);
  }
}
