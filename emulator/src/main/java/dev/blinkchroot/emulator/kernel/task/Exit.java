package dev.blinkchroot.emulator.kernel.task;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.signal.SigInfo;
import dev.blinkchroot.emulator.kernel.signal.SignalActions;
import dev.blinkchroot.emulator.kernel.sync.Futexes;
import dev.blinkchroot.emulator.memory.MemoryFault;
import dev.blinkchroot.vfs.ErrnoException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * A process's end (exit_group(2), a fatal signal, the last thread's exit(2)), as _exit(2)
 * describes it: "Any open file descriptors belonging to the process are closed. Any children of
 * the process are inherited by init(1) (or by the nearest 'subreaper' process) ... The
 * process's parent is sent a SIGCHLD signal." The process stays a zombie, holding its pid and
 * wait status, until its parent reaps it ({@link Wait}), unless the parent said it will not
 * wait (SIGCHLD ignored, or SA_NOCLDWAIT): then it is reaped at once.
 */
public final class Exit {
  private Exit() {}

  /**
   * Ends {@code task}'s process with {@code waitStatus} (wait(2)'s encoding), on the task's own
   * thread: resources released, children handed to the reaper, the parent told.
   */
  public static void exitProcess(Task task, int waitStatus) {
    GuestProcess p = task.process();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long cpu = mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : 0;
    long user = mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadUserTime() : 0;
    task.releaseVforkParent();
    clearChildTid(task);
    p.notePeakRss();
    p.timers().exit();
    p.mm().release();
    p.fds().release();
    task.kernel().files().locks().processExited(p);
    PidTable pids = task.kernel().pids();
    GuestProcess parent;
    List<GuestProcess> orphans;
    boolean reaped;
    synchronized (pids) {
      p.userNanos = user;
      p.systemNanos = Math.max(0, cpu - user);
      synchronized (p) {
        p.threads.clear();
      }
      orphans = new ArrayList<>(p.children);
      reparent(pids, p);
      p.waitStatus = waitStatus;
      p.state = GuestProcess.State.ZOMBIE;
      parent = p.parent();
      // Queued before any wait can see the zombie (waits look under this lock), as Linux
      // queues it under the tasklist lock: a parent that has reaped the child finds its
      // SIGCHLD pending (sigpending, a signalfd).
      if (parent != null) {
        sendExitSignal(p, parent, waitStatus);
      }
      reaped = parent != null && p.exitSignal == GuestProcess.SIGCHLD
          && ignoresChildren(parent);
      if (reaped) {
        Wait.reap(pids, p);
      }
    }
    for (GuestProcess orphan : orphans) {
      deliverParentDeathSignal(p, orphan);
    }
    synchronized (pids) {
      JobControl.orphanGroupsOnExit(pids, p, parent, orphans);
    }
    if (parent != null) {
      parent.childEvents().wakeAll();
    }
  }

  /**
   * The parent hears of the end: its exit signal (SIGCHLD for fork's children) with CLD_EXITED,
   * CLD_KILLED or CLD_DUMPED, unless it is SIGCHLD and the parent ignores it. Its wait calls
   * are woken afterwards.
   */
  private static void sendExitSignal(GuestProcess p, GuestProcess parent, int waitStatus) {
    int sig = p.exitSignal;
    if (sig != 0 && !(sig == GuestProcess.SIGCHLD && parent.signalActions()
        .action(sig).handler() == SignalActions.SIG_IGN)) {
      int termSig = waitStatus & 0x7f;
      int code = termSig == 0 ? SigInfo.CLD_EXITED
          : (waitStatus & 0x80) != 0 ? SigInfo.CLD_DUMPED : SigInfo.CLD_KILLED;
      int status = termSig == 0 ? (waitStatus >> 8) & 0xff : termSig;
      SignalSender.sendToProcess(parent, SigInfo.child(sig, code, p.pid(), p.identity().ruid(),
          status, JobControl.ticks(p.userNanos), JobControl.ticks(p.systemNanos)),
          SignalSender.Origin.KERNEL);
    }
  }

  /**
   * set_tid_address / CLONE_CHILD_CLEARTID: "When a thread whose clear_child_tid is not NULL
   * terminates, then, if the thread is sharing memory with other threads, then 0 is written at
   * the address" and a futex wake-up of one waiter on it. Only when the memory is shared:
   * an unshared one is going away.
   */
  private static void clearChildTid(Task task) {
    long addr = task.clearChildTid();
    if (addr == 0 || task.process().mm().users() <= 1) {
      return;
    }
    try {
      GuestIo.writeInt(task.memory(), addr, 0);
    } catch (ErrnoException | MemoryFault ignored) {
      // Linux ignores a failed write here too.
      return;
    }
    task.kernel().futexes().wake(task.process().mm().futexKey(addr, false), 1,
        Futexes.FUTEX_BITSET_MATCH_ANY);
  }

  /**
   * Hands {@code p}'s children to the nearest live ancestor that is a child subreaper
   * (PR_SET_CHILD_SUBREAPER), else to the first process; a child that is already a zombie
   * wakes its new parent. The first process's children have no one to go to: the kernel ends
   * them when it ends.
   */
  private static void reparent(PidTable pids, GuestProcess p) {
    if (p.children.isEmpty()) {
      return;
    }
    GuestProcess reaper = reaperFor(pids, p);
    List<GuestProcess> moving = new ArrayList<>(p.children);
    p.children.clear();
    if (reaper == null) {
      for (GuestProcess c : moving) {
        c.setParent(null);
      }
      return;
    }
    boolean zombies = false;
    for (GuestProcess c : moving) {
      c.setParent(reaper);
      reaper.children.add(c);
      zombies |= c.state == GuestProcess.State.ZOMBIE;
    }
    if (zombies) {
      reaper.childEvents().wakeAll();
    }
  }

  private static GuestProcess reaperFor(PidTable pids, GuestProcess p) {
    for (GuestProcess a = p.parent(); a != null; a = a.parent()) {
      if (a.state == GuestProcess.State.LIVE && a.attributes().childSubreaper) {
        return a;
      }
    }
    GuestProcess init = pids.get(1);
    return init != null && init != p && init.state == GuestProcess.State.LIVE ? init : null;
  }

  /** Whether the parent set SIGCHLD to SIG_IGN or SA_NOCLDWAIT: its children reap themselves. */
  private static boolean ignoresChildren(GuestProcess parent) {
    SignalActions.Action a = parent.signalActions().action(GuestProcess.SIGCHLD);
    return a.handler() == SignalActions.SIG_IGN || a.has(SignalActions.SA_NOCLDWAIT);
  }

  /** PR_SET_PDEATHSIG: the child asked for a signal when its parent ({@code dead}) dies. */
  private static void deliverParentDeathSignal(GuestProcess dead, GuestProcess child) {
    Task t = child.leader();
    if (t == null) {
      return;
    }
    int signal = t.attributes().parentDeathSignal;
    if (signal > 0) {
      SignalSender.sendToProcess(child, SigInfo.kill(signal, SigInfo.SI_USER, dead.pid(),
          dead.identity().ruid()), SignalSender.Origin.KERNEL);
    }
  }
}
