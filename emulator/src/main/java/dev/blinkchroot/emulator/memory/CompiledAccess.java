package dev.blinkchroot.emulator.memory;

/**
 * The TLB-hit path of {@link GuestMemory}'s loads and stores, in pieces small enough that
 * HotSpot always inlines them into compiled guest code (which emits the tag and bounds checks
 * itself and calls {@link GuestMemory} on a miss). The rules are {@code GuestMemory}'s: a read
 * entry maps a readable page, a write entry a writable page that is neither copy-on-write nor
 * marked as code (so a store that hits cannot change decoded code); loads are acquires and
 * stores releases (x86 TSO), and a misaligned access inside one page is a plain access fenced on
 * the side that matters, as {@code LittleEndian} does it.
 */
public final class CompiledAccess {
  /** Bytes in a page, and the mask of an address's offset in its page. */
  public static final int PAGE_SIZE = Page.SIZE;
  public static final int OFFSET_MASK = Page.OFFSET_MASK;
  public static final int PAGE_SHIFT = Page.SHIFT;

  private CompiledAccess() {}

  /** The read-TLB entry for {@code guestAddr}; a hit if its {@link Page#vpn} is the address's. */
  public static Page readEntry(GuestMemory memory, long guestAddr) {
    return Tlb.get(memory.readTlb, guestAddr);
  }

  /** The write-TLB entry for {@code guestAddr}. */
  public static Page writeEntry(GuestMemory memory, long guestAddr) {
    return Tlb.get(memory.writeTlb, guestAddr);
  }

  /**
   * After a read-TLB miss: fills the entry for {@code guestAddr} if the page may be read
   * (creating it on first touch), and says whether it could; never throws, so that compiled
   * code can leave for the interpreter to raise the fault at the right instruction.
   */
  public static boolean fillRead(GuestMemory memory, long guestAddr) {
    return fill(memory, guestAddr, MemoryFault.Access.READ);
  }

  /**
   * After a write-TLB miss: prepares the page for writing (first touch, copy-on-write break, and
   * dropping its decoded code, which the listener hears about) and fills the entry, if the page
   * may be written.
   */
  public static boolean fillWrite(GuestMemory memory, long guestAddr) {
    return fill(memory, guestAddr, MemoryFault.Access.WRITE);
  }

  private static boolean fill(GuestMemory memory, long guestAddr, MemoryFault.Access kind) {
    try {
      memory.paging.translate(guestAddr, kind);
      return true;
    } catch (MemoryFault fault) {
      return false;
    }
  }

  public static long load8(byte[] frame, int off) {
    return (byte) LittleEndian.BYTE.getAcquire(frame, off) & 0xffL;
  }

  public static long load16(byte[] frame, int off) {
    return (off & 1) == 0 ? LittleEndian.getShortAcquire(frame, off) & 0xffffL
        : LittleEndian.load(frame, off, 2);
  }

  public static long load32(byte[] frame, int off) {
    return (off & 3) == 0 ? LittleEndian.getIntAcquire(frame, off) & 0xffff_ffffL
        : LittleEndian.load(frame, off, 4);
  }

  public static long load64(byte[] frame, int off) {
    return (off & 7) == 0 ? LittleEndian.getLongAcquire(frame, off)
        : LittleEndian.load(frame, off, 8);
  }

  public static void store8(byte[] frame, int off, long value) {
    LittleEndian.BYTE.setRelease(frame, off, (byte) value);
  }

  public static void store16(byte[] frame, int off, long value) {
    LittleEndian.store(frame, off, 2, value);
  }

  public static void store32(byte[] frame, int off, long value) {
    if ((off & 3) == 0) {
      LittleEndian.setIntRelease(frame, off, (int) value);
    } else {
      LittleEndian.store(frame, off, 4, value);
    }
  }

  public static void store64(byte[] frame, int off, long value) {
    if ((off & 7) == 0) {
      LittleEndian.setLongRelease(frame, off, value);
    } else {
      LittleEndian.store(frame, off, 8, value);
    }
  }
}
