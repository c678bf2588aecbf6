package dev.blinkchroot.emulator.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The MAP_SHARED ranges of one address space and the {@link FrameSource} behind each: where a
 * missing page of such a range gets its frame. Page-aligned, non-overlapping; kept beside {@link
 * Regions} by the same calls (map over, unmap, mremap's move, fork). Caller holds the lock.
 */
final class SharedRanges {
  /** [start, end) takes its frames from {@code source}, page {@code firstPage} at start. */
  record Range(long start, long end, FrameSource source, long firstPage) {
    Range slice(long s, long e) {
      return new Range(s, e, source, firstPage + ((s - start) >>> Page.SHIFT));
    }
  }

  private final TreeMap<Long, Range> byStart = new TreeMap<>();

  SharedRanges copy() {
    SharedRanges c = new SharedRanges();
    c.byStart.putAll(byStart);
    return c;
  }

  boolean isEmpty() {
    return byStart.isEmpty();
  }

  /** The range holding {@code addr}, or null. */
  Range find(long addr) {
    if (byStart.isEmpty()) {
      return null;
    }
    Map.Entry<Long, Range> e = byStart.floorEntry(addr);
    return e != null && e.getValue().end() > addr ? e.getValue() : null;
  }

  /** The frame for the page at {@code pageAddr}, or null if it is not in a shared range. */
  byte[] frameAt(long pageAddr) {
    Range r = find(pageAddr);
    return r == null ? null : r.source().frame(r.firstPage() + ((pageAddr - r.start()) >>> Page.SHIFT));
  }

  void add(long start, long end, FrameSource source, long firstPage) {
    remove(start, end);
    byStart.put(start, new Range(start, end, source, firstPage));
  }

  /** Forgets [start, end), trimming the ranges that overlap it. */
  void remove(long start, long end) {
    if (byStart.isEmpty()) {
      return;
    }
    for (Range r : overlapping(start, end)) {
      byStart.remove(r.start());
      if (r.start() < start) {
        byStart.put(r.start(), r.slice(r.start(), start));
      }
      if (r.end() > end) {
        byStart.put(end, r.slice(end, r.end()));
      }
    }
  }

  /** mremap: the ranges within [from, from + length) now start at {@code to} instead. */
  void move(long from, long length, long to) {
    List<Range> moving = new ArrayList<>();
    for (Range r : overlapping(from, from + length)) {
      moving.add(r.slice(Math.max(r.start(), from), Math.min(r.end(), from + length)));
    }
    remove(from, from + length);
    remove(to, to + length);
    for (Range r : moving) {
      long delta = to - from;
      byStart.put(r.start() + delta, new Range(r.start() + delta, r.end() + delta, r.source(),
          r.firstPage()));
    }
  }

  /**
   * Visits every present page that maps page {@code pageIndex} of {@code source} (one per range of
   * that source covering it): the aliases of a frame, found without scanning pages.
   */
  void forEachAlias(PageTable table, FrameSource source, long pageIndex, Consumer<Page> visitor) {
    for (Range r : byStart.values()) {
      long pages = (r.end() - r.start()) >>> Page.SHIFT;
      if (r.source() == source && pageIndex >= r.firstPage() && pageIndex - r.firstPage() < pages) {
        Page p = table.get((r.start() >>> Page.SHIFT) + (pageIndex - r.firstPage()));
        if (p != null && p.shared) {
          visitor.accept(p);
        }
      }
    }
  }

  /** Visits the aliases of the shared page at {@code pageAddr} (itself included). */
  void forEachAlias(PageTable table, long pageAddr, Consumer<Page> visitor) {
    Range r = find(pageAddr);
    if (r != null) {
      forEachAlias(table, r.source(), r.firstPage() + ((pageAddr - r.start()) >>> Page.SHIFT),
          visitor);
    }
  }

  List<Range> all() {
    return new ArrayList<>(byStart.values());
  }

  private List<Range> overlapping(long start, long end) {
    List<Range> out = new ArrayList<>();
    Range first = find(start);
    if (first != null) {
      out.add(first);
    }
    out.addAll(byStart.subMap(start, false, end, false).values());
    return out;
  }
}
