package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.sse.Mxcsr;
import dev.blinkchroot.emulator.x87.X87State;

/**
 * The x87/SSE state images: FNSTENV/FLDENV (28 bytes, or the 14-byte 16-bit format under a 66
 * prefix), FNSAVE/FRSTOR (108 or 94 bytes), FXSAVE/FXRSTOR (512 bytes, SDM Vol. 1 Table 10-2;
 * the 64-bit FIP/FDP layout with REX.W), XSAVE/XSAVEC and XRSTOR (standard and compacted
 * forms) restricted to the components XCR0 enables here, x87 (bit 0) and SSE (bit 1) (SDM
 * Vol. 1 ch. 13).
 *
 * <p>Images are built in a byte array and written with one {@code writeBytes}, so a page fault
 * leaves the guest state as it was, and a faulting restore reads everything before it changes
 * anything.
 */
final class X87StateExec {
  private X87StateExec() {}

  /** MXCSR_MASK in FXSAVE images: the MXCSR bits LDMXCSR accepts (one definition, in Mxcsr). */
  static final int MXCSR_MASK = Mxcsr.WRITABLE;

  private static final int FXSAVE_SIZE = 512;
  /** FXSAVE/FXRSTOR touch bytes 0..415 (x87, MXCSR, XMM0-15); 416..511 are left alone. */
  private static final int FXSAVE_WRITTEN = 416;
  private static final int XSAVE_HEADER = 512;
  private static final int XSTATE_X87 = 1;
  private static final int XSTATE_SSE = 2;
  /** XCOMP_BV bit 63: the image is in the compacted format. */
  private static final long COMPACTED = 1L << 63;

  static boolean execute(Cpu cpu, Insn insn) {
    switch (insn.op) {
      case FXSAVE:
        fxsave(cpu, insn);
        return true;
      case FXRSTOR:
        fxrstor(cpu, insn);
        return true;
      case XSAVE:
        xsave(cpu, insn);
        return true;
      case XSAVEC:
        xsavec(cpu, insn);
        return true;
      case XRSTOR:
        xrstor(cpu, insn);
        return true;
      default:
        // XSAVEOPT, XSAVES, XRSTORS: CPUID leaf 0xD sub-leaf 1 reports none of them.
        throw CpuTrap.of(CpuTrap.Kind.INVALID_OPCODE, "not advertised by CPUID: "
            + insn.describe());
    }
  }

  private static boolean operand16(Insn insn) {
    return (insn.prefixes & Insn.P_OPSIZE) != 0;
  }

  // ---- FNSTENV / FLDENV / FNSAVE / FRSTOR ----------------------------------------------------

  /**
   * FNSTENV: stores the environment, then masks every exception (SDM FSTENV), which also
   * clears ES and B in the status word the library keeps.
   */
  static void fnstenv(Cpu cpu, Insn insn) {
    X87State x = cpu.x87;
    byte[] env = x.encodeEnv();
    byte[] image = operand16(insn) ? env16(env) : env;
    cpu.memory.writeBytes(OperandAccess.effectiveAddress(cpu, insn), image, 0, image.length);
    x.setControlWord(x.controlWord() | X87State.EXCEPTIONS);
  }

  static void fldenv(Cpu cpu, Insn insn) {
    long ea = OperandAccess.effectiveAddress(cpu, insn);
    byte[] env;
    if (operand16(insn)) {
      byte[] b = new byte[14];
      cpu.memory.readBytes(ea, b, 0, 14);
      env = env32(b);
    } else {
      env = new byte[28];
      cpu.memory.readBytes(ea, env, 0, 28);
    }
    cpu.x87.decodeEnv(env, 0);
  }

  /** FNSAVE: the environment and ST(0)..ST(7), then FNINIT. */
  static void fnsave(Cpu cpu, Insn insn) {
    X87State x = cpu.x87;
    byte[] save = x.encodeSave();
    byte[] image = save;
    if (operand16(insn)) {
      image = new byte[94];
      System.arraycopy(env16(save), 0, image, 0, 14);
      System.arraycopy(save, 28, image, 14, 80);
    }
    cpu.memory.writeBytes(OperandAccess.effectiveAddress(cpu, insn), image, 0, image.length);
    X87Exec.fninit(x); // the registers keep their contents, as FNINIT leaves them
  }

  static void frstor(Cpu cpu, Insn insn) {
    long ea = OperandAccess.effectiveAddress(cpu, insn);
    byte[] save = new byte[108];
    if (operand16(insn)) {
      byte[] b = new byte[94];
      cpu.memory.readBytes(ea, b, 0, 94);
      System.arraycopy(env32(b), 0, save, 0, 28);
      System.arraycopy(b, 14, save, 28, 80);
    } else {
      cpu.memory.readBytes(ea, save, 0, 108);
    }
    cpu.x87.decodeSave(save, 0);
  }

