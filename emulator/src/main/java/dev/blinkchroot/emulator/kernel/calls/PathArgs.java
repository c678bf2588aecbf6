package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.fd.VfsFileDescription;
import dev.blinkchroot.emulator.kernel.proc.MagicLinks;
import dev.blinkchroot.emulator.kernel.synthetic.SyntheticNode;
import dev.blinkchroot.emulator.kernel.task.Identity;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Credentials;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.StatFs;

/**
 * Argument decoding the path-operation handlers share: dirfd/AT_FDCWD and AT_EMPTY_PATH, file
 * descriptors that must (or must not) be O_PATH, and the real-id view access(2) checks with.
 */
final class PathArgs {
  static final byte[] EMPTY = new byte[0];

  private PathArgs() {}

  /**
   * What an *at call operates on: a location in the tree, or (for AT_EMPTY_PATH on a descriptor
   * outside the tree: a pipe, a socket, a terminal) just the open description.
   */
  record Target(Location at, FileDescription file) {
    /** The attributes: the description's own for a descriptor (what fstat gives). */
    Stat stat() {
      return file != null ? file.stat() : at.stat();
    }
  }

  /**
   * Where a relative {@code path} of an *at call starts: null (the cwd, or nothing for an absolute
   * path, whose dirfd Linux does not even check). An empty path without AT_EMPTY_PATH is ENOENT
   * before the dirfd is looked at, as path_resolution(7) and the kernel's getname do it.
   */
  static Location start(Task t, int dirfd, byte[] path) {
    if (path.length == 0) {
      throw Errno.ENOENT.exception("empty path");
    }
    return t.startFor(dirfd, path);
  }

  /**
   * The file {@code path} names relative to {@code dirfd}. {@code flags}: AT_SYMLINK_NOFOLLOW,
   * and AT_EMPTY_PATH, with which an empty path names the dirfd's file itself (or the working
   * directory for AT_FDCWD), whatever its type.
   */
  static Target target(Task t, int dirfd, byte[] path, int flags) {
    if (path.length == 0 && (flags & Fcntl.AT_EMPTY_PATH) != 0) {
      if (dirfd == Fcntl.AT_FDCWD) {
        return new Target(t.fs().cwd(), null);
      }
      FileDescription d = t.fds().get(dirfd);
      return new Target(d.location(), d);
    }
    Location start = start(t, dirfd, path);
    return new Target(t.vfs().lookup(t.fs(), start, path,
        flags & Fcntl.AT_SYMLINK_NOFOLLOW), null);
  }

  /**
   * {@link #target} for the stat calls, which, following links, see through a /proc/PID/fd/N link
   * to what has no path (a pipe, a terminal): its description's attributes, as Linux's magic
   * links give (bash's process substitution hands out /dev/fd/63, and diff stats it).
   */
  static Target statTarget(Task t, int dirfd, byte[] path, int flags) {
    if ((flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0 && path.length > 0) {
      MagicLinks.FdLink link = pathlessLink(t, dirfd, path);
      if (link != null) {
        return new Target(null, link.description());
      }
    }
    return target(t, dirfd, path, flags);
  }

  /**
   * The /proc/PID/fd/N link {@code path} leads to when it stands for what has no path (a pipe,
   * a terminal, a host stream), else null: a file's link is followed by its text like any other.
   * Looked for only where such a link can be: from /dev or /proc, or relative to a directory of
   * theirs.
   */
  static MagicLinks.FdLink pathlessLink(Task t, int dirfd, byte[] path) {
    Location start = t.startFor(dirfd, path);
    boolean absolute = path.length > 0 && path[0] == '/';
    if (absolute ? !startsWith(path, "/dev/") && !startsWith(path, "/proc/")
        : !((start != null ? start : t.fs().cwd()).inode() instanceof SyntheticNode)) {
      return null;
    }
    MagicLinks.FdLink link = MagicLinks.linkAt(t.vfs(), t.fs(), start, path);
    return link == null || link.description() instanceof VfsFileDescription ? null : link;
  }

  private static boolean startsWith(byte[] path, String prefix) {
    if (path.length < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (path[i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A path argument that may be NULL when AT_EMPTY_PATH is given (fstatat and statx accept that
   * since Linux 6.11): null reads as the empty path.
   */
  static byte[] pathOrEmpty(Task t, int i, int flags) {
    if (t.arg(i) == 0 && (flags & Fcntl.AT_EMPTY_PATH) != 0) {
      return EMPTY;
    }
    return t.pathArg(i);
  }

  /**
   * The description of {@code fd} for calls that need an open file, not an O_PATH one: Linux's
   * fdget() does not return O_PATH descriptors to fchmod, fchown, the f*xattr calls and futimens
   * (open(2): "O_PATH ... operations fail with the error EBADF").
   */
  static FileDescription openFile(Task t, int fd) {
    FileDescription d = t.fds().get(fd);
    if ((d.flags() & Fcntl.O_PATH) != 0) {
      throw Errno.EBADF.exception("O_PATH descriptor");
    }
    return d;
  }

  /** The description of {@code fd}, O_PATH allowed (fstat, fchdir, fstatfs). */
  static FileDescription anyFile(Task t, int fd) {
    return t.fds().get(fd);
  }

  /**
   * access(2): "The check is done using the calling process's real UID and GID, rather than the
   * effective IDs". The same root, cwd and umask, with the real ids.
   */
  static FsContext realIds(Task t) {
    FsContext ctx = t.fs();
    Identity id = t.process().identity();
    return new FsContext(ctx.root(), ctx.cwd(), new Credentials(id.ruid(), id.rgid(), id.groups()),
        ctx.umask());
  }

  /**
   * The permission check of path_resolution(7) for a file outside the tree (a pipe reached by
   * AT_EMPTY_PATH): owner, group or other bits; root passes except execute with no x bit.
   */
  static boolean permits(Credentials who, Stat st, int mask) {
    if (who.uid() == 0) {
      return (mask & Fcntl.X_OK) == 0 || st.type() == FileType.DIRECTORY || (st.mode() & 0111) != 0;
    }
    int bits = who.uid() == st.uid() ? st.mode() >> 6
        : who.inGroup(st.gid()) ? st.mode() >> 3 : st.mode();
    return (bits & mask & 7) == mask;
  }

  /** linux/magic.h values for the kernel-internal file systems of descriptors outside the tree. */
  static final long PIPEFS_MAGIC = 0x50495045L;
  static final long SOCKFS_MAGIC = 0x534F434BL;
  static final long DEVPTS_SUPER_MAGIC = 0x1cd1L;
  static final long ANON_INODE_FS_MAGIC = 0x09041934L;

  /**
   * fstatfs(2) of a descriptor outside the tree: what Linux reports for the pseudo file system
   * its inode lives on (pipefs, sockfs, devpts for a terminal, anon_inodefs otherwise).
   */
  static StatFs pseudoStatfs(Stat st) {
    FileType type = st.type();
    long magic = type == FileType.FIFO ? PIPEFS_MAGIC
        : type == FileType.SOCKET ? SOCKFS_MAGIC
        : type == FileType.CHARACTER_DEVICE ? DEVPTS_SUPER_MAGIC
        : ANON_INODE_FS_MAGIC;
    return new StatFs(magic, 4096, 0, 0, 0, 0, 0, 0, 255, 4096, 0);
  }
}
