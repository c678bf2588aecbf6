package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.GuestBuffers;
import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.fd.VfsFileDescription;
import dev.blinkchroot.emulator.kernel.ipc.MemFd;
import dev.blinkchroot.emulator.kernel.ipc.Pipe;
import dev.blinkchroot.emulator.kernel.task.SignalSender;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.Stat;
import java.nio.ByteBuffer;

/**
 * Data through descriptors: read, write and their vector and positioned forms, lseek, the sync
 * calls, truncate, fallocate, fadvise64, readahead; sendfile, copy_file_range and splice live in
 * {@link FileTransfers}. Guest buffers go through {@link GuestBuffers} (access_ok, EFAULT and
 * partial transfers, bounded chunks).
 *
 * <p>Error order follows vfs_read/vfs_write: EBADF (bad descriptor, O_PATH, or not open for
 * that direction), then EFAULT for a range outside user space, then what the file says.
 */
public final class FileIoSyscalls {
  private FileIoSyscalls() {}

  static final int RWF_HIPRI = 1;
  static final int RWF_DSYNC = 2;
  static final int RWF_SYNC = 4;
  static final int RWF_NOWAIT = 8;
  static final int RWF_APPEND = 0x10;
  static final int RWF_SUPPORTED = RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND;

  static final int FALLOC_FL_KEEP_SIZE = 1;
  static final int FALLOC_FL_PUNCH_HOLE = 2;
  /** Every mode bit Linux knows (vfs_fallocate's FALLOC_FL_SUPPORTED_MASK). */
  static final int FALLOC_FL_SUPPORTED_MASK = 0x7f;

  /** A descriptor that may be read (EBADF for O_PATH or write-only). */
  static FileDescription readable(Task t, int fd) {
    FileDescription d = t.fds().get(fd);
    int flags = d.flags();
    if ((flags & Fcntl.O_PATH) != 0 || (flags & Fcntl.O_ACCMODE) == Fcntl.O_WRONLY) {
      throw Errno.EBADF.exception();
    }
    return d;
  }

  /** A descriptor that may be written (EBADF for O_PATH or read-only). */
  static FileDescription writable(Task t, int fd) {
    FileDescription d = t.fds().get(fd);
    int flags = d.flags();
    if ((flags & Fcntl.O_PATH) != 0 || (flags & Fcntl.O_ACCMODE) == Fcntl.O_RDONLY) {
      throw Errno.EBADF.exception();
    }
    return d;
  }

  /** Any descriptor but an O_PATH one (fdget: EBADF). */
  static FileDescription usable(Task t, int fd) {
    FileDescription d = t.fds().get(fd);
    if ((d.flags() & Fcntl.O_PATH) != 0) {
      throw Errno.EBADF.exception();
    }
    return d;
  }

  static boolean isRegular(FileDescription d) {
    return d instanceof VfsFileDescription v && v.isRegular();
  }

  private static long readInto(Task t, FileDescription d, GuestBuffers b) {
    return b.readInto(t.memory(), (dst, done) -> d.read(dst), isRegular(d));
  }

  private static long preadInto(Task t, FileDescription d, GuestBuffers b, long offset) {
    return b.readInto(t.memory(), (dst, done) -> d.pread(dst, offset + done), isRegular(d));
  }

  private static long writeFrom(Task t, FileDescription d, GuestBuffers b) {
    return raisingSigpipe(t, () -> b.writeFrom(t.memory(), (src, done) -> d.write(src)));
  }

  /**
   * Runs a write; a write to a pipe (or FIFO, or host stream) nobody reads any more fails with
   * EPIPE and sends the thread SIGPIPE (pipe(7): "the calling process is sent a SIGPIPE signal").
   */
  static long raisingSigpipe(Task t, java.util.function.LongSupplier write) {
    try {
      return write.getAsLong();
    } catch (ErrnoException e) {
      if (e.errno() == Errno.EPIPE) {
        SignalSender.brokenPipe(t);
      }
      throw e;
    }
  }

  private static long pwriteFrom(Task t, FileDescription d, GuestBuffers b, long offset) {
    return b.writeFrom(t.memory(), (src, done) -> d.pwrite(src, offset + done));
  }

