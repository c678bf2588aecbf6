package dev.blinkchroot.vfs.overlay;

import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FileContent;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import dev.blinkchroot.vfs.Stat;
import java.nio.ByteBuffer;

/**
 * Copy-up: gives a lower-only node an upper twin before its first change, parents first. The
 * copy keeps type, mode (set-id and sticky bits too), owner, rdev, atime and mtime to the
 * nanosecond, xattrs, a symlink's target bytes and a file's data (holes stay holes). ctime
 * becomes now, as it does on Linux, where nobody can set it.
 *
 * <p>A lower file with several names is copied up through the one name its node knows; the other
 * names keep showing the lower file, so the hard link is broken, as on Linux overlayfs without
 * {@code index=on}.
 */
final class CopyUp {
  private static final int CHUNK = 64 * 1024;

  private CopyUp() {}

  /** Makes sure {@code n} has an upper inode. Call under the lock. */
  static void copyUp(OverlayNode n) {
    if (n.upper != null) {
      return;
    }
    if (n.isRoot()) {
      n.fs.ensureUpper();
      return;
    }
    OverlayNode p = n.parent;
    copyUp(p);
    Inode dir = p.upper;
    Inode src = n.lower;
    Stat st = src.stat();
    // Linux restores the parent's times after a copy-up: nothing visible changed in it
    Stat parentTimes = dir.stat();
    int perms = st.permissions();
    Inode made;
    switch (n.type()) {
      case SYMLINK:
        made = dir.symlink(n.name, src.readlink(), st.uid(), st.gid());
        break;
      case DIRECTORY:
      case REGULAR:
        made = dir.create(n.name, n.type(), perms, st.uid(), st.gid(), 0);
        break;
      default:
        made = dir.create(n.name, n.type(), perms, st.uid(), st.gid(), st.rdev());
        break;
    }
    try {
      if (n.type() == FileType.REGULAR) {
        copyData(src, made);
      }
      copyAttributes(src, made, st);
    } catch (ErrnoException e) {
      // a half-made copy must not become visible as the file
      try {
        if (n.type() == FileType.DIRECTORY) {
          dir.rmdir(n.name);
        } else {
          dir.unlink(n.name);
        }
      } catch (ErrnoException ignored) {
        // the original error says more
      }
      throw e;
    }
    dir.setTimes(parentTimes.atimeNs(), parentTimes.mtimeNs());
    n.upper = made;
    if (n.type() != FileType.DIRECTORY) {
      n.lower = null;
      n.fs.registerUpper(n);
    }
  }

  /**
   * Copies up {@code n} and, for a directory, everything under it, after which the upper holds
   * the whole merged subtree and the lower no longer matters to it (the caller makes the top
   * opaque when a lower directory could show through it).
   */
  static void copyUpTree(OverlayNode n) {
    copyUp(n);
    if (n.type() != FileType.DIRECTORY) {
      return;
    }
    for (OverlayNode child : n.dir().nodes()) {
      copyUpTree(child);
    }
    n.lower = null;
  }

  /** xattrs, owner, permissions, then times (last: the others change ctime, data mtime). */
  static void copyAttributes(Inode src, Inode dst, Stat st) {
    for (String x : src.listXattrs()) {
      if (!x.startsWith(OverlayBackend.OVERLAY_XATTR_PREFIX)) {
        dst.setXattr(x, src.getXattr(x), 0);
      }
    }
    if (st.type() != FileType.SYMLINK) {
      // owner before mode, so no backend's chown rule can drop the set-id bits we restore
      dst.setOwner(st.uid(), st.gid());
      dst.setPermissions(st.permissions());
    }
    dst.setTimes(st.atimeNs(), st.mtimeNs());
  }

  private static void copyData(Inode src, Inode dst) {
    try (FileContent in = src.openContent(false); FileContent out = dst.openContent(true)) {
      long size = in.size();
      ByteBuffer buf = ByteBuffer.allocate(CHUNK);
      long pos = 0;
      while (pos < size) {
        buf.clear();
        int n = in.read(pos, buf);
        if (n <= 0) {
          break;
        }
        buf.flip();
        if (!allZero(buf)) {
          out.write(pos, buf);
        }
        pos += n;
      }
      out.truncate(size); // extends over trailing zero chunks as a hole
    }
  }

  private static boolean allZero(ByteBuffer buf) {
    for (int i = buf.position(); i < buf.limit(); i++) {
      if (buf.get(i) != 0) {
        return false;
      }
    }
    return true;
  }
}
