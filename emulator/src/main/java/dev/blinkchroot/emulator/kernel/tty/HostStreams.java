package dev.blinkchroot.emulator.kernel.tty;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.fd.PollEvents;
import dev.blinkchroot.emulator.kernel.ipc.Pipe;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.VfsClock;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host's standard streams as the first process's descriptors 0, 1 and 2, whatever they are
 * (a terminal, a pipe, a file). Reads come from the JVM's file descriptor 0 and writes go straight
 * to descriptors 1 and 2 through unbuffered {@link FileOutputStream}s: every write(2) is one host
 * write, so nothing is held back at exit and a large output streams through the bounded chunks of
 * the syscall layer. Closing a guest descriptor never closes the host's.
 *
 * <p>Is a stream a terminal? Java cannot ask isatty(3), so, in order:
 *
 * <ol>
 *   <li>the launcher's environment: BLINK_CHROOT_STDIN_TTY, BLINK_CHROOT_STDOUT_TTY,
 *       BLINK_CHROOT_STDERR_TTY ("1" or "0"; the launcher runs {@code [ -t N ]}); the launcher
 *       sets the last two today, and STDERR_TTY only when it is "1" — absent then means unknown;
 *   <li>on a Linux host, where /proc/self/fd/N leads: /dev/pts/N, /dev/ttyN or /dev/console is a
 *       terminal, anything else (pipe:[...], a file, /dev/null) is not;
 *   <li>for stdin and stdout only, {@link System#console()}: on Java 17 it exists exactly when
 *       both are terminals, so it is trusted only to say "yes" for both;
 *   <li>otherwise not a terminal.
 * </ol>
 *
 * A terminal stats as a character device (136:0, /dev/pts/0, mode 0620, group tty) opened
 * O_RDWR; its descriptors read the host's stdin whichever of the three they are (programs read
 * keys from stderr); TCGETS, TCSETS*, TIOCGWINSZ (80x24 unless COLUMNS/LINES say otherwise),
 * TIOCSWINSZ, TIOCGPGRP, TIOCSPGRP, TIOCSCTTY and TIOCGSID answer from a simulated line
 * discipline whose settings do not reach the host yet (terminal passthrough comes later). Anything
 * else stats as a pipe (mode 010600) opened O_RDONLY (stdin) or O_WRONLY, and every terminal
 * ioctl gives ENOTTY.
 */
public final class HostStreams {
  private static final FileInputStream IN = new FileInputStream(FileDescriptor.in);
  private static final FileOutputStream OUT = new FileOutputStream(FileDescriptor.out);
  private static final FileOutputStream ERR = new FileOutputStream(FileDescriptor.err);
  private static final long PTS_RDEV = Stat.makedev(136, 0);
  private static final long DEVPTS_DEV = Stat.makedev(0, 24);
  private static final int TTY_GID = 5;

  private HostStreams() {}

  /** Descriptor 0: the host's standard input. */
  public static FileDescription stdin() {
    return new Stream(0, isTerminal(0), null);
  }

  /** Descriptor 1: the host's standard output. */
  public static FileDescription stdout() {
    return new Stream(1, isTerminal(1), OUT);
  }

  /** Descriptor 2: the host's standard error. */
  public static FileDescription stderr() {
    return new Stream(2, isTerminal(2), ERR);
  }

  private static volatile Boolean stdinNeverBlocks;

  /** Is the host's stdin a regular file or /dev/null (on a Linux host)? Asked once. */
  static boolean stdinNeverBlocks() {
    Boolean b = stdinNeverBlocks;
    if (b == null) {
      boolean never = false;
      try {
        Path link = Path.of("/proc/self/fd/0");
        never = Files.isRegularFile(link)
            || (Files.isSymbolicLink(link)
                && Files.readSymbolicLink(link).toString().equals("/dev/null"));
      } catch (IOException | RuntimeException e) {
        // Not a Linux host: unknown, so only available() decides.
      }
      stdinNeverBlocks = b = never;
    }
    return b;
  }

  /** The heuristic of the class comment. */
  static boolean isTerminal(int fd) {
    String var = System.getenv(
        fd == 0 ? "BLINK_CHROOT_STDIN_TTY" : fd == 1 ? "BLINK_CHROOT_STDOUT_TTY"
            : "BLINK_CHROOT_STDERR_TTY");
    if ("1".equals(var)) {
      return true;
    }
    if ("0".equals(var)) {
      return false;
    }
    try {
      Path link = Path.of("/proc/self/fd/" + fd);
      if (Files.isSymbolicLink(link)) {
        String target = Files.readSymbolicLink(link).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty")
            || target.equals("/dev/console");
      }
    } catch (IOException | RuntimeException e) {
      // Not a Linux host, or no /proc: fall through.
    }
    return fd != 2 && System.console() != null;
  }

