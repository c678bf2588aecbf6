package dev.blinkchroot.emulator.kernel.synthetic;

import dev.blinkchroot.vfs.DeviceIds;
import dev.blinkchroot.vfs.FileSystemBackend;
import dev.blinkchroot.vfs.Inode;
import dev.blinkchroot.vfs.StatFs;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file system whose files are made by the kernel rather than stored: /proc, /sys, an empty
 * /dev/pts. Nothing can be created, removed or renamed in it (the inode defaults refuse), and its
 * regular files are generated when opened. statfs reports the Linux magic of the type it imitates
 * and zero sizes, as pseudo file systems do.
 */
public final class SyntheticBackend implements FileSystemBackend {
  /** {@code PROC_SUPER_MAGIC} from linux/magic.h. */
  public static final long PROC_SUPER_MAGIC = 0x9fa0L;
  /** {@code SYSFS_MAGIC}. */
  public static final long SYSFS_MAGIC = 0x62656572L;
  /** {@code DEVPTS_SUPER_MAGIC}. */
  public static final long DEVPTS_SUPER_MAGIC = 0x1cd1L;

  private final String typeName;
  private final long magic;
  private final boolean newNamesMissing;
  private final long deviceId = DeviceIds.next();
  private final AtomicLong nextIno = new AtomicLong(1);
  private volatile SyntheticDir root;

  /**
   * @param newNamesMissing true for /proc, where a name that does not exist cannot even be looked
   *     up, so creating, linking or renaming to it fails with ENOENT; otherwise (sysfs, devpts)
   *     creation fails as in a directory without the operation: EACCES for open(O_CREAT), EPERM
   *     for mkdir, mknod, symlink, link and rename
   */
  public SyntheticBackend(String typeName, long magic, boolean newNamesMissing) {
    this.typeName = typeName;
    this.magic = magic;
    this.newNamesMissing = newNamesMissing;
  }

  boolean newNamesMissing() {
    return newNamesMissing;
  }

  /** Sets the root directory (made with {@link SyntheticDir#SyntheticDir(SyntheticBackend)}). */
  public void setRoot(SyntheticDir root) {
    this.root = root;
  }

  long allocateIno() {
    return nextIno.getAndIncrement();
  }

  @Override
  public Inode root() {
    return root;
  }

  @Override
  public long deviceId() {
    return deviceId;
  }

  @Override
  public StatFs statfs() {
    return new StatFs(magic, 4096, 0, 0, 0, 0, 0, deviceId, 255, 4096, 0);
  }

  @Override
  public String typeName() {
    return typeName;
  }
}
