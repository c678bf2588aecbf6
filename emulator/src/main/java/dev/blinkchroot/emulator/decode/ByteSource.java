package dev.blinkchroot.emulator.decode;

/**
 * Where the decoder fetches instruction bytes from: guest memory (execute access) or a byte array
 * in tests.
 *
 * <p>Contract: {@link #byteAt} returns the byte at {@code guestAddr} as an unsigned value 0..255.
 * It may throw whatever the underlying memory throws for an unmapped or non-executable address
 * (for guest memory, the memory package's fault exception); the decoder lets that exception
 * propagate unchanged, so the caller can turn it into SIGSEGV with the right {@code si_addr}. The
 * decoder fetches bytes strictly in order and never more than 15 bytes past the start address, so
 * a fault is raised only for a byte the CPU itself would have fetched.
 */
@FunctionalInterface
public interface ByteSource {

  /** Returns the unsigned byte (0..255) at {@code guestAddr}. */
  int byteAt(long guestAddr);

  /**
   * A source over {@code bytes}, whose first byte is at guest address {@code baseAddr}. Reading
   * outside the array throws {@link IndexOutOfBoundsException} (which the decoder propagates, like
   * a memory fault).
   */
  static ByteSource of(byte[] bytes, long baseAddr) {
    return guestAddr -> {
      long i = guestAddr - baseAddr;
      if (i < 0 || i >= bytes.length) {
        throw new IndexOutOfBoundsException("no code byte at 0x" + Long.toHexString(guestAddr));
      }
      return bytes[(int) i] & 0xff;
    };
  }
}
