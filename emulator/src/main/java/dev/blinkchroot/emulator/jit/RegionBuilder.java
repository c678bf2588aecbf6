package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.cpu.CodeCache;
import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.decode.Op;
import dev.blinkchroot.emulator.memory.MemoryFault;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chooses the instructions of a region: from the entry block, the code reachable through direct
 * branches (fall-through, Jcc, JMP and CALL with a relative target), through the return sites of
 * its calls, and through indirect CALL/JMP to the target the interpreter saw last, so that loops
 * (and the functions they call) end up inside one method where HotSpot sees them. Normally only
 * code the interpreter has already run is taken (its blocks are in the code cache): a branch
 * that was never taken stays an exit. System calls end a path. Code reached at an address inside
 * an instruction already taken (overlapping decodings) stays outside.
 */
final class RegionBuilder {
  private RegionBuilder() {}

  /**
   * The region entered at {@code entry}, of at most {@code maxInsns} instructions, never holding
   * {@code stopAddress}; null if not even the entry could be taken.
   */
  static Region build(CodeCache code, long entry, long stopAddress, int maxInsns,
      boolean followColdEdges) {
    TreeMap<Long, Insn> taken = new TreeMap<>();
    Map<Long, Long> speculated = new HashMap<>();
    // The entry's own function first (branches, fall-throughs, return sites), so that a size
    // limit cuts callees rather than the loop; callees and speculated targets fill what is left.
    Deque<Long> work = new ArrayDeque<>();
    Deque<Long> callees = new ArrayDeque<>();
    work.add(entry);
    while ((!work.isEmpty() || !callees.isEmpty()) && taken.size() < maxInsns) {
      long start = work.isEmpty() ? callees.poll() : work.poll();
      if (start == stopAddress || taken.containsKey(start) || inside(taken, start)) {
        continue;
      }
      Insn[] block = blockAt(code, start, start == entry || followColdEdges);
      if (block == null) {
        continue;
      }
      long next = -1;
      for (Insn insn : block) {
        if (insn.address == stopAddress || taken.containsKey(insn.address)
            || inside(taken, insn.address) || overlapsNext(taken, insn)) {
          next = -1;
          break;
        }
        taken.put(insn.address, insn);
        long target = Region.staticTarget(insn);
        if (target >= 0) {
          (insn.op == Op.CALL ? callees : work).add(target);
        } else if ((insn.op == Op.CALL || insn.op == Op.JMP) && insn.kind0 != Insn.K_REL) {
          long seen = code.lastTarget(block[0].address); // the block ends with this branch
          if (seen != 0 && code.cachedBlock(seen) != null) {
            speculated.put(insn.address, seen);
            callees.add(seen);
          }
        }
        if (insn.op == Op.CALL) {
          work.add(insn.nextAddress()); // where its RET comes back to
        }
        if (!Region.fallsThrough(insn)) {
          next = -1;
          break;
        }
        next = insn.nextAddress();
        if (taken.size() >= maxInsns) {
          break;
        }
      }
      if (next >= 0) {
        work.addFirst(next); // the block ended at the decoder's length limit: continue there
      }
    }
    if (!taken.containsKey(entry)) {
      return null;
    }
    return new Region(entry, new ArrayList<>(taken.values()), speculated);
  }

  private static Insn[] blockAt(CodeCache code, long start, boolean decode) {
    if (!decode) {
      return code.cachedBlock(start);
    }
    try {
      return code.decodedBlock(start);
    } catch (MemoryFault fault) {
      return null; // not fetchable: an exit, which faults when it is reached
    }
  }

  /** Whether {@code address} lies inside (not at the start of) an instruction already taken. */
  private static boolean inside(TreeMap<Long, Insn> taken, long address) {
    Map.Entry<Long, Insn> before = taken.lowerEntry(address);
    return before != null && before.getValue().nextAddress() > address;
  }

  /** Whether an instruction already taken starts inside {@code insn}'s bytes. */
  private static boolean overlapsNext(TreeMap<Long, Insn> taken, Insn insn) {
    Long after = taken.higherKey(insn.address);
    return after != null && after < insn.nextAddress();
  }
}
