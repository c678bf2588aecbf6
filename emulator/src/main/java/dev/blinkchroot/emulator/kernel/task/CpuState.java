package dev.blinkchroot.emulator.kernel.task;

import dev.blinkchroot.emulator.cpu.Cpu;

/** Copies a thread's whole register state: what clone(2) gives the child before it adjusts it. */
final class CpuState {
  private CpuState() {}

  /**
   * Makes {@code to} hold {@code from}'s registers: the general registers and RIP, RFLAGS, the
   * FS and GS bases, the SSE registers and MXCSR, and the x87/MMX state (through its 64-bit
   * FXSAVE image, which carries every register, the tags and the pointers).
   */
  static void copy(Cpu from, Cpu to) {
    System.arraycopy(from.gpr, 0, to.gpr, 0, from.gpr.length);
    to.rip = from.rip;
    to.flags.setRflags(from.rflags(), -1L);
    to.fsBase = from.fsBase;
    to.gsBase = from.gsBase;
    System.arraycopy(from.xmm, 0, to.xmm, 0, from.xmm.length);
    to.mxcsr = from.mxcsr;
    byte[] image = new byte[512];
    from.x87.encodeFxsave(image, 0);
    to.x87.decodeFxsave(image, 0);
  }
}
