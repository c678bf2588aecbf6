package dev.blinkchroot.emulator.memory;

import dev.blinkchroot.emulator.memory.GuestMemory.Mapping;
import dev.blinkchroot.emulator.memory.MemoryFault.Access;
import dev.blinkchroot.emulator.memory.MemoryFault.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The page-table side of one {@link GuestMemory}: what is mapped ({@link Regions}, {@link
 * SharedRanges}), which pages are present ({@link PageTable}) and the three TLBs that cache them,
 * kept consistent under one lock. Every change of a mapping and every page fault (first touch,
 * copy-on-write break, clearing a code mark) happens here; {@code GuestMemory} checks arguments
 * against the Linux contract and owns the lock-free fast paths, which come here on a TLB miss
 * ({@link #translate}). Ranges given to the change methods are page-aligned, non-empty and below
 * {@link GuestMemory#TASK_SIZE}.
 *
 * <h2>TLB consistency</h2>
 *
 * Both halves of the fill protocol of {@link Tlb} live here, so no change can forget its half: a
 * miss reads {@link #generation} before it walks the table and withdraws the entry it fills if the
 * generation moved meanwhile; every change that can make an entry stale bumps the generation under
 * the lock and then drops the entries of its range. A fill racing with a map, unmap, protect,
 * fork or copy-on-write break therefore withdraws itself, and no stale entry survives a change.
 *
 * <h2>Decoded code</h2>
 *
 * The write TLB never caches a page marked as code, so a store to one misses and the miss clears
 * the mark and calls the {@link CodeInvalidationListener} before the store lands. A shared frame
 * is marked in every present mapping of it at once (and a page first touched in a shared range
 * inherits the mark of its aliases), so a store through any mapping reaches the listener;
 * clearing the mark clears it in all of them. The listener is called with the lock released: it
 * may call back.
 */
final class Paging {
  /** Filled and invalidated only here; {@code GuestMemory}'s fast paths read them lock-free. */
  final Page[] readTlb = Tlb.create();
  final Page[] writeTlb = Tlb.create();
  final Page[] execTlb = Tlb.create();
  /** Guards every change of {@link #table}, {@link #regions} and {@link #shared}. */
  private final Object lock = new Object();

  private final PageTable table = new PageTable();
  private final Regions regions;
  private final SharedRanges shared;
  /**
   * Ranges of file mappings wholly past the file's end (their protection is unused): a first
   * touch there is a bus error, unless the kernel finds the file has grown and fills the page.
   */
  private final Regions beyondEof;
  /** Bumped (under the lock) by every change that can make a TLB entry stale. */
  private volatile int generation;

  private volatile CodeInvalidationListener codeListener;
  private long copyOnWriteCopies;
  /** Tests only: runs between the table walk and the TLB fill, to force the fill race. */
  Runnable beforeFillHook;

  Paging() {
    this(new Regions(), new SharedRanges(), new Regions());
  }

  private Paging(Regions regions, SharedRanges shared, Regions beyondEof) {
    this.regions = regions;
    this.shared = shared;
    this.beyondEof = beyondEof;
  }

  void setCodeInvalidationListener(CodeInvalidationListener listener) {
    this.codeListener = listener;
  }

  // ---------------------------------------------------------------- mapping changes

  /**
   * Maps [start, end) with {@code prot}, replacing what was there: anonymous memory if {@code
   * source} is null, else the frames of {@code source} from page {@code firstPage} on.
   */
  void map(long start, long end, int prot, FrameSource source, long firstPage) {
    List<Long> stale;
    synchronized (lock) {
      stale = dropPages(start, end);
      regions.add(start, end, prot);
      beyondEof.remove(start, end);
      if (source == null) {
        shared.remove(start, end);
      } else {
        shared.add(start, end, source, firstPage);
      }
      generation++;
      invalidateTlb(start >>> Page.SHIFT, end >>> Page.SHIFT);
    }
    stale.forEach(this::notifyCode);
  }

  /** Drops the code marks of every mapping of page {@code pageIndex} of {@code source}. */
  void sharedPageWritten(FrameSource source, long pageIndex) {
    List<Long> stale = new ArrayList<>();
    synchronized (lock) {
      shared.forEachAlias(table, source, pageIndex, a -> unmark(a, stale));
      invalidateUnmarked(stale);
    }
    stale.forEach(this::notifyCode);
  }

  /** Unmaps [start, end); unmapped pages in it are ignored. */
  void unmap(long start, long end) {
    List<Long> stale;
    synchronized (lock) {
      stale = dropPages(start, end);
      regions.remove(start, end);
      shared.remove(start, end);
      beyondEof.remove(start, end);
      generation++;
      invalidateTlb(start >>> Page.SHIFT, end >>> Page.SHIFT);
    }
    stale.forEach(this::notifyCode);
  }

  /**
   * Sets the protection of [start, end). Returns false, changing nothing, if part of the range is
   * unmapped.
   */
  boolean protect(long start, long end, int prot) {
    List<Long> stale;
    synchronized (lock) {
      if (!regions.covers(start, end)) {
        return false;
      }
      regions.add(start, end, prot);
      stale = replacePages(start, end, p -> p.withProt(prot));
      generation++;
      invalidateTlb(start >>> Page.SHIFT, end >>> Page.SHIFT);
    }
    stale.forEach(this::notifyCode);
    return true;
  }

  /**
   * Moves the regions, shared ranges and present pages of [from, from + len) to [to, ...),
   * replacing what was there; the ranges do not overlap.
   */
  void move(long from, long len, long to) {
    long delta = to - from;
    List<Long> stale;
    synchronized (lock) {
      stale = dropPages(to, to + len);
      regions.remove(to, to + len);
      for (Mapping m : regions.list()) {
        long s = Math.max(m.start(), from);
        long e = Math.min(m.end(), from + len);
        if (s < e) {
          regions.add(s + delta, e + delta, m.prot());
        }
      }
      regions.remove(from, from + len);
      beyondEof.remove(to, to + len);
      for (Mapping m : beyondEof.list()) {
        long s = Math.max(m.start(), from);
        long e = Math.min(m.end(), from + len);
        if (s < e) {
          beyondEof.add(s + delta, e + delta, 0);
        }
      }
      beyondEof.remove(from, from + len);
      shared.move(from, len, to);
      long vpnDelta = delta >> Page.SHIFT;
      table.forEach(
          from >>> Page.SHIFT,
          (from + len) >>> Page.SHIFT,
          p -> {
            if (p.code) {
              stale.add(p.addr()); // decoded at the old address: gone with it
            }
            long vpn = p.vpn + vpnDelta;
            table.set(vpn, p.movedTo(vpn));
            table.set(p.vpn, null); // the frame moved: no drop()
          });
      generation++;
      invalidateTlb(from >>> Page.SHIFT, (from + len) >>> Page.SHIFT);
      invalidateTlb(to >>> Page.SHIFT, (to + len) >>> Page.SHIFT);
    }
    stale.forEach(this::notifyCode);
  }

  /**
   * The paging of a {@code fork} child: the same mappings, every page shared copy-on-write (on
   * both sides); no code marks and no listener.
   */
  Paging fork() {
    synchronized (lock) {
      Paging child = new Paging(regions.copy(), shared.copy(), beyondEof.copy());
      table.forEach(
          0,
          PageTable.VPN_LIMIT,
          p -> {
            if (p.sharers != null) {
              p.sharers.incrementAndGet();
            }
            if (!p.cow && !p.shared) {
              table.set(p.vpn, p.withCow());
            }
            child.table.set(p.vpn, p.forChild());
          });
      generation++;
      // Only write entries can let a store reach a now-shared frame.
      Tlb.invalidate(writeTlb, 0, PageTable.VPN_LIMIT);
      return child;
    }
  }

  /** Unmaps everything, dropping this address space's references to its frames. */
  void release() {
    synchronized (lock) {
      dropPages(0, PageTable.VPN_LIMIT << Page.SHIFT);
      regions.remove(0, GuestMemory.TASK_SIZE);
      shared.remove(0, GuestMemory.TASK_SIZE);
      beyondEof.remove(0, GuestMemory.TASK_SIZE);
      generation++;
      invalidateTlb(0, PageTable.VPN_LIMIT);
    }
  }

  /** Makes a first touch of [start, end), mapped, a bus error (see {@link #beyondEof}). */
  void markBeyondEof(long start, long end) {
    List<Long> stale;
    synchronized (lock) {
      stale = dropPages(start, end);
      beyondEof.add(start, end, 0);
      generation++;
      invalidateTlb(start >>> Page.SHIFT, end >>> Page.SHIFT);
    }
    stale.forEach(this::notifyCode);
  }

  /**
   * The file now reaches the page at {@code pageAddr}: touching it is no longer a bus error, and
   * it holds {@code frame} (a private mapping's copy) or, when that is null, what its region
   * gives (a shared frame, or zeros).
   */
  void fillBeyondEof(long pageAddr, byte[] frame) {
    synchronized (lock) {
      beyondEof.remove(pageAddr, pageAddr + Page.SIZE);
      Mapping m = regions.find(pageAddr);
      long vpn = pageAddr >>> Page.SHIFT;
      if (m != null && frame != null && table.get(vpn) == null) {
        byte[] data = Arrays.copyOf(frame, Page.SIZE);
        table.set(vpn, new Page(vpn, data, new AtomicInteger(1),
            m.prot(), false, false, false));
      }
      generation++;
      invalidateTlb(vpn, vpn + 1);
    }
  }

  List<Mapping> mappings() {
    synchronized (lock) {
      return regions.list();
    }
  }

  /** The mapping holding {@code guestAddr}, or null. */
  Mapping mappingAt(long guestAddr) {
    synchronized (lock) {
      return regions.find(guestAddr);
    }
  }

  /** {@link Regions#findFree} under the lock. */
  long findFree(long length, long low, long high) {
    synchronized (lock) {
      return regions.findFree(length, low, high);
    }
  }

  /** Removes the present pages of [start, end); returns the addresses of marked ones. */
  private List<Long> dropPages(long start, long end) {
    return replacePages(
        start,
        end,
        p -> {
          p.drop();
          return null;
        });
  }

  /**
   * Replaces every present page {@code p} of [start, end) by {@code replacement.apply(p)} (null
   * removes it). Returns the addresses of the pages that were marked as code: the replacement
   * drops the mark, so their decoded code is stale.
   */
  private List<Long> replacePages(long start, long end, UnaryOperator<Page> replacement) {
    List<Long> stale = new ArrayList<>();
    table.forEach(
        start >>> Page.SHIFT,
        end >>> Page.SHIFT,
        p -> {
          if (p.code) {
            stale.add(p.addr());
          }
          table.set(p.vpn, replacement.apply(p));
        });
    return stale;
  }

  // ---------------------------------------------------------------- code marks

  /**
   * Marks the page holding {@code guestAddr}, and every other mapping of its frame if it is
   * shared, as holding decoded code. Returns false, marking nothing, if the page is not mapped.
   */
  boolean markCode(long guestAddr) {
    long vpn = guestAddr >>> Page.SHIFT;
    if (vpn >= PageTable.VPN_LIMIT) {
      return false;
    }
    synchronized (lock) {
      Page p = table.get(vpn);
      if (p == null) {
        Mapping m = regions.find(guestAddr);
        if (m == null || beyondEof.find(guestAddr) != null) {
          return false; // a fetch there faults, and there is nothing to mark
        }
        p = absentPage(vpn, m.prot(), Access.READ);
      } else if (p.code) {
        return true;
      }
      table.set(vpn, p.withCode(true));
      if (p.shared) {
        // A store through another mapping of the frame must invalidate this code too.
        shared.forEachAlias(table, vpn << Page.SHIFT, a -> {
          if (!a.code) {
            table.set(a.vpn, a.withCode(true));
            Tlb.invalidate(writeTlb, a.vpn, a.vpn + 1);
          }
        });
      }
      generation++;
      invalidateTlb(vpn, vpn + 1);
      return true;
    }
  }

  boolean isCode(long guestAddr) {
    long vpn = guestAddr >>> Page.SHIFT;
    Page p = vpn < PageTable.VPN_LIMIT ? table.get(vpn) : null;
    return p != null && p.code;
  }

  /** Clears the code mark of shared page {@code p}, adding its address to {@code stale}. */
  private void unmark(Page p, List<Long> stale) {
    if (p.code) {
      table.set(p.vpn, p.withCode(false));
      stale.add(p.addr());
    }
  }

  /** After {@link #unmark}: the TLBs forget the unmarked pages. */
  private void invalidateUnmarked(List<Long> stale) {
    if (!stale.isEmpty()) {
      generation++;
      stale.forEach(addr -> invalidateTlb(addr >>> Page.SHIFT, (addr >>> Page.SHIFT) + 1));
    }
  }

  private void notifyCode(long pageAddr) {
    CodeInvalidationListener l = codeListener;
    if (l != null) {
      l.invalidate(pageAddr);
    }
  }

  // ---------------------------------------------------------------- translation (TLB miss)

  /**
   * The page that permits {@code kind} at {@code guestAddr}, creating it, breaking copy-on-write
   * or clearing a code mark as needed, and caching it in the TLB of that kind.
   */
  Page translate(long guestAddr, Access kind) {
    long vpn = guestAddr >>> Page.SHIFT;
    if (vpn >= PageTable.VPN_LIMIT) {
      throw outsideUserSpace(guestAddr, kind);
    }
    for (; ; ) {
      // Read before the walk: a change after it bumps the generation and the fill undoes itself.
      int gen = generation;
      Page p = table.get(vpn);
      if (p != null) {
        if (!permits(p.prot, kind)) {
          throw MemoryFault.of(guestAddr, kind, Reason.PROTECTION);
        }
        if (kind != Access.WRITE || !(p.cow || p.code)) {
          Runnable hook = beforeFillHook;
          if (hook != null) {
            hook.run();
          }
          fill(tlb(kind), p, gen);
          return p;
        }
      }
      // Before the write lands, so the writing thread re-decodes what it wrote.
      populate(guestAddr, vpn, kind).forEach(this::notifyCode);
    }
  }

  /**
   * Under the lock: creates a missing page from its region, or prepares a page for writing.
   * Returns the addresses of the pages whose code marks it cleared.
   */
  private List<Long> populate(long guestAddr, long vpn, Access kind) {
    synchronized (lock) {
      Page p = table.get(vpn);
      if (p == null) {
        Mapping m = regions.find(guestAddr);
        if (m == null) {
          throw MemoryFault.of(guestAddr, kind, Reason.NOT_MAPPED);
        }
        if (!permits(m.prot(), kind)) {
          throw MemoryFault.of(guestAddr, kind, Reason.PROTECTION);
        }
        if (beyondEof.find(guestAddr) != null) {
          throw MemoryFault.of(guestAddr, kind, Reason.BEYOND_EOF);
        }
        // Nothing of an absent page can be in a TLB, so no generation bump is needed.
        table.set(vpn, absentPage(vpn, m.prot(), kind));
        return List.of();
      }
      if (!permits(p.prot, kind) || kind != Access.WRITE) {
        return List.of(); // changed under us; the caller's next walk decides
      }
      if (p.shared && p.code) {
        List<Long> stale = new ArrayList<>();
        shared.forEachAlias(table, p.addr(), a -> unmark(a, stale));
        invalidateUnmarked(stale);
        return stale;
      }
      table.set(vpn, p.cow ? breakCopyOnWrite(p) : p.withCode(false));
      generation++;
      invalidateTlb(vpn, vpn + 1);
      return p.code ? List.of(p.addr()) : List.of();
    }
  }

  /**
   * The page a first touch of {@code kind} creates: a shared range's frame (marked as code if an
   * alias of it is, so stores through this page reach the listener too), else zeros.
   */
  private Page absentPage(long vpn, int prot, Access kind) {
    byte[] frame = shared.frameAt(vpn << Page.SHIFT);
    if (frame == null) {
      return kind == Access.WRITE ? Page.fresh(vpn, prot) : Page.zeroFilled(vpn, prot);
    }
    boolean[] aliasIsCode = {false};
    shared.forEachAlias(table, vpn << Page.SHIFT, a -> aliasIsCode[0] |= a.code);
    Page p = Page.sharedFrame(vpn, frame, prot);
    return aliasIsCode[0] ? p.withCode(true) : p;
  }

  /**
   * {@code p} made private and unmarked: a copy of its frame, or the frame itself when no one
   * else uses it any more.
   */
  private Page breakCopyOnWrite(Page p) {
    // Only a fork of an address space holding the frame adds sharers, and we hold ours, so a
    // count of 1 cannot grow under us.
    if (p.sharers != null && p.sharers.get() == 1) {
      return new Page(p.vpn, p.data, p.sharers, p.prot, false, false, false);
    }
    Page copy = Page.fresh(p.vpn, p.prot);
    if (p.sharers != null) { // else the zero frame: a fresh page is already its copy
      System.arraycopy(p.data, 0, copy.data, 0, Page.SIZE);
      p.drop();
      copyOnWriteCopies++;
    }
    return copy;
  }

  /** x86 page tables cannot deny reading a present page; W and X (NX) are checked bits. */
  private static boolean permits(int prot, Access kind) {
    return kind == Access.READ
        ? prot != GuestMemory.PROT_NONE
        : (prot & (kind == Access.WRITE ? GuestMemory.PROT_WRITE : GuestMemory.PROT_EXEC)) != 0;
  }

  private static MemoryFault outsideUserSpace(long guestAddr, Access kind) {
    long top = guestAddr >> 47;
    boolean canonical = top == 0 || top == -1;
    return MemoryFault.of(guestAddr, kind, canonical ? Reason.NOT_MAPPED : Reason.NON_CANONICAL);
  }

  // ---------------------------------------------------------------- TLB

  private Page[] tlb(Access kind) {
    return kind == Access.READ ? readTlb : kind == Access.WRITE ? writeTlb : execTlb;
  }

  /** Caches {@code p}, read from the table at generation {@code gen} (protocol: {@link Tlb}). */
  private void fill(Page[] tlb, Page p, int gen) {
    Tlb.put(tlb, p);
    if (generation != gen) {
      Tlb.withdraw(tlb, p);
    }
  }

  /** Drops pages [fromVpn, toVpn) from every TLB after a generation bump; caller holds the lock. */
  private void invalidateTlb(long fromVpn, long toVpn) {
    Tlb.invalidate(readTlb, fromVpn, toVpn);
    Tlb.invalidate(writeTlb, fromVpn, toVpn);
    Tlb.invalidate(execTlb, fromVpn, toVpn);
  }

  // ---------------------------------------------------------------- observability for tests

  /** Frames copied by copy-on-write breaks so far. */
  long copyOnWriteCopies() {
    synchronized (lock) {
      return copyOnWriteCopies;
    }
  }

  /** Whether both use the same frame for the page holding {@code guestAddr}. */
  boolean sharesFrameWith(Paging other, long guestAddr) {
    Page mine = table.get(guestAddr >>> Page.SHIFT);
    Page theirs = other.table.get(guestAddr >>> Page.SHIFT);
    return mine != null && theirs != null && mine.data == theirs.data;
  }

  /** Pages that have memory (were touched). */
  long presentPages() {
    synchronized (lock) {
      return table.present();
    }
  }
}
