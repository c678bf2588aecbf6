package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.FileIoSyscalls.isRegular;
import static dev.blinkchroot.emulator.kernel.calls.FileIoSyscalls.readable;
import static dev.blinkchroot.emulator.kernel.calls.FileIoSyscalls.usable;
import static dev.blinkchroot.emulator.kernel.calls.FileIoSyscalls.writable;

import dev.blinkchroot.emulator.kernel.abi.GuestBuffers;
import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.ipc.Pipe;
import dev.blinkchroot.emulator.kernel.sync.Interrupted;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Stat;
import java.nio.ByteBuffer;

/**
 * In-kernel copies between descriptors: sendfile(2), copy_file_range(2), splice(2), tee(2). Data moves
 * through one bounded buffer at a time. When the reading side has positions (a regular file, or
 * an explicit offset pointer), only what was written counts as consumed; data read from a pipe
 * whose destination then fails is lost (Linux keeps it in the pipe).
 */
final class FileTransfers {
  static final int SPLICE_F_MOVE = 1;
  static final int SPLICE_F_NONBLOCK = 2;
  static final int SPLICE_F_MORE = 4;
  static final int SPLICE_F_GIFT = 8;
  static final int SPLICE_F_ALL = 0xf;

  private FileTransfers() {}

  private static long clamp(long count) {
    return Long.compareUnsigned(count, GuestBuffers.MAX_RW_COUNT) > 0
        ? GuestBuffers.MAX_RW_COUNT : count;
  }

  /** True if the description has file positions (FMODE_PREAD): lseek does not give ESPIPE. */
  private static boolean positionable(FileDescription d) {
    try {
      d.seek(0, Fcntl.SEEK_CUR);
      return true;
    } catch (ErrnoException e) {
      return e.errno() != Errno.ESPIPE;
    }
  }

  /**
   * sendfile(out_fd, in_fd, offset, count). The offset pointer is read first (EFAULT); in_fd must
   * be open for reading (EBADF) and, with an offset, have positions (ESPIPE); out_fd open for
   * writing (EBADF) and not O_APPEND (EINVAL: "not currently supported"). Without an offset a
   * regular in_fd's file offset advances by what was sent; with one, *offset is updated and the
   * file offset is not. A non-file source (pipe, device) gives what one read returns.
   */
  static long sendfile(Task t) {
    int outFd = t.intArg(0);
    int inFd = t.intArg(1);
    long offAddr = t.arg(2);
    long count = clamp(t.arg(3));
    Long pos = offAddr != 0 ? GuestIo.readLong(t.memory(), offAddr) : null;
    FileDescription in = readable(t, inFd);
    if (pos != null) {
      if (!positionable(in)) {
        throw Errno.ESPIPE.exception();
      }
      if (pos < 0) {
        throw Errno.EINVAL.exception();
      }
    }
    FileDescription out = writable(t, outFd);
    if ((out.flags() & Fcntl.O_APPEND) != 0) {
      throw Errno.EINVAL.exception("sendfile to O_APPEND");
    }
    boolean regular = isRegular(in);
    boolean positioned = pos != null || regular;
    long start = pos != null ? pos : regular ? in.seek(0, Fcntl.SEEK_CUR) : 0;
    long done = 0;
    try {
      while (done < count) {
        int chunk = (int) Math.min(count - done, GuestBuffers.CHUNK);
        ByteBuffer buf = ByteBuffer.allocate(chunk);
        int n = positioned ? in.pread(buf, start + done) : in.read(buf);
        if (n <= 0) {
          break;
        }
        buf.flip();
        int w = writeAll(out, buf, false);
        done += w;
        if (w < n || n < chunk || !regular) {
          break;
        }
      }
    } catch (ErrnoException | Interrupted e) {
      if (done == 0) {
        throw e;
      }
    } finally {
      if (pos != null) {
        GuestIo.writeLong(t.memory(), offAddr, start + done);
      } else if (regular) {
        in.seek(start + done, Fcntl.SEEK_SET);
      }
    }
    return done;
  }

  /** Writes all of {@code buf} unless the sink takes less (non-blocking pipe); returns how much. */
  private static int writeAll(FileDescription out, ByteBuffer buf, boolean nonBlocking) {
    int total = 0;
    while (buf.hasRemaining()) {
      int w;
      try {
        w = out instanceof Pipe.End e ? e.write(buf, nonBlocking) : out.write(buf);
      } catch (ErrnoException | Interrupted e) {
        if (total > 0) {
          return total;
        }
        throw e;
      }
      if (w <= 0) {
        break;
      }
      total += w;
    }
    return total;
  }

