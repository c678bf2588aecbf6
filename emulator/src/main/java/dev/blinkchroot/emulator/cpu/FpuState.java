package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.sse.Mxcsr;

/**
 * The x87, MMX and SSE state of a CPU as a 512-byte FXSAVE image in its 64-bit form (FXSAVE64:
 * 64-bit FPU instruction and data pointers), for the kernel: signal frames carry it, clone copies
 * it. The instructions themselves are in {@link X87StateExec}; this reuses their layout.
 */
public final class FpuState {
  /** The size of the legacy region (FXSAVE's image). */
  public static final int IMAGE_SIZE = 512;

  private FpuState() {}

  /** The CPU's state as FXSAVE64 would store it. */
  public static byte[] save(Cpu cpu) {
    return X87StateExec.legacyArea(cpu, true);
  }

  /**
   * Loads an FXSAVE64 image, as FXRSTOR64.
   *
   * @return false, loading nothing, if the image's MXCSR has reserved bits set (FXRSTOR's #GP)
   */
  public static boolean restore(Cpu cpu, byte[] image) {
    int mxcsr = (image[24] & 0xff) | (image[25] & 0xff) << 8 | (image[26] & 0xff) << 16
        | (image[27] & 0xff) << 24;
    if (!Mxcsr.isLoadable(mxcsr & 0xffffffffL)) {
      return false;
    }
    X87StateExec.loadX87(cpu.x87, image, true);
    cpu.mxcsr = mxcsr;
    for (int i = 0; i < cpu.xmm.length; i++) {
      long v = 0;
      for (int b = 7; b >= 0; b--) {
        v = v << 8 | (image[160 + 8 * i + b] & 0xff);
      }
      cpu.xmm[i] = v;
    }
    return true;
  }

  /** The initial state (what XRSTOR of an empty XSTATE_BV gives): FINIT, MXCSR 1F80H, XMM 0. */
  public static void init(Cpu cpu) {
    X87StateExec.initX87(cpu.x87);
    cpu.mxcsr = Cpu.MXCSR_DEFAULT;
    java.util.Arrays.fill(cpu.xmm, 0);
  }
}
