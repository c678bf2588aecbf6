package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.Mount;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Vfs;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Set;

/**
 * openat2(2)'s {@code resolve} restrictions, walked one component at a time over the VFS (each
 * step a one-name {@link Vfs#lookup} without following, so every symlink, ".." and mount crossing
 * is seen here) and finished by {@link Vfs#open} of the last name in its directory, which keeps
 * open's own rules (O_CREAT, O_EXCL, O_NOFOLLOW, trailing slashes, permissions).
 *
 * <ul>
 *   <li>RESOLVE_BENEATH: an absolute path, an absolute symlink, or ".." at the starting directory
 *       gives EXDEV ("If any component ... would escape, EXDEV").
 *   <li>RESOLVE_IN_ROOT: the walk runs in a context whose root is the starting directory, so an
 *       absolute path or symlink starts there and ".." stops there.
 *   <li>RESOLVE_NO_SYMLINKS: any symlink that would be followed gives ELOOP (a final one is
 *       fine when not followed: O_PATH|O_NOFOLLOW).
 *   <li>RESOLVE_NO_XDEV: every place visited must be on the starting directory's mount, else
 *       EXDEV.
 *   <li>RESOLVE_NO_MAGICLINKS (implied by the three above, as openat2(2) says): the /proc links
 *       that Linux follows "magically" (PID/exe, cwd, root, fd/N, map_files/*, ns/*) give ELOOP.
 *   <li>RESOLVE_CACHED: every lookup of ours is in memory ("cached"), so it only refuses what
 *       needs I/O: O_CREAT, O_TRUNC, O_TMPFILE give EAGAIN.
 * </ul>
 *
 * Limit: the last name is looked up again by {@link Vfs#open}; if another thread replaces it with
 * a symlink between the two, that symlink is followed without the restrictions (Linux has no
 * such window).
 */
final class OpenResolve {
  static final long RESOLVE_NO_XDEV = 0x01;
  static final long RESOLVE_NO_MAGICLINKS = 0x02;
  static final long RESOLVE_NO_SYMLINKS = 0x04;
  static final long RESOLVE_BENEATH = 0x08;
  static final long RESOLVE_IN_ROOT = 0x10;
  static final long RESOLVE_CACHED = 0x20;
  static final long ALL = 0x3f;

  private static final byte[] DOT = {'.'};
  private static final byte[] DOT_DOT = {'.', '.'};
  private static final Set<String> MAGIC_NAMES = Set.of("exe", "cwd", "root");
  private static final Set<String> MAGIC_DIRS = Set.of("fd", "map_files", "ns");

  /** What was opened, and the directory and name it was opened as (for /proc/PID/fd). */
  record Opened(OpenFile file, Location parent, byte[] name) {}

  private static final class Frame {
    final byte[] path;
    int pos;

    Frame(byte[] path) {
      this.path = path;
    }

    boolean exhausted() {
      while (pos < path.length && path[pos] == '/') {
        pos++;
      }
      return pos >= path.length;
    }
  }

  private final Vfs vfs;
  private final FsContext ctx;
  private final Location anchor;
  private final long resolve;
  private final Mount startMount;
  private final boolean noMagic;

  private OpenResolve(Vfs vfs, FsContext ctx, Location anchor, long resolve) {
    this.vfs = vfs;
    this.ctx = ctx;
    this.anchor = anchor;
    this.resolve = resolve;
    this.startMount = anchor.mount();
    this.noMagic = (resolve & (RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH
        | RESOLVE_IN_ROOT)) != 0;
  }

  /**
   * Opens {@code path} from {@code dir} (a dirfd's location, or null for the working directory)
   * under the {@code resolve} flags (already validated).
   */
  static Opened open(Vfs vfs, FsContext processCtx, Location dir, byte[] path, int flags, int mode,
      long resolve) {
    if ((resolve & RESOLVE_CACHED) != 0
        && (flags & (Fcntl.O_CREAT | Fcntl.O_TRUNC | Fcntl.O_TMPFILE)) != 0) {
      throw Errno.EAGAIN.exception();
    }
    Location anchor = dir != null ? dir : processCtx.cwd();
    FsContext ctx = (resolve & RESOLVE_IN_ROOT) != 0
        ? new FsContext(anchor, anchor, processCtx.credentials(), processCtx.umask())
        : processCtx;
    return new OpenResolve(vfs, ctx, anchor, resolve).walk(path, flags, mode);
  }

  private boolean has(long flag) {
    return (resolve & flag) != 0;
  }

  private void checkMount(Location at) {
    if (has(RESOLVE_NO_XDEV) && at.mount() != startMount) {
      throw Errno.EXDEV.exception("RESOLVE_NO_XDEV");
    }
  }

  private Location jumpToRoot() {
    if (has(RESOLVE_BENEATH)) {
      throw Errno.EXDEV.exception("RESOLVE_BENEATH: absolute path");
    }
    Location root = ctx.root();
    checkMount(root);
    return root;
  }

