package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.Location;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The xattr(7) calls: setxattr, getxattr, listxattr, removexattr in their path (follows
 * symlinks), l (does not) and f (descriptor) forms. Permission and namespace rules are the VFS's;
 * this decodes names and values and applies the size protocol: a size of 0 asks for the length,
 * a buffer too small gives ERANGE.
 */
final class PathXattrs {
  /** XATTR_NAME_MAX, XATTR_SIZE_MAX and XATTR_LIST_MAX from {@code linux/limits.h}. */
  static final int XATTR_NAME_MAX = 255;
  static final int XATTR_SIZE_MAX = 65536;
  static final int XATTR_LIST_MAX = 65536;
  /** setxattr(2) flags. */
  static final int XATTR_CREATE = 1;
  static final int XATTR_REPLACE = 2;

  private PathXattrs() {}

  /** How a call names its file: path argument 0 (following or not), or descriptor argument 0. */
  enum Via { PATH, LINK, FD }

  /**
   * The file argument 0 names: for a descriptor, its location, or null for one outside the tree
   * (a pipe, a terminal), which has no attributes. O_PATH descriptors give EBADF.
   */
  private static Location file(Task t, Via via) {
    if (via == Via.FD) {
      return PathArgs.openFile(t, t.intArg(0)).location();
    }
    byte[] path = t.pathArg(0);
    return PathArgs.target(t, Fcntl.AT_FDCWD, path,
        via == Via.LINK ? Fcntl.AT_SYMLINK_NOFOLLOW : 0).at();
  }

  /**
   * An attribute name: 1 to 255 bytes, else ERANGE (xattr(7): "ERANGE The size of the name is
   * too large" / empty), EFAULT if unreadable.
   */
  private static String name(Task t, int i) {
    byte[] name;
    try {
      name = GuestIo.readCString(t.memory(), t.arg(i), XATTR_NAME_MAX);
    } catch (ErrnoException e) {
      throw e.errno() == Errno.ENAMETOOLONG ? Errno.ERANGE.exception() : e;
    }
    if (name.length == 0) {
      throw Errno.ERANGE.exception();
    }
    return new String(name, StandardCharsets.UTF_8);
  }

  /**
   * setxattr(file, name, value, size, flags). The descriptor form checks its descriptor first
   * (EBADF); the path forms copy the arguments in before resolving the path.
   */
  static long set(Task t, Via via) {
    Location fdFile = via == Via.FD ? file(t, via) : null;
    int flags = t.intArg(4);
    if ((flags & ~(XATTR_CREATE | XATTR_REPLACE)) != 0) {
      throw Errno.EINVAL.exception("setxattr flags");
    }
    String name = name(t, 1);
    long size = t.arg(3);
    if (size < 0 || size > XATTR_SIZE_MAX) {
      throw Errno.E2BIG.exception();
    }
    byte[] value = size == 0 ? PathArgs.EMPTY : GuestIo.read(t.memory(), t.arg(2), (int) size);
    Location at = via == Via.FD ? fdFile : file(t, via);
    if (at == null) {
      throw Errno.EOPNOTSUPP.exception();
    }
    t.vfs().setxattr(t.fs(), at, PathArgs.EMPTY, name, value, flags, Fcntl.AT_EMPTY_PATH);
    return 0;
  }

  /** getxattr(file, name, value, size): the length; with size 0 only the length. */
  static long get(Task t, Via via) {
    Location at = file(t, via);
    String name = name(t, 1);
    if (at == null) {
      throw Errno.EOPNOTSUPP.exception();
    }
    byte[] value = t.vfs().getxattr(t.fs(), at, PathArgs.EMPTY, name, Fcntl.AT_EMPTY_PATH);
    return copyOut(t, value, t.arg(2), t.arg(3), XATTR_SIZE_MAX);
  }

  /** listxattr(file, list, size): the names, each NUL-terminated, one after the other. */
  static long list(Task t, Via via) {
    Location at = file(t, via);
    if (at == null) {
      return 0; // no attribute handlers, no names
    }
    List<String> names = t.vfs().listxattr(t.fs(), at, PathArgs.EMPTY, Fcntl.AT_EMPTY_PATH);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String n : names) {
      out.writeBytes(n.getBytes(StandardCharsets.UTF_8));
      out.write(0);
    }
    return copyOut(t, out.toByteArray(), t.arg(1), t.arg(2), XATTR_LIST_MAX);
  }

  /** removexattr(file, name). */
  static long remove(Task t, Via via) {
    Location fdFile = via == Via.FD ? file(t, via) : null;
    String name = name(t, 1);
    Location at = via == Via.FD ? fdFile : file(t, via);
    if (at == null) {
      throw Errno.EOPNOTSUPP.exception();
    }
    t.vfs().removexattr(t.fs(), at, PathArgs.EMPTY, name, Fcntl.AT_EMPTY_PATH);
    return 0;
  }

  /**
   * The size protocol of getxattr(2)/listxattr(2): size 0 returns the length without copying;
   * otherwise ERANGE when the data does not fit (E2BIG when it could never fit: the size was
   * already at the maximum, which a larger size is cut down to).
   */
  private static long copyOut(Task t, byte[] data, long guestAddr, long size, int max) {
    if (size == 0) {
      return data.length;
    }
    long room = size < 0 || size > max ? max : size;
    if (data.length > room) {
      throw (room >= max ? Errno.E2BIG : Errno.ERANGE).exception();
    }
    GuestIo.write(t.memory(), guestAddr, data);
    return data.length;
  }
}
