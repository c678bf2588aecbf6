package dev.blinkchroot.emulator.memory;

/**
 * Guest loads and stores for compiled code, in pieces small enough that HotSpot always inlines
 * them (the TLB-hit path: a tag compare and a VarHandle access; a miss is a call). Compiled code
 * checks that an access stays within the page it got, and leaves for the interpreter when it got
 * none. The rules are {@code GuestMemory}'s: a read entry maps a readable page, a write entry a
 * writable page that is neither copy-on-write nor marked as code (so no store from compiled code
 * changes decoded code); loads are acquires and stores releases (x86 TSO), and a misaligned
 * access inside one page is a plain access fenced on the side that matters, as {@code
 * LittleEndian} does it.
 */
public final class CompiledAccess {
  /** Bytes in a page, and the mask of an address's offset in its page. */
  public static final int PAGE_SIZE = Page.SIZE;
  public static final int OFFSET_MASK = Page.OFFSET_MASK;
  public static final int PAGE_SHIFT = Page.SHIFT;

  private CompiledAccess() {}

  /**
   * The page to read {@code guestAddr} from: the read TLB's entry, or after a miss the page the
   * miss fills in (created on first touch); null if reading it would fault. Never throws, so that
   * compiled code leaves for the interpreter to raise the fault at the right instruction.
   */
  public static Page readPage(GuestMemory memory, long guestAddr) {
    Page p = Tlb.get(memory.readTlb, guestAddr);
    return p.vpn == guestAddr >>> Page.SHIFT ? p : readMiss(memory, guestAddr);
  }

  private static Page readMiss(GuestMemory memory, long guestAddr) {
    try {
      return memory.paging.translate(guestAddr, MemoryFault.Access.READ);
    } catch (MemoryFault fault) {
      return null;
    }
  }

  /**
   * The page to write {@code guestAddr} in, as {@link #readPage} (a copy-on-write page is broken
   * first); null also when the page holds decoded code: the interpreter then does the store, and
   * the code invalidation that comes with it, so compiled code never rewrites code itself.
   */
  public static Page writePage(GuestMemory memory, long guestAddr) {
    Page p = Tlb.get(memory.writeTlb, guestAddr);
    return p.vpn == guestAddr >>> Page.SHIFT ? p : writeMiss(memory, guestAddr);
  }

  private static Page writeMiss(GuestMemory memory, long guestAddr) {
    if (memory.isCode(guestAddr)) {
      return null;
    }
    try {
      return memory.paging.translate(guestAddr, MemoryFault.Access.WRITE);
    } catch (MemoryFault fault) {
      return null;
    }
  }

  /** The byte at {@code guestAddr} of page {@code p}, zero-extended. */
  public static long load8(Page p, long guestAddr) {
    return (byte) LittleEndian.BYTE.getAcquire(p.data, (int) guestAddr & OFFSET_MASK) & 0xffL;
  }

  /** The 16 bits at {@code guestAddr}, which lie in page {@code p}. */
  public static long load16(Page p, long guestAddr) {
    int off = (int) guestAddr & OFFSET_MASK;
    return (off & 1) == 0 ? LittleEndian.getShortAcquire(p.data, off) & 0xffffL
        : LittleEndian.load(p.data, off, 2);
  }

  public static long load32(Page p, long guestAddr) {
    int off = (int) guestAddr & OFFSET_MASK;
    return (off & 3) == 0 ? LittleEndian.getIntAcquire(p.data, off) & 0xffff_ffffL
        : LittleEndian.load(p.data, off, 4);
  }

  public static long load64(Page p, long guestAddr) {
    int off = (int) guestAddr & OFFSET_MASK;
    return (off & 7) == 0 ? LittleEndian.getLongAcquire(p.data, off)
        : LittleEndian.load(p.data, off, 8);
  }

  public static void store8(Page p, long guestAddr, long value) {
    LittleEndian.BYTE.setRelease(p.data, (int) guestAddr & OFFSET_MASK, (byte) value);
  }

  public static void store16(Page p, long guestAddr, long value) {
    LittleEndian.store(p.data, (int) guestAddr & OFFSET_MASK, 2, value);
  }

  public static void store32(Page p, long guestAddr, long value) {
    int off = (int) guestAddr & OFFSET_MASK;
    if ((off & 3) == 0) {
      LittleEndian.setIntRelease(p.data, off, (int) value);
    } else {
      LittleEndian.store(p.data, off, 4, value);
    }
  }

  public static void store64(Page p, long guestAddr, long value) {
    int off = (int) guestAddr & OFFSET_MASK;
    if ((off & 7) == 0) {
      LittleEndian.setLongRelease(p.data, off, value);
    } else {
      LittleEndian.store(p.data, off, 8, value);
    }
  }
}
