package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.abi.StructLayouts;
import dev.blinkchroot.emulator.kernel.signal.SigInfo;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.task.Capabilities;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.SignalSender;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.kernel.timer.IntervalTimer;
import dev.blinkchroot.emulator.kernel.timer.PosixTimer;
import dev.blinkchroot.emulator.kernel.timer.ProcessTimers;
import dev.blinkchroot.vfs.Errno;
import java.nio.ByteBuffer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The process timers: alarm, getitimer and setitimer (the three interval timers), and the POSIX
 * timers timer_create, timer_settime, timer_gettime, timer_getoverrun and timer_delete. The
 * timers live on the process ({@link ProcessTimers}); those on host clocks expire on the
 * kernel's timer thread, those on CPU-time clocks when the process's threads check them.
 *
 * <p>Layouts (x86-64, checked with gcc: sizeof/offsetof): struct itimerval {timeval
 * it_interval@0; timeval it_value@16}, struct itimerspec {timespec it_interval@0; timespec
 * it_value@16}, 32 bytes each; struct sigevent {sigval sigev_value@0; int sigev_signo@8; int
 * sigev_notify@12; int sigev_notify_thread_id@16 ...}, 64 bytes.
 */
public final class TimerSyscalls {
  private TimerSyscalls() {}

  static final int ITIMERVAL_SIZE = 32;
  static final int ITIMERSPEC_SIZE = 32;
  static final int IT_VALUE = 16;
  static final int SIGEVENT_SIZE = 64;
  static final int SIGEV_SIGNO = 8;
  static final int SIGEV_NOTIFY = 12;
  static final int SIGEV_THREAD_ID_FIELD = 16;
  static final long NSEC_PER_USEC = 1000;
  static final long USEC_PER_SEC = 1_000_000;

  /** The signal each interval timer sends (setitimer(2)). */
  private static final int[] ITIMER_SIGNALS = {Signals.SIGALRM, Signals.SIGVTALRM,
      Signals.SIGPROF};

  // ------------------------------------------------------------------- interval timers

  /**
   * alarm(seconds): ITIMER_REAL set to {@code seconds} with no interval ("In any event any
   * previously set alarm() is canceled"; 0 only cancels). Returns "the number of seconds
   * remaining until any previously scheduled alarm was due to be delivered, or zero": rounded to
   * the nearest second, and never 0 for an alarm still pending, as Linux rounds it.
   */
  public static long alarm(Task t) {
    long seconds = t.arg(0) & 0xffff_ffffL;
    IntervalTimer.Setting old = itimer(t, ProcessTimers.ITIMER_REAL)
        .set(seconds * StructLayouts.NSEC_PER_SEC, 0, false);
    long oldSec = old.value() / StructLayouts.NSEC_PER_SEC;
    long oldUsec = old.value() % StructLayouts.NSEC_PER_SEC / NSEC_PER_USEC;
    if ((oldSec == 0 && old.value() > 0) || oldUsec >= USEC_PER_SEC / 2) {
      oldSec++;
    }
    return oldSec;
  }

  /** getitimer(which, curr_value): EINVAL for an unknown timer; EFAULT writing curr_value. */
  public static long getitimer(Task t) {
    int which = checkWhich(t.intArg(0));
    IntervalTimer timer = t.process().timers().itimerIfSet(which);
    IntervalTimer.Setting now = timer == null ? IntervalTimer.Setting.DISARMED : timer.get();
    writeItimerval(t, t.arg(1), now);
    return 0;
  }

  /**
   * setitimer(which, new_value, old_value). The new value is read first: EFAULT, then "EINVAL
   * ... new_value.it_value.tv_usec is not in the range 0 to 999999" (either timeval); then
   * "which is not one of ITIMER_REAL, ITIMER_VIRTUAL, or ITIMER_PROF" (EINVAL). A NULL new_value
   * disarms, as Linux has always accepted it. Each timer "counts down ... and delivers" its signal
   * "upon expiration", then reloads from it_interval.
   */
  public static long setitimer(Task t) {
    long value = 0;
    long interval = 0;
    if (t.arg(1) != 0) {
      ByteBuffer b = StructLayouts.read(t.memory(), t.arg(1), ITIMERVAL_SIZE);
      interval = timevalNanos(b, 0);
      value = timevalNanos(b, IT_VALUE);
    }
    int which = checkWhich(t.intArg(0));
    IntervalTimer.Setting old = itimer(t, which).set(value, interval, false);
    if (t.arg(2) != 0) {
      writeItimerval(t, t.arg(2), old);
    }
    return 0;
  }

  private static int checkWhich(int which) {
    if (which < ProcessTimers.ITIMER_REAL || which > ProcessTimers.ITIMER_PROF) {
      throw Errno.EINVAL.exception();
    }
    return which;
  }

