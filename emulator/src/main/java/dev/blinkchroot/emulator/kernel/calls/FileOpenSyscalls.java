package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.ipc.EventFd;
import dev.blinkchroot.emulator.kernel.ipc.MemFd;
import dev.blinkchroot.emulator.kernel.ipc.Pipe;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Calls that make, copy and close descriptors, and the per-descriptor controls: open, openat,
 * openat2, creat (one helper: {@link Opens}), close, close_range, dup, dup2, dup3, pipe, pipe2,
 * eventfd2, memfd_create, ioctl, fcntl and flock ({@link FileControl}).
 */
public final class FileOpenSyscalls {
  private FileOpenSyscalls() {}

  /** open_how (linux/openat2.h): flags@0, mode@8, resolve@16 (u64 each); 24 bytes (gcc). */
  static final int OPEN_HOW_SIZE_VER0 = 24;
  private static final int PAGE_SIZE = 4096;
  /** VALID_OPEN_FLAGS: what openat2 accepts (open and openat ignore unknown bits). */
  static final int VALID_OPEN_FLAGS = Fcntl.O_ACCMODE | Fcntl.O_CREAT | Fcntl.O_EXCL
      | Fcntl.O_NOCTTY | Fcntl.O_TRUNC | Fcntl.O_APPEND | Fcntl.O_NONBLOCK | Fcntl.O_DSYNC
      | 020000 /* FASYNC */ | Fcntl.O_DIRECT | Fcntl.O_LARGEFILE | Fcntl.O_DIRECTORY
      | Fcntl.O_NOFOLLOW | Fcntl.O_NOATIME | Fcntl.O_CLOEXEC | Fcntl.O_SYNC | Fcntl.O_PATH
      | Fcntl.O_TMPFILE;
  /** O_PATH_FLAGS: what may accompany O_PATH in openat2. */
  static final int O_PATH_FLAGS = Fcntl.O_DIRECTORY | Fcntl.O_NOFOLLOW | Fcntl.O_PATH
      | Fcntl.O_CLOEXEC;
  static final int CLOSE_RANGE_UNSHARE = 2;
  static final int CLOSE_RANGE_CLOEXEC = 4;
  /** O_NOTIFICATION_PIPE (= O_EXCL): needs CONFIG_WATCH_QUEUE, which we do not have. */
  static final int O_NOTIFICATION_PIPE = Fcntl.O_EXCL;

  static final int FIONREAD = 0x541b;
  static final int FIONBIO = 0x5421;
  static final int FIONCLEX = 0x5450;
  static final int FIOCLEX = 0x5451;
  static final int FIOASYNC = 0x5452;
  private static final int O_ASYNC = 020000;

  /** open(path,oflags,mode) */
  public static long open(Task t) {
    return Opens.open(t, Fcntl.AT_FDCWD, t.arg(0), t.intArg(1), t.intArg(2), -1);
  }

  /** openat(dirfd,path,oflags,mode) */
  public static long openat(Task t) {
    return Opens.open(t, t.intArg(0), t.arg(1), t.intArg(2), t.intArg(3), -1);
  }

  /** creat(path,mode): open(path, O_CREAT|O_WRONLY|O_TRUNC, mode). */
  public static long creat(Task t) {
    return Opens.open(t, Fcntl.AT_FDCWD, t.arg(0),
        Fcntl.O_CREAT | Fcntl.O_WRONLY | Fcntl.O_TRUNC, t.intArg(1), -1);
  }

  /**
   * openat2(dirfd,path,ptr,size). The struct is copied as copy_struct_from_user does: size below
   * 24 is EINVAL, above a page E2BIG, and bytes past what we know must be zero (E2BIG). Then, as
   * openat2(2) lists them: unknown flags or resolve bits, mode bits outside 07777, a mode without
   * O_CREAT/O_TMPFILE, O_PATH with other flags, and RESOLVE_BENEATH with RESOLVE_IN_ROOT give
   * EINVAL.
   */
  public static long openat2(Task t) {
    int dirfd = t.intArg(0);
    long howAddr = t.arg(2);
    long size = t.arg(3);
    if (Long.compareUnsigned(size, OPEN_HOW_SIZE_VER0) < 0) {
      throw Errno.EINVAL.exception("open_how too small");
    }
    if (Long.compareUnsigned(size, PAGE_SIZE) > 0) {
      throw Errno.E2BIG.exception();
    }
    byte[] raw = GuestIo.read(t.memory(), howAddr, (int) size);
    for (int i = OPEN_HOW_SIZE_VER0; i < raw.length; i++) {
      if (raw[i] != 0) {
        throw Errno.E2BIG.exception("unknown open_how fields");
      }
    }
    ByteBuffer how = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    long flags = how.getLong(0);
    long mode = how.getLong(8);
    long resolve = how.getLong(16);
    if ((flags & ~(VALID_OPEN_FLAGS & 0xffffffffL)) != 0) {
      throw Errno.EINVAL.exception("unknown open flags");
    }
    if ((mode & ~07777L) != 0) {
      throw Errno.EINVAL.exception("mode");
    }
    int f = (int) flags;
    boolean creates = (f & Fcntl.O_CREAT) != 0 || (f & Fcntl.O_TMPFILE) == Fcntl.O_TMPFILE;
    if (mode != 0 && !creates) {
      throw Errno.EINVAL.exception("mode without O_CREAT");
    }
    if ((f & Fcntl.O_PATH) != 0 && (f & ~O_PATH_FLAGS) != 0) {
      throw Errno.EINVAL.exception("O_PATH with other flags");
    }
    if ((resolve & ~OpenResolve.ALL) != 0) {
      throw Errno.EINVAL.exception("unknown resolve flags");
    }
    if ((resolve & OpenResolve.RESOLVE_BENEATH) != 0
        && (resolve & OpenResolve.RESOLVE_IN_ROOT) != 0) {
      throw Errno.EINVAL.exception("RESOLVE_BENEATH with RESOLVE_IN_ROOT");
    }
    return Opens.open(t, dirfd, t.arg(1), f, (int) mode, resolve);
  }

