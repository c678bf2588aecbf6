package dev.blinkchroot.emulator.kernel.abi;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * getdents64(2): directory entries as {@code struct linux_dirent64}, as many as fit.
 *
 * <pre>
 * struct linux_dirent64 {        offset
 *     ino64_t        d_ino;      0   u64
 *     off64_t        d_off;      8   s64: the position after this entry (telldir/seekdir)
 *     unsigned short d_reclen;   16  u16: this record's length, a multiple of 8
 *     unsigned char  d_type;     18  DT_*
 *     char           d_name[];   19  NUL-terminated, zero-padded to d_reclen
 * };
 * </pre>
 *
 * (offsets checked with gcc on the struct as getdents(2) defines it; see StatLayout.)
 */
public final class DirentWriter {
  static final int D_INO = 0;
  static final int D_OFF = 8;
  static final int D_RECLEN = 16;
  static final int D_TYPE = 18;
  static final int D_NAME = 19;

  private DirentWriter() {}

  /** The record length of an entry with a {@code nameLength}-byte name: 8-byte aligned. */
  static int recordLength(int nameLength) {
    return (D_NAME + nameLength + 1 + 7) & ~7;
  }

  /**
   * Fills {@code count} bytes at {@code guestAddr} from {@code dir}'s readdir position; returns
   * the bytes written, 0 at the end of the directory. Entries that do not fit stay unread: the
   * position is moved back to just after the last entry written, so the next call returns them
   * (getdents64(2): "EINVAL Result buffer is too small" when not even the first one fits).
   */
  public static long fill(Task t, FileDescription dir, long guestAddr, long count) {
    if ((dir.flags() & Fcntl.O_PATH) != 0) {
      throw Errno.EBADF.exception(); // O_PATH descriptors cannot be read, listed included
    }
    if (dir.stat().type() != FileType.DIRECTORY) {
      throw Errno.ENOTDIR.exception();
    }
    // Where this call starts, to give back everything if nothing fits or the copy faults.
    long start = dir.seek(0, Fcntl.SEEK_CUR);
    int room = (int) Math.min(count, 1 << 20); // the rest could never be filled in one call
    ByteBuffer out = ByteBuffer.allocate(Math.min(room, 64 * 1024)).order(ByteOrder.LITTLE_ENDIAN);
    int used = 0;
    long lastCookie = start;
    boolean full = false;
    while (!full) {
      // At least one entry per 24 bytes left (the smallest record), so a batch rarely overshoots.
      int want = Math.max(1, Math.min(256, (room - used) / 24));
      List<DirEntry> batch = dir.readdir(want);
      if (batch.isEmpty()) {
        break;
      }
      for (DirEntry e : batch) {
        byte[] name = e.name().bytes();
        int reclen = recordLength(name.length);
        if (used + reclen > room) {
          full = true;
          break;
        }
        out = ensure(out, used + reclen);
        out.putLong(used + D_INO, e.ino());
        out.putLong(used + D_OFF, e.cookie());
        out.putShort(used + D_RECLEN, (short) reclen);
        out.put(used + D_TYPE, (byte) (e.type() == null ? FileType.DT_UNKNOWN
            : e.type().direntType()));
        out.put(used + D_NAME, name);
        for (int i = used + D_NAME + name.length; i < used + reclen; i++) {
          out.put(i, (byte) 0);
        }
        used += reclen;
        lastCookie = e.cookie();
      }
      if (full) {
        dir.seekDirectory(lastCookie);
      }
    }
    if (used == 0 && full) {
      throw Errno.EINVAL.exception("getdents64 buffer too small for one entry");
    }
    try {
      GuestIo.write(t.memory(), guestAddr, out.array(), 0, used);
    } catch (ErrnoException fault) {
      dir.seekDirectory(start);
      throw fault;
    }
    return used;
  }

  private static ByteBuffer ensure(ByteBuffer b, int size) {
    if (size <= b.capacity()) {
      return b;
    }
    ByteBuffer bigger = ByteBuffer.allocate(Math.max(size, b.capacity() * 2))
        .order(ByteOrder.LITTLE_ENDIAN);
    bigger.put(0, b.array(), 0, b.capacity());
    return bigger;
  }
}
