package dev.blinkchroot.vfs;

/**
 * A tree of {@link Inode}s: what a mount mounts. Implementations: the java.nio store (memory on
 * Jimfs, or a host directory), the overlay, and the emulator's synthetic trees (/proc, /dev).
 */
public interface FileSystemBackend {
  Inode root();

  /** The {@code st_dev} of every inode of this backend; unique among live backends. */
  long deviceId();

  /** True if the backend itself cannot be written (a read-only image layer). */
  default boolean isReadOnly() {
    return false;
  }

  StatFs statfs();

  /** The file-system type name as /proc/mounts shows it ("tmpfs", "overlay"...). */
  String typeName();

  /** Flushes metadata the backend keeps on the side (host stores); called at unmount. */
  default void flush() {}
}
