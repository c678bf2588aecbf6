package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.fd.FdTable;
import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.fd.FileLocks;
import dev.blinkchroot.emulator.kernel.fd.VfsFileDescription;
import dev.blinkchroot.emulator.kernel.ipc.MemFd;
import dev.blinkchroot.emulator.kernel.ipc.Pipe;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * fcntl(2) and flock(2).
 *
 * <p>struct flock on x86-64 (checked with gcc: {@code sizeof(struct flock)} and {@code offsetof}
 * of each field, fcntl.h): l_type@0 (short), l_whence@2 (short), l_start@8, l_len@16, l_pid@24
 * (int); 32 bytes.
 */
final class FileControl {
  static final int F_DUPFD = 0;
  static final int F_GETFD = 1;
  static final int F_SETFD = 2;
  static final int F_GETFL = 3;
  static final int F_SETFL = 4;
  static final int F_GETLK = 5;
  static final int F_SETLK = 6;
  static final int F_SETLKW = 7;
  static final int F_SETOWN = 8;
  static final int F_GETOWN = 9;
  static final int F_SETSIG = 10;
  static final int F_GETSIG = 11;
  static final int F_SETOWN_EX = 15;
  static final int F_GETOWN_EX = 16;
  static final int F_OFD_GETLK = 36;
  static final int F_OFD_SETLK = 37;
  static final int F_OFD_SETLKW = 38;
  static final int F_SETLEASE = 1024;
  static final int F_GETLEASE = 1025;
  static final int F_NOTIFY = 1026;
  static final int F_DUPFD_CLOEXEC = 1030;
  static final int F_SETPIPE_SZ = 1031;
  static final int F_GETPIPE_SZ = 1032;
  static final int F_ADD_SEALS = 1033;
  static final int F_GET_SEALS = 1034;
  static final int FD_CLOEXEC = 1;
  static final int FLOCK_SIZE = 32;

  static final int LOCK_SH = 1;
  static final int LOCK_EX = 2;
  static final int LOCK_NB = 4;
  static final int LOCK_UN = 8;

  private FileControl() {}

  static long fcntl(Task t) {
    int fd = t.intArg(0);
    int cmd = t.intArg(1);
    long arg = t.arg(2);
    FdTable fds = t.fds();
    FileDescription d = fds.get(fd);
    boolean pathOnly = (d.flags() & Fcntl.O_PATH) != 0;
    // fcntl(2) on an O_PATH descriptor: only these work (open(2), O_PATH); the rest EBADF.
    if (pathOnly && cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC && cmd != F_GETFD && cmd != F_SETFD
        && cmd != F_GETFL) {
      throw Errno.EBADF.exception();
    }
    switch (cmd) {
      case F_DUPFD:
      case F_DUPFD_CLOEXEC:
        if (arg < 0 || arg >= fds.limit()) {
          throw Errno.EINVAL.exception();
        }
        return fds.dupAtLeast(fd, (int) arg, cmd == F_DUPFD_CLOEXEC);
      case F_GETFD:
        return fds.closeOnExec(fd) ? FD_CLOEXEC : 0;
      case F_SETFD:
        fds.setCloseOnExec(fd, (arg & FD_CLOEXEC) != 0);
        return 0;
      case F_GETFL:
        return d.flags();
      case F_SETFL:
        d.setStatusFlags((int) arg);
        return 0;
      case F_GETLK:
      case F_SETLK:
      case F_SETLKW:
      case F_OFD_GETLK:
      case F_OFD_SETLK:
      case F_OFD_SETLKW:
        return recordLock(t, d, cmd, arg);
      case F_GETOWN:
      case F_GETSIG:
        return 0; // no SIGIO owner or signal is ever set: async I/O signals are not delivered
      case F_SETOWN:
        return 0;
      case F_SETSIG:
        if (arg < 0 || arg > 64) {
          throw Errno.EINVAL.exception();
        }
        return 0;
      case F_GETOWN_EX:
        GuestIo.write(t.memory(), arg, new byte[8]);
        return 0;
      case F_SETOWN_EX:
        GuestIo.read(t.memory(), arg, 8);
        return 0;
      case F_GETLEASE:
        return FileLocks.F_UNLCK;
      case F_SETLEASE:
        // No other process can open the file behind our back yet, so a lease is never broken.
        if (!(d instanceof VfsFileDescription v) || !v.isRegular()) {
          throw Errno.EINVAL.exception();
        }
        if (arg < 0 || arg > 2) {
          throw Errno.EINVAL.exception();
        }
        return 0;
      case F_NOTIFY:
        if (d.location() == null || !d.location().isDirectory()) {
          throw Errno.ENOTDIR.exception();
        }
        return 0; // accepted; directory change signals are not delivered
      case F_GETPIPE_SZ:
        return pipeOf(d).capacity();
      case F_SETPIPE_SZ:
        return pipeOf(d).setCapacity(arg & 0xffffffffL, t.fs().credentials().isRoot());
      case F_GET_SEALS:
        if (!(d instanceof MemFd m)) {
          throw Errno.EINVAL.exception();
        }
        return m.seals();
      case F_ADD_SEALS:
        if (!(d instanceof MemFd m2)) {
          throw Errno.EINVAL.exception();
        }
        m2.addSeals((int) arg);
        return 0;
      default:
        throw Errno.EINVAL.exception("fcntl command " + cmd);
    }
  }

