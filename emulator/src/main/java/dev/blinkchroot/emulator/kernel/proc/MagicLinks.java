package dev.blinkchroot.emulator.kernel.proc;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.synthetic.SyntheticSymlink;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.Vfs;
import java.util.Arrays;

/**
 * The /proc/PID/fd/N links Linux follows "magically" (proc(5)): opening one opens what the
 * descriptor refers to, even a pipe or a terminal whose link text ("pipe:[N]") names no file.
 * The VFS follows links by their text only, so open(2) asks here first: {@link #linkAt} walks the
 * path's links itself and, if they end at such a link, gives it.
 */
public final class MagicLinks {
  private MagicLinks() {}

  /** What a /proc/PID/fd/N link stands for: descriptor {@code fd} of {@code process}. */
  public record FdLink(GuestProcess process, int fd, FileDescription description) {
    /** True while the descriptor still refers to the description the link was made for. */
    boolean live() {
      try {
        return process.fds().get(fd) == description;
      } catch (ErrnoException e) {
        return false;
      }
    }
  }

  /** The description behind {@link #linkAt}'s link, or null. */
  public static FileDescription descriptionAt(Vfs vfs, FsContext ctx, Location dir, byte[] path) {
    FdLink link = linkAt(vfs, ctx, dir, path);
    return link == null ? null : link.description();
  }

  /**
   * The /proc/PID/fd/N link reached by {@code path} (through any chain of symlinks, e.g.
   * /dev/stdin -> /proc/self/fd/0); null when the path ends anywhere else (open it normally
   * then) or does not resolve; ENOENT when the descriptor was closed or reused since.
   */
  public static FdLink linkAt(Vfs vfs, FsContext ctx, Location dir, byte[] path) {
    Location base = dir;
    byte[] p = path;
    for (int hops = 0; hops <= Fcntl.MAXSYMLINKS; hops++) {
      Location at;
      try {
        at = vfs.lookup(ctx, base, p, Fcntl.AT_SYMLINK_NOFOLLOW);
      } catch (dev.blinkchroot.vfs.ErrnoException e) {
        return null;
      }
      if (at.inode().type() != FileType.SYMLINK) {
        return null;
      }
      if (at.inode() instanceof SyntheticSymlink link
          && link.attachment() instanceof FdLink fd) {
        if (!fd.live()) {
          throw Errno.ENOENT.exception();
        }
        return fd;
      }
      byte[] target = at.inode().readlink();
      if (target.length > 0 && target[0] == '/') {
        base = null;
      } else {
        int slash = lastSlash(p);
        if (slash >= 0) {
          try {
            base = vfs.lookup(ctx, base, slash == 0 ? new byte[] {'/'}
                : Arrays.copyOf(p, slash), 0);
          } catch (dev.blinkchroot.vfs.ErrnoException e) {
            return null;
          }
        }
      }
      p = target;
    }
    return null; // ELOOP is the normal open's to report
  }

  private static int lastSlash(byte[] p) {
    int end = p.length;
    while (end > 1 && p[end - 1] == '/') {
      end--;
    }
    for (int i = end - 1; i >= 0; i--) {
      if (p[i] == '/') {
        return i;
      }
    }
    return -1;
  }
}
