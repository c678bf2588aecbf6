package dev.blinkchroot.emulator.kernel.timer;

import java.util.concurrent.ScheduledFuture;
import java.util.function.LongSupplier;

/**
 * The state every Linux timer shares (setitimer's, timer_create's, a timerfd's): a value, the
 * time of the next expiry on the timer's clock, and an interval that reloads it. "If both fields
 * of it_value are zero, the timer is disarmed"; "if it_interval is zero, the timer expires just
 * once" (timer_settime(2), setitimer(2)).
 *
 * <p>A timer on a host clock is <em>hosted</em>: its expiry runs on the kernel's {@link
 * TimerScheduler} thread. A timer on a CPU-time clock is <em>polled</em>: the guest threads whose
 * CPU time moves it call {@link #poll} now and then. Either way, an expiry found late counts the
 * periods it missed and tells the {@link Listener} once with that count (a POSIX timer turns the
 * extra ones into its overrun, a timerfd adds them to its counter).
 */
public final class IntervalTimer {
  /** Told of expirations, outside the timer's lock. */
  public interface Listener {
    /** The timer expired {@code count} (at least 1) times since it was last told. */
    void expired(long count);
  }

  /** A setting as the *gettime calls report it: nanoseconds to the next expiry, and the period. */
  public record Setting(long value, long interval) {
    public static final Setting DISARMED = new Setting(0, 0);
  }

  private final LongSupplier clock;
  private final TimerScheduler scheduler;
  private final Listener listener;
  private volatile boolean armed;
  /** The next expiry on {@link #clock}'s scale, while armed. */
  private long deadline;
  private long interval;
  /** Bumped by every change, so that an expiry scheduled for an old setting does nothing. */
  private long generation;
  private ScheduledFuture<?> pending;

  private IntervalTimer(LongSupplier clock, TimerScheduler scheduler, Listener listener) {
    this.clock = clock;
    this.scheduler = scheduler;
    this.listener = listener;
  }

  /** A timer on a host clock ({@code clock} reads it in nanoseconds), run by {@code scheduler}. */
  public static IntervalTimer hosted(LongSupplier clock, TimerScheduler scheduler,
      Listener listener) {
    return new IntervalTimer(clock, scheduler, listener);
  }

  /** A timer on a CPU-time clock, expired by {@link #poll}. */
  public static IntervalTimer polled(LongSupplier clock, Listener listener) {
    return new IntervalTimer(clock, null, listener);
  }

  /** The current reading of the timer's clock. */
  public long now() {
    return clock.getAsLong();
  }

  /**
   * Arms the timer to expire at {@code value} ({@code absolute}: a reading of the clock; else
   * that many nanoseconds from now) and every {@code interval} nanoseconds after, or disarms it
   * when {@code value} is 0. A deadline already past expires at once ("If the specified absolute
   * time has already passed, then the timer expires immediately", timer_settime(2)).
   *
   * @return the setting it replaces
   */
  public synchronized Setting set(long value, long interval, boolean absolute) {
    long now = clock.getAsLong();
    Setting old = current(now);
    generation++;
    cancelPending();
    this.interval = interval;
    armed = value != 0;
    if (armed) {
      deadline = absolute ? value : saturatedAdd(now, value);
      schedule(now);
    }
    return old;
  }

  /** The time to the next expiry (0 when disarmed) and the interval. */
  public synchronized Setting get() {
    return current(clock.getAsLong());
  }

  /** Disarms the timer for good (its owner is gone). */
  public synchronized void cancel() {
    generation++;
    armed = false;
    cancelPending();
  }

  /** Whether the timer is on a CPU-time clock, expired by {@link #poll}. */
  public boolean polled() {
    return scheduler == null;
  }

  /** Whether the timer will expire again. */
  public boolean armed() {
    return armed;
  }

  /** A polled timer's check: expires it if its clock has reached the deadline. */
  public void poll() {
    if (armed) {
      long generationNow;
      synchronized (this) {
        generationNow = generation;
      }
      expire(generationNow);
    }
  }

  /**
   * An expiry is due (or a CPU check looks): counts the expirations up to now, moves the deadline
   * past now by whole intervals (or disarms a one-shot timer), and tells the listener.
   */
  private void expire(long expectedGeneration) {
    long count;
    synchronized (this) {
      if (!armed || generation != expectedGeneration) {
        return;
      }
      long now = clock.getAsLong();
      if (now < deadline) {
        schedule(now); // early: the realtime clock was stepped back, or a CPU check
        return;
      }
      count = 1;
      if (interval > 0) {
        count += (now - deadline) / interval;
        deadline = saturatedAdd(deadline, saturatedMultiply(count, interval));
        schedule(now);
      } else {
        armed = false;
      }
    }
    listener.expired(count);
  }

  /**
   * The setting at {@code now}. A timer whose expiry is due but not yet processed shows 1 ns, as
   * Linux shows a timer that is still active.
   */
  private Setting current(long now) {
    if (!armed) {
      return new Setting(0, interval);
    }
    long left = deadline - now;
    return new Setting(left > 0 ? left : 1, interval);
  }

  private void schedule(long now) {
    if (scheduler == null) {
      return;
    }
    long expected = generation;
    pending = scheduler.schedule(() -> expire(expected), deadline - now);
  }

  private void cancelPending() {
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
  }

  /** {@code a + b}, or Long.MAX_VALUE where that would overflow (both non-negative). */
  public static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  static long saturatedMultiply(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    return (hi == 0 && lo >= 0) ? lo : Long.MAX_VALUE;
  }
}
