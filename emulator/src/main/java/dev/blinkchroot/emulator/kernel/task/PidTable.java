package dev.blinkchroot.emulator.kernel.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The kernel's process table (one per sandbox, like a pid namespace): the live processes by pid,
 * the allocation of new pids, and the lock that guards the relations between processes (parent
 * and children, process groups and sessions), which Linux calls the tasklist lock.
 *
 * <p>Pids are allocated as Linux allocates them: the next number after the last one handed out,
 * wrapping past {@link #PID_MAX} to {@link #RESERVED_PIDS}, skipping every number still in use
 * as a process, process group or session id, so a pid is not reused while a zombie holds it or
 * a group or session is named after it.
 */
public final class PidTable {
  /** /proc/sys/kernel/pid_max: pids are below it. */
  public static final int PID_MAX = 32768;
  /** Where allocation starts again after wrapping (Linux's RESERVED_PIDS). */
  static final int RESERVED_PIDS = 300;

  private final TreeMap<Integer, GuestProcess> processes = new TreeMap<>();
  private int last;

  /** The next free pid, or -1 when every pid is in use (fork then fails with EAGAIN). */
  public synchronized int allocate() {
    int candidate = last;
    for (int tries = 0; tries < PID_MAX; tries++) {
      candidate++;
      if (candidate >= PID_MAX) {
        candidate = RESERVED_PIDS;
      }
      if (!inUse(candidate)) {
        last = candidate;
        return candidate;
      }
    }
    return -1;
  }

  private boolean inUse(int id) {
    if (processes.containsKey(id)) {
      return true;
    }
    for (GuestProcess p : processes.values()) {
      if (p.pgid() == id || p.sid() == id) {
        return true;
      }
    }
    return false;
  }

  /** Makes {@code p} visible under its pid (fork, and the first process). */
  public synchronized void add(GuestProcess p) {
    processes.put(p.pid(), p);
    last = Math.max(last, p.pid());
  }

  /** Forgets {@code p} (when it has been reaped). */
  public synchronized void remove(GuestProcess p) {
    processes.remove(p.pid(), p);
  }

  /** The process with this pid (a zombie included), or null. */
  public synchronized GuestProcess get(int pid) {
    return processes.get(pid);
  }

  /** The processes, in ascending pid order. */
  public synchronized List<GuestProcess> all() {
    return new ArrayList<>(processes.values());
  }

  /** The processes {@code test} accepts, in ascending pid order; call with the table locked. */
  public synchronized List<GuestProcess> select(Predicate<GuestProcess> test) {
    List<GuestProcess> out = new ArrayList<>();
    for (Map.Entry<Integer, GuestProcess> e : processes.entrySet()) {
      if (test.test(e.getValue())) {
        out.add(e.getValue());
      }
    }
    return out;
  }

  /**
   * The live thread with id {@code tid}, or null. Each process has one thread for now, whose id
   * is the pid; threads will be found through their process.
   */
  public synchronized Task thread(int tid) {
    GuestProcess p = processes.get(tid);
    if (p == null || !p.live()) {
      return null;
    }
    synchronized (p) {
      for (Task t : p.threads) {
        if (t.tid() == tid) {
          return t;
        }
      }
    }
    return null;
  }
}
