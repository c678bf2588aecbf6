package dev.blinkchroot.vfs;

import java.util.ArrayList;
import java.util.List;

/**
 * Attribute changes on a resolved location, shared by the path calls ({@link Vfs#chmod}) and the
 * fd calls ({@link OpenFile#chmod}): the ownership, permission and read-only checks live here
 * once.
 */
final class Attributes {
  /** XATTR_NAME_MAX and XATTR_SIZE_MAX from {@code linux/limits.h}. */
  static final int XATTR_NAME_MAX = 255;
  static final int XATTR_SIZE_MAX = 65536;

  private Attributes() {}

  /**
   * chmod(2): EPERM unless the caller owns the file or is privileged; an unprivileged caller
   * setting S_ISGID on a file whose group it is not in has that bit silently cleared.
   */
  static void chmod(FsContext ctx, Location at, int mode) {
    Vfs.requireWritable(at);
    Stat st = at.stat();
    Credentials who = ctx.credentials();
    if (!Permissions.ownsOrRoot(who, st)) {
      throw Errno.EPERM.exception();
    }
    int perms = mode & FileType.PERMISSION_BITS;
    if (!who.isRoot() && st.type() != FileType.DIRECTORY && !who.inGroup(st.gid())) {
      perms &= ~FileType.S_ISGID;
    }
    at.inode().setPermissions(perms);
  }

  /**
   * chown(2): a privileged caller may set any ids; the owner may only change the group, to one
   * it belongs to. Changing a non-directory's owner or group clears S_ISUID, and S_ISGID when
   * group-execute is set (chown(2): "since Linux 2.2.13, root is treated like other users").
   */
  static void chown(FsContext ctx, Location at, int uid, int gid) {
    Vfs.requireWritable(at);
    Stat st = at.stat();
    Credentials who = ctx.credentials();
    if (!who.isRoot()) {
      boolean owner = who.uid() == st.uid();
      boolean uidOk = uid == -1 || (owner && uid == st.uid());
      boolean gidOk = gid == -1 || (owner && (gid == st.gid() || who.inGroup(gid)));
      if (!uidOk || !gidOk) {
        throw Errno.EPERM.exception();
      }
    }
    if (uid == -1 && gid == -1) {
      at.inode().setOwner(-1, -1); // still updates ctime, as Linux does
      return;
    }
    at.inode().setOwner(uid, gid);
    if (st.type() != FileType.DIRECTORY && st.type() != FileType.SYMLINK) {
      int perms = st.permissions();
      int cleared = perms & ~FileType.S_ISUID;
      if ((perms & 0010) != 0) {
        cleared &= ~FileType.S_ISGID;
      }
      if (cleared != perms) {
        at.inode().setPermissions(cleared);
      }
    }
  }

  /**
   * utimensat(2): setting both times to now needs ownership or write permission (EACCES);
   * setting any explicit time needs ownership (EPERM).
   */
  static void utimens(FsContext ctx, Location at, long atimeNs, long mtimeNs) {
    Vfs.requireWritable(at);
    if (atimeNs == Vfs.TIME_OMIT && mtimeNs == Vfs.TIME_OMIT) {
      return;
    }
    Stat st = at.stat();
    Credentials who = ctx.credentials();
    if (!Permissions.ownsOrRoot(who, st)) {
      boolean onlyNow = (atimeNs == Vfs.TIME_NOW || atimeNs == Vfs.TIME_OMIT)
          && (mtimeNs == Vfs.TIME_NOW || mtimeNs == Vfs.TIME_OMIT);
      if (!onlyNow) {
        throw Errno.EPERM.exception();
      }
      if (!Permissions.permits(who, st, Permissions.MAY_WRITE)) {
        throw Errno.EACCES.exception();
      }
    }
    long now = VfsClock.nowNanos();
    at.inode().setTimes(resolveTime(atimeNs, now), resolveTime(mtimeNs, now));
  }

  private static long resolveTime(long t, long now) {
    if (t == Vfs.TIME_NOW) {
      return now;
    }
    return t; // Vfs.TIME_OMIT is Inode.OMIT
  }

  /** truncate(2) on a path: write permission, EISDIR, EINVAL for non-regular, EROFS. */
  static void truncate(FsContext ctx, Location at, long length) {
    if (length < 0) {
      throw Errno.EINVAL.exception();
    }
    FileType type = at.inode().type();
    if (type == FileType.DIRECTORY) {
      throw Errno.EISDIR.exception();
    }
    if (type != FileType.REGULAR) {
      throw Errno.EINVAL.exception();
    }
    Vfs.requireWritable(at);
    Permissions.check(ctx.credentials(), at.inode(), Permissions.MAY_WRITE);
    try (FileContent content = at.inode().openContent(true)) {
      content.truncate(length);
    }
  }

  // ---------------------------------------------------------------- xattrs (xattr(7))

  static byte[] getxattr(FsContext ctx, Location at, String name) {
    checkXattrAccess(ctx, at, name, Permissions.MAY_READ);
    return at.inode().getXattr(name);
  }

  static void setxattr(FsContext ctx, Location at, String name, byte[] value, int xattrFlags) {
    if (value.length > XATTR_SIZE_MAX) {
      throw Errno.E2BIG.exception();
    }
    if ((xattrFlags & ~(Inode.XATTR_CREATE | Inode.XATTR_REPLACE)) != 0) {
      throw Errno.EINVAL.exception();
    }
    checkXattrAccess(ctx, at, name, Permissions.MAY_WRITE);
    Vfs.requireWritable(at);
    at.inode().setXattr(name, value, xattrFlags);
  }

  static void removexattr(FsContext ctx, Location at, String name) {
    checkXattrAccess(ctx, at, name, Permissions.MAY_WRITE);
    Vfs.requireWritable(at);
    at.inode().removeXattr(name);
  }

  /** The names the caller may see: trusted.* only for a privileged caller. */
  static List<String> listxattr(FsContext ctx, Location at) {
    List<String> visible = new ArrayList<>();
    for (String n : at.inode().listXattrs()) {
      if (!n.startsWith("trusted.") || ctx.credentials().isRoot()) {
        visible.add(n);
      }
    }
    return visible;
  }

  /**
   * xattr(7): names need a known namespace (EOPNOTSUPP otherwise) and at most 255 bytes (ERANGE).
   * user.* attributes exist only on regular files and directories (EPERM elsewhere) and follow
   * the file's permission bits; trusted.* needs privilege (EPERM).
   */
  private static void checkXattrAccess(FsContext ctx, Location at, String name, int mask) {
    if (name.isEmpty() || name.length() > XATTR_NAME_MAX) {
      throw Errno.ERANGE.exception();
    }
    Credentials who = ctx.credentials();
    if (name.startsWith("user.")) {
      FileType type = at.inode().type();
      if (type != FileType.REGULAR && type != FileType.DIRECTORY) {
        throw (mask == Permissions.MAY_READ ? Errno.ENODATA : Errno.EPERM).exception();
      }
      Permissions.check(who, at.inode(), mask);
    } else if (name.startsWith("trusted.")) {
      if (!who.isRoot()) {
        throw (mask == Permissions.MAY_READ ? Errno.ENODATA : Errno.EPERM).exception();
      }
    } else if (name.startsWith("security.") || name.startsWith("system.")) {
      if (mask == Permissions.MAY_WRITE && !who.isRoot()) {
        throw Errno.EPERM.exception();
      }
    } else {
      throw Errno.EOPNOTSUPP.exception(name);
    }
  }
}