  /** read(fd,obuf:2,size) */
  public static long read(Task t) {
    FileDescription d = readable(t, t.intArg(0));
    return readInto(t, d, GuestBuffers.single(t.arg(1), t.arg(2)));
  }

  /** write(fd,buf:2,size) */
  public static long write(Task t) {
    FileDescription d = writable(t, t.intArg(0));
    return writeFrom(t, d, GuestBuffers.single(t.arg(1), t.arg(2)));
  }

  /**
   * The checks of the positioned calls, in ksys_pread64's order: EINVAL for a negative offset
   * (before the descriptor is even looked at), EBADF, then ESPIPE where the description has no
   * positions (a pipe, FIFO, terminal, eventfd).
   */
  private static FileDescription positioned(Task t, int fd, long offset) {
    if (offset < 0) {
      throw Errno.EINVAL.exception();
    }
    FileDescription d = usable(t, fd);
    d.seek(0, Fcntl.SEEK_CUR);
    return d;
  }

  /** pread64(fd,obuf:2,size,offset): the file offset does not move. */
  public static long pread64(Task t) {
    positioned(t, t.intArg(0), t.arg(3));
    FileDescription d = readable(t, t.intArg(0));
    return preadInto(t, d, GuestBuffers.single(t.arg(1), t.arg(2)), t.arg(3));
  }

  /** pwrite64(fd,buf:2,size,offset): with O_APPEND the data goes to the end (pwrite(2) BUGS). */
  public static long pwrite64(Task t) {
    positioned(t, t.intArg(0), t.arg(3));
    FileDescription d = writable(t, t.intArg(0));
    return pwriteFrom(t, d, GuestBuffers.single(t.arg(1), t.arg(2)), t.arg(3));
  }

  /** readv(fd,iovec:2,int) */
  public static long readv(Task t) {
    FileDescription d = readable(t, t.intArg(0));
    return readInto(t, d, GuestBuffers.vector(t.memory(), t.arg(1), t.arg(2)));
  }

  /** writev(fd,iovec:2,int) */
  public static long writev(Task t) {
    FileDescription d = writable(t, t.intArg(0));
    return writeFrom(t, d, GuestBuffers.vector(t.memory(), t.arg(1), t.arg(2)));
  }

  /** preadv(fd,iovec:2,int,offset): on x86-64 the offset is all of pos_l (pos_h is ignored). */
  public static long preadv(Task t) {
    return vectorRead(t, false, 0);
  }

  /** pwritev(fd,iovec:2,int,offset) */
  public static long pwritev(Task t) {
    return vectorWrite(t, false, 0);
  }

  /**
   * preadv2(fd, iov, iovcnt, pos_l, pos_h, flags): offset -1 means the file offset (as readv);
   * the RWF_* flags are arg 5 (after pos_h). RWF_HIPRI, RWF_DSYNC, RWF_SYNC and RWF_NOWAIT are
   * accepted (our files never wait for I/O); others EOPNOTSUPP.
   */
  public static long preadv2(Task t) {
    return vectorRead(t, true, t.intArg(5));
  }

  /** pwritev2(fd, iov, iovcnt, pos_l, pos_h, flags): RWF_APPEND writes at the end. */
  public static long pwritev2(Task t) {
    return vectorWrite(t, true, t.intArg(5));
  }

  private static long vectorRead(Task t, boolean v2, int rwf) {
    long offset = t.arg(3);
    boolean atFileOffset = v2 && offset == -1;
    if (!atFileOffset) {
      positioned(t, t.intArg(0), offset);
    }
    FileDescription d = readable(t, t.intArg(0));
    GuestBuffers b = GuestBuffers.vector(t.memory(), t.arg(1), t.arg(2));
    if ((rwf & ~RWF_SUPPORTED) != 0) {
      throw Errno.EOPNOTSUPP.exception();
    }
    return atFileOffset ? readInto(t, d, b) : preadInto(t, d, b, offset);
  }

