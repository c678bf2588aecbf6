package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.emulator.x87.F80;
import dev.blinkchroot.emulator.x87.X87State;

/**
 * The architectural state of one guest thread in 64-bit user mode: the general registers, RIP,
 * RFLAGS (lazily evaluated, {@link Flags}), the SSE registers and MXCSR, the x87/MMX state, and
 * the FS and GS bases. The semantics classes ({@link Alu}, the executors) read and write it
 * directly; it has no behaviour of its own beyond x86's register-width rules.
 */
public final class Cpu {
  // General registers in encoding order (ModRM.reg / rm with REX extension).
  public static final int RAX = 0;
  public static final int RCX = 1;
  public static final int RDX = 2;
  public static final int RBX = 3;
  public static final int RSP = 4;
  public static final int RBP = 5;
  public static final int RSI = 6;
  public static final int RDI = 7;
  public static final int R8 = 8;
  public static final int R9 = 9;
  public static final int R10 = 10;
  public static final int R11 = 11;
  public static final int R12 = 12;
  public static final int R13 = 13;
  public static final int R14 = 14;
  public static final int R15 = 15;

  /** MXCSR after reset and as Linux starts a process: all exceptions masked, round to nearest. */
  public static final int MXCSR_DEFAULT = 0x1f80;

  public final long[] gpr = new long[16];
  public long rip;
  public final Flags flags = new Flags();
  /** XMM0-15: register i is {@code xmm[2*i]} (bits 63..0) and {@code xmm[2*i+1]} (127..64). */
  public final long[] xmm = new long[32];
  public int mxcsr = MXCSR_DEFAULT;
  public final X87State x87 = new X87State();
  public long fsBase;
  public long gsBase;
  /** The address space; exec replaces it. */
  public GuestMemory memory;
  /**
   * Set by another thread (a signal to deliver, a stop request) to make this thread's run loop
   * return at the next block boundary or loop back-edge, with the state exact at an instruction
   * boundary. Volatile so that a compiled guest loop sees it without a lock.
   */
  private volatile boolean interruptPending;

  public Cpu(GuestMemory memory) {
    this.memory = memory;
  }

  /**
   * Register {@code r} read at {@code size} bytes (1, 2, 4, 8), zero-extended. An 8-bit read
   * names the low byte (AL..R15B, SPL/BPL/SIL/DIL); AH..BH are read with {@link #readHigh8}.
   */
  public long read(int r, int size) {
    long v = gpr[r];
    switch (size) {
      case 1: return v & 0xff;
      case 2: return v & 0xffff;
      case 4: return v & 0xffffffffL;
      default: return v;
    }
  }

  /**
   * Writes register {@code r} at {@code size} bytes with x86-64's rule: a 32-bit write zeroes
   * bits 63..32, 8- and 16-bit writes keep the bits above them (SDM Vol. 1, 3.4.1.1).
   */
  public void write(int r, int size, long value) {
    switch (size) {
      case 1:
        gpr[r] = (gpr[r] & ~0xffL) | (value & 0xff);
        break;
      case 2:
        gpr[r] = (gpr[r] & ~0xffffL) | (value & 0xffff);
        break;
      case 4:
        gpr[r] = value & 0xffffffffL;
        break;
      default:
        gpr[r] = value;
    }
  }

  /** AH, CH, DH or BH: bits 15..8 of register {@code r} (0-3). */
  public long readHigh8(int r) {
    return (gpr[r] >>> 8) & 0xff;
  }

  public void writeHigh8(int r, long value) {
    gpr[r] = (gpr[r] & ~0xff00L) | ((value & 0xff) << 8);
  }

  /** MMX register {@code i}: the significand of x87 physical register {@code i} (SDM Vol. 1, 9.5). */
  public long mmx(int i) {
    return x87.physical(i).significand();
  }

  /**
   * Writes MMX register {@code i}: the significand takes the value, the exponent field becomes
   * all ones, TOP becomes 0 and every tag valid, as any MMX instruction leaves the x87 state.
   */
  public void setMmx(int i, long value) {
    enterMmxMode();
    x87.setPhysical(i, F80.of(0xffff, value));
  }

  /** What every MMX instruction does to the x87 state: TOP = 0, all registers tagged valid. */
  public void enterMmxMode() {
    x87.setTop(0);
    x87.setTagWord(0);
  }

  /** Asks the thread running this CPU to stop at the next block boundary or back-edge. */
  public void requestInterrupt() {
    interruptPending = true;
  }

  public boolean interruptPending() {
    return interruptPending;
  }

  /** The request has been seen (the kernel delivered what it was for). */
  public void clearInterrupt() {
    interruptPending = false;
  }

  /** The RFLAGS value (PUSHF, the signal frame). */
  public long rflags() {
    return flags.rflags();
  }
}
