package dev.blinkchroot.emulator.kernel.sync;

import java.util.ArrayList;
import java.util.List;

/**
 * The tasks waiting for one kind of event: data in a pipe, room in it, a child's exit, a lock
 * being released. The object that produces the event owns the queue and calls {@link #wake}
 * with the event bits (poll(2)'s POLLIN, POLLOUT... or the owner's own) after changing its
 * state; a waiter registered for any of them is woken and re-checks its condition. Blocking
 * itself is {@link Waiter#await}, the one way a task blocks.
 */
public final class WaitQueue {
  /** Every event: for queues whose waiters all wait for the same thing. */
  public static final int ALL = -1;

  private record Entry(Waiter waiter, int events) {}

  private final List<Entry> entries = new ArrayList<>();

  synchronized void add(Waiter w, int events) {
    entries.add(new Entry(w, events));
  }

  synchronized void remove(Waiter w) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (entries.get(i).waiter == w) {
        entries.remove(i);
      }
    }
  }

  /** Wakes every waiter registered for any of {@code events}. */
  public void wake(int events) {
    List<Waiter> woken = new ArrayList<>();
    synchronized (this) {
      for (Entry e : entries) {
        if ((e.events & events) != 0) {
          woken.add(e.waiter);
        }
      }
    }
    for (Waiter w : woken) {
      w.notifyWaiter();
    }
  }

  /** Wakes every waiter. */
  public void wakeAll() {
    wake(ALL);
  }

  /** Whether anyone waits (for tests and for skipping wake-ups nobody needs). */
  public synchronized boolean hasWaiters() {
    return !entries.isEmpty();
  }
}
