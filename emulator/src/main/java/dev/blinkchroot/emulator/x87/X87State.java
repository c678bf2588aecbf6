package dev.blinkchroot.emulator.x87;

/**
 * The architectural x87 state of one guest thread (Intel SDM Vol. 1 §8.1): eight physical data
 * registers R0..R7, the register stack TOP, status, control and tag words, and the last
 * instruction/data pointers and opcode. It is also the floating-point environment the arithmetic
 * of {@link X87Arith}, {@link X87Convert} and {@link X87Transcendental} reads (precision and
 * rounding control) and writes (exception flags, C1).
 *
 * <p><b>Exception hook.</b> Operations only <em>record</em> exceptions: {@link #raise} sets the
 * flags, and when a flag is not masked by the control word it also sets ES and B. The interpreter
 * must then, per SDM §8.6, (1) not commit the result when {@link #unmaskedPending()} reports IE,
 * DE or ZE (the destination is left unchanged; every method here still returns the masked
 * response so it can be inspected), and (2) raise SIGFPE (si_code from the flag) before the next
 * waiting x87/FWAIT instruction, as the hardware delivers #MF there. FNINIT/FNCLEX clear it.
 * Overflow/underflow with the exception unmasked would, on hardware, store a result with a biased
 * exponent (±24576); this implementation leaves the masked response (Linux programs that unmask
 * them rely on the signal, not on the biased value).
 *
 * <p>Registers are kept by physical number; ST(i) is R((TOP+i) mod 8). The tag word is kept as
 * the full 16-bit form; FXSAVE's abridged byte is derived from it.
 */
public final class X87State {
  // Status word bits (SDM Figure 8-4).
  public static final int IE = 0x0001;
  public static final int DE = 0x0002;
  public static final int ZE = 0x0004;
  public static final int OE = 0x0008;
  public static final int UE = 0x0010;
  public static final int PE = 0x0020;
  public static final int SF = 0x0040;
  public static final int ES = 0x0080;
  public static final int C0 = 0x0100;
  public static final int C1 = 0x0200;
  public static final int C2 = 0x0400;
  public static final int C3 = 0x4000;
  public static final int B = 0x8000;
  public static final int TOP_MASK = 0x3800;
  /** All six exception flags (and the six mask bits of the control word). */
  public static final int EXCEPTIONS = 0x3f;

  // Control word fields (SDM Figure 8-6).
  public static final int CW_DEFAULT = 0x037f;
  public static final int RC_NEAREST = 0;
  public static final int RC_DOWN = 1;
  public static final int RC_UP = 2;
  public static final int RC_ZERO = 3;

  // Tag values (SDM Figure 8-7).
  public static final int TAG_VALID = 0;
  public static final int TAG_ZERO = 1;
  public static final int TAG_SPECIAL = 2;
  public static final int TAG_EMPTY = 3;

  private final F80[] regs = new F80[8];
  int cw = CW_DEFAULT;
  /** Status word, with TOP kept separately in {@link #top} and merged on read. */
  int sw;
  private int top;
  /** Full 16-bit tag word, two bits per physical register. */
  private int tags = 0xffff;
  /** Last instruction pointer (offset), its selector, last data pointer and selector, opcode. */
  public long fip;
  public int fcs;
  public long fdp;
  public int fds;
  /** The 11-bit last opcode. */
  public int fop;

  public X87State() {
    finit();
  }

  /** FNINIT: control 0x037F, status 0, all tags empty, pointers and opcode 0 (SDM FINIT). */
  public void finit() {
    cw = CW_DEFAULT;
    sw = 0;
    top = 0;
    tags = 0xffff;
    for (int i = 0; i < 8; i++) {
      regs[i] = F80.POS_ZERO;
    }
    fip = fdp = 0;
    fcs = fds = 0;
    fop = 0;
  }

  /** FNCLEX: clears the exception flags, SF, ES and B; C0..C3 and TOP are unchanged. */
  public void fclex() {
    sw &= ~(EXCEPTIONS | SF | ES | B);
  }

