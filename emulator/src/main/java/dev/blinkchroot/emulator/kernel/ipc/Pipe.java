package dev.blinkchroot.emulator.kernel.ipc;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.fd.KernelFiles;
import dev.blinkchroot.emulator.kernel.fd.PollEvents;
import dev.blinkchroot.emulator.kernel.sync.Interrupted;
import dev.blinkchroot.emulator.kernel.sync.WaitQueue;
import dev.blinkchroot.emulator.kernel.sync.Waiter;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.VfsClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * A pipe inside the JVM (pipe(7)): a bounded byte ring, 65536 bytes by default (F_GETPIPE_SZ),
 * shared by its read and write {@link End}s. pipe(2)/pipe2(2) make anonymous ones; a FIFO opened
 * by name shares one per inode ({@link Fifos}).
 *
 * <ul>
 *   <li>read blocks until there is data, or returns 0 (end of file) once no writer is left; with
 *       O_NONBLOCK an empty pipe with writers gives EAGAIN.
 *   <li>write of at most PIPE_BUF (4096) bytes is atomic: it waits for room for all of it. A
 *       larger write may be interleaved and, with O_NONBLOCK, partial ("if there is room to write
 *       some data, then write() succeeds, transferring as much as it can"). A write with no reader
 *       gives EPIPE (and the write system calls send SIGPIPE).
 *   <li>O_DIRECT (pipe2) is "packet" mode: each write of up to PIPE_BUF bytes is a packet; a read
 *       returns at most one packet and discards what of it did not fit.
 * </ul>
 *
 * Capacity is counted in bytes, not in Linux's page slots, so a pipe of 4096 bytes holds 4096
 * bytes of small writes where Linux would hold one write per page.
 */
public final class Pipe {
  static final int PIPE_BUF = 4096;
  static final int DEFAULT_CAPACITY = 65536;
  /** /proc/sys/fs/pipe-max-size: the limit F_SETPIPE_SZ has without CAP_SYS_RESOURCE. */
  static final int MAX_UNPRIVILEGED = 1 << 20;
  /** st_dev of pipes (pipefs is an anonymous file system on Linux). */
  public static final long PIPEFS_DEV = Stat.makedev(0, 15);

  private byte[] ring = new byte[DEFAULT_CAPACITY];
  private int head;
  private int count;
  private final boolean packetMode;
  private final ArrayDeque<Integer> packets = new ArrayDeque<>();
  private int readers;
  private int writers;
  /** How many read / write opens there have been: a blocking FIFO open waits for a change. */
  private long readerOpens;
  private long writerOpens;
  private final long ino;
  private final WaitQueue queue = new WaitQueue();
  /** A queue event of our own: an end was opened (a blocking FIFO open waits for it). */
  private static final int PEER_OPENED = 1 << 30;
  private final KernelFiles files;
  /** The kernel's FIFO table when this is a named pipe's, else null. */
  private final Fifos fifos;
  private final long createdNs = VfsClock.nowNanos();
  private final int uid;
  private final int gid;

  Pipe(boolean packetMode, int uid, int gid, KernelFiles files, Fifos fifos) {
    this.files = files;
    this.fifos = fifos;
    this.ino = files.nextPipeIno();
    this.packetMode = packetMode;
    this.uid = uid;
    this.gid = gid;
  }

  /** A new anonymous pipe's two ends: [read end, write end], with the pipe2 flags given. */
  public static End[] create(Task t, int flags) {
    Pipe p = new Pipe((flags & Fcntl.O_DIRECT) != 0, t.fs().credentials().uid(),
        t.fs().credentials().gid(), t.kernel().files(), null);
    int status = flags & (Fcntl.O_NONBLOCK | Fcntl.O_DIRECT);
    return new End[] {p.open(Fcntl.O_RDONLY | status, true, false, null, null),
        p.open(Fcntl.O_WRONLY | status, false, true, null, null)};
  }

  /** A new end; the caller has decided it may open (FIFO rules). */
  synchronized End open(int flags, boolean reads, boolean writes, OpenFile fifo, byte[] path) {
    if (reads) {
      readers++;
      readerOpens++;
    }
    if (writes) {
      writers++;
      writerOpens++;
    }
    queue.wake(PEER_OPENED | PollEvents.READABLE | PollEvents.WRITABLE);
    return new End(flags, reads, writes, fifo, path);
  }

  synchronized int readers() {
    return readers;
  }

  synchronized boolean isUnused() {
    return readers == 0 && writers == 0;
  }

  /** Where readers, writers, pollers and FIFO openers wait; woken with poll(2) event bits. */
  WaitQueue queue() {
    return queue;
  }

  /**
   * A blocking FIFO open of {@code end} (fifo(7)) waits until an end of the other kind is open,
   * or has been opened since {@code end} was: a writer that came and went before this call still
   * satisfies a reader, as Linux compares the open counts it saw under the pipe's lock at open.
   * EINTR when the task is interrupted.
   */
  void awaitPeer(End end) {
    boolean wantWriter = end.reads();
    long seen = end.peerOpensAtOpen;
    Waiter.block(queue, PEER_OPENED, () -> {
      synchronized (this) {
        return (wantWriter ? writers : readers) != 0
            || (wantWriter ? writerOpens : readerOpens) != seen;
      }
    });
  }

  // ---------------------------------------------------------------- data

  /** read(2): blocks (through the wait queue) until data or end of file. */
  public int read(ByteBuffer dst, boolean nonBlocking) {
    return readOrPeek(dst, nonBlocking, true);
  }

  /**
   * What read would give, left in the pipe (tee(2) "does not consume the data"): the same
   * waiting, end-of-file and EAGAIN rules.
   */
  public int peek(ByteBuffer dst, boolean nonBlocking) {
    return readOrPeek(dst, nonBlocking, false);
  }

  private int readOrPeek(ByteBuffer dst, boolean nonBlocking, boolean consume) {
    if (!dst.hasRemaining()) {
      return 0;
    }
    while (true) {
      synchronized (this) {
        if (count > 0) {
          int available = packetMode ? packets.peekFirst() : count;
          int n = Math.min(dst.remaining(), available);
          copyOut(dst, n);
          if (consume) {
            if (packetMode) {
              packets.removeFirst();
              drop(available);
            } else {
              drop(n);
            }
            queue.wake(PollEvents.WRITABLE);
          }
          return n;
        }
        if (writers == 0) {
          return 0;
        }
        if (nonBlocking) {
          throw Errno.EAGAIN.exception();
        }
      }
      Waiter.block(queue, PollEvents.READABLE | PollEvents.POLLHUP, () -> {
        synchronized (this) {
          return count > 0 || writers == 0;
        }
      });
    }
  }

  /**
   * write(2): a write of at most PIPE_BUF bytes waits for room for all of it; a larger one moves
   * what fits each time and may be interleaved with other writers. EPIPE with no reader; a
   * larger write cut short by that or by an interruption returns what it wrote.
   */
  public int write(ByteBuffer src, boolean nonBlocking) {
    int len = src.remaining();
    if (len == 0) {
      return 0;
    }
    boolean atomic = len <= PIPE_BUF;
    int written = 0;
    while (true) {
      synchronized (this) {
        if (readers == 0) {
          if (written > 0) {
            return written;
          }
          throw Errno.EPIPE.exception();
        }
        int room = ring.length - count;
        if (atomic ? room >= len : room > 0) {
          int n = Math.min(room, src.remaining());
          if (packetMode) {
            n = Math.min(n, PIPE_BUF);
          }
          put(src, n);
          written += n;
          queue.wake(PollEvents.READABLE);
          if (!src.hasRemaining()) {
            return written;
          }
          continue;
        }
        if (nonBlocking) {
          if (written > 0) {
            return written;
          }
          throw Errno.EAGAIN.exception();
        }
      }
      try {
        Waiter.block(queue, PollEvents.WRITABLE | PollEvents.POLLERR, () -> {
          synchronized (this) {
            int room = ring.length - count;
            return readers == 0 || (atomic ? room >= len : room > 0);
          }
        });
      } catch (ErrnoException | Interrupted e) {
        if (written > 0) {
          return written;
        }
        throw e;
      }
    }
  }

  private void copyOut(ByteBuffer dst, int n) {
    int first = Math.min(n, ring.length - head);
    dst.put(ring, head, first);
    dst.put(ring, 0, n - first);
  }

  private void drop(int n) {
    head = (head + n) % ring.length;
    count -= n;
  }

  private void put(ByteBuffer src, int n) {
    int tail = (head + count) % ring.length;
    int first = Math.min(n, ring.length - tail);
    src.get(ring, tail, first);
    src.get(ring, 0, n - first);
    count += n;
    if (packetMode) {
      packets.addLast(n);
    }
  }

  /** Bytes waiting to be read (FIONREAD). */
  synchronized int buffered() {
    return count;
  }

  /** Room for writing now. */
  public synchronized int space() {
    return ring.length - count;
  }

  public synchronized int capacity() {
    return ring.length;
  }

  /**
   * F_SETPIPE_SZ: rounds up to a power-of-two number of pages (at least one); EINVAL above 2^31,
   * EPERM above pipe-max-size unless privileged, EBUSY if the data would not fit. Returns the
   * new capacity.
   */
  public synchronized int setCapacity(long requested, boolean privileged) {
    if (requested < 0 || requested > (1L << 31)) {
      throw Errno.EINVAL.exception();
    }
    long pages = Math.max(1, (requested + PIPE_BUF - 1) / PIPE_BUF);
    long size = Long.highestOneBit(pages) == pages ? pages * PIPE_BUF
        : Long.highestOneBit(pages) * 2 * PIPE_BUF;
    if (size > (1L << 31) - PIPE_BUF) {
      throw Errno.EINVAL.exception();
    }
    if (size > MAX_UNPRIVILEGED && size > ring.length && !privileged) {
      throw Errno.EPERM.exception();
    }
    if (size < count) {
      throw Errno.EBUSY.exception();
    }
    byte[] bigger = new byte[(int) size];
    ByteBuffer b = ByteBuffer.wrap(bigger);
    int n = count;
    int first = Math.min(n, ring.length - head);
    b.put(ring, head, first);
    b.put(ring, 0, n - first);
    ring = bigger;
    head = 0;
    queue.wake(PollEvents.WRITABLE);
    return ring.length;
  }

  synchronized void release(boolean reads, boolean writes) {
    if (reads) {
      readers--;
    }
    if (writes) {
      writers--;
    }
    // The other side's readers see end of file, its writers EPIPE, pollers POLLHUP/POLLERR.
    queue.wake(PollEvents.READABLE | PollEvents.POLLHUP | PollEvents.WRITABLE
        | PollEvents.POLLERR);
  }

  Stat stat() {
    return new Stat(PIPEFS_DEV, ino, FileType.FIFO.modeBits() | 0600, 1, uid, gid, 0, 0, 4096, 0,
        createdNs, createdNs, createdNs);
  }

  /** One end of the pipe: what a pipe(2) descriptor or an opened FIFO refers to. */
  public final class End implements FileDescription {
    private static final int SETTABLE = Fcntl.O_APPEND | Fcntl.O_NONBLOCK | Fcntl.O_DIRECT
        | Fcntl.O_NOATIME | 020000;
    private final boolean reads;
    private final boolean writes;
    private final OpenFile fifo;
    private final byte[] path;
    private volatile int flags;
    private boolean closed;
    /**
     * poll: a FIFO reader that opened with no writer reports no POLLHUP until a writer has come
     * (Linux keeps the writer-open count at open for this); -1 for other ends.
     */
    private final long hupAfterWriterOpens;
    /**
     * The other kind's open count when this end was opened, or -1 if one was open then: what a
     * blocking FIFO open waits to see change ({@link #awaitPeer}).
     */
    private final long peerOpensAtOpen;

    private End(int flags, boolean reads, boolean writes, OpenFile fifo, byte[] path) {
      // Called from Pipe.open, holding the pipe's lock.
      this.hupAfterWriterOpens = fifo != null && reads && writers == 0 ? writerOpens : -1;
      this.peerOpensAtOpen = reads ? (writers != 0 ? -1 : writerOpens)
          : (readers != 0 ? -1 : readerOpens);
      this.flags = flags & ~(Fcntl.O_CLOEXEC | Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_NOCTTY
          | Fcntl.O_TRUNC);
      this.reads = reads;
      this.writes = writes;
      this.fifo = fifo;
      this.path = path;
    }

    public Pipe pipe() {
      return Pipe.this;
    }

    public boolean nonBlocking() {
      return (flags & Fcntl.O_NONBLOCK) != 0;
    }

    boolean reads() {
      return reads;
    }

    boolean writes() {
      return writes;
    }

    /**
     * A new end of this pipe with the access mode and O_NONBLOCK of {@code flags} (opening a
     * /proc/PID/fd link to it, as a FIFO is opened by name; O_RDWR gives both ends at once).
     */
    public End reopen(int flags) {
      int acc = flags & Fcntl.O_ACCMODE;
      return open(flags & (Fcntl.O_ACCMODE | Fcntl.O_NONBLOCK), acc != Fcntl.O_WRONLY,
          acc != Fcntl.O_RDONLY, null, null);
    }

    /** read(2) with an extra non-blocking request (SPLICE_F_NONBLOCK). */
    public int read(ByteBuffer dst, boolean nonBlocking) {
      if (!reads) {
        throw Errno.EBADF.exception();
      }
      return Pipe.this.read(dst, nonBlocking || nonBlocking());
    }

    public int write(ByteBuffer src, boolean nonBlocking) {
      if (!writes) {
        throw Errno.EBADF.exception();
      }
      return Pipe.this.write(src, nonBlocking || nonBlocking());
    }

    @Override
    public int read(ByteBuffer dst) {
      return read(dst, false);
    }

    @Override
    public int write(ByteBuffer src) {
      return write(src, false);
    }

    @Override
    public Stat stat() {
      return fifo != null ? fifo.stat() : Pipe.this.stat();
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
    public Location location() {
      return fifo != null ? fifo.location() : null;
    }

    @Override
    public String procLink() {
      return fifo != null ? new String(path, StandardCharsets.ISO_8859_1)
          : "pipe:[" + ino + "]";
    }

    @Override
    public int available() {
      return buffered();
    }

    @Override
    public WaitQueue pollQueue() {
      return queue;
    }

    /**
     * pipe(7): the read end is readable when data is buffered, POLLHUP once no writer is left;
     * the write end is writable when a PIPE_BUF write would not block, POLLERR once no reader is
     * left.
     */
    @Override
    public int pollReady(int events) {
      synchronized (Pipe.this) {
        int ready = 0;
        if (reads) {
          if (count > 0) {
            ready |= PollEvents.READABLE;
          }
          if (writers == 0 && writerOpens != hupAfterWriterOpens) {
            ready |= PollEvents.POLLHUP;
          }
        }
        if (writes) {
          if (ring.length - count >= PIPE_BUF) {
            ready |= PollEvents.WRITABLE;
          }
          if (readers == 0) {
            ready |= PollEvents.POLLERR;
          }
        }
        return ready;
      }
    }

    /** fsync(2): "EINVAL fd is bound to a special file (e.g., a pipe, FIFO, or socket)". */
    @Override
    public void sync() {
      throw Errno.EINVAL.exception();
    }

    @Override
    public void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      files.locks().descriptionClosed(this);
      release(reads, writes);
      if (fifo != null) {
        fifos.released(Pipe.this, fifo);
        fifo.close();
      }
    }
  }
}
