package dev.blinkchroot.vfs;

import java.nio.ByteBuffer;

/**
 * The data of one regular file, open. Obtained from {@link Inode#openContent}; stays valid after
 * the file's last name is unlinked, until closed (Linux keeps an unlinked open file alive).
 * Positions are absolute: the open file description keeps the file offset.
 */
public interface FileContent extends AutoCloseable {
  /**
   * Reads up to {@code dst.remaining()} bytes at {@code position}. A hole reads as zeros.
   *
   * @return the number of bytes read, 0 at or past the end of the file
   */
  int read(long position, ByteBuffer dst);

  /**
   * Writes all of {@code src} at {@code position}, extending the file (with a hole) if needed,
   * and updates mtime and ctime.
   *
   * @return the number of bytes written
   * @throws ErrnoException EFBIG past the largest size, ENOSPC, EIO
   */
  int write(long position, ByteBuffer src);

  long size();

  /** Sets the size, cutting or extending with zeros; updates mtime and ctime if it changed. */
  void truncate(long size);

  /** Makes written data durable where the backend has durability (fsync). */
  default void sync() {}

  @Override
  void close();
}