  // ---- words --------------------------------------------------------------------------------

  public int controlWord() {
    return cw;
  }

  /** FLDCW. Setting a control word that unmasks a pending flag sets ES/B (SDM §8.6). */
  public void setControlWord(int value) {
    cw = value & 0x1f7f | 0x40; // bit 6 reads as 1 on every processor since the 387
    updateSummary();
  }

  /** FNSTSW: the status word with TOP merged in. */
  public int statusWord() {
    return sw & ~TOP_MASK | top << 11;
  }

  public void setStatusWord(int value) {
    top = value >>> 11 & 7;
    sw = value & ~TOP_MASK & 0xffff;
    updateSummary();
  }

  /** Precision control in significand bits: 24, 53 or 64 (the reserved encoding acts as 64). */
  public int precision() {
    switch (cw >>> 8 & 3) {
      case 0:
        return 24;
      case 2:
        return 53;
      default:
        return 64;
    }
  }

  /** Rounding control, one of {@link #RC_NEAREST} .. {@link #RC_ZERO}. */
  public int roundingControl() {
    return cw >>> 10 & 3;
  }

  /**
   * Records exception flags (bits 0..6 of the status word); unmasked ones also set ES and B.
   * See the class comment for what the interpreter does next.
   */
  public void raise(int flags) {
    sw |= flags & (EXCEPTIONS | SF);
    updateSummary();
  }

  private void updateSummary() {
    if ((sw & ~cw & EXCEPTIONS) != 0) {
      sw |= ES | B;
    } else {
      sw &= ~(ES | B);
    }
  }

  /** The unmasked exception flags now set: non-zero means the instruction faults (#MF). */
  public int unmaskedPending() {
    return sw & ~cw & EXCEPTIONS;
  }

  /** Sets or clears one condition code bit ({@link #C0}, {@link #C1}, {@link #C2}, {@link #C3}). */
  public void setCondition(int bit, boolean value) {
    if (value) {
      sw |= bit;
    } else {
      sw &= ~bit;
    }
  }

  /** Sets C3, C2, C1 and C0 together from the given bits (others ignored). */
  public void setConditions(int bits) {
    sw = sw & ~(C0 | C1 | C2 | C3) | bits & (C0 | C1 | C2 | C3);
  }

  // ---- stack ----------------------------------------------------------------------------------

  public int top() {
    return top;
  }

  public void setTop(int value) {
    top = value & 7;
  }

  /** The tag of physical register {@code phys} as kept (not recomputed). */
  public int tag(int phys) {
    return tags >>> (2 * phys) & 3;
  }

  public boolean isEmpty(int i) {
    return tag((top + i) & 7) == TAG_EMPTY;
  }

  /** ST(i); the caller checks {@link #isEmpty} first (or uses {@link #readOrUnderflow}). */
  public F80 st(int i) {
    return regs[(top + i) & 7];
  }

  /** Writes ST(i) and retags it from the value. */
  public void setSt(int i, F80 v) {
    int phys = (top + i) & 7;
    regs[phys] = v;
    setTag(phys, tagOf(v));
  }

  /** Physical register R{@code phys} (FNSAVE order is ST order; FXSAVE too). */
  public F80 physical(int phys) {
    return regs[phys & 7];
  }

  private void setTag(int phys, int tag) {
    tags = tags & ~(3 << 2 * phys) | tag << 2 * phys;
  }

  /** FFREE: marks ST(i) empty. */
  public void free(int i) {
    setTag((top + i) & 7, TAG_EMPTY);
  }

  /**
   * ST(i) for reading; when it is empty, signals stack underflow (IE, SF, C1 = 0, SDM §8.5.1.1)
   * and returns the real indefinite, the masked response.
   */
  public F80 readOrUnderflow(int i) {
    if (isEmpty(i)) {
      sw &= ~C1;
      raise(IE | SF);
      return F80.INDEFINITE;
    }
    return st(i);
  }

