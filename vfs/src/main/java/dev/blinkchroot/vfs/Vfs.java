package dev.blinkchroot.vfs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The mounted tree and every path operation on it, with Linux's semantics and its errors in
 * Linux's precedence. Paths are byte strings; {@code dir} arguments are a dirfd's location, or
 * null for the caller's working directory (as AT_FDCWD). Resolution is done by one
 * {@link PathWalker}; attribute changes live in {@link VfsAttributes}.
 *
 * <p>Thread-safe as far as the backends are: it holds no state of its own beyond the mount table.
 */
public final class Vfs {
  /**
   * The time values of {@link #utimens} meaning "now" and "leave unchanged". They cannot be real
   * timestamps (no host or archive has a time 292 billion years before the epoch); the syscall
   * layer turns a timespec whose tv_nsec is {@link Fcntl#UTIME_NOW} or {@link Fcntl#UTIME_OMIT}
   * into them.
   */
  public static final long TIME_NOW = Long.MIN_VALUE + 1;
  public static final long TIME_OMIT = Inode.OMIT;

  /** The umask a new context starts with, as a login shell's. */
  public static final int DEFAULT_UMASK = 022;

  private final MountTable mounts = new MountTable();
  private final PathWalker walker = new PathWalker(mounts);
  private final Mount rootMount;

  private Vfs(FileSystemBackend root, String source) {
    this.rootMount = mounts.mountRoot(root, source, false);
  }

  /** A tree with {@code root} mounted at "/". */
  public static Vfs create(FileSystemBackend root, String source) {
    return new Vfs(root, source);
  }

  public Location root() {
    return rootMount.root();
  }

  /** A context at the root with the given identity and the default umask. */
  public FsContext newContext(Credentials credentials) {
    return new FsContext(root(), root(), credentials, DEFAULT_UMASK);
  }

  // ---------------------------------------------------------------- mounts

  /** Mounts {@code backend} on the directory {@code path} names (followed). */
  public Mount mount(FsContext ctx, byte[] path, FileSystemBackend backend, String source,
      boolean readOnly) {
    Location at = walker.lookup(ctx, null, path, true);
    if (!at.isDirectory()) {
      throw Errno.ENOTDIR.exception();
    }
    return mounts.mount(at, backend, source, readOnly);
  }

  /** Unmounts the mount whose root {@code path} names; EINVAL if it names no mount root. */
  public void unmount(FsContext ctx, byte[] path) {
    Location at = walker.lookup(ctx, null, path, true);
    if (!at.isMountRoot()) {
      throw Errno.EINVAL.exception("not a mount point");
    }
    mounts.unmount(at.mount());
  }

  /** The mounts, in the order they were made (the root first). */
  public List<Mount> mounts() {
    return mounts.list();
  }

  /** Flushes every backend's side metadata (host stores). */
  public void flush() {
    for (Mount m : mounts.list()) {
      m.backend().flush();
    }
  }

  // ---------------------------------------------------------------- lookup

