package dev.blinkchroot.emulator.kernel.dev;

import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Stat;
import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * The character devices blink-chroot drives, with Linux's numbers (Documentation/admin-guide/
 * devices.txt: major 1 is "memory devices", 5:0 is /dev/tty) and the behaviour null(4),
 * zero(4), full(4) and random(4) describe. A node on the image made by mknod with one of these
 * numbers gets the same driver whatever its name.
 */
public enum CharDevice {
  /**
   * null(4): "Data written to the /dev/null ... special files is discarded. Reads from /dev/null
   * always return end of file".
   */
  NULL("null", 1, 3),
  /** zero(4): "Reads from /dev/zero always return bytes containing zero". Writes are discarded. */
  ZERO("zero", 1, 5),
  /** full(4): "Writes to /dev/full fail with an ENOSPC error"; reads return zeros. */
  FULL("full", 1, 7),
  /** random(4): /dev/random no longer blocks once the pool is initialised (Linux 5.6+). */
  RANDOM("random", 1, 8),
  /** random(4): "Writing to /dev/random or /dev/urandom will update the entropy pool". */
  URANDOM("urandom", 1, 9),
  /** tty(4): the controlling terminal; opening it without one gives ENXIO. */
  TTY("tty", 5, 0);

  private static final SecureRandom RANDOM_SOURCE = new SecureRandom();
  private static final int CHUNK = 64 * 1024;

  private final String nodeName;
  private final int major;
  private final int minor;

  CharDevice(String nodeName, int major, int minor) {
    this.nodeName = nodeName;
    this.major = major;
    this.minor = minor;
  }

  /** The name of its node in /dev. */
  public String nodeName() {
    return nodeName;
  }

  public long rdev() {
    return Stat.makedev(major, minor);
  }

  /** The device {@code rdev} names, or null for one blink-chroot does not drive. */
  public static CharDevice of(long rdev) {
    int ma = Stat.major(rdev);
    int mi = Stat.minor(rdev);
    for (CharDevice d : values()) {
      if (d.major == ma && d.minor == mi) {
        return d;
      }
    }
    return null;
  }

  /** read(2) on the device. */
  int read(ByteBuffer dst) {
    int n = dst.remaining();
    switch (this) {
      case NULL:
        return 0;
      case ZERO:
      case FULL:
        if (dst.hasArray()) {
          java.util.Arrays.fill(dst.array(), dst.arrayOffset() + dst.position(),
              dst.arrayOffset() + dst.position() + n, (byte) 0);
          dst.position(dst.position() + n);
        } else {
          byte[] zeros = new byte[Math.min(n, CHUNK)];
          while (dst.hasRemaining()) {
            dst.put(zeros, 0, Math.min(zeros.length, dst.remaining()));
          }
        }
        return n;
      case RANDOM:
      case URANDOM: {
        byte[] chunk = new byte[Math.min(n, CHUNK)];
        while (dst.hasRemaining()) {
          RANDOM_SOURCE.nextBytes(chunk);
          dst.put(chunk, 0, Math.min(chunk.length, dst.remaining()));
        }
        return n;
      }
      default:
        throw Errno.ENXIO.exception();
    }
  }

  /** write(2) on the device. */
  int write(ByteBuffer src) {
    if (this == FULL) {
      throw Errno.ENOSPC.exception();
    }
    if (this == TTY) {
      throw Errno.ENXIO.exception();
    }
    // null, zero, random, urandom: accepted and discarded (we do not mix guest bytes into the
    // host's entropy; nothing a program can observe depends on it).
    int n = src.remaining();
    src.position(src.limit());
    return n;
  }
}
