package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.GuestStructs.err;
import static dev.blinkchroot.emulator.kernel.calls.TimerSyscallsTest.MS;
import static dev.blinkchroot.emulator.kernel.calls.TimerSyscallsTest.itimerspec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.fd.PollEvents;
import dev.blinkchroot.emulator.kernel.ipc.Epoll;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** epoll_create1, epoll_ctl and epoll_wait over pipes and timerfds. */
class EpollSyscallsTest {
  private final KernelFixture k = new KernelFixture();
  private final long events = k.alloc(4 * Epoll.EVENT_SIZE);

  @AfterEach
  void stopTimers() {
    k.kernel.timerScheduler().shutdown();
  }

  private int epoll() {
    long fd = k.call("epoll_create1", Fcntl.O_CLOEXEC);
    assertTrue(fd >= 3, "fd " + fd);
    return (int) fd;
  }

  private long event(int mask, long data) {
    ByteBuffer b = ByteBuffer.allocate(Epoll.EVENT_SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, mask).putLong(4, data);
    return k.bytes(b.array());
  }

  private int[] pipe() {
    long fds = k.alloc(8);
    assertEquals(0, k.call("pipe2", fds, 0));
    ByteBuffer b = GuestStructs.at(k, fds, 8);
    return new int[] {b.getInt(0), b.getInt(4)};
  }

  @Test
  void wait_reportsReadyEntriesWithTheirData_levelTriggered() {
    int ep = epoll();
    int[] p = pipe();
    assertEquals(0, k.call("epoll_ctl", ep, EpollSyscalls.EPOLL_CTL_ADD, p[0],
        event(PollEvents.POLLIN, 0x1234_5678_9abcL)));
    assertEquals(0, k.call("epoll_wait", ep, events, 4, 0));
    assertEquals(1, k.call("write", p[1], k.string("x"), 1));
    for (int again = 0; again < 2; again++) {
      assertEquals(1, k.call("epoll_wait", ep, events, 4, 1000));
      ByteBuffer e = GuestStructs.at(k, events, Epoll.EVENT_SIZE);
      assertEquals(PollEvents.POLLIN, e.getInt(0));
      assertEquals(0x1234_5678_9abcL, e.getLong(4));
    }
    assertEquals(0, k.call("epoll_ctl", ep, EpollSyscalls.EPOLL_CTL_DEL, p[0], 0));
    assertEquals(0, k.call("epoll_wait", ep, events, 4, 0));
  }

  @Test
  void oneShot_reportsOnce_untilModRearmsIt() {
    int ep = epoll();
    int[] p = pipe();
    assertEquals(1, k.call("write", p[1], k.string("x"), 1));
    assertEquals(0, k.call("epoll_ctl", ep, EpollSyscalls.EPOLL_CTL_ADD, p[0],
        event(PollEvents.POLLIN | Epoll.EPOLLONESHOT, 1)));
    assertEquals(1, k.call("epoll_wait", ep, events, 4, 0));
    assertEquals(0, k.call("epoll_wait", ep, events, 4, 0));
    assertEquals(0, k.call("epoll_ctl", ep, EpollSyscalls.EPOLL_CTL_MOD, p[0],
        event(PollEvents.POLLIN, 2)));
    assertEquals(1, k.call("epoll_wait", ep, events, 4, 0));
  }

  @Test
  void wait_sleepsUntilATimerfdExpires() {
    int ep = epoll();
    int tfd = (int) k.call("timerfd_create", Clocks.CLOCK_MONOTONIC, 0);
    assertEquals(0, k.call("epoll_ctl", ep, EpollSyscalls.EPOLL_CTL_ADD, tfd,
        event(PollEvents.POLLIN, 7)));
    assertEquals(0, k.call("timerfd_settime", tfd, 0, itimerspec(k, 0, 20 * MS), 0));
    assertEquals(1, k.call("epoll_wait", ep, events, 4, 5000));
    assertEquals(7, GuestStructs.at(k, events, Epoll.EVENT_SIZE).getLong(4));
  }

  @Test
  void closedDescriptor_leavesTheInterestList() {
    int ep = epoll();
    int[] p = pipe();
    assertEquals(0, k.call("epoll_ctl", ep, EpollSyscalls.EPOLL_CTL_ADD, p[1],
        event(PollEvents.POLLOUT, 1)));
    assertEquals(1, k.call("epoll_wait", ep, events, 4, 0));
    assertEquals(0, k.call("close", p[1]));
    assertEquals(0, k.call("epoll_wait", ep, events, 4, 0));
  }

  @Test
  void errors() {
    int ep = epoll();
    int[] p = pipe();
    long in = event(PollEvents.POLLIN, 0);
    assertEquals(err(Errno.EINVAL), k.call("epoll_create1", 1));
    assertEquals(err(Errno.EINVAL), k.call("epoll_create", 0));
    assertEquals(err(Errno.EBADF), k.call("epoll_ctl", ep, 1, 99, in));
    assertEquals(err(Errno.EINVAL), k.call("epoll_ctl", p[0], 1, p[1], in));
    assertEquals(err(Errno.EINVAL), k.call("epoll_ctl", ep, 1, ep, in));
    assertEquals(err(Errno.EINVAL), k.call("epoll_ctl", ep, 9, p[0], in));
    assertEquals(0, k.call("epoll_ctl", ep, 1, p[0], in));
    assertEquals(err(Errno.EEXIST), k.call("epoll_ctl", ep, 1, p[0], in));
    assertEquals(err(Errno.ENOENT), k.call("epoll_ctl", ep, 3, p[1], in));
    assertEquals(err(Errno.ENOENT), k.call("epoll_ctl", ep, 2, p[1], 0));
    int inner = epoll();
    assertEquals(0, k.call("epoll_ctl", inner, 1, ep, in));
    assertEquals(err(Errno.ELOOP), k.call("epoll_ctl", ep, 1, inner, in));
    assertEquals(err(Errno.EINVAL), k.call("epoll_wait", ep, events, 0, 0));
    assertEquals(err(Errno.EINVAL), k.call("epoll_wait", p[0], events, 1, 0));
    assertEquals(err(Errno.EINVAL), k.call("epoll_ctl", ep, 1, p[1],
        event(PollEvents.POLLOUT | Epoll.EPOLLEXCLUSIVE | Epoll.EPOLLONESHOT, 0)));
    long file = k.call("open", k.string("/f"), Fcntl.O_CREAT | Fcntl.O_RDWR, 0600);
    assertEquals(err(Errno.EPERM), k.call("epoll_ctl", ep, 1, file, in));
  }
}
