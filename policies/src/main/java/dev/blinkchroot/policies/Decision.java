package dev.blinkchroot.policies;

/**
 * What a policy decided for one call: run it, fail it with an errno without running it, kill
 * the calling process, or run it and log it.
 */
public record Decision(Kind kind, int errno) {
  public enum Kind {
    ALLOW,
    ERRNO,
    KILL,
    LOG
  }

  public static final Decision ALLOW = new Decision(Kind.ALLOW, 0);
  public static final Decision KILL = new Decision(Kind.KILL, 0);
  public static final Decision LOG = new Decision(Kind.LOG, 0);

  /** Fail the call with {@code errno} (a positive Linux error number). */
  public static Decision errno(int errno) {
    if (errno <= 0 || errno > 4095) {
      throw new IllegalArgumentException("errno out of range: " + errno);
    }
    return new Decision(Kind.ERRNO, errno);
  }
}
