package dev.blinkchroot.emulator.kernel.fd;

import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.Stat;

/**
 * The poll(2) event bits and the readiness a {@link FileDescription} reports when it has no
 * poll method of its own ({@link FileDescription#pollReady}). Values checked against the host's
 * poll.h with {@code gcc -D_GNU_SOURCE lay.c} printing POLLIN..POLLRDHUP (and struct pollfd: 8
 * bytes, fd@0 events@4 revents@6).
 */
public final class PollEvents {
  private PollEvents() {}

  public static final int POLLIN = 0x1;
  public static final int POLLPRI = 0x2;
  public static final int POLLOUT = 0x4;
  public static final int POLLERR = 0x8;
  public static final int POLLHUP = 0x10;
  public static final int POLLNVAL = 0x20;
  public static final int POLLRDNORM = 0x40;
  public static final int POLLRDBAND = 0x80;
  public static final int POLLWRNORM = 0x100;
  public static final int POLLWRBAND = 0x200;
  public static final int POLLMSG = 0x400;
  public static final int POLLRDHUP = 0x2000;

  public static final int READABLE = POLLIN | POLLRDNORM;
  public static final int WRITABLE = POLLOUT | POLLWRNORM;
  /**
   * What Linux reports for a file whose driver has no poll method (DEFAULT_POLLMASK): regular
   * files, directories, /dev/null... "always readable and writable" (a native poll of /dev/null
   * asking for every event gives 0x145).
   */
  public static final int DEFAULT_POLLMASK = READABLE | WRITABLE;

  private static final int S_IFMT = 0170000;
  private static final int S_IFIFO = 0010000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFDIR = 0040000;

  /**
   * The default readiness, derived from the description's type and {@link
   * FileDescription#available}: regular files and directories are always ready ({@link
   * #DEFAULT_POLLMASK}); anything else (a pipe-like host stream, a terminal, a device) is
   * writable, and readable when available() is not 0 (-1, "unknown", counts as ready, as a
   * driver without poll would). A FIFO- or socket-typed description is only readable/writable
   * in the directions its access mode allows, as a pipe end is on Linux.
   */
  public static int defaultReadiness(FileDescription d) {
    int type;
    try {
      Stat st = d.stat();
      type = st.mode() & S_IFMT;
    } catch (ErrnoException e) {
      type = 0;
    }
    if (type == S_IFREG || type == S_IFDIR) {
      return DEFAULT_POLLMASK;
    }
    int ready = WRITABLE;
    if (d.available() != 0) {
      ready |= READABLE;
    }
    if (type == S_IFIFO || type == S_IFSOCK) {
      int acc = d.flags() & Fcntl.O_ACCMODE;
      if (acc == Fcntl.O_WRONLY) {
        ready &= ~READABLE;
      } else if (acc == Fcntl.O_RDONLY) {
        ready &= ~WRITABLE;
      }
    }
    return ready;
  }
}
