package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.memory.GuestMemory;

/** 16-byte stores as the SSE integer instructions make them, shared with compiled code. */
public final class VectorMemory {
  private VectorMemory() {}

  /**
   * Stores 16 bytes so that a faulting store changes nothing, as on x86: each 8-byte store
   * checks all its pages first, so only a store crossing a page boundary needs an order. The
   * high half goes first unless the low page cannot be written, in which case the low half
   * faults first.
   */
  public static void store128(GuestMemory memory, long ea, long lo, long hi) {
    boolean crosses = (ea & (GuestMemory.PAGE_SIZE - 1)) > GuestMemory.PAGE_SIZE - 16;
    if (crosses) {
      int prot = memory.protectionAt(ea);
      if (prot < 0 || (prot & GuestMemory.PROT_WRITE) == 0) {
        memory.write64(ea, lo); // faults before anything is stored
      }
    }
    memory.write64(ea + 8, hi);
    memory.write64(ea, lo);
  }
}
