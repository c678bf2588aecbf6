package dev.blinkchroot.emulator.kernel.timer;

import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The timers a process owns: the three interval timers of setitimer(2) (alarm(2) is
 * ITIMER_REAL) and its POSIX timers (timer_create(2)). Each process has its own, made empty:
 * "The child does not inherit timers from its parent (setitimer(2), alarm(2), timer_create(2))"
 * (fork(2)). Across execve(2) the interval timers stay ("The process's interval timers are
 * preserved"... POSIX timers are not: "POSIX timers are not preserved", execve(2)); at exit all
 * stop.
 *
 * <p>Timers on CPU-time clocks (ITIMER_VIRTUAL, ITIMER_PROF, timers on
 * CLOCK_PROCESS_CPUTIME_ID and CLOCK_THREAD_CPUTIME_ID) are checked by {@link #checkCpu}, which
 * the task loop calls after each system call and slice of instructions.
 */
public final class ProcessTimers {
  public static final int ITIMER_REAL = 0;
  public static final int ITIMER_VIRTUAL = 1;
  public static final int ITIMER_PROF = 2;
  /** How many POSIX timers a process may have before timer_create fails with EAGAIN. */
  static final int MAX_POSIX_TIMERS = 1 << 16;

  private final IntervalTimer[] itimers = new IntervalTimer[3];
  private final Map<Integer, PosixTimer> posix = new TreeMap<>();
  /** Where the next timer id is looked for: ids count up and wrap, as Linux's do. */
  private int nextId;
  /** The timers {@link #checkCpu} polls; empty (and the check free) for most processes. */
  private final List<IntervalTimer> cpuTimers = new CopyOnWriteArrayList<>();

  /** Interval timer {@code which}, made by {@code make} the first time it is asked for. */
  public synchronized IntervalTimer itimer(int which, Supplier<IntervalTimer> make) {
    IntervalTimer t = itimers[which];
    if (t == null) {
      t = make.get();
      itimers[which] = t;
      if (t.polled()) {
        cpuTimers.add(t);
      }
    }
    return t;
  }

  /** Interval timer {@code which} if it was ever set, else null (it reads as disarmed). */
  public synchronized IntervalTimer itimerIfSet(int which) {
    return itimers[which];
  }

  /**
   * timer_create: a new POSIX timer with the next free id; EAGAIN when the process has too
   * many ("The kernel temporarily failed to allocate memory for the timer structure").
   */
  public PosixTimer createPosix(GuestProcess p, Task thread, int notify, int signo, long value,
      boolean useTimerIdAsValue, Function<IntervalTimer.Listener, IntervalTimer> makeTimer) {
    PosixTimer timer;
    synchronized (this) {
      if (posix.size() >= MAX_POSIX_TIMERS) {
        throw Errno.EAGAIN.exception();
      }
      int id = nextId;
      while (posix.containsKey(id)) {
        id = (id + 1) & Integer.MAX_VALUE;
      }
      nextId = (id + 1) & Integer.MAX_VALUE;
      timer = new PosixTimer(id, p, thread, notify, signo, useTimerIdAsValue ? id : value,
          makeTimer);
      posix.put(id, timer);
    }
    if (timer.timer().polled()) {
      cpuTimers.add(timer.timer());
    }
    return timer;
  }

  /** The POSIX timer {@code id}; EINVAL if there is none ("timerid is invalid"). */
  public synchronized PosixTimer posix(int id) {
    PosixTimer t = posix.get(id);
    if (t == null) {
      throw Errno.EINVAL.exception();
    }
    return t;
  }

  /** timer_delete: EINVAL for an id that names no timer. */
  public void deletePosix(int id) {
    PosixTimer t;
    synchronized (this) {
      t = posix.remove(id);
    }
    if (t == null) {
      throw Errno.EINVAL.exception();
    }
    cpuTimers.remove(t.timer());
    t.delete();
  }

  /** Checks the CPU-time timers against the CPU time used so far; some may expire. */
  public void checkCpu() {
    if (cpuTimers.isEmpty()) {
      return;
    }
    for (IntervalTimer t : cpuTimers) {
      t.poll();
    }
  }

  /** execve: the POSIX timers are deleted; the interval timers run on. */
  public void exec() {
    deleteAllPosix();
  }

  /** The process has exited: no timer of its expires again. */
  public void exit() {
    deleteAllPosix();
    List<IntervalTimer> its = new ArrayList<>();
    synchronized (this) {
      for (IntervalTimer t : itimers) {
        if (t != null) {
          its.add(t);
        }
      }
    }
    for (IntervalTimer t : its) {
      t.cancel();
    }
    cpuTimers.clear();
  }

  private void deleteAllPosix() {
    List<PosixTimer> all;
    synchronized (this) {
      all = new ArrayList<>(posix.values());
      posix.clear();
    }
    for (PosixTimer t : all) {
      cpuTimers.remove(t.timer());
      t.delete();
    }
  }
}