  private static long vectorWrite(Task t, boolean v2, int rwf) {
    long offset = t.arg(3);
    boolean atFileOffset = v2 && offset == -1;
    if (!atFileOffset) {
      positioned(t, t.intArg(0), offset);
    }
    FileDescription d = writable(t, t.intArg(0));
    GuestBuffers b = GuestBuffers.vector(t.memory(), t.arg(1), t.arg(2));
    if ((rwf & ~RWF_SUPPORTED) != 0) {
      throw Errno.EOPNOTSUPP.exception();
    }
    if ((rwf & RWF_APPEND) != 0 && !atFileOffset) {
      // IOCB_APPEND: at the end, whatever the offset says.
      return b.writeFrom(t.memory(), (src, done) -> d.pwrite(src, d.stat().size()));
    }
    return atFileOffset ? writeFrom(t, d, b) : pwriteFrom(t, d, b, offset);
  }

  /**
   * lseek(fd,offset,whence): SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA, SEEK_HOLE (the whole file
   * is data; the one hole is at the end); ESPIPE for pipes and terminals; EINVAL for a bad
   * whence or a negative result; ENXIO for SEEK_DATA/SEEK_HOLE at or past the end.
   */
  public static long lseek(Task t) {
    FileDescription d = t.fds().get(t.intArg(0));
    return d.seek(t.arg(1), t.intArg(2));
  }

  /** fsync(fd): EINVAL for pipes, FIFOs, terminals (special files without synchronization). */
  public static long fsync(Task t) {
    usable(t, t.intArg(0)).sync();
    return 0;
  }

  /** fdatasync(fd): as fsync. */
  public static long fdatasync(Task t) {
    usable(t, t.intArg(0)).sync();
    return 0;
  }

  /** sync(): flushes every backend's side metadata (host stores). */
  public static long sync(Task t) {
    t.vfs().flush();
    return 0;
  }

  /** syncfs(fd): the file system holding fd; for a descriptor outside the VFS, all of them. */
  public static long syncfs(Task t) {
    FileDescription d = usable(t, t.intArg(0));
    if (d.location() != null) {
      d.location().mount().backend().flush();
    } else {
      t.vfs().flush();
    }
    return 0;
  }

  /** truncate(path,offset): EINVAL for a negative length before the path is looked at. */
  public static long truncate(Task t) {
    long length = t.arg(1);
    if (length < 0) {
      throw Errno.EINVAL.exception();
    }
    byte[] path = t.pathArg(0);
    if (!t.kernel().files().pageCaches().anyLive()) {
      t.vfs().truncate(t.fs(), null, path, length);
      return 0;
    }
    // The file may be mapped shared: its page cache must see the change.
    Location file = t.vfs().lookup(t.fs(), null, path, 0);
    t.kernel().files().pageCaches().changing(file.inode(), () -> t.vfs().truncate(t.fs(), null, path, length));
    return 0;
  }

  /**
   * ftruncate(fd,offset): EINVAL for a negative length (checked first), EBADF for O_PATH, EINVAL
   * unless a regular file open for writing (do_sys_ftruncate).
   */
  public static long ftruncate(Task t) {
    long length = t.arg(1);
    if (length < 0) {
      throw Errno.EINVAL.exception();
    }
    usable(t, t.intArg(0)).truncate(length);
    return 0;
  }

  /**
   * readahead(fd,offset,size): EBADF unless open for reading, EINVAL unless a regular file;
   * otherwise nothing to do (all data is at hand).
   */
  public static long readahead(Task t) {
    FileDescription d = readable(t, t.intArg(0));
    if (!isRegular(d)) {
      throw Errno.EINVAL.exception();
    }
    return 0;
  }

  /**
   * fadvise64(fd,offset,size,int): ESPIPE for a pipe or FIFO, EINVAL for an unknown advice
   * (POSIX_FADV_NORMAL..NOREUSE, 0-5) or a negative length; otherwise advice taken, no effect.
   */
  public static long fadvise64(Task t) {
    FileDescription d = usable(t, t.intArg(0));
    long len = t.arg(2);
    int advice = t.intArg(3);
    if (d instanceof Pipe.End || d.stat().type() == FileType.FIFO) {
      throw Errno.ESPIPE.exception();
    }
    if (advice < 0 || advice > 5 || len < 0) {
      throw Errno.EINVAL.exception();
    }
    return 0;
  }

