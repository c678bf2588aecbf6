package dev.blinkchroot.runner;

/** The exit statuses of blink-chroot itself (a guest program's own status passes through later). */
public final class ExitStatus {
  private ExitStatus() {}

  public static final int OK = 0;
  /** Something failed at run time: a missing file, a corrupt archive, an I/O error. */
  public static final int FAILURE = 1;
  /** The command line was wrong. */
  public static final int USAGE = 2;
  /** stdout was closed under us, as a shell reports a process killed by SIGPIPE (128 + 13). */
  public static final int BROKEN_PIPE = 141;
}
