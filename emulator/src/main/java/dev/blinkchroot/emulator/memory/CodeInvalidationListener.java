package dev.blinkchroot.emulator.memory;

/**
 * Told when decoded code for a guest page may have become stale, so the CPU drops what it decoded
 * from that page (self-modifying code, {@code mprotect}, {@code munmap}).
 *
 * <p>Protocol: the decoder calls {@link GuestMemory#markCode(long)} for a page <em>before</em> it
 * reads the page's bytes. After that, the memory calls {@link #invalidate(long)} exactly once,
 * and clears the mark, on the first of: a write to the page by any guest thread (before the
 * written bytes land, so the same thread's next fetch sees them), an {@code mprotect} or
 * {@code munmap} of the page, or a {@code map} over it. To keep decoding the page the decoder
 * marks it again.
 *
 * <p>Threads: called on the thread that wrote or remapped, holding no memory lock; the
 * implementation may call back into the memory. Writes by another thread that raced with the
 * marking, with no guest synchronization between them, may be missed; x86 requires such
 * cross-modifying code to synchronize (Intel SDM vol. 3A, "Handling Self- and Cross-Modifying
 * Code"), and synchronized writers are always seen.
 */
@FunctionalInterface
public interface CodeInvalidationListener {
  /**
   * Decoded code from the page at {@code pageAddr} (page-aligned guest address) must not be used
   * again.
   */
  void invalidate(long pageAddr);
}
