package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.abi.StructLayouts;
import dev.blinkchroot.emulator.kernel.signal.AltStack;
import dev.blinkchroot.emulator.kernel.signal.SignalActions;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import java.nio.ByteBuffer;

/**
 * The signal state calls: rt_sigaction (the process's dispositions), rt_sigprocmask and
 * rt_sigpending (the thread's mask and pending set), sigaltstack. sigset_t is 8 bytes (64
 * signals). Waiting for signals is in {@link SignalWaitSyscalls}, sending them in {@link
 * KillSyscalls}.
 */
public final class SignalsSyscalls {
  private SignalsSyscalls() {}

  /** sizeof(sigset_t) as the kernel sees it: _NSIG / 8. */
  static final int SIGSET_SIZE = 8;
  static final int SIG_BLOCK = 0;
  static final int SIG_UNBLOCK = 1;
  static final int SIG_SETMASK = 2;

  /**
   * The flags this kernel keeps; others (SA_UNSUPPORTED among them) are dropped so that, as
   * sigaction(2) explains for SA_UNSUPPORTED, a program can probe which flags are supported by
   * reading the action back.
   */
  static final long SA_KNOWN = SignalActions.SA_NOCLDSTOP | SignalActions.SA_NOCLDWAIT
      | SignalActions.SA_SIGINFO | SignalActions.SA_RESTORER | SignalActions.SA_ONSTACK
      | SignalActions.SA_RESTART | SignalActions.SA_NODEFER | SignalActions.SA_RESETHAND;

  /** The kernel's MINSIGSTKSZ on x86-64 (asm/signal.h). */
  static final long MINSIGSTKSZ = 2048;

  /**
   * rt_sigaction(signum, act, oldact, sigsetsize), checked in Linux's order: EINVAL for a
   * sigsetsize other than 8; EFAULT reading act; EINVAL for "signum ... an invalid signal; or an
   * attempt is made to change the action for SIGKILL or SIGSTOP"; then the old action is written
   * (EFAULT, with the new one already installed). SIGKILL and SIGSTOP are removed from the new
   * handler's mask, as they can never be blocked. A new action that ignores the signal discards
   * its pending instances (POSIX: "Setting a signal action to SIG_IGN for a signal that is
   * pending shall cause the pending signal to be discarded, whether or not it is blocked").
   */
  public static long rtSigaction(Task t) {
    int signal = t.intArg(0);
    long actAddr = t.arg(1);
    long oldAddr = t.arg(2);
    if (t.arg(3) != SIGSET_SIZE) {
      throw Errno.EINVAL.exception();
    }
    SignalActions.Action fresh = null;
    if (actAddr != 0) {
      ByteBuffer b = StructLayouts.read(t.memory(), actAddr, StructLayouts.KERNEL_SIGACTION_SIZE);
      fresh = new SignalActions.Action(b.getLong(0), b.getLong(8) & SA_KNOWN, b.getLong(16),
          b.getLong(24) & ~Signals.UNBLOCKABLE);
    }
    if (!Signals.valid(signal)
        || (fresh != null && (signal == Signals.SIGKILL || signal == Signals.SIGSTOP))) {
      throw Errno.EINVAL.exception();
    }
    SignalActions actions = t.process().signalActions();
    SignalActions.Action old;
    synchronized (actions) {
      old = actions.action(signal);
      if (fresh != null) {
        actions.setAction(signal, fresh);
        if (actions.ignores(signal)) {
          t.process().discardPending(Signals.bit(signal));
        }
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
      long set = GuestIo.readLong(t.memory(), setAddr);
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
   * rt_sigpending(set, sigsetsize): "the set of signals that are pending for delivery to the
   * calling thread (i.e., the signals which have been raised while blocked)": the thread's and
   * the process's pending signals that the thread blocks. EINVAL for a sigsetsize above 8.
   */
  public static long rtSigpending(Task t) {
    if (Long.compareUnsigned(t.arg(1), SIGSET_SIZE) > 0) {
      throw Errno.EINVAL.exception();
    }
    long set = (t.pending().bits() | t.process().sharedPending().bits()) & t.signalMask();
    byte[] b = new byte[(int) t.arg(1)];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (set >>> (8 * i));
    }
    GuestIo.write(t.memory(), t.arg(0), b);
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
    AltStack alt = t.altStack();
    long rsp = t.cpu.gpr[Cpu.RSP];
    long oldBase = alt.base();
    long oldSize = alt.size();
    int oldFlags = alt.reportedFlags(rsp);
    if (ssAddr != 0) {
      ByteBuffer b = StructLayouts.read(t.memory(), ssAddr, StructLayouts.STACK_T_SIZE);
      long sp = b.getLong(0);
      int flags = b.getInt(StructLayouts.STACK_T_SS_FLAGS);
      long size = b.getLong(StructLayouts.STACK_T_SS_SIZE);
      if (alt.contains(rsp)) {
        throw Errno.EPERM.exception();
      }
      int mode = flags & ~AltStack.SS_AUTODISARM;
      if (mode != 0 && mode != AltStack.SS_ONSTACK && mode != AltStack.SS_DISABLE) {
        throw Errno.EINVAL.exception();
      }
      if (mode == AltStack.SS_DISABLE) {
        alt.disable();
      } else {
        if (Long.compareUnsigned(size, MINSIGSTKSZ) < 0) {
          throw Errno.ENOMEM.exception();
        }
        alt.set(sp, size, flags & AltStack.SS_AUTODISARM);
      }
    }
    if (oldAddr != 0) {
      ByteBuffer b = StructLayouts.buffer(StructLayouts.STACK_T_SIZE);
      b.putLong(0, oldBase);
      b.putInt(StructLayouts.STACK_T_SS_FLAGS, oldFlags);
      b.putLong(StructLayouts.STACK_T_SS_SIZE, oldSize);
      StructLayouts.write(t.memory(), oldAddr, b);
    }
    return 0;
  }
}