  /**
   * The location {@code path} names. {@code flags}: AT_SYMLINK_NOFOLLOW (do not follow a final
   * symlink), AT_EMPTY_PATH (an empty path names {@code dir} itself).
   */
  public Location lookup(FsContext ctx, Location dir, byte[] path, int flags) {
    if (path.length == 0 && (flags & Fcntl.AT_EMPTY_PATH) != 0) {
      return dir != null ? dir : ctx.cwd();
    }
    return walker.lookup(ctx, dir, path, (flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0);
  }

  /** stat, lstat (AT_SYMLINK_NOFOLLOW), fstatat (AT_EMPTY_PATH). */
  public Stat stat(FsContext ctx, Location dir, byte[] path, int flags) {
    return lookup(ctx, dir, path, flags).stat();
  }

  /** readlink(2): the target of the symlink {@code path} names; EINVAL if not a symlink. */
  public byte[] readlink(FsContext ctx, Location dir, byte[] path) {
    Location at = lookup(ctx, dir, path, Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH);
    if (at.inode().type() != FileType.SYMLINK) {
      throw Errno.EINVAL.exception();
    }
    return at.inode().readlink();
  }

  /**
   * access(2) and faccessat(2): F_OK, or any of R_OK, W_OK, X_OK, against {@code ctx}'s
   * credentials. W_OK on a read-only mount gives EROFS for files and directories.
   */
  public void access(FsContext ctx, Location dir, byte[] path, int mode, int flags) {
    Location at = lookup(ctx, dir, path, flags);
    if (mode == Fcntl.F_OK) {
      return;
    }
    Stat st = at.stat();
    if ((mode & Fcntl.W_OK) != 0 && at.mount().isReadOnly()
        && (st.type() == FileType.REGULAR || st.type() == FileType.DIRECTORY
            || st.type() == FileType.SYMLINK)) {
      throw Errno.EROFS.exception();
    }
    if (!Permissions.permits(ctx.credentials(), st, mode & 7)) {
      throw Errno.EACCES.exception();
    }
  }

  /**
   * The canonical absolute path of {@code path} as seen from {@code ctx}'s root: every symlink
   * resolved, no "." or "..", as realpath(3).
   */
  public byte[] realpath(FsContext ctx, Location dir, byte[] path) {
    PathWalker.Walk w = walker.walk(ctx, dir, path, true);
    Location found = w.existing();
    if (found.isDirectory() || w.parent() == null) {
      return pathOf(ctx, found);
    }
    return join(pathOf(ctx, w.parent()), w.name());
  }

  /**
   * The absolute path of a directory location from {@code ctx}'s root, as getcwd(2) gives it;
   * a directory outside that root is prefixed "(unreachable)", as Linux does; ENOENT for a
   * directory that has been removed.
   */
  public byte[] pathOf(FsContext ctx, Location directory) {
    Deque<FileName> names = new ArrayDeque<>();
    Location cur = directory;
    boolean reachable = true;
    while (!cur.equals(ctx.root())) {
      if (cur.isMountRoot()) {
        Location covered = cur.mount().mountpoint();
        if (covered == null) {
          reachable = false;
          break;
        }
        cur = covered;
        continue;
      }
      FileName name = cur.inode().name();
      if (name == null) {
        // getcwd(3): "ENOENT The current working directory has been unlinked."
        throw Errno.ENOENT.exception("removed directory");
      }
      names.push(name);
      cur = new Location(cur.mount(), cur.inode().parent());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!reachable) {
      out.writeBytes("(unreachable)".getBytes(StandardCharsets.US_ASCII));
    }
    if (names.isEmpty()) {
      out.write('/');
    }
    for (FileName n : names) {
      out.write('/');
      out.writeBytes(n.bytes());
    }
    return out.toByteArray();
  }

  private byte[] join(byte[] dirPath, FileName name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(dirPath);
    if (dirPath[dirPath.length - 1] != '/') {
      out.write('/');
    }
    out.writeBytes(name.bytes());
    return out.toByteArray();
  }

  /** chdir(2): needs a directory with search permission. */
  public void chdir(FsContext ctx, Location dir, byte[] path) {
    Location at = lookup(ctx, dir, path, 0);
    requireSearchableDirectory(ctx, at);
    ctx.setCwd(at);
  }

  /** fchdir(2) and the check it shares with chdir. */
  public void chdir(FsContext ctx, Location at) {
    requireSearchableDirectory(ctx, at);
    ctx.setCwd(at);
  }

  /** chroot(2): a nested root inside the sandbox; EPERM unless root. */
  public void chroot(FsContext ctx, byte[] path) {
    Location at = lookup(ctx, null, path, 0);
    requireSearchableDirectory(ctx, at);
    if (!ctx.credentials().isRoot()) {
      throw Errno.EPERM.exception();
    }
    ctx.setRoot(at);
  }

  private static void requireSearchableDirectory(FsContext ctx, Location at) {
    if (!at.isDirectory()) {
      throw Errno.ENOTDIR.exception();
    }
    Permissions.check(ctx.credentials(), at.inode(), Permissions.MAY_EXEC);
  }

  /** statfs(2) of the file system holding {@code path}. */
  public StatFs statfs(FsContext ctx, Location dir, byte[] path) {
    return statfs(lookup(ctx, dir, path, Fcntl.AT_EMPTY_PATH));
  }

  /** fstatfs(2). ST_RDONLY is set for a read-only mount. */
  public StatFs statfs(Location at) {
    StatFs s = at.mount().backend().statfs();
    if (!at.mount().isReadOnly()) {
      return s;
    }
    return new StatFs(s.type(), s.blockSize(), s.blocks(), s.blocksFree(), s.blocksAvailable(),
        s.files(), s.filesFree(), s.fsid(), s.nameMax(), s.fragmentSize(),
        s.flags() | StatFs.ST_RDONLY);
  }

  // ---------------------------------------------------------------- open

  /** open(2), openat(2), creat(2): one entry for all three. */
  public OpenFile open(FsContext ctx, Location dir, byte[] path, int flags, int mode) {
    return Opener.open(this, ctx, dir, path, flags, mode);
  }

  // ---------------------------------------------------------------- creating names

  /** mkdir(2). The new directory inherits S_ISGID from its parent. */
  public void mkdir(FsContext ctx, Location dir, byte[] path, int mode) {
    PathWalker.Walk w = walker.walk(ctx, dir, path, false);
    Location parent = prepareCreate(ctx, w, true);
    Stat parentStat = parent.stat();
    int perms = mode & 07777 & ~ctx.umask() & ~FileType.S_ISGID;
    perms |= parentStat.mode() & FileType.S_ISGID;
    parent.inode().create(w.name(), FileType.DIRECTORY, perms, ctx.credentials().uid(),
        newGid(ctx, parentStat), 0);
  }

  /**
   * mknod(2): a regular file, device node, FIFO or socket. Device nodes need privilege (EPERM);
   * S_IFDIR gives EPERM as on Linux; an unknown type EINVAL.
   */
  public void mknod(FsContext ctx, Location dir, byte[] path, int mode, long rdev) {
    FileType type = (mode & FileType.S_IFMT) == 0 ? FileType.REGULAR : FileType.ofMode(mode);
    if (type == null) {
      throw Errno.EINVAL.exception();
    }
    if (type == FileType.DIRECTORY || type == FileType.SYMLINK) {
      throw type == FileType.DIRECTORY ? Errno.EPERM.exception() : Errno.EINVAL.exception();
    }
    if (type.isDevice() && !ctx.credentials().isRoot()) {
      throw Errno.EPERM.exception("mknod of a device needs CAP_MKNOD");
    }
    PathWalker.Walk w = walker.walk(ctx, dir, path, false);
    Location parent = prepareCreate(ctx, w, false);
    parent.inode().create(w.name(), type, mode & 07777 & ~ctx.umask(), ctx.credentials().uid(),
        newGid(ctx, parent.stat()), type.isDevice() ? rdev : 0);
  }

  /** symlink(2): {@code target} is stored verbatim; empty gives ENOENT. */
  public void symlink(FsContext ctx, byte[] target, Location dir, byte[] path) {
    if (target.length == 0) {
      throw Errno.ENOENT.exception("empty symlink target");
    }
    if (target.length >= Fcntl.PATH_MAX) {
      throw Errno.ENAMETOOLONG.exception();
    }
    PathWalker.Walk w = walker.walk(ctx, dir, path, false);
    Location parent = prepareCreate(ctx, w, false);
    parent.inode().symlink(w.name(), target, ctx.credentials().uid(), newGid(ctx, parent.stat()));
  }

  /**
   * link(2) and linkat(2): {@code flags} AT_SYMLINK_FOLLOW (follow a final symlink of the
   * existing path) and AT_EMPTY_PATH. EPERM for a directory, EXDEV across mounts.
   */
  public void link(FsContext ctx, Location oldDir, byte[] oldPath, Location newDir, byte[] newPath,
      int flags) {
    int lookupFlags = (flags & Fcntl.AT_EMPTY_PATH)
        | ((flags & Fcntl.AT_SYMLINK_FOLLOW) != 0 ? 0 : Fcntl.AT_SYMLINK_NOFOLLOW);
    Location existing = lookup(ctx, oldDir, oldPath, lookupFlags);
    PathWalker.Walk w = walker.walk(ctx, newDir, newPath, false);
    if (!w.isNormalName()) {
      throw Errno.EEXIST.exception();
    }
    if (w.parent().mount() != existing.mount()) {
      throw Errno.EXDEV.exception();
    }
    Location parent = prepareCreate(ctx, w, false);
    if (existing.isDirectory()) {
      throw Errno.EPERM.exception("hard link to a directory");
    }
    parent.inode().link(w.name(), existing.inode());
  }

  /**
   * The checks every creation of a new name shares, in Linux's order: a "." / ".." / root last
   * component or an existing name gives EEXIST; then EROFS; a trailing slash on a non-directory
   * ENOENT; then write and search permission on the parent.
   */
  private Location prepareCreate(FsContext ctx, PathWalker.Walk w, boolean directory) {
    if (!w.isNormalName() || w.child() != null) {
      throw Errno.EEXIST.exception();
    }
    Location parent = w.parent();
    if (parent.mount().isReadOnly()) {
      throw Errno.EROFS.exception();
    }
    if (w.mustBeDirectory() && !directory) {
      throw Errno.ENOENT.exception("trailing slash on a new non-directory");
    }
    Permissions.check(ctx.credentials(), parent.inode(),
        Permissions.MAY_WRITE | Permissions.MAY_EXEC);
    return parent;
  }

  /** The group of a new file: the parent's when it has S_ISGID, else the caller's. */
  static int newGid(FsContext ctx, Stat parentStat) {
    return (parentStat.mode() & FileType.S_ISGID) != 0 ? parentStat.gid() : ctx.credentials().gid();
  }

  // ---------------------------------------------------------------- removing and moving names

  /** unlink(2); with AT_REMOVEDIR, rmdir. */
  public void unlink(FsContext ctx, Location dir, byte[] path, int flags) {
    if ((flags & Fcntl.AT_REMOVEDIR) != 0) {
      rmdir(ctx, dir, path);
      return;
    }
    PathWalker.Walk w = walker.walk(ctx, dir, path, false);
    if (!w.isNormalName()) {
      throw Errno.EISDIR.exception();
    }
    requireWritable(w.parent());
    Location victim = w.child();
    if (victim == null) {
      throw Errno.ENOENT.exception();
    }
    if (victim.isDirectory()) {
      throw Errno.EISDIR.exception();
    }
    if (w.mustBeDirectory()) {
      throw Errno.ENOTDIR.exception();
    }
    checkMayDelete(ctx, w.parent(), victim);
    if (victim.isMountRoot()) {
      throw Errno.EBUSY.exception();
    }
    w.parent().inode().unlink(w.name());
  }

  /** rmdir(2): "." gives EINVAL, ".." ENOTEMPTY, a root or mount point EBUSY. */
  public void rmdir(FsContext ctx, Location dir, byte[] path) {
    PathWalker.Walk w = walker.walk(ctx, dir, path, false);
    if (w.name() == null) {
      throw Errno.EBUSY.exception();
    }
    if (w.name().isDot()) {
      throw Errno.EINVAL.exception();
    }
    if (w.name().isDotDot()) {
      throw Errno.ENOTEMPTY.exception();
    }
    requireWritable(w.parent());
    Location victim = w.child();
    if (victim == null) {
      throw Errno.ENOENT.exception();
    }
    if (!victim.isDirectory()) {
      throw Errno.ENOTDIR.exception();
    }
    checkMayDelete(ctx, w.parent(), victim);
    if (victim.isMountRoot() || victim.equals(ctx.root())) {
      throw Errno.EBUSY.exception();
    }
    w.parent().inode().rmdir(w.name());
  }

  /**
   * rename(2) and renameat2(2) with RENAME_NOREPLACE and RENAME_EXCHANGE. Errors in Linux's
   * order: EXDEV across mounts, EBUSY for "."/".."/root, EROFS, ENOENT, EEXIST (NOREPLACE),
   * ENOTDIR for a trailing slash on a non-directory, EINVAL moving a directory into itself,
   * ENOTEMPTY onto an ancestor, ENOTDIR/EISDIR for mismatched types, EACCES, EPERM (sticky),
   * EBUSY for mount points.
   */
  public void rename(FsContext ctx, Location oldDir, byte[] oldPath, Location newDir,
      byte[] newPath, int flags) {
    Renamer.rename(this, ctx, oldDir, oldPath, newDir, newPath, flags);
  }

  /** EROFS if {@code at}'s mount cannot be written. */
  static void requireWritable(Location at) {
    if (at.mount().isReadOnly()) {
      throw Errno.EROFS.exception();
    }
  }

  /** The may-delete checks of unlink, rmdir and rename: parent write+search, then sticky. */
  static void checkMayDelete(FsContext ctx, Location parent, Location victim) {
    Permissions.check(ctx.credentials(), parent.inode(),
        Permissions.MAY_WRITE | Permissions.MAY_EXEC);
    Permissions.checkSticky(ctx.credentials(), parent.stat(), victim.stat());
  }

  // ---------------------------------------------------------------- attributes

  /** chmod(2), fchmodat(2) ({@code flags}: AT_SYMLINK_NOFOLLOW gives EOPNOTSUPP on a symlink). */
  public void chmod(FsContext ctx, Location dir, byte[] path, int mode, int flags) {
    Attributes.chmod(ctx, lookup(ctx, dir, path, flags), mode);
  }

  /** chown(2), lchown(2), fchownat(2); -1 leaves an id unchanged. */
  public void chown(FsContext ctx, Location dir, byte[] path, int uid, int gid, int flags) {
    Attributes.chown(ctx, lookup(ctx, dir, path, flags), uid, gid);
  }

  /**
   * utimensat(2): times in nanoseconds since the epoch, or {@link #TIME_NOW} /
   * {@link #TIME_OMIT}.
   */
  public void utimens(FsContext ctx, Location dir, byte[] path, long atimeNs, long mtimeNs,
      int flags) {
    Attributes.utimens(ctx, lookup(ctx, dir, path, flags), atimeNs, mtimeNs);
  }

  /** truncate(2): needs write permission; EISDIR for a directory, EINVAL for other types. */
  public void truncate(FsContext ctx, Location dir, byte[] path, long length) {
    Attributes.truncate(ctx, lookup(ctx, dir, path, 0), length);
  }

  /** getxattr(2) family; {@code flags} AT_SYMLINK_NOFOLLOW for the l-variants. */
  public byte[] getxattr(FsContext ctx, Location dir, byte[] path, String name, int flags) {
    return Attributes.getxattr(ctx, lookup(ctx, dir, path, flags), name);
  }

  /** setxattr(2) family; {@code xattrFlags} XATTR_CREATE or XATTR_REPLACE. */
  public void setxattr(FsContext ctx, Location dir, byte[] path, String name, byte[] value,
      int xattrFlags, int flags) {
    Attributes.setxattr(ctx, lookup(ctx, dir, path, flags), name, value, xattrFlags);
  }

  /** listxattr(2) family: the names the caller may see. */
  public List<String> listxattr(FsContext ctx, Location dir, byte[] path, int flags) {
    return Attributes.listxattr(ctx, lookup(ctx, dir, path, flags));
  }

  /** removexattr(2) family. */
  public void removexattr(FsContext ctx, Location dir, byte[] path, String name, int flags) {
    Attributes.removexattr(ctx, lookup(ctx, dir, path, flags), name);
  }

  PathWalker walker() {
    return walker;
  }
}
