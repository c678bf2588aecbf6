package dev.blinkchroot.vfs.overlay;

import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileContent;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileSystemBackend;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import dev.blinkchroot.vfs.Stat;
import java.util.ArrayList;
import java.util.List;

/**
 * One file of the overlay: the upper inode once it has one, else the lower inode. The object and
 * its ino stay the same across copy-up, so callers holding it see the change.
 */
final class OverlayNode implements Inode {
  final OverlayBackend fs;
  private final long ino;
  private final FileType type;

  /** The upper inode, or null while the file lives only in the lower. Volatile for readers. */
  volatile Inode upper;
  /**
   * The lower inode the node shows or merges with; null when there is none or the upper hides it
   * (an opaque directory, a copied-up non-directory, a directory whose subtree was copied up).
   */
  Inode lower;
  /**
   * Directories: the containing directory (the root's is itself). Non-directories: the directory
   * of the one name a lower-only file is known by, which copy-up needs; stale once copied up.
   */
  OverlayNode parent;
  /** The name in {@link #parent}; null for the root. */
  FileName name;

  private MergedDir entries; // directories only; built on first use

  OverlayNode(OverlayBackend fs, long ino, FileType type, OverlayNode parent, FileName name,
      Inode upper, Inode lower) {
    this.fs = fs;
    this.ino = ino;
    this.type = type;
    this.parent = parent == null ? this : parent;
    this.name = name;
    this.upper = upper;
    this.lower = lower;
  }

  /** The inode that answers for this file now. */
  Inode current() {
    Inode u = upper;
    return u != null ? u : lower;
  }

  boolean isRoot() {
    return parent == this;
  }

  /** The merged entries, built from the layers on first use. Call under the lock. */
  MergedDir dir() {
    if (type != FileType.DIRECTORY) {
      throw Errno.ENOTDIR.exception();
    }
    if (entries == null) {
      entries = MergedDir.build(this);
    }
    return entries;
  }

  /** The built entries, or null when nobody has looked into this directory yet. */
  MergedDir dirIfBuilt() {
    return entries;
  }

  @Override
  public FileSystemBackend backend() {
    return fs;
  }

  @Override
  public long ino() {
    return ino;
  }

  @Override
  public FileType type() {
    return type;
  }

  /** The layer's attributes with the overlay's dev and ino; a directory counts merged subdirs. */
  @Override
  public Stat stat() {
    synchronized (fs.lock) {
      Stat s = current().stat();
      int nlink = type == FileType.DIRECTORY ? 2 + dir().subdirCount() : s.nlink();
      return new Stat(fs.deviceId(), ino, s.mode(), nlink, s.uid(), s.gid(), s.rdev(), s.size(),
          s.blksize(), s.blocks(), s.atimeNs(), s.mtimeNs(), s.ctimeNs());
    }
  }

  // ---- attributes: copy up, then change the upper ----

  @Override
  public void setPermissions(int permissions) {
    synchronized (fs.lock) {
      CopyUp.copyUp(this);
      upper.setPermissions(permissions);
    }
  }

  @Override
  public void setOwner(int uid, int gid) {
    synchronized (fs.lock) {
      CopyUp.copyUp(this);
      upper.setOwner(uid, gid);
    }
  }

  @Override
  public void setTimes(long atimeNs, long mtimeNs) {
    synchronized (fs.lock) {
      CopyUp.copyUp(this);
      upper.setTimes(atimeNs, mtimeNs);
    }
  }

  // ---- xattrs: the overlay's own (trusted.overlay.*) are invisible and untouchable ----

  private static boolean isOverlayXattr(String xattr) {
    return xattr.startsWith(OverlayBackend.OVERLAY_XATTR_PREFIX);
  }

  @Override
  public byte[] getXattr(String xattr) {
    if (isOverlayXattr(xattr)) {
      throw Errno.ENODATA.exception(xattr);
    }
    synchronized (fs.lock) {
      return current().getXattr(xattr);
    }
  }