  /**
   * copy_file_range(fd_in, off_in, fd_out, off_out, len, flags), in Linux's order: EBADF for a bad
   * descriptor, EFAULT for an unreadable offset, EINVAL for flags, EISDIR for a directory, EINVAL
   * for anything but regular files, EBADF unless fd_in is readable and fd_out writable and not
   * O_APPEND, EINVAL for a negative offset, EINVAL when the two ranges of one file overlap (after
   * len is cut at the end of fd_in). Files on different mounts are fine (Linux 5.19+).
   */
  static long copyFileRange(Task t) {
    FileDescription in = usable(t, t.intArg(0));
    FileDescription out = usable(t, t.intArg(2));
    long offInAddr = t.arg(1);
    long offOutAddr = t.arg(3);
    long len = clamp(t.arg(4));
    Long offIn = offInAddr != 0 ? GuestIo.readLong(t.memory(), offInAddr) : null;
    Long offOut = offOutAddr != 0 ? GuestIo.readLong(t.memory(), offOutAddr) : null;
    if (t.intArg(5) != 0) {
      throw Errno.EINVAL.exception();
    }
    Stat inStat = in.stat();
    Stat outStat = out.stat();
    if (inStat.type() == FileType.DIRECTORY || outStat.type() == FileType.DIRECTORY) {
      throw Errno.EISDIR.exception();
    }
    if (!isRegular(in) || !isRegular(out)) {
      throw Errno.EINVAL.exception();
    }
    if ((in.flags() & Fcntl.O_ACCMODE) == Fcntl.O_WRONLY
        || (out.flags() & Fcntl.O_ACCMODE) == Fcntl.O_RDONLY
        || (out.flags() & Fcntl.O_APPEND) != 0) {
      throw Errno.EBADF.exception();
    }
    long posIn = offIn != null ? offIn : in.seek(0, Fcntl.SEEK_CUR);
    long posOut = offOut != null ? offOut : out.seek(0, Fcntl.SEEK_CUR);
    if (posIn < 0 || posOut < 0) {
      throw Errno.EINVAL.exception();
    }
    long count = posIn >= inStat.size() ? 0 : Math.min(len, inStat.size() - posIn);
    boolean sameFile = inStat.dev() == outStat.dev() && inStat.ino() == outStat.ino();
    if (sameFile && posOut + count > posIn && posOut < posIn + count) {
      throw Errno.EINVAL.exception("overlapping ranges");
    }
    long done = 0;
    try {
      while (done < count) {
        int chunk = (int) Math.min(count - done, GuestBuffers.CHUNK);
        ByteBuffer buf = ByteBuffer.allocate(chunk);
        int n = in.pread(buf, posIn + done);
        if (n <= 0) {
          break;
        }
        buf.flip();
        int w = 0;
        while (buf.hasRemaining()) {
          w += out.pwrite(buf, posOut + done + w);
        }
        done += w;
        if (n < chunk) {
          break;
        }
      }
    } catch (ErrnoException e) {
      if (done == 0) {
        throw e;
      }
    }
    if (offIn != null) {
      GuestIo.writeLong(t.memory(), offInAddr, posIn + done);
    } else {
      in.seek(posIn + done, Fcntl.SEEK_SET);
    }
    if (offOut != null) {
      GuestIo.writeLong(t.memory(), offOutAddr, posOut + done);
    } else {
      out.seek(posOut + done, Fcntl.SEEK_SET);
    }
    return done;
  }

  /**
   * splice(fd_in, off_in, fd_out, off_out, len, flags): moves up to len bytes where at least one
   * side is a pipe (else EINVAL). len 0 returns 0 at once; unknown flags EINVAL; an offset for a
   * pipe side ESPIPE; EBADF unless fd_in reads and fd_out writes; the same pipe on both sides
   * EINVAL; a non-pipe destination with O_APPEND EINVAL. SPLICE_F_NONBLOCK (or the pipe's
   * O_NONBLOCK) makes the pipe side EAGAIN instead of waiting; MOVE, MORE and GIFT are hints.
   * Reading a pipe with no writers and no data gives 0.
   */
  static long splice(Task t) {
    long len = clamp(t.arg(4));
    int flags = t.intArg(5);
    if (len == 0) {
      return 0;
    }
    if ((flags & ~SPLICE_F_ALL) != 0) {
      throw Errno.EINVAL.exception();
    }
    FileDescription in = usable(t, t.intArg(0));
    FileDescription out = usable(t, t.intArg(2));
    long offInAddr = t.arg(1);
    long offOutAddr = t.arg(3);
    Pipe.End inPipe = in instanceof Pipe.End e ? e : null;
    Pipe.End outPipe = out instanceof Pipe.End e ? e : null;
    if ((inPipe != null && offInAddr != 0) || (outPipe != null && offOutAddr != 0)) {
      throw Errno.ESPIPE.exception();
    }
    readable(t, t.intArg(0));
    writable(t, t.intArg(2));
    boolean nonBlocking = (flags & SPLICE_F_NONBLOCK) != 0;
    if (inPipe != null && outPipe != null) {
      return pipeToPipe(inPipe, outPipe, len, nonBlocking, true);
    }
    if (inPipe != null) {
      return pipeToFile(t, inPipe, out, offOutAddr, len, nonBlocking);
    }
    if (outPipe != null) {
      return fileToPipe(t, in, offInAddr, outPipe, len, nonBlocking);
    }
    throw Errno.EINVAL.exception("splice needs a pipe");
  }

