package dev.blinkchroot.emulator.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * Radix tree over the 35-bit page numbers of the user half of the 48-bit address space
 * (11 + 12 + 12 bits). Only present (touched) pages live here; what is mapped lives in
 * {@link Regions}. Readers walk it without a lock (acquire loads; {@link Page} is immutable);
 * writers hold the address-space lock.
 */
final class PageTable {
  static final int VPN_BITS = 35;
  static final long VPN_LIMIT = 1L << VPN_BITS;

  private static final int LEAF_BITS = 12;
  private static final int MID_BITS = 12;
  private static final int LEAF_SIZE = 1 << LEAF_BITS;
  private static final int MID_SIZE = 1 << MID_BITS;
  private static final int ROOT_SIZE = 1 << (VPN_BITS - LEAF_BITS - MID_BITS);
  private static final long LEAF_SPAN = LEAF_SIZE;
  private static final long MID_SPAN = (long) LEAF_SIZE * MID_SIZE;

  private static final VarHandle ROOT = MethodHandles.arrayElementVarHandle(Page[][][].class);
  private static final VarHandle MID = MethodHandles.arrayElementVarHandle(Page[][].class);
  private static final VarHandle LEAF = MethodHandles.arrayElementVarHandle(Page[].class);

  private final Page[][][] root = new Page[ROOT_SIZE][][];
  private long present;

  /** The present page {@code vpn < VPN_LIMIT}, or null. Lock-free. */
  Page get(long vpn) {
    Page[][] mid = (Page[][]) ROOT.getAcquire(root, (int) (vpn >>> (LEAF_BITS + MID_BITS)));
    if (mid == null) {
      return null;
    }
    Page[] leaf = (Page[]) MID.getAcquire(mid, (int) (vpn >>> LEAF_BITS) & (MID_SIZE - 1));
    if (leaf == null) {
      return null;
    }
    return (Page) LEAF.getAcquire(leaf, (int) vpn & (LEAF_SIZE - 1));
  }

  /** Installs or (with null) removes a page. Caller holds the lock. */
  void set(long vpn, Page page) {
    int r = (int) (vpn >>> (LEAF_BITS + MID_BITS));
    Page[][] mid = root[r];
    if (mid == null) {
      if (page == null) {
        return;
      }
      mid = new Page[MID_SIZE][];
      ROOT.setRelease(root, r, mid);
    }
    int m = (int) (vpn >>> LEAF_BITS) & (MID_SIZE - 1);
    Page[] leaf = mid[m];
    if (leaf == null) {
      if (page == null) {
        return;
      }
      leaf = new Page[LEAF_SIZE];
      MID.setRelease(mid, m, leaf);
    }
    int l = (int) vpn & (LEAF_SIZE - 1);
    Page old = leaf[l];
    if ((old == null) != (page == null)) {
      present += page == null ? -1 : 1;
    }
    LEAF.setRelease(leaf, l, page);
  }

  /** Number of present pages. Caller holds the lock. */
  long present() {
    return present;
  }

  /**
   * Visits the present pages with {@code fromVpn <= vpn < toVpn} in ascending order, skipping
   * empty subtrees so that huge sparse ranges cost little. Caller holds the lock; the visitor may
   * {@link #set} pages that were already visited or are being visited.
   */
  void forEach(long fromVpn, long toVpn, Consumer<Page> visitor) {
    long vpn = fromVpn;
    while (vpn < toVpn) {
      Page[][] mid = root[(int) (vpn >>> (LEAF_BITS + MID_BITS))];
      if (mid == null) {
        vpn = (vpn / MID_SPAN + 1) * MID_SPAN;
        continue;
      }
      Page[] leaf = mid[(int) (vpn >>> LEAF_BITS) & (MID_SIZE - 1)];
      if (leaf == null) {
        vpn = (vpn / LEAF_SPAN + 1) * LEAF_SPAN;
        continue;
      }
      long leafEnd = Math.min(toVpn, (vpn / LEAF_SPAN + 1) * LEAF_SPAN);
      for (; vpn < leafEnd; vpn++) {
        Page p = leaf[(int) vpn & (LEAF_SIZE - 1)];
        if (p != null) {
          visitor.accept(p);
        }
      }
    }
  }
}
