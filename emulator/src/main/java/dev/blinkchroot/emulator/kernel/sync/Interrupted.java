package dev.blinkchroot.emulator.kernel.sync;

/**
 * A blocking call was interrupted by a signal, and how the call may be restarted: Linux's
 * kernel-internal ERESTART* codes. Blocking code deep below a system call throws it (stackless);
 * the dispatcher turns it into the call's result, -{@link #code()}, and signal delivery then
 * decides whether the guest sees EINTR or the call runs again (signal(7), "Interruption of
 * system calls and library functions by signal handlers"). A handler may also return one of the
 * negated codes as its value.
 */
public final class Interrupted extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Restarted if the handler has SA_RESTART, or if no handler runs (read, write, wait4...). */
  public static final int ERESTARTSYS = 512;
  /** Always restarted (calls that must not fail with EINTR). */
  public static final int ERESTARTNOINTR = 513;
  /** Restarted only if no handler runs (select, pause, sigsuspend...). */
  public static final int ERESTARTNOHAND = 514;
  /** Restarted through restart_syscall with the task's restart block (nanosleep). */
  public static final int ERESTART_RESTARTBLOCK = 516;

  /** The interruption of an ordinary blocking call (pipe, FIFO, eventfd, lock, wait). */
  public static final Interrupted RESTART_SYS = new Interrupted(ERESTARTSYS);
  /** The interruption of a call that never restarts after a handler ran. */
  public static final Interrupted RESTART_NOHAND = new Interrupted(ERESTARTNOHAND);

  private final int code;

  private Interrupted(int code) {
    super(null, null, false, false);
    this.code = code;
  }

  /** The ERESTART* code (positive). */
  public int code() {
    return code;
  }

  /** Whether {@code result}, a system call's return value, asks for a restart decision. */
  public static boolean isRestart(long result) {
    return result <= -ERESTARTSYS && result >= -ERESTART_RESTARTBLOCK && result != -515;
  }

  /** The name strace gives a restart code. */
  public static String name(int code) {
    switch (code) {
      case ERESTARTSYS:
        return "ERESTARTSYS (To be restarted if SA_RESTART is set)";
      case ERESTARTNOINTR:
        return "ERESTARTNOINTR (To be restarted)";
      case ERESTARTNOHAND:
        return "ERESTARTNOHAND (To be restarted if no handler)";
      default:
        return "ERESTART_RESTARTBLOCK (Interrupted by signal)";
    }
  }
}
