package dev.blinkchroot.emulator.kernel.abi;

import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.StatFs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The x86-64 layouts of {@code struct stat}, {@code struct statx} and {@code struct statfs}, and
 * their encoding from the VFS records. Every offset was checked against the installed headers
 * with {@code gcc -o l l.c && ./l}, a program printing {@code sizeof}/{@code offsetof} of each
 * field ({@code <sys/stat.h>}, {@code <linux/stat.h>}, {@code <sys/statfs.h>}); the test
 * {@code PathOpsLayoutTest} recompiles such a program and compares it with these constants.
 */
public final class StatLayout {
  private StatLayout() {}

  // ---------------------------------------------------------------- struct stat (144 bytes)

  public static final int STAT_SIZE = 144;
  static final int ST_DEV = 0;
  static final int ST_INO = 8;
  /** st_nlink is 64 bits on x86-64 and comes before st_mode (unlike i386). */
  static final int ST_NLINK = 16;
  static final int ST_MODE = 24;
  static final int ST_UID = 28;
  static final int ST_GID = 32;
  static final int ST_RDEV = 40;
  static final int ST_SIZE = 48;
  static final int ST_BLKSIZE = 56;
  static final int ST_BLOCKS = 64;
  /** struct timespec st_atim: tv_sec then tv_nsec, 8 bytes each. */
  static final int ST_ATIM = 72;
  static final int ST_MTIM = 88;
  static final int ST_CTIM = 104;
  static final int TIMESPEC_SIZE = 16;
  static final int TIMEVAL_SIZE = 16;

  // ---------------------------------------------------------------- struct statx (256 bytes)

  static final int STATX_SIZE = 256;
  static final int STX_MASK = 0;
  static final int STX_BLKSIZE = 4;
  static final int STX_ATTRIBUTES = 8;
  static final int STX_NLINK = 16;
  static final int STX_UID = 20;
  static final int STX_GID = 24;
  static final int STX_MODE = 28;
  static final int STX_INO = 32;
  static final int STX_SIZE = 40;
  static final int STX_BLOCKS = 48;
  static final int STX_ATTRIBUTES_MASK = 56;
  /** struct statx_timestamp: s64 tv_sec, u32 tv_nsec, s32 reserved (16 bytes). */
  static final int STX_ATIME = 64;
  static final int STX_BTIME = 80;
  static final int STX_CTIME = 96;
  static final int STX_MTIME = 112;
  static final int STX_RDEV_MAJOR = 128;
  static final int STX_RDEV_MINOR = 132;
  static final int STX_DEV_MAJOR = 136;
  static final int STX_DEV_MINOR = 140;
  static final int STX_MNT_ID = 144;

  /** {@code linux/stat.h} mask bits. */
  static final int STATX_TYPE = 0x1;
  static final int STATX_MODE = 0x2;
  public static final int STATX_BASIC_STATS = 0x7ff;
  public static final int STATX_BTIME = 0x800;
  public static final int STATX_MNT_ID = 0x1000;
  public static final int STATX__RESERVED = 0x80000000;
  public static final long STATX_ATTR_AUTOMOUNT = 0x1000;
  public static final long STATX_ATTR_MOUNT_ROOT = 0x2000;

  // ---------------------------------------------------------------- struct statfs (120 bytes)

  static final int STATFS_SIZE = 120;
  static final int F_TYPE = 0;
  static final int F_BSIZE = 8;
  static final int F_BLOCKS = 16;
  static final int F_BFREE = 24;
  static final int F_BAVAIL = 32;
  static final int F_FILES = 40;
  static final int F_FFREE = 48;
  /** fsid_t: two ints, val[0] then val[1]. */
  static final int F_FSID = 56;
  static final int F_NAMELEN = 64;
  static final int F_FRSIZE = 72;
  static final int F_FLAGS = 80;
  /**
   * ST_VALID: statfs(2) "f_flags ... (since Linux 2.6.36)"; the kernel always sets this bit so
   * that libc knows f_flags is meaningful (statvfs reads it).
   */
  public static final long ST_VALID = 0x0020;

