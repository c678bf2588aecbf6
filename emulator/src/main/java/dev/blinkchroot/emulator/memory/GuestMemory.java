package dev.blinkchroot.emulator.memory;

import dev.blinkchroot.emulator.memory.MemoryFault.Access;
import dev.blinkchroot.emulator.memory.MemoryFault.Reason;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongUnaryOperator;

/**
 * One guest address space: the user half of x86-64's 48-bit space in 4 KiB pages with R/W/X
 * protection, copy-on-write sharing with its forks, and a software TLB.
 *
 * <h2>Mapping</h2>
 *
 * {@link #map}, {@link #unmap} and {@link #protect} follow Linux {@code mmap(MAP_FIXED |
 * MAP_PRIVATE | MAP_ANONYMOUS)}, {@code munmap} and {@code mprotect} on page-aligned ranges and
 * return 0 or a negative errno ({@code -EINVAL}, {@code -ENOMEM}), checked in the order the man
 * pages and the kernel check them. Policy the kernel layer owns stays there: {@code
 * mmap_min_addr}, choosing an address ({@link #findUnmapped} helps), {@code PROT_SEM} and {@code
 * PROT_GROWSDOWN}, {@code READ_IMPLIES_EXEC}. Mapped pages get memory on first touch (a first read
 * shares one zero frame), so large reservations are cheap.
 *
 * <h2>Access</h2>
 *
 * Protection is checked as x86 page tables check it: any protection but {@code PROT_NONE} can be
 * read (a page table cannot express write-only or execute-only), writes need {@code PROT_WRITE},
 * instruction fetches need {@code PROT_EXEC} (NX). A refused access throws {@link MemoryFault}
 * before any byte of it is stored; multi-byte values are little-endian and may be misaligned or
 * cross a page. Bulk copies ({@link #readBytes}, {@link #writeBytes}) stop at the first refused
 * page, as {@code copy_to_user} does, with the bytes before it done.
 *
 * <h2>Ordering (x86 TSO)</h2>
 *
 * Loads are acquires and stores releases (see {@code LittleEndian}), so guest threads never see
 * stores reordered with stores or loads with loads; locked operations ({@code compareAndExchange},
 * {@code getAndAdd}, {@code getAndSet}, {@link #atomicUpdate}) are atomic across threads and full
 * barriers, with the misaligned and split-lock tradeoffs described in {@code Rmw}. MFENCE is
 * {@link VarHandle#fullFence()} in the CPU.
 *
 * <h2>TLB and threads</h2>
 *
 * Every method may be called from any thread. All guest threads of the address space share one
 * TLB per access kind: a direct-mapped array of immutable page entries, so the hot path is an
 * array load, a tag compare and a VarHandle access, with no lock and no allocation. (Per-thread
 * TLBs would need a cross-thread shootdown protocol for every change; a shared one is invalidated
 * in place.) An entry is filled under a generation check that makes a fill racing with a {@code
 * map}/{@code unmap}/{@code protect}/fork/copy-on-write break withdraw itself, so no stale entry
 * survives a change. What remains, as on hardware between a page-table change and the TLB
 * shootdown: an access that already passed its TLB check when another thread changes the mapping
 * completes against the old page. A guest that synchronizes with the changing thread never sees
 * that; the kernel should stop sibling threads around {@code fork} of a multi-threaded process (as
 * the shootdown IPI would), or one of their in-flight stores may land in the frame the child
 * shares.
 *
 * <h2>Decoded code</h2>
 *
 * {@link #markCode} marks a page as holding decoded code; the write TLB never caches marked pages,
 * so the store fast path carries no check and the slow path calls the {@link
 * CodeInvalidationListener} (see its protocol).
 */
public final class GuestMemory {
  public static final int PAGE_SIZE = Page.SIZE;
  public static final int PROT_NONE = 0;
  public static final int PROT_READ = 1;
  public static final int PROT_WRITE = 2;
  public static final int PROT_EXEC = 4;
  /** Linux errno, returned negated by the mapping calls. */
  public static final int ENOMEM = 12;
  /** Linux errno, returned negated by the mapping calls. */
  public static final int EINVAL = 22;
  /** Linux x86-64 {@code TASK_SIZE} (4-level paging): every mapping ends at or below it. */
  public static final long TASK_SIZE = 0x7FFF_FFFF_F000L;

