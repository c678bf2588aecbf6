package dev.blinkchroot.emulator.memory;

/**
 * Where the frames of a MAP_SHARED mapping come from: the kernel's page cache of a file (Linux's
 * {@code vm_ops->fault}). Every mapping of the same file page, in any address space, uses the
 * array returned for it, so a store through one is seen through all of them and by read(2).
 *
 * <p>Contract: {@link #frame} returns an array of {@link GuestMemory#PAGE_SIZE} bytes, the same
 * array for the same {@code pageIndex} for as long as any mapping made from this source exists.
 * It is called on the faulting thread holding the address space's lock, so it must not call back
 * into that {@link GuestMemory}.
 */
@FunctionalInterface
public interface FrameSource {
  /** The frame holding page {@code pageIndex} (the file offset divided by the page size). */
  byte[] frame(long pageIndex);
}