  /**
   * Interval timer {@code which} of the caller's process, made on first use. ITIMER_REAL "counts
   * down in real (i.e., wall clock) time"; ITIMER_VIRTUAL "counts down against the user-mode CPU
   * time consumed by the process"; ITIMER_PROF "against the total (i.e., both user and system)
   * CPU time consumed by the process". Each sends its signal to the process (si_code SI_KERNEL,
   * the kernel being the sender).
   */
  private static IntervalTimer itimer(Task t, int which) {
    GuestProcess p = t.process();
    int signal = ITIMER_SIGNALS[which];
    IntervalTimer.Listener send = count -> SignalSender.sendToProcess(p,
        SigInfo.kernel(signal), SignalSender.Origin.KERNEL);
    return p.timers().itimer(which, () -> {
      switch (which) {
        case ProcessTimers.ITIMER_REAL:
          return IntervalTimer.hosted(Clocks.reader(t, Clocks.CLOCK_MONOTONIC),
              t.kernel().timerScheduler(), send);
        case ProcessTimers.ITIMER_VIRTUAL:
          return IntervalTimer.polled(() -> p.cpuNanos()[0], send);
        default:
          return IntervalTimer.polled(() -> Clocks.processCpuNanos(p), send);
      }
    });
  }

  /** A timeval of an itimerval in nanoseconds; EINVAL unless 0 <= tv_usec < 10^6, tv_sec >= 0. */
  private static long timevalNanos(ByteBuffer b, int offset) {
    long sec = b.getLong(offset);
    long usec = b.getLong(offset + StructLayouts.TIMEVAL_TV_USEC);
    if (sec < 0 || usec < 0 || usec >= USEC_PER_SEC) {
      throw Errno.EINVAL.exception();
    }
    if (sec > (Long.MAX_VALUE - usec * NSEC_PER_USEC) / StructLayouts.NSEC_PER_SEC) {
      return Long.MAX_VALUE;
    }
    return sec * StructLayouts.NSEC_PER_SEC + usec * NSEC_PER_USEC;
  }

  /**
   * Writes an itimerval. A value below a microsecond is shown as one: the timer has not expired
   * yet, and a zero value would say it is disarmed.
   */
  private static void writeItimerval(Task t, long guestAddr, IntervalTimer.Setting s) {
    ByteBuffer b = StructLayouts.buffer(ITIMERVAL_SIZE);
    long value = s.value() > 0 ? Math.max(s.value(), NSEC_PER_USEC) : 0;
    StructLayouts.putTimeval(b, 0, s.interval());
    StructLayouts.putTimeval(b, IT_VALUE, value);
    StructLayouts.write(t.memory(), guestAddr, b);
  }

  // ------------------------------------------------------------------------ POSIX timers

  /**
   * timer_create(clockid, sevp, timerid). The clock: CLOCK_REALTIME, CLOCK_MONOTONIC,
   * CLOCK_BOOTTIME, CLOCK_TAI, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID or a CPU clock
   * of clock_getcpuclockid(3) ("EINVAL Clock ID, sigev_notify, sigev_signo, or
   * sigev_notify_thread_id is invalid"); the clocks that cannot have timers (MONOTONIC_RAW, the
   * coarse ones) are ENOTSUP as on Linux; the alarm clocks need CAP_WAKE_ALARM ("EPERM"). The
   * sigevent: SIGEV_NONE, SIGEV_SIGNAL (SIGEV_THREAD, which the C library builds on
   * SIGEV_THREAD_ID, is a signal to the process here as on Linux), SIGEV_THREAD_ID naming a
   * thread of the caller's process. "sevp can be specified as NULL. In this case the default is
   * ... SIGEV_SIGNAL, the signal is SIGALRM, and ... the value of sival_int is the timer ID."
   */
  public static long timerCreate(Task t) {
    int clockid = t.intArg(0);
    long sevAddr = t.arg(1);
    long idAddr = t.arg(2);
    int notify = PosixTimer.SIGEV_SIGNAL;
    int signo = Signals.SIGALRM;
    long value = 0;
    Task thread = null;
    if (sevAddr != 0) {
      ByteBuffer b = StructLayouts.read(t.memory(), sevAddr, SIGEVENT_SIZE);
      value = b.getLong(0);
      signo = b.getInt(SIGEV_SIGNO);
      notify = b.getInt(SIGEV_NOTIFY);
      thread = checkSigevent(t, notify, signo, b.getInt(SIGEV_THREAD_ID_FIELD));
    }
    Function<IntervalTimer.Listener, IntervalTimer> make = timerMaker(t, clockid);
    ProcessTimers timers = t.process().timers();
    PosixTimer timer = timers.createPosix(t.process(), thread, notify, signo, value,
        sevAddr == 0, make);
    try {
      GuestIo.writeInt(t.memory(), idAddr, timer.id());
    } catch (RuntimeException e) {
      timers.deletePosix(timer.id());
      throw e;
    }
    return 0;
  }