  /** A mapped range [start, end) with its PROT_* bits, as {@code /proc/PID/maps} lists it. */
  public record Mapping(long start, long end, int prot) {}

  private static final VarHandle BYTE = LittleEndian.BYTE;
  private static final VarHandle SHORT = LittleEndian.SHORT;
  private static final VarHandle INT = LittleEndian.INT;
  private static final VarHandle LONG = LittleEndian.LONG;
  private static final int ALL_PROT = PROT_READ | PROT_WRITE | PROT_EXEC;

  private final Page[] readTlb = Tlb.create();
  private final Page[] writeTlb = Tlb.create();
  private final Page[] execTlb = Tlb.create();
  /** Guards every change of {@link #table}, {@link #regions} and {@link #shared}. */
  private final Object lock = new Object();

  private final PageTable table = new PageTable();
  private final Regions regions;
  private final SharedRanges shared;
  /** Bumped (under the lock) by every change that can make a TLB entry stale. */
  private volatile int generation;

  private volatile CodeInvalidationListener codeListener;
  private long copyOnWriteCopies;
  /** Tests only: runs between the table walk and the TLB fill, to force the fill race. */
  Runnable beforeFillHook;

  private GuestMemory(Regions regions, SharedRanges shared) {
    this.regions = regions;
    this.shared = shared;
  }

  /** An empty address space. */
  public static GuestMemory create() {
    return new GuestMemory(new Regions(), new SharedRanges());
  }

  /** Who is told when decoded code goes stale; null for no one. */
  public void setCodeInvalidationListener(CodeInvalidationListener listener) {
    this.codeListener = listener;
  }

  // ---------------------------------------------------------------- mappings

  /**
   * {@code mmap(guestAddr, length, prot, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)}: maps
   * zero-filled pages over [guestAddr, guestAddr + length rounded up to a page), replacing
   * whatever was mapped there.
   *
   * @return 0; {@code -EINVAL} if {@code guestAddr} is not page-aligned, {@code length} is 0 or
   *     {@code prot} has bits other than R/W/X; {@code -ENOMEM} if the range does not fit below
   *     {@link #TASK_SIZE} ({@code length} is unsigned)
   */
  public int map(long guestAddr, long length, int prot) {
    return mapRange(guestAddr, length, prot, null, 0);
  }

  /**
   * {@code mmap(guestAddr, length, prot, MAP_FIXED | MAP_SHARED, fd, firstPage * PAGE_SIZE)}: as
   * {@link #map}, but each page of the range, on first touch, uses the frame {@code source} gives
   * for it ({@code firstPage} for the first page), shared with every other mapping of that frame.
   * The range keeps its source through {@link #protect}, {@link #move} and {@link #forkCopy}.
   *
   * @return as {@link #map}
   */
  public int mapShared(long guestAddr, long length, int prot, FrameSource source, long firstPage) {
    return mapRange(guestAddr, length, prot, Objects.requireNonNull(source), firstPage);
  }

  /** {@link #map} ({@code source} null) and {@link #mapShared}. */
  private int mapRange(long guestAddr, long length, int prot, FrameSource source, long firstPage) {
    if ((guestAddr & Page.OFFSET_MASK) != 0 || length == 0 || (prot & ~ALL_PROT) != 0) {
      return -EINVAL;
    }
    if (Long.compareUnsigned(length, TASK_SIZE) > 0) {
      return -ENOMEM;
    }
    long end = guestAddr + pageRoundUp(length);
    if (Long.compareUnsigned(guestAddr, TASK_SIZE) > 0
        || Long.compareUnsigned(end, TASK_SIZE) > 0) {
      return -ENOMEM;
    }
    List<Long> stale;
    synchronized (lock) {
      stale = dropPages(guestAddr, end);
      regions.add(guestAddr, end, prot);
      if (source == null) {
        shared.remove(guestAddr, end);
      } else {
        shared.add(guestAddr, end, source, firstPage);
      }
      generation++;
      invalidateTlb(guestAddr >>> Page.SHIFT, end >>> Page.SHIFT);
    }
    stale.forEach(this::notifyCode);
    return 0;
  }

