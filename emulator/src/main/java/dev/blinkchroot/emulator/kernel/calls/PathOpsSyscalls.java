package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.DirentWriter;
import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.abi.StatLayout;
import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Inode;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.StatFs;

/**
 * The path-operation family: stat, access, the working directory, creating, removing, renaming
 * and linking names, symlinks, ownership and modes, times, statfs, chroot, mount and the xattr
 * calls. Each entry decodes its arguments (dirfd/AT_FDCWD, flags: unknown bits give EINVAL, as
 * the kernel checks them before touching the path) and delegates to the {@link
 * dev.blinkchroot.vfs.Vfs}, which resolves paths and reports errors in Linux's order. Structures
 * are encoded by {@link StatLayout} and {@link DirentWriter}; times by {@link PathTimes}; xattrs by
 * {@link PathXattrs}.
 */
public final class PathOpsSyscalls {
  private PathOpsSyscalls() {}

  /** The flags fstatat(2) accepts; the AT_STATX_SYNC_* bits pass as for statx. */
  static final int AT_STATX_SYNC_AS_STAT = 0x0000;
  public static final int AT_STATX_FORCE_SYNC = 0x2000;
  public static final int AT_STATX_DONT_SYNC = 0x4000;
  public static final int AT_STATX_SYNC_TYPE = 0x6000;
  private static final int STAT_FLAGS = Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_NO_AUTOMOUNT
      | Fcntl.AT_EMPTY_PATH | AT_STATX_SYNC_TYPE;

  /** renameat2(2) flags. */
  public static final int RENAME_NOREPLACE = 1;
  public static final int RENAME_EXCHANGE = 2;
  public static final int RENAME_WHITEOUT = 4;

  // ---------------------------------------------------------------- stat

  /** stat(path,ostat) */
  public static long stat(Task t) {
    byte[] path = t.pathArg(0);
    return writeStat(t, t.arg(1), PathArgs.statTarget(t, Fcntl.AT_FDCWD, path, 0).stat());
  }

  /** fstat(fd,ostat): O_PATH descriptors work (open(2), O_PATH: "fstat(2) (since Linux 3.6)"). */
  public static long fstat(Task t) {
    return writeStat(t, t.arg(1), PathArgs.anyFile(t, t.intArg(0)).stat());
  }

  /** lstat(path,ostat) */
  public static long lstat(Task t) {
    byte[] path = t.pathArg(0);
    return writeStat(t, t.arg(1),
        PathArgs.target(t, Fcntl.AT_FDCWD, path, Fcntl.AT_SYMLINK_NOFOLLOW).stat());
  }

  /** newfstatat(dirfd,path,ostat,atflags) */
  public static long newfstatat(Task t) {
    int flags = t.intArg(3);
    if ((flags & ~STAT_FLAGS) != 0) {
      throw Errno.EINVAL.exception("fstatat flags");
    }
    byte[] path = PathArgs.pathOrEmpty(t, 1, flags);
    return writeStat(t, t.arg(2), PathArgs.statTarget(t, t.intArg(0), path, flags).stat());
  }

  private static long writeStat(Task t, long guestAddr, Stat st) {
    GuestIo.write(t.memory(), guestAddr, StatLayout.stat(st));
    return 0;
  }

