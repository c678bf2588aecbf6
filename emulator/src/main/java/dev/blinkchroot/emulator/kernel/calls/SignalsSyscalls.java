package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.abi.StructLayouts;
import dev.blinkchroot.emulator.kernel.signal.SignalState;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import java.nio.ByteBuffer;

/**
 * The Signals family, state only (delivery comes with processes): rt_sigaction keeps each
 * signal's struct kernel_sigaction in {@link SignalState}, rt_sigprocmask the thread's blocked
 * mask in {@link Task}, sigaltstack the alternate stack. sigset_t is 8 bytes (64 signals).
 */
public final class SignalsSyscalls {
  private SignalsSyscalls() {}

  static final int SIGKILL = 9;
  static final int SIGSTOP = 19;
  /** sizeof(sigset_t) as the kernel sees it: _NSIG / 8. */
  static final int SIGSET_SIZE = 8;
  static final int SIG_BLOCK = 0;
  static final int SIG_UNBLOCK = 1;
  static final int SIG_SETMASK = 2;
  /** The bits that can never be blocked or caught. */
  static final long UNBLOCKABLE = bit(SIGKILL) | bit(SIGSTOP);

  static final long SA_NOCLDSTOP = 0x1;
  static final long SA_NOCLDWAIT = 0x2;
  static final long SA_SIGINFO = 0x4;
  static final long SA_RESTORER = 0x0400_0000L;
  public static final long SA_ONSTACK = 0x0800_0000L;
  public static final long SA_RESTART = 0x1000_0000L;
  public static final long SA_NODEFER = 0x4000_0000L;
  public static final long SA_RESETHAND = 0x8000_0000L;
  /**
   * The flags this kernel keeps; others (SA_UNSUPPORTED among them) are dropped so that, as
   * sigaction(2) explains for SA_UNSUPPORTED, a program can probe which flags are supported by
   * reading the action back.
   */
  static final long SA_KNOWN = SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_RESTORER
      | SA_ONSTACK | SA_RESTART | SA_NODEFER | SA_RESETHAND;

  static final int SS_ONSTACK = 1;
  public static final int SS_DISABLE = 2;
  static final int SS_AUTODISARM = 1 << 31;
  /** The kernel's MINSIGSTKSZ on x86-64 (asm/signal.h). */
  static final long MINSIGSTKSZ = 2048;

  private static long bit(int signal) {
    return 1L << (signal - 1);
  }

  /**
   * rt_sigaction(signum, act, oldact, sigsetsize), checked in Linux's order: EINVAL for a
   * sigsetsize other than 8; EFAULT reading act; EINVAL for "signum ... an invalid signal; or an
   * attempt is made to change the action for SIGKILL or SIGSTOP"; then the old action is written
   * (EFAULT, with the new one already installed). SIGKILL and SIGSTOP are removed from the new
   * handler's mask, as they can never be blocked.
   */
  public static long rtSigaction(Task t) {
    int signal = t.intArg(0);
    long actAddr = t.arg(1);
    long oldAddr = t.arg(2);
    if (t.arg(3) != SIGSET_SIZE) {
      throw Errno.EINVAL.exception();
    }
    SignalState.Action fresh = null;
    if (actAddr != 0) {
      ByteBuffer b = StructLayouts.read(t.memory(), actAddr, StructLayouts.KERNEL_SIGACTION_SIZE);
      fresh = new SignalState.Action(b.getLong(0), b.getLong(8) & SA_KNOWN, b.getLong(16),
          b.getLong(24) & ~UNBLOCKABLE);
    }
    if (signal < 1 || signal > SignalState.NSIG
        || (fresh != null && (signal == SIGKILL || signal == SIGSTOP))) {
      throw Errno.EINVAL.exception();
    }
    SignalState state = t.process().signals();
    SignalState.Action old;
    synchronized (state) {
      old = state.action(signal);
      if (fresh != null) {
        state.setAction(signal, fresh);
      }
    }
    if (oldAddr != 0) {
      ByteBuffer b = StructLayouts.buffer(StructLayouts.KERNEL_SIGACTION_SIZE);
      b.putLong(0, old.handler());
      b.putLong(8, old.flags());
      b.putLong(16, old.restorer());
      b.putLong(24, old.mask());
      StructLayouts.write(t.memory(), oldAddr, b);
    }
    return 0;
  }

