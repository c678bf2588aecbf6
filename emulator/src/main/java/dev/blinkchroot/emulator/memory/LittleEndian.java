package dev.blinkchroot.emulator.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian loads and stores on page frames with the ordering x86 (TSO) promises: every load
 * is an acquire and every store a release. That forbids exactly the reorderings TSO forbids
 * (load-load, load-store, store-store) and allows the one it allows (a later load passing an
 * earlier store). On an x86 host both compile to plain moves; on AArch64 to LDAR/STLR.
 *
 * <p>Acquire/release modes need natural alignment, so a misaligned access inside a page uses the
 * plain mode, which tolerates it, fenced on the side that matters. x86 does not promise such an
 * access is single-copy atomic either.
 */
final class LittleEndian {
  static final VarHandle BYTE = MethodHandles.arrayElementVarHandle(byte[].class);
  static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private LittleEndian() {}

  /** All-ones in the low {@code size} bytes. */
  static long mask(int size) {
    return size == 8 ? -1L : (1L << (size << 3)) - 1;
  }

  /** Zero-extended value of {@code size} (1, 2, 4, 8) bytes at {@code off}, inside one frame. */
  static long load(byte[] frame, int off, int size) {
    if ((off & (size - 1)) == 0) {
      switch (size) {
        case 1:
          return (byte) BYTE.getAcquire(frame, off) & 0xFFL;
        case 2:
          return (short) SHORT.getAcquire(frame, off) & 0xFFFFL;
        case 4:
          return (int) INT.getAcquire(frame, off) & 0xFFFF_FFFFL;
        default:
          return (long) LONG.getAcquire(frame, off);
      }
    }
    long v;
    switch (size) {
      case 2:
        v = (short) SHORT.get(frame, off) & 0xFFFFL;
        break;
      case 4:
        v = (int) INT.get(frame, off) & 0xFFFF_FFFFL;
        break;
      default:
        v = (long) LONG.get(frame, off);
        break;
    }
    // Later loads and stores must not move above this load.
    VarHandle.acquireFence();
    return v;
  }

  /** Stores the low {@code size} bytes of {@code value} at {@code off}, inside one frame. */
  static void store(byte[] frame, int off, int size, long value) {
    if ((off & (size - 1)) == 0) {
      switch (size) {
        case 1:
          BYTE.setRelease(frame, off, (byte) value);
          return;
        case 2:
          SHORT.setRelease(frame, off, (short) value);
          return;
        case 4:
          INT.setRelease(frame, off, (int) value);
          return;
        default:
          LONG.setRelease(frame, off, value);
          return;
      }
    }
    // Earlier loads and stores must not move below this store.
    VarHandle.releaseFence();
    switch (size) {
      case 2:
        SHORT.set(frame, off, (short) value);
        break;
      case 4:
        INT.set(frame, off, (int) value);
        break;
      default:
        LONG.set(frame, off, value);
        break;
    }
  }

  /**
   * Zero-extended value of {@code size} bytes starting at page offset {@code off} of {@code
   * first} and running on into {@code second}. Byte-wise: x86 makes no atomicity promise for a
   * page-crossing access, only the ordering, which acquire loads give.
   */
  static long loadSplit(byte[] first, byte[] second, int off, int size) {
    long v = 0;
    for (int i = 0; i < size; i++) {
      int at = off + i;
      byte[] frame = at < Page.SIZE ? first : second;
      v |= ((byte) BYTE.getAcquire(frame, at & Page.OFFSET_MASK) & 0xFFL) << (i << 3);
    }
    return v;
  }

  /** Byte-wise store of the low {@code size} bytes of {@code value}; see {@link #loadSplit}. */
  static void storeSplit(byte[] first, byte[] second, int off, int size, long value) {
    for (int i = 0; i < size; i++) {
      int at = off + i;
      byte[] frame = at < Page.SIZE ? first : second;
      BYTE.setRelease(frame, at & Page.OFFSET_MASK, (byte) (value >>> (i << 3)));
    }
  }
}
