package dev.blinkchroot.vfs;

/** Linux x86-64 flag values from {@code fcntl.h}, {@code unistd.h} and {@code stdio.h}. */
public final class Fcntl {
  private Fcntl() {}

  public static final int O_ACCMODE = 03;
  public static final int O_RDONLY = 0;
  public static final int O_WRONLY = 01;
  public static final int O_RDWR = 02;
  public static final int O_CREAT = 0100;
  public static final int O_EXCL = 0200;
  public static final int O_NOCTTY = 0400;
  public static final int O_TRUNC = 01000;
  public static final int O_APPEND = 02000;
  public static final int O_NONBLOCK = 04000;
  public static final int O_DSYNC = 010000;
  public static final int O_DIRECT = 040000;
  public static final int O_LARGEFILE = 0100000;
  public static final int O_DIRECTORY = 0200000;
  public static final int O_NOFOLLOW = 0400000;
  public static final int O_NOATIME = 01000000;
  public static final int O_CLOEXEC = 02000000;
  public static final int O_SYNC = 04010000;
  public static final int O_PATH = 010000000;
  /** O_TMPFILE includes O_DIRECTORY, as on Linux. */
  public static final int O_TMPFILE = 020200000;

  public static final int AT_FDCWD = -100;
  public static final int AT_SYMLINK_NOFOLLOW = 0x100;
  public static final int AT_REMOVEDIR = 0x200;
  public static final int AT_EACCESS = 0x200;
  public static final int AT_SYMLINK_FOLLOW = 0x400;
  public static final int AT_NO_AUTOMOUNT = 0x800;
  public static final int AT_EMPTY_PATH = 0x1000;

  public static final int F_OK = 0;
  public static final int X_OK = 1;
  public static final int W_OK = 2;
  public static final int R_OK = 4;

  public static final int SEEK_SET = 0;
  public static final int SEEK_CUR = 1;
  public static final int SEEK_END = 2;
  public static final int SEEK_DATA = 3;
  public static final int SEEK_HOLE = 4;

  /** PATH_MAX from {@code linux/limits.h}, counting the terminating NUL. */
  public static final int PATH_MAX = 4096;
  /** MAXSYMLINKS: how many symlinks one resolution may follow before ELOOP. */
  public static final int MAXSYMLINKS = 40;

  /** {@code utimensat(2)} special nanosecond values. */
  public static final long UTIME_NOW = (1L << 30) - 1;
  public static final long UTIME_OMIT = (1L << 30) - 2;
}