  /** One standard stream. */
  public static final class Stream implements FileDescription {
    private static final int SETTABLE = Fcntl.O_APPEND | Fcntl.O_NONBLOCK | Fcntl.O_NOATIME
        | 020000;
    private final int hostFd;
    private final boolean terminal;
    private final FileOutputStream out;
    private final long ino;
    private final long createdNs = VfsClock.nowNanos();
    private volatile int flags;

    public Stream(int hostFd, boolean terminal, FileOutputStream out) {
      this.hostFd = hostFd;
      this.terminal = terminal;
      this.out = out;
      this.ino = terminal ? 3 : 10 + hostFd;
      this.flags = terminal ? Fcntl.O_RDWR : hostFd == 0 ? Fcntl.O_RDONLY : Fcntl.O_WRONLY;
    }

    boolean isTerminal() {
      return terminal;
    }

    private boolean canRead() {
      int acc = flags & Fcntl.O_ACCMODE;
      return acc == Fcntl.O_RDONLY || acc == Fcntl.O_RDWR;
    }

    private boolean canWrite() {
      int acc = flags & Fcntl.O_ACCMODE;
      return acc == Fcntl.O_WRONLY || acc == Fcntl.O_RDWR;
    }

    @Override
    public int read(ByteBuffer dst) {
      if (!canRead()) {
        throw Errno.EBADF.exception();
      }
      if (!dst.hasRemaining()) {
        return 0;
      }
      try {
        if ((flags & Fcntl.O_NONBLOCK) != 0 && IN.available() == 0) {
          throw Errno.EAGAIN.exception();
        }
        byte[] b = new byte[dst.remaining()];
        int n = IN.read(b);
        if (n <= 0) {
          return 0;
        }
        dst.put(b, 0, n);
        return n;
      } catch (IOException e) {
        throw Errno.EIO.exception(e.getMessage());
      }
    }

    @Override
    public int write(ByteBuffer src) {
      if (!canWrite()) {
        throw Errno.EBADF.exception();
      }
      int n = src.remaining();
      if (n == 0) {
        return 0;
      }
      // stdin of a terminal is the terminal too: what is written to it goes to the screen.
      FileOutputStream to = out != null ? out : OUT;
      try {
        if (src.hasArray()) {
          to.write(src.array(), src.arrayOffset() + src.position(), n);
          src.position(src.position() + n);
        } else {
          byte[] b = new byte[n];
          src.get(b);
          to.write(b);
        }
        return n;
      } catch (IOException e) {
        String m = String.valueOf(e.getMessage());
        // The host reader went away: EPIPE (the write system calls send SIGPIPE).
        if (m.contains("Broken pipe") || m.contains("pipe is being closed")) {
          throw Errno.EPIPE.exception();
        }
        throw Errno.EIO.exception(m);
      }
    }

    @Override
    public Stat stat() {
      if (terminal) {
        return new Stat(DEVPTS_DEV, ino, FileType.CHARACTER_DEVICE.modeBits() | 0620, 1, 0,
            TTY_GID, PTS_RDEV, 0, 1024, 0, createdNs, createdNs, createdNs);
      }
      return new Stat(Pipe.PIPEFS_DEV, ino, FileType.FIFO.modeBits() | 0600, 1, 0, 0, 0, 0, 4096,
          0, createdNs, createdNs, createdNs);
    }

    @Override
    public long ioctl(Task task, int request, long argAddr) {
      if (!terminal) {
        throw Errno.ENOTTY.exception();
      }
      return task.kernel().terminal().ioctl(task, request, argAddr);
    }

    @Override
    public int available() {
      if (hostFd != 0 && !terminal) {
        return 0;
      }
      try {
        return IN.available();
      } catch (IOException e) {
        return 0;
      }
    }

    /**
     * Readable when bytes are available; a host stdin redirected from a regular file or
     * /dev/null never blocks, so it is readable at end of file too. (At the end of a host pipe
     * nothing tells Java that no writer is left: such a stdin stays not readable.)
     */
    @Override
    public int pollReady(int events) {
      int ready = PollEvents.defaultReadiness(this);
      if (hostFd == 0 && !terminal && canRead() && stdinNeverBlocks()) {
        ready |= PollEvents.READABLE;
      }
      return ready;
    }

    @Override
    public int flags() {
      return flags;
    }

    @Override
    public void setStatusFlags(int newFlags) {
      flags = (flags & ~SETTABLE) | (newFlags & SETTABLE);
    }

    @Override
    public String procLink() {
      return terminal ? "/dev/pts/0" : "pipe:[" + ino + "]";
    }

    /** fsync(2) of a pipe or terminal: EINVAL. */
    @Override
    public void sync() {
      throw Errno.EINVAL.exception();
    }

    @Override
    public void close() {
      // The host's descriptor stays open: other guest descriptors and the runner still use it.
    }
  }
}
