package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.GuestStructs.err;
import static dev.blinkchroot.emulator.kernel.calls.TimerSyscallsTest.MS;
import static dev.blinkchroot.emulator.kernel.calls.TimerSyscallsTest.SECOND;
import static dev.blinkchroot.emulator.kernel.calls.TimerSyscallsTest.itimerspec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.fd.PollEvents;
import dev.blinkchroot.emulator.kernel.signal.SigInfo;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.task.SignalSender;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** timerfd_create/settime/gettime and signalfd/signalfd4, read and polled. */
class TimerFdSignalFdTest {
  private final KernelFixture k = new KernelFixture();

  @AfterEach
  void stopTimers() {
    k.kernel.timerScheduler().shutdown();
  }

  private int timerfd(int clock, int flags) {
    long fd = k.call("timerfd_create", clock, flags);
    assertTrue(fd >= 3, "fd " + fd);
    return (int) fd;
  }

  /** poll(fd, POLLIN, timeoutMs): the revents. */
  private int pollIn(int fd, int timeoutMs) {
    long pfd = GuestStructs.ints(k, fd, PollEvents.POLLIN);
    long n = k.call("poll", pfd, 1, timeoutMs);
    assertTrue(n >= 0, "poll " + n);
    return GuestStructs.at(k, pfd, 8).getShort(6);
  }

  @Test
  void timerfd_oneShot_becomesReadable_andReadsItsExpirationCount() {
    int fd = timerfd(Clocks.CLOCK_MONOTONIC, Fcntl.O_NONBLOCK);
    long buf = k.alloc(8);
    assertEquals(err(Errno.EAGAIN), k.call("read", fd, buf, 8));
    assertEquals(0, pollIn(fd, 0));
    assertEquals(0, k.call("timerfd_settime", fd, 0, itimerspec(k, 0, 20 * MS), 0));
    long cur = k.alloc(32);
    assertEquals(0, k.call("timerfd_gettime", fd, cur));
    long value = GuestStructs.at(k, cur, 32).getLong(24);
    assertTrue(value > 0 && value <= 20 * MS, "value " + value);
    assertEquals(PollEvents.POLLIN, pollIn(fd, 5000));
    assertEquals(8, k.call("read", fd, buf, 8));
    assertEquals(1, GuestStructs.long64(k, buf));
    assertEquals(err(Errno.EAGAIN), k.call("read", fd, buf, 8));
    assertEquals(err(Errno.EINVAL), k.call("read", fd, buf, 7));
  }

  @Test
  void timerfd_periodic_countsEveryExpiration_andABlockingReadWaits() throws Exception {
    int fd = timerfd(Clocks.CLOCK_BOOTTIME, 0);
    assertEquals(0, k.call("timerfd_settime", fd, 0, itimerspec(k, 5 * MS, 5 * MS), 0));
    Thread.sleep(40);
    long buf = k.alloc(8);
    assertEquals(8, k.call("read", fd, buf, 8));
    assertTrue(GuestStructs.long64(k, buf) >= 5, "count " + GuestStructs.long64(k, buf));
    assertEquals(8, k.call("read", fd, buf, 8), "blocks until the next expiry");
    long old = k.alloc(32);
    assertEquals(0, k.call("timerfd_settime", fd, 0, itimerspec(k, 0, 0), old));
    assertEquals(5 * MS, GuestStructs.at(k, old, 32).getLong(8));
  }

  @Test
  void timerfd_absoluteRealtimeDeadline() {
    int fd = timerfd(Clocks.CLOCK_REALTIME, 0);
    long at = Clocks.realtimeNanos() + 10 * MS;
    assertEquals(0, k.call("timerfd_settime", fd, 1 /* TFD_TIMER_ABSTIME */,
        itimerspec(k, 0, at), 0));
    long buf = k.alloc(8);
    assertEquals(8, k.call("read", fd, buf, 8));
    assertEquals(1, GuestStructs.long64(k, buf));
    assertTrue(Clocks.realtimeNanos() >= at);
  }

  @Test
  void timerfdErrors() {
    assertEquals(err(Errno.EINVAL), k.call("timerfd_create", 12345, 0));
    assertEquals(err(Errno.EINVAL), k.call("timerfd_create", Clocks.CLOCK_MONOTONIC, 0x40));
    assertEquals(err(Errno.EINVAL), k.call("timerfd_settime", 0, 0, itimerspec(k, 0, SECOND),
        0));
    assertEquals(err(Errno.EBADF), k.call("timerfd_settime", 77, 0, itimerspec(k, 0, SECOND),
        0));
    int fd = timerfd(Clocks.CLOCK_MONOTONIC, 0);
    assertEquals(err(Errno.EINVAL), k.call("timerfd_settime", fd, 0,
        GuestStructs.longs(k, 0, 0, 0, SECOND), 0));
    assertEquals(err(Errno.EINVAL), k.call("timerfd_settime", fd, 0x10,
        itimerspec(k, 0, SECOND), 0));
    assertEquals(err(Errno.EINVAL), k.call("timerfd_gettime", 0, k.alloc(32)));
    assertEquals(err(Errno.EINVAL), k.call("write", fd, GuestStructs.longs(k, 1), 8));
  }

