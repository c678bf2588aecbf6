package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.Vfs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * utimensat(2), utimes(2) and futimesat(2): decoding {@code struct timespec[2]} and {@code struct
 * timeval[2]} (16 bytes each: a 64-bit tv_sec, then tv_nsec or tv_usec as a 64-bit long) into the
 * nanosecond times of {@link Vfs#utimens}, with {@link Vfs#TIME_NOW} and {@link Vfs#TIME_OMIT}
 * for UTIME_NOW and UTIME_OMIT.
 */
final class PathTimes {
  private static final long NANOS = 1_000_000_000L;

  private PathTimes() {}

  /** utimensat(dirfd, path, times, flags). */
  static long utimensat(Task t, int dirfd, long pathAddr, long timesAddr, int flags) {
    long atime = Vfs.TIME_NOW;
    long mtime = Vfs.TIME_NOW;
    if (timesAddr != 0) {
      ByteBuffer b = ByteBuffer.wrap(GuestIo.read(t.memory(), timesAddr, 32))
          .order(ByteOrder.LITTLE_ENDIAN);
      long aSec = b.getLong(0);
      long aNsec = b.getLong(8);
      long mSec = b.getLong(16);
      long mNsec = b.getLong(24);
      if (aNsec == Fcntl.UTIME_OMIT && mNsec == Fcntl.UTIME_OMIT) {
        // Linux returns before looking at the path (or the fd) at all: nothing is to be done.
        return 0;
      }
      atime = timespec(aSec, aNsec);
      mtime = timespec(mSec, mNsec);
    }
    if ((flags & ~(Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH)) != 0) {
      throw Errno.EINVAL.exception("utimensat flags");
    }
    if (pathAddr == 0) {
      // utimensat(2): "If pathname is NULL, ... this is futimens(3)"; "EFAULT ... dirfd was
      // AT_FDCWD, and pathname is NULL"; "EINVAL pathname is NULL, dirfd is not AT_FDCWD, and
      // flags contains AT_SYMLINK_NOFOLLOW" (the kernel refuses any flag there).
      if (dirfd == Fcntl.AT_FDCWD) {
        throw Errno.EFAULT.exception();
      }
      if (flags != 0) {
        throw Errno.EINVAL.exception();
      }
      return onDescriptor(t, PathArgs.openFile(t, dirfd), atime, mtime);
    }
    byte[] path = GuestIo.readPath(t.memory(), pathAddr);
    PathArgs.Target target = PathArgs.target(t, dirfd, path, flags);
    if (target.at() == null) {
      return onDescriptor(t, target.file(), atime, mtime);
    }
    t.vfs().utimens(t.fs(), target.at(), PathArgs.EMPTY, atime, mtime, Fcntl.AT_EMPTY_PATH);
    return 0;
  }

  /** utimes(path, times) and futimesat(dirfd, path, times): struct timeval, no special values. */
  static long futimesat(Task t, int dirfd, long pathAddr, long timesAddr) {
    long atime = Vfs.TIME_NOW;
    long mtime = Vfs.TIME_NOW;
    if (timesAddr != 0) {
      ByteBuffer b = ByteBuffer.wrap(GuestIo.read(t.memory(), timesAddr, 32))
          .order(ByteOrder.LITTLE_ENDIAN);
      atime = timeval(b.getLong(0), b.getLong(8));
      mtime = timeval(b.getLong(16), b.getLong(24));
    }
    if (pathAddr == 0) {
      if (dirfd == Fcntl.AT_FDCWD) {
        throw Errno.EFAULT.exception();
      }
      return onDescriptor(t, PathArgs.openFile(t, dirfd), atime, mtime);
    }
    byte[] path = GuestIo.readPath(t.memory(), pathAddr);
    Location start = PathArgs.start(t, dirfd, path);
    t.vfs().utimens(t.fs(), start, path, atime, mtime, 0);
    return 0;
  }

  /**
   * futimens(3) on a descriptor. One outside the tree (a pipe, a terminal) keeps no times we
   * could change; the call succeeds as it does on Linux, without effect.
   */
  private static long onDescriptor(Task t, FileDescription d, long atime, long mtime) {
    Location at = d.location();
    if (at != null) {
      t.vfs().utimens(t.fs(), at, PathArgs.EMPTY, atime, mtime, Fcntl.AT_EMPTY_PATH);
    }
    return 0;
  }

  /**
   * One timespec: UTIME_NOW and UTIME_OMIT in tv_nsec (tv_sec then ignored), else tv_nsec must be
   * in [0, 999999999]: utimensat(2) "EINVAL Invalid value in one of the tv_nsec fields".
   */
  static long timespec(long sec, long nsec) {
    if (nsec == Fcntl.UTIME_NOW) {
      return Vfs.TIME_NOW;
    }
    if (nsec == Fcntl.UTIME_OMIT) {
      return Vfs.TIME_OMIT;
    }
    if (nsec < 0 || nsec >= NANOS) {
      throw Errno.EINVAL.exception("tv_nsec out of range");
    }
    return nanos(sec, nsec);
  }

  /** One timeval: tv_usec must be in [0, 999999] (utimes(2): EINVAL otherwise). */
  static long timeval(long sec, long usec) {
    if (usec < 0 || usec >= 1_000_000L) {
      throw Errno.EINVAL.exception("tv_usec out of range");
    }
    return nanos(sec, usec * 1000);
  }

  /**
   * Seconds and nanoseconds as nanoseconds since the epoch, clamped to what a long holds (Linux
   * clamps to the file system's range too); never one of the two special values.
   */
  private static long nanos(long sec, long nsec) {
    try {
      return Math.addExact(Math.multiplyExact(sec, NANOS), nsec);
    } catch (ArithmeticException overflow) {
      return sec > 0 ? Long.MAX_VALUE : Long.MIN_VALUE + 2;
    }
  }
}
