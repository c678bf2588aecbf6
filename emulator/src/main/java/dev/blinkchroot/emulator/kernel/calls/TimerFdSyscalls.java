package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.ipc.TimerFd;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.kernel.timer.IntervalTimer;
import dev.blinkchroot.vfs.Errno;

/**
 * timerfd_create, timerfd_settime and timerfd_gettime (timerfd_create(2)); the descriptor itself
 * is {@link TimerFd}. The itimerspec layout is {@link TimerSyscalls}'s.
 */
public final class TimerFdSyscalls {
  private TimerFdSyscalls() {}

  private static final int CREATE_FLAGS = TimerFd.TFD_NONBLOCK | TimerFd.TFD_CLOEXEC;
  private static final int SETTIME_FLAGS = TimerFd.TFD_TIMER_ABSTIME
      | TimerFd.TFD_TIMER_CANCEL_ON_SET;

  /**
   * timerfd_create(clockid, flags): "EINVAL The clockid is not valid" (CLOCK_REALTIME,
   * CLOCK_MONOTONIC, CLOCK_BOOTTIME and the two alarm clocks are); "EINVAL flags is invalid";
   * "EPERM clockid was CLOCK_REALTIME_ALARM or CLOCK_BOOTTIME_ALARM but the caller did not have
   * the CAP_WAKE_ALARM capability".
   */
  public static long timerfdCreate(Task t) {
    int clockid = t.intArg(0);
    int flags = t.intArg(1);
    if ((flags & ~CREATE_FLAGS) != 0 || !timerfdClock(clockid)) {
      throw Errno.EINVAL.exception();
    }
    var make = TimerSyscalls.timerMaker(t, clockid);
    Opens.requireFreeDescriptor(t.fds());
    return Opens.install(t, new TimerFd(make, flags, t.kernel().files()),
        (flags & TimerFd.TFD_CLOEXEC) != 0);
  }

  private static boolean timerfdClock(int clockid) {
    switch (clockid) {
      case Clocks.CLOCK_REALTIME:
      case Clocks.CLOCK_MONOTONIC:
      case Clocks.CLOCK_BOOTTIME:
      case Clocks.CLOCK_REALTIME_ALARM:
      case Clocks.CLOCK_BOOTTIME_ALARM:
        return true;
      default:
        return false;
    }
  }

  /**
   * timerfd_settime(fd, flags, new_value, old_value): new_value is read first (EFAULT, then
   * "EINVAL new_value is not properly initialized (one of the tv_nsec falls outside the range
   * zero to 999,999,999)" or "flags is invalid"), then fd ("EBADF fd is not a valid file
   * descriptor", "EINVAL fd is not a valid timerfd file descriptor"). TFD_TIMER_CANCEL_ON_SET is
   * accepted; the host's clock being set is never seen, so such a read is never ECANCELED.
   */
  public static long timerfdSettime(Task t) {
    int flags = t.intArg(1);
    long[] setting = TimerSyscalls.readItimerspec(t, t.arg(2));
    if ((flags & ~SETTIME_FLAGS) != 0) {
      throw Errno.EINVAL.exception();
    }
    TimerFd fd = timerfd(t, t.intArg(0));
    IntervalTimer.Setting old = fd.set(setting[1], setting[0],
        (flags & TimerFd.TFD_TIMER_ABSTIME) != 0);
    if (t.arg(3) != 0) {
      TimerSyscalls.writeItimerspec(t, t.arg(3), old);
    }
    return 0;
  }

  /** timerfd_gettime(fd, curr_value): EBADF, EINVAL for a descriptor that is no timerfd. */
  public static long timerfdGettime(Task t) {
    TimerFd fd = timerfd(t, t.intArg(0));
    TimerSyscalls.writeItimerspec(t, t.arg(1), fd.get());
    return 0;
  }

  private static TimerFd timerfd(Task t, int fd) {
    FileDescription d = t.fds().get(fd);
    if (!(d instanceof TimerFd)) {
      throw Errno.EINVAL.exception();
    }
    return (TimerFd) d;
  }
}
