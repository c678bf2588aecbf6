package dev.blinkchroot.vfs;

/**
 * The attributes {@code stat(2)} reports for one inode. Times are nanoseconds since the epoch
 * (signed, so dates before 1970 survive). {@code mode} holds the type bits and the 12 permission
 * bits.
 */
public record Stat(
    long dev,
    long ino,
    int mode,
    int nlink,
    int uid,
    int gid,
    long rdev,
    long size,
    int blksize,
    long blocks,
    long atimeNs,
    long mtimeNs,
    long ctimeNs) {

  public FileType type() {
    return FileType.ofMode(mode);
  }

  /** The permission and set-id bits, {@code mode & 07777}. */
  public int permissions() {
    return mode & FileType.PERMISSION_BITS;
  }

  /** The major number of {@code rdev}, as glibc's {@code gnu_dev_major} splits it. */
  public static int major(long dev) {
    return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL));
  }

  /** The minor number of {@code rdev}, as glibc's {@code gnu_dev_minor} splits it. */
  public static int minor(long dev) {
    return (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL));
  }

  /** The {@code dev_t} of a major and minor number, as glibc's {@code gnu_dev_makedev} joins them. */
  public static long makedev(int major, int minor) {
    long ma = major & 0xffffffffL;
    long mi = minor & 0xffffffffL;
    return ((ma & 0xfffL) << 8) | ((ma & ~0xfffL) << 32) | (mi & 0xffL) | ((mi & ~0xffL) << 12);
  }
}
