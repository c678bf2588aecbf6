package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.abi.StructLayouts;
import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.fd.PollEvents;
import dev.blinkchroot.emulator.kernel.ipc.Epoll;
import dev.blinkchroot.emulator.kernel.sync.Interrupted;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FileType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * epoll_create, epoll_create1, epoll_ctl, epoll_wait, epoll_pwait and epoll_pwait2 (epoll(7));
 * the instance is {@link Epoll}, the wait is poll's ({@link PollSyscalls#waitUntilReady}).
 */
public final class EpollSyscalls {
  private EpollSyscalls() {}

  static final int EPOLL_CTL_ADD = 1;
  static final int EPOLL_CTL_DEL = 2;
  static final int EPOLL_CTL_MOD = 3;
  /** EP_MAX_EVENTS: maxevents above INT_MAX / sizeof(struct epoll_event) is EINVAL. */
  static final int MAX_EVENTS = Integer.MAX_VALUE / Epoll.EVENT_SIZE;

  /** epoll_create(size): "EINVAL size is not positive"; otherwise size is ignored. */
  public static long epollCreate(Task t) {
    if (t.intArg(0) <= 0) {
      throw Errno.EINVAL.exception();
    }
    return create(t, 0);
  }

  /** epoll_create1(flags): "EINVAL Invalid value specified in flags" (only EPOLL_CLOEXEC). */
  public static long epollCreate1(Task t) {
    int flags = t.intArg(0);
    if ((flags & ~Epoll.EPOLL_CLOEXEC) != 0) {
      throw Errno.EINVAL.exception();
    }
    return create(t, flags);
  }

  private static long create(Task t, int flags) {
    Opens.requireFreeDescriptor(t.fds());
    return Opens.install(t, new Epoll(0, t.kernel().files()),
        (flags & Epoll.EPOLL_CLOEXEC) != 0);
  }

  /**
   * epoll_ctl(epfd, op, fd, event), checked as Linux does: the event is read for ADD and MOD
   * (EFAULT); "EBADF epfd or fd is not a valid file descriptor"; "EPERM The target file fd does
   * not support epoll" (regular files and directories); "EINVAL epfd is not an epoll file
   * descriptor, or fd is the same as epfd, or the requested operation op is not supported";
   * EINVAL for EPOLLEXCLUSIVE with flags it excludes; ELOOP for instances watching each other.
   */
  public static long epollCtl(Task t) {
    int op = t.intArg(1);
    int fd = t.intArg(2);
    int events = 0;
    long data = 0;
    if (op == EPOLL_CTL_ADD || op == EPOLL_CTL_MOD) {
      ByteBuffer b = StructLayouts.read(t.memory(), t.arg(3), Epoll.EVENT_SIZE);
      events = b.getInt(0);
      data = b.getLong(4);
    }
    FileDescription ep = t.fds().get(t.intArg(0));
    FileDescription target = t.fds().get(fd);
    if (!pollable(target)) {
      throw Errno.EPERM.exception();
    }
    if (!(ep instanceof Epoll) || ep == target) {
      throw Errno.EINVAL.exception();
    }
    Epoll epoll = (Epoll) ep;
    switch (op) {
      case EPOLL_CTL_ADD:
        if ((events & Epoll.EPOLLEXCLUSIVE) != 0
            && ((events & ~EXCLUSIVE_OK) != 0 || target instanceof Epoll)) {
          throw Errno.EINVAL.exception();
        }
        if (target instanceof Epoll && ((Epoll) target).reaches(epoll)) {
          throw Errno.ELOOP.exception();
        }
        epoll.add(fd, target, events, data);
        return 0;
      case EPOLL_CTL_MOD:
        epoll.modify(fd, events, data);
        return 0;
      case EPOLL_CTL_DEL:
        epoll.remove(fd);
        return 0;
      default:
        throw Errno.EINVAL.exception();
    }
  }

  /**
   * What EPOLLEXCLUSIVE may come with: "EINVAL An invalid event type was specified along with
   * EPOLLEXCLUSIVE in events" (EPOLLONESHOT among them), or the target is an epoll instance.
   */
  private static final int EXCLUSIVE_OK = PollEvents.POLLIN | PollEvents.POLLOUT
      | PollEvents.POLLERR | PollEvents.POLLHUP | Epoll.EPOLLWAKEUP | Epoll.EPOLLET
      | Epoll.EPOLLEXCLUSIVE;

  /** Regular files and directories have no poll method: epoll refuses them (EPERM). */
  private static boolean pollable(FileDescription d) {
    FileType type;
    try {
      type = d.stat().type();
    } catch (ErrnoException e) {
      return true;
    }
    return type != FileType.REGULAR && type != FileType.DIRECTORY;
  }

  /** epoll_wait(epfd, events, maxevents, timeout): timeout in milliseconds, -1 forever. */
  public static long epollWait(Task t) {
    return waitFor(t, millis(t.intArg(3)));
  }

  /**
   * epoll_pwait(epfd, events, maxevents, timeout, sigmask, sigsetsize): as epoll_wait with the
   * mask in place for the wait ("EINVAL sigsetsize" other than 8).
   */
  public static long epollPwait(Task t) {
    return withMask(t, millis(t.intArg(3)));
  }

  /** epoll_pwait2(epfd, events, maxevents, timeout, sigmask, sigsetsize): a timespec timeout. */
  public static long epollPwait2(Task t) {
    long ts = t.arg(3);
    return withMask(t, ts == 0 ? -1 : StructLayouts.readTimespec(t.memory(), ts));
  }

  private static long millis(int timeoutMs) {
    return timeoutMs < 0 ? -1 : timeoutMs * 1_000_000L;
  }

  private static long withMask(Task t, long timeout) {
    Long mask = PollSyscalls.readSigmask(t, t.arg(4), t.arg(5));
    PollSyscalls.setWaitMask(t, mask);
    return PollSyscalls.withWaitMask(t, () -> {
      try {
        return waitFor(t, timeout);
      } catch (ErrnoException e) {
        return -e.errno().number();
      }
    });
  }

  /**
   * The wait: "EINVAL ... maxevents is less than or equal to zero"; EBADF, EINVAL for a
   * descriptor that is no epoll instance; EFAULT for the events buffer. Returns the number of
   * events written, 0 after the timeout. A signal ends it with EINTR, never restarted: epoll_wait
   * is "never restarted after being interrupted by a signal handler", and on Linux a stop and
   * SIGCONT end it with EINTR too (signal(7)).
   */
  private static long waitFor(Task t, long timeout) {
    int max = t.intArg(2);
    if (max <= 0 || max > MAX_EVENTS) {
      throw Errno.EINVAL.exception();
    }
    FileDescription d = t.fds().get(t.intArg(0));
    if (!(d instanceof Epoll)) {
      throw Errno.EINVAL.exception();
    }
    Epoll epoll = (Epoll) d;
    long eventsAddr = t.arg(1);
    int room = Math.min(max, 1024);
    ByteBuffer out = ByteBuffer.allocate(room * Epoll.EVENT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    int n;
    try {
      n = PollSyscalls.waitUntilReady(t, epoll.watched(), timeout,
          () -> epoll.collect(t.fds(), room, out));
    } catch (Interrupted i) {
      throw Errno.EINTR.exception();
    }
    if (n > 0) {
      byte[] bytes = new byte[n * Epoll.EVENT_SIZE];
      out.get(0, bytes);
      GuestIo.write(t.memory(), eventsAddr, bytes);
    }
    return n;
  }
}
