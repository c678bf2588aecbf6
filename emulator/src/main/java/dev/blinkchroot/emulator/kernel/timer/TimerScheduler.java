package dev.blinkchroot.emulator.kernel.timer;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that runs the expirations of a kernel's timers on host clocks (ITIMER_REAL,
 * alarm, POSIX timers and timerfds on CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME). Owned by
 * the {@link dev.blinkchroot.emulator.kernel.Kernel} instance: two kernels in one JVM share no
 * thread and no queue. The thread is made when the first timer is armed, so a run that arms none
 * costs nothing, and ends with {@link #shutdown}. Timers on CPU-time clocks do not come here:
 * they are checked by the threads that use the CPU ({@link ProcessTimers#checkCpu}).
 */
public final class TimerScheduler {
  private ScheduledThreadPoolExecutor executor;
  private boolean shut;

  /**
   * Runs {@code action} on the timer thread after {@code delayNanos} (at once if not positive).
   * Null once the kernel has shut down: nothing will run any more.
   */
  public synchronized ScheduledFuture<?> schedule(Runnable action, long delayNanos) {
    if (shut) {
      return null;
    }
    if (executor == null) {
      executor = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "blink-timers");
        t.setDaemon(true);
        return t;
      });
      // Re-armed timers cancel their old expiry: drop it from the queue at once.
      executor.setRemoveOnCancelPolicy(true);
    }
    return executor.schedule(action, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }

  /** Cancels every pending expiry and ends the timer thread (the kernel's run is over). */
  public synchronized void shutdown() {
    shut = true;
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }
}
