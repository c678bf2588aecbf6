package dev.blinkchroot.vfs;

/** What {@code statfs(2)} reports for a file system. */
public record StatFs(
    long type,
    long blockSize,
    long blocks,
    long blocksFree,
    long blocksAvailable,
    long files,
    long filesFree,
    long fsid,
    long nameMax,
    long fragmentSize,
    long flags) {
  /** {@code TMPFS_MAGIC} from {@code linux/magic.h}: what the memory store reports. */
  public static final long TMPFS_MAGIC = 0x01021994L;
  /** {@code OVERLAYFS_SUPER_MAGIC}: what the root overlay reports. */
  public static final long OVERLAYFS_SUPER_MAGIC = 0x794c7630L;
  /** {@code EXT4_SUPER_MAGIC}: what a host-backed store reports. */
  public static final long EXT4_SUPER_MAGIC = 0xEF53L;
  /** {@code ST_RDONLY} in {@code f_flags}. */
  public static final long ST_RDONLY = 1;
}
