package dev.blinkchroot.emulator.kernel.abi;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.sync.Interrupted;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.emulator.memory.MemoryFault;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import java.nio.ByteBuffer;

/**
 * The guest buffers of one read or write: a single (buf, count) or a {@code struct iovec} array,
 * and the copy between them and a {@link FileDescription} through bounded kernel chunks.
 *
 * <p>EFAULT rule, as Linux's {@code copy_to_user}/{@code copy_from_user} behave: the address
 * range must pass {@code access_ok} (below the user address limit) or the call fails with EFAULT
 * before anything happens; then the transfer is cut at the first byte that is not mapped with the
 * needed protection. If that leaves nothing, the call fails with EFAULT (after the description has
 * had its say on a zero-length transfer, so EISDIR or EBADF come first, as on Linux); otherwise it
 * is a partial transfer of the bytes before the bad page, which is what Linux returns
 * ("On error ... if any data was transferred, the number of bytes", read(2) NOTES).
 *
 * <p>struct iovec is 16 bytes: iov_base@0, iov_len@8; IOV_MAX is 1024 (checked with gcc: {@code
 * offsetof(struct iovec, iov_len)}, {@code sizeof(struct iovec)}, {@code IOV_MAX} from
 * limits.h).
 */
public final class GuestBuffers {
  /** IOV_MAX / UIO_MAXIOV. */
  static final int IOV_MAX = 1024;
  /** MAX_RW_COUNT: read(2) "will transfer at most 0x7ffff000 (2,147,479,552) bytes". */
  public static final long MAX_RW_COUNT = 0x7ffff000L;
  /** Largest user address + 1 on x86-64 (TASK_SIZE_MAX), the bound of access_ok. */
  static final long TASK_SIZE = 0x7ffffffff000L;
  /** How much one step copies: bounds the kernel memory a large transfer uses. */
  public static final int CHUNK = 1 << 20;
  private static final int PAGE = GuestMemory.PAGE_SIZE;

  private final long[] addrs;
  private final long[] lens;
  /** From an iovec array: a total of 0 is done without asking the file (do_iter_read). */
  private final boolean vector;
  /** The byte count, at most MAX_RW_COUNT. */
  final long total;

  private GuestBuffers(long[] addrs, long[] lens, long total, boolean vector) {
    this.addrs = addrs;
    this.lens = lens;
    this.total = total;
    this.vector = vector;
  }

  /** access_ok(addr, len): the range lies below the user address limit. */
  static boolean accessOk(long addr, long len) {
    return Long.compareUnsigned(len, TASK_SIZE) <= 0
        && Long.compareUnsigned(addr, TASK_SIZE - len) <= 0;
  }

  /** One buffer of read(2)/write(2): EFAULT if it fails access_ok; clamped to MAX_RW_COUNT. */
  public static GuestBuffers single(long addr, long count) {
    if (!accessOk(addr, count)) {
      throw Errno.EFAULT.exception();
    }
    long n = Long.compareUnsigned(count, MAX_RW_COUNT) > 0 ? MAX_RW_COUNT : count;
    return new GuestBuffers(new long[] {addr}, new long[] {n}, n, false);
  }

  /**
   * An iovec array, as import_iovec reads it: EINVAL for a count above IOV_MAX (the count is
   * unsigned long, so a negative int is huge), EFAULT if the array is unreadable, then per entry
   * EINVAL for a negative iov_len ("the sum of the iov_len values overflows an ssize_t", readv(2))
   * and EFAULT for a range failing access_ok; the total is clamped to MAX_RW_COUNT.
   */
  public static GuestBuffers vector(GuestMemory memory, long iovAddr, long iovcnt) {
    if (Long.compareUnsigned(iovcnt, IOV_MAX) > 0) {
      throw Errno.EINVAL.exception();
    }
    int n = (int) iovcnt;
    byte[] raw = GuestIo.read(memory, iovAddr, n * 16);
    ByteBuffer b = ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    long[] addrs = new long[n];
    long[] lens = new long[n];
    long total = 0;
    for (int i = 0; i < n; i++) {
      long base = b.getLong(i * 16);
      long len = b.getLong(i * 16 + 8);
      if (len < 0) {
        throw Errno.EINVAL.exception();
      }
      if (!accessOk(base, len)) {
        throw Errno.EFAULT.exception();
      }
      len = Math.min(len, MAX_RW_COUNT - total);
      addrs[i] = base;
      lens[i] = len;
      total += len;
    }
    return new GuestBuffers(addrs, lens, total, true);
  }

