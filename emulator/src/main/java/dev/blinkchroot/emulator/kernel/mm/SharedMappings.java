package dev.blinkchroot.emulator.kernel.mm;

import dev.blinkchroot.emulator.memory.GuestMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * Which ranges of an address space are MAP_SHARED, from the memory system's own records: what
 * /proc/PID/maps shows as 's' rather than 'p'. (A bridge to package-private state for the /proc
 * package.)
 */
public final class SharedMappings {
  private SharedMappings() {}

  /** The shared ranges of {@code memory} as {start, end} pairs, ascending. */
  public static List<long[]> of(AddressSpace mm) {
    List<long[]> out = new ArrayList<>();
    for (VmAreas.Area a : mm.areas().overlapping(0, GuestMemory.TASK_SIZE)) {
      if (a.shared()) {
        out.add(new long[] {a.start(), a.end()});
      }
    }
    return out;
  }
}
