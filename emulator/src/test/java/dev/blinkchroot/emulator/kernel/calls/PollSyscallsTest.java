package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_DIRECTORY;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_RDONLY;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.UNMAPPED;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.err;
import static dev.blinkchroot.emulator.kernel.calls.PollCallsSupport.invoke;
import static dev.blinkchroot.emulator.kernel.calls.PollCallsSupport.pollfds;
import static dev.blinkchroot.emulator.kernel.calls.PollCallsSupport.revents;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.fd.FdTable;
import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.sync.Interrupted;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.Stat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * poll and ppoll: readiness of pipes, files, directories, eventfds and stream-like descriptors,
 * negative and closed descriptors, timeouts, EFAULT/EINVAL, the ppoll timespec and mask. The
 * expected revents are what a native Linux 6.x run gave for the same calls.
 */
class PollSyscallsTest {
  static final int POLLIN = 0x1;
  static final int POLLPRI = 0x2;
  static final int POLLOUT = 0x4;
  static final int POLLERR = 0x8;
  static final int POLLHUP = 0x10;
  static final int POLLNVAL = 0x20;
  static final int POLLRDNORM = 0x40;
  static final int POLLWRNORM = 0x100;
  static final int POLLRDHUP = 0x2000;

  private final FileCalls f = new FileCalls();
  private final KernelFixture k = f.k;

  private long poll(long fds, long nfds, long timeoutMs) {
    return invoke(k.task, PollSyscalls::poll, fds, nfds, timeoutMs);
  }

  private long ppoll(long fds, long nfds, long ts, long mask, long size) {
    return invoke(k.task, PollSyscalls::ppoll, fds, nfds, ts, mask, size);
  }

  private int eventfd(long initial) {
    long fd = k.call("eventfd2", initial, 0);
    assertTrue(fd >= 0, "eventfd2: " + fd);
    return (int) fd;
  }

  private long u64(long v) {
    return k.bytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
  }

  @Test
  void poll_emptyPipe_readEndNotReady_writeEndWritable() {
    int[] p = f.pipe(0);
    long fds = pollfds(k, p[0], POLLIN, 0, p[1], POLLOUT, 0);
    assertEquals(1, poll(fds, 2, 0));
    assertEquals(0, revents(k, fds, 0));
    assertEquals(POLLOUT, revents(k, fds, 1));
  }

  @Test
  void poll_pipeWithData_isReadable_andInfiniteTimeoutReturnsAtOnce() {
    int[] p = f.pipe(0);
    f.write(p[1], "z");
    long fds = pollfds(k, p[0], POLLIN, 0, p[1], POLLOUT, 0);
    assertEquals(2, poll(fds, 2, 0));
    assertEquals(POLLIN, revents(k, fds, 0));
    assertEquals(POLLOUT, revents(k, fds, 1));
    assertEquals(2, poll(fds, 2, -1));
  }

  @Test
  void poll_writerClosed_givesPollhup_withPollinOnlyWhileDataRemains() {
    int[] p = f.pipe(0);
    f.write(p[1], "ab");
    k.call("close", p[1]);
    long fds = pollfds(k, p[0], POLLIN | POLLRDNORM, 0);
    assertEquals(1, poll(fds, 1, 0));
    assertEquals(POLLIN | POLLRDNORM | POLLHUP, revents(k, fds, 0));
    assertEquals("ab", f.read(p[0], 2));
    assertEquals(1, poll(fds, 1, 100));
    assertEquals(POLLHUP, revents(k, fds, 0));
    long none = pollfds(k, p[0], 0, 0);
    assertEquals(1, poll(none, 1, 0));
    assertEquals(POLLHUP, revents(k, none, 0), "POLLHUP is reported even when not asked for");
  }

  @Test
  void poll_readerClosed_givesPollerrOnTheWriteEnd() {
    int[] p = f.pipe(0);
    k.call("close", p[0]);
    long fds = pollfds(k, p[1], 0, 0);
    assertEquals(1, poll(fds, 1, 0));
    assertEquals(POLLERR, revents(k, fds, 0));
    long out = pollfds(k, p[1], POLLOUT, 0);
    assertEquals(1, poll(out, 1, 0));
    assertEquals(POLLOUT | POLLERR, revents(k, out, 0));
  }

