package dev.blinkchroot.emulator.difftest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The architectural state a differential test compares: the 16 GPRs, RFLAGS, MXCSR, the x87/MMX
 * part of the FXSAVE image, XMM0-15 and the data region. Mutable; {@link #copy()} is deep.
 *
 * <h2>Layout shared by the host runner and the emulator</h2>
 *
 * <pre>
 *   CODE_BASE  0x2000_0000  CODE_SIZE bytes  the snippet at CODE_BASE; a run completes when RIP
 *                                            reaches CODE_BASE + code.length
 *   DATA_BASE  0x1000_0000  DATA_SIZE bytes  read/write, not executable; RSP starts at STACK_TOP
 *   everything else: unmapped for the guest (a host access outside these faults, or reads
 *   harness memory, so tests point registers into the data region only)
 * </pre>
 *
 * <h2>The x87 image ({@link #FX_SIZE} bytes, FXSAVE64 layout)</h2>
 *
 * <pre>
 *   0 FCW(2)  2 FSW(2)  4 abridged FTW(1, bit i = physical register Ri valid)  5 reserved
 *   6 FOP(2)  8 FIP(8)  16 FDP(8)  24 MXCSR(4)  28 MXCSR_MASK(4)       (8..31 kept zero here)
 *   32 + 16*i  ST(i) in stack order: 8-byte significand, 2-byte sign+exponent, 6 reserved
 * </pre>
 *
 * MXCSR lives in its own field; bytes 8..31 of the image and the reserved bytes stay zero.
 */
public final class MachineState {
  public static final long DATA_BASE = 0x1000_0000L;
  public static final int DATA_SIZE = 8192;
  public static final long CODE_BASE = 0x2000_0000L;
  /** Size of the code region; a snippet may be at most {@code CODE_SIZE - 14} bytes. */
  public static final int CODE_SIZE = 16384;
  /** Initial RSP: 256 bytes below the end of the data region. */
  public static final long STACK_TOP = DATA_BASE + DATA_SIZE - 256;
  public static final int FX_SIZE = 160;
  public static final int DEFAULT_MXCSR = 0x1f80;
  public static final int DEFAULT_FCW = 0x037f;

  private final long[] gpr = new long[16];
  private long rflags;
  private int mxcsr;
  private final byte[] fx = new byte[FX_SIZE];
  private final long[] xmm = new long[32];
  private final byte[] data = new byte[DATA_SIZE];

  private MachineState() {}

  /**
   * The state after reset as a test sees it: all registers and memory zero, RSP = STACK_TOP,
   * RFLAGS = 0x202, MXCSR = 0x1F80, FCW = 0x037F, empty x87 stack.
   */
  public static MachineState initial() {
    MachineState s = new MachineState();
    s.gpr[Reg.RSP.ordinal()] = STACK_TOP;
    s.rflags = RFlags.FIXED;
    s.mxcsr = DEFAULT_MXCSR;
    s.setFcw(DEFAULT_FCW);
    return s;
  }

  /** A state with every field zero (RFLAGS too); for decoders that fill every field. */
  public static MachineState zeroed() {
    return new MachineState();
  }

  public MachineState copy() {
    MachineState s = new MachineState();
    System.arraycopy(gpr, 0, s.gpr, 0, 16);
    s.rflags = rflags;
    s.mxcsr = mxcsr;
    System.arraycopy(fx, 0, s.fx, 0, FX_SIZE);
    System.arraycopy(xmm, 0, s.xmm, 0, 32);
    System.arraycopy(data, 0, s.data, 0, DATA_SIZE);
    return s;
  }

  // ---- general-purpose registers and flags ---------------------------------------------------

  public long get(Reg r) {
    return gpr[r.ordinal()];
  }

  public MachineState set(Reg r, long value) {
    gpr[r.ordinal()] = value;
    return this;
  }

  /** Register {@code n} in encoding order (0 = RAX .. 15 = R15). */
  public long gpr(int n) {
    return gpr[n];
  }

  public MachineState setGpr(int n, long value) {
    gpr[n] = value;
    return this;
  }

  public long rflags() {
    return rflags;
  }

  public MachineState setRflags(long value) {
    rflags = value;
    return this;
  }

  /** Sets the {@link RFlags#SETTABLE} bits to {@code flags}, keeping the fixed bits. */
  public MachineState setFlags(long flags) {
    rflags = RFlags.FIXED | (flags & RFlags.SETTABLE);
    return this;
  }

  public int mxcsr() {
    return mxcsr;
  }

  public MachineState setMxcsr(int value) {
    mxcsr = value;
    return this;
  }

  // ---- XMM -----------------------------------------------------------------------------------

  public long xmmLo(int i) {
    return xmm[2 * i];
  }

  public long xmmHi(int i) {
    return xmm[2 * i + 1];
  }

  public MachineState setXmm(int i, long lo, long hi) {
    xmm[2 * i] = lo;
    xmm[2 * i + 1] = hi;
    return this;
  }

  // ---- x87 / MMX -----------------------------------------------------------------------------

  public int fcw() {
    return u16(fx, 0);
  }

  public MachineState setFcw(int v) {
    put16(fx, 0, v);
    return this;
  }

  public int fsw() {
    return u16(fx, 2);
  }

  public MachineState setFsw(int v) {
    put16(fx, 2, v);
    return this;
  }

  /** Abridged tag word: bit i set = physical register Ri holds a value. */
  public int ftw() {
    return fx[4] & 0xff;
  }

  public MachineState setFtw(int v) {
    fx[4] = (byte) v;
    return this;
  }

  /** Last x87 opcode (never compared, see {@link Undefined}). */
  public int fop() {
    return u16(fx, 6);
  }

  /** TOP, from FSW bits 11-13. */
  public int x87Top() {
    return fsw() >> 11 & 7;
  }

  /** Sign and 15-bit exponent of ST(i) (stack order). */
  public int stSignExp(int i) {
    return u16(fx, 32 + 16 * i + 8);
  }

  /** The 64-bit significand (explicit integer bit included) of ST(i); also MMX data. */
  public long stMantissa(int i) {
    return getLong(fx, 32 + 16 * i);
  }

  /** Writes ST(i) without touching TOP or the tags. */
  public MachineState setSt(int i, int signExp, long mantissa) {
    putLong(fx, 32 + 16 * i, mantissa);
    put16(fx, 32 + 16 * i + 8, signExp);
    return this;
  }

  /** Pushes an 80-bit value as FLD does: TOP-1, the new ST(0), its tag valid. */
  public MachineState pushX87(int signExp, long mantissa) {
    int top = (x87Top() - 1) & 7;
    setFsw(fsw() & ~(7 << 11) | top << 11);
    for (int i = 7; i > 0; i--) {
      System.arraycopy(fx, 32 + 16 * (i - 1), fx, 32 + 16 * i, 16);
    }
    setSt(0, signExp, mantissa);
    setFtw(ftw() | 1 << top);
    return this;
  }

  /** MMX register i (the significand of physical register Ri). */
  public long mmx(int i) {
    return stMantissa((i - x87Top()) & 7);
  }

  /** A copy of the 160-byte x87 image. */
  public byte[] fxImage() {
    return fx.clone();
  }

  /** Replaces the x87 image; bytes 8..31 and reserved bytes are cleared. */
  public MachineState setFxImage(byte[] image) {
    System.arraycopy(image, 0, fx, 0, FX_SIZE);
    normalizeFx();
    return this;
  }

  void normalizeFx() {
    fx[5] = 0;
    Arrays.fill(fx, 8, 32, (byte) 0);
    for (int i = 0; i < 8; i++) {
      Arrays.fill(fx, 32 + 16 * i + 10, 32 + 16 * i + 16, (byte) 0);
    }
  }

  byte[] fxLive() {
    return fx;
  }

  long[] gprLive() {
    return gpr;
  }

  long[] xmmLive() {
    return xmm;
  }

  // ---- data region ---------------------------------------------------------------------------

  /** The live data region: index 0 is guest address {@link #DATA_BASE}. */
  public byte[] data() {
    return data;
  }

  private int dataIndex(long guestAddr, int len) {
    long off = guestAddr - DATA_BASE;
    if (off < 0 || off + len > DATA_SIZE) {
      throw new IndexOutOfBoundsException(String.format(
          "guest address %#x+%d is outside the data region %#x+%d", guestAddr, len, DATA_BASE,
          DATA_SIZE));
    }
    return (int) off;
  }

  public long readLong(long guestAddr) {
    return getLong(data, dataIndex(guestAddr, 8));
  }

  public int readInt(long guestAddr) {
    int i = dataIndex(guestAddr, 4);
    return (data[i] & 0xff) | (data[i + 1] & 0xff) << 8
        | (data[i + 2] & 0xff) << 16 | (data[i + 3] & 0xff) << 24;
  }

  public int readByte(long guestAddr) {
    return data[dataIndex(guestAddr, 1)] & 0xff;
  }

  public MachineState writeLong(long guestAddr, long value) {
    putLong(data, dataIndex(guestAddr, 8), value);
    return this;
  }

  public MachineState write(long guestAddr, byte[] bytes) {
    System.arraycopy(bytes, 0, data, dataIndex(guestAddr, bytes.length), bytes.length);
    return this;
  }

  public byte[] read(long guestAddr, int len) {
    int i = dataIndex(guestAddr, len);
    return Arrays.copyOfRange(data, i, i + len);
  }

  // ---- comparison and printing -----------------------------------------------------------------

  /**
   * The fields in which this state ({@code leftName}) and {@code other} ({@code rightName})
   * differ, leaving out what {@code undefined} says, one readable line per field; empty when
   * they agree.
   */
  public List<String> differences(MachineState other, Undefined undefined, String leftName,
      String rightName) {
    List<String> out = new ArrayList<>();
    String l = leftName;
    String r = rightName;
    for (Reg reg : Reg.values()) {
      long a = get(reg);
      long b = other.get(reg);
      if (a != b && !undefined.ignores(reg)) {
        out.add(String.format("%s: %s=%s %s=%s", reg, l, hex64(a), r, hex64(b)));
      }
    }
    long fd = (rflags ^ other.rflags) & ~undefined.flagMask();
    if (fd != 0) {
      out.add(String.format("RFLAGS: %s=%#x [%s] %s=%#x [%s] (differ in %s)", l, rflags,
          RFlags.names(rflags), r, other.rflags, RFlags.names(other.rflags), RFlags.names(fd)));
    }
    int md = (mxcsr ^ other.mxcsr) & ~undefined.mxcsrMask();
    if (md != 0) {
      out.add(String.format("MXCSR: %s=%#x %s=%#x (differ in bits %#x)", l, mxcsr, r,
          other.mxcsr, md));
    }
    if (!undefined.ignoresX87()) {
      if (fcw() != other.fcw()) {
        out.add(String.format("FCW: %s=%#06x %s=%#06x", l, fcw(), r, other.fcw()));
      }
      if (fsw() != other.fsw()) {
        out.add(String.format("FSW: %s=%#06x (TOP=%d) %s=%#06x (TOP=%d)", l, fsw(), x87Top(), r,
            other.fsw(), other.x87Top()));
      }
      if (ftw() != other.ftw()) {
        out.add(String.format("FTW: %s=%#04x %s=%#04x", l, ftw(), r, other.ftw()));
      }
      for (int i = 0; i < 8; i++) {
        if (stSignExp(i) != other.stSignExp(i) || stMantissa(i) != other.stMantissa(i)) {
          out.add(String.format("ST%d: %s=%s %s=%s", i, l, st(i), r, other.st(i)));
        }
      }
    }
    for (int i = 0; i < 16; i++) {
      if ((xmmLo(i) != other.xmmLo(i) || xmmHi(i) != other.xmmHi(i)) && !undefined.ignoresXmm(i)) {
        out.add(String.format("XMM%d: %s=%s %s=%s", i, l, xmmText(i), r, other.xmmText(i)));
      }
    }
    memoryDifferences(other, undefined, l, r, out);
    return out;
  }

  /** {@link #differences(MachineState, Undefined, String, String)} with nothing left out. */
  public List<String> differences(MachineState other) {
    return differences(other, Undefined.NONE, "this", "other");
  }

  private void memoryDifferences(MachineState other, Undefined u, String l, String r,
      List<String> out) {
    int shown = 0;
    int ranges = 0;
    int i = 0;
    while (i < DATA_SIZE) {
      if (data[i] == other.data[i] || u.ignoresMemory(DATA_BASE + i)) {
        i++;
        continue;
      }
      int start = i;
      int end = i + 1; // exclusive; bridge gaps shorter than 8 bytes
      int j = end;
      while (j < DATA_SIZE && j - end < 8) {
        if (data[j] != other.data[j] && !u.ignoresMemory(DATA_BASE + j)) {
          end = j + 1;
        }
        j++;
      }
      ranges++;
      if (shown < 8) {
        int len = Math.min(end - start, 32);
        out.add(String.format("memory %#x..%#x (%d byte%s): %s=%s%s %s=%s%s", DATA_BASE + start,
            DATA_BASE + end - 1, end - start, end - start == 1 ? "" : "s", l, hexBytes(data, start, len),
            len < end - start ? "..." : "", r, hexBytes(other.data, start, len),
            len < end - start ? "..." : ""));
        shown++;
      }
      i = end;
    }
    if (ranges > shown) {
      out.add("memory: " + (ranges - shown) + " more differing ranges");
    }
  }

  String st(int i) {
    return String.format("%04x:%016x", stSignExp(i), stMantissa(i));
  }

  String xmmText(int i) {
    return String.format("%016x_%016x", xmmHi(i), xmmLo(i));
  }

  /** CRC-32 of the data region, for compact printing. */
  public long dataCrc() {
    CRC32 c = new CRC32();
    c.update(data);
    return c.getValue();
  }

  /** All registers; the data region as a checksum (and the 64 bytes around RSP). */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      sb.append(String.format("%-4s %s%s", Reg.of(i), hex64(gpr[i]), i % 4 == 3 ? "\n" : "  "));
    }
    sb.append(String.format("RFLAGS %#x [%s]  MXCSR %#x%n", rflags, RFlags.names(rflags), mxcsr));
    sb.append(String.format("FCW %#06x  FSW %#06x (TOP=%d)  FTW %#04x%n", fcw(), fsw(), x87Top(),
        ftw()));
    for (int i = 0; i < 8; i++) {
      sb.append(String.format("ST%d %s%s", i, st(i), i % 4 == 3 ? "\n" : "  "));
    }
    for (int i = 0; i < 16; i++) {
      sb.append(String.format("XMM%-2d %s%s", i, xmmText(i), i % 2 == 1 ? "\n" : "  "));
    }
    sb.append(String.format("data %#x+%d crc32=%08x", DATA_BASE, DATA_SIZE, dataCrc()));
    long rsp = get(Reg.RSP);
    if (rsp - DATA_BASE >= 32 && rsp - DATA_BASE + 32 <= DATA_SIZE) {
      int at = (int) (rsp - DATA_BASE);
      sb.append(String.format("%n[RSP-32..RSP) %s%n[RSP..RSP+32) %s", hexBytes(data, at - 32, 32),
          hexBytes(data, at, 32)));
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof MachineState)) {
      return false;
    }
    MachineState s = (MachineState) o;
    return rflags == s.rflags && mxcsr == s.mxcsr && Arrays.equals(gpr, s.gpr)
        && Arrays.equals(fx, s.fx) && Arrays.equals(xmm, s.xmm) && Arrays.equals(data, s.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(gpr) * 31 + Long.hashCode(rflags) + Arrays.hashCode(xmm)
        + Arrays.hashCode(fx) + Arrays.hashCode(data);
  }

  // ---- little-endian helpers -------------------------------------------------------------------

  static String hex64(long v) {
    return String.format("%016x", v);
  }

  static String hexBytes(byte[] b, int off, int len) {
    StringBuilder sb = new StringBuilder(len * 3);
    for (int i = 0; i < len; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(String.format("%02x", b[off + i] & 0xff));
    }
    return sb.toString();
  }

  static int u16(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
  }

  static void put16(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >> 8);
  }

  static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = v << 8 | (b[off + i] & 0xff);
    }
    return v;
  }

  static void putLong(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (v >>> 8 * i);
    }
  }
}
