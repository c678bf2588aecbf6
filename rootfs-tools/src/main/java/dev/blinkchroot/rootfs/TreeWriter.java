package dev.blinkchroot.rootfs;

import dev.blinkchroot.vfs.Credentials;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileSystemBackend;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.Vfs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Creates archive entries in a tree through a {@link Vfs}, as root with umask 0, so that every
 * name goes through the VFS's one resolver: absolute names, "..", and symlinks planted by earlier
 * entries all resolve inside the tree and can never reach the host.
 *
 * <p>Tar semantics kept here: a later entry replaces an earlier one of the same name (a directory
 * over a directory only updates its attributes); missing parents are created 0755 root; owner is
 * set before mode because chown clears set-id bits; directory owner, mode and times are applied
 * at the end, after their contents are written, so the archive's directory mtimes survive.
 */
final class TreeWriter {
  private static final byte[] EMPTY = new byte[0];
  private static final int NOFOLLOW = Fcntl.AT_SYMLINK_NOFOLLOW;

  /** A problem with one entry that no errno describes well; the message is for the user. */
  static final class EntryError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EntryError(String message) {
      super(message, null, false, false);
    }
  }

  /** Attributes of one entry, as the archive gives them. */
  record Attrs(int permissions, int uid, int gid, long atimeNs, long mtimeNs,
      Map<String, byte[]> xattrs) {}

  private final Vfs vfs;
  private final FsContext ctx;
  private final byte[] buffer = new byte[64 * 1024];
  /** Directories named by entries, with the attributes of the last entry naming each. */
  private final Map<Location, Attrs> directories = new LinkedHashMap<>();

  TreeWriter(FileSystemBackend target) {
    this.vfs = Vfs.create(target, "import");
    this.ctx = new FsContext(vfs.root(), vfs.root(), Credentials.ROOT, 0);
  }

  void directory(byte[] path, Attrs attrs) {
    Stat old = lstatOrNull(path);
    if (old == null || old.type() != FileType.DIRECTORY) {
      if (old != null) {
        remove(path, old);
      }
      withParents(path, () -> vfs.mkdir(ctx, null, path, 0700));
    }
    Location at = vfs.lookup(ctx, null, path, NOFOLLOW);
    setXattrs(at, attrs.xattrs());
    directories.put(at, attrs);
  }

  void regular(byte[] path, Attrs attrs, InputStream data) throws IOException {
    replace(path);
    int flags = Fcntl.O_WRONLY | Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_NOFOLLOW;
    OpenFile file = withParents(path, () -> vfs.open(ctx, null, path, flags, 0600));
    try (file) {
      int n;
      while ((n = data.read(buffer)) > 0) {
        ByteBuffer src = ByteBuffer.wrap(buffer, 0, n);
        while (src.hasRemaining()) {
          file.write(src);
        }
      }
    }
    finish(file.location(), attrs, false);
  }

  void symlink(byte[] path, byte[] target, Attrs attrs) {
    replace(path);
    withParents(path, () -> vfs.symlink(ctx, target, null, path));
    finish(vfs.lookup(ctx, null, path, NOFOLLOW), attrs, true);
  }

  /** A device node, FIFO or socket; {@code type} gives the S_IFMT bits. */
  void node(byte[] path, FileType type, long rdev, Attrs attrs) {
    replace(path);
    withParents(path, () -> vfs.mknod(ctx, null, path, type.modeBits() | 0600, rdev));
    finish(vfs.lookup(ctx, null, path, NOFOLLOW), attrs, false);
  }

  /**
   * A hard link to an earlier entry. Like GNU tar, the link entry's own attributes are not
   * applied: they belong to the shared inode, which the target entry already set.
   */
  void hardLink(byte[] path, byte[] target) {
    Location existing;
    try {
      existing = vfs.lookup(ctx, null, target, NOFOLLOW);
    } catch (ErrnoException e) {
      if (e.errno() == Errno.ENOENT) {
        throw new EntryError("hard link target " + NameText.of(target)
            + " is not an earlier entry of the archive");
      }
      throw e;
    }
    Stat st = lstatOrNull(path);
    if (st != null) {
      if (vfs.lookup(ctx, null, path, NOFOLLOW).inode() == existing.inode()) {
        return; // already this inode (an archive that lists a link twice)
      }
      remove(path, st);
    }
    withParents(path, () -> vfs.link(ctx, existing, EMPTY, null, path, Fcntl.AT_EMPTY_PATH));
  }

  /** Applies the deferred directory attributes; call once, after the last entry. */
  void finishDirectories() {
    for (Map.Entry<Location, Attrs> e : directories.entrySet()) {
      Attrs a = e.getValue();
      Location at = e.getKey();
      vfs.chown(ctx, at, EMPTY, a.uid(), a.gid(), Fcntl.AT_EMPTY_PATH);
      vfs.chmod(ctx, at, EMPTY, a.permissions(), Fcntl.AT_EMPTY_PATH);
      vfs.utimens(ctx, at, EMPTY, a.atimeNs(), a.mtimeNs(), Fcntl.AT_EMPTY_PATH);
    }
    directories.clear();
  }

  /** chown, then chmod (chown clears set-id bits), xattrs, and times last (they change ctime). */
  private void finish(Location at, Attrs a, boolean symlink) {
    vfs.chown(ctx, at, EMPTY, a.uid(), a.gid(), Fcntl.AT_EMPTY_PATH);
    if (!symlink) {
      vfs.chmod(ctx, at, EMPTY, a.permissions(), Fcntl.AT_EMPTY_PATH);
    }
    setXattrs(at, a.xattrs());
    vfs.utimens(ctx, at, EMPTY, a.atimeNs(), a.mtimeNs(), Fcntl.AT_EMPTY_PATH);
  }

  private void setXattrs(Location at, Map<String, byte[]> xattrs) {
    FileType type = at.inode().type();
    for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
      if (x.getKey().startsWith("user.") && type != FileType.REGULAR
          && type != FileType.DIRECTORY) {
        continue; // Linux keeps user.* only on files and directories; GNU tar skips them too
      }
      vfs.setxattr(ctx, at, EMPTY, x.getKey(), x.getValue(), 0, Fcntl.AT_EMPTY_PATH);
    }
  }

  /** Removes whatever non-directory-over-directory entry holds {@code path} already. */
  private void replace(byte[] path) {
    Stat old = lstatOrNull(path);
    if (old != null) {
      remove(path, old);
    }
  }

  private void remove(byte[] path, Stat old) {
    if (old.type() == FileType.DIRECTORY) {
      // As GNU tar: only an empty directory gives way to a non-directory (ENOTEMPTY otherwise).
      Location gone = vfs.lookup(ctx, null, path, NOFOLLOW);
      vfs.rmdir(ctx, null, path);
      directories.remove(gone);
    } else {
      vfs.unlink(ctx, null, path, 0);
    }
  }

  private Stat lstatOrNull(byte[] path) {
    try {
      return vfs.stat(ctx, null, path, NOFOLLOW);
    } catch (ErrnoException e) {
      if (e.errno() == Errno.ENOENT) {
        return null;
      }
      throw e;
    }
  }

  private interface Op<T> {
    T run();
  }

  private interface VoidOp {
    void run();
  }

  private void withParents(byte[] path, VoidOp op) {
    withParents(path, () -> {
      op.run();
      return null;
    });
  }

  /** Runs {@code op}; if a parent is missing (ENOENT), creates the parents and runs it again. */
  private <T> T withParents(byte[] path, Op<T> op) {
    try {
      return op.run();
    } catch (ErrnoException e) {
      if (e.errno() != Errno.ENOENT) {
        throw e;
      }
    }
    makeParents(path);
    return op.run();
  }

  /** mkdir -p of every proper prefix of {@code path}, 0755 root, like tar's implied directories. */
  private void makeParents(byte[] path) {
    for (int i = 1; i < path.length; i++) {
      if (path[i] == '/' && path[i - 1] != '/') {
        byte[] prefix = Arrays.copyOf(path, i);
        try {
          vfs.mkdir(ctx, null, prefix, 0755);
        } catch (ErrnoException e) {
          if (e.errno() != Errno.EEXIST) {
            throw e;
          }
        }
      }
    }
  }
}
