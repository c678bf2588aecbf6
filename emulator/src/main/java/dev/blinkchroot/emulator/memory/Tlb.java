package dev.blinkchroot.emulator.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Software TLB: a direct-mapped {@code Page[]} indexed by the low bits of the page number, one per
 * access kind and address space, shared by all its guest threads. Entries are immutable {@link
 * Page}s, so a slot read without a lock is a consistent (tag, frame, permission) triple; an empty
 * slot holds {@link Page#INVALID}, whose tag matches no address, so the hot path has no null
 * check.
 *
 * <p>Slots are read opaque (a plain load that the JIT may not hoist out of a guest loop, so an
 * invalidation is eventually seen) and written volatile, which the fill protocol needs: a filler
 * stores its entry and then re-reads the generation; a changer bumps the generation and then
 * reads the slot. In the total order of volatile accesses one of the two sees the other, so
 * either the filler withdraws its entry or the changer clears it.
 */
final class Tlb {
  static final int SIZE = 1024;
  private static final int MASK = SIZE - 1;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Page[].class);

  private Tlb() {}

  static Page[] create() {
    Page[] tlb = new Page[SIZE];
    Arrays.fill(tlb, Page.INVALID);
    return tlb;
  }

  /** The entry in the slot of {@code guestAddr}; the caller compares its tag. */
  static Page get(Page[] tlb, long guestAddr) {
    return (Page) SLOT.getOpaque(tlb, (int) (guestAddr >>> Page.SHIFT) & MASK);
  }

  static void put(Page[] tlb, Page p) {
    SLOT.setVolatile(tlb, (int) p.vpn & MASK, p);
  }

  /** Removes {@code p} if it is still the entry of its slot. */
  static void withdraw(Page[] tlb, Page p) {
    SLOT.compareAndSet(tlb, (int) p.vpn & MASK, p, Page.INVALID);
  }

  /** Drops entries for pages [fromVpn, toVpn). */
  static void invalidate(Page[] tlb, long fromVpn, long toVpn) {
    if (toVpn - fromVpn >= SIZE) {
      for (int i = 0; i < SIZE; i++) {
        SLOT.setVolatile(tlb, i, Page.INVALID);
      }
      return;
    }
    for (long vpn = fromVpn; vpn < toVpn; vpn++) {
      int i = (int) vpn & MASK;
      if (((Page) SLOT.getVolatile(tlb, i)).vpn == vpn) {
        SLOT.setVolatile(tlb, i, Page.INVALID);
      }
    }
  }
}
