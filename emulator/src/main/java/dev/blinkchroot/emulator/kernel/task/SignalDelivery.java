package dev.blinkchroot.emulator.kernel.task;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.kernel.signal.SigInfo;
import dev.blinkchroot.emulator.kernel.signal.SignalActions;
import dev.blinkchroot.emulator.kernel.signal.SignalFrame;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.sync.Interrupted;
import dev.blinkchroot.emulator.kernel.sync.WaitQueue;
import dev.blinkchroot.emulator.kernel.sync.Waiter;
import dev.blinkchroot.vfs.Errno;

/**
 * Signal delivery, on the receiving thread, whenever it is about to run guest code again (after
 * a system call, between slices of instructions, after a fault): pending signals it does not
 * block are taken one by one, synchronous ones first, and acted on: ignored, the default action
 * (end the process, stop it), or a handler entered through a signal frame. An interrupted system
 * call is finished here too, by the restart rules of signal(7): EINTR when a handler runs
 * (unless SA_RESTART allows the call to run again), a transparent restart otherwise.
 */
public final class SignalDelivery {
  /** restart_syscall(2): what an ERESTART_RESTARTBLOCK call becomes when restarted. */
  static final int NR_RESTART_SYSCALL = 219;
  /** The length of the SYSCALL instruction, which a restart runs again. */
  static final int SYSCALL_LENGTH = 2;

  private SignalDelivery() {}

  /** A signal taken for delivery, with the action it had when taken. */
  private record Taken(SigInfo info, SignalActions.Action action) {}

  /**
   * Whether {@code t} has anything to do before running guest code: a kill, a stop, a signal it
   * does not block, an interrupted call, a temporary mask to restore. A cheap check, made after
   * every system call.
   */
  public static boolean needed(Task t) {
    GuestProcess p = t.process();
    return t.pendingKill() != 0 || t.interruptedCall >= 0 || t.hasSavedMask
        || ((t.pending.bits() | p.sharedPending.bits()) & ~t.signalMask) != 0
        || (p.stopped && p.live());
  }

  /** Delivers what is pending (see the class comment); throws ProcessExit if the process ends. */
  public static void deliver(Task t) {
    if (!needed(t)) {
      return;
    }
    GuestProcess p = t.process();
    boolean handled = false;
    while (true) {
      t.waiter().clearInterrupt();
      checkKilled(t);
      if (p.stopped()) {
        JobControl.awaitContinue(t);
        continue;
      }
      Taken next = take(t);
      if (next == null) {
        break;
      }
      SignalActions.Action a = next.action();
      int sig = next.info().signo();
      if (a.handler() == SignalActions.SIG_IGN) {
        continue;
      }
      if (a.handler() == SignalActions.SIG_DFL) {
        defaultAction(t, next.info());
        continue;
      }
      if (t.interruptedCall >= 0) {
        finishInterruptedCall(t, a);
      }
      if (!enterHandler(t, next.info(), a)) {
        // The frame could not be written: Linux's force_sigsegv.
        if (sig == Signals.SIGSEGV) {
          p.signalActions().setAction(sig, SignalActions.Action.DEFAULT);
        }
        force(t, SigInfo.kernel(Signals.SIGSEGV));
        continue;
      }
      handled = true;
    }
    if (t.interruptedCall >= 0) {
      restartWithoutHandler(t);
    }
    if (!handled) {
      restoreSavedMask(t);
    }
  }

  private static void checkKilled(Task t) {
    int signal = t.pendingKill();
    if (signal != 0) {
      throw ProcessExit.killed(signal);
    }
  }

  /** Takes the next deliverable signal, applying SA_RESETHAND; null if none. */
  private static Taken take(Task t) {
    GuestProcess p = t.process();
    SignalActions actions = p.signalActions();
    synchronized (actions) {
      long allowed = ~t.signalMask;
      SigInfo info = t.pending.take(allowed);
      if (info == null) {
        info = p.sharedPending.take(allowed);
      }
      if (info == null) {
        return null;
      }
      SignalActions.Action a = actions.action(info.signo());
      if (a.isHandler() && a.has(SignalActions.SA_RESETHAND)) {
        // Only the handler is reset: the flags, SA_RESETHAND among them, stay as they were.
        actions.setAction(info.signo(), new SignalActions.Action(SignalActions.SIG_DFL,
            a.flags(), a.restorer(), a.mask()));
      }
      return new Taken(info, a);
    }
  }

  /**
   * The default action. pid 1 ignores what would end or stop it (it has no handler), except
   * SIGKILL and SIGSTOP sent from the host and signals forced by a fault.
   */
  private static void defaultAction(Task t, SigInfo info) {
    int sig = info.signo();
    Signals.DefaultAction d = Signals.defaultAction(sig);
    if (d == Signals.DefaultAction.IGNORE || d == Signals.DefaultAction.CONTINUE) {
      return;
    }
    if (t.process().pid() == 1 && !info.forced()) {
      return;
    }
    if (d == Signals.DefaultAction.STOP) {
      // "SIGTSTP, SIGTTIN, SIGTTOU ... are discarded" by a member of an orphaned group.
      if (sig != Signals.SIGSTOP && JobControl.callerGroupOrphaned(t)) {
        return;
      }
      JobControl.stop(t, sig);
      return;
    }
    throw ProcessExit.killed(sig);
  }

