package dev.blinkchroot.emulator.kernel.sync;

import dev.blinkchroot.vfs.Errno;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The futex waiters of one kernel (futex(2)). A {@link Key} names a futex word: an address space
 * and an address for private memory, the shared object and an offset for memory several
 * processes map. Each key has its waiters in arrival order. FUTEX_WAIT's compare and its enqueue
 * happen under this table's lock, which every wake takes, so a wake that follows the guest's
 * change of the word never misses a waiter that saw the old value.
 */
public final class Futexes {
  /** "the special value FUTEX_BITSET_MATCH_ANY (0xffffffff)" of FUTEX_WAIT and FUTEX_WAKE. */
  public static final int FUTEX_BITSET_MATCH_ANY = -1;

  /** A futex word: the memory it lives in ({@code space}) and its offset there. */
  public record Key(Object space, long offset) {}

  /** One blocked FUTEX_WAIT; moved between keys by a requeue. */
  private static final class Entry {
    final int bitset;
    final WaitQueue queue = new WaitQueue();
    Key key;
    volatile boolean woken;

    Entry(Key key, int bitset) {
      this.key = key;
      this.bitset = bitset;
    }
  }

  private final Map<Key, ArrayDeque<Entry>> waiting = new HashMap<>();

  /**
   * Blocks the current task on {@code key} if {@code word} still reads {@code expected} ("If the
   * futex value does not match val, then the call fails immediately with the error EAGAIN"),
   * until a wake whose bitset meets {@code bitset}, the deadline ({@link System#nanoTime} scale or
   * {@link Waiter#FOREVER}) or an interruption. A wake that comes with an interruption counts as
   * a wake: the waker was told it woke someone.
   */
  public Waiter.Result await(Key key, IntSupplier word, int expected, int bitset,
      long deadlineNanos) {
    Entry e = new Entry(key, bitset);
    synchronized (this) {
      if (word.getAsInt() != expected) {
        throw Errno.EAGAIN.exception();
      }
      waiting.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(e);
    }
    Waiter.Result r = Waiter.Result.INTERRUPTED;
    try {
      r = Waiter.current().await(e.queue, WaitQueue.ALL, deadlineNanos, () -> e.woken);
    } finally {
      synchronized (this) {
        if (!e.woken) {
          remove(e);
        }
      }
    }
    return e.woken ? Waiter.Result.READY : r;
  }

  /** Wakes up to {@code count} waiters on {@code key} whose bitset meets {@code bitset}. */
  public int wake(Key key, int count, int bitset) {
    List<Entry> woken = new ArrayList<>();
    synchronized (this) {
      ArrayDeque<Entry> q = waiting.get(key);
      if (q != null) {
        for (Iterator<Entry> it = q.iterator(); it.hasNext() && woken.size() < count; ) {
          Entry e = it.next();
          if ((e.bitset & bitset) != 0) {
            it.remove();
            e.woken = true;
            woken.add(e);
          }
        }
        dropIfEmpty(key, q);
      }
    }
    for (Entry e : woken) {
      e.queue.wakeAll();
    }
    return woken.size();
  }

  /**
   * FUTEX_REQUEUE and FUTEX_CMP_REQUEUE: wakes up to {@code wakeCount} waiters on {@code from}
   * and moves up to {@code moveCount} of the rest to {@code to}. With a {@code check}, EAGAIN
   * unless it holds under the lock (the compare of FUTEX_CMP_REQUEUE). Returns how many were
   * woken or moved.
   */
  public int requeue(Key from, Key to, int wakeCount, int moveCount, IntSupplier word,
      Integer expected) {
    List<Entry> woken = new ArrayList<>();
    int moved = 0;
    synchronized (this) {
      if (expected != null && word.getAsInt() != expected) {
        throw Errno.EAGAIN.exception();
      }
      ArrayDeque<Entry> q = waiting.get(from);
      while (q != null && !q.isEmpty() && woken.size() < wakeCount) {
        Entry e = q.removeFirst();
        e.woken = true;
        woken.add(e);
      }
      if (q != null && !from.equals(to)) {
        while (!q.isEmpty() && moved < moveCount) {
          Entry e = q.removeFirst();
          e.key = to;
          waiting.computeIfAbsent(to, k -> new ArrayDeque<>()).addLast(e);
          moved++;
        }
      }
      if (q != null) {
        dropIfEmpty(from, q);
      }
    }
    for (Entry e : woken) {
      e.queue.wakeAll();
    }
    return woken.size() + moved;
  }

  /** How many wait on {@code key} (tests). */
  synchronized int waiters(Key key) {
    ArrayDeque<Entry> q = waiting.get(key);
    return q == null ? 0 : q.size();
  }

  private void remove(Entry e) {
    ArrayDeque<Entry> q = waiting.get(e.key);
    if (q != null) {
      q.remove(e);
      dropIfEmpty(e.key, q);
    }
  }

  private void dropIfEmpty(Key key, ArrayDeque<Entry> q) {
    if (q.isEmpty()) {
      waiting.remove(key);
    }
  }
}
