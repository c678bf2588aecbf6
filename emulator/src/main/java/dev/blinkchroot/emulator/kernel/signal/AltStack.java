package dev.blinkchroot.emulator.kernel.signal;

/**
 * A thread's alternate signal stack (sigaltstack(2)): where handlers installed with SA_ONSTACK
 * run. A fork child inherits it; exec clears it; SS_AUTODISARM disarms it while a handler runs on
 * it (the handler's frame keeps the settings, and rt_sigreturn puts them back).
 */
public final class AltStack {
  public static final int SS_ONSTACK = 1;
  public static final int SS_DISABLE = 2;
  public static final int SS_AUTODISARM = 1 << 31;

  private long base;
  private long size;
  /** 0, or SS_AUTODISARM; SS_DISABLE when there is none. */
  private int flags = SS_DISABLE;

  public AltStack copy() {
    AltStack c = new AltStack();
    c.base = base;
    c.size = size;
    c.flags = flags;
    return c;
  }

  public long base() {
    return base;
  }

  public long size() {
    return size;
  }

  /** The settings' flags: SS_DISABLE, or 0 / SS_AUTODISARM for a stack. */
  public int flags() {
    return flags;
  }

  public boolean enabled() {
    return (flags & SS_DISABLE) == 0 && size != 0;
  }

  /** Whether {@code sp} lies on the stack (an autodisarming stack never counts as in use). */
  public boolean contains(long sp) {
    if (!enabled() || (flags & SS_AUTODISARM) != 0) {
      return false;
    }
    return Long.compareUnsigned(sp - base, size) <= 0 && sp != base;
  }

  /** The ss_flags sigaltstack's old_ss and a signal frame report for a thread whose RSP is sp. */
  public int reportedFlags(long sp) {
    if (!enabled()) {
      return SS_DISABLE;
    }
    return (contains(sp) ? SS_ONSTACK : 0) | (flags & SS_AUTODISARM);
  }

  public void set(long base, long size, int flags) {
    this.base = base;
    this.size = size;
    this.flags = flags;
  }

  public void disable() {
    base = 0;
    size = 0;
    flags = SS_DISABLE;
  }
}
