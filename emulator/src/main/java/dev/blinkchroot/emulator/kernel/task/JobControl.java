package dev.blinkchroot.emulator.kernel.task;

import dev.blinkchroot.emulator.kernel.signal.SigInfo;
import dev.blinkchroot.emulator.kernel.signal.SignalActions;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.sync.WaitQueue;
import dev.blinkchroot.emulator.kernel.sync.Waiter;
import java.util.ArrayList;
import java.util.List;

/**
 * Stopping and continuing processes (signal(7)'s Stop and Cont actions), what the parent hears
 * of it (SIGCHLD with CLD_STOPPED, CLD_CONTINUED, CLD_EXITED...; wait's WUNTRACED and
 * WCONTINUED), and orphaned process groups (POSIX: a group none of whose members has a parent in
 * another group of the same session; when one with stopped members appears, they get SIGHUP and
 * SIGCONT, and stop signals from the terminal no longer stop its members).
 */
final class JobControl {
  private JobControl() {}

  /**
   * What generating {@code sig} does at once (the caller holds {@code p}'s signal lock): a stop
   * signal discards a pending SIGCONT; SIGCONT discards pending stop signals and resumes the
   * process if it is stopped.
   *
   * @return true if SIGCONT resumed a stopped process (the parent is to be told, outside the lock)
   */
  static boolean onGeneration(GuestProcess p, int sig) {
    if ((Signals.STOP_MASK & Signals.bit(sig)) != 0) {
      p.discardPending(Signals.bit(Signals.SIGCONT));
      return false;
    }
    if (sig != Signals.SIGCONT) {
      return false;
    }
    p.discardPending(Signals.STOP_MASK);
    if (!p.stopped) {
      return false;
    }
    p.stopped = false;
    p.stopUnreported = false;
    p.continueUnreported = true;
    p.stopQueue.wakeAll();
    return true;
  }

  /**
   * The Stop action, on a thread of the process: the process stops (every thread), the parent is
   * told, and the thread waits until SIGCONT or SIGKILL.
   */
  static void stop(Task t, int sig) {
    GuestProcess p = t.process();
    boolean first;
    List<Task> others;
    synchronized (p.signalActions()) {
      first = !p.stopped;
      if (first) {
        p.stopped = true;
        p.stopSignal = sig;
        p.stopUnreported = true;
        p.continueUnreported = false;
      }
      synchronized (p) {
        others = new ArrayList<>(p.threads);
      }
    }
    if (first) {
      for (Task other : others) {
        if (other != t) {
          other.signalWake(); // it stops when it next checks
        }
      }
      notifyParent(p, SigInfo.CLD_STOPPED, sig);
    }
    awaitContinue(t);
  }

  /**
   * A thread of a stopped process waits (in /proc, state T) until the process is continued or
   * the thread is killed; other signals stay pending meanwhile.
   */
  static void awaitContinue(Task t) {
    GuestProcess p = t.process();
    Waiter w = t.waiter();
    while (t.pendingKill() == 0 && p.stopped()) {
      w.clearInterrupt();
      w.await(p.stopQueue, WaitQueue.ALL, Waiter.FOREVER,
          () -> !p.stopped() || t.pendingKill() != 0);
    }
  }

  /**
   * Tells {@code p}'s parent that {@code p} stopped, continued or ended: SIGCHLD (for a stop or
   * a continue, unless the parent set SA_NOCLDSTOP), and a wake-up of its wait4 and waitid.
   */
  static void notifyParent(GuestProcess p, int code, int status) {
    GuestProcess parent = p.parent();
    if (parent == null) {
      return;
    }
    SignalActions.Action a = parent.signalActions().action(Signals.SIGCHLD);
    if (!a.has(SignalActions.SA_NOCLDSTOP)) {
      long[] ns = p.cpuNanos();
      SignalSender.sendToProcess(parent, SigInfo.child(Signals.SIGCHLD, code, p.pid(),
          p.identity().ruid(), status, ticks(ns[0]), ticks(ns[1])),
          SignalSender.Origin.KERNEL);
    }
    parent.childEvents().wakeAll();
  }

  /** Nanoseconds as clock ticks (USER_HZ, 100 a second), as siginfo's si_utime and si_stime. */
  static long ticks(long nanos) {
    return nanos / 10_000_000L;
  }

  /**
   * Whether process group {@code pgid} is orphaned, or will be once {@code leaving} is gone
   * (the caller holds the PidTable lock): no member other than {@code leaving} has a parent in a
   * different group of the same session.
   */
  static boolean orphaned(PidTable pids, int pgid, GuestProcess leaving) {
    for (GuestProcess m : pids.select(q -> q.pgid() == pgid)) {
      if (m == leaving || !m.live()) {
        continue;
      }
      GuestProcess parent = m.parent();
      if (parent != null && parent.pgid() != pgid && parent.sid() == m.sid()) {
        return false;
      }
    }
    return true;
  }

  /** Whether the calling thread's process group is orphaned (TSTP, TTIN, TTOU are discarded). */
  static boolean callerGroupOrphaned(Task t) {
    PidTable pids = t.kernel().pids();
    synchronized (pids) {
      return orphaned(pids, t.process().pgid(), null);
    }
  }

  /**
   * {@code p} is exiting and its {@code children} were handed on (the caller holds the PidTable
   * lock): each group this orphans that has a stopped member gets SIGHUP then SIGCONT. The
   * groups concerned are {@code p}'s own (if its parent linked it to the session) and its
   * children's (if {@code p} did).
   */
  static void orphanGroupsOnExit(PidTable pids, GuestProcess p, GuestProcess parent,
      List<GuestProcess> children) {
    if (parent != null && parent.pgid() != p.pgid() && parent.sid() == p.sid()) {
      hangUpIfOrphanedAndStopped(pids, p.pgid(), p);
    }
    for (GuestProcess c : children) {
      if (c.pgid() != p.pgid() && c.sid() == p.sid()) {
        hangUpIfOrphanedAndStopped(pids, c.pgid(), null);
      }
    }
  }

  private static void hangUpIfOrphanedAndStopped(PidTable pids, int pgid, GuestProcess leaving) {
    if (!orphaned(pids, pgid, leaving)) {
      return;
    }
    List<GuestProcess> members = pids.select(q -> q.pgid() == pgid && q.live());
    if (members.stream().noneMatch(GuestProcess::stopped)) {
      return;
    }
    for (GuestProcess m : members) {
      SignalSender.sendToProcess(m, SigInfo.kernel(Signals.SIGHUP), SignalSender.Origin.KERNEL);
      SignalSender.sendToProcess(m, SigInfo.kernel(Signals.SIGCONT), SignalSender.Origin.KERNEL);
    }
  }
}
