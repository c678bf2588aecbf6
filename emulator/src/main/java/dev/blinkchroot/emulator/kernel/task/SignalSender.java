package dev.blinkchroot.emulator.kernel.task;

import dev.blinkchroot.emulator.kernel.signal.PendingSignals;
import dev.blinkchroot.emulator.kernel.signal.SigInfo;
import dev.blinkchroot.emulator.kernel.signal.SignalActions;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.vfs.Errno;
import java.util.List;

/**
 * Signal generation: kill(2)'s targets and permission rules, and what generation itself does
 * (signal(7)): a signal ignored by its target is discarded unless blocked, SIGCONT resumes a
 * stopped process and discards its pending stop signals (and a stop signal discards a pending
 * SIGCONT), SIGKILL ends the process at once. Otherwise the signal joins the process's or the
 * thread's pending set and a thread that can take it is woken; delivery happens on that thread
 * ({@link SignalDelivery}).
 */
public final class SignalSender {
  /** Who sends: decides permission checks and whether pid 1 is protected. */
  public enum Origin {
    /** A guest system call (kill, tkill, sigqueue...): permission checked. */
    GUEST,
    /** The kernel itself (SIGCHLD, SIGPIPE, timers, faults). */
    KERNEL,
    /**
     * blink-chroot's host, forwarding its own signals: like a signal from an ancestor pid
     * namespace, and delivered to pid 1 even when it has no handler, as docker run --init users
     * expect of their init.
     */
    HOST
  }

  private SignalSender() {}

  /**
   * kill(pid, sig) from {@code sender}: pid &gt; 0 one process, 0 the caller's process group, -1
   * every process the caller may signal except pid 1 and itself, &lt; -1 process group -pid.
   * Signal 0 only checks. ESRCH when no process matches, EPERM when none of them may be signalled.
   */
  public static void kill(Task sender, int pid, int sig) {
    if (sig < 0 || sig > Signals.NSIG) {
      throw Errno.EINVAL.exception();
    }
    PidTable pids = sender.kernel().pids();
    GuestProcess self = sender.process();
    List<GuestProcess> targets;
    if (pid > 0) {
      GuestProcess p = pids.get(pid);
      targets = p == null ? List.of() : List.of(p);
    } else if (pid == -1) {
      targets = pids.select(p -> p.pid() != 1 && p != self);
    } else {
      int group = pid == 0 ? self.pgid() : -pid;
      targets = pids.select(p -> p.pgid() == group);
    }
    SigInfo info = SigInfo.kill(sig, SigInfo.SI_USER, self.pid(), self.identity().ruid());
    boolean found = false;
    boolean allowed = false;
    for (GuestProcess p : targets) {
      if (p.state() == GuestProcess.State.DEAD) {
        continue;
      }
      found = true;
      if (!permitted(sender, p, sig)) {
        continue;
      }
      allowed = true;
      if (sig != 0) {
        sendToProcess(p, info, Origin.GUEST);
      }
    }
    if (!found) {
      throw Errno.ESRCH.exception();
    }
    if (!allowed) {
      throw Errno.EPERM.exception();
    }
  }

  /**
   * kill(2): "the real or effective user ID of the sending process must equal the real or saved
   * set-user-ID of the target process", or CAP_KILL; "In the case of SIGCONT, it suffices when
   * the sending and receiving processes belong to the same session."
   */
  public static boolean permitted(Task sender, GuestProcess target, int sig) {
    GuestProcess self = sender.process();
    if (self == target || Capabilities.has(sender, Capabilities.CAP_KILL)) {
      return true;
    }
    if (sig == Signals.SIGCONT && self.sid() == target.sid()) {
      return true;
    }
    Identity s = self.identity();
    Identity t = target.identity();
    return s.ruid() == t.ruid() || s.ruid() == t.suid() || s.euid() == t.ruid()
        || s.euid() == t.suid();
  }

