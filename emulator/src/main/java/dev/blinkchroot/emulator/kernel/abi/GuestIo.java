package dev.blinkchroot.emulator.kernel.abi;

import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.emulator.memory.MemoryFault;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import java.io.ByteArrayOutputStream;

/**
 * Copies between guest memory and the kernel, as {@code copy_from_user}/{@code copy_to_user}: a
 * bad guest pointer becomes EFAULT for the guest, never a Java exception. Structures are
 * little-endian, laid out by the callers with the offsets of the Linux x86-64 ABI.
 */
public final class GuestIo {
  private GuestIo() {}

  /** {@code length} bytes at {@code guestAddr}; EFAULT if any is unreadable. */
  public static byte[] read(GuestMemory memory, long guestAddr, int length) {
    byte[] b = new byte[length];
    try {
      memory.readBytes(guestAddr, b, 0, length);
    } catch (MemoryFault fault) {
      throw Errno.EFAULT.exception();
    }
    return b;
  }

  /** Writes {@code b[off, off+len)} at {@code guestAddr}; EFAULT if any byte is unwritable. */
  public static void write(GuestMemory memory, long guestAddr, byte[] b, int off, int len) {
    try {
      memory.writeBytes(guestAddr, b, off, len);
    } catch (MemoryFault fault) {
      throw Errno.EFAULT.exception();
    }
  }

  public static void write(GuestMemory memory, long guestAddr, byte[] b) {
    write(memory, guestAddr, b, 0, b.length);
  }

  public static long readLong(GuestMemory memory, long guestAddr) {
    try {
      return memory.read64(guestAddr);
    } catch (MemoryFault fault) {
      throw Errno.EFAULT.exception();
    }
  }

  public static int readInt(GuestMemory memory, long guestAddr) {
    try {
      return memory.read32(guestAddr);
    } catch (MemoryFault fault) {
      throw Errno.EFAULT.exception();
    }
  }

  public static void writeLong(GuestMemory memory, long guestAddr, long value) {
    try {
      memory.write64(guestAddr, value);
    } catch (MemoryFault fault) {
      throw Errno.EFAULT.exception();
    }
  }

  public static void writeInt(GuestMemory memory, long guestAddr, int value) {
    try {
      memory.write32(guestAddr, value);
    } catch (MemoryFault fault) {
      throw Errno.EFAULT.exception();
    }
  }

  /**
   * A NUL-terminated string of at most {@code max} bytes before the NUL: EFAULT if unreadable,
   * ENAMETOOLONG past {@code max} (what path arguments give past PATH_MAX).
   */
  public static byte[] readCString(GuestMemory memory, long guestAddr, int max) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (long a = guestAddr; ; a++) {
        int c = memory.read8(a);
        if (c == 0) {
          return out.toByteArray();
        }
        if (out.size() >= max) {
          throw Errno.ENAMETOOLONG.exception();
        }
        out.write(c);
      }
    } catch (MemoryFault fault) {
      throw Errno.EFAULT.exception();
    }
  }

  /** A path argument: at most PATH_MAX - 1 bytes. */
  public static byte[] readPath(GuestMemory memory, long guestAddr) {
    return readCString(memory, guestAddr, Fcntl.PATH_MAX - 1);
  }

  /** A NULL-terminated array of string pointers (argv, envp); E2BIG past {@code maxTotal} bytes. */
  public static byte[][] readStringArray(GuestMemory memory, long guestAddr, int maxTotal) {
    java.util.List<byte[]> items = new java.util.ArrayList<>();
    long total = 0;
    if (guestAddr == 0) {
      return new byte[0][];
    }
    for (long a = guestAddr; ; a += 8) {
      long p = readLong(memory, a);
      if (p == 0) {
        return items.toArray(new byte[0][]);
      }
      byte[] s = readCString(memory, p, maxTotal);
      total += s.length + 1 + 8;
      if (total > maxTotal) {
        throw Errno.E2BIG.exception();
      }
      items.add(s);
    }
  }
}
