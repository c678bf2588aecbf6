package dev.blinkchroot.emulator.memory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What is mapped, as Linux VMAs: page-aligned, non-overlapping [start, end) ranges with a
 * protection, adjacent ranges of equal protection merged. Pages are created lazily from these on
 * first touch, so reserving a terabyte of PROT_NONE costs one entry. Caller holds the lock.
 */
final class Regions {
  private final TreeMap<Long, GuestMemory.Mapping> byStart = new TreeMap<>();

  Regions copy() {
    Regions c = new Regions();
    c.byStart.putAll(byStart);
    return c;
  }

  /** The region containing {@code addr}, or null. */
  GuestMemory.Mapping find(long addr) {
    Map.Entry<Long, GuestMemory.Mapping> e = byStart.floorEntry(addr);
    return e != null && e.getValue().end() > addr ? e.getValue() : null;
  }

  /** True when every byte of [start, end) is mapped. */
  boolean covers(long start, long end) {
    long at = start;
    while (at < end) {
      GuestMemory.Mapping m = find(at);
      if (m == null) {
        return false;
      }
      at = m.end();
    }
    return true;
  }

  /** Removes [start, end) from whatever regions overlap it, splitting them at the edges. */
  void remove(long start, long end) {
    Map.Entry<Long, GuestMemory.Mapping> first = byStart.lowerEntry(start);
    if (first != null && first.getValue().end() > start) {
      GuestMemory.Mapping m = first.getValue();
      byStart.put(m.start(), new GuestMemory.Mapping(m.start(), start, m.prot()));
      if (m.end() > end) {
        byStart.put(end, new GuestMemory.Mapping(end, m.end(), m.prot()));
        return;
      }
    }
    Iterator<GuestMemory.Mapping> it = byStart.subMap(start, true, end, false).values().iterator();
    GuestMemory.Mapping tail = null;
    while (it.hasNext()) {
      GuestMemory.Mapping m = it.next();
      it.remove();
      if (m.end() > end) {
        tail = new GuestMemory.Mapping(end, m.end(), m.prot());
      }
    }
    if (tail != null) {
      byStart.put(tail.start(), tail);
    }
  }

  /** Maps [start, end) with {@code prot}, replacing what was there. */
  void add(long start, long end, int prot) {
    remove(start, end);
    Map.Entry<Long, GuestMemory.Mapping> before = byStart.lowerEntry(start);
    if (before != null && before.getValue().end() == start && before.getValue().prot() == prot) {
      start = before.getKey();
      byStart.remove(start);
    }
    GuestMemory.Mapping after = byStart.get(end);
    if (after != null && after.prot() == prot) {
      end = after.end();
      byStart.remove(after.start());
    }
    byStart.put(start, new GuestMemory.Mapping(start, end, prot));
  }

  List<GuestMemory.Mapping> list() {
    return new ArrayList<>(byStart.values());
  }

  /**
   * The highest page-aligned start {@code s} with [s, s + length) unmapped and inside [low, high),
   * or -1. Top-down, as Linux places mmap(NULL, ...).
   */
  long findFree(long length, long low, long high) {
    long end = high;
    for (GuestMemory.Mapping m : byStart.headMap(high, false).descendingMap().values()) {
      if (m.end() <= end - length && end - length >= low) {
        return end - length;
      }
      end = Math.min(end, m.start());
      if (end - low < length) {
        return -1;
      }
    }
    return end - low >= length ? end - length : -1;
  }
}
