package dev.blinkchroot.emulator.kernel;

import dev.blinkchroot.emulator.kernel.dev.DevFs;
import dev.blinkchroot.emulator.kernel.proc.ProcFs;
import dev.blinkchroot.emulator.kernel.synthetic.SyntheticBackend;
import dev.blinkchroot.emulator.kernel.synthetic.SyntheticDir;
import dev.blinkchroot.emulator.kernel.sys.SysFs;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FileSystemBackend;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.Vfs;
import dev.blinkchroot.vfs.nio.NioBackend;
import java.nio.charset.StandardCharsets;

/**
 * The file systems every sandbox has, mounted as a Linux system mounts them at boot: /proc,
 * /dev (devtmpfs, with a tmpfs on /dev/shm and an empty devpts on /dev/pts), /sys, and a fresh
 * writable tmpfs on /tmp. Mount points missing from the image are created (root-owned, with the
 * modes Linux gives them) in the root file system, which must then be writable (the overlay's
 * upper layer).
 */
public final class SyntheticMounts {
  private SyntheticMounts() {}

  /**
   * Mounts them all on {@code kernel}'s VFS, resolving paths in {@code rootContext} (a root
   * context at the sandbox root). Errors (a mount point that cannot be made) are thrown as
   * ErrnoException.
   */
  public static void mountAll(Kernel kernel, FsContext rootContext) {
    Vfs vfs = kernel.vfs();
    mount(vfs, rootContext, "/proc", 0555, ProcFs.create(kernel), "proc");
    mount(vfs, rootContext, "/dev", 0755, DevFs.create(), "devtmpfs");
    mount(vfs, rootContext, "/dev/shm", 01777, tmpfs(01777), "tmpfs");
    mount(vfs, rootContext, "/dev/pts", 0755, emptyDevpts(), "devpts");
    mount(vfs, rootContext, "/sys", 0555, SysFs.create(), "sysfs");
    mount(vfs, rootContext, "/tmp", 01777, tmpfs(01777), "tmpfs");
  }

  /** A fresh in-memory tmpfs whose root has {@code mode}. */
  static FileSystemBackend tmpfs(int mode) {
    NioBackend store = NioBackend.memory();
    store.root().setPermissions(mode);
    return store;
  }

  /** /dev/pts without pseudo-terminals (none can be opened yet). */
  private static FileSystemBackend emptyDevpts() {
    SyntheticBackend pts =
        new SyntheticBackend("devpts", SyntheticBackend.DEVPTS_SUPER_MAGIC, false);
    pts.setRoot(new SyntheticDir(pts, 0755));
    return pts;
  }

  private static void mount(Vfs vfs, FsContext ctx, String path, int mode,
      FileSystemBackend backend, String source) {
    byte[] p = path.getBytes(StandardCharsets.US_ASCII);
    ensureDirectory(vfs, ctx, p, mode);
    vfs.mount(ctx, p, backend, source, false);
  }

  /** Creates the mount point with exactly {@code mode} (no umask) if it does not exist. */
  private static void ensureDirectory(Vfs vfs, FsContext ctx, byte[] path, int mode) {
    try {
      Stat st = vfs.stat(ctx, null, path, 0);
      if (st.type() != FileType.DIRECTORY) {
        throw Errno.ENOTDIR.exception(new String(path, StandardCharsets.US_ASCII));
      }
      return;
    } catch (ErrnoException e) {
      if (e.errno() != Errno.ENOENT) {
        throw e;
      }
    }
    vfs.mkdir(ctx, null, path, mode);
    vfs.chmod(ctx, null, path, mode, 0);
  }
}