  private static ByteBuffer buffer(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** {@code struct stat} for {@code st}. */
  public static byte[] stat(Stat st) {
    ByteBuffer b = buffer(STAT_SIZE);
    b.putLong(ST_DEV, st.dev());
    b.putLong(ST_INO, st.ino());
    b.putLong(ST_NLINK, st.nlink() & 0xffffffffL);
    b.putInt(ST_MODE, st.mode());
    b.putInt(ST_UID, st.uid());
    b.putInt(ST_GID, st.gid());
    b.putLong(ST_RDEV, st.rdev());
    b.putLong(ST_SIZE, st.size());
    b.putLong(ST_BLKSIZE, st.blksize());
    b.putLong(ST_BLOCKS, st.blocks());
    putTimespec(b, ST_ATIM, st.atimeNs());
    putTimespec(b, ST_MTIM, st.mtimeNs());
    putTimespec(b, ST_CTIM, st.ctimeNs());
    return b.array();
  }

  /**
   * {@code struct statx} for {@code st}. statx(2): "the kernel may return fields that weren't
   * requested", so every basic field is filled whatever {@code requestedMask} asks and stx_mask
   * says which ones are valid: STATX_BASIC_STATS and STATX_MNT_ID (set by Linux since 5.8 even
   * when not asked). STATX_BTIME is never set: no backend keeps a birth time, so stx_btime stays
   * zero. {@code mountRoot} is STATX_ATTR_MOUNT_ROOT, which Linux always lists in
   * stx_attributes_mask.
   */
  public static byte[] statx(Stat st, long mountId, boolean mountRoot) {
    ByteBuffer b = buffer(STATX_SIZE);
    b.putInt(STX_MASK, STATX_BASIC_STATS | STATX_MNT_ID);
    b.putInt(STX_BLKSIZE, st.blksize());
    b.putLong(STX_ATTRIBUTES, mountRoot ? STATX_ATTR_MOUNT_ROOT : 0);
    b.putInt(STX_NLINK, st.nlink());
    b.putInt(STX_UID, st.uid());
    b.putInt(STX_GID, st.gid());
    b.putShort(STX_MODE, (short) st.mode());
    b.putLong(STX_INO, st.ino());
    b.putLong(STX_SIZE, st.size());
    b.putLong(STX_BLOCKS, st.blocks());
    b.putLong(STX_ATTRIBUTES_MASK, STATX_ATTR_AUTOMOUNT | STATX_ATTR_MOUNT_ROOT);
    putStatxTimestamp(b, STX_ATIME, st.atimeNs());
    putStatxTimestamp(b, STX_CTIME, st.ctimeNs());
    putStatxTimestamp(b, STX_MTIME, st.mtimeNs());
    b.putInt(STX_RDEV_MAJOR, Stat.major(st.rdev()));
    b.putInt(STX_RDEV_MINOR, Stat.minor(st.rdev()));
    b.putInt(STX_DEV_MAJOR, Stat.major(st.dev()));
    b.putInt(STX_DEV_MINOR, Stat.minor(st.dev()));
    b.putLong(STX_MNT_ID, mountId);
    return b.array();
  }

  /** {@code struct statfs} for {@code s}; f_flags gains ST_VALID as on Linux. */
  public static byte[] statfs(StatFs s) {
    ByteBuffer b = buffer(STATFS_SIZE);
    b.putLong(F_TYPE, s.type());
    b.putLong(F_BSIZE, s.blockSize());
    b.putLong(F_BLOCKS, s.blocks());
    b.putLong(F_BFREE, s.blocksFree());
    b.putLong(F_BAVAIL, s.blocksAvailable());
    b.putLong(F_FILES, s.files());
    b.putLong(F_FFREE, s.filesFree());
    b.putInt(F_FSID, (int) s.fsid());
    b.putInt(F_FSID + 4, (int) (s.fsid() >>> 32));
    b.putLong(F_NAMELEN, s.nameMax());
    b.putLong(F_FRSIZE, s.fragmentSize());
    b.putLong(F_FLAGS, s.flags() | ST_VALID);
    return b.array();
  }

  /** Nanoseconds since the epoch as tv_sec/tv_nsec, tv_nsec in [0, 1e9) for negative times too. */
  private static void putTimespec(ByteBuffer b, int at, long ns) {
    b.putLong(at, Math.floorDiv(ns, 1_000_000_000L));
    b.putLong(at + 8, Math.floorMod(ns, 1_000_000_000L));
  }

  private static void putStatxTimestamp(ByteBuffer b, int at, long ns) {
    b.putLong(at, Math.floorDiv(ns, 1_000_000_000L));
    b.putInt(at + 8, (int) Math.floorMod(ns, 1_000_000_000L));
  }
}
