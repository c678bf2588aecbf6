package dev.blinkchroot.emulator.kernel.signal;

import dev.blinkchroot.emulator.kernel.Kernel;

/**
 * A process's signal dispositions (rt_sigaction) and the alternate stack. Delivery comes with
 * processes; until then the state is kept exactly, so programs that install handlers run, and a
 * fault reaches the guest's handler decision point (see {@link Kernel}).
 */
public final class SignalState {
  /** _NSIG on x86-64: signals 1..64. */
  public static final int NSIG = 64;
  public static final long SIG_DFL = 0;
  public static final long SIG_IGN = 1;

  /** One struct kernel_sigaction: handler, flags, restorer, mask. */
  public record Action(long handler, long flags, long restorer, long mask) {
    public static final Action DEFAULT = new Action(SIG_DFL, 0, 0, 0);
  }

  private final Action[] actions = new Action[NSIG + 1];
  private long altStackBase;
  private long altStackSize;
  private int altStackFlags = 2; // SS_DISABLE

  public SignalState() {
    java.util.Arrays.fill(actions, Action.DEFAULT);
  }

  /**
   * fork without CLONE_SIGHAND: the child gets a copy of the dispositions ("The child inherits
   * copies of the parent's set of ... signal dispositions") and of the alternate stack.
   */
  public synchronized SignalState copy() {
    SignalState c = new SignalState();
    System.arraycopy(actions, 0, c.actions, 0, actions.length);
    c.altStackBase = altStackBase;
    c.altStackSize = altStackSize;
    c.altStackFlags = altStackFlags;
    return c;
  }

  public synchronized Action action(int signal) {
    return actions[signal];
  }

  public synchronized void setAction(int signal, Action action) {
    actions[signal] = action;
  }

  public synchronized long[] altStack() {
    return new long[] {altStackBase, altStackFlags, altStackSize};
  }

  public synchronized void setAltStack(long base, int flags, long size) {
    altStackBase = base;
    altStackFlags = flags;
    altStackSize = size;
  }

  /** exec resets handled signals to their default (ignored ones stay ignored). */
  public synchronized void resetForExec() {
    for (int s = 1; s <= NSIG; s++) {
      if (actions[s].handler() != SIG_IGN) {
        actions[s] = Action.DEFAULT;
      }
    }
    altStackFlags = 2;
    altStackBase = 0;
    altStackSize = 0;
  }
}
