package dev.blinkchroot.emulator.kernel.task;

/**
 * Unwinds a guest thread whose process is ending: exit_group, a fatal signal, or a failed
 * exec. {@link #status()} is the wait status encoding: exit code {@code << 8}, or the signal
 * number (with 0x80 when a core would be dumped).
 */
public final class ProcessExit extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  private ProcessExit(int status) {
    super(null, null, false, false);
    this.status = status;
  }

  public static ProcessExit exited(int code) {
    return new ProcessExit((code & 0xff) << 8);
  }

  /** The task ends with wait status {@code status} (exit and exit_group's encoding). */
  public static ProcessExit withStatus(int status) {
    return new ProcessExit(status);
  }

  public static ProcessExit killed(int signal) {
    return new ProcessExit(signal & 0x7f);
  }

  /** The wait(2) status. */
  public int status() {
    return status;
  }

  /** What a shell reports: the exit code, or 128 + the signal number. */
  public int shellStatus() {
    return shellStatus(status);
  }

  /** What a shell reports for wait status {@code status}. */
  public static int shellStatus(int status) {
    return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
  }
}
