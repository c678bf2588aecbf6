package dev.blinkchroot.emulator.kernel.ipc;

import dev.blinkchroot.emulator.kernel.fd.KernelFiles;
import dev.blinkchroot.emulator.kernel.fd.PollEvents;
import dev.blinkchroot.emulator.kernel.sync.WaitQueue;
import dev.blinkchroot.emulator.kernel.timer.IntervalTimer;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * A timerfd (timerfd_create(2)): a timer whose expirations are counted on the description and
 * read from it, so it lives as long as the description does (shared across dup and fork, stopped
 * by the last close).
 *
 * <ul>
 *   <li>read: "If the timer has already expired one or more times since its settings were last
 *       modified using timerfd_settime(), or since the last successful read(2), then the buffer
 *       given to read(2) returns an unsigned 8-byte integer (uint64_t) containing the number of
 *       expirations that have occurred"; with none, it blocks or fails with EAGAIN; "read(2)
 *       fails with the error EINVAL if the size of the supplied buffer is less than 8 bytes".
 *   <li>poll: readable "if one or more timer expirations have occurred".
 *   <li>write: not supported (EINVAL, as for any file without a write method).
 * </ul>
 */
public final class TimerFd extends AnonInodeFile {
  public static final int TFD_NONBLOCK = Fcntl.O_NONBLOCK;
  public static final int TFD_CLOEXEC = Fcntl.O_CLOEXEC;
  public static final int TFD_TIMER_ABSTIME = 1;
  public static final int TFD_TIMER_CANCEL_ON_SET = 2;

  private final IntervalTimer timer;
  private final WaitQueue queue = new WaitQueue();
  /** Expirations not yet read. */
  private long ticks;

  /** A disarmed timerfd; {@code makeTimer} builds its clock's timer around the listener. */
  public TimerFd(Function<IntervalTimer.Listener, IntervalTimer> makeTimer, int tfdFlags,
      KernelFiles files) {
    super("timerfd", tfdFlags, files);
    this.timer = makeTimer.apply(this::expired);
  }

  private void expired(long count) {
    synchronized (this) {
      ticks = IntervalTimer.saturatedAdd(ticks, count);
    }
    queue.wake(PollEvents.READABLE);
  }

  /**
   * timerfd_settime: the new setting, and the expirations not yet read are forgotten ("since
   * its settings were last modified"). Returns the old setting.
   */
  public IntervalTimer.Setting set(long value, long interval, boolean absolute) {
    synchronized (this) {
      ticks = 0;
    }
    return timer.set(value, interval, absolute);
  }

  /** timerfd_gettime: time to the next expiry (0 when disarmed) and the interval. */
  public IntervalTimer.Setting get() {
    return timer.get();
  }

  @Override
  public int read(ByteBuffer dst) {
    return readCount(dst, queue, () -> {
      long value = ticks;
      ticks = 0;
      return value;
    }, () -> ticks != 0);
  }

  @Override
  public int write(ByteBuffer src) {
    throw Errno.EINVAL.exception();
  }

  @Override
  public WaitQueue pollQueue() {
    return queue;
  }

  @Override
  public synchronized int pollReady(int events) {
    return ticks != 0 ? PollEvents.READABLE : 0;
  }

  @Override
  public void close() {
    timer.cancel();
    super.close();
  }
}
