package dev.blinkchroot.vfs.overlay;

import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;

/**
 * rename(2) on the overlay. Both sides are copied up (a directory with its whole subtree, where
 * Linux overlayfs without redirect_dir answers EXDEV), then the upper renames atomically; a source
 * name the lower still holds gets a whiteout, and a moved directory is made opaque wherever a
 * lower directory could show through it. Under the overlay lock.
 */
final class Renamer {
  private Renamer() {}

  static void rename(OverlayNode s, FileName name, Inode newParent, FileName newName, int flags) {
    if (!(newParent instanceof OverlayNode t) || t.fs != s.fs) {
      throw Errno.EXDEV.exception();
    }
    int known = Inode.RENAME_NOREPLACE | Inode.RENAME_EXCHANGE;
    if ((flags & ~known) != 0 || flags == known) {
      throw Errno.EINVAL.exception("rename flags " + flags);
    }
    if (t.type() != FileType.DIRECTORY) {
      throw Errno.ENOTDIR.exception();
    }
    boolean exchange = (flags & Inode.RENAME_EXCHANGE) != 0;
    MergedDir sm = s.dir();
    MergedDir tm = t.dir();
    OverlayNode src = sm.get(name);
    if (src == null) {
      throw Errno.ENOENT.exception(name.toString());
    }
    OverlayNode dst = tm.get(newName);
    if (exchange && dst == null) {
      throw Errno.ENOENT.exception(newName.toString());
    }
    if ((flags & Inode.RENAME_NOREPLACE) != 0 && dst != null) {
      throw Errno.EEXIST.exception(newName.toString());
    }
    if (src == dst || (dst != null && src.upper == null && dst.upper == null
        && src.lower == dst.lower)) {
      // the same entry, or two names of one inode (lower names get a node each): a no-op
      return;
    }
    if (!exchange && dst != null && dst.type() == FileType.DIRECTORY && !dst.dir().isEmpty()) {
      throw Errno.ENOTEMPTY.exception(newName.toString());
    }

    boolean srcLowerBelow = Layers.lowerHas(s, name);
    boolean dstLowerBelow = Layers.lowerHas(t, newName);
    // a directory landing where a lower directory could merge with it, or carrying lower
    // content copied from elsewhere, must hide the lower at its new place
    boolean srcOpaque = src.type() == FileType.DIRECTORY && (src.lower != null || dstLowerBelow);
    boolean dstOpaque = exchange && dst.type() == FileType.DIRECTORY
        && (dst.lower != null || srcLowerBelow);

    CopyUp.copyUp(s);
    CopyUp.copyUp(t);
    CopyUp.copyUpTree(src);
    if (exchange) {
      CopyUp.copyUpTree(dst);
    } else if (dst != null && dst.type() == FileType.DIRECTORY && dst.upper != null) {
      Layers.clearWhiteouts(dst.upper); // the upper rename replaces only an empty directory
    }
    if (srcOpaque) {
      Layers.markOpaque(src.upper);
    }
    if (dstOpaque) {
      Layers.markOpaque(dst.upper);
    }
    boolean hadWhiteout = dst == null && Layers.removeWhiteout(t.upper, newName);
    try {
      s.upper.rename(name, t.upper, newName, flags);
    } catch (ErrnoException e) {
      if (hadWhiteout) {
        Layers.makeWhiteout(t.upper, newName);
      }
      throw e;
    }
    if (!exchange && srcLowerBelow) {
      Layers.makeWhiteout(s.upper, name);
    }

    if (exchange) {
      sm.put(name, dst);
      tm.put(newName, src);
      dst.parent = s;
      dst.name = name;
    } else {
      sm.remove(name);
      OverlayNode replaced = tm.put(newName, src);
      if (replaced != null) {
        s.fs.forgetIfGone(replaced);
      }
    }
    src.parent = t;
    src.name = newName;
  }
}
