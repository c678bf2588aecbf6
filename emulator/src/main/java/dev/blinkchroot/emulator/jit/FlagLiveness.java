package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.decode.Insn;

/**
 * Which status flags are live after each instruction of a region: read later before being
 * overwritten, on some path. Backward data flow to a fixed point over the region's control flow,
 * from the flags each instruction reads and overwrites (its decode-time {@link Insn#flagsRead},
 * and for the instructions compiled inline the flags their code overwrites).
 *
 * <p>Everything leaving the region observes all flags: exits to the dispatcher, loop back-edges
 * (which may stop for an interrupt with the state at the loop head), and every instruction that
 * may fault or calls its executor (a fault reports the architectural state before it). A flag
 * producer none of whose flags is live after it does not need its flags computed at all.
 */
final class FlagLiveness {
  /** What the emitters say about one instruction. */
  interface Facts {
    /** Whether the instruction may leave the region before completing (a fault, a fallback). */
    boolean mayFault(int index);

    /** Whether it may leave the region after completing, to its next instruction (a store). */
    boolean mayExitAfter(int index);

    /** Flags the compiled code of the instruction overwrites whatever they were. */
    int kills(int index);
  }

  private FlagLiveness() {}

  /** Live status flags after each instruction of {@code region}. */
  static int[] liveOut(Region region, Facts facts) {
    int n = region.size();
    int[] liveIn = new int[n];
    int[] liveOut = new int[n];
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int i = n - 1; i >= 0; i--) {
        Insn insn = region.insns[i];
        int out = successorsLive(region, i, liveIn) | (facts.mayExitAfter(i) ? Insn.F_STATUS : 0);
        int in = (out & ~facts.kills(i)) | (insn.flagsRead & Insn.F_STATUS);
        if (facts.mayFault(i) || region.loopHead[i]) {
          in = Insn.F_STATUS;
        }
        if (out != liveOut[i] || in != liveIn[i]) {
          liveOut[i] = out;
          liveIn[i] = in;
          changed = true;
        }
      }
    }
    return liveOut;
  }

  /** The flags live on entry to {@code insn}'s successors; all of them for an exit. */
  private static int successorsLive(Region region, int i, int[] liveIn) {
    Insn insn = region.insns[i];
    int live = 0;
    if (Region.fallsThrough(insn)) {
      live |= liveAt(region, insn.nextAddress(), liveIn);
    }
    long target = Region.staticTarget(insn);
    if (target >= 0) {
      live |= liveAt(region, target, liveIn);
    } else if (insn.branch && insn.op != dev.blinkchroot.emulator.decode.Op.JCC) {
      live = Insn.F_STATUS; // an indirect branch, a return, a system call: leaves the region
    }
    return live;
  }

  private static int liveAt(Region region, long address, int[] liveIn) {
    int t = region.index(address);
    return t < 0 ? Insn.F_STATUS : liveIn[t];
  }
}