  /** F_GETPIPE_SZ / F_SETPIPE_SZ on anything but a pipe: EBADF, as pipe_fcntl answers. */
  private static Pipe pipeOf(FileDescription d) {
    if (d instanceof Pipe.End e) {
      return e.pipe();
    }
    throw Errno.EBADF.exception();
  }

  /**
   * The record-lock commands. The range is [l_start + base, + l_len) where base is 0, the file
   * offset or the size (l_whence); l_len 0 runs to the end of file, a negative l_len covers the
   * bytes before l_start. F_OFD_* need l_pid 0 (EINVAL).
   */
  private static long recordLock(Task t, FileDescription d, int cmd, long addr) {
    ByteBuffer b = ByteBuffer.wrap(GuestIo.read(t.memory(), addr, FLOCK_SIZE))
        .order(ByteOrder.LITTLE_ENDIAN);
    int type = b.getShort(0);
    int whence = b.getShort(2);
    long start = b.getLong(8);
    long len = b.getLong(16);
    int pid = b.getInt(24);
    boolean ofd = cmd >= F_OFD_GETLK;
    if (ofd && pid != 0) {
      throw Errno.EINVAL.exception("l_pid must be 0 for OFD locks");
    }
    long base;
    switch (whence) {
      case Fcntl.SEEK_SET:
        base = 0;
        break;
      case Fcntl.SEEK_CUR:
        base = offsetOf(d);
        break;
      case Fcntl.SEEK_END:
        base = d.stat().size();
        break;
      default:
        throw Errno.EINVAL.exception();
    }
    long s;
    long e;
    try {
      s = Math.addExact(base, start);
      if (len > 0) {
        e = Math.addExact(s, len);
      } else if (len == 0) {
        e = FileLocks.TO_EOF;
      } else {
        e = s;
        s = Math.addExact(s, len);
      }
    } catch (ArithmeticException overflow) {
      throw Errno.EOVERFLOW.exception();
    }
    if (s < 0) {
      throw Errno.EINVAL.exception();
    }
    Object owner = ofd ? d : t.process();
    boolean get = cmd == F_GETLK || cmd == F_OFD_GETLK;
    if (type != FileLocks.F_RDLCK && type != FileLocks.F_WRLCK
        && (get || type != FileLocks.F_UNLCK)) {
      throw Errno.EINVAL.exception();
    }
    if (get) {
      FileLocks.Lock c = t.kernel().files().locks().conflict(d, owner, type == FileLocks.F_WRLCK, s, e);
      if (c == null) {
        b.putShort(0, (short) FileLocks.F_UNLCK);
      } else {
        b.putShort(0, (short) (c.write() ? FileLocks.F_WRLCK : FileLocks.F_RDLCK));
        b.putShort(2, (short) Fcntl.SEEK_SET);
        b.putLong(8, c.start());
        b.putLong(16, c.end() == FileLocks.TO_EOF ? 0 : c.end() - c.start());
        b.putInt(24, c.ofd() ? -1 : c.pid());
      }
      GuestIo.write(t.memory(), addr, b.array());
      return 0;
    }
    int acc = d.flags() & Fcntl.O_ACCMODE;
    if ((type == FileLocks.F_RDLCK && acc == Fcntl.O_WRONLY)
        || (type == FileLocks.F_WRLCK && acc == Fcntl.O_RDONLY)) {
      throw Errno.EBADF.exception();
    }
    t.kernel().files().locks().setLock(d, owner, t.process().pid(), ofd, type, s, e,
        cmd == F_SETLKW || cmd == F_OFD_SETLKW);
    return 0;
  }

  /** The file offset for SEEK_CUR; 0 for descriptions without one (pipes), as their f_pos. */
  private static long offsetOf(FileDescription d) {
    try {
      return d.seek(0, Fcntl.SEEK_CUR);
    } catch (ErrnoException e) {
      return 0;
    }
  }

  /** flock(2): LOCK_SH, LOCK_EX or LOCK_UN, optionally | LOCK_NB; other values EINVAL. */
  static long flock(Task t) {
    FileDescription d = t.fds().get(t.intArg(0));
    if ((d.flags() & Fcntl.O_PATH) != 0) {
      throw Errno.EBADF.exception();
    }
    int op = t.intArg(1);
    int cmd = op & ~LOCK_NB;
    if (cmd != LOCK_SH && cmd != LOCK_EX && cmd != LOCK_UN) {
      throw Errno.EINVAL.exception();
    }
    t.kernel().files().locks().flock(d, cmd == LOCK_UN, cmd == LOCK_EX, (op & LOCK_NB) != 0);
    return 0;
  }
}
