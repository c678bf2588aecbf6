package dev.blinkchroot.emulator.kernel.loader;

import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.Vfs;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the program a command names, as execvp(3) does, inside the sandbox: a name with a slash
 * is a path and is returned as it is (exec reports its problems); a name without one is looked
 * for in each directory of the guest's PATH (an empty entry meaning the working directory), and
 * the first executable regular file wins. If only files that cannot be executed were found the
 * error is EACCES, else ENOENT ("If permission is denied for a file ... execvp() will continue
 * searching ... If no other file is found, however, they will return with errno set to EACCES").
 */
public final class ProgramSearch {
  /** The PATH used when the environment has none: a root login's PATH on Alpine and Debian. */
  public static final String DEFAULT_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private static final byte[] PATH_PREFIX = "PATH=".getBytes(StandardCharsets.US_ASCII);

  private ProgramSearch() {}

  /**
   * The guest path to execute for {@code name} given the guest environment {@code envp}.
   *
   * @throws ErrnoException ENOENT when nothing is found (also for an empty name), EACCES when
   *     only non-executable candidates were
   */
  public static byte[] find(Vfs vfs, FsContext ctx, byte[] name, List<byte[]> envp) {
    if (name.length == 0) {
      throw Errno.ENOENT.exception();
    }
    for (byte b : name) {
      if (b == '/') {
        return name;
      }
    }
    boolean denied = false;
    byte[] path = pathVariable(envp);
    int start = 0;
    for (int i = 0; i <= path.length; i++) {
      if (i < path.length && path[i] != ':') {
        continue;
      }
      byte[] candidate = join(Arrays.copyOfRange(path, start, i), name);
      start = i + 1;
      Errno problem = problem(vfs, ctx, candidate);
      if (problem == null) {
        return candidate;
      }
      denied |= problem == Errno.EACCES;
    }
    throw (denied ? Errno.EACCES : Errno.ENOENT).exception();
  }

  /**
   * Null if {@code path} names a regular file {@code ctx} may execute; else the errno execve
   * would give (EACCES for a directory or a file without execute permission).
   */
  public static Errno problem(Vfs vfs, FsContext ctx, byte[] path) {
    try {
      Location at = vfs.lookup(ctx, null, path, 0);
      if (at.inode().type() != FileType.REGULAR) {
        return Errno.EACCES;
      }
      vfs.access(ctx, at, new byte[0], Fcntl.X_OK, Fcntl.AT_EMPTY_PATH);
      return null;
    } catch (ErrnoException e) {
      return e.errno();
    }
  }

  /** The value of PATH in {@code envp}, or {@link #DEFAULT_PATH}. */
  static byte[] pathVariable(List<byte[]> envp) {
    for (byte[] entry : envp) {
      if (entry.length >= PATH_PREFIX.length
          && Arrays.equals(entry, 0, PATH_PREFIX.length, PATH_PREFIX, 0, PATH_PREFIX.length)) {
        return Arrays.copyOfRange(entry, PATH_PREFIX.length, entry.length);
      }
    }
    return DEFAULT_PATH.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] join(byte[] dir, byte[] name) {
    if (dir.length == 0) {
      return name; // an empty PATH entry: the working directory
    }
    boolean slash = dir[dir.length - 1] == '/';
    byte[] out = Arrays.copyOf(dir, dir.length + (slash ? 0 : 1) + name.length);
    if (!slash) {
      out[dir.length] = '/';
    }
    System.arraycopy(name, 0, out, out.length - name.length, name.length);
    return out;
  }
}
