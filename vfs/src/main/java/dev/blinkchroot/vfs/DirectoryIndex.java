package dev.blinkchroot.vfs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * The entries of one directory keyed by name, each with a readdir position (cookie) that never
 * changes while the entry stays: what backends use to meet the {@link Inode#readdir} contract.
 * New entries get ever larger positions, so a listing resumed from a cookie sees each entry that
 * existed throughout exactly once. Not thread-safe: the owning directory locks.
 *
 * @param <T> what an entry holds (usually the child inode, or what loads it)
 */
public final class DirectoryIndex<T> {
  /** First position a backend entry gets; "." and ".." are 1 and 2. */
  public static final long FIRST_COOKIE = 3;

  private static final class Slot<T> {
    final FileName name;
    final long cookie;
    T value;

    Slot(FileName name, long cookie, T value) {
      this.name = name;
      this.cookie = cookie;
      this.value = value;
    }
  }

  private final Map<FileName, Slot<T>> byName = new HashMap<>();
  private final NavigableMap<Long, Slot<T>> byCookie = new TreeMap<>();
  private long nextCookie = FIRST_COOKIE;

  /** The value of {@code name}, or null. */
  public T get(FileName name) {
    Slot<T> slot = byName.get(name);
    return slot == null ? null : slot.value;
  }

  public boolean contains(FileName name) {
    return byName.containsKey(name);
  }

  /**
   * Adds {@code name}, or replaces the value of an existing entry (which keeps its position, as a
   * rename over an existing name keeps the directory slot).
   */
  public void put(FileName name, T value) {
    Slot<T> slot = byName.get(name);
    if (slot != null) {
      slot.value = value;
      return;
    }
    slot = new Slot<>(name, nextCookie++, value);
    byName.put(name, slot);
    byCookie.put(slot.cookie, slot);
  }

  /** Removes {@code name}; returns its value, or null if it was absent. */
  public T remove(FileName name) {
    Slot<T> slot = byName.remove(name);
    if (slot == null) {
      return null;
    }
    byCookie.remove(slot.cookie);
    return slot.value;
  }

  public boolean isEmpty() {
    return byName.isEmpty();
  }

  public int size() {
    return byName.size();
  }

  /** The names, in position order. */
  public List<FileName> names() {
    List<FileName> names = new ArrayList<>(byCookie.size());
    for (Slot<T> slot : byCookie.values()) {
      names.add(slot.name);
    }
    return names;
  }

  /**
   * Up to {@code max} entries after position {@code cookie}, in position order, each made into a
   * {@link DirEntry} by {@code toEntry(name, value)} with the position filled in afterwards.
   */
  public List<DirEntry> list(long cookie, int max, BiFunction<FileName, T, DirEntry> toEntry) {
    List<DirEntry> out = new ArrayList<>(Math.min(max, byCookie.size()));
    for (Slot<T> slot : byCookie.tailMap(cookie, false).values()) {
      if (out.size() >= max) {
        break;
      }
      DirEntry e = toEntry.apply(slot.name, slot.value);
      out.add(new DirEntry(slot.name, e.ino(), e.type(), slot.cookie));
    }
    return out;
  }
}