  /** A write found no reader: SIGPIPE to the writing thread, as Linux's pipe_write sends it. */
  public static void brokenPipe(Task writer) {
    GuestProcess self = writer.process();
    sendToThread(writer, SigInfo.kill(Signals.SIGPIPE, SigInfo.SI_USER, self.pid(),
        self.identity().ruid()), Origin.KERNEL);
  }

  /** Sends {@code info} to process {@code target} as a whole (any thread may take it). */
  public static void sendToProcess(GuestProcess target, SigInfo info, Origin origin) {
    send(target, null, info, origin);
  }

  /** Sends {@code info} to thread {@code target} alone (tkill, tgkill, SIGPIPE). */
  public static void sendToThread(Task target, SigInfo info, Origin origin) {
    send(target.process(), target, info, origin);
  }

  private static void send(GuestProcess p, Task thread, SigInfo sent, Origin origin) {
    SigInfo info = origin == Origin.HOST ? sent.asForced() : sent;
    int sig = info.signo();
    boolean resumed;
    synchronized (p.signalActions()) {
      if (!p.live()) {
        return;
      }
      resumed = JobControl.onGeneration(p, sig);
      Task target = thread != null ? thread : p.leader();
      // An ignored SIGCONT is discarded but has resumed the process all the same.
      if (target != null && !ignored(p, target, sig, origin)) {
        PendingSignals queue = thread != null ? thread.pending : p.sharedPending;
        if (queue.add(info)) {
          wakeTaker(p, thread, sig);
        }
      }
    }
    p.signalfdQueue().wakeAll(); // signalfd(2) readers and pollers look again
    if (resumed) {
      JobControl.notifyParent(p, SigInfo.CLD_CONTINUED, Signals.SIGCONT);
    }
  }

  /**
   * Whether {@code sig} would be discarded on arrival (Linux's sig_ignored): never while
   * blocked; pid 1 ignores what it has no handler for unless the host sends it (pid_namespaces(7):
   * "Only signals for which the 'init' process has established a signal handler can be sent to
   * the 'init' process by other members of the PID namespace"); otherwise SIG_IGN and the
   * default-ignored signals.
   */
  private static boolean ignored(GuestProcess p, Task t, int sig, Origin origin) {
    if ((t.signalMask & Signals.bit(sig)) != 0) {
      return false;
    }
    SignalActions actions = p.signalActions();
    if (p.pid() == 1 && origin != Origin.HOST
        && actions.action(sig).handler() == SignalActions.SIG_DFL) {
      return true;
    }
    return actions.ignores(sig);
  }

  /**
   * Wakes a thread that can take {@code sig} (the one it was sent to, else the leader or any
   * thread not blocking it). SIGKILL, and a signal whose default action ends the process and
   * that nobody handles or blocks, end every thread at once.
   */
  private static void wakeTaker(GuestProcess p, Task thread, int sig) {
    if (p.stopped && sig != Signals.SIGKILL) {
      return; // a stopped process takes nothing but SIGKILL until SIGCONT resumes it
    }
    List<Task> threads;
    synchronized (p) {
      threads = List.copyOf(p.threads);
    }
    Task taker = thread;
    if (taker == null) {
      for (Task t : threads) {
        if ((t.signalMask & ~t.sigwaitSet & Signals.bit(sig)) == 0) {
          taker = t;
          break;
        }
      }
    } else if ((taker.signalMask & ~taker.sigwaitSet & Signals.bit(sig)) != 0) {
      return; // blocked: it waits in the thread's pending set
    }
    if (taker == null) {
      return; // blocked everywhere: it waits in the pending set
    }
    boolean waited = (taker.sigwaitSet & Signals.bit(sig)) != 0;
    boolean fatal = sig == Signals.SIGKILL
        || (!waited && Signals.defaultAction(sig) == Signals.DefaultAction.TERMINATE
            && p.signalActions().action(sig).handler() == SignalActions.SIG_DFL);
    if (fatal) {
      for (Task t : threads) {
        t.kill(sig);
      }
      p.stopQueue.wakeAll();
      return;
    }
    taker.signalWake();
  }
}