  @Test
  void poll_fullPipe_isNotWritable() {
    int[] p = f.pipe(FileCalls.O_NONBLOCK);
    long big = 0x3000_0000L;
    k.process.memory().map(big, 65536, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    assertEquals(65536, k.call("write", p[1], big, 65536));
    long fds = pollfds(k, p[1], POLLOUT, 0);
    assertEquals(0, poll(fds, 1, 0));
    assertEquals(0, revents(k, fds, 0));
    assertEquals(4096, k.call("read", p[0], big, 4096));
    assertEquals(1, poll(fds, 1, 0));
    assertEquals(POLLOUT, revents(k, fds, 0));
  }

  @Test
  void poll_negativeFd_isIgnored_andItsReventsCleared() {
    long fds = pollfds(k, -1, POLLIN, 77);
    assertEquals(0, poll(fds, 1, 0));
    assertEquals(0, revents(k, fds, 0));
  }

  @Test
  void poll_closedFd_givesPollnval_whateverWasAsked() {
    long fds = pollfds(k, 99, POLLIN, 0, 98, 0, 0);
    assertEquals(2, poll(fds, 2, 0));
    assertEquals(POLLNVAL, revents(k, fds, 0));
    assertEquals(POLLNVAL, revents(k, fds, 1));
  }

  @Test
  void poll_regularFileAndDirectory_areAlwaysReady() {
    int fd = f.file("f", "data");
    long fds = pollfds(k, fd, POLLIN | POLLOUT, 0);
    assertEquals(1, poll(fds, 1, -1));
    assertEquals(POLLIN | POLLOUT, revents(k, fds, 0));
    k.call("lseek", fd, 0, 2); // at end of file: still readable
    assertEquals(1, poll(fds, 1, 0));
    assertEquals(POLLIN | POLLOUT, revents(k, fds, 0));
    int dir = f.openOk("/", O_RDONLY | O_DIRECTORY, 0);
    long d = pollfds(k, dir, POLLIN | POLLOUT | POLLPRI | POLLRDHUP, 0);
    assertEquals(1, poll(d, 1, 0));
    assertEquals(POLLIN | POLLOUT, revents(k, d, 0));
    long all = pollfds(k, fd, 0xffff, 0);
    assertEquals(1, poll(all, 1, 0));
    assertEquals(0x145, revents(k, all, 0), "DEFAULT_POLLMASK");
  }

  @Test
  void poll_eventfd_readableAboveZero_writableBelowTheMaximum() {
    int e = eventfd(0);
    long fds = pollfds(k, e, POLLIN | POLLOUT, 0);
    assertEquals(1, poll(fds, 1, 0));
    assertEquals(POLLOUT, revents(k, fds, 0));
    assertEquals(8, k.call("write", e, u64(1), 8));
    assertEquals(1, poll(fds, 1, 0));
    assertEquals(POLLIN | POLLOUT, revents(k, fds, 0));
    int full = eventfd(0);
    assertEquals(8, k.call("write", full, u64(0xfffffffffffffffeL), 8));
    long g = pollfds(k, full, POLLIN | POLLOUT, 0);
    assertEquals(1, poll(g, 1, 0));
    assertEquals(POLLIN, revents(k, g, 0));
  }

  @Test
  void poll_timeout50ms_onAnEmptyPipe_returnsZero_afterAtLeast50ms() {
    int[] p = f.pipe(0);
    long fds = pollfds(k, p[0], POLLIN, 0);
    long start = System.nanoTime();
    assertEquals(0, poll(fds, 1, 50));
    assertTrue(System.nanoTime() - start >= 50_000_000L);
    assertEquals(0, revents(k, fds, 0));
  }

  @Test
  void poll_noDescriptors_sleepsTheTimeout() {
    long start = System.nanoTime();
    assertEquals(0, poll(0, 0, 10));
    assertTrue(System.nanoTime() - start >= 10_000_000L);
    assertEquals(0, poll(0, 0, 0));
  }

  @Test
  void poll_badPointer_isEfault_andReadOnlyArrayIsEfaultOnWriteBack() {
    assertEquals(err(Errno.EFAULT), poll(UNMAPPED, 1, 0));
    assertEquals(err(Errno.EFAULT), poll(0, 1, 0));
    long ro = 0x3100_0000L;
    k.process.memory().map(ro, 4096, GuestMemory.PROT_READ);
    assertEquals(err(Errno.EFAULT), poll(ro, 1, 0));
  }

  @Test
  void poll_nfdsAboveRlimitNofile_isEinval() {
    assertEquals(err(Errno.EINVAL), poll(UNMAPPED, FdTable.DEFAULT_LIMIT + 1, 0));
    assertEquals(err(Errno.EINVAL), poll(UNMAPPED, 0xffff_ffffL, 0));
    assertEquals(err(Errno.EFAULT), poll(UNMAPPED, FdTable.DEFAULT_LIMIT, 0));
  }

  @Test
  void poll_interruptedBySignal_isNotRestartedAfterAHandler() {
    int[] p = f.pipe(0);
    long fds = pollfds(k, p[0], POLLIN, 0);
    k.raiseHandled(Signals.SIGUSR1);
    Interrupted i = assertThrows(Interrupted.class, () -> poll(fds, 1, -1));
    assertEquals(Interrupted.ERESTARTNOHAND, i.code());
  }

  /** A pipe-like stream (as the host's stdin is): readable only when bytes are available. */
  private static final class StreamLike extends CapturingDescriptionLike {
    int available;

    StreamLike(int accessMode) {
      super(accessMode);
    }

    @Override
    public int available() {
      return available;
    }
  }

  private static class CapturingDescriptionLike implements FileDescription {
    private final int flags;

    CapturingDescriptionLike(int flags) {
      this.flags = flags;
    }

    @Override
    public int read(ByteBuffer dst) {
      return 0;
    }

    @Override
    public int write(ByteBuffer src) {
      return src.remaining();
    }

    @Override
    public Stat stat() {
      return new Stat(0, 0, 0010600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0);
    }

    @Override
    public int flags() {
      return flags;
    }

    @Override
    public void setStatusFlags(int f) {}

    @Override
    public void close() {}
  }

  @Test
  void poll_streamLikeStdin_isReadableOnlyWithBytesAvailable() {
    StreamLike in = new StreamLike(Fcntl.O_RDONLY);
    int fd = k.process.fds().add(in, false);
    long fds = pollfds(k, fd, POLLIN | POLLOUT, 0);
    assertEquals(0, poll(fds, 1, 0));
    in.available = 3;
    assertEquals(1, poll(fds, 1, 0));
    assertEquals(POLLIN, revents(k, fds, 0), "a read-only pipe end is never writable");
    StreamLike out = new StreamLike(Fcntl.O_WRONLY);
    int ofd = k.process.fds().add(out, false);
    long o = pollfds(k, ofd, POLLIN | POLLOUT, 0);
    assertEquals(1, poll(o, 1, 0));
    assertEquals(POLLOUT, revents(k, o, 0));
  }

  @Test
  void poll_fixtureStdin_unknownAvailability_countsAsReady() {
    long fds = pollfds(k, 0, POLLIN, 0);
    assertEquals(1, poll(fds, 1, 0));
    assertEquals(POLLIN, revents(k, fds, 0));
  }

  @Test
  void ppoll_nullTimeout_waitsForData_andReturnsAtOnceWhenReady() {
    int[] p = f.pipe(0);
    f.write(p[1], "y");
    long fds = pollfds(k, p[0], POLLIN, 0);
    assertEquals(1, ppoll(fds, 1, 0, 0, 8));
    assertEquals(POLLIN, revents(k, fds, 0));
  }

  @Test
  void ppoll_timeout_returnsZero_andTheTimespecHoldsTheTimeLeft() {
    int[] p = f.pipe(0);
    long fds = pollfds(k, p[0], POLLIN, 0);
    long ts = PollCallsSupport.pair(k, 0, 20_000_000);
    long start = System.nanoTime();
    assertEquals(0, ppoll(fds, 1, ts, 0, 8));
    assertTrue(System.nanoTime() - start >= 20_000_000L);
    assertEquals(0, PollCallsSupport.first(k, ts));
    assertEquals(0, PollCallsSupport.second(k, ts));
    f.write(p[1], "x");
    long one = PollCallsSupport.pair(k, 1, 0);
    assertEquals(1, ppoll(fds, 1, one, 0, 8));
    long left = PollCallsSupport.first(k, one) * 1_000_000_000L + PollCallsSupport.second(k, one);
    assertTrue(left > 500_000_000L && left <= 1_000_000_000L, "left " + left);
    long zero = PollCallsSupport.pair(k, 0, 0);
    assertEquals(1, ppoll(fds, 1, zero, 0, 8));
    assertEquals(0, PollCallsSupport.second(k, zero));
  }

  @Test
  void ppoll_invalidTimespec_isEinval_andBadPointerEfault() {
    long fds = pollfds(k, -1, POLLIN, 0);
    assertEquals(err(Errno.EINVAL), ppoll(fds, 1, PollCallsSupport.pair(k, 0, 1_000_000_000), 0, 8));
    assertEquals(err(Errno.EINVAL), ppoll(fds, 1, PollCallsSupport.pair(k, -1, 0), 0, 8));
    assertEquals(err(Errno.EFAULT), ppoll(fds, 1, UNMAPPED, 0, 8));
    assertEquals(err(Errno.EFAULT), ppoll(UNMAPPED, 1, PollCallsSupport.pair(k, 0, 0), 0, 8));
  }

  @Test
  void ppoll_sigmask_sizeMustBe8_nullMaskSizeUnchecked_badMaskEfault_andMaskRestored() {
    long fds = pollfds(k, -1, POLLIN, 0);
    long ts = PollCallsSupport.pair(k, 0, 0);
    long mask = u64(0x4);
    assertEquals(err(Errno.EINVAL), ppoll(fds, 1, ts, mask, 4));
    assertEquals(0, ppoll(fds, 1, ts, 0, 4));
    assertEquals(err(Errno.EFAULT), ppoll(fds, 1, ts, UNMAPPED, 8));
    k.task.setSignalMask(0x1);
    assertEquals(0, ppoll(fds, 1, ts, mask, 8));
    assertEquals(0x1, k.task.signalMask(), "the caller's mask is back after the wait");
  }
}
