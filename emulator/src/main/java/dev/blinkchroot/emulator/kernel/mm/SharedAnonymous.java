package dev.blinkchroot.emulator.kernel.mm;

import dev.blinkchroot.emulator.memory.FrameSource;
import dev.blinkchroot.emulator.memory.GuestMemory;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The memory of one MAP_SHARED | MAP_ANONYMOUS mapping (or a MAP_SHARED mapping of /dev/zero):
 * Linux backs it with an unlinked shmem file, so a fork child and its parent see each other's
 * stores. Here the object is the frames themselves, zero-filled on first touch by anyone; it
 * lives as long as a mapping made from it.
 */
public final class SharedAnonymous implements FrameSource {
  private final ConcurrentHashMap<Long, byte[]> frames = new ConcurrentHashMap<>();

  @Override
  public byte[] frame(long pageIndex) {
    return frames.computeIfAbsent(pageIndex, i -> new byte[GuestMemory.PAGE_SIZE]);
  }

  /** MADV_REMOVE: the pages read as zeros again, in every mapping. */
  public void zero(long firstPage, long pages) {
    for (long i = firstPage; i < firstPage + pages; i++) {
      byte[] f = frames.get(i);
      if (f != null) {
        java.util.Arrays.fill(f, (byte) 0);
      }
    }
  }
}