  /**
   * The 14-byte 16-bit protected-mode environment (SDM Vol. 1 Figure 8-12) from the 28-byte
   * one: the low word of each field; the opcode is not part of it.
   */
  private static byte[] env16(byte[] env32) {
    byte[] b = new byte[14];
    for (int i = 0; i < 7; i++) {
      b[2 * i] = env32[4 * i];
      b[2 * i + 1] = env32[4 * i + 1];
    }
    // Field 4 of the 32-bit format holds FOP in its upper half and FCS in its lower: keep FCS.
    return b;
  }

  private static byte[] env32(byte[] env16) {
    byte[] b = new byte[28];
    for (int i = 0; i < 7; i++) {
      b[4 * i] = env16[2 * i];
      b[4 * i + 1] = env16[2 * i + 1];
    }
    return b;
  }

  // ---- FXSAVE / FXRSTOR ----------------------------------------------------------------------

  /** #GP unless the operand is aligned (FXSAVE: 16 bytes, XSAVE: 64). */
  private static long alignedOperand(Cpu cpu, Insn insn, int alignment) {
    long ea = OperandAccess.effectiveAddress(cpu, insn);
    if ((ea & (alignment - 1)) != 0) {
      throw new CpuTrap(CpuTrap.Kind.GENERAL_PROTECTION, 0,
          insn.mnemonic + " operand not " + alignment + "-byte aligned");
    }
    return ea;
  }

  /**
   * The legacy region as FXSAVE lays it out: the x87 part (64-bit FIP/FDP with REX.W, else the
   * 32-bit offsets with FCS/FDS beside them), MXCSR, MXCSR_MASK and XMM0-15.
   */
  static byte[] legacyArea(Cpu cpu, boolean rexW) {
    byte[] area = new byte[FXSAVE_SIZE];
    X87State x = cpu.x87;
    x.encodeFxsave(area, 0);
    if (!rexW) {
      putInt(area, 12, x.fcs & 0xffff);
      putInt(area, 20, x.fds & 0xffff);
    }
    putInt(area, 24, cpu.mxcsr);
    putInt(area, 28, MXCSR_MASK);
    for (int i = 0; i < 32; i++) {
      putLong(area, 160 + 8 * i, cpu.xmm[i]);
    }
    return area;
  }

  private static boolean rexW(Insn insn) {
    return (insn.rex & 8) != 0;
  }

  private static void fxsave(Cpu cpu, Insn insn) {
    long ea = alignedOperand(cpu, insn, 16);
    byte[] area = legacyArea(cpu, rexW(insn));
    cpu.memory.writeBytes(ea, area, 0, FXSAVE_WRITTEN);
  }

  private static void fxrstor(Cpu cpu, Insn insn) {
    long ea = alignedOperand(cpu, insn, 16);
    byte[] area = new byte[FXSAVE_SIZE];
    cpu.memory.readBytes(ea, area, 0, FXSAVE_WRITTEN);
    int mxcsr = getInt(area, 24);
    if (!Mxcsr.isLoadable(mxcsr & 0xffffffffL)) {
      throw new CpuTrap(CpuTrap.Kind.GENERAL_PROTECTION, 0, "fxrstor: reserved MXCSR bits");
    }
    loadX87(cpu.x87, area, rexW(insn));
    cpu.mxcsr = mxcsr;
    for (int i = 0; i < 32; i++) {
      cpu.xmm[i] = getLong(area, 160 + 8 * i);
    }
  }

  static void loadX87(X87State x, byte[] area, boolean rexW) {
    x.decodeFxsave(area, 0);
    if (!rexW) {
      x.fip = getInt(area, 8) & 0xffffffffL;
      x.fcs = getInt(area, 12) & 0xffff;
      x.fdp = getInt(area, 16) & 0xffffffffL;
      x.fds = getInt(area, 20) & 0xffff;
    }
  }

  // ---- XSAVE / XRSTOR ------------------------------------------------------------------------

  /** The requested-feature bitmap: EDX:EAX restricted to XCR0. */
  private static long rfbm(Cpu cpu) {
    return ((cpu.gpr[Cpu.RDX] & 0xffffffffL) << 32 | cpu.gpr[Cpu.RAX] & 0xffffffffL)
        & Cpuid.XCR0;
  }

  /**
   * XINUSE (SDM Vol. 1 §13.6), as the emulated model reports it: x87 and SSE always in use.
   * The SDM lets a processor report a component in use when it is in its initial
   * configuration, and the recorded CPU does so for both right after FNINIT with zero XMM
   * registers, so XSAVE never takes the init optimization here.
   */
  private static long xinuse() {
    return XSTATE_X87 | XSTATE_SSE;
  }

  /** The requested components' parts of the legacy region (MXCSR goes with SSE). */
  private static void saveLegacy(Cpu cpu, Insn insn, long ea, long rfbm) {
    byte[] area = legacyArea(cpu, rexW(insn));
    if ((rfbm & XSTATE_X87) != 0) {
      cpu.memory.writeBytes(ea, area, 0, 24);
      cpu.memory.writeBytes(ea + 32, area, 32, 128);
    }
    if ((rfbm & XSTATE_SSE) != 0) {
      cpu.memory.writeBytes(ea + 24, area, 24, 8);
      cpu.memory.writeBytes(ea + 160, area, 160, 256);
    }
  }

