package dev.blinkchroot.vfs;

/** rename(2) and renameat2(2): the checks, in Linux's order, before the backend's atomic move. */
final class Renamer {
  private Renamer() {}

  static void rename(Vfs vfs, FsContext ctx, Location oldDir, byte[] oldPath, Location newDir,
      byte[] newPath, int flags) {
    if ((flags & ~(Inode.RENAME_NOREPLACE | Inode.RENAME_EXCHANGE)) != 0
        || flags == (Inode.RENAME_NOREPLACE | Inode.RENAME_EXCHANGE)) {
      throw Errno.EINVAL.exception();
    }
    boolean exchange = (flags & Inode.RENAME_EXCHANGE) != 0;
    PathWalker walker = vfs.walker();
    PathWalker.Walk from = walker.walk(ctx, oldDir, oldPath, false);
    PathWalker.Walk to = walker.walk(ctx, newDir, newPath, false);
    if (mountOf(from) != mountOf(to)) {
      throw Errno.EXDEV.exception();
    }
    if (!from.isNormalName()) {
      throw Errno.EBUSY.exception();
    }
    if (!to.isNormalName()) {
      throw ((flags & Inode.RENAME_NOREPLACE) != 0 ? Errno.EEXIST : Errno.EBUSY).exception();
    }
    Vfs.requireWritable(from.parent());
    Location source = from.child();
    Location target = to.child();
    if (source == null) {
      throw Errno.ENOENT.exception();
    }
    if (exchange && target == null) {
      throw Errno.ENOENT.exception();
    }
    if ((flags & Inode.RENAME_NOREPLACE) != 0 && target != null) {
      throw Errno.EEXIST.exception();
    }
    if (!source.isDirectory() && (from.mustBeDirectory() || (!exchange && to.mustBeDirectory()))) {
      throw Errno.ENOTDIR.exception();
    }
    if (exchange && !target.isDirectory() && to.mustBeDirectory()) {
      throw Errno.ENOTDIR.exception();
    }
    // A directory cannot move beneath itself, nor be replaced by something beneath it.
    if (source.isDirectory() && isAncestorOrSelf(source, to.parent())) {
      throw Errno.EINVAL.exception("a directory into itself");
    }
    if (target != null && target.isDirectory() && isAncestorOrSelf(target, from.parent())) {
      throw (exchange ? Errno.EINVAL : Errno.ENOTEMPTY).exception();
    }
    if (target != null && target.inode() == source.inode()) {
      return; // rename(2): two links to the same file: "does nothing, and returns a success"
    }
    if (target != null && !exchange) {
      if (source.isDirectory() && !target.isDirectory()) {
        throw Errno.ENOTDIR.exception();
      }
      if (!source.isDirectory() && target.isDirectory()) {
        throw Errno.EISDIR.exception();
      }
    }
    Vfs.checkMayDelete(ctx, from.parent(), source);
    if (target != null) {
      Vfs.checkMayDelete(ctx, to.parent(), target);
    } else {
      Permissions.check(ctx.credentials(), to.parent().inode(),
          Permissions.MAY_WRITE | Permissions.MAY_EXEC);
    }
    // Moving a directory to another parent rewrites its "..": it must be writable.
    boolean newParent = from.parent().inode() != to.parent().inode();
    if (newParent && source.isDirectory()) {
      Permissions.check(ctx.credentials(), source.inode(), Permissions.MAY_WRITE);
    }
    if (newParent && exchange && target.isDirectory()) {
      Permissions.check(ctx.credentials(), target.inode(), Permissions.MAY_WRITE);
    }
    if (source.isMountRoot() || (target != null && target.isMountRoot())
        || source.equals(ctx.root()) || (target != null && target.equals(ctx.root()))) {
      throw Errno.EBUSY.exception();
    }
    from.parent().inode().rename(from.name(), to.parent().inode(), to.name(), flags);
  }

  private static Mount mountOf(PathWalker.Walk w) {
    return w.parent() != null ? w.parent().mount() : w.child().mount();
  }

  /** True if {@code dir} is {@code ancestor} or lies beneath it within the same mount. */
  private static boolean isAncestorOrSelf(Location ancestor, Location dir) {
    if (ancestor.mount() != dir.mount()) {
      return false;
    }
    Inode root = dir.mount().backend().root();
    Inode cur = dir.inode();
    while (true) {
      if (cur == ancestor.inode()) {
        return true;
      }
      if (cur == root) {
        return false;
      }
      cur = cur.parent();
    }
  }
}
