package dev.blinkchroot.emulator.jit;

/**
 * Which guest registers and flags a region's inline code uses and changes: loaded on entry and
 * after executor calls (used), stored back at exits, faults and before executor calls (written).
 * Found by a first emission pass, used by the second.
 */
record RegionShape(boolean[] gprUsed, boolean[] gprWritten, boolean[] xmmUsed,
    boolean[] xmmWritten, boolean flagsUsed, boolean flagsWritten) {
  /** Nothing used: the first pass's placeholder. */
  static RegionShape empty() {
    return new RegionShape(new boolean[16], new boolean[16], new boolean[16], new boolean[16],
        false, false);
  }
}