  /**
   * tee(fd_in, fd_out, len, flags): copies up to len bytes from one pipe to another, leaving
   * them in fd_in's pipe ("It does not consume the data"). EINVAL when either is not a pipe or
   * both are the same pipe, or for unknown flags; EBADF unless fd_in reads and fd_out writes.
   * It waits for data and for room as splice does; 0 when fd_in has no data and no writer.
   */
  static long tee(Task t) {
    long len = clamp(t.arg(2));
    int flags = t.intArg(3);
    if ((flags & ~SPLICE_F_ALL) != 0) {
      throw Errno.EINVAL.exception();
    }
    FileDescription in = usable(t, t.intArg(0));
    FileDescription out = usable(t, t.intArg(1));
    if (!(in instanceof Pipe.End inPipe) || !(out instanceof Pipe.End outPipe)) {
      throw Errno.EINVAL.exception("tee needs two pipes");
    }
    readable(t, t.intArg(0));
    writable(t, t.intArg(1));
    if (len == 0) {
      return 0;
    }
    return pipeToPipe(inPipe, outPipe, len, (flags & SPLICE_F_NONBLOCK) != 0, false);
  }

  /** splice (consume) or tee (copy) between two different pipes. */
  private static long pipeToPipe(Pipe.End in, Pipe.End out, long len, boolean nonBlocking,
      boolean consume) {
    if (in.pipe() == out.pipe()) {
      throw Errno.EINVAL.exception();
    }
    int room = out.pipe().space();
    if (room == 0 && (nonBlocking || out.nonBlocking())) {
      throw Errno.EAGAIN.exception();
    }
    int limit = (int) Math.min(len, room > 0 ? room : out.pipe().capacity());
    ByteBuffer buf = ByteBuffer.allocate(limit);
    int n = consume ? in.read(buf, nonBlocking) : in.pipe().peek(buf, nonBlocking || in.nonBlocking());
    buf.flip();
    return n <= 0 ? 0 : writeAll(out, buf, nonBlocking);
  }

  private static long pipeToFile(Task t, Pipe.End in, FileDescription out, long offAddr, long len,
      boolean nonBlocking) {
    Long off = offAddr != 0 ? GuestIo.readLong(t.memory(), offAddr) : null;
    if (off != null && (!positionable(out) || off < 0)) {
      throw Errno.EINVAL.exception();
    }
    if ((out.flags() & Fcntl.O_APPEND) != 0) {
      throw Errno.EINVAL.exception("splice to O_APPEND");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(len, GuestBuffers.CHUNK));
    int n = in.read(buf, nonBlocking);
    if (n <= 0) {
      return 0;
    }
    buf.flip();
    int w = 0;
    if (off != null) {
      while (buf.hasRemaining()) {
        w += out.pwrite(buf, off + w);
      }
      GuestIo.writeLong(t.memory(), offAddr, off + w);
    } else {
      w = writeAll(out, buf, false);
    }
    return w;
  }

  private static long fileToPipe(Task t, FileDescription in, long offAddr, Pipe.End out,
      long len, boolean nonBlocking) {
    Long off = offAddr != 0 ? GuestIo.readLong(t.memory(), offAddr) : null;
    if (off != null && (!positionable(in) || off < 0)) {
      throw Errno.EINVAL.exception();
    }
    int room = out.pipe().space();
    if (room == 0 && (nonBlocking || out.nonBlocking())) {
      throw Errno.EAGAIN.exception();
    }
    int limit = (int) Math.min(len, room > 0 ? room : out.pipe().capacity());
    boolean regular = isRegular(in);
    long start = off != null ? off : regular ? in.seek(0, Fcntl.SEEK_CUR) : 0;
    ByteBuffer buf = ByteBuffer.allocate(limit);
    int n = off != null || regular ? in.pread(buf, start) : in.read(buf);
    if (n <= 0) {
      return 0;
    }
    buf.flip();
    int w = writeAll(out, buf, nonBlocking);
    if (off != null) {
      GuestIo.writeLong(t.memory(), offAddr, start + w);
    } else if (regular) {
      in.seek(start + w, Fcntl.SEEK_SET);
    }
    return w;
  }
}