  /** The checks of a sigevent; the thread SIGEV_THREAD_ID names, else null. */
  private static Task checkSigevent(Task t, int notify, int signo, int tid) {
    switch (notify) {
      case PosixTimer.SIGEV_NONE:
        return null;
      case PosixTimer.SIGEV_SIGNAL:
      case PosixTimer.SIGEV_THREAD:
      case PosixTimer.SIGEV_SIGNAL | PosixTimer.SIGEV_THREAD_ID:
        if (!Signals.valid(signo)) {
          throw Errno.EINVAL.exception();
        }
        if ((notify & PosixTimer.SIGEV_THREAD_ID) == 0) {
          return null;
        }
        Task target = t.kernel().pids().thread(tid);
        if (target == null || target.process() != t.process()) {
          throw Errno.EINVAL.exception();
        }
        return target;
      default:
        throw Errno.EINVAL.exception();
    }
  }

  /** Builds a timer on {@code clockid} around a listener: hosted, or polled for CPU clocks. */
  static Function<IntervalTimer.Listener, IntervalTimer> timerMaker(Task t, int clockid) {
    Clocks.Kind kind = Clocks.kind(t, clockid);
    if (clockid == Clocks.CLOCK_MONOTONIC_RAW || clockid == Clocks.CLOCK_REALTIME_COARSE
        || clockid == Clocks.CLOCK_MONOTONIC_COARSE) {
      throw Errno.ENOTSUP.exception();
    }
    if ((clockid == Clocks.CLOCK_REALTIME_ALARM || clockid == Clocks.CLOCK_BOOTTIME_ALARM)
        && !Capabilities.has(t, Capabilities.CAP_WAKE_ALARM)) {
      throw Errno.EPERM.exception();
    }
    LongSupplier clock = Clocks.reader(t, clockid);
    if (kind == Clocks.Kind.THREAD_CPU || kind == Clocks.Kind.PROCESS_CPU) {
      // Polled by the caller's threads: another process's CPU time would move unseen.
      int owner = clockid < 0 ? ~(clockid >> 3) : 0;
      if (owner != 0 && owner != t.tid() && owner != t.process().pid()) {
        throw Errno.EINVAL.exception();
      }
      return listener -> IntervalTimer.polled(clock, listener);
    }
    var scheduler = t.kernel().timerScheduler();
    return listener -> IntervalTimer.hosted(clock, scheduler, listener);
  }

  /**
   * timer_settime(timerid, flags, new_value, old_value): "EINVAL new_value.it_value is negative;
   * or new_value.it_value.tv_nsec is negative or greater than 999,999,999"; with TIMER_ABSTIME
   * it_value is a time on the timer's clock. EINVAL for an invalid timerid.
   */
  public static long timerSettime(Task t) {
    int flags = t.intArg(1);
    long[] setting = readItimerspec(t, t.arg(2));
    PosixTimer timer = t.process().timers().posix(t.intArg(0));
    IntervalTimer.Setting old = timer.set(setting[1], setting[0],
        (flags & TimeSyscalls.TIMER_ABSTIME) != 0);
    if (t.arg(3) != 0) {
      writeItimerspec(t, t.arg(3), old);
    }
    return 0;
  }

  /** timer_gettime(timerid, curr_value): time to the next expiry and the interval. */
  public static long timerGettime(Task t) {
    PosixTimer timer = t.process().timers().posix(t.intArg(0));
    writeItimerspec(t, t.arg(1), timer.timer().get());
    return 0;
  }

  /** timer_getoverrun(timerid): the overrun count of the last expiration delivered. */
  public static long timerGetoverrun(Task t) {
    return t.process().timers().posix(t.intArg(0)).overrun();
  }

  /**
   * timer_delete(timerid); EINVAL for a bad timerid. "The treatment of any pending signal
   * generated by the deleted timer is unspecified": here it stays pending (Linux before 6.13).
   */
  public static long timerDelete(Task t) {
    t.process().timers().deletePosix(t.intArg(0));
    return 0;
  }

  /** An itimerspec as {interval, value} in nanoseconds; EFAULT, EINVAL as readTimespec. */
  static long[] readItimerspec(Task t, long guestAddr) {
    long interval = StructLayouts.readTimespec(t.memory(), guestAddr);
    long value = StructLayouts.readTimespec(t.memory(), guestAddr + IT_VALUE);
    return new long[] {interval, value};
  }

  static void writeItimerspec(Task t, long guestAddr, IntervalTimer.Setting s) {
    ByteBuffer b = StructLayouts.buffer(ITIMERSPEC_SIZE);
    long ns = StructLayouts.NSEC_PER_SEC;
    b.putLong(0, s.interval() / ns).putLong(8, s.interval() % ns);
    b.putLong(IT_VALUE, s.value() / ns).putLong(IT_VALUE + 8, s.value() % ns);
    StructLayouts.write(t.memory(), guestAddr, b);
  }
}