  /**
   * fallocate(fd,int,offset,offset), checks in vfs_fallocate's order: EINVAL (offset < 0, len <=
   * 0), EOPNOTSUPP (unknown mode bits, PUNCH_HOLE without KEEP_SIZE), EBADF (not open for
   * writing), ESPIPE (FIFO), EISDIR, ENODEV (not a regular file), EFBIG (offset + len overflows).
   * Mode 0 extends the size (zeros), KEEP_SIZE allocates nothing visible, PUNCH_HOLE|KEEP_SIZE
   * zeroes the range inside the file; ZERO_RANGE, COLLAPSE_RANGE, INSERT_RANGE, UNSHARE_RANGE
   * are EOPNOTSUPP (as on tmpfs).
   */
  public static long fallocate(Task t) {
    int fd = t.intArg(0);
    int mode = t.intArg(1);
    long offset = t.arg(2);
    long len = t.arg(3);
    if (offset < 0 || len <= 0) {
      throw Errno.EINVAL.exception();
    }
    if ((mode & ~FALLOC_FL_SUPPORTED_MASK) != 0) {
      throw Errno.EOPNOTSUPP.exception();
    }
    boolean punch = (mode & FALLOC_FL_PUNCH_HOLE) != 0;
    if (punch && (mode & FALLOC_FL_KEEP_SIZE) == 0) {
      throw Errno.EOPNOTSUPP.exception();
    }
    FileDescription d = writable(t, fd);
    Stat st = d.stat();
    FileType type = st.type();
    if (type == FileType.FIFO) {
      throw Errno.ESPIPE.exception();
    }
    if (type == FileType.DIRECTORY) {
      throw Errno.EISDIR.exception();
    }
    if (!(d instanceof VfsFileDescription v) || !v.isRegular()) {
      throw Errno.ENODEV.exception();
    }
    long end = offset + len;
    if (end < 0) {
      throw Errno.EFBIG.exception();
    }
    if ((mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)) != 0) {
      throw Errno.EOPNOTSUPP.exception();
    }
    if (punch) {
      t.kernel().files().pageCaches().changing(v.openFile().inode(), () -> punchHole(v, offset, Math.min(end, st.size())));
    } else if (mode == 0 && end > st.size()) {
      if (v instanceof MemFd m) {
        m.checkResize(end);
      }
      t.kernel().files().pageCaches().changing(v.openFile().inode(), () -> v.openFile().truncate(end));
    }
    return 0;
  }

  /** Zeroes [from, to) of a file, whatever O_APPEND says (fallocate ignores it). */
  private static void punchHole(VfsFileDescription v, long from, long to) {
    if (to <= from) {
      return;
    }
    dev.blinkchroot.vfs.OpenFile f = v.openFile();
    synchronized (f) {
      int flags = f.flags();
      f.setStatusFlags(flags & ~Fcntl.O_APPEND);
      try {
        byte[] zeros = new byte[(int) Math.min(to - from, GuestBuffers.CHUNK)];
        for (long at = from; at < to; ) {
          int n = (int) Math.min(to - at, zeros.length);
          at += v.pwrite(ByteBuffer.wrap(zeros, 0, n), at); // MemFd: F_SEAL_WRITE applies
        }
      } finally {
        f.setStatusFlags(flags);
      }
    }
  }

  /** sendfile(fd,fd,ptr,size) */
  public static long sendfile(Task t) {
    return raisingSigpipe(t, () -> FileTransfers.sendfile(t));
  }

  /** splice(fd,ptr,fd,ptr,size,hex) */
  public static long splice(Task t) {
    return raisingSigpipe(t, () -> FileTransfers.splice(t));
  }

  /** tee(fd,fd,size,hex) */
  public static long tee(Task t) {
    return raisingSigpipe(t, () -> FileTransfers.tee(t));
  }

  /** copy_file_range(fd,ptr,fd,ptr,size,int) */
  public static long copyFileRange(Task t) {
    return FileTransfers.copyFileRange(t);
  }
}
