package dev.blinkchroot.emulator.memory;

import dev.blinkchroot.emulator.memory.MemoryFault.Access;
import dev.blinkchroot.emulator.memory.MemoryFault.Reason;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Objects;
import java.util.function.LongUnaryOperator;

/**
 * One guest address space: the user half of x86-64's 48-bit space in 4 KiB pages with R/W/X
 * protection, copy-on-write sharing with its forks, and a software TLB. This class holds the
 * Linux contract of the mapping calls and the guest accesses; the page tables, page faults and
 * TLB upkeep behind them are {@code Paging}'s.
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
 * map}/{@code unmap}/{@code protect}/fork/copy-on-write break withdraw itself (see {@code
 * Paging}), so no stale entry survives a change. What remains, as on hardware between a
 * page-table change and the TLB shootdown: an access that already passed its TLB check when
 * another thread changes the mapping completes against the old page. A guest that synchronizes
 * with the changing thread never sees that; the kernel should stop sibling threads around {@code
 * fork} of a multi-threaded process (as the shootdown IPI would), or one of their in-flight stores
 * may land in the frame the child shares.
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
  private static final int ALL_PROT = PROT_READ | PROT_WRITE | PROT_EXEC;

  /** Package-private for tests, which set its fill hook. */
  final Paging paging;
  /*
   * Paging's TLBs, also held here so that the hot paths load them from a final field of the
   * object they run on, with no hop through paging.
   */
  final Page[] readTlb;
  final Page[] writeTlb;
  private final Page[] execTlb;

  private GuestMemory(Paging paging) {
    this.paging = paging;
    this.readTlb = paging.readTlb;
    this.writeTlb = paging.writeTlb;
    this.execTlb = paging.execTlb;
  }

  /** An empty address space. */
  public static GuestMemory create() {
    return new GuestMemory(new Paging());
  }

  /** Who is told when decoded code goes stale; null for no one. */
  public void setCodeInvalidationListener(CodeInvalidationListener listener) {
    paging.setCodeInvalidationListener(listener);
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
    paging.map(guestAddr, end, prot, source, firstPage);
    return 0;
  }

  /**
   * The kernel rewrote page {@code pageIndex} of {@code source} (write(2) to a mapped file): code
   * decoded from it in this address space is dropped.
   */
  public void sharedPageWritten(FrameSource source, long pageIndex) {
    paging.sharedPageWritten(source, pageIndex);
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
    paging.unmap(guestAddr, guestAddr + pageRoundUp(length));
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
    return paging.protect(guestAddr, end, prot) ? 0 : -ENOMEM;
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
    paging.move(from, len, to);
    return 0;
  }

  /**
   * The address space a {@code fork} child gets: the same mappings, every page shared
   * copy-on-write (on both sides) until one side writes it. No code marks and no listener are
   * inherited.
   */
  /**
   * Makes a first touch of the mapped range [guestAddr, guestAddr + length) a fault of reason
   * {@link MemoryFault.Reason#BEYOND_EOF}: the part of a file mapping past the file's end.
   */
  public void markBeyondEof(long guestAddr, long length) {
    paging.markBeyondEof(guestAddr, guestAddr + pageRoundUp(length));
  }

  /**
   * Ends {@link #markBeyondEof} for the page at {@code pageAddr}, which then holds a copy of
   * {@code frame}, or, if that is null, the frame of its shared range.
   */
  public void fillBeyondEof(long pageAddr, byte[] frame) {
    paging.fillBeyondEof(pageAddr & ~(long) Page.OFFSET_MASK, frame);
  }

  public GuestMemory forkCopy() {
    return new GuestMemory(paging.fork());
  }

  /**
   * Unmaps everything (exit, execve), so frames shared with other address spaces stop counting
   * this one and their last user can write in place. No listener calls.
   */
  public void release() {
    paging.release();
  }

  /** The mapped ranges in ascending order, adjacent ranges of equal protection merged. */
  public List<Mapping> mappings() {
    return paging.mappings();
  }

  /** The PROT_* bits of the page holding {@code guestAddr}, or -1 if it is not mapped. */
  public int protectionAt(long guestAddr) {
    Mapping m = paging.mappingAt(guestAddr);
    return m == null ? -1 : m.prot();
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
    long a = paging.findFree(pageRoundUp(length), low, high);
    return a < 0 ? -ENOMEM : a;
  }

  /**
   * Marks the page holding {@code guestAddr} as holding decoded code (see {@link
   * CodeInvalidationListener}). Returns false, marking nothing, if the page is not mapped.
   */
  public boolean markCode(long guestAddr) {
    return paging.markCode(guestAddr);
  }

  /** Whether the page holding {@code guestAddr} is marked as holding decoded code. */
  public boolean isCode(long guestAddr) {
    return paging.isCode(guestAddr);
  }

  private static long pageRoundUp(long length) {
    return (length + Page.OFFSET_MASK) & ~(long) Page.OFFSET_MASK;
  }

  // ---------------------------------------------------------------- observability for tests

  /** Frames copied by copy-on-write breaks in this address space so far. */
  long copyOnWriteCopies() {
    return paging.copyOnWriteCopies();
  }

  /** Whether both address spaces use the same frame for the page holding {@code guestAddr}. */
  boolean sharesFrameWith(GuestMemory other, long guestAddr) {
    return paging.sharesFrameWith(other.paging, guestAddr);
  }

  /** Pages that have memory (were touched). */
  long presentPages() {
    return paging.presentPages();
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

  /** The page for {@code kind} at {@code guestAddr}: from {@code tlb}, else {@link Paging}. */
  private Page page(Page[] tlb, long guestAddr, Access kind) {
    Page p = Tlb.get(tlb, guestAddr);
    return p.vpn == guestAddr >>> Page.SHIFT ? p : paging.translate(guestAddr, kind);
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
}
