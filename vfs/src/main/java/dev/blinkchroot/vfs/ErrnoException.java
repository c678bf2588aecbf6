package dev.blinkchroot.vfs;

/**
 * A Linux error travelling up to the syscall boundary (or the command line), where exactly one
 * place turns it into {@code -errno} or a message. Stackless: errors are ordinary control flow
 * for a kernel and must cost no more than a return.
 */
public final class ErrnoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Errno errno;
  private final String detail;

  ErrnoException(Errno errno, String detail) {
    super(detail == null ? errno.name() : errno.name() + ": " + detail, null, false, false);
    this.errno = errno;
    this.detail = detail;
  }

  public Errno errno() {
    return errno;
  }

  /** What the thrower said beyond the errno (for logs and diagnostics), or null. */
  public String detail() {
    return detail;
  }
}
