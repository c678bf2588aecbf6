package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.abi.StructLayouts;
import dev.blinkchroot.emulator.kernel.sync.Interrupted;
import dev.blinkchroot.emulator.kernel.sync.Waiter;
import dev.blinkchroot.emulator.kernel.task.Capabilities;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;

/**
 * The Time family: clock_gettime, clock_getres, gettimeofday, time, and the sleeps nanosleep
 * and clock_nanosleep. Clocks are {@link Clocks}; timespecs are validated as nanosleep(2) says.
 * A sleep parks the guest thread; an interrupt of the Java thread (the way a future signal or
 * the end of the run wakes it) returns EINTR with the remaining time.
 */
public final class TimeSyscalls {
  private TimeSyscalls() {}

  /** clock_nanosleep's flag for an absolute deadline. */
  static final int TIMER_ABSTIME = 1;

  /** clock_gettime(clockid, tp): EINVAL for an unknown clock, EFAULT for a bad tp. */
  public static long clockGettime(Task t) {
    long nanos = Clocks.read(t, t.intArg(0));
    StructLayouts.writeTimespec(t.memory(), t.arg(1), nanos);
    return 0;
  }

  /** clock_getres(clockid, res): "If res is NULL, the clock resolution is not returned." */
  public static long clockGetres(Task t) {
    long res = Clocks.resolution(t, t.intArg(0));
    if (t.arg(1) != 0) {
      StructLayouts.writeTimespec(t.memory(), t.arg(1), res);
    }
    return 0;
  }

  /**
   * gettimeofday(tv, tz): either may be NULL; the timezone is the kernel's, which nothing sets
   * here: minutes west 0, no DST ("The use of the timezone structure is obsolete").
   */
  public static long gettimeofday(Task t) {
    long tv = t.arg(0);
    long tz = t.arg(1);
    if (tv != 0) {
      StructLayouts.writeTimeval(t.memory(), tv, Clocks.realtimeNanos());
    }
    if (tz != 0) {
      GuestIo.write(t.memory(), tz, new byte[StructLayouts.TIMEZONE_SIZE]);
    }
    return 0;
  }

  /** time(tloc): seconds since the epoch, also stored in *tloc unless it is NULL (EFAULT). */
  public static long time(Task t) {
    long seconds = Math.floorDiv(Clocks.realtimeNanos(), StructLayouts.NSEC_PER_SEC);
    if (t.arg(0) != 0) {
      GuestIo.writeLong(t.memory(), t.arg(0), seconds);
    }
    return seconds;
  }

  /**
   * nanosleep(req, rem): sleeps on CLOCK_MONOTONIC. EFAULT/EINVAL for req as readTimespec says.
   * "If the call is interrupted by a signal handler, nanosleep() returns -1, sets errno to EINTR,
   * and writes the remaining time into the structure pointed to by rem unless rem is NULL" — so
   * rem is untouched after a full sleep.
   */
  public static long nanosleep(Task t) {
    long duration = StructLayouts.readTimespec(t.memory(), t.arg(0));
    return sleepFor(t, duration, t.arg(1));
  }

  /**
   * clock_nanosleep(clockid, flags, request, remain). "EINVAL The clockid was invalid.
   * (CLOCK_THREAD_CPUTIME_ID is not a permitted value for clockid.)"; the clocks without timers
   * (MONOTONIC_RAW and the coarse ones) fail with ENOTSUP as Linux's do; the alarm clocks need
   * CAP_WAKE_ALARM (EPERM). Sleeping on the caller's own process CPU clock is refused with ENOTSUP:
   * with one thread, the sleeping thread is the only one that could advance it. With
   * TIMER_ABSTIME the request is a deadline on the clock, and remain is never written.
   */
  public static long clockNanosleep(Task t) {
    int clockid = t.intArg(0);
    int flags = t.intArg(1);
    Clocks.Kind kind = Clocks.kind(t, clockid);
    if (kind == Clocks.Kind.THREAD_CPU) {
      throw Errno.EINVAL.exception();
    }
    if (kind == Clocks.Kind.PROCESS_CPU || clockid == Clocks.CLOCK_MONOTONIC_RAW
        || clockid == Clocks.CLOCK_REALTIME_COARSE || clockid == Clocks.CLOCK_MONOTONIC_COARSE) {
      throw Errno.ENOTSUP.exception();
    }
    if ((clockid == Clocks.CLOCK_REALTIME_ALARM || clockid == Clocks.CLOCK_BOOTTIME_ALARM)
        && !Capabilities.has(t, Capabilities.CAP_WAKE_ALARM)) {
      throw Errno.EPERM.exception();
    }
    long request = StructLayouts.readTimespec(t.memory(), t.arg(2));
    if ((flags & TIMER_ABSTIME) == 0) {
      return sleepFor(t, request, t.arg(3));
    }
    // An absolute deadline: sleep until the clock reads it (re-reading the clock after each
    // wake-up, so a realtime clock stepped by the host is followed).
    while (true) {
      long left = request - Clocks.read(t, clockid);
      if (left <= 0) {
        return 0;
      }
      if (!t.waiter().sleepUntil(System.nanoTime() + left)) {
        // The same call runs again, unless a handler ran ("never restarted after being
        // interrupted by a signal handler").
        throw Interrupted.RESTART_NOHAND;
      }
    }
  }

  /**
   * Sleeps {@code nanos}. On an interrupt writes what is left to {@code remAddr} and asks for a
   * restart through restart_syscall, which sleeps until the same deadline (when no handler ran,
   * signal(7): a stop and continue does not shorten a sleep); a handler makes it EINTR.
   */
  private static long sleepFor(Task t, long nanos, long remAddr) {
    long start = System.nanoTime();
    long deadline = nanos > Long.MAX_VALUE - start ? Waiter.FOREVER : start + nanos;
    return sleepUntil(t, deadline, remAddr);
  }

  private static long sleepUntil(Task t, long deadline, long remAddr) {
    if (t.waiter().sleepUntil(deadline)) {
      return 0;
    }
    if (remAddr != 0) {
      long left = deadline == Waiter.FOREVER ? Long.MAX_VALUE : deadline - System.nanoTime();
      StructLayouts.writeTimespec(t.memory(), remAddr, Math.max(0, left));
    }
    t.setRestartBlock(task -> sleepUntil(task, deadline, remAddr));
    return -Interrupted.ERESTART_RESTARTBLOCK;
  }
}
