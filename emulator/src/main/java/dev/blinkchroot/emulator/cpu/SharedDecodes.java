package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.emulator.memory.MemoryFault;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decoded instructions shared by the address spaces of one kernel, so that 300 busybox processes
 * decode busybox once: a page of code is known by its address and its bytes (decoded instructions
 * carry their addresses), and holds the blocks decoded from it that do not leave it. An address
 * space takes a page's blocks only after comparing the page's bytes with its own, once per page
 * until the page changes ({@link CodeCache} forgets the match when its memory reports a write),
 * so nothing depends on where the bytes came from: the same file mapped at the same address, or
 * any page with the same code.
 */
public final class SharedDecodes {
  /** Pages kept before the store starts afresh (about 4 MiB of code plus its decoded form). */
  static final int MAX_PAGES = 1024;
  private static final int PAGE = GuestMemory.PAGE_SIZE;

  /** One page's bytes at one address, and the blocks decoded from it, by start address. */
  static final class Page {
    final long addr;
    final byte[] bytes;
    final Map<Long, Insn[]> blocks = new ConcurrentHashMap<>();

    Page(long addr, byte[] bytes) {
      this.addr = addr;
      this.bytes = bytes;
    }
  }

  private record Key(long addr, int hash) {}

  private final Map<Key, Page> pages = new ConcurrentHashMap<>();

  /**
   * The shared page holding what {@code memory} has now at {@code pageAddr}, or null when the
   * page cannot be fetched whole (not mapped, not executable) or another page with the same hash
   * holds other bytes. The caller has marked the page as code first, so a later write is reported.
   */
  Page match(GuestMemory memory, long pageAddr) {
    byte[] bytes = new byte[PAGE];
    try {
      if (memory.fetch(pageAddr, bytes, 0, PAGE) != PAGE) {
        return null;
      }
    } catch (MemoryFault fault) {
      return null;
    }
    Key key = new Key(pageAddr, Arrays.hashCode(bytes));
    Page known = pages.get(key);
    if (known == null) {
      if (pages.size() >= MAX_PAGES) {
        pages.clear();
      }
      known = pages.computeIfAbsent(key, k -> new Page(pageAddr, bytes));
    }
    return Arrays.equals(known.bytes, bytes) ? known : null;
  }

  /** How many pages are kept (tests). */
  int size() {
    return pages.size();
  }
}