  /**
   * The kernel rewrote page {@code pageIndex} of {@code source} (write(2) to a mapped file): code
   * decoded from it in this address space is dropped.
   */
  public void sharedPageWritten(FrameSource source, long pageIndex) {
    List<Long> stale = new ArrayList<>();
    synchronized (lock) {
      shared.forEachAlias(table, source, pageIndex, a -> unmark(a, stale));
      invalidateUnmarked(stale);
    }
    stale.forEach(this::notifyCode);
  }

  /**
   * {@code munmap}: unmaps every page of [guestAddr, guestAddr + length rounded up); unmapped
   * pages in the range are not an error.
   *
   * @return 0; {@code -EINVAL} if {@code guestAddr} is not page-aligned, {@code length} is 0 or
   *     the range reaches beyond {@link #TASK_SIZE}
   */
  public int unmap(long guestAddr, long length) {
    if ((guestAddr & Page.OFFSET_MASK) != 0 || length == 0) {
      return -EINVAL;
    }
    if (Long.compareUnsigned(guestAddr, TASK_SIZE) > 0
        || Long.compareUnsigned(length, TASK_SIZE - guestAddr) > 0) {
      return -EINVAL;
    }
    long end = guestAddr + pageRoundUp(length);
    List<Long> stale;
    synchronized (lock) {
      stale = dropPages(guestAddr, end);
      regions.remove(guestAddr, end);
      shared.remove(guestAddr, end);
      generation++;
      invalidateTlb(guestAddr >>> Page.SHIFT, end >>> Page.SHIFT);
    }
    stale.forEach(this::notifyCode);
    return 0;
  }

  /**
   * {@code mprotect}: sets the protection of every page of [guestAddr, guestAddr + length rounded
   * up). All or nothing: nothing changes when it fails (Linux may have changed a prefix).
   *
   * @return 0 (also for {@code length} 0); {@code -EINVAL} if {@code guestAddr} is not
   *     page-aligned or {@code prot} has bits other than R/W/X; {@code -ENOMEM} if the range
   *     wraps, reaches beyond {@link #TASK_SIZE} or contains an unmapped page
   */
  public int protect(long guestAddr, long length, int prot) {
    if ((guestAddr & Page.OFFSET_MASK) != 0 || (prot & ~ALL_PROT) != 0) {
      return -EINVAL;
    }
    if (length == 0) {
      return 0;
    }
    long end = guestAddr + pageRoundUp(length);
    if (Long.compareUnsigned(end, guestAddr) <= 0 || Long.compareUnsigned(end, TASK_SIZE) > 0) {
      return -ENOMEM;
    }
    List<Long> stale = new ArrayList<>();
    synchronized (lock) {
      if (!regions.covers(guestAddr, end)) {
        return -ENOMEM;
      }
      regions.add(guestAddr, end, prot);
      table.forEach(
          guestAddr >>> Page.SHIFT,
          end >>> Page.SHIFT,
          p -> {
            if (p.code) {
              stale.add(p.addr());
            }
            table.set(p.vpn, p.withProt(prot));
          });
      generation++;
      invalidateTlb(guestAddr >>> Page.SHIFT, end >>> Page.SHIFT);
    }
    stale.forEach(this::notifyCode);
    return 0;
  }

  /**
   * What {@code mremap} does when it moves a mapping: the pages of [from, from + length rounded
   * up), with their frames (touched or not, copy-on-write state kept) and protections, now live
   * at [to, ...) instead; the source range is left unmapped and whatever was mapped at the
   * destination is replaced. Unmapped pages of the source stay unmapped at the destination.
   * Frames move without copying and regardless of protection (even PROT_NONE pages), which a
   * read-and-write copy through the guest accessors could not do.
   *
   * @return 0; {@code -EINVAL} if an address is not page-aligned, {@code length} is 0 or the
   *     ranges overlap; {@code -ENOMEM} if either range does not fit below {@link #TASK_SIZE}
   */
  public int move(long from, long length, long to) {
    if (((from | to) & Page.OFFSET_MASK) != 0 || length == 0) {
      return -EINVAL;
    }
    if (Long.compareUnsigned(length, TASK_SIZE) > 0) {
      return -ENOMEM;
    }
    long len = pageRoundUp(length);
    if (Long.compareUnsigned(from, TASK_SIZE - len) > 0
        || Long.compareUnsigned(to, TASK_SIZE - len) > 0) {
      return -ENOMEM;
    }
    if (from < to + len && to < from + len) {
      return -EINVAL;
    }
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
    return 0;
  }

