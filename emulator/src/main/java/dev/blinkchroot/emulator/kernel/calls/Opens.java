package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.dev.Devices;
import dev.blinkchroot.emulator.kernel.fd.FdTable;
import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.fd.VfsFileDescription;
import dev.blinkchroot.emulator.kernel.ipc.Fifos;
import dev.blinkchroot.emulator.kernel.ipc.Pipe;
import dev.blinkchroot.emulator.kernel.proc.MagicLinks;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Vfs;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * What open(2), openat(2), creat(2) and openat2(2) share (one helper, as gVisor's openAt): read
 * the path, make sure a descriptor is free (EMFILE comes before the file is touched, as
 * get_unused_fd_flags runs before the lookup), open through the VFS, give the open file its
 * driver (a device from {@link Devices}, a FIFO's shared pipe from {@link Fifos}, otherwise a
 * {@link VfsFileDescription}), and install it with O_CLOEXEC as the close-on-exec flag.
 */
final class Opens {
  private Opens() {}

  /**
   * Opens and installs; returns the new descriptor. {@code resolve} is openat2's, or -1 for the
   * plain calls (which resolve as path_resolution(7) says).
   */
  static long open(Task t, int dirfd, long pathAddr, int flags, int mode, long resolve) {
    byte[] path = GuestIo.readPath(t.memory(), pathAddr);
    if ((flags & Fcntl.O_PATH) == 0) {
      flags |= Fcntl.O_LARGEFILE; // force_o_largefile() on 64-bit
    }
    requireFreeDescriptor(t.fds());
    if (resolve <= 0 && (flags & (Fcntl.O_PATH | Fcntl.O_NOFOLLOW)) == 0) {
      MagicLinks.FdLink link = PathArgs.pathlessLink(t, dirfd, path);
      if (link != null) {
        return openMagic(t, link, flags);
      }
    }
    // openat2's restrictions are relative to the dirfd even for an absolute path (IN_ROOT starts
    // it there, BENEATH refuses it, NO_XDEV compares mounts with it).
    Location start = resolve > 0 ? t.dirfd(dirfd) : t.startFor(dirfd, path);
    Vfs vfs = t.vfs();
    FsContext ctx = t.fs();
    OpenFile file;
    byte[] procPath;
    if (resolve > 0) {
      OpenResolve.Opened o = OpenResolve.open(vfs, ctx, start, path, flags, mode, resolve);
      file = o.file();
      procPath = o.name() == null ? null : join(pathOf(vfs, ctx, o.parent()), o.name());
    } else {
      file = vfs.open(ctx, start, path, flags, mode);
      procPath = null;
    }
    FileDescription d;
    FileType type = file.inode().type();
    try {
      if (!file.isPathOnly() && type.isDevice()) {
        d = Devices.open(t, file, file.stat().rdev(), flags);
      } else {
        if (procPath == null) {
          procPath = procPathOf(vfs, ctx, start, path, file);
        }
        if (!file.isPathOnly() && type == FileType.FIFO) {
          d = t.kernel().fifos().open(t, file, procPath, flags);
        } else {
          d = new VfsFileDescription(file, procPath, t.kernel().files());
        }
      }
    } catch (RuntimeException e) {
      file.close();
      throw e;
    }
    return install(t, d, (flags & Fcntl.O_CLOEXEC) != 0);
  }

  /**
   * Opening a link to what has no path: a pipe is opened anew with the access mode asked for (a
   * new open file description, as Linux's FIFO open makes); anything else (a terminal, a host
   * stream, an eventfd) is shared with the descriptor, offset and status flags included, where
   * Linux would make a new description.
   */
  private static long openMagic(Task t, MagicLinks.FdLink link, int flags) {
    boolean closeOnExec = (flags & Fcntl.O_CLOEXEC) != 0;
    if (link.description() instanceof Pipe.End end) {
      return install(t, end.reopen(flags), closeOnExec);
    }
    return t.fds().addShared(link.process().fds(), link.fd(), link.description(), closeOnExec);
  }

  /** Installs {@code d} at the lowest free descriptor; on EMFILE the description is closed. */
  static int install(Task t, FileDescription d, boolean closeOnExec) {
    try {
      return t.fds().add(d, closeOnExec);
    } catch (ErrnoException e) {
      d.close();
      throw e;
    }
  }

  /** EMFILE unless a descriptor below RLIMIT_NOFILE is free. */
  static void requireFreeDescriptor(FdTable fds) {
    int limit = fds.limit();
    int used = 0;
    for (int fd : fds.openDescriptors()) {
      if (fd < limit) {
        used++;
      }
    }
    if (used >= limit) {
      throw Errno.EMFILE.exception();
    }
  }

  /**
   * The path /proc/PID/fd/N will show: a directory's own path; a file's canonical path (the
   * target when a final symlink was followed, the link itself for O_PATH|O_NOFOLLOW); the path
   * as given if the tree changed under us.
   */
  static byte[] procPathOf(Vfs vfs, FsContext ctx, Location start, byte[] path, OpenFile file) {
    try {
      if (file.location().isDirectory()) {
        return vfs.pathOf(ctx, file.location());
      }
      if (file.inode().type() != FileType.SYMLINK) {
        return vfs.realpath(ctx, start, path);
      }
      int end = path.length;
      while (end > 1 && path[end - 1] == '/') {
        end--;
      }
      int slash = end - 1;
      while (slash >= 0 && path[slash] != '/') {
        slash--;
      }
      byte[] dir = slash < 0 ? new byte[] {'.'} : slash == 0 ? new byte[] {'/'}
          : Arrays.copyOf(path, slash);
      byte[] name = Arrays.copyOfRange(path, slash + 1, end);
      return join(vfs.realpath(ctx, start, dir), name);
    } catch (ErrnoException e) {
      return path;
    }
  }

  private static byte[] pathOf(Vfs vfs, FsContext ctx, Location dir) {
    return vfs.pathOf(ctx, dir);
  }

  static byte[] join(byte[] dir, byte[] name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(dir);
    if (dir.length == 0 || dir[dir.length - 1] != '/') {
      out.write('/');
    }
    out.writeBytes(name);
    return out.toByteArray();
  }
}