  /** EPERM for trusted.overlay.*, as Linux overlayfs refuses its own xattrs. */
  @Override
  public void setXattr(String xattr, byte[] value, int flags) {
    if (isOverlayXattr(xattr)) {
      throw Errno.EPERM.exception(xattr);
    }
    synchronized (fs.lock) {
      CopyUp.copyUp(this);
      upper.setXattr(xattr, value, flags);
    }
  }

  @Override
  public List<String> listXattrs() {
    synchronized (fs.lock) {
      List<String> out = new ArrayList<>();
      for (String x : current().listXattrs()) {
        if (!isOverlayXattr(x)) {
          out.add(x);
        }
      }
      return out;
    }
  }

  @Override
  public void removeXattr(String xattr) {
    if (isOverlayXattr(xattr)) {
      throw Errno.EPERM.exception(xattr);
    }
    synchronized (fs.lock) {
      // ENODATA without a copy-up when there is nothing to remove
      current().getXattr(xattr);
      CopyUp.copyUp(this);
      upper.removeXattr(xattr);
    }
  }

  // ---- directories ----

  @Override
  public Inode lookup(FileName child) {
    synchronized (fs.lock) {
      return dir().get(child);
    }
  }

  @Override
  public Inode parent() {
    synchronized (fs.lock) {
      requireDirectory();
      return parent;
    }
  }

  @Override
  public FileName name() {
    synchronized (fs.lock) {
      requireDirectory();
      return isRoot() ? null : name;
    }
  }

  @Override
  public Inode create(FileName child, FileType childType, int permissions, int uid, int gid,
      long rdev) {
    synchronized (fs.lock) {
      return Namespace.create(this, child, childType, permissions, uid, gid, rdev);
    }
  }

  @Override
  public Inode symlink(FileName child, byte[] target, int uid, int gid) {
    synchronized (fs.lock) {
      return Namespace.symlink(this, child, target, uid, gid);
    }
  }

  @Override
  public void link(FileName child, Inode target) {
    synchronized (fs.lock) {
      Namespace.link(this, child, target);
    }
  }

  @Override
  public void unlink(FileName child) {
    synchronized (fs.lock) {
      Namespace.unlink(this, child);
    }
  }

  @Override
  public void rmdir(FileName child) {
    synchronized (fs.lock) {
      Namespace.rmdir(this, child);
    }
  }

  @Override
  public void rename(FileName from, Inode newParent, FileName to, int flags) {
    synchronized (fs.lock) {
      Renamer.rename(this, from, newParent, to, flags);
    }
  }

  @Override
  public List<DirEntry> readdir(long cookie, int max) {
    synchronized (fs.lock) {
      return dir().list(cookie, max);
    }
  }

  @Override
  public boolean isEmpty() {
    synchronized (fs.lock) {
      return dir().isEmpty();
    }
  }

  private void requireDirectory() {
    if (type != FileType.DIRECTORY) {
      throw Errno.ENOTDIR.exception();
    }
  }

  // ---- symlinks and regular files ----

  @Override
  public byte[] readlink() {
    if (type != FileType.SYMLINK) {
      throw Errno.EINVAL.exception();
    }
    synchronized (fs.lock) {
      return current().readlink();
    }
  }

  /**
   * Writable: copies up first, then opens the upper. Read-only on a lower file: reads follow the
   * file to the upper if it is copied up while open (Linux keeps reading the lower there).
   */
  @Override
  public FileContent openContent(boolean writable) {
    if (type != FileType.REGULAR) {
      throw Errno.EINVAL.exception();
    }
    synchronized (fs.lock) {
      if (writable) {
        CopyUp.copyUp(this);
        return upper.openContent(true);
      }
      Inode u = upper;
      if (u != null) {
        return u.openContent(false);
      }
      return new LowerReadContent(this, lower.openContent(false));
    }
  }

  @Override
  public String toString() {
    return "overlay:" + ino + (name == null ? "" : ":" + name);
  }
}