  /** A handler runs after a call returned ERESTART*: EINTR, or the call runs again after it. */
  private static void finishInterruptedCall(Task t, SignalActions.Action a) {
    Cpu cpu = t.cpu;
    long number = t.interruptedCall;
    t.interruptedCall = -1;
    int code = (int) -cpu.gpr[Cpu.RAX];
    boolean restart = code == Interrupted.ERESTARTNOINTR
        || (code == Interrupted.ERESTARTSYS && a.has(SignalActions.SA_RESTART));
    if (restart) {
      cpu.gpr[Cpu.RAX] = number;
      cpu.rip -= SYSCALL_LENGTH;
    } else {
      cpu.gpr[Cpu.RAX] = -Errno.EINTR.number();
    }
  }

  /** No handler ran: the interrupted call runs again, as if never interrupted. */
  private static void restartWithoutHandler(Task t) {
    Cpu cpu = t.cpu;
    long number = t.interruptedCall;
    t.interruptedCall = -1;
    cpu.gpr[Cpu.RAX] = -cpu.gpr[Cpu.RAX] == Interrupted.ERESTART_RESTARTBLOCK
        ? NR_RESTART_SYSCALL : number;
    cpu.rip -= SYSCALL_LENGTH;
  }

  /**
   * Builds the handler's frame and blocks, while the handler runs, its sa_mask and (without
   * SA_NODEFER) the signal itself; the frame keeps the mask to restore.
   */
  private static boolean enterHandler(Task t, SigInfo info, SignalActions.Action a) {
    GuestProcess p = t.process();
    long oldMask;
    synchronized (p.signalActions()) {
      oldMask = t.hasSavedMask ? t.savedMask : t.signalMask;
    }
    SignalFrame.Trap trap = t.trap;
    t.trap = SignalFrame.Trap.NONE;
    if (!SignalFrame.setUp(t.cpu, t.memory(), info, a, t.altStack(), oldMask, trap)) {
      return false;
    }
    synchronized (p.signalActions()) {
      t.hasSavedMask = false;
      long block = a.mask() | (a.has(SignalActions.SA_NODEFER) ? 0 : Signals.bit(info.signo()));
      t.signalMask = (t.signalMask | block) & ~Signals.UNBLOCKABLE;
    }
    return true;
  }

  /** A call that set a temporary mask returns without a handler: the mask comes back now. */
  public static void restoreSavedMask(Task t) {
    synchronized (t.process().signalActions()) {
      if (t.hasSavedMask) {
        t.hasSavedMask = false;
        t.signalMask = t.savedMask;
        recalc(t);
      }
    }
  }

  /**
   * A signal the task cannot ignore (a fault, or the SIGSEGV of a frame that could not be
   * written): if blocked or ignored it is unblocked and its action reset to the default, as
   * Linux's force_sig_info. Queued first on the thread.
   *
   * @return whether a handler will run for it (otherwise the process dies of it)
   */
  public static boolean force(Task t, SigInfo info) {
    GuestProcess p = t.process();
    SignalActions actions = p.signalActions();
    int sig = info.signo();
    synchronized (actions) {
      SignalActions.Action a = actions.action(sig);
      boolean blocked = (t.signalMask & Signals.bit(sig)) != 0;
      if (blocked || a.handler() == SignalActions.SIG_IGN) {
        actions.setAction(sig, SignalActions.Action.DEFAULT);
        t.signalMask &= ~Signals.bit(sig);
      }
      t.pending.addFirst(info.asForced());
      return actions.action(sig).isHandler();
    }
  }

  /**
   * rt_sigtimedwait's wait: takes a pending signal of {@code set}, the thread's before the
   * process's, waiting for one until {@code deadline} ({@link Waiter} time). The signals of the
   * set wake the thread meanwhile although it blocks them. Null when the deadline passes or
   * another signal interrupts the wait.
   */
  public static SigInfo takeWaited(Task t, long set, long deadline) {
    GuestProcess p = t.process();
    try {
      while (true) {
        synchronized (p.signalActions()) {
          SigInfo info = takeFrom(t, set);
          if (info != null) {
            return info;
          }
          t.sigwaitSet = set;
        }
        Waiter.Result r = t.waiter().await(new WaitQueue[0], new int[0], deadline,
            () -> ((t.pending.bits() | p.sharedPending.bits()) & set) != 0);
        if (r != Waiter.Result.READY) {
          synchronized (p.signalActions()) {
            return takeFrom(t, set);
          }
        }
      }
    } finally {
      synchronized (p.signalActions()) {
        t.sigwaitSet = 0;
        recalc(t);
      }
    }
  }

  private static SigInfo takeFrom(Task t, long set) {
    SigInfo info = t.pending.take(set);
    return info != null ? info : t.process().sharedPending.take(set);
  }

  /**
   * After the mask changed (the caller holds the signal lock): a task with nothing deliverable
   * forgets an interruption meant for a signal it now blocks.
   */
  static void recalc(Task t) {
    GuestProcess p = t.process();
    boolean deliverable = t.pendingKill() != 0 || p.stopped
        || ((t.pending.bits() | p.sharedPending.bits()) & ~t.signalMask) != 0;
    if (deliverable) {
      t.signalWake();
    } else {
      t.waiter().clearInterrupt();
    }
  }
}
