package dev.blinkchroot.runner;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.Stat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Java streams as the first process's descriptors 0, 1 and 2, for runs of the command line
 * in-process (tests capture the guest's output through the {@link CliContext}); the executable
 * uses the kernel's {@link dev.blinkchroot.emulator.kernel.tty.HostStreams}. They look like pipes
 * (fstat gives a FIFO), so isatty is false and programs buffer as in a pipeline. Writes are
 * flushed at once, so the guest's stdout and stderr interleave as written; a reader that went
 * away gives EPIPE.
 */
final class HostStdio implements FileDescription {
  /** S_IFIFO | 0600, as fstat of a pipe shows. */
  private static final int FIFO_MODE = 0010600;

  private final InputStream in;
  private final OutputStream out;
  private final long ino;
  private int flags;

  private HostStdio(InputStream in, OutputStream out, long ino, int flags) {
    this.in = in;
    this.out = out;
    this.ino = ino;
    this.flags = flags;
  }

  static HostStdio reading(InputStream in) {
    return new HostStdio(in, null, 1, Fcntl.O_RDONLY);
  }

  static HostStdio writing(OutputStream out, long ino) {
    return new HostStdio(null, out, ino, Fcntl.O_WRONLY);
  }

  @Override
  public int read(ByteBuffer dst) {
    if (in == null) {
      throw Errno.EBADF.exception();
    }
    if (!dst.hasRemaining()) {
      return 0;
    }
    byte[] b = new byte[Math.min(dst.remaining(), 1 << 16)];
    try {
      int n = in.read(b);
      if (n <= 0) {
        return 0;
      }
      dst.put(b, 0, n);
      return n;
    } catch (IOException e) {
      throw Errno.EIO.exception();
    }
  }

  @Override
  public int write(ByteBuffer src) {
    if (out == null) {
      throw Errno.EBADF.exception();
    }
    int n = src.remaining();
    byte[] b = new byte[n];
    src.get(b);
    try {
      out.write(b);
      out.flush();
    } catch (IOException | StdoutClosedException e) {
      throw Errno.EPIPE.exception();
    }
    return n;
  }

  @Override
  public Stat stat() {
    return new Stat(0xc, ino, FIFO_MODE, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0);
  }

  @Override
  public int flags() {
    return flags;
  }

  @Override
  public void setStatusFlags(int newFlags) {
    flags = (flags & Fcntl.O_ACCMODE) | (newFlags & ~Fcntl.O_ACCMODE);
  }

  @Override
  public String procLink() {
    return "pipe:[" + ino + "]";
  }

  @Override
  public void close() {
    // The host's streams stay open for blink-chroot's own messages.
  }
}
