package dev.blinkchroot.emulator.kernel.fd;

import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.sync.WaitQueue;
import dev.blinkchroot.emulator.kernel.sync.Waiter;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Stat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Advisory file locks of one kernel, keyed by inode (st_dev, st_ino):
 *
 * <ul>
 *   <li>Record locks (fcntl(2) "Advisory record locking"): byte ranges, read or write, owned by
 *       a process (F_SETLK: "locks are associated with a process") or by an open file description
 *       (F_OFD_SETLK). Two locks conflict when their ranges overlap, at least one is a write lock
 *       and their owners differ; so a process's POSIX locks never conflict with each other, while
 *       two descriptions' OFD locks do, even in one process. Setting a lock replaces, splits and
 *       merges the owner's own locks in the range.
 *   <li>flock(2) locks: whole-file, shared or exclusive, owned by the open file description; a
 *       conversion is not atomic ("Converting a lock ... is not guaranteed to be atomic").
 * </ul>
 *
 * One monitor guards everything; blocked lockers wait on one wait queue, woken at every release.
 * F_SETLKW detects a cycle of POSIX owners waiting on each other and fails with EDEADLK. An
 * interruption of the task ends a blocked wait with EINTR.
 */
public final class FileLocks {
  public static final int F_RDLCK = 0;
  public static final int F_WRLCK = 1;
  public static final int F_UNLCK = 2;
  /** A range to the end of file (l_len 0). */
  public static final long TO_EOF = Long.MAX_VALUE;

  private record Key(long dev, long ino) {}

  /** One record lock over [start, end). {@code owner} is a GuestProcess or a description. */
  public record Lock(Object owner, int pid, boolean ofd, boolean write, long start, long end) {
    boolean overlaps(long s, long e) {
      return start < e && s < end;
    }
  }

  private static final class InodeLocks {
    final List<Lock> records = new ArrayList<>();
    final Map<Object, Boolean> flocks = new IdentityHashMap<>();

    boolean isEmpty() {
      return records.isEmpty() && flocks.isEmpty();
    }
  }

  private final Object monitor = new Object();
  /** Where blocked lockers wait: woken whenever a lock is released or changed. */
  private final WaitQueue released = new WaitQueue();
  private final Map<Key, InodeLocks> locks = new HashMap<>();
  /** POSIX owners blocked in F_SETLKW, and the owner each waits for (deadlock detection). */
  private final Map<Object, Object> waitingFor = new IdentityHashMap<>();

  /** An empty lock table (one per kernel). */
  public FileLocks() {}

  private static Key key(FileDescription d) {
    Stat st = d.stat();
    return new Key(st.dev(), st.ino());
  }

  /**
   * The first lock that would block {@code owner} from taking [start, end): what F_GETLK
   * reports; null when there is none.
   */
  public Lock conflict(FileDescription d, Object owner, boolean write, long start, long end) {
    Key k = key(d);
    synchronized (monitor) {
      InodeLocks l = locks.get(k);
      return l == null ? null : findConflict(l, owner, write, start, end);
    }
  }

  private static Lock findConflict(InodeLocks l, Object owner, boolean write, long start,
      long end) {
    for (Lock x : l.records) {
      if (x.owner != owner && (write || x.write) && x.overlaps(start, end)) {
        return x;
      }
    }
    return null;
  }

  /**
   * F_SETLK / F_SETLKW / F_OFD_SETLK(W): {@code type} F_RDLCK, F_WRLCK or F_UNLCK over [start,
   * end). EAGAIN when a conflicting lock is held and {@code wait} is false.
   */
  public void setLock(FileDescription d, Object owner, int pid, boolean ofd, int type, long start,
      long end, boolean wait) {
    Key k = key(d);
    boolean write = type == F_WRLCK;
    while (true) {
      synchronized (monitor) {
        InodeLocks l = locks.computeIfAbsent(k, x -> new InodeLocks());
        try {
          if (type == F_UNLCK) {
            carve(l, owner, start, end);
            released.wakeAll();
            return;
          }
          Lock c = findConflict(l, owner, write, start, end);
          if (c == null) {
            carve(l, owner, start, end);
            l.records.add(new Lock(owner, pid, ofd, write, start, end));
            merge(l, owner);
            released.wakeAll();
            return;
          }
          if (!wait) {
            throw Errno.EAGAIN.exception();
          }
          if (!ofd && !c.ofd && waitsOn(c.owner, owner)) {
            throw Errno.EDEADLK.exception();
          }
          if (!ofd) {
            waitingFor.put(owner, c.owner);
          }
        } finally {
          if (l.isEmpty() && locks.get(k) == l) {
            locks.remove(k);
          }
        }
      }
      try {
        Waiter.block(released, WaitQueue.ALL, () -> {
          synchronized (monitor) {
            InodeLocks l = locks.get(k);
            return l == null || findConflict(l, owner, write, start, end) == null;
          }
        });
      } finally {
        synchronized (monitor) {
          waitingFor.remove(owner);
        }
      }
    }
  }

  /** True if {@code from}, following the chain of blocked POSIX owners, waits on {@code target}. */
  private boolean waitsOn(Object from, Object target) {
    Object cur = from;
    for (int hops = 0; cur != null && hops < 1000; hops++) {
      if (cur == target) {
        return true;
      }
      cur = waitingFor.get(cur);
    }
    return false;
  }

