package dev.blinkchroot.vfs;

/**
 * Path resolution, in exactly one place, as {@code path_resolution(7)} describes it:
 *
 * <ul>
 *   <li>A path starting with '/' starts at the caller's root, others at the directory given
 *       (a dirfd) or the working directory.
 *   <li>Every directory walked through needs search (execute) permission, else EACCES.
 *   <li>Intermediate symlinks are always followed; the final one only when asked, or when a
 *       trailing slash follows it. An absolute target restarts at the caller's root, so a sandbox
 *       can never be left through a symlink. More than {@link Fcntl#MAXSYMLINKS} gives ELOOP.
 *   <li>".." at the caller's root stays there; ".." at the root of a mount continues from the
 *       directory the mount covers.
 *   <li>A component over 255 bytes, or a path of {@link Fcntl#PATH_MAX} bytes or more, gives
 *       ENAMETOOLONG; a non-directory in the middle gives ENOTDIR; a missing one ENOENT.
 * </ul>
 */
final class PathWalker {
  private final MountTable mounts;

  PathWalker(MountTable mounts) {
    this.mounts = mounts;
  }

  /**
   * What a walk found. {@code child} is the final file, or null when the last name does not
   * exist (creation calls want that). {@code name} is the last component: null when the path
   * named a root ("/"), {@link FileName#DOT} or {@link FileName#DOT_DOT} when it ended so (Linux's
   * LAST_ROOT, LAST_DOT, LAST_DOTDOT), otherwise an ordinary name looked up in {@code parent}.
   * {@code mustBeDirectory} is set by a trailing slash.
   */
  record Walk(Location parent, FileName name, Location child, boolean mustBeDirectory) {
    boolean isNormalName() {
      return name != null && !name.isDot() && !name.isDotDot();
    }

    /** The existing file, or ENOENT; ENOTDIR if a trailing slash follows a non-directory. */
    Location existing() {
      if (child == null) {
        throw Errno.ENOENT.exception();
      }
      if (mustBeDirectory && !child.isDirectory()) {
        throw Errno.ENOTDIR.exception();
      }
      return child;
    }
  }

  /** A path still to be walked: the original, or a symlink target pushed in front of the rest. */
  private static final class Frame {
    final byte[] path;
    int pos;
    final Frame next;

    Frame(byte[] path, Frame next) {
      this.path = path;
      this.next = next;
    }

    void skipSlashes() {
      while (pos < path.length && path[pos] == '/') {
        pos++;
      }
    }

    boolean exhausted() {
      skipSlashes();
      return pos >= path.length;
    }
  }

  /**
   * Walks {@code path} from {@code start} (a dirfd's location, or null for the working
   * directory).
   *
   * @param followFinal whether a symlink as the last component is followed
   */
  Walk walk(FsContext ctx, Location start, byte[] path, boolean followFinal) {
    if (path.length >= Fcntl.PATH_MAX) {
      throw Errno.ENAMETOOLONG.exception();
    }
    if (path.length == 0) {
      throw Errno.ENOENT.exception("empty path");
    }
    Credentials who = ctx.credentials();
    Location cur = path[0] == '/' ? ctx.root() : (start != null ? start : ctx.cwd());
    Frame frame = new Frame(path, null);
    int symlinks = 0;
    while (true) {
      // Find the next component, popping frames that are used up.
      while (frame != null && frame.exhausted()) {
        frame = frame.next;
      }
      if (frame == null) {
        // The path ended at a directory reached through a root ("/", or a link to "/").
        return new Walk(null, null, cur, true);
      }
      int from = frame.pos;
      int to = from;
      while (to < frame.path.length && frame.path[to] != '/') {
        to++;
      }
      boolean trailingSlash = to < frame.path.length;
      frame.pos = to;
      boolean last = isLast(frame);
      FileName name = FileName.of(frame.path, from, to);

      if (!cur.isDirectory()) {
        throw Errno.ENOTDIR.exception();
      }
      if (name.isDot() || name.isDotDot()) {
        // Linux checks search permission on the directory before "." and ".." too.
        Permissions.check(who, cur.inode(), Permissions.MAY_EXEC);
        if (name.isDotDot()) {
          cur = up(ctx, cur);
        }
        if (last) {
          return new Walk(null, name, cur, true);
        }
        continue;
      }
      Permissions.check(who, cur.inode(), Permissions.MAY_EXEC);
      Inode found = cur.inode().lookup(name);
      if (found == null) {
        if (last) {
          return new Walk(cur, name, null, trailingSlash || endsWithSlash(path));
        }
        throw Errno.ENOENT.exception();
      }
      Location child = enter(cur.mount(), found);
      boolean mustBeDir = last && (trailingSlash || endsWithSlash(path));
      if (child.inode().type() == FileType.SYMLINK && (!last || followFinal || mustBeDir)) {
        if (++symlinks > Fcntl.MAXSYMLINKS) {
          throw Errno.ELOOP.exception();
        }
        byte[] target = child.inode().readlink();
        if (target.length == 0) {
          throw Errno.ENOENT.exception("empty symlink");
        }
        if (trailingSlash && last) {
          target = withTrailingSlash(target);
        }
        frame = new Frame(target, frame);
        if (target[0] == '/') {
          cur = ctx.root();
        }
        continue;
      }
      if (last) {
        return new Walk(cur, name, child, mustBeDir);
      }
      cur = child;
    }
  }

  /** The location of an existing file; follows a final symlink unless {@code nofollow}. */
  Location lookup(FsContext ctx, Location start, byte[] path, boolean followFinal) {
    return walk(ctx, start, path, followFinal).existing();
  }

  /** {@code found} as seen through {@code mount}, descending into whatever is mounted on it. */
  Location enter(Mount mount, Inode found) {
    Mount over = mounts.coveringMount(mount, found);
    while (over != null) {
      mount = over;
      found = over.backend().root();
      over = mounts.coveringMount(mount, found);
    }
    return new Location(mount, found);
  }

  /** The parent of directory {@code cur}, never above the caller's root. */
  Location up(FsContext ctx, Location cur) {
    while (true) {
      if (cur.equals(ctx.root())) {
        return cur;
      }
      if (cur.isMountRoot()) {
        Location covered = cur.mount().mountpoint();
        if (covered == null) {
          return cur; // the root of everything
        }
        cur = covered;
        continue;
      }
      return new Location(cur.mount(), cur.inode().parent());
    }
  }

  private static boolean isLast(Frame frame) {
    for (Frame f = frame; f != null; f = f.next) {
      if (!f.exhausted()) {
        return false;
      }
    }
    return true;
  }

  private static boolean endsWithSlash(byte[] path) {
    return path[path.length - 1] == '/';
  }

  private static byte[] withTrailingSlash(byte[] target) {
    if (target[target.length - 1] == '/') {
      return target;
    }
    byte[] t = java.util.Arrays.copyOf(target, target.length + 1);
    t[target.length] = '/';
    return t;
  }
}
