package dev.blinkchroot.emulator.kernel.sync;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One guest thread's way to block (each task owns one): {@link #await} registers on wait queues,
 * checks the caller's condition and parks until a queue wakes it, the deadline passes, or the
 * task is interrupted (a kill now; a signal once signals are delivered). The registration comes
 * before the check, so an event between the check and the park is never lost.
 */
public final class Waiter {
  /** Why {@link #await} returned. */
  public enum Result {
    /** The condition holds. */
    READY,
    /** The deadline passed first. */
    TIMED_OUT,
    /** The task was interrupted: the call ends with EINTR or is restarted. */
    INTERRUPTED
  }

  /** No deadline. */
  public static final long FOREVER = Long.MAX_VALUE;

  /** The waiter of the task running on this Java thread (set with the current task). */
  private static final ThreadLocal<Waiter> CURRENT = ThreadLocal.withInitial(Waiter::new);

  private volatile Thread thread;
  private volatile boolean notified;
  private volatile boolean interruptPending;
  /** Inside {@link #await}: the task sleeps (S in /proc). */
  private volatile boolean waiting;

  /**
   * The waiter of the task this Java thread runs, for blocking code that is not handed a task
   * (file descriptions); a thread that runs no task gets one of its own.
   */
  public static Waiter current() {
    return CURRENT.get();
  }

  /** Makes {@code w} this thread's waiter (the task loop does, as it sets the current task). */
  public static void setCurrent(Waiter w) {
    if (w == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(w);
    }
  }

  /**
   * Blocks the current task until {@code ready}, as {@link #await}, for an ordinary blocking call:
   * an interruption ends it with {@link Interrupted#RESTART_SYS} (EINTR, or a restart under
   * SA_RESTART).
   */
  public static void block(WaitQueue queue, int events, BooleanSupplier ready) {
    if (current().await(queue, events, FOREVER, ready) == Result.INTERRUPTED) {
      throw Interrupted.RESTART_SYS;
    }
  }

  /** Called by a wait queue: the condition may hold now. */
  void notifyWaiter() {
    notified = true;
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /**
   * Interrupts the waiting, and every later wait until {@link #clearInterrupt}: the task is being
   * killed, stopped, or has a signal to handle. The Java thread is not interrupted: that would
   * close the host channels it may be using.
   */
  public void interrupt() {
    interruptPending = true;
    notifyWaiter();
  }

  /** Whether the task is blocked in {@link #await} now. */
  public boolean waiting() {
    return waiting;
  }

  public boolean interruptPending() {
    return interruptPending;
  }

  /** Forgets an interruption: signal delivery has dealt with what caused it. */
  public void clearInterrupt() {
    interruptPending = false;
  }

  /** Waits for {@code ready} with one queue and its event bits. */
  public Result await(WaitQueue queue, int events, long deadlineNanos, BooleanSupplier ready) {
    return await(new WaitQueue[] {queue}, new int[] {events}, deadlineNanos, ready);
  }

  /**
   * Waits until {@code ready} returns true (checked first, then after every wake-up), the
   * monotonic clock reaches {@code deadlineNanos} ({@link System#nanoTime} scale, or {@link
   * #FOREVER}), or the task is interrupted. Registered on {@code queues[i]} for {@code
   * events[i]} meanwhile.
   */
  public Result await(WaitQueue[] queues, int[] events, long deadlineNanos,
      BooleanSupplier ready) {
    thread = Thread.currentThread();
    for (int i = 0; i < queues.length; i++) {
      queues[i].add(this, events[i]);
    }
    waiting = true;
    try {
      while (true) {
        notified = false;
        if (ready.getAsBoolean()) {
          return Result.READY;
        }
        if (interruptPending) {
          return Result.INTERRUPTED;
        }
        long now = System.nanoTime();
        if (deadlineNanos != FOREVER && now - deadlineNanos >= 0) {
          return Result.TIMED_OUT;
        }
        if (!notified) {
          if (deadlineNanos == FOREVER) {
            LockSupport.park(this);
          } else {
            LockSupport.parkNanos(this, deadlineNanos - now);
          }
        }
      }
    } finally {
      waiting = false;
      for (WaitQueue q : queues) {
        q.remove(this);
      }
    }
  }

  /** Sleeps until the deadline or an interrupt (nanosleep): true if the whole time passed. */
  public boolean sleepUntil(long deadlineNanos) {
    return await(new WaitQueue[0], new int[0], deadlineNanos, () -> false) == Result.TIMED_OUT;
  }
}