  /** Removes [start, end) from {@code owner}'s locks, splitting those that stick out. */
  private static void carve(InodeLocks l, Object owner, long start, long end) {
    List<Lock> keep = new ArrayList<>();
    for (Iterator<Lock> it = l.records.iterator(); it.hasNext(); ) {
      Lock x = it.next();
      if (x.owner != owner || !x.overlaps(start, end)) {
        continue;
      }
      it.remove();
      if (x.start < start) {
        keep.add(new Lock(owner, x.pid, x.ofd, x.write, x.start, start));
      }
      if (x.end > end) {
        keep.add(new Lock(owner, x.pid, x.ofd, x.write, end, x.end));
      }
    }
    l.records.addAll(keep);
  }

  /** Joins {@code owner}'s adjacent or overlapping locks of one type, as Linux coalesces them. */
  private static void merge(InodeLocks l, Object owner) {
    boolean changed = true;
    while (changed) {
      changed = false;
      outer:
      for (int i = 0; i < l.records.size(); i++) {
        Lock a = l.records.get(i);
        if (a.owner != owner) {
          continue;
        }
        for (int j = i + 1; j < l.records.size(); j++) {
          Lock b = l.records.get(j);
          if (b.owner == owner && b.write == a.write && a.start <= b.end && b.start <= a.end) {
            l.records.remove(j);
            l.records.set(i, new Lock(owner, a.pid, a.ofd, a.write, Math.min(a.start, b.start),
                Math.max(a.end, b.end)));
            changed = true;
            break outer;
          }
        }
      }
    }
  }

  /**
   * close(2) of any descriptor of the file releases the process's POSIX locks on it ("If a
   * process closes any file descriptor referring to a file, then all of the process's locks on
   * that file are released", fcntl(2)).
   */
  public void processClosed(GuestProcess process, FileDescription d) {
    synchronized (monitor) {
      if (locks.isEmpty()) {
        return;
      }
    }
    Key k;
    try {
      k = key(d);
    } catch (RuntimeException e) {
      return;
    }
    synchronized (monitor) {
      InodeLocks l = locks.get(k);
      if (l != null && l.records.removeIf(x -> x.owner == process)) {
        released.wakeAll();
        if (l.isEmpty()) {
          locks.remove(k);
        }
      }
    }
  }

  /** At process exit: every POSIX lock the process holds goes (for the process engineer). */
  public void processExited(GuestProcess process) {
    synchronized (monitor) {
      boolean any = false;
      for (Iterator<InodeLocks> it = locks.values().iterator(); it.hasNext(); ) {
        InodeLocks l = it.next();
        any |= l.records.removeIf(x -> x.owner == process);
        if (l.isEmpty()) {
          it.remove();
        }
      }
      if (any) {
        released.wakeAll();
      }
    }
  }

  /** The last close of a description releases its OFD and flock locks. */
  public void descriptionClosed(FileDescription d) {
    synchronized (monitor) {
      if (locks.isEmpty()) {
        return;
      }
      boolean any = false;
      for (Iterator<InodeLocks> it = locks.values().iterator(); it.hasNext(); ) {
        InodeLocks l = it.next();
        any |= l.records.removeIf(x -> x.owner == d);
        any |= l.flocks.remove(d) != null;
        if (l.isEmpty()) {
          it.remove();
        }
      }
      if (any) {
        released.wakeAll();
      }
    }
  }

  /**
   * flock(2): {@code exclusive} LOCK_EX or LOCK_SH; {@code unlock} LOCK_UN. With
   * {@code nonBlocking} a conflicting lock gives EWOULDBLOCK (EAGAIN).
   */
  public void flock(FileDescription d, boolean unlock, boolean exclusive, boolean nonBlocking) {
    Key k = key(d);
    while (true) {
      synchronized (monitor) {
        InodeLocks l = locks.computeIfAbsent(k, x -> new InodeLocks());
        try {
          Boolean held = l.flocks.get(d);
          if (unlock) {
            if (held != null) {
              l.flocks.remove(d);
              released.wakeAll();
            }
            return;
          }
          if (held != null && held == exclusive) {
            return;
          }
          if (held != null) {
            // A conversion first drops the old lock, so waiters may get in between.
            l.flocks.remove(d);
            released.wakeAll();
          }
          if (!flockConflicts(l, d, exclusive)) {
            l.flocks.put(d, exclusive);
            return;
          }
          if (nonBlocking) {
            throw Errno.EAGAIN.exception();
          }
        } finally {
          if (l.isEmpty() && locks.get(k) == l) {
            locks.remove(k);
          }
        }
      }
      Waiter.block(released, WaitQueue.ALL, () -> {
        synchronized (monitor) {
          InodeLocks l = locks.get(k);
          return l == null || !flockConflicts(l, d, exclusive);
        }
      });
    }
  }

  private static boolean flockConflicts(InodeLocks l, FileDescription d, boolean exclusive) {
    for (Map.Entry<Object, Boolean> e : l.flocks.entrySet()) {
      if (e.getKey() != d && (exclusive || e.getValue())) {
        return true;
      }
    }
    return false;
  }
}
