package dev.blinkchroot.emulator.kernel.ipc;

import dev.blinkchroot.emulator.kernel.fd.KernelFiles;
import dev.blinkchroot.emulator.kernel.fd.PollEvents;
import dev.blinkchroot.emulator.kernel.sync.WaitQueue;
import dev.blinkchroot.emulator.kernel.sync.Waiter;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An eventfd (eventfd(2)): an unsigned 64-bit counter.
 *
 * <ul>
 *   <li>read needs 8 bytes (else EINVAL); it waits while the counter is 0 (EAGAIN with
 *       O_NONBLOCK), then returns the counter and resets it to 0, or with EFD_SEMAPHORE returns 1
 *       and decrements it.
 *   <li>write adds an 8-byte value; 0xffffffffffffffff gives EINVAL; a sum that would exceed
 *       0xfffffffffffffffe waits for a read (EAGAIN with O_NONBLOCK).
 * </ul>
 *
 * fstat shows an anonymous inode ({@link AnonInodeFile}).
 */
public final class EventFd extends AnonInodeFile {
  public static final int EFD_SEMAPHORE = 1;
  public static final int EFD_NONBLOCK = Fcntl.O_NONBLOCK;
  public static final int EFD_CLOEXEC = Fcntl.O_CLOEXEC;
  private static final long MAX = 0xfffffffffffffffeL;

  private long counter;
  private final boolean semaphore;
  private final WaitQueue queue = new WaitQueue();

  public EventFd(long initial, int efdFlags, KernelFiles files) {
    super("eventfd", efdFlags, files);
    this.counter = initial;
    this.semaphore = (efdFlags & EFD_SEMAPHORE) != 0;
  }

  @Override
  public int read(ByteBuffer dst) {
    return readCount(dst, queue, () -> {
      if (counter == 0) {
        return 0;
      }
      long value = semaphore ? 1 : counter;
      counter -= value;
      queue.wake(PollEvents.WRITABLE);
      return value;
    }, () -> counter != 0);
  }

  @Override
  public int write(ByteBuffer src) {
    if (src.remaining() < 8) {
      throw Errno.EINVAL.exception();
    }
    long value = src.order(ByteOrder.LITTLE_ENDIAN).getLong(src.position());
    if (value == -1L) {
      throw Errno.EINVAL.exception();
    }
    // Unsigned: wait while MAX - counter < value.
    while (true) {
      synchronized (this) {
        if (Long.compareUnsigned(MAX - counter, value) >= 0) {
          src.position(src.position() + 8);
          counter += value;
          queue.wake(PollEvents.READABLE);
          return 8;
        }
        if (nonBlocking()) {
          throw Errno.EAGAIN.exception();
        }
      }
      Waiter.block(queue, PollEvents.WRITABLE, () -> {
        synchronized (this) {
          return Long.compareUnsigned(MAX - counter, value) >= 0;
        }
      });
    }
  }

  @Override
  public WaitQueue pollQueue() {
    return queue;
  }

  /**
   * eventfd(2): "readable if the counter has a value greater than 0", "writable if it is
   * possible to write a value of at least 1" (the counter is below 0xfffffffffffffffe).
   */
  @Override
  public synchronized int pollReady(int events) {
    int ready = 0;
    if (counter != 0) {
      ready |= PollEvents.READABLE;
    }
    if (Long.compareUnsigned(counter, MAX) < 0) {
      ready |= PollEvents.WRITABLE;
    }
    return ready;
  }
}
