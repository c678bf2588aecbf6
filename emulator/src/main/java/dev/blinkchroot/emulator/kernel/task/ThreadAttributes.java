package dev.blinkchroot.emulator.kernel.task;


/**
 * Per-thread state of the process calls, owned by its {@link Task}: the robust futex list
 * (set_robust_list), the parent-death signal and the timer slack (prctl). A new thread starts
 * with the defaults (clone(2) does not inherit a robust list, and "the parent-death signal ...
 * is cleared for the child of a fork").
 */
public final class ThreadAttributes {
  /** The default timer slack: 50 microseconds (prctl(2) PR_SET_TIMERSLACK). */
  public static final long DEFAULT_TIMER_SLACK_NS = 50_000;

  public long robustListHead;
  public long robustListLength;
  public int parentDeathSignal;
  public long timerSlackNs = DEFAULT_TIMER_SLACK_NS;

  ThreadAttributes() {}
}