  /** close(fd): also drops the process's POSIX locks on the file (fcntl(2)). */
  public static long close(Task t) {
    closeFd(t, t.intArg(0));
    return 0;
  }

  private static void closeFd(Task t, int fd) {
    FileDescription d = t.fds().get(fd);
    t.kernel().files().locks().processClosed(t.process(), d);
    t.fds().close(fd);
  }

  /**
   * close_range(first,last,flags): first and last are unsigned; EINVAL for first > last or an
   * unknown flag. CLOSE_RANGE_CLOEXEC marks instead of closing; CLOSE_RANGE_UNSHARE needs no
   * work here (the table is unshared before closing: ours is the process's own).
   */
  public static long closeRange(Task t) {
    long first = t.arg(0) & 0xffffffffL;
    long last = t.arg(1) & 0xffffffffL;
    int flags = t.intArg(2);
    if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) != 0 || first > last) {
      throw Errno.EINVAL.exception();
    }
    int lo = (int) Math.min(first, Integer.MAX_VALUE);
    int hi = (int) Math.min(last, Integer.MAX_VALUE);
    if ((flags & CLOSE_RANGE_CLOEXEC) != 0) {
      t.fds().closeRange(lo, hi, true);
      return 0;
    }
    for (int fd : t.fds().openDescriptors()) {
      if (fd >= lo && fd <= hi) {
        try {
          closeFd(t, fd);
        } catch (ErrnoException e) {
          // closed by another thread meanwhile
        }
      }
    }
    return 0;
  }

  /** dup(fd) */
  public static long dup(Task t) {
    return t.fds().dupAtLeast(t.intArg(0), 0, false);
  }

  /** dup2(fd,fd): the same descriptor twice returns it if valid. */
  public static long dup2(Task t) {
    int oldFd = t.intArg(0);
    int newFd = t.intArg(1);
    if (oldFd == newFd) {
      t.fds().get(oldFd);
      return newFd;
    }
    return dupOnto(t, oldFd, newFd, false);
  }

  /** dup3(fd,fd,oflags): only O_CLOEXEC; the same descriptor twice is EINVAL. */
  public static long dup3(Task t) {
    int oldFd = t.intArg(0);
    int newFd = t.intArg(1);
    int flags = t.intArg(2);
    if ((flags & ~Fcntl.O_CLOEXEC) != 0 || oldFd == newFd) {
      throw Errno.EINVAL.exception();
    }
    return dupOnto(t, oldFd, newFd, (flags & Fcntl.O_CLOEXEC) != 0);
  }

  /** dup2/dup3: a file that was open at newFd is closed as close(2) would (its locks go). */
  private static long dupOnto(Task t, int oldFd, int newFd, boolean closeOnExec) {
    FileDescription replaced = null;
    try {
      replaced = t.fds().get(newFd);
    } catch (ErrnoException e) {
      // newFd was free
    }
    int fd = t.fds().dupTo(oldFd, newFd, closeOnExec);
    if (replaced != null) {
      t.kernel().files().locks().processClosed(t.process(), replaced);
    }
    return fd;
  }

  /** pipe(ptr) */
  public static long pipe(Task t) {
    return makePipe(t, t.arg(0), 0);
  }

  /**
   * pipe2(ptr,oflags): O_CLOEXEC, O_NONBLOCK, O_DIRECT (packet mode); anything else EINVAL
   * (O_NOTIFICATION_PIPE too: no watch queues). If the two descriptors cannot be stored, both
   * are closed again and the call fails with EFAULT, as Linux does.
   */
  public static long pipe2(Task t) {
    return makePipe(t, t.arg(0), t.intArg(1));
  }

  private static long makePipe(Task t, long fdsAddr, int flags) {
    if ((flags & ~(Fcntl.O_CLOEXEC | Fcntl.O_NONBLOCK | Fcntl.O_DIRECT)) != 0) {
      throw Errno.EINVAL.exception();
    }
    boolean cloexec = (flags & Fcntl.O_CLOEXEC) != 0;
    Pipe.End[] ends = Pipe.create(t, flags);
    int readFd;
    try {
      readFd = t.fds().add(ends[0], cloexec);
    } catch (ErrnoException e) {
      ends[0].close();
      ends[1].close();
      throw e;
    }
    int writeFd;
    try {
      writeFd = t.fds().add(ends[1], cloexec);
    } catch (ErrnoException e) {
      t.fds().close(readFd);
      ends[1].close();
      throw e;
    }
    byte[] out = new byte[8];
    ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(readFd).putInt(writeFd);
    try {
      GuestIo.write(t.memory(), fdsAddr, out);
    } catch (ErrnoException e) {
      t.fds().close(readFd);
      t.fds().close(writeFd);
      throw e;
    }
    return 0;
  }

  /** eventfd2(int,oflags): EFD_SEMAPHORE, EFD_NONBLOCK, EFD_CLOEXEC; others EINVAL. */
  public static long eventfd2(Task t) {
    long initial = t.arg(0) & 0xffffffffL;
    int flags = t.intArg(1);
    if ((flags & ~(EventFd.EFD_SEMAPHORE | EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC)) != 0) {
      throw Errno.EINVAL.exception();
    }
    Opens.requireFreeDescriptor(t.fds());
    return Opens.install(t, new EventFd(initial, flags, t.kernel().files()), (flags & EventFd.EFD_CLOEXEC) != 0);
  }

  /**
   * memfd_create(str,hex): flags MFD_CLOEXEC, MFD_ALLOW_SEALING, MFD_HUGETLB (with its size
   * bits; served by ordinary memory), MFD_NOEXEC_SEAL, MFD_EXEC (not both); a name over 249
   * bytes is EINVAL.
   */
  public static long memfdCreate(Task t) {
    int flags = t.intArg(1);
    int known = MemFd.MFD_CLOEXEC | MemFd.MFD_ALLOW_SEALING | MemFd.MFD_HUGETLB
        | MemFd.MFD_NOEXEC_SEAL | MemFd.MFD_EXEC;
    if ((flags & MemFd.MFD_HUGETLB) != 0) {
      known |= 0x3f << 26; // MFD_HUGE_MASK << MFD_HUGE_SHIFT
    }
    if ((flags & ~known) != 0) {
      throw Errno.EINVAL.exception();
    }
    if ((flags & MemFd.MFD_NOEXEC_SEAL) != 0 && (flags & MemFd.MFD_EXEC) != 0) {
      throw Errno.EINVAL.exception();
    }
    byte[] name;
    try {
      name = GuestIo.readCString(t.memory(), t.arg(0), MemFd.MFD_NAME_MAX_LEN);
    } catch (ErrnoException e) {
      throw e.errno() == Errno.ENAMETOOLONG ? Errno.EINVAL.exception("name too long") : e;
    }
    Opens.requireFreeDescriptor(t.fds());
    MemFd m = MemFd.create(t.kernel().files(), name, flags, t.fs().credentials());
    return Opens.install(t, m, (flags & MemFd.MFD_CLOEXEC) != 0);
  }

  /**
   * ioctl(fd,ioctl,ptr). The generic requests every descriptor has (FIOCLEX, FIONCLEX, FIONBIO,
   * FIOASYNC; FIONREAD where the description knows how much is readable) are answered here; the
   * rest go to the description, ENOTTY unless it is a terminal or device that knows them. An
   * O_PATH descriptor gives EBADF.
   */
  public static long ioctl(Task t) {
    int fd = t.intArg(0);
    int request = t.intArg(1);
    long arg = t.arg(2);
    FileDescription d = t.fds().get(fd);
    if ((d.flags() & Fcntl.O_PATH) != 0) {
      throw Errno.EBADF.exception();
    }
    switch (request) {
      case FIOCLEX:
        t.fds().setCloseOnExec(fd, true);
        return 0;
      case FIONCLEX:
        t.fds().setCloseOnExec(fd, false);
        return 0;
      case FIONBIO:
        setFlag(d, Fcntl.O_NONBLOCK, GuestIo.readInt(t.memory(), arg) != 0);
        return 0;
      case FIOASYNC:
        setFlag(d, O_ASYNC, GuestIo.readInt(t.memory(), arg) != 0);
        return 0;
      case FIONREAD: {
        int n = d.available();
        if (n < 0) {
          return d.ioctl(t, request, arg);
        }
        GuestIo.writeInt(t.memory(), arg, n);
        return 0;
      }
      default:
        return d.ioctl(t, request, arg);
    }
  }

  private static void setFlag(FileDescription d, int flag, boolean on) {
    int flags = d.flags();
    d.setStatusFlags(on ? flags | flag : flags & ~flag);
  }

  /** fcntl(fd,fcntlcmd,hex) */
  public static long fcntl(Task t) {
    return FileControl.fcntl(t);
  }

  /** flock(fd,flockop) */
  public static long flock(Task t) {
    return FileControl.flock(t);
  }
}
