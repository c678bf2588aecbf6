package dev.blinkchroot.emulator.difftest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.StringJoiner;

/**
 * What a differential comparison leaves out for one instruction form: the flags the SDM leaves
 * undefined for it, registers whose final value is not specified, memory it may scribble on.
 * Immutable; each {@code and...} returns a new value. {@link #NONE} compares everything.
 *
 * <p>Never compared, whatever the mask: RIP of a completed run (both sides stop at the end of
 * the snippet), the x87 FOP/FIP/FDP fields (the host saves them only when an exception is
 * pending) and the reserved bytes of the FXSAVE image.
 */
public final class Undefined {
  /** Compare everything. */
  public static final Undefined NONE = new Undefined(0, 0, 0, false, 0, List.of());

  private final long flags;
  private final int regs;
  private final int xmm;
  private final boolean x87;
  private final int mxcsr;
  private final List<long[]> memory;

  private Undefined(long flags, int regs, int xmm, boolean x87, int mxcsr, List<long[]> memory) {
    this.flags = flags;
    this.regs = regs;
    this.xmm = xmm;
    this.x87 = x87;
    this.mxcsr = mxcsr;
    this.memory = memory;
  }

  /** Leaves out the RFLAGS bits in {@code mask} (e.g. {@code RFlags.AF | RFlags.OF}). */
  public static Undefined flags(long mask) {
    return NONE.andFlags(mask);
  }

  public Undefined andFlags(long mask) {
    return new Undefined(flags | mask, regs, xmm, x87, mxcsr, memory);
  }

  /** Leaves out these general-purpose registers. */
  public Undefined andRegs(Reg... rs) {
    int m = regs;
    for (Reg r : rs) {
      m |= 1 << r.ordinal();
    }
    return new Undefined(flags, m, xmm, x87, mxcsr, memory);
  }

  /** Leaves out these XMM registers (0..15). */
  public Undefined andXmm(int... indexes) {
    int m = xmm;
    for (int i : indexes) {
      m |= 1 << i;
    }
    return new Undefined(flags, regs, m, x87, mxcsr, memory);
  }

  /** Leaves out the whole x87/MMX image (FCW, FSW, FTW, ST0-7). */
  public Undefined andX87() {
    return new Undefined(flags, regs, xmm, true, mxcsr, memory);
  }

  /** Leaves out the MXCSR bits in {@code mask}. */
  public Undefined andMxcsr(int mask) {
    return new Undefined(flags, regs, xmm, x87, mxcsr | mask, memory);
  }

  /** Leaves out {@code length} bytes of the data region from {@code guestAddr}. */
  public Undefined andMemory(long guestAddr, int length) {
    List<long[]> m = new ArrayList<>(memory);
    m.add(new long[] {guestAddr, length});
    return new Undefined(flags, regs, xmm, x87, mxcsr, Collections.unmodifiableList(m));
  }

  public long flagMask() {
    return flags;
  }

  public boolean ignores(Reg r) {
    return (regs & 1 << r.ordinal()) != 0;
  }

  public boolean ignoresXmm(int i) {
    return (xmm & 1 << i) != 0;
  }

  public boolean ignoresX87() {
    return x87;
  }

  public int mxcsrMask() {
    return mxcsr;
  }

  public boolean ignoresMemory(long guestAddr) {
    for (long[] r : memory) {
      if (guestAddr - r[0] >= 0 && guestAddr - r[0] < r[1]) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    StringJoiner j = new StringJoiner(", ");
    if (flags != 0) {
      j.add("flags " + RFlags.names(flags));
    }
    for (Reg r : Reg.values()) {
      if (ignores(r)) {
        j.add(r.name());
      }
    }
    for (int i = 0; i < 16; i++) {
      if (ignoresXmm(i)) {
        j.add("XMM" + i);
      }
    }
    if (x87) {
      j.add("x87");
    }
    if (mxcsr != 0) {
      j.add(String.format("MXCSR bits %#x", mxcsr));
    }
    for (long[] r : memory) {
      j.add(String.format("memory %#x+%d", r[0], r[1]));
    }
    String s = j.toString();
    return s.isEmpty() ? "nothing" : s;
  }
}
