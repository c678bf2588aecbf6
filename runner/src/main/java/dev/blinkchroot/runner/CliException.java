package dev.blinkchroot.runner;

/**
 * A failure the user caused or can fix, with the one line to show after "blink-chroot: " and the
 * exit status. Stackless: it is a message, not a bug report.
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitStatus;

  public CliException(String message) {
    this(message, ExitStatus.FAILURE);
  }

  public CliException(String message, int exitStatus) {
    super(message, null, false, false);
    this.exitStatus = exitStatus;
  }

  public int exitStatus() {
    return exitStatus;
  }
}