  /**
   * rt_sigprocmask(how, set, oldset, sigsetsize): EINVAL for a sigsetsize other than 8; with set
   * NULL "the signal mask is unchanged (i.e., how is ignored)"; otherwise EFAULT reading it and
   * EINVAL for "The value specified in how was invalid". "It is not possible to block SIGKILL or
   * SIGSTOP. Attempts to do so are silently ignored." oldset receives the mask from before.
   */
  public static long rtSigprocmask(Task t) {
    int how = t.intArg(0);
    long setAddr = t.arg(1);
    long oldAddr = t.arg(2);
    if (t.arg(3) != SIGSET_SIZE) {
      throw Errno.EINVAL.exception();
    }
    long old = t.signalMask();
    if (setAddr != 0) {
      long set = GuestIo.readLong(t.memory(), setAddr) & ~UNBLOCKABLE;
      long mask;
      switch (how) {
        case SIG_BLOCK:
          mask = old | set;
          break;
        case SIG_UNBLOCK:
          mask = old & ~set;
          break;
        case SIG_SETMASK:
          mask = set;
          break;
        default:
          throw Errno.EINVAL.exception();
      }
      t.setSignalMask(mask);
    }
    if (oldAddr != 0) {
      GuestIo.writeLong(t.memory(), oldAddr, old);
    }
    return 0;
  }

  /**
   * sigaltstack(ss, old_ss). old_ss gets the current stack with SS_ONSTACK when the thread is
   * running on it, SS_DISABLE when there is none. A new ss: "EINVAL ss is not NULL and the
   * ss_flags field contains an invalid flag"; "ENOMEM The specified size of the new alternate
   * signal stack ss.ss_size was less than MINSIGSTKSZ"; "EPERM An attempt was made to change the
   * alternate signal stack while it was active (i.e., the thread was already executing on the
   * current alternate signal stack)". With SS_DISABLE, ss_sp and ss_size are ignored.
   */
  public static long sigaltstack(Task t) {
    long ssAddr = t.arg(0);
    long oldAddr = t.arg(1);
    SignalState state = t.process().signals();
    long rsp = t.cpu.gpr[Cpu.RSP];
    long[] current = state.altStack();
    boolean onStack = onStack(current, rsp);
    if (ssAddr != 0) {
      ByteBuffer b = StructLayouts.read(t.memory(), ssAddr, StructLayouts.STACK_T_SIZE);
      long sp = b.getLong(0);
      int flags = b.getInt(StructLayouts.STACK_T_SS_FLAGS);
      long size = b.getLong(StructLayouts.STACK_T_SS_SIZE);
      if (onStack) {
        throw Errno.EPERM.exception();
      }
      int mode = flags & ~SS_AUTODISARM;
      if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE) {
        throw Errno.EINVAL.exception();
      }
      if (mode == SS_DISABLE) {
        state.setAltStack(0, SS_DISABLE, 0);
      } else {
        if (Long.compareUnsigned(size, MINSIGSTKSZ) < 0) {
          throw Errno.ENOMEM.exception();
        }
        state.setAltStack(sp, flags & SS_AUTODISARM, size);
      }
    }
    if (oldAddr != 0) {
      ByteBuffer b = StructLayouts.buffer(StructLayouts.STACK_T_SIZE);
      int flags = (int) current[1];
      int reported = (flags & SS_DISABLE) != 0 || current[2] == 0 ? SS_DISABLE
          : (onStack ? SS_ONSTACK : 0) | (flags & SS_AUTODISARM);
      b.putLong(0, current[0]);
      b.putInt(StructLayouts.STACK_T_SS_FLAGS, reported);
      b.putLong(StructLayouts.STACK_T_SS_SIZE, current[2]);
      StructLayouts.write(t.memory(), oldAddr, b);
    }
    return 0;
  }

  /**
   * Whether {@code rsp} lies on the alternate stack {base, flags, size}. A stack armed with
   * SS_AUTODISARM is disarmed while a handler runs on it, so the thread is never "on" it then.
   */
  private static boolean onStack(long[] altStack, long rsp) {
    long base = altStack[0];
    int flags = (int) altStack[1];
    long size = altStack[2];
    if ((flags & (SS_DISABLE | SS_AUTODISARM)) != 0 || size == 0) {
      return false;
    }
    return Long.compareUnsigned(rsp - base, size) <= 0 && rsp != base;
  }
}