  /**
   * Pushes {@code v}. If the new ST(0) is not empty this is a stack overflow: IE, SF and C1 = 1,
   * and (masked) the real indefinite is pushed instead. Returns false on overflow.
   */
  public boolean push(F80 v) {
    int newTop = (top - 1) & 7;
    boolean ok = tag(newTop) == TAG_EMPTY;
    if (!ok) {
      sw |= C1;
      raise(IE | SF);
      if ((cw & IE) == 0) {
        return false; // unmasked: nothing changes, the instruction faults
      }
      v = F80.INDEFINITE;
    }
    top = newTop;
    regs[newTop] = v;
    setTag(newTop, tagOf(v));
    return ok;
  }

  /** Pops ST(0): marks it empty and increments TOP (no underflow check: FSTP etc. read first). */
  public void pop() {
    setTag(top, TAG_EMPTY);
    top = (top + 1) & 7;
  }

  /** The tag that FNSTENV/FNSAVE report for a value in a non-empty register (SDM §8.1.7). */
  static int tagOf(F80 v) {
    switch (v.kind()) {
      case NORMAL:
        return TAG_VALID;
      case ZERO:
        return TAG_ZERO;
      default:
        return TAG_SPECIAL; // NaN, infinity, denormal, pseudo-denormal, unsupported
    }
  }

  /** FNSTENV/FNSAVE tag word: the stored tags with non-empty ones recomputed from contents. */
  public int tagWord() {
    int w = 0;
    for (int phys = 0; phys < 8; phys++) {
      int t = tag(phys);
      if (t != TAG_EMPTY) {
        t = tagOf(regs[phys]);
      }
      w |= t << 2 * phys;
    }
    return w;
  }

  /**
   * FLDENV/FRSTOR: empty tags are honoured, every other tag is recomputed from the register
   * contents (SDM FLDENV: "the processor ... tags ... are determined by the contents").
   */
  public void setTagWord(int w) {
    for (int phys = 0; phys < 8; phys++) {
      setTag(phys, (w >>> 2 * phys & 3) == TAG_EMPTY ? TAG_EMPTY : tagOf(regs[phys]));
    }
  }

  /** FXSAVE abridged tag byte: bit i = 1 when R(i) is not empty (SDM Vol. 1 §10.5.1.1). */
  public int abridgedTagWord() {
    int b = 0;
    for (int phys = 0; phys < 8; phys++) {
      if (tag(phys) != TAG_EMPTY) {
        b |= 1 << phys;
      }
    }
    return b;
  }

  /** FXRSTOR: abridged tags, non-empty ones recomputed from the register contents. */
  public void setAbridgedTagWord(int b) {
    int w = 0;
    for (int phys = 0; phys < 8; phys++) {
      w |= ((b >>> phys & 1) != 0 ? TAG_VALID : TAG_EMPTY) << 2 * phys;
    }
    setTagWord(w);
  }

  /** Writes physical register R(phys) as FRSTOR/FXRSTOR do (tags are set separately). */
  public void setPhysical(int phys, F80 v) {
    regs[phys & 7] = v;
  }

  // ---- memory images --------------------------------------------------------------------------
  // Layouts: SDM Vol. 1 Figure 8-10 (32-bit protected mode environment, used in 64-bit mode by
  // FNSTENV/FLDENV without REX.W), Figure 8-11 (FNSAVE), Table 10-2 (FXSAVE legacy area).

  /** The 28-byte FNSTENV image (32-bit protected-mode format). */
  public byte[] encodeEnv() {
    byte[] b = new byte[28];
    writeEnv(b, 0);
    return b;
  }

  private void writeEnv(byte[] b, int off) {
    put32(b, off, 0xffff0000 | cw);
    put32(b, off + 4, 0xffff0000 | statusWord());
    put32(b, off + 8, 0xffff0000 | tagWord());
    put32(b, off + 12, (int) fip);
    put32(b, off + 16, fop << 16 | fcs & 0xffff); // bits 26..16: opcode, 15..0: CS
    put32(b, off + 20, (int) fdp);
    put32(b, off + 24, 0xffff0000 | fds);
  }