  /**
   * XSAVE (standard form): for each requested component its part of the legacy region, and in
   * the header XSTATE_BV bits of the requested components become XINUSE; other header bytes
   * are not written.
   */
  private static void xsave(Cpu cpu, Insn insn) {
    long ea = alignedOperand(cpu, insn, 64);
    long rfbm = rfbm(cpu);
    long bv = cpu.memory.read64(ea + XSAVE_HEADER);
    saveLegacy(cpu, insn, ea, rfbm);
    cpu.memory.write64(ea + XSAVE_HEADER, bv & ~rfbm | xinuse() & rfbm);
  }

  /**
   * XSAVEC (compacted form, SDM Vol. 1 §13.10): components in use among the requested ones are
   * saved (x87 and SSE keep their legacy-region places in the compacted layout), XSTATE_BV
   * becomes RFBM & XINUSE and XCOMP_BV bit 63 | RFBM; header bytes 16-63 are not written.
   */
  private static void xsavec(Cpu cpu, Insn insn) {
    long ea = alignedOperand(cpu, insn, 64);
    long rfbm = rfbm(cpu);
    long inUse = rfbm & xinuse();
    saveLegacy(cpu, insn, ea, inUse);
    cpu.memory.write64(ea + XSAVE_HEADER, inUse);
    cpu.memory.write64(ea + XSAVE_HEADER + 8, COMPACTED | rfbm);
  }

  /**
   * XRSTOR: #GP for an invalid header or reserved MXCSR bits; then each requested component is
   * loaded when its XSTATE_BV bit is set and initialised otherwise. The standard form needs
   * XSTATE_BV within XCR0 and a zero XCOMP_BV and bytes 16-23; the compacted form (XCOMP_BV bit
   * 63) needs XCOMP_BV within XCR0, XSTATE_BV within XCOMP_BV and bytes 16-63 zero. MXCSR is
   * loaded with the SSE component whatever XSTATE_BV says (standard form), or only when the
   * component is loaded (compacted form, where an initialised SSE component gets MXCSR 1F80H).
   */
  private static void xrstor(Cpu cpu, Insn insn) {
    long ea = alignedOperand(cpu, insn, 64);
    long rfbm = rfbm(cpu);
    long bv = cpu.memory.read64(ea + XSAVE_HEADER);
    long compBv = cpu.memory.read64(ea + XSAVE_HEADER + 8);
    boolean compacted = compBv < 0;
    boolean valid;
    if (compacted) {
      long comp = compBv & ~COMPACTED;
      valid = (comp & ~Cpuid.XCR0) == 0 && (bv & ~comp) == 0;
      for (int off = 16; valid && off < 64; off += 8) {
        valid = cpu.memory.read64(ea + XSAVE_HEADER + off) == 0;
      }
    } else {
      valid = (bv & ~Cpuid.XCR0) == 0 && compBv == 0
          && cpu.memory.read64(ea + XSAVE_HEADER + 16) == 0;
    }
    if (!valid) {
      throw new CpuTrap(CpuTrap.Kind.GENERAL_PROTECTION, 0, "xrstor: invalid XSAVE header");
    }
    byte[] area = new byte[FXSAVE_SIZE];
    cpu.memory.readBytes(ea, area, 0, FXSAVE_WRITTEN);
    int mxcsr = getInt(area, 24);
    boolean loadsMxcsr = (rfbm & XSTATE_SSE) != 0 && (!compacted || (bv & XSTATE_SSE) != 0);
    if (loadsMxcsr && !Mxcsr.isLoadable(mxcsr & 0xffffffffL)) {
      throw new CpuTrap(CpuTrap.Kind.GENERAL_PROTECTION, 0, "xrstor: reserved MXCSR bits");
    }
    if ((rfbm & XSTATE_X87) != 0) {
      if ((bv & XSTATE_X87) != 0) {
        loadX87(cpu.x87, area, rexW(insn));
      } else {
        initX87(cpu.x87);
      }
    }
    if ((rfbm & XSTATE_SSE) != 0) {
      cpu.mxcsr = loadsMxcsr ? mxcsr : Mxcsr.DEFAULT;
      for (int i = 0; i < 32; i++) {
        cpu.xmm[i] = (bv & XSTATE_SSE) != 0 ? getLong(area, 160 + 8 * i) : 0;
      }
    }
  }

  /** The x87 component's initial configuration: FNINIT plus zeroed data registers. */
  static void initX87(X87State x) {
    x.finit(); // unlike FNINIT the initial configuration has R0..R7 zero, as finit leaves them
  }

  // ---- little-endian helpers -----------------------------------------------------------------

  private static void putInt(byte[] b, int off, int v) {
    for (int i = 0; i < 4; i++) {
      b[off + i] = (byte) (v >>> 8 * i);
    }
  }

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (v >>> 8 * i);
    }
  }

  private static int getInt(byte[] b, int off) {
    int v = 0;
    for (int i = 3; i >= 0; i--) {
      v = v << 8 | b[off + i] & 0xff;
    }
    return v;
  }

  private static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = v << 8 | b[off + i] & 0xff;
    }
    return v;
  }
}
