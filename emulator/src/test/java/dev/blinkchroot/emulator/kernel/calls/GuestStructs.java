package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reading little-endian guest structures in the process/system/time/signal tests. */
final class GuestStructs {
  /** An address nothing is mapped at: every access faults. */
  static final long BAD = 0xdead_0000L;

  private GuestStructs() {}

  static ByteBuffer at(KernelFixture k, long guestAddr, int size) {
    return ByteBuffer.wrap(k.read(guestAddr, size)).order(ByteOrder.LITTLE_ENDIAN);
  }

  static long long64(KernelFixture k, long guestAddr) {
    return at(k, guestAddr, 8).getLong(0);
  }

  static int int32(KernelFixture k, long guestAddr) {
    return at(k, guestAddr, 4).getInt(0);
  }

  /** Places little-endian longs; returns their address. */
  static long longs(KernelFixture k, long... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    return k.bytes(b.array());
  }

  /** Places little-endian ints; returns their address. */
  static long ints(KernelFixture k, int... values) {
    ByteBuffer b = ByteBuffer.allocate(Math.max(values.length * 4, 1))
        .order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      b.putInt(v);
    }
    return k.bytes(b.array());
  }

  /** A NUL-terminated C string read from a fixed-size field. */
  static String cString(KernelFixture k, long guestAddr, int size) {
    byte[] b = k.read(guestAddr, size);
    int n = 0;
    while (n < b.length && b[n] != 0) {
      n++;
    }
    return new String(b, 0, n, java.nio.charset.StandardCharsets.UTF_8);
  }

  static long err(dev.blinkchroot.vfs.Errno e) {
    return -e.number();
  }
}
