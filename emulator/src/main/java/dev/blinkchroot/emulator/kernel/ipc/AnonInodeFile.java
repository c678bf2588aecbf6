package dev.blinkchroot.emulator.kernel.ipc;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.fd.KernelFiles;
import dev.blinkchroot.emulator.kernel.fd.PollEvents;
import dev.blinkchroot.emulator.kernel.sync.WaitQueue;
import dev.blinkchroot.emulator.kernel.sync.Waiter;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.VfsClock;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * What the descriptions on Linux's anonymous inode share (eventfd, timerfd, signalfd): opened
 * O_RDWR, O_NONBLOCK from the creating call's flag, fstat showing the one anonymous inode (mode
 * 0600 without a file type, as Linux does), fsync EINVAL, and "anon_inode:[name]" in /proc.
 */
abstract class AnonInodeFile implements FileDescription {
  /** st_dev and st_ino of the anonymous inode these descriptions share. */
  static final long ANON_INODE_DEV = Stat.makedev(0, 14);
  static final long ANON_INODE_INO = 1;
  private static final int SETTABLE = Fcntl.O_APPEND | Fcntl.O_NONBLOCK | Fcntl.O_NOATIME | 020000;

  private final String name;
  private final KernelFiles files;
  private volatile int flags;
  private final long createdNs = VfsClock.nowNanos();

  /** {@code name} as /proc shows it; O_NONBLOCK taken from {@code createFlags}. */
  AnonInodeFile(String name, int createFlags, KernelFiles files) {
    this.name = name;
    this.files = files;
    this.flags = Fcntl.O_RDWR | (createFlags & Fcntl.O_NONBLOCK);
  }

  final boolean nonBlocking() {
    return (flags & Fcntl.O_NONBLOCK) != 0;
  }

  /**
   * The read of a counting description (eventfd, timerfd): a buffer under 8 bytes is EINVAL;
   * otherwise the value {@code take} takes (called with this object locked; 0 when there is
   * none) as an unsigned 64-bit integer, or, with none, EAGAIN when nonblocking, else a wait on
   * {@code queue} until {@code ready} (also called locked).
   */
  final int readCount(ByteBuffer dst, WaitQueue queue, LongSupplier take, BooleanSupplier ready) {
    if (dst.remaining() < 8) {
      throw Errno.EINVAL.exception();
    }
    while (true) {
      synchronized (this) {
        long value = take.getAsLong();
        if (value != 0) {
          dst.order(ByteOrder.LITTLE_ENDIAN).putLong(value);
          return 8;
        }
        if (nonBlocking()) {
          throw Errno.EAGAIN.exception();
        }
      }
      Waiter.block(queue, PollEvents.READABLE, () -> {
        synchronized (this) {
          return ready.getAsBoolean();
        }
      });
    }
  }

  @Override
  public Stat stat() {
    return new Stat(ANON_INODE_DEV, ANON_INODE_INO, 0600, 1, 0, 0, 0, 0, 4096, 0, createdNs,
        createdNs, createdNs);
  }

  @Override
  public int flags() {
    return flags;
  }

  @Override
  public void setStatusFlags(int newFlags) {
    flags = (flags & ~SETTABLE) | (newFlags & SETTABLE);
  }

  @Override
  public String procLink() {
    return "anon_inode:[" + name + "]";
  }

  @Override
  public void sync() {
    throw Errno.EINVAL.exception();
  }

  @Override
  public void close() {
    files.locks().descriptionClosed(this);
  }
}