  /**
   * The address space a {@code fork} child gets: the same mappings, every page shared
   * copy-on-write (on both sides) until one side writes it. No code marks and no listener are
   * inherited.
   */
  public GuestMemory forkCopy() {
    synchronized (lock) {
      GuestMemory child = new GuestMemory(regions.copy(), shared.copy());
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

  /**
   * Unmaps everything (exit, execve), so frames shared with other address spaces stop counting
   * this one and their last user can write in place. No listener calls.
   */
  public void release() {
    synchronized (lock) {
      dropPages(0, PageTable.VPN_LIMIT << Page.SHIFT);
      regions.remove(0, TASK_SIZE);
      shared.remove(0, TASK_SIZE);
      generation++;
      invalidateTlb(0, PageTable.VPN_LIMIT);
    }
  }

  /** The mapped ranges in ascending order, adjacent ranges of equal protection merged. */
  public List<Mapping> mappings() {
    synchronized (lock) {
      return regions.list();
    }
  }

  /** The PROT_* bits of the page holding {@code guestAddr}, or -1 if it is not mapped. */
  public int protectionAt(long guestAddr) {
    synchronized (lock) {
      Mapping m = regions.find(guestAddr);
      return m == null ? -1 : m.prot();
    }
  }

  /**
   * The highest page-aligned address {@code a} such that [a, a + length rounded up) is unmapped
   * and lies within [low, high), as Linux places {@code mmap} without {@code MAP_FIXED}; or
   * {@code -ENOMEM}. {@code low} and {@code high} are page-aligned, {@code high <= TASK_SIZE}.
   */
  public long findUnmapped(long length, long low, long high) {
    if (length <= 0 || length > TASK_SIZE || low < 0 || high > TASK_SIZE || low >= high) {
      return -ENOMEM;
    }
    synchronized (lock) {
      long a = regions.findFree(pageRoundUp(length), low, high);
      return a < 0 ? -ENOMEM : a;
    }
  }

  /**
   * Marks the page holding {@code guestAddr} as holding decoded code (see {@link
   * CodeInvalidationListener}). Returns false, marking nothing, if the page is not mapped.
   */
  public boolean markCode(long guestAddr) {
    long vpn = guestAddr >>> Page.SHIFT;
    if (vpn >= PageTable.VPN_LIMIT) {
      return false;
    }
    synchronized (lock) {
      Page p = table.get(vpn);
      if (p == null) {
        Mapping m = regions.find(guestAddr);
        if (m == null) {
          return false;
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

  /** Whether the page holding {@code guestAddr} is marked as holding decoded code. */
  public boolean isCode(long guestAddr) {
    long vpn = guestAddr >>> Page.SHIFT;
    Page p = vpn < PageTable.VPN_LIMIT ? table.get(vpn) : null;
    return p != null && p.code;
  }

  /** Removes the present pages of [start, end); returns the addresses of marked ones. */
  private List<Long> dropPages(long start, long end) {
    List<Long> stale = new ArrayList<>();
    table.forEach(
        start >>> Page.SHIFT,
        end >>> Page.SHIFT,
        p -> {
          if (p.code) {
            stale.add(p.addr());
          }
          p.drop();
          table.set(p.vpn, null);
        });
    return stale;
  }

  private static long pageRoundUp(long length) {
    return (length + Page.OFFSET_MASK) & ~(long) Page.OFFSET_MASK;
  }

  // ---------------------------------------------------------------- observability for tests

  /** Frames copied by copy-on-write breaks in this address space so far. */
  long copyOnWriteCopies() {
    synchronized (lock) {
      return copyOnWriteCopies;
    }
  }

  /** Whether both address spaces use the same frame for the page holding {@code guestAddr}. */
  boolean sharesFrameWith(GuestMemory other, long guestAddr) {
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

  // ---------------------------------------------------------------- loads (hot path first)

  /** The byte at {@code guestAddr}, zero-extended. */
  public int read8(long guestAddr) {
    Page p = Tlb.get(readTlb, guestAddr);
    if (p.vpn == guestAddr >>> Page.SHIFT) {
      return (byte) BYTE.getAcquire(p.data, (int) guestAddr & Page.OFFSET_MASK) & 0xFF;
    }
    return (int) readSlow(guestAddr, 1);
  }

  /** The 16-bit little-endian value at {@code guestAddr}, zero-extended. */
  public int read16(long guestAddr) {
    Page p = Tlb.get(readTlb, guestAddr);
    if (p.vpn == guestAddr >>> Page.SHIFT && (guestAddr & 1) == 0) {
      return LittleEndian.getShortAcquire(p.data, (int) guestAddr & Page.OFFSET_MASK) & 0xFFFF;
    }
    return (int) readSlow(guestAddr, 2);
  }

  /** The 32-bit little-endian value at {@code guestAddr}. */
  public int read32(long guestAddr) {
    Page p = Tlb.get(readTlb, guestAddr);
    if (p.vpn == guestAddr >>> Page.SHIFT && (guestAddr & 3) == 0) {
      return LittleEndian.getIntAcquire(p.data, (int) guestAddr & Page.OFFSET_MASK);
    }
    return (int) readSlow(guestAddr, 4);
  }

  /** The 64-bit little-endian value at {@code guestAddr}. */
  public long read64(long guestAddr) {
    Page p = Tlb.get(readTlb, guestAddr);
    if (p.vpn == guestAddr >>> Page.SHIFT && (guestAddr & 7) == 0) {
      return LittleEndian.getLongAcquire(p.data, (int) guestAddr & Page.OFFSET_MASK);
    }
    return readSlow(guestAddr, 8);
  }

  private long readSlow(long guestAddr, int size) {
    int off = (int) guestAddr & Page.OFFSET_MASK;
    if (off + size > Page.SIZE) {
      requireCanonicalEnd(guestAddr, size, Access.READ);
    }
    Page first = page(readTlb, guestAddr, Access.READ);
    if (off + size <= Page.SIZE) {
      return LittleEndian.load(first.data, off, size);
    }
    Page second = page(readTlb, nextPage(guestAddr), Access.READ);
    return LittleEndian.loadSplit(first.data, second.data, off, size);
  }

  // ---------------------------------------------------------------- stores

  /** Stores the low 8 bits of {@code value}. */
  public void write8(long guestAddr, int value) {
    Page p = Tlb.get(writeTlb, guestAddr);
    if (p.vpn == guestAddr >>> Page.SHIFT) {
      BYTE.setRelease(p.data, (int) guestAddr & Page.OFFSET_MASK, (byte) value);
      return;
    }
    writeSlow(guestAddr, 1, value);
  }

  /** Stores the low 16 bits of {@code value}, little-endian. */
  public void write16(long guestAddr, int value) {
    Page p = Tlb.get(writeTlb, guestAddr);
    if (p.vpn == guestAddr >>> Page.SHIFT && (guestAddr & 1) == 0) {
      LittleEndian.setShortRelease(p.data, (int) guestAddr & Page.OFFSET_MASK, (short) value);
      return;
    }
    writeSlow(guestAddr, 2, value);
  }

  /** Stores {@code value}, little-endian. */
  public void write32(long guestAddr, int value) {
    Page p = Tlb.get(writeTlb, guestAddr);
    if (p.vpn == guestAddr >>> Page.SHIFT && (guestAddr & 3) == 0) {
      LittleEndian.setIntRelease(p.data, (int) guestAddr & Page.OFFSET_MASK, value);
      return;
    }
    writeSlow(guestAddr, 4, value);
  }

  /** Stores {@code value}, little-endian. */
  public void write64(long guestAddr, long value) {
    Page p = Tlb.get(writeTlb, guestAddr);
    if (p.vpn == guestAddr >>> Page.SHIFT && (guestAddr & 7) == 0) {
      LittleEndian.setLongRelease(p.data, (int) guestAddr & Page.OFFSET_MASK, value);
      return;
    }
    writeSlow(guestAddr, 8, value);
  }

  private void writeSlow(long guestAddr, int size, long value) {
    int off = (int) guestAddr & Page.OFFSET_MASK;
    if (off + size > Page.SIZE) {
      requireCanonicalEnd(guestAddr, size, Access.WRITE);
    }
    Page first = page(writeTlb, guestAddr, Access.WRITE);
    if (off + size <= Page.SIZE) {
      LittleEndian.store(first.data, off, size, value);
      return;
    }
    // Both pages are checked before a byte lands: x86 commits no part of a faulting store.
    Page second = page(writeTlb, nextPage(guestAddr), Access.WRITE);
    LittleEndian.storeSplit(first.data, second.data, off, size, value);
  }

  // ---------------------------------------------------------------- bulk and fetch

  /**
   * Copies {@code len} guest bytes from {@code guestAddr} into {@code dst[off..]}. On a fault the
   * bytes of the pages before the faulting one have been copied; the fault's address tells how
   * many.
   */
  public void readBytes(long guestAddr, byte[] dst, int off, int len) {
    Objects.checkFromIndexSize(off, len, dst.length);
    for (int done = 0; done < len; ) {
      long at = guestAddr + done;
      Page p = page(readTlb, at, Access.READ);
      int po = (int) at & Page.OFFSET_MASK;
      int n = Math.min(len - done, Page.SIZE - po);
      System.arraycopy(p.data, po, dst, off + done, n);
      done += n;
    }
    // The copy's loads are plain: keep later accesses after them, as an acquire would.
    VarHandle.acquireFence();
  }

  /**
   * Copies {@code src[off..off+len)} to guest memory at {@code guestAddr}. On a fault the pages
   * before the faulting one have been written, as with {@code copy_to_user}.
   */
  public void writeBytes(long guestAddr, byte[] src, int off, int len) {
    Objects.checkFromIndexSize(off, len, src.length);
    // The copy's stores are plain: keep earlier accesses before them, as a release would. The
    // guest's next store is a release and keeps them before itself.
    VarHandle.releaseFence();
    for (int done = 0; done < len; ) {
      long at = guestAddr + done;
      Page p = page(writeTlb, at, Access.WRITE);
      int po = (int) at & Page.OFFSET_MASK;
      int n = Math.min(len - done, Page.SIZE - po);
      System.arraycopy(src, off + done, p.data, po, n);
      done += n;
    }
  }

  /** The instruction byte at {@code guestAddr}; faults with {@link Access#EXEC} unless X. */
  public int fetch8(long guestAddr) {
    Page p = page(execTlb, guestAddr, Access.EXEC);
    return (byte) BYTE.getAcquire(p.data, (int) guestAddr & Page.OFFSET_MASK) & 0xFF;
  }

  /**
   * Copies up to {@code len} instruction bytes starting at {@code guestAddr} into {@code
   * dst[off..]}, stopping before the first byte that cannot be fetched, and returns how many it
   * copied (at least 1). Throws only when the first byte cannot be fetched: a decoder that needs
   * more than it got calls {@link #fetch8} on the next address to raise the precise fault.
   */
  public int fetch(long guestAddr, byte[] dst, int off, int len) {
    Objects.checkFromIndexSize(off, len, dst.length);
    int done = 0;
    while (done < len) {
      long at = guestAddr + done;
      Page p;
      try {
        p = page(execTlb, at, Access.EXEC);
      } catch (MemoryFault fault) {
        if (done == 0) {
          throw fault;
        }
        break;
      }
      int po = (int) at & Page.OFFSET_MASK;
      int n = Math.min(len - done, Page.SIZE - po);
      System.arraycopy(p.data, po, dst, off + done, n);
      done += n;
    }
    VarHandle.acquireFence();
    return done;
  }

  // ---------------------------------------------------------------- locked operations

  /**
   * LOCK CMPXCHG byte: stores {@code newValue} if the byte equals {@code expected}; returns the old
   * byte. Like every locked operation here it needs write permission even when it does not store.
   */
  public int compareAndExchange8(long guestAddr, int expected, int newValue) {
    Page p = writablePage(guestAddr);
    return LittleEndian.compareAndExchangeByte(
            p.data, (int) guestAddr & Page.OFFSET_MASK, (byte) expected, (byte) newValue)
        & 0xFF;
  }

  /** LOCK CMPXCHG word; returns the old value, zero-extended. */
  public int compareAndExchange16(long guestAddr, int expected, int newValue) {
    return (int) rmw(guestAddr, 2, Rmw.CAS, expected, newValue, null);
  }

  /** LOCK CMPXCHG doubleword; returns the old value. */
  public int compareAndExchange32(long guestAddr, int expected, int newValue) {
    if ((guestAddr & 3) == 0) {
      Page p = writablePage(guestAddr);
      int off = (int) guestAddr & Page.OFFSET_MASK;
      return LittleEndian.compareAndExchangeInt(p.data, off, expected, newValue);
    }
    return (int) rmw(guestAddr, 4, Rmw.CAS, expected, newValue, null);
  }

  /** LOCK CMPXCHG quadword; returns the old value. */
  public long compareAndExchange64(long guestAddr, long expected, long newValue) {
    if ((guestAddr & 7) == 0) {
      Page p = writablePage(guestAddr);
      int off = (int) guestAddr & Page.OFFSET_MASK;
      return LittleEndian.compareAndExchangeLong(p.data, off, expected, newValue);
    }
    return rmw(guestAddr, 8, Rmw.CAS, expected, newValue, null);
  }

  /**
   * LOCK CMPXCHG16B: if the 16 bytes at {@code guestAddr} equal {@code expectedHi:expectedLo},
   * stores {@code newHi:newLo} and returns true; {@code witness[0..1]} receive the old low and high
   * quadwords either way. Needs write permission even when it does not store. Always takes the
   * global split lock (see {@code Rmw}); the 16-byte alignment check (#GP) is the CPU's.
   */
  public boolean compareAndExchange128(
      long guestAddr, long expectedLo, long expectedHi, long newLo, long newHi, long[] witness) {
    Page first = writablePage(guestAddr);
    int off = (int) guestAddr & Page.OFFSET_MASK;
    Page second = off + 16 <= Page.SIZE ? first : writablePage(nextPage(guestAddr));
    return Rmw.cas128(first.data, second.data, off, expectedLo, expectedHi, newLo, newHi, witness);
  }

  /** LOCK XADD byte: adds {@code delta}, returns the old byte. */
  public int getAndAdd8(long guestAddr, int delta) {
    Page p = writablePage(guestAddr);
    int off = (int) guestAddr & Page.OFFSET_MASK;
    return LittleEndian.getAndAddByte(p.data, off, (byte) delta) & 0xFF;
  }

  /** LOCK XADD word; returns the old value, zero-extended. */
  public int getAndAdd16(long guestAddr, int delta) {
    return (int) rmw(guestAddr, 2, Rmw.ADD, delta, 0, null);
  }

  /** LOCK XADD doubleword; returns the old value. */
  public int getAndAdd32(long guestAddr, int delta) {
    if ((guestAddr & 3) == 0) {
      Page p = writablePage(guestAddr);
      return LittleEndian.getAndAddInt(p.data, (int) guestAddr & Page.OFFSET_MASK, delta);
    }
    return (int) rmw(guestAddr, 4, Rmw.ADD, delta, 0, null);
  }

  /** LOCK XADD quadword; returns the old value. */
  public long getAndAdd64(long guestAddr, long delta) {
    if ((guestAddr & 7) == 0) {
      Page p = writablePage(guestAddr);
      return LittleEndian.getAndAddLong(p.data, (int) guestAddr & Page.OFFSET_MASK, delta);
    }
    return rmw(guestAddr, 8, Rmw.ADD, delta, 0, null);
  }

  /** XCHG with a byte in memory (implicitly locked); returns the old byte. */
  public int getAndSet8(long guestAddr, int value) {
    Page p = writablePage(guestAddr);
    int off = (int) guestAddr & Page.OFFSET_MASK;
    return LittleEndian.getAndSetByte(p.data, off, (byte) value) & 0xFF;
  }

  /** XCHG word; returns the old value, zero-extended. */
  public int getAndSet16(long guestAddr, int value) {
    return (int) rmw(guestAddr, 2, Rmw.SET, value, 0, null);
  }

  /** XCHG doubleword; returns the old value. */
  public int getAndSet32(long guestAddr, int value) {
    if ((guestAddr & 3) == 0) {
      Page p = writablePage(guestAddr);
      return LittleEndian.getAndSetInt(p.data, (int) guestAddr & Page.OFFSET_MASK, value);
    }
    return (int) rmw(guestAddr, 4, Rmw.SET, value, 0, null);
  }

  /** XCHG quadword; returns the old value. */
  public long getAndSet64(long guestAddr, long value) {
    if ((guestAddr & 7) == 0) {
      Page p = writablePage(guestAddr);
      return LittleEndian.getAndSetLong(p.data, (int) guestAddr & Page.OFFSET_MASK, value);
    }
    return rmw(guestAddr, 8, Rmw.SET, value, 0, null);
  }

  /**
   * Any locked read-modify-write (LOCK AND/OR/XOR/BTS/NEG...) of {@code size} (1, 2, 4, 8) bytes:
   * atomically replaces the operand {@code v} (zero-extended) by {@code update(v)} truncated to
   * {@code size}, and returns {@code v}. {@code update} may run several times (CAS loop) and must
   * be free of side effects.
   */
  public long atomicUpdate(long guestAddr, int size, LongUnaryOperator update) {
    if (size != 1 && size != 2 && size != 4 && size != 8) {
      throw new IllegalArgumentException("size " + size);
    }
    return rmw(guestAddr, size, Rmw.FUNCTION, 0, 0, Objects.requireNonNull(update));
  }

  private long rmw(long guestAddr, int size, int op, long a, long b, LongUnaryOperator fn) {
    int off = (int) guestAddr & Page.OFFSET_MASK;
    Page first = writablePage(guestAddr);
    if ((off & 7) + size <= 8) {
      return Rmw.inWord(first.data, off, size, op, a, b, fn);
    }
    Page second = off + size <= Page.SIZE ? first : writablePage(nextPage(guestAddr));
    return Rmw.split(first.data, second.data, off, size, op, a, b, fn);
  }

  private Page writablePage(long guestAddr) {
    return page(writeTlb, guestAddr, Access.WRITE);
  }

  /** The page for {@code kind} at {@code guestAddr}: from {@code tlb}, else {@link #translate}. */
  private Page page(Page[] tlb, long guestAddr, Access kind) {
    Page p = Tlb.get(tlb, guestAddr);
    return p.vpn == guestAddr >>> Page.SHIFT ? p : translate(guestAddr, kind);
  }

  // ---------------------------------------------------------------- translation (slow path)

  /**
   * The page that permits {@code kind} at {@code guestAddr}, creating it, breaking copy-on-write
   * or clearing a code mark as needed, and caching it in the TLB of that kind.
   */
  private Page translate(long guestAddr, Access kind) {
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
        ? prot != PROT_NONE
        : (prot & (kind == Access.WRITE ? PROT_WRITE : PROT_EXEC)) != 0;
  }

  private static MemoryFault outsideUserSpace(long guestAddr, Access kind) {
    long top = guestAddr >> 47;
    boolean canonical = top == 0 || top == -1;
    return MemoryFault.of(guestAddr, kind, canonical ? Reason.NOT_MAPPED : Reason.NON_CANONICAL);
  }

  /**
   * The CPU checks that the whole access is canonical before any paging: an access that starts
   * in user space but ends past 0x7fffffffffff is a #GP (#SS on the stack), not a page fault.
   */
  private static void requireCanonicalEnd(long guestAddr, int size, Access kind) {
    long top = (guestAddr + size - 1) >> 47;
    if (top != 0 && top != -1) {
      throw MemoryFault.of(guestAddr, kind, Reason.NON_CANONICAL);
    }
  }

  private static long nextPage(long guestAddr) {
    return (guestAddr | Page.OFFSET_MASK) + 1;
  }

  private void notifyCode(long pageAddr) {
    CodeInvalidationListener l = codeListener;
    if (l != null) {
      l.invalidate(pageAddr);
    }
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
}
