package dev.blinkchroot.vfs.overlay;

import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;

/**
 * Entry changes inside an overlay directory other than rename: the directory is copied up, the
 * change is made in its upper, whiteouts hide what the lower still holds, and the merged index
 * follows. All under the overlay lock.
 */
final class Namespace {
  private Namespace() {}

  static Inode create(OverlayNode d, FileName name, FileType type, int permissions, int uid,
      int gid, long rdev) {
    MergedDir m = d.dir();
    if (m.contains(name)) {
      throw Errno.EEXIST.exception(name.toString());
    }
    if (type == FileType.SYMLINK) {
      throw Errno.EINVAL.exception("symlinks are made by symlink()");
    }
    if (type == FileType.CHARACTER_DEVICE && rdev == 0) {
      // it would read back as a whiteout and vanish
      throw Errno.EPERM.exception("character device 0/0 is the overlay whiteout");
    }
    boolean lowerBelow = Layers.lowerHas(d, name);
    CopyUp.copyUp(d);
    boolean hadWhiteout = Layers.removeWhiteout(d.upper, name);
    Inode made;
    try {
      made = d.upper.create(name, type, permissions, uid, gid, rdev);
    } catch (ErrnoException e) {
      restoreWhiteout(d, name, hadWhiteout);
      throw e;
    }
    if (type == FileType.DIRECTORY && (hadWhiteout || lowerBelow)) {
      // a new directory over a deleted lower one must not show the old contents
      try {
        Layers.markOpaque(made);
      } catch (ErrnoException e) {
        d.upper.rmdir(name);
        restoreWhiteout(d, name, hadWhiteout);
        throw e;
      }
    }
    OverlayNode n = d.fs.node(d, name, made, null);
    m.put(name, n);
    return n;
  }

  static Inode symlink(OverlayNode d, FileName name, byte[] target, int uid, int gid) {
    MergedDir m = d.dir();
    if (m.contains(name)) {
      throw Errno.EEXIST.exception(name.toString());
    }
    CopyUp.copyUp(d);
    boolean hadWhiteout = Layers.removeWhiteout(d.upper, name);
    Inode made;
    try {
      made = d.upper.symlink(name, target, uid, gid);
    } catch (ErrnoException e) {
      restoreWhiteout(d, name, hadWhiteout);
      throw e;
    }
    OverlayNode n = d.fs.node(d, name, made, null);
    m.put(name, n);
    return n;
  }

  /** Copies up the target (breaking any lower hard link it had), then links in the upper. */
  static void link(OverlayNode d, FileName name, Inode target) {
    if (!(target instanceof OverlayNode t) || t.fs != d.fs) {
      throw Errno.EXDEV.exception();
    }
    if (t.type() == FileType.DIRECTORY) {
      throw Errno.EPERM.exception("hard link to a directory");
    }
    MergedDir m = d.dir();
    if (m.contains(name)) {
      throw Errno.EEXIST.exception(name.toString());
    }
    CopyUp.copyUp(t);
    CopyUp.copyUp(d);
    boolean hadWhiteout = Layers.removeWhiteout(d.upper, name);
    try {
      d.upper.link(name, t.upper);
    } catch (ErrnoException e) {
      restoreWhiteout(d, name, hadWhiteout);
      throw e;
    }
    d.fs.registerUpper(t);
    m.put(name, t);
  }

  static void unlink(OverlayNode d, FileName name) {
    MergedDir m = d.dir();
    OverlayNode n = m.get(name);
    if (n == null) {
      throw Errno.ENOENT.exception(name.toString());
    }
    if (n.type() == FileType.DIRECTORY) {
      throw Errno.EISDIR.exception(name.toString());
    }
    boolean lowerBelow = Layers.lowerHas(d, name);
    CopyUp.copyUp(d);
    if (n.upper != null) {
      d.upper.unlink(name);
    }
    if (lowerBelow) {
      Layers.makeWhiteout(d.upper, name);
    }
    m.remove(name);
    d.fs.forgetIfGone(n);
  }

  static void rmdir(OverlayNode d, FileName name) {
    MergedDir m = d.dir();
    OverlayNode n = m.get(name);
    if (n == null) {
      throw Errno.ENOENT.exception(name.toString());
    }
    if (n.type() != FileType.DIRECTORY) {
      throw Errno.ENOTDIR.exception(name.toString());
    }
    if (!n.dir().isEmpty()) {
      throw Errno.ENOTEMPTY.exception(name.toString());
    }
    boolean lowerBelow = Layers.lowerHas(d, name);
    CopyUp.copyUp(d);
    if (n.upper != null) {
      // merged-empty, so the upper holds whiteouts at most; they must go before rmdir
      Layers.clearWhiteouts(n.upper);
      d.upper.rmdir(name);
    }
    if (lowerBelow) {
      Layers.makeWhiteout(d.upper, name);
    }
    m.remove(name);
  }

  private static void restoreWhiteout(OverlayNode d, FileName name, boolean hadWhiteout) {
    if (hadWhiteout) {
      Layers.makeWhiteout(d.upper, name);
    }
  }
}
