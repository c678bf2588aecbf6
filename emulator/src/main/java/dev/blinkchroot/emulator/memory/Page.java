package dev.blinkchroot.emulator.memory;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One present guest page of one address space. Immutable: a change of protection, of the
 * copy-on-write state or of the code mark installs a new {@code Page}. That lets the page double
 * as a TLB entry: a thread that read a {@code Page} reference without a lock always sees a
 * consistent (tag, bytes, permission) triple, and the final fields make the racy publication safe.
 */
public final class Page {
  static final int SIZE = 4096;
  static final int SHIFT = 12;
  static final int OFFSET_MASK = SIZE - 1;

  /** Never written: every page that has only been read so far shares it, as Linux's zero page. */
  static final byte[] ZERO_FRAME = new byte[SIZE];

  /** A TLB slot holding this matches no address (page numbers are below 2^52). */
  static final Page INVALID = new Page(-1, ZERO_FRAME, null, 0, false, false, false);

  /** The page number (address >>> 12); public for compiled code's TLB check (CompiledAccess). */
  public final long vpn;
  /** The frame; public for compiled code's TLB-hit path (CompiledAccess). */
  public final byte[] data;
  /**
   * How many pages (across address spaces) use {@link #data}; lets the last sharer write in place
   * instead of copying. {@code null} for {@link #ZERO_FRAME}, which is always copied.
   */
  final AtomicInteger sharers;
  /** PROT_* bits as the guest asked for them. */
  final int prot;
  /** The frame may be shared: the first write must copy it (or take sole ownership). */
  final boolean cow;
  /** Decoded code exists for this page; writes must tell the listener first. */
  final boolean code;
  /**
   * A MAP_SHARED frame from a {@link FrameSource}: written in place by every mapping of it, never
   * copied on write (also not after fork), not counted by {@link #sharers}.
   */
  final boolean shared;

  Page(long vpn, byte[] data, AtomicInteger sharers, int prot, boolean cow, boolean code,
      boolean shared) {
    this.vpn = vpn;
    this.data = data;
    this.sharers = sharers;
    this.prot = prot;
    this.cow = cow;
    this.code = code;
    this.shared = shared;
  }

  static Page zeroFilled(long vpn, int prot) {
    return new Page(vpn, ZERO_FRAME, null, prot, true, false, false);
  }

  static Page fresh(long vpn, int prot) {
    return new Page(vpn, new byte[SIZE], new AtomicInteger(1), prot, false, false, false);
  }

  static Page sharedFrame(long vpn, byte[] frame, int prot) {
    return new Page(vpn, frame, null, prot, false, false, true);
  }

  Page withProt(int newProt) {
    return new Page(vpn, data, sharers, newProt, cow, false, shared);
  }

  Page withCode(boolean newCode) {
    return new Page(vpn, data, sharers, prot, cow, newCode, shared);
  }

  Page withCow() {
    return new Page(vpn, data, sharers, prot, true, code, shared);
  }

  /** The same frame and state at another page number (mremap), without the code mark. */
  Page movedTo(long newVpn) {
    return new Page(newVpn, data, sharers, prot, cow, false, shared);
  }

  /** The page a fork child gets: the same frame, copy-on-write unless it is shared. */
  Page forChild() {
    return new Page(vpn, data, sharers, prot, !shared, false, shared);
  }

  /** This address space's reference to the frame goes away (unmap, replace, release). */
  void drop() {
    if (sharers != null) {
      sharers.decrementAndGet();
    }
  }

  long addr() {
    return vpn << SHIFT;
  }
}
