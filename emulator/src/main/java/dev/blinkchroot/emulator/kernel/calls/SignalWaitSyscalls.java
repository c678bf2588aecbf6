package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.abi.StructLayouts;
import dev.blinkchroot.emulator.kernel.signal.SigInfo;
import dev.blinkchroot.emulator.kernel.signal.SignalFrame;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.sync.Interrupted;
import dev.blinkchroot.emulator.kernel.sync.WaitQueue;
import dev.blinkchroot.emulator.kernel.sync.Waiter;
import dev.blinkchroot.emulator.kernel.syscall.Outcome;
import dev.blinkchroot.emulator.kernel.task.SignalDelivery;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.memory.MemoryFault;
import dev.blinkchroot.vfs.Errno;

/**
 * Waiting for signals and coming back from handlers: pause, rt_sigsuspend, rt_sigtimedwait,
 * rt_sigreturn and restart_syscall.
 */
public final class SignalWaitSyscalls {
  private static final WaitQueue[] NO_QUEUES = new WaitQueue[0];
  private static final int[] NO_EVENTS = new int[0];

  private SignalWaitSyscalls() {}

  /** Sleeps until a signal arrives; returns only through a handler (then -1 EINTR). */
  private static long waitForSignal(Task t) {
    t.waiter().await(NO_QUEUES, NO_EVENTS, Waiter.FOREVER, () -> false);
    return -Interrupted.ERESTARTNOHAND;
  }

  /** pause(): "causes the calling process (or thread) to sleep until a signal is delivered". */
  public static long pause(Task t) {
    return waitForSignal(t);
  }

  /**
   * rt_sigsuspend(mask, sigsetsize): waits with {@code mask} in place; the caller's mask comes
   * back when the handler returns. EINVAL for a sigsetsize other than 8.
   */
  public static long rtSigsuspend(Task t) {
    if (t.arg(1) != SignalsSyscalls.SIGSET_SIZE) {
      throw Errno.EINVAL.exception();
    }
    long mask = GuestIo.readLong(t.memory(), t.arg(0));
    t.setTemporaryMask(mask, t.signalMask());
    return waitForSignal(t);
  }

  /**
   * rt_sigtimedwait(set, info, timeout, sigsetsize): takes a pending signal of {@code set} (the
   * thread's first, then the process's), writing its siginfo; otherwise waits for one, "EAGAIN
   * No signal in set became pending within the timeout", "EINTR The wait was interrupted by a
   * signal handler" (never restarted). SIGKILL and SIGSTOP are never taken. EINVAL for a
   * sigsetsize other than 8 or an invalid timeout.
   */
  public static long rtSigtimedwait(Task t) {
    if (t.arg(3) != SignalsSyscalls.SIGSET_SIZE) {
      throw Errno.EINVAL.exception();
    }
    long set = GuestIo.readLong(t.memory(), t.arg(0)) & ~Signals.UNBLOCKABLE;
    long timeoutAddr = t.arg(2);
    long deadline = Waiter.FOREVER;
    if (timeoutAddr != 0) {
      long nanos = StructLayouts.readTimespec(t.memory(), timeoutAddr);
      long now = System.nanoTime();
      deadline = nanos > Long.MAX_VALUE - now ? Waiter.FOREVER : now + nanos;
    }
    SigInfo info = SignalDelivery.takeWaited(t, set, deadline);
    if (info == null) {
      throw (deadline != Waiter.FOREVER && System.nanoTime() - deadline >= 0
          ? Errno.EAGAIN : Errno.EINTR).exception();
    }
    if (t.arg(1) != 0) {
      GuestIo.write(t.memory(), t.arg(1), info.bytes());
    }
    return info.signo();
  }

  /**
   * rt_sigreturn(): back from a handler: the registers, FPU state, mask and alternate stack come
   * from the frame the handler ran on. A frame that cannot be read ends in SIGSEGV.
   */
  public static Outcome rtSigreturn(Task t) {
    long mask;
    try {
      mask = SignalFrame.restore(t.cpu, t.memory(), t.altStack());
    } catch (MemoryFault bad) {
      SignalDelivery.force(t, SigInfo.kernel(Signals.SIGSEGV));
      return Outcome.contextRestored();
    }
    t.setSignalMask(mask);
    return Outcome.contextRestored();
  }

  /** restart_syscall(): the rest of a call interrupted with ERESTART_RESTARTBLOCK. */
  public static long restartSyscall(Task t) {
    var block = t.takeRestartBlock();
    return block == null ? -Errno.EINTR.number() : block.call(t);
  }
}