  private Opened walk(byte[] path, int flags, int mode) {
    if (path.length == 0) {
      throw Errno.ENOENT.exception("empty path");
    }
    boolean follow = (flags & Fcntl.O_NOFOLLOW) == 0
        && (flags & (Fcntl.O_CREAT | Fcntl.O_EXCL)) != (Fcntl.O_CREAT | Fcntl.O_EXCL);
    Deque<Frame> frames = new ArrayDeque<>();
    frames.push(new Frame(path));
    Location cur = path[0] == '/' ? jumpToRoot() : anchor;
    int symlinks = 0;
    while (true) {
      while (!frames.isEmpty() && frames.peek().exhausted()) {
        frames.pop();
      }
      if (frames.isEmpty()) {
        // Only slashes were left: the path named a directory reached through a root.
        return finish(cur, DOT, flags, mode);
      }
      Frame f = frames.peek();
      int from = f.pos;
      int to = from;
      while (to < f.path.length && f.path[to] != '/') {
        to++;
      }
      boolean slashFollows = to < f.path.length;
      f.pos = to;
      boolean last = isLast(frames);
      byte[] name = Arrays.copyOfRange(f.path, from, to);
      boolean mustBeDir = last && slashFollows;
      if (Arrays.equals(name, DOT)) {
        if (last) {
          return finish(cur, DOT, flags, mode);
        }
        continue;
      }
      if (Arrays.equals(name, DOT_DOT)) {
        if (has(RESOLVE_BENEATH) && cur.equals(anchor)) {
          throw Errno.EXDEV.exception("RESOLVE_BENEATH: .. above the start");
        }
        Location up = vfs.lookup(ctx, cur, DOT_DOT, Fcntl.AT_SYMLINK_NOFOLLOW);
        checkMount(up);
        cur = up;
        if (last) {
          return finish(cur, DOT, flags, mode);
        }
        continue;
      }
      Location child;
      try {
        child = vfs.lookup(ctx, cur, name, Fcntl.AT_SYMLINK_NOFOLLOW);
      } catch (ErrnoException e) {
        if (last && e.errno() == Errno.ENOENT) {
          return finish(cur, withSlash(name, mustBeDir), flags, mode); // O_CREAT decides
        }
        throw e;
      }
      if (child.inode().type() == FileType.SYMLINK && (!last || follow || mustBeDir)) {
        if (has(RESOLVE_NO_SYMLINKS)) {
          throw Errno.ELOOP.exception("RESOLVE_NO_SYMLINKS");
        }
        if (noMagic && isMagic(child, cur, name)) {
          throw Errno.ELOOP.exception("RESOLVE_NO_MAGICLINKS");
        }
        if (++symlinks > Fcntl.MAXSYMLINKS) {
          throw Errno.ELOOP.exception();
        }
        byte[] target = child.inode().readlink();
        if (target.length == 0) {
          throw Errno.ENOENT.exception("empty symlink");
        }
        frames.push(new Frame(mustBeDir ? withSlash(target, true) : target));
        if (target[0] == '/') {
          cur = jumpToRoot();
        }
        continue;
      }
      checkMount(child);
      if (last) {
        return finish(cur, withSlash(name, mustBeDir), flags, mode);
      }
      cur = child;
    }
  }

  private Opened finish(Location dir, byte[] name, int flags, int mode) {
    OpenFile file = vfs.open(ctx, dir, name, flags, mode);
    try {
      checkMount(file.location());
    } catch (ErrnoException e) {
      file.close();
      throw e;
    }
    return new Opened(file, dir, name == DOT ? null : stripSlash(name));
  }

  private static boolean isLast(Deque<Frame> frames) {
    for (Frame f : frames) {
      if (!f.exhausted()) {
        return false;
      }
    }
    return true;
  }

  /** A /proc link Linux resolves without reading its text (proc(5), "magic links"). */
  private static boolean isMagic(Location link, Location dir, byte[] name) {
    if (!"proc".equals(link.mount().backend().typeName())) {
      return false;
    }
    if (MAGIC_NAMES.contains(new String(name, java.nio.charset.StandardCharsets.ISO_8859_1))) {
      return true;
    }
    try {
      FileName dirName = dir.inode().name();
      return dirName != null && MAGIC_DIRS.contains(
          new String(dirName.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
    } catch (ErrnoException e) {
      return false;
    }
  }

  private static byte[] withSlash(byte[] name, boolean slash) {
    if (!slash || name[name.length - 1] == '/') {
      return name;
    }
    byte[] b = Arrays.copyOf(name, name.length + 1);
    b[name.length] = '/';
    return b;
  }

  private static byte[] stripSlash(byte[] name) {
    int n = name.length;
    while (n > 1 && name[n - 1] == '/') {
      n--;
    }
    return n == name.length ? name : Arrays.copyOf(name, n);
  }
}
