package dev.blinkchroot.emulator.decode;

/**
 * The x86-64 instruction decoder (64-bit mode, user-level view): legacy prefixes, REX, the
 * one-byte, 0F, 0F38 and 0F3A maps, x87, VEX, EVEX and XOP, ModRM/SIB/displacement/immediates,
 * RIP-relative addressing and the 15-byte limit, all driven by opcode tables ({@link OneByteMap},
 * {@link TwoByteMap}, {@link ThreeByteMaps}, {@link X87Map}, {@link VexMaps}).
 *
 * <p>Decoding is side-effect free and thread-safe: the same bytes at the same address always give an
 * equal {@link Insn}.
 */
public final class Decoder {
  /** The architectural limit on instruction length. */
  public static final int MAX_LENGTH = DecodeState.MAX_LENGTH;

  private Decoder() {}

  /**
   * Decodes the instruction at {@code rip}.
   *
   * <p>Never throws for any byte sequence: an undefined or malformed encoding gives an {@link Insn}
   * with {@link Insn#invalid} set (its length is the bytes examined). The only exceptions that
   * escape are the ones {@code code.byteAt} throws (for guest memory: a fault on an unmapped or
   * non-executable byte), unchanged; bytes are fetched in order, at most 15.
   */
  public static Insn decode(ByteSource code, long rip) {
    DecodeState s = new DecodeState(code, rip);
    try {
      return s.run();
    } catch (DecodeState.TooLong e) {
      return s.invalid("instruction longer than 15 bytes");
    } catch (DecodeState.Bad e) {
      return s.invalid(e.getMessage());
    } catch (Throwable t) {
      if (s.fetching) {
        throw DecodeState.<RuntimeException>sneaky(t); // the byte source's own exception
      }
      if (t instanceof VirtualMachineError vme) {
        throw vme;
      }
      return s.invalid("decoder error: " + t);
    }
  }

  /** Decodes {@code bytes} as code at guest address {@code rip} (tests, tools). */
  public static Insn decode(byte[] bytes, long rip) {
    return decode(ByteSource.of(bytes, rip), rip);
  }
}
