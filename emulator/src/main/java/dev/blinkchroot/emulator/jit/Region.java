package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.decode.Op;
import dev.blinkchroot.emulator.memory.GuestMemory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The guest instructions one compiled method holds, in address order, with the control flow
 * between them: the entry, and for each instruction where it may go next inside the region
 * ({@link #targets}). Anything else it may go to is an exit back to the dispatcher.
 *
 * <p>Besides direct branches, two kinds of targets are speculative: an indirect CALL or JMP
 * goes to the target the interpreter saw it take last (behind a check of the actual target),
 * and a RET goes to whichever return site of a CALL in the region the popped address names
 * (any other address leaves the region).
 */
final class Region {
  final long entry;
  /** In ascending address order; index = the instruction's number in this region. */
  final Insn[] insns;
  private final Map<Long, Integer> indexByAddress = new HashMap<>();
  /** Per instruction, the addresses in the region it may branch to (besides falling through). */
  final long[][] targets;
  /** The return addresses of the region's CALLs that are in the region, where RETs may go. */
  final long[] returnSites;
  /** Instructions some branch inside the region jumps to (merge points: labels). */
  final boolean[] jumpTarget;
  /**
   * The instructions the method can be entered at: its merge points (the entry first). Code at
   * a merge point assumes nothing about how it was reached, so entering there is sound.
   */
  final int[] entries;
  /** Instructions a backward branch jumps to: loop heads, where back-edges check interrupts. */
  final boolean[] loopHead;

  /**
   * @param speculated indirect CALL/JMP address -> the target to compile in behind a check
   */
  Region(long entry, List<Insn> inAddressOrder, Map<Long, Long> speculated) {
    this.entry = entry;
    this.insns = inAddressOrder.toArray(new Insn[0]);
    for (int i = 0; i < insns.length; i++) {
      indexByAddress.put(insns[i].address, i);
    }
    returnSites = inAddressOrder.stream()
        .filter(insn -> insn.op == Op.CALL && index(insn.nextAddress()) >= 0)
        .mapToLong(Insn::nextAddress).distinct().limit(MAX_RETURN_SITES).toArray();
    targets = new long[insns.length][];
    for (int i = 0; i < insns.length; i++) {
      Insn insn = insns[i];
      long direct = staticTarget(insn);
      Long guessed = speculated.get(insn.address);
      if (direct >= 0) {
        targets[i] = index(direct) >= 0 ? new long[] {direct} : new long[0];
      } else if (guessed != null && index(guessed) >= 0) {
        targets[i] = new long[] {guessed};
      } else if (insn.op == Op.RET) {
        targets[i] = returnSites;
      } else {
        targets[i] = new long[0];
      }
    }
    jumpTarget = new boolean[insns.length];
    loopHead = new boolean[insns.length];
    jumpTarget[index(entry)] = true;
    for (int i = 0; i < insns.length; i++) {
      for (long target : targets[i]) {
        int t = index(target);
        jumpTarget[t] = true;
        if (t <= i) {
          loopHead[t] = true;
        }
      }
      // A fall-through that is not the next instruction in layout is a jump too.
      if (fallsThrough(insns[i]) && i + 1 < insns.length
          && insns[i + 1].address != insns[i].nextAddress()) {
        int f = index(insns[i].nextAddress());
        if (f >= 0) {
          jumpTarget[f] = true;
          if (f <= i) {
            loopHead[f] = true;
          }
        }
      }
    }
    entries = entriesOf(jumpTarget, index(entry));
  }

  private static int[] entriesOf(boolean[] jumpTarget, int first) {
    int[] out = new int[(int) java.util.stream.IntStream.range(0, jumpTarget.length)
        .filter(i -> jumpTarget[i]).count()];
    out[0] = first;
    int n = 1;
    for (int i = 0; i < jumpTarget.length; i++) {
      if (jumpTarget[i] && i != first) {
        out[n++] = i;
      }
    }
    return out;
  }

  /** A RET compares the popped address with at most this many return sites. */
  static final int MAX_RETURN_SITES = 16;

  /** The speculated target of the indirect CALL/JMP at {@code index}, or -1. */
  long speculatedTarget(int index) {
    Insn insn = insns[index];
    boolean indirect = (insn.op == Op.CALL || insn.op == Op.JMP) && insn.kind0 != Insn.K_REL;
    return indirect && targets[index].length == 1 ? targets[index][0] : -1;
  }

  /** The instruction at {@code address}, or -1 if the region does not hold one there. */
  int index(long address) {
    Integer i = indexByAddress.get(address);
    return i == null ? -1 : i;
  }

  int size() {
    return insns.length;
  }

  long low() {
    return insns[0].address;
  }

  /** One past the last instruction's first byte (the range stop addresses are checked in). */
  long high() {
    return insns[insns.length - 1].address + 1;
  }

  /** The distinct guest pages the region's instruction bytes lie on. */
  long[] pages() {
    TreeSet<Long> pages = new TreeSet<>();
    long mask = ~(GuestMemory.PAGE_SIZE - 1L);
    for (Insn insn : insns) {
      pages.add(insn.address & mask);
      pages.add((insn.nextAddress() - 1) & mask);
    }
    return pages.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * The statically known target of a direct branch (JMP, Jcc, CALL with a relative operand), or
   * -1.
   */
  static long staticTarget(Insn insn) {
    switch (insn.op) {
      case JMP: case JCC: case CALL:
        return insn.kind0 == Insn.K_REL ? insn.target : -1;
      default:
        return -1;
    }
  }

  /**
   * Whether execution can continue with the next instruction after {@code insn}: not after an
   * unconditional transfer, nor after an instruction that always raises SIGILL or #GP.
   */
  static boolean fallsThrough(Insn insn) {
    if (insn.raisesSigill() || insn.privileged) {
      return false;
    }
    return !insn.branch || insn.op == Op.JCC;
  }
}