  /** FLDENV from a 28-byte image. */
  public void decodeEnv(byte[] b, int off) {
    int newCw = get32(b, off) & 0xffff;
    int newSw = get32(b, off + 4) & 0xffff;
    int newTags = get32(b, off + 8) & 0xffff;
    fip = get32(b, off + 12) & 0xffffffffL;
    int w = get32(b, off + 16);
    fcs = w & 0xffff;
    fop = w >>> 16 & 0x7ff;
    fdp = get32(b, off + 20) & 0xffffffffL;
    fds = get32(b, off + 24) & 0xffff;
    cw = newCw & 0x1f7f | 0x40;
    setStatusWord(newSw);
    setTagWord(newTags);
  }

  /** The 108-byte FNSAVE image: environment, then ST(0)..ST(7). Does not FNINIT (caller does). */
  public byte[] encodeSave() {
    byte[] b = new byte[108];
    writeEnv(b, 0);
    for (int i = 0; i < 8; i++) {
      st(i).toBytes(b, 28 + 10 * i);
    }
    return b;
  }

  /** FRSTOR from a 108-byte image. */
  public void decodeSave(byte[] b, int off) {
    // The registers go in first so the tag word can be recomputed from them.
    int newTop = get32(b, off + 4) >>> 11 & 7;
    for (int i = 0; i < 8; i++) {
      regs[(newTop + i) & 7] = F80.fromBytes(b, off + 28 + 10 * i);
    }
    decodeEnv(b, off);
  }

  /**
   * Writes the x87 part of the 512-byte FXSAVE area (64-bit format, REX.W: 64-bit FIP and FDP)
   * into {@code area} at {@code off}: FCW, FSW, abridged FTW, FOP, FIP, FDP, ST0..ST7 in 16-byte
   * slots (bytes 10..15 of each slot zero). MXCSR and the XMM registers belong to the caller.
   */
  public void encodeFxsave(byte[] area, int off) {
    put16(area, off, cw);
    put16(area, off + 2, statusWord());
    area[off + 4] = (byte) abridgedTagWord();
    area[off + 5] = 0;
    put16(area, off + 6, fop);
    put64(area, off + 8, fip);
    put64(area, off + 16, fdp);
    for (int i = 0; i < 8; i++) {
      int slot = off + 32 + 16 * i;
      st(i).toBytes(area, slot);
      for (int j = 10; j < 16; j++) {
        area[slot + j] = 0;
      }
    }
  }

  /** FXRSTOR of the x87 part of a 512-byte area at {@code off}. */
  public void decodeFxsave(byte[] area, int off) {
    int newSw = get16(area, off + 2);
    int newTop = newSw >>> 11 & 7;
    for (int i = 0; i < 8; i++) {
      regs[(newTop + i) & 7] = F80.fromBytes(area, off + 32 + 16 * i);
    }
    cw = get16(area, off) & 0x1f7f | 0x40;
    setStatusWord(newSw);
    fop = get16(area, off + 6) & 0x7ff;
    fip = get64(area, off + 8);
    fdp = get64(area, off + 16);
    setAbridgedTagWord(area[off + 4] & 0xff);
  }

  // Little-endian helpers (guest memory order).
  private static void put16(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
  }

  private static void put32(byte[] b, int off, int v) {
    put16(b, off, v);
    put16(b, off + 2, v >>> 16);
  }

  private static void put64(byte[] b, int off, long v) {
    put32(b, off, (int) v);
    put32(b, off + 4, (int) (v >>> 32));
  }

  private static int get16(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
  }

  private static int get32(byte[] b, int off) {
    return get16(b, off) | get16(b, off + 2) << 16;
  }

  private static long get64(byte[] b, int off) {
    return (get32(b, off) & 0xffffffffL) | (long) get32(b, off + 4) << 32;
  }
}
