package dev.blinkchroot.emulator.kernel.mm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which file (or name, like "[heap]" and "[stack]") each range of guest memory came from: what
 * /proc/PID/maps prints beside the ranges the memory knows, and where a crash report says the
 * program counter was. Kept by mmap, munmap, mremap, brk and exec.
 */
public final class FileMappings {
  /** A named range [start, end): {@code offset} is the file offset of {@code start}. */
  public record Named(long start, long end, long offset, byte[] name, long dev, long ino) {
    public String nameString() {
      return new String(name, StandardCharsets.UTF_8);
    }
  }

  private final TreeMap<Long, Named> byStart = new TreeMap<>();

  /** Records {@code [start, end)} as coming from {@code name} at {@code offset}, replacing overlaps. */
  public synchronized void add(long start, long end, long offset, byte[] name, long dev, long ino) {
    remove(start, end);
    byStart.put(start, new Named(start, end, offset, name.clone(), dev, ino));
  }

  /** Forgets {@code [start, end)}, trimming ranges that overlap it. */
  public synchronized void remove(long start, long end) {
    List<Named> overlapping = new ArrayList<>();
    Map.Entry<Long, Named> before = byStart.lowerEntry(start);
    if (before != null && before.getValue().end() > start) {
      overlapping.add(before.getValue());
    }
    overlapping.addAll(byStart.subMap(start, true, end, false).values());
    for (Named n : overlapping) {
      byStart.remove(n.start());
      if (n.start() < start) {
        byStart.put(n.start(), new Named(n.start(), start, n.offset(), n.name(), n.dev(), n.ino()));
      }
      if (n.end() > end) {
        long shift = end - n.start();
        byStart.put(end, new Named(end, n.end(), n.offset() + shift, n.name(), n.dev(), n.ino()));
      }
    }
  }

  /** The named range holding {@code guestAddr}, or null. */
  public synchronized Named at(long guestAddr) {
    Map.Entry<Long, Named> e = byStart.floorEntry(guestAddr);
    return e != null && e.getValue().end() > guestAddr ? e.getValue() : null;
  }

  public synchronized List<Named> all() {
    return List.copyOf(byStart.values());
  }

  public synchronized void clear() {
    byStart.clear();
  }

  public synchronized FileMappings copy() {
    FileMappings m = new FileMappings();
    m.byStart.putAll(byStart);
    return m;
  }
}
