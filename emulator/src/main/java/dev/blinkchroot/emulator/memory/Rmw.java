package dev.blinkchroot.emulator.memory;

import java.lang.invoke.VarHandle;
import java.util.function.LongUnaryOperator;

/**
 * Locked read-modify-write that the hardware CAS of the JVM cannot do in one instruction: a 16-bit
 * or misaligned operand (done as a CAS loop on the aligned 8-byte word that contains it, so it is
 * lock-free and atomic against every other atomic and store on those bytes), and an operand that
 * crosses an aligned 8-byte boundary, a "split lock" on x86 (done under one global lock).
 *
 * <p>Tradeoff of the split path: it is atomic against every other split operation (they all take
 * the same lock, whatever the address space) but not against a concurrent aligned atomic or a
 * plain store to the same bytes, and a plain load may see half of it. Real code does not mix
 * those: Linux itself traps split locks ({@code split_lock_detect}) because they lock the whole
 * bus. CMPXCHG16B always takes this path (Java has no 128-bit CAS). One global lock rather than
 * stripes keeps overlapping split operations at different start addresses mutually atomic.
 */
final class Rmw {
  static final int ADD = 0;
  static final int SET = 1;
  static final int CAS = 2;
  static final int FUNCTION = 3;

  private static final Object SPLIT_LOCK = new Object();

  private Rmw() {}

  /** The new value of the operand (within {@code mask}). */
  static long apply(int op, long old, long a, long b, LongUnaryOperator fn, long mask) {
    switch (op) {
      case ADD:
        return (old + a) & mask;
      case SET:
        return a & mask;
      case CAS:
        return old == (a & mask) ? b & mask : old;
      default:
        return fn.applyAsLong(old) & mask;
    }
  }

  /** RMW of {@code size} bytes at {@code off} that lies within one aligned 8-byte word. */
  static long inWord(
      byte[] frame, int off, int size, int op, long a, long b, LongUnaryOperator fn) {
    long mask = LittleEndian.mask(size);
    int wordOff = off & ~7;
    int shift = (off & 7) << 3;
    for (; ; ) {
      long word = LittleEndian.getLongVolatile(frame, wordOff);
      long old = (word >>> shift) & mask;
      long next = apply(op, old, a, b, fn, mask);
      // Even an unchanged value goes through the CAS: a failed LOCK CMPXCHG still writes back.
      long nextWord = (word & ~(mask << shift)) | (next << shift);
      if (LittleEndian.compareAndSetLong(frame, wordOff, word, nextWord)) {
        return old;
      }
    }
  }

  /**
   * RMW of {@code size} (up to 8) bytes at page offset {@code off} of {@code first}, running on
   * into {@code second} (the same frame when the operand stays in one page).
   */
  static long split(
      byte[] first,
      byte[] second,
      int off,
      int size,
      int op,
      long a,
      long b,
      LongUnaryOperator fn) {
    long old;
    synchronized (SPLIT_LOCK) {
      old = LittleEndian.loadSplit(first, second, off, size);
      long next = apply(op, old, a, b, fn, LittleEndian.mask(size));
      if (next != old) {
        LittleEndian.storeSplit(first, second, off, size, next);
      }
    }
    // A locked instruction is a full barrier.
    VarHandle.fullFence();
    return old;
  }

  /**
   * CMPXCHG16B on 16 bytes at page offset {@code off} (see {@link #split} for the frames).
   * Returns whether it stored; {@code witness} receives the old low and high quadwords.
   */
  static boolean cas128(
      byte[] first, byte[] second, int off, long expLo, long expHi, long newLo, long newHi,
      long[] witness) {
    boolean stored;
    synchronized (SPLIT_LOCK) {
      long lo = LittleEndian.loadSplit(first, second, off, 8);
      long hi = loadHigh(first, second, off);
      witness[0] = lo;
      witness[1] = hi;
      stored = lo == expLo && hi == expHi;
      if (stored) {
        LittleEndian.storeSplit(first, second, off, 8, newLo);
        storeHigh(first, second, off, newHi);
      }
    }
    VarHandle.fullFence();
    return stored;
  }

  private static long loadHigh(byte[] first, byte[] second, int off) {
    int at = off + 8;
    return at < Page.SIZE
        ? LittleEndian.loadSplit(first, second, at, 8)
        : LittleEndian.loadSplit(second, second, at - Page.SIZE, 8);
  }

  private static void storeHigh(byte[] first, byte[] second, int off, long value) {
    int at = off + 8;
    if (at < Page.SIZE) {
      LittleEndian.storeSplit(first, second, at, 8, value);
    } else {
      LittleEndian.storeSplit(second, second, at - Page.SIZE, 8, value);
    }
  }
}
