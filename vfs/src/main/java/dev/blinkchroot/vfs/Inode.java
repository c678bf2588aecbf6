package dev.blinkchroot.vfs;

import java.util.List;

/**
 * One file of a {@link FileSystemBackend}: the backend SPI, in Linux's inode-operation terms.
 *
 * <p>Division of labour. {@link Vfs} resolves paths, follows symlinks, crosses mounts, checks
 * permissions (DAC, sticky directories), read-only mounts, and type rules (EISDIR, ENOTDIR,
 * EINVAL for a directory moved into itself). An inode only does what it is asked, on one name
 * within one directory, and never follows a symlink. It reports the errors only it can know:
 * EEXIST for a taken name, ENOENT for a missing one, ENOTEMPTY, ENOSPC, EIO, EOPNOTSUPP.
 *
 * <p>Identity. While any caller holds an inode, the backend returns that same object for the same
 * file (a dentry cache), so identity comparison and {@link #ino()} agree. {@code ino()} is stable
 * for the life of the file and unique within the backend.
 *
 * <p>Times. The backend maintains them as Linux does: a new node gets all three set to now; a
 * directory whose entries change gets mtime and ctime; a node whose attributes or link count
 * change gets ctime. atime is not updated by reads (as with {@code noatime}).
 *
 * <p>Defaults throw what Linux returns when an operation does not apply to the file's type.
 */
public interface Inode {
  /** Flags of {@link #rename}, with their {@code renameat2(2)} values. */
  int RENAME_NOREPLACE = 1;
  int RENAME_EXCHANGE = 2;

  /** Flags of {@link #setXattr}, with their {@code setxattr(2)} values. */
  int XATTR_CREATE = 1;
  int XATTR_REPLACE = 2;

  FileSystemBackend backend();

  long ino();

  FileType type();

  /** The inode's attributes now. {@code dev} is the backend's device id. */
  Stat stat();

  // ---- attributes ----

  /** Sets the 12 permission bits ({@code mode & 07777}); updates ctime. */
  void setPermissions(int permissions);

  /** Sets owner and group; -1 leaves one unchanged. Updates ctime. Does not touch set-id bits. */
  void setOwner(int uid, int gid);

  /**
   * Sets atime and mtime in nanoseconds; {@link #OMIT} leaves one unchanged. ctime becomes now.
   */
  void setTimes(long atimeNs, long mtimeNs);

  /** The value of {@link #setTimes} that leaves a time unchanged. */
  long OMIT = Long.MIN_VALUE;

  // ---- extended attributes (names include their namespace, e.g. "user.mime_type") ----

  /** The value, or ENODATA. */
  default byte[] getXattr(String name) {
    throw Errno.ENODATA.exception(name);
  }

  /** Sets a value; EEXIST under XATTR_CREATE if present, ENODATA under XATTR_REPLACE if absent. */
  default void setXattr(String name, byte[] value, int flags) {
    throw Errno.EOPNOTSUPP.exception("xattrs");
  }

  default List<String> listXattrs() {
    return List.of();
  }

  /** Removes a value, or ENODATA. */
  default void removeXattr(String name) {
    throw Errno.ENODATA.exception(name);
  }

  // ---- directories (the defaults answer ENOTDIR) ----

  /** The entry {@code name}, or null when there is none. {@code name} is never "." or "..". */
  default Inode lookup(FileName name) {
    throw Errno.ENOTDIR.exception();
  }

  /**
   * The directory containing this one; the backend's root returns itself. Directories cannot be
   * hard-linked, so this is well defined.
   */
  default Inode parent() {
    throw Errno.ENOTDIR.exception();
  }

  /** This directory's name in its parent; null for the backend's root. */
  default FileName name() {
    throw Errno.ENOTDIR.exception();
  }

  /**
   * Creates a directory, regular file, device node, FIFO or socket entry (not a symlink).
   *
   * @param permissions the 12 permission bits, umask already applied
   * @param rdev the device number, for device nodes; 0 otherwise
   * @throws ErrnoException EEXIST if {@code name} is taken
   */
  default Inode create(FileName name, FileType type, int permissions, int uid, int gid, long rdev) {
    throw Errno.ENOTDIR.exception();
  }

  /** Creates a symlink whose target is stored verbatim (mode 0777). EEXIST if taken. */
  default Inode symlink(FileName name, byte[] target, int uid, int gid) {
    throw Errno.ENOTDIR.exception();
  }

  /**
   * Adds a name for {@code target}, a non-directory of the same backend; its nlink grows.
   *
   * @throws ErrnoException EEXIST if taken, EMLINK at the backend's link limit
   */
  default void link(FileName name, Inode target) {
    throw Errno.ENOTDIR.exception();
  }

  /** Removes the entry of a non-directory; ENOENT if absent. The inode lives on while open. */
  default void unlink(FileName name) {
    throw Errno.ENOTDIR.exception();
  }

  /** Removes an empty directory entry; ENOENT if absent, ENOTEMPTY if it has entries. */
  default void rmdir(FileName name) {
    throw Errno.ENOTDIR.exception();
  }

  /**
   * Moves entry {@code name} to {@code newParent}/{@code newName} (same backend) atomically.
   * Without flags an existing target is replaced (a directory target must be empty: ENOTEMPTY);
   * RENAME_NOREPLACE gives EEXIST instead; RENAME_EXCHANGE swaps the two entries, both of which
   * must exist. The caller has checked types, permissions and that a directory does not move
   * into itself. Renaming an entry onto itself, or onto another name of the same inode, is a
   * successful no-op.
   */
  default void rename(FileName name, Inode newParent, FileName newName, int flags) {
    throw Errno.ENOTDIR.exception();
  }

  /**
   * Entries after position {@code cookie} (0 for the start), in position order, at most
   * {@code max}; never "." or "..". Positions are at least 3 (the VFS gives "." and ".." 1 and
   * 2), stay fixed for an entry while it stays, and increase along a listing, so a listing resumed
   * from a cookie sees every entry that existed throughout exactly once, even while the
   * directory changes.
   */
  default List<DirEntry> readdir(long cookie, int max) {
    throw Errno.ENOTDIR.exception();
  }

  /** True if the directory has no entries. */
  default boolean isEmpty() {
    throw Errno.ENOTDIR.exception();
  }

  // ---- symlinks ----

  /** The target bytes, verbatim. EINVAL for a non-symlink (as readlink(2)). */
  default byte[] readlink() {
    throw Errno.EINVAL.exception();
  }

  // ---- regular files ----

  /**
   * Opens the data of a regular file. The VFS calls this only for regular files.
   *
   * @param writable whether writes will be made (an overlay copies up here)
   */
  default FileContent openContent(boolean writable) {
    throw Errno.EINVAL.exception();
  }
}
