package dev.blinkchroot.emulator.kernel.signal;

import java.util.Arrays;

/**
 * A process's signal dispositions (rt_sigaction), Linux's sighand: shared by the processes made
 * with CLONE_SIGHAND, so by every thread of a process. The instance is also the lock of the
 * signal state of those processes and their threads (pending sets, masks, stops), as Linux's
 * siglock is.
 */
public final class SignalActions {
  public static final long SIG_DFL = 0;
  public static final long SIG_IGN = 1;

  public static final long SA_NOCLDSTOP = 0x1;
  public static final long SA_NOCLDWAIT = 0x2;
  public static final long SA_SIGINFO = 0x4;
  public static final long SA_RESTORER = 0x0400_0000L;
  public static final long SA_ONSTACK = 0x0800_0000L;
  public static final long SA_RESTART = 0x1000_0000L;
  public static final long SA_NODEFER = 0x4000_0000L;
  public static final long SA_RESETHAND = 0x8000_0000L;

  /** One struct kernel_sigaction: handler, flags, restorer, mask. */
  public record Action(long handler, long flags, long restorer, long mask) {
    public static final Action DEFAULT = new Action(SIG_DFL, 0, 0, 0);

    public boolean has(long flag) {
      return (flags & flag) != 0;
    }

    /** Neither SIG_DFL nor SIG_IGN: a function in the guest. */
    public boolean isHandler() {
      return handler != SIG_DFL && handler != SIG_IGN;
    }
  }

  private final Action[] actions = new Action[Signals.NSIG + 1];

  public SignalActions() {
    Arrays.fill(actions, Action.DEFAULT);
  }

  /**
   * fork without CLONE_SIGHAND: the child gets a copy ("The child inherits copies of the parent's
   * set of ... signal dispositions").
   */
  public synchronized SignalActions copy() {
    SignalActions c = new SignalActions();
    System.arraycopy(actions, 0, c.actions, 0, actions.length);
    return c;
  }

  public synchronized Action action(int signal) {
    return actions[signal];
  }

  public synchronized void setAction(int signal, Action action) {
    actions[signal] = action;
  }

  /**
   * Whether {@code signal} would be discarded on arrival if not blocked: SIG_IGN, or SIG_DFL with
   * the Ign action (SIGCONT's Cont counts: its effect happens at generation).
   */
  public synchronized boolean ignores(int signal) {
    long h = actions[signal].handler();
    if (h == SIG_IGN) {
      return true;
    }
    Signals.DefaultAction d = Signals.defaultAction(signal);
    return h == SIG_DFL && (d == Signals.DefaultAction.IGNORE
        || d == Signals.DefaultAction.CONTINUE);
  }

  /** exec resets handled signals to their default (ignored ones stay ignored). */
  public synchronized void resetForExec() {
    for (int s = 1; s <= Signals.NSIG; s++) {
      if (actions[s].isHandler()) {
        actions[s] = Action.DEFAULT;
      }
    }
  }
}
