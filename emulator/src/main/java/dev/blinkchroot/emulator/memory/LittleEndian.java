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

  /**
   * Whether the JVM offers ordered and atomic access modes on byte-array views. JDK 17 to 21 do;
   * JDK 22 and later refuse them (a byte[] is not guaranteed to be 8-byte aligned) with
   * UnsupportedOperationException. Decided once: the branches below fold away.
   */
  static final boolean VIEW_ATOMICS = viewAtomicsSupported();

  /**
   * Locks that stand in for the hardware's bus lock where view atomics are missing, striped by
   * frame and word. Atomic operations on one address always take the same stripe, so they are
   * atomic with each other; a plain store racing with one is not ordered by it (documented
   * weaker behaviour on those JDKs).
   */
  private static final Object[] STRIPES = new Object[64];

  static {
    for (int i = 0; i < STRIPES.length; i++) {
      STRIPES[i] = new Object();
    }
  }

  private static boolean viewAtomicsSupported() {
    try {
      LONG.getAcquire(new byte[8], 0);
      return true;
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  private static Object stripe(byte[] frame, int off) {
    return STRIPES[(System.identityHashCode(frame) * 31 + (off >>> 3)) & (STRIPES.length - 1)];
  }

  static short getShortAcquire(byte[] frame, int off) {
    if (VIEW_ATOMICS) {
      return (short) SHORT.getAcquire(frame, off);
    }
    short v = (short) SHORT.get(frame, off);
    VarHandle.acquireFence();
    return v;
  }

  static int getIntAcquire(byte[] frame, int off) {
    if (VIEW_ATOMICS) {
      return (int) INT.getAcquire(frame, off);
    }
    int v = (int) INT.get(frame, off);
    VarHandle.acquireFence();
    return v;
  }

  static long getLongAcquire(byte[] frame, int off) {
    if (VIEW_ATOMICS) {
      return (long) LONG.getAcquire(frame, off);
    }
    long v = (long) LONG.get(frame, off);
    VarHandle.acquireFence();
    return v;
  }

  static void setShortRelease(byte[] frame, int off, short value) {
    if (VIEW_ATOMICS) {
      SHORT.setRelease(frame, off, value);
      return;
    }
    VarHandle.releaseFence();
    SHORT.set(frame, off, value);
  }

  static void setIntRelease(byte[] frame, int off, int value) {
    if (VIEW_ATOMICS) {
      INT.setRelease(frame, off, value);
      return;
    }
    VarHandle.releaseFence();
    INT.set(frame, off, value);
  }

  static void setLongRelease(byte[] frame, int off, long value) {
    if (VIEW_ATOMICS) {
      LONG.setRelease(frame, off, value);
      return;
    }
    VarHandle.releaseFence();
    LONG.set(frame, off, value);
  }

  static long getLongVolatile(byte[] frame, int off) {
    if (VIEW_ATOMICS) {
      return (long) LONG.getVolatile(frame, off);
    }
    VarHandle.fullFence();
    return (long) LONG.get(frame, off);
  }

  /*
   * Byte atomics: natively atomic through the element handle, but where the wider ones take the
   * stripe locks, bytes must take the same stripe (that of their 8-byte word), or a locked
   * word-sized update could overwrite a concurrent byte update.
   */

  static byte compareAndExchangeByte(byte[] frame, int off, byte expected, byte value) {
    if (VIEW_ATOMICS) {
      return (byte) BYTE.compareAndExchange(frame, off, expected, value);
    }
    synchronized (stripe(frame, off)) {
      byte old = (byte) BYTE.get(frame, off);
      if (old == expected) {
        BYTE.set(frame, off, value);
      }
      VarHandle.fullFence();
      return old;
    }
  }

  static byte getAndAddByte(byte[] frame, int off, byte delta) {
    if (VIEW_ATOMICS) {
      return (byte) BYTE.getAndAdd(frame, off, delta);
    }
    synchronized (stripe(frame, off)) {
      byte old = (byte) BYTE.get(frame, off);
      BYTE.set(frame, off, (byte) (old + delta));
      VarHandle.fullFence();
      return old;
    }
  }

  static byte getAndSetByte(byte[] frame, int off, byte value) {
    if (VIEW_ATOMICS) {
      return (byte) BYTE.getAndSet(frame, off, value);
    }
    synchronized (stripe(frame, off)) {
      byte old = (byte) BYTE.get(frame, off);
      BYTE.set(frame, off, value);
      VarHandle.fullFence();
      return old;
    }
  }

  static int compareAndExchangeInt(byte[] frame, int off, int expected, int value) {
    if (VIEW_ATOMICS) {
      return (int) INT.compareAndExchange(frame, off, expected, value);
    }
    synchronized (stripe(frame, off)) {
      int old = (int) INT.get(frame, off);
      if (old == expected) {
        INT.set(frame, off, value);
      }
      VarHandle.fullFence();
      return old;
    }
  }

  static long compareAndExchangeLong(byte[] frame, int off, long expected, long value) {
    if (VIEW_ATOMICS) {
      return (long) LONG.compareAndExchange(frame, off, expected, value);
    }
    synchronized (stripe(frame, off)) {
      long old = (long) LONG.get(frame, off);
      if (old == expected) {
        LONG.set(frame, off, value);
      }
      VarHandle.fullFence();
      return old;
    }
  }

  static boolean compareAndSetLong(byte[] frame, int off, long expected, long value) {
    return compareAndExchangeLong(frame, off, expected, value) == expected;
  }

  static int getAndAddInt(byte[] frame, int off, int delta) {
    if (VIEW_ATOMICS) {
      return (int) INT.getAndAdd(frame, off, delta);
    }
    for (;;) {
      int old = getIntAcquire(frame, off);
      if (compareAndExchangeInt(frame, off, old, old + delta) == old) {
        return old;
      }
    }
  }

  static long getAndAddLong(byte[] frame, int off, long delta) {
    if (VIEW_ATOMICS) {
      return (long) LONG.getAndAdd(frame, off, delta);
    }
    for (;;) {
      long old = getLongAcquire(frame, off);
      if (compareAndExchangeLong(frame, off, old, old + delta) == old) {
        return old;
      }
    }
  }

  static int getAndSetInt(byte[] frame, int off, int value) {
    if (VIEW_ATOMICS) {
      return (int) INT.getAndSet(frame, off, value);
    }
    for (;;) {
      int old = getIntAcquire(frame, off);
      if (compareAndExchangeInt(frame, off, old, value) == old) {
        return old;
      }
    }
  }

  static long getAndSetLong(byte[] frame, int off, long value) {
    if (VIEW_ATOMICS) {
      return (long) LONG.getAndSet(frame, off, value);
    }
    for (;;) {
      long old = getLongAcquire(frame, off);
      if (compareAndExchangeLong(frame, off, old, value) == old) {
        return old;
      }
    }
  }

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
          return getShortAcquire(frame, off) & 0xFFFFL;
        case 4:
          return getIntAcquire(frame, off) & 0xFFFF_FFFFL;
        default:
          return getLongAcquire(frame, off);
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
          setShortRelease(frame, off, (short) value);
          return;
        case 4:
          setIntRelease(frame, off, (int) value);
          return;
        default:
          setLongRelease(frame, off, value);
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