  /**
   * statx(dirfd,path,atflags,mask,statxbuf). statx(2): "EINVAL Reserved flag specified in
   * flags" (including FORCE_SYNC with DONT_SYNC) and "EINVAL Reserved flag specified in mask".
   * The sync flags are accepted and mean nothing here: every backend is local and coherent.
   */
  public static long statx(Task t) {
    int flags = t.intArg(2);
    int mask = t.intArg(3);
    if ((mask & StatLayout.STATX__RESERVED) != 0) {
      throw Errno.EINVAL.exception("statx mask");
    }
    if ((flags & ~STAT_FLAGS) != 0 || (flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE) {
      throw Errno.EINVAL.exception("statx flags");
    }
    byte[] path = PathArgs.pathOrEmpty(t, 1, flags);
    PathArgs.Target target = PathArgs.statTarget(t, t.intArg(0), path, flags);
    Location at = target.at();
    byte[] buf = StatLayout.statx(target.stat(), at == null ? 0 : at.mount().id(),
        at != null && at.isMountRoot());
    GuestIo.write(t.memory(), t.arg(4), buf);
    return 0;
  }

  // ---------------------------------------------------------------- access

  /** access(path,accessmode) */
  public static long access(Task t) {
    int mode = accessMode(t.intArg(1));
    return checkAccess(t, Fcntl.AT_FDCWD, t.pathArg(0), mode, 0);
  }

  /** faccessat(dirfd,path,accessmode): the system call has no flags argument (faccessat2 does). */
  public static long faccessat(Task t) {
    int mode = accessMode(t.intArg(2));
    return checkAccess(t, t.intArg(0), t.pathArg(1), mode, 0);
  }

  /** faccessat2(dirfd,path,accessmode,atflags) */
  public static long faccessat2(Task t) {
    int mode = accessMode(t.intArg(2));
    int flags = t.intArg(3);
    if ((flags & ~(Fcntl.AT_EACCESS | Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH)) != 0) {
      throw Errno.EINVAL.exception("faccessat2 flags");
    }
    return checkAccess(t, t.intArg(0), t.pathArg(1), mode, flags);
  }

  /** access(2): "EINVAL mode was incorrectly specified": only F_OK or R_OK|W_OK|X_OK bits. */
  private static int accessMode(int mode) {
    if ((mode & ~(Fcntl.R_OK | Fcntl.W_OK | Fcntl.X_OK)) != 0) {
      throw Errno.EINVAL.exception("access mode");
    }
    return mode;
  }

  /**
   * The check with the real ids unless AT_EACCESS: resolution (search permission on the way)
   * uses the same ids, as the kernel swaps the credentials for the whole call.
   */
  private static long checkAccess(Task t, int dirfd, byte[] path, int mode, int flags) {
    FsContext ctx = (flags & Fcntl.AT_EACCESS) != 0 ? t.fs() : PathArgs.realIds(t);
    int lookup = flags & (Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH);
    if (path.length == 0 && (flags & Fcntl.AT_EMPTY_PATH) != 0 && dirfd != Fcntl.AT_FDCWD) {
      FileDescription d = t.fds().get(dirfd);
      if (d.location() == null) {
        if (mode != Fcntl.F_OK && !PathArgs.permits(ctx.credentials(), d.stat(), mode)) {
          throw Errno.EACCES.exception();
        }
        return 0;
      }
      t.vfs().access(ctx, d.location(), path, mode, lookup);
      return 0;
    }
    Location start = path.length == 0 && (flags & Fcntl.AT_EMPTY_PATH) != 0 ? null
        : PathArgs.start(t, dirfd, path);
    t.vfs().access(ctx, start, path, mode, lookup);
    return 0;
  }

  // ---------------------------------------------------------------- working directory and root

  /**
   * getcwd(buf,size): the length including the NUL. getcwd(3), "Linux system call": "ERANGE The
   * size argument is less than the length of the absolute pathname of the working directory,
   * including the terminating null byte"; "ENOENT The current working directory has been
   * unlinked"; a directory outside the root is prefixed "(unreachable)".
   */
  public static long getcwd(Task t) {
    long size = t.arg(1);
    FsContext ctx = t.fs();
    Location cwd = ctx.cwd();
    if (isUnlinked(ctx, cwd)) {
      throw Errno.ENOENT.exception("working directory removed");
    }
    byte[] path = t.vfs().pathOf(ctx, cwd);
    long length = path.length + 1L;
    if (Long.compareUnsigned(size, length) < 0) {
      throw Errno.ERANGE.exception();
    }
    byte[] out = java.util.Arrays.copyOf(path, path.length + 1);
    GuestIo.write(t.memory(), t.arg(0), out);
    return length;
  }

  /** True when directory {@code dir} is no longer reachable by its name (rmdir'ed). */
  private static boolean isUnlinked(FsContext ctx, Location dir) {
    if (dir.equals(ctx.root()) || dir.isMountRoot()) {
      return false;
    }
    Inode inode = dir.inode();
    try {
      Inode parent = inode.parent();
      if (parent == null || inode.name() == null) {
        return true;
      }
      // Compared by number: synthetic trees may hand out a fresh object for the same file.
      Inode found = parent.lookup(inode.name());
      return found == null || found.ino() != inode.ino();
    } catch (dev.blinkchroot.vfs.ErrnoException e) {
      return true;
    }
  }

  /** chdir(path) */
  public static long chdir(Task t) {
    byte[] path = t.pathArg(0);
    t.vfs().chdir(t.fs(), PathArgs.start(t, Fcntl.AT_FDCWD, path), path);
    return 0;
  }

  /** fchdir(fd): O_PATH descriptors work; ENOTDIR for one that is not a directory. */
  public static long fchdir(Task t) {
    Location at = PathArgs.anyFile(t, t.intArg(0)).location();
    if (at == null) {
      throw Errno.ENOTDIR.exception();
    }
    t.vfs().chdir(t.fs(), at);
    return 0;
  }

  /** chroot(path): EPERM unless privileged (the VFS checks after resolving, as Linux). */
  public static long chroot(Task t) {
    t.vfs().chroot(t.fs(), t.pathArg(0));
    return 0;
  }

  // ---------------------------------------------------------------- creating and removing names

  /** mkdir(path,mode) */
  public static long mkdir(Task t) {
    return mkdirAt(t, Fcntl.AT_FDCWD, t.pathArg(0), t.intArg(1));
  }

  /** mkdirat(dirfd,path,mode) */
  public static long mkdirat(Task t) {
    return mkdirAt(t, t.intArg(0), t.pathArg(1), t.intArg(2));
  }

  private static long mkdirAt(Task t, int dirfd, byte[] path, int mode) {
    t.vfs().mkdir(t.fs(), PathArgs.start(t, dirfd, path), path, mode & 07777);
    return 0;
  }

  /** mknod(path,mode,dev) */
  public static long mknod(Task t) {
    return mknodAt(t, Fcntl.AT_FDCWD, t.pathArg(0), t.intArg(1), t.arg(2));
  }

  /** mknodat(dirfd,path,mode,dev) */
  public static long mknodat(Task t) {
    return mknodAt(t, t.intArg(0), t.pathArg(1), t.intArg(2), t.arg(3));
  }

  /**
   * The kernel takes {@code dev} as a 32-bit {@code unsigned int} in the "new" encoding (12-bit
   * major in bits 8-19, 20-bit minor split around it), which is the low half of glibc's 64-bit
   * dev_t; decoded and re-encoded as the VFS's dev_t.
   */
  private static long mknodAt(Task t, int dirfd, byte[] path, int mode, long dev) {
    int kdev = (int) dev;
    int major = (kdev >>> 8) & 0xfff;
    int minor = (kdev & 0xff) | ((kdev >>> 12) & 0xfff00);
    t.vfs().mknod(t.fs(), PathArgs.start(t, dirfd, path), path, mode & 0xffff,
        Stat.makedev(major, minor));
    return 0;
  }

  /** rmdir(path) */
  public static long rmdir(Task t) {
    byte[] path = t.pathArg(0);
    t.vfs().rmdir(t.fs(), PathArgs.start(t, Fcntl.AT_FDCWD, path), path);
    return 0;
  }

  /** unlink(path) */
  public static long unlink(Task t) {
    byte[] path = t.pathArg(0);
    t.vfs().unlink(t.fs(), PathArgs.start(t, Fcntl.AT_FDCWD, path), path, 0);
    return 0;
  }

  /** unlinkat(dirfd,path,atflags): AT_REMOVEDIR is the only flag. */
  public static long unlinkat(Task t) {
    int flags = t.intArg(2);
    if ((flags & ~Fcntl.AT_REMOVEDIR) != 0) {
      throw Errno.EINVAL.exception("unlinkat flags");
    }
    byte[] path = t.pathArg(1);
    t.vfs().unlink(t.fs(), PathArgs.start(t, t.intArg(0), path), path, flags);
    return 0;
  }

  /** rename(path,path) */
  public static long rename(Task t) {
    return renameAt(t, Fcntl.AT_FDCWD, t.arg(0), Fcntl.AT_FDCWD, t.arg(1), 0);
  }

  /** renameat(dirfd,path,dirfd,path) */
  public static long renameat(Task t) {
    return renameAt(t, t.intArg(0), t.arg(1), t.intArg(2), t.arg(3), 0);
  }

  /** renameat2(dirfd,path,dirfd,path,renameflags) */
  public static long renameat2(Task t) {
    return renameAt(t, t.intArg(0), t.arg(1), t.intArg(2), t.arg(3), t.intArg(4));
  }

  /**
   * renameat2(2): "EINVAL The filesystem does not support one of the flags in flags", "EINVAL
   * Invalid combination of flags" (RENAME_EXCHANGE with NOREPLACE or WHITEOUT). Since Linux 5.8
   * RENAME_WHITEOUT needs no privilege but the file system's support; no backend here can store
   * a whiteout, so it gets EINVAL as from a file system without it (ext2, vfat).
   */
  private static long renameAt(Task t, int oldDirfd, long oldAddr, int newDirfd, long newAddr,
      int flags) {
    if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) != 0
        || ((flags & RENAME_EXCHANGE) != 0
            && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) != 0)) {
      throw Errno.EINVAL.exception("renameat2 flags");
    }
    byte[] oldPath = GuestIo.readPath(t.memory(), oldAddr);
    byte[] newPath = GuestIo.readPath(t.memory(), newAddr);
    Location oldStart = PathArgs.start(t, oldDirfd, oldPath);
    Location newStart = PathArgs.start(t, newDirfd, newPath);
    if ((flags & RENAME_WHITEOUT) != 0) {
      throw Errno.EINVAL.exception("RENAME_WHITEOUT is not supported by this file system");
    }
    t.vfs().rename(t.fs(), oldStart, oldPath, newStart, newPath, flags);
    return 0;
  }

  /** link(path,path) */
  public static long link(Task t) {
    return linkAt(t, Fcntl.AT_FDCWD, t.arg(0), Fcntl.AT_FDCWD, t.arg(1), 0);
  }

  /** linkat(dirfd,path,dirfd,path,atflags) */
  public static long linkat(Task t) {
    return linkAt(t, t.intArg(0), t.arg(1), t.intArg(2), t.arg(3), t.intArg(4));
  }

  /**
   * linkat(2): AT_SYMLINK_FOLLOW and AT_EMPTY_PATH only (EINVAL otherwise). AT_EMPTY_PATH links
   * the file olddirfd refers to; "The caller must have the CAP_DAC_READ_SEARCH capability in
   * order to use this flag" (ENOENT without, as the kernel answers).
   */
  private static long linkAt(Task t, int oldDirfd, long oldAddr, int newDirfd, long newAddr,
      int flags) {
    if ((flags & ~(Fcntl.AT_SYMLINK_FOLLOW | Fcntl.AT_EMPTY_PATH)) != 0) {
      throw Errno.EINVAL.exception("linkat flags");
    }
    byte[] oldPath = GuestIo.readPath(t.memory(), oldAddr);
    byte[] newPath = GuestIo.readPath(t.memory(), newAddr);
    Location oldStart;
    if (oldPath.length == 0 && (flags & Fcntl.AT_EMPTY_PATH) != 0) {
      if (!t.process().identity().privileged()) {
        throw Errno.ENOENT.exception("AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH");
      }
      PathArgs.Target target = PathArgs.target(t, oldDirfd, oldPath, flags);
      if (target.at() == null) {
        throw Errno.EXDEV.exception(); // a pipe or socket lives on its own pseudo file system
      }
      oldStart = target.at();
    } else {
      oldStart = PathArgs.start(t, oldDirfd, oldPath);
    }
    Location newStart = PathArgs.start(t, newDirfd, newPath);
    t.vfs().link(t.fs(), oldStart, oldPath, newStart, newPath, flags);
    return 0;
  }

  /** symlink(target,linkpath) */
  public static long symlink(Task t) {
    return symlinkAt(t, t.arg(0), Fcntl.AT_FDCWD, t.arg(1));
  }

  /** symlinkat(target,newdirfd,linkpath) */
  public static long symlinkat(Task t) {
    return symlinkAt(t, t.arg(0), t.intArg(1), t.arg(2));
  }

  private static long symlinkAt(Task t, long targetAddr, int dirfd, long pathAddr) {
    byte[] target = GuestIo.readPath(t.memory(), targetAddr);
    if (target.length == 0) {
      throw Errno.ENOENT.exception("empty symlink target");
    }
    byte[] path = GuestIo.readPath(t.memory(), pathAddr);
    t.vfs().symlink(t.fs(), target, PathArgs.start(t, dirfd, path), path);
    return 0;
  }

  /** readlink(path,buf,bufsiz) */
  public static long readlink(Task t) {
    return readlinkAt(t, Fcntl.AT_FDCWD, t.arg(0), t.arg(1), t.intArg(2));
  }

  /** readlinkat(dirfd,path,buf,bufsiz) */
  public static long readlinkat(Task t) {
    return readlinkAt(t, t.intArg(0), t.arg(1), t.arg(2), t.intArg(3));
  }

  /**
   * readlink(2): "EINVAL bufsiz is not positive" (checked first; bufsiz is an int to the
   * kernel); the target is truncated to bufsiz without a NUL. An empty path names the file
   * dirfd refers to (an O_PATH|O_NOFOLLOW symlink); when that is no symlink the kernel answers
   * ENOENT, not EINVAL.
   */
  private static long readlinkAt(Task t, int dirfd, long pathAddr, long bufAddr, int bufsiz) {
    if (bufsiz <= 0) {
      throw Errno.EINVAL.exception("readlink bufsiz");
    }
    byte[] path = GuestIo.readPath(t.memory(), pathAddr);
    byte[] target;
    if (path.length == 0) {
      Location at = dirfd == Fcntl.AT_FDCWD ? t.fs().cwd() : t.fds().get(dirfd).location();
      if (at == null || at.inode().type() != FileType.SYMLINK) {
        throw Errno.ENOENT.exception();
      }
      target = at.inode().readlink();
    } else {
      target = t.vfs().readlink(t.fs(), PathArgs.start(t, dirfd, path), path);
    }
    int n = Math.min(target.length, bufsiz);
    GuestIo.write(t.memory(), bufAddr, target, 0, n);
    return n;
  }

  // ---------------------------------------------------------------- modes, owners, umask

  /** chmod(path,mode) */
  public static long chmod(Task t) {
    byte[] path = t.pathArg(0);
    t.vfs().chmod(t.fs(), PathArgs.start(t, Fcntl.AT_FDCWD, path), path, t.intArg(1), 0);
    return 0;
  }

  /** fchmod(fd,mode): EBADF for O_PATH descriptors. */
  public static long fchmod(Task t) {
    FileDescription d = PathArgs.openFile(t, t.intArg(0));
    int mode = t.intArg(1);
    if (d.location() == null) {
      return pseudoAttributeChange(t, d);
    }
    t.vfs().chmod(t.fs(), d.location(), PathArgs.EMPTY, mode, Fcntl.AT_EMPTY_PATH);
    return 0;
  }

  /**
   * fchmodat(dirfd,path,mode). The system call has three arguments: the flags of the libc
   * function are emulated by libc (musl, glibc) or passed to fchmodat2. Linux ignores a fourth
   * register here, which libc leaves holding garbage, so it must not be read.
   */
  public static long fchmodat(Task t) {
    byte[] path = t.pathArg(1);
    t.vfs().chmod(t.fs(), PathArgs.start(t, t.intArg(0), path), path, t.intArg(2), 0);
    return 0;
  }

  /**
   * fchmodat2(dirfd,path,mode,flags) (Linux 6.6, number 452): AT_SYMLINK_NOFOLLOW and
   * AT_EMPTY_PATH; a symlink with AT_SYMLINK_NOFOLLOW gives EOPNOTSUPP, as chmod(2) documents
   * ("EOPNOTSUPP (fchmodat()) flags specified AT_SYMLINK_NOFOLLOW, which is not supported").
   * Not registered yet: the names table stops at 450.
   */
  public static long fchmodat2(Task t) {
    int flags = t.intArg(3);
    if ((flags & ~(Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH)) != 0) {
      throw Errno.EINVAL.exception("fchmodat2 flags");
    }
    PathArgs.Target target = PathArgs.target(t, t.intArg(0), t.pathArg(1), flags);
    if (target.at() == null) {
      return pseudoAttributeChange(t, target.file());
    }
    if ((flags & Fcntl.AT_SYMLINK_NOFOLLOW) != 0
        && target.at().inode().type() == FileType.SYMLINK) {
      throw Errno.EOPNOTSUPP.exception("chmod of a symlink");
    }
    t.vfs().chmod(t.fs(), target.at(), PathArgs.EMPTY, t.intArg(2), Fcntl.AT_EMPTY_PATH);
    return 0;
  }

  /** chown(path,uid,gid): follows a final symlink. */
  public static long chown(Task t) {
    return chownAt(t, Fcntl.AT_FDCWD, t.pathArg(0), t.intArg(1), t.intArg(2), 0);
  }

  /** lchown(path,uid,gid) */
  public static long lchown(Task t) {
    return chownAt(t, Fcntl.AT_FDCWD, t.pathArg(0), t.intArg(1), t.intArg(2),
        Fcntl.AT_SYMLINK_NOFOLLOW);
  }

  /** fchown(fd,uid,gid): EBADF for O_PATH descriptors. */
  public static long fchown(Task t) {
    FileDescription d = PathArgs.openFile(t, t.intArg(0));
    if (d.location() == null) {
      return pseudoAttributeChange(t, d);
    }
    t.vfs().chown(t.fs(), d.location(), PathArgs.EMPTY, t.intArg(1), t.intArg(2),
        Fcntl.AT_EMPTY_PATH);
    return 0;
  }

  /** fchownat(dirfd,path,uid,gid,flags): AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH. */
  public static long fchownat(Task t) {
    int flags = t.intArg(4);
    if ((flags & ~(Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH)) != 0) {
      throw Errno.EINVAL.exception("fchownat flags");
    }
    return chownAt(t, t.intArg(0), t.pathArg(1), t.intArg(2), t.intArg(3), flags);
  }

  /** uid and gid are uid_t: (uid_t) -1 leaves one unchanged. */
  private static long chownAt(Task t, int dirfd, byte[] path, int uid, int gid, int flags) {
    PathArgs.Target target = PathArgs.target(t, dirfd, path, flags);
    if (target.at() == null) {
      return pseudoAttributeChange(t, target.file());
    }
    t.vfs().chown(t.fs(), target.at(), PathArgs.EMPTY, uid, gid, Fcntl.AT_EMPTY_PATH);
    return 0;
  }

  /**
   * fchmod/fchown of a descriptor outside the tree (a pipe, a terminal): Linux changes the
   * pseudo inode, which nothing here keeps, so only the ownership rule (EPERM) is applied and the
   * change has no lasting effect.
   */
  private static long pseudoAttributeChange(Task t, FileDescription d) {
    int uid = t.fs().credentials().uid();
    if (uid != 0 && uid != d.stat().uid()) {
      throw Errno.EPERM.exception();
    }
    return 0;
  }

  /** umask(mask): sets mask & 0777, returns the previous mask; never fails. */
  public static long umask(Task t) {
    return t.fs().setUmask(t.intArg(0) & 0777);
  }

  // ---------------------------------------------------------------- times

  /** utimes(path,times) */
  public static long utimes(Task t) {
    return PathTimes.futimesat(t, Fcntl.AT_FDCWD, t.arg(0), t.arg(1));
  }

  /** futimesat(dirfd,path,times) */
  public static long futimesat(Task t) {
    return PathTimes.futimesat(t, t.intArg(0), t.arg(1), t.arg(2));
  }

  /** utimensat(dirfd,path,times,flags) */
  public static long utimensat(Task t) {
    return PathTimes.utimensat(t, t.intArg(0), t.arg(1), t.arg(2), t.intArg(3));
  }

  // ---------------------------------------------------------------- file systems

  /** statfs(path,buf): follows symlinks. */
  public static long statfs(Task t) {
    byte[] path = t.pathArg(0);
    StatFs s = t.vfs().statfs(PathArgs.target(t, Fcntl.AT_FDCWD, path, 0).at());
    GuestIo.write(t.memory(), t.arg(1), StatLayout.statfs(s));
    return 0;
  }

  /** fstatfs(fd,buf): O_PATH descriptors work. */
  public static long fstatfs(Task t) {
    FileDescription d = PathArgs.anyFile(t, t.intArg(0));
    StatFs s = d.location() != null ? t.vfs().statfs(d.location())
        : PathArgs.pseudoStatfs(d.stat());
    GuestIo.write(t.memory(), t.arg(1), StatLayout.statfs(s));
    return 0;
  }

  /**
   * mount(2): refused. Mount namespaces are not offered: the mount table is fixed by the runner
   * (--bind and the like). EPERM is what an unprivileged caller or a container without
   * CAP_SYS_ADMIN gets.
   */
  static long mount(Task t) {
    throw Errno.EPERM.exception("mount namespaces are not offered");
  }

  /** umount2(target,flags): refused, as mount. */
  static long umount2(Task t) {
    throw Errno.EPERM.exception("mount namespaces are not offered");
  }

  /** pivot_root(new_root,put_old): refused, as mount. */
  static long pivotRoot(Task t) {
    throw Errno.EPERM.exception("mount namespaces are not offered");
  }

  // ---------------------------------------------------------------- directories

  /** getdents64(fd,dirp,count): count is an unsigned int. */
  public static long getdents64(Task t) {
    FileDescription d = PathArgs.anyFile(t, t.intArg(0));
    return DirentWriter.fill(t, d, t.arg(1), t.arg(2) & 0xffffffffL);
  }

  // ---------------------------------------------------------------- extended attributes

  /** setxattr(path,name,value,size,flags) */
  public static long setxattr(Task t) {
    return PathXattrs.set(t, PathXattrs.Via.PATH);
  }

  /** lsetxattr(path,name,value,size,flags) */
  public static long lsetxattr(Task t) {
    return PathXattrs.set(t, PathXattrs.Via.LINK);
  }

  /** fsetxattr(fd,name,value,size,flags) */
  public static long fsetxattr(Task t) {
    return PathXattrs.set(t, PathXattrs.Via.FD);
  }

  /** getxattr(path,name,value,size) */
  public static long getxattr(Task t) {
    return PathXattrs.get(t, PathXattrs.Via.PATH);
  }

  /** lgetxattr(path,name,value,size) */
  public static long lgetxattr(Task t) {
    return PathXattrs.get(t, PathXattrs.Via.LINK);
  }

  /** fgetxattr(fd,name,value,size) */
  public static long fgetxattr(Task t) {
    return PathXattrs.get(t, PathXattrs.Via.FD);
  }

  /** listxattr(path,list,size) */
  public static long listxattr(Task t) {
    return PathXattrs.list(t, PathXattrs.Via.PATH);
  }

  /** llistxattr(path,list,size) */
  public static long llistxattr(Task t) {
    return PathXattrs.list(t, PathXattrs.Via.LINK);
  }

  /** flistxattr(fd,list,size) */
  public static long flistxattr(Task t) {
    return PathXattrs.list(t, PathXattrs.Via.FD);
  }

  /** removexattr(path,name) */
  public static long removexattr(Task t) {
    return PathXattrs.remove(t, PathXattrs.Via.PATH);
  }

  /** lremovexattr(path,name) */
  public static long lremovexattr(Task t) {
    return PathXattrs.remove(t, PathXattrs.Via.LINK);
  }

  /** fremovexattr(fd,name) */
  public static long fremovexattr(Task t) {
    return PathXattrs.remove(t, PathXattrs.Via.FD);
  }
}