  private void block(long set) {
    assertEquals(0, k.call("rt_sigprocmask", 0, GuestStructs.longs(k, set), 0, 8));
  }

  private int signalfd(long mask, int flags) {
    long fd = k.call("signalfd4", -1, GuestStructs.longs(k, mask), 8, flags);
    assertTrue(fd >= 3, "fd " + fd);
    return (int) fd;
  }

  @Test
  void signalfd_readsPendingSignalsOfItsMask_asSignalfdSiginfo() {
    long set = Signals.bit(Signals.SIGUSR1) | Signals.bit(Signals.SIGUSR2);
    block(set);
    int fd = signalfd(Signals.bit(Signals.SIGUSR1), Fcntl.O_NONBLOCK);
    long buf = k.alloc(256);
    assertEquals(err(Errno.EAGAIN), k.call("read", fd, buf, 256));
    assertEquals(0, pollIn(fd, 0));
    assertEquals(0, k.call("kill", 1, Signals.SIGUSR1));
    assertEquals(0, k.call("kill", 1, Signals.SIGUSR2));
    assertEquals(PollEvents.POLLIN, pollIn(fd, 0));
    assertEquals(err(Errno.EINVAL), k.call("read", fd, buf, 127));
    assertEquals(128, k.call("read", fd, buf, 256));
    ByteBuffer r = GuestStructs.at(k, buf, 128);
    assertEquals(Signals.SIGUSR1, r.getInt(0));
    assertEquals(SigInfo.SI_USER, r.getInt(8));
    assertEquals(1, r.getInt(12));
    assertTrue(k.process.sharedPending().has(Signals.SIGUSR2), "not in the mask: left");
    assertEquals(fd, k.call("signalfd", fd, GuestStructs.longs(k, set), 8));
    assertEquals(128, k.call("read", fd, buf, 256));
    assertEquals(Signals.SIGUSR2, GuestStructs.at(k, buf, 4).getInt(0));
  }

  @Test
  void signalfd_blockingRead_isWokenWhenASignalOfItsMaskIsSent() {
    block(Signals.bit(Signals.SIGUSR1));
    int fd = signalfd(Signals.bit(Signals.SIGUSR1), 0);
    Thread sender = new Thread(() -> {
      try {
        Thread.sleep(30);
      } catch (InterruptedException e) {
        return;
      }
      SignalSender.sendToProcess(k.process, SigInfo.kernel(Signals.SIGUSR1),
          SignalSender.Origin.KERNEL);
    });
    sender.start();
    long buf = k.alloc(128);
    assertEquals(128, k.call("read", fd, buf, 128));
    assertEquals(Signals.SIGUSR1, GuestStructs.at(k, buf, 4).getInt(0));
  }

  @Test
  void signalfd_timerSignal_carriesTheTimerFields() {
    int rt = Signals.SIGRTMIN + 2;
    block(Signals.bit(rt));
    int fd = signalfd(Signals.bit(rt), 0);
    SignalSender.sendToProcess(k.process, SigInfo.timer(rt, 3, 4, 99),
        SignalSender.Origin.KERNEL);
    long buf = k.alloc(128);
    assertEquals(128, k.call("read", fd, buf, 128));
    ByteBuffer r = GuestStructs.at(k, buf, 128);
    assertEquals(SigInfo.SI_TIMER, r.getInt(8));
    assertEquals(3, r.getInt(24));
    assertEquals(4, r.getInt(32));
    assertEquals(99, r.getInt(44));
    assertEquals(99, r.getLong(48));
  }

  @Test
  void signalfdErrors() {
    long mask = GuestStructs.longs(k, Signals.bit(Signals.SIGUSR1));
    assertEquals(err(Errno.EINVAL), k.call("signalfd4", -1, mask, 8, 0x10));
    assertEquals(err(Errno.EINVAL), k.call("signalfd4", -1, mask, 4, 0));
    assertEquals(err(Errno.EINVAL), k.call("signalfd", 0, mask, 8));
    assertEquals(err(Errno.EBADF), k.call("signalfd", 55, mask, 8));
    assertEquals(err(Errno.EFAULT), k.call("signalfd", -1, GuestStructs.BAD, 8));
  }
}
