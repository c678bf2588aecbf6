package dev.blinkchroot.emulator.kernel.task;

import dev.blinkchroot.emulator.kernel.sync.Interrupted;
import dev.blinkchroot.emulator.kernel.sync.WaitQueue;
import dev.blinkchroot.emulator.kernel.sync.Waiter;
import dev.blinkchroot.vfs.Errno;
import java.util.function.Predicate;

/**
 * Waiting for a child to change state (wait4(2), waitid(2)): which children qualify, reaping a
 * zombie (its pid is free again and its CPU times join the parent's children's times), reporting
 * a stop (WUNTRACED/WSTOPPED) or a continue (WCONTINUED) once, and blocking until one qualifies.
 */
public final class Wait {
  /** wait options (waitpid(2), waitid(2)). */
  public static final int WNOHANG = 0x1;
  public static final int WUNTRACED = 0x2;
  public static final int WSTOPPED = 0x2;
  public static final int WEXITED = 0x4;
  public static final int WCONTINUED = 0x8;
  public static final int WNOWAIT = 0x0100_0000;
  public static final int WNOTHREAD = 0x2000_0000;
  public static final int WALL = 0x4000_0000;
  public static final int WCLONE = 0x8000_0000;

  /** wait status of a continued child (WIFCONTINUED). */
  public static final int CONTINUED_STATUS = 0xffff;

  /** The child reported, and its state at that moment. */
  public record Report(GuestProcess child, int waitStatus, long userNanos, long systemNanos,
      long peakRssBytes) {
    /** Stopped by a signal (WIFSTOPPED). */
    public boolean stopped() {
      return (waitStatus & 0xff) == 0x7f;
    }

    /** Continued (WIFCONTINUED). */
    public boolean continued() {
      return waitStatus == CONTINUED_STATUS;
    }
  }

  private Wait() {}

  /**
   * Waits for a child of {@code t}'s process that {@code which} accepts to exit; reaps it unless
   * WNOWAIT. Returns null for WNOHANG when none has exited yet. ECHILD when no child qualifies
   * at all; interrupted, a restart (SA_RESTART) or EINTR.
   */
  public static Report waitForChild(Task t, Predicate<GuestProcess> which, int options) {
    GuestProcess parent = t.process();
    PidTable pids = t.kernel().pids();
    Predicate<GuestProcess> qualifies = c -> which.test(c) && cloneKindMatches(c, options);
    while (true) {
      synchronized (pids) {
        boolean any = false;
        for (GuestProcess c : parent.children) {
          if (!qualifies.test(c)) {
            continue;
          }
          any = true;
          Report r = reportable(pids, c, options);
          if (r != null) {
            return r;
          }
        }
        if (!any) {
          throw Errno.ECHILD.exception();
        }
      }
      if ((options & WNOHANG) != 0) {
        return null;
      }
      Waiter.Result r = t.waiter().await(parent.childEvents(), WaitQueue.ALL, Waiter.FOREVER,
          () -> ready(pids, parent, qualifies, options));
      if (r == Waiter.Result.INTERRUPTED) {
        throw Interrupted.RESTART_SYS;
      }
    }
  }

  /**
   * What {@code c} has to report under {@code options}, consumed unless WNOWAIT (the caller
   * holds the PidTable lock): its exit (reaping it), a stop, a continue; null if nothing.
   */
  private static Report reportable(PidTable pids, GuestProcess c, int options) {
    boolean consume = (options & WNOWAIT) == 0;
    if (c.state == GuestProcess.State.ZOMBIE) {
      if ((options & WEXITED) == 0) {
        return null;
      }
      Report r = new Report(c, c.waitStatus, c.userNanos + c.childUserNanos,
          c.systemNanos + c.childSystemNanos, c.peakRssOfTree());
      if (consume) {
        reap(pids, c);
      }
      return r;
    }
    synchronized (c.signalActions()) {
      if ((options & WSTOPPED) != 0 && c.stopUnreported && c.stopped) {
        c.stopUnreported &= !consume;
        long[] ns = c.cpuNanos();
        return new Report(c, (c.stopSignal & 0xff) << 8 | 0x7f, ns[0], ns[1], c.peakRssBytes());
      }
      if ((options & WCONTINUED) != 0 && c.continueUnreported) {
        c.continueUnreported &= !consume;
        long[] ns = c.cpuNanos();
        return new Report(c, CONTINUED_STATUS, ns[0], ns[1], c.peakRssBytes());
      }
    }
    return null;
  }

  private static boolean hasNews(GuestProcess c, int options) {
    if (c.state == GuestProcess.State.ZOMBIE) {
      return (options & WEXITED) != 0;
    }
    synchronized (c.signalActions()) {
      return ((options & WSTOPPED) != 0 && c.stopUnreported && c.stopped)
          || ((options & WCONTINUED) != 0 && c.continueUnreported);
    }
  }

  /** A qualifying child has news, or none qualifies any more. */
  private static boolean ready(PidTable pids, GuestProcess parent,
      Predicate<GuestProcess> qualifies, int options) {
    synchronized (pids) {
      boolean any = false;
      for (GuestProcess c : parent.children) {
        if (qualifies.test(c)) {
          any = true;
          if (hasNews(c, options)) {
            return true;
          }
        }
      }
      return !any;
    }
  }

  /**
   * __WALL waits for every child; __WCLONE only for "clone" children (whose exit signal is not
   * SIGCHLD); neither, only for the others (waitpid(2)).
   */
  private static boolean cloneKindMatches(GuestProcess c, int options) {
    if ((options & WALL) != 0) {
      return true;
    }
    boolean cloneChild = c.exitSignal != GuestProcess.SIGCHLD;
    return cloneChild == ((options & WCLONE) != 0);
  }

  /**
   * Reaps zombie {@code c} (the caller holds the PidTable lock): gone from the table and from
   * its parent's children, its times added to the parent's.
   */
  static void reap(PidTable pids, GuestProcess c) {
    c.state = GuestProcess.State.DEAD;
    pids.remove(c);
    GuestProcess parent = c.parent();
    if (parent != null) {
      parent.children.remove(c);
      parent.childUserNanos += c.userNanos + c.childUserNanos;
      parent.childSystemNanos += c.systemNanos + c.childSystemNanos;
      parent.childPeakRssBytes = Math.max(parent.childPeakRssBytes, c.peakRssOfTree());
    }
  }

  /**
   * What getrusage(RUSAGE_CHILDREN) reports: the CPU time of reaped children, {user, system} in
   * nanoseconds, and the largest resident size among them in bytes.
   */
  public static long[] childUsage(Task t) {
    synchronized (t.kernel().pids()) {
      GuestProcess p = t.process();
      return new long[] {p.childUserNanos, p.childSystemNanos, p.childPeakRssBytes};
    }
  }
}