  /**
   * How many bytes from the start are mapped with {@code prot} (PROT_READ for a source,
   * PROT_WRITE for a destination): the transfer stops at the first page that is not.
   */
  long accessiblePrefix(GuestMemory memory, int prot) {
    long ok = 0;
    for (int i = 0; i < addrs.length; i++) {
      long a = addrs[i];
      long end = a + lens[i];
      while (a < end) {
        int p = memory.protectionAt(a);
        if (p < 0 || (p & prot) == 0) {
          return ok;
        }
        long next = Math.min(end, (a & -PAGE) + PAGE);
        ok += next - a;
        a = next;
      }
    }
    return ok;
  }

  /** A source of bytes for a read: {@code done} is how much this call has transferred so far. */
  public interface Source {
    int read(ByteBuffer dst, long done);
  }

  /** A sink for a write. */
  public interface Sink {
    int write(ByteBuffer src, long done);
  }

  /**
   * Reads into the buffers. {@code repeat}: keep reading after a full chunk (regular files,
   * whose reads never block); otherwise one read of at most one chunk, so a pipe or terminal
   * returns what it has instead of waiting to fill the whole request.
   */
  public long readInto(GuestMemory memory, Source source, boolean repeat) {
    if (total == 0) {
      return vector ? 0 : source.read(ByteBuffer.allocate(0), 0);
    }
    long ok = accessiblePrefix(memory, GuestMemory.PROT_WRITE);
    if (ok == 0) {
      probe(() -> source.read(ByteBuffer.allocate(0), 0));
      throw Errno.EFAULT.exception();
    }
    long done = 0;
    while (done < ok) {
      int chunk = (int) Math.min(ok - done, CHUNK);
      ByteBuffer buf = ByteBuffer.allocate(chunk);
      int n;
      try {
        n = source.read(buf, done);
      } catch (ErrnoException | Interrupted e) {
        if (done > 0) {
          return done; // a later failure or interruption leaves what was done
        }
        throw e;
      }
      if (n <= 0) {
        break;
      }
      scatter(memory, done, buf.array(), n);
      done += n;
      if (n < chunk || !repeat) {
        break;
      }
    }
    return done;
  }

  /** Writes from the buffers; stops at the first short write (a non-blocking pipe, a full disk). */
  public long writeFrom(GuestMemory memory, Sink sink) {
    if (total == 0) {
      return vector ? 0 : sink.write(ByteBuffer.allocate(0), 0);
    }
    long ok = accessiblePrefix(memory, GuestMemory.PROT_READ);
    if (ok == 0) {
      probe(() -> sink.write(ByteBuffer.allocate(0), 0));
      throw Errno.EFAULT.exception();
    }
    long done = 0;
    while (done < ok) {
      int chunk = (int) Math.min(ok - done, CHUNK);
      byte[] data = gather(memory, done, chunk);
      int n;
      try {
        n = sink.write(ByteBuffer.wrap(data), done);
      } catch (ErrnoException | Interrupted e) {
        if (done > 0) {
          return done; // a later failure or interruption leaves what was done
        }
        throw e;
      }
      done += n;
      if (n < chunk) {
        break;
      }
    }
    return done;
  }

  /**
   * A zero-length transfer before failing with EFAULT, so that the errors Linux gives before it
   * touches the buffer (EISDIR, EBADF, EAGAIN, EPIPE...) win. EINVAL is not one of them: it only
   * says that a zero length is too short (an eventfd wants 8 bytes), which the real length is not.
   */
  private static void probe(Runnable transfer) {
    try {
      transfer.run();
    } catch (ErrnoException e) {
      if (e.errno() != Errno.EINVAL) {
        throw e;
      }
    }
  }

  /** Copies {@code b[0, n)} to the buffers at transfer offset {@code at}. */
  private void scatter(GuestMemory memory, long at, byte[] b, int n) {
    walk(memory, at, b, n, true);
  }

  /** {@code n} bytes of the buffers from transfer offset {@code at}. */
  private byte[] gather(GuestMemory memory, long at, int n) {
    byte[] b = new byte[n];
    walk(memory, at, b, n, false);
    return b;
  }

  /** Moves {@code b[0, n)} into ({@code toGuest}) or out of the buffers, from offset {@code at}. */
  private void walk(GuestMemory memory, long at, byte[] b, int n, boolean toGuest) {
    int off = 0;
    long skip = at;
    try {
      for (int i = 0; i < addrs.length && off < n; i++) {
        if (skip >= lens[i]) {
          skip -= lens[i];
          continue;
        }
        int len = (int) Math.min(lens[i] - skip, n - off);
        if (toGuest) {
          memory.writeBytes(addrs[i] + skip, b, off, len);
        } else {
          memory.readBytes(addrs[i] + skip, b, off, len);
        }
        off += len;
        skip = 0;
      }
    } catch (MemoryFault fault) {
      // Unmapped by another thread since the check: as copy_to_user/copy_from_user failing midway.
      throw Errno.EFAULT.exception();
    }
  }
}
