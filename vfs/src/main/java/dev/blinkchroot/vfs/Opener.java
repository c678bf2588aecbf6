package dev.blinkchroot.vfs;

/**
 * open(2), openat(2) and creat(2) share this: flag validation, the final-symlink rules
 * (O_NOFOLLOW gives ELOOP, O_CREAT follows a dangling link and creates its target unless O_EXCL),
 * creation, and the checks of an existing file in Linux's order.
 */
final class Opener {
  private Opener() {}

  static OpenFile open(Vfs vfs, FsContext ctx, Location dir, byte[] path, int flags, int mode) {
    int access = flags & Fcntl.O_ACCMODE;
    if (access == Fcntl.O_ACCMODE) {
      throw Errno.EINVAL.exception("O_ACCMODE");
    }
    if ((flags & Fcntl.O_TMPFILE) == Fcntl.O_TMPFILE) {
      throw Errno.EOPNOTSUPP.exception("O_TMPFILE");
    }
    boolean pathOnly = (flags & Fcntl.O_PATH) != 0;
    if (pathOnly) {
      // open(2): with O_PATH, flags other than O_CLOEXEC, O_DIRECTORY and O_NOFOLLOW are ignored.
      flags &= Fcntl.O_PATH | Fcntl.O_DIRECTORY | Fcntl.O_NOFOLLOW | Fcntl.O_CLOEXEC;
      access = Fcntl.O_RDONLY;
    }
    boolean create = (flags & Fcntl.O_CREAT) != 0;
    boolean exclusive = create && (flags & Fcntl.O_EXCL) != 0;
    if (create && (flags & Fcntl.O_DIRECTORY) != 0) {
      throw Errno.EINVAL.exception("O_CREAT with O_DIRECTORY");
    }
    boolean follow = (flags & Fcntl.O_NOFOLLOW) == 0 && !exclusive;
    PathWalker.Walk w = vfs.walker().walk(ctx, dir, path, follow);
    Location at = w.child();
    if (create) {
      if (w.mustBeDirectory()) {
        throw Errno.EISDIR.exception("O_CREAT with a trailing slash");
      }
      if (at == null) {
        return createNew(ctx, w, flags, mode);
      }
      if (exclusive) {
        throw Errno.EEXIST.exception();
      }
      if (at.isDirectory()) {
        throw Errno.EISDIR.exception();
      }
    }
    at = w.existing();
    FileType type = at.inode().type();
    if (type == FileType.SYMLINK) {
      if (!pathOnly) {
        throw Errno.ELOOP.exception("O_NOFOLLOW on a symlink");
      }
    } else if ((flags & Fcntl.O_DIRECTORY) != 0 && type != FileType.DIRECTORY) {
      throw Errno.ENOTDIR.exception();
    }
    if (pathOnly) {
      return new OpenFile(at, flags, null);
    }
    boolean truncate = (flags & Fcntl.O_TRUNC) != 0;
    boolean writes = access != Fcntl.O_RDONLY || truncate;
    if (type == FileType.DIRECTORY && writes) {
      throw Errno.EISDIR.exception();
    }
    if (writes && (type == FileType.REGULAR || type == FileType.DIRECTORY)) {
      Vfs.requireWritable(at);
    }
    int mask = (access == Fcntl.O_WRONLY ? 0 : Permissions.MAY_READ)
        | (writes ? Permissions.MAY_WRITE : 0);
    Permissions.check(ctx.credentials(), at.inode(), mask);
    if (type == FileType.SOCKET) {
      throw Errno.ENXIO.exception("open of a socket");
    }
    FileContent content = null;
    if (type == FileType.REGULAR) {
      content = at.inode().openContent(writes);
      if (truncate) {
        content.truncate(0);
      }
    }
    return new OpenFile(at, flags, content);
  }

  private static OpenFile createNew(FsContext ctx, PathWalker.Walk w, int flags, int mode) {
    Location parent = w.parent();
    Vfs.requireWritable(parent);
    Permissions.check(ctx.credentials(), parent.inode(),
        Permissions.MAY_WRITE | Permissions.MAY_EXEC);
    Inode created = parent.inode().create(w.name(), FileType.REGULAR,
        mode & FileType.PERMISSION_BITS & ~ctx.umask(), ctx.credentials().uid(),
        Vfs.newGid(ctx, parent.stat()), 0);
    // The creator may use the new file whatever mode it was given (open(2)).
    Location at = new Location(parent.mount(), created);
    boolean writes = (flags & Fcntl.O_ACCMODE) != Fcntl.O_RDONLY;
    return new OpenFile(at, flags & ~Fcntl.O_TRUNC, created.openContent(writes));
  }
}
