package dev.blinkchroot.emulator.kernel.dev;

import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileSystemBackend;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import dev.blinkchroot.vfs.StatFs;
import dev.blinkchroot.vfs.nio.NioBackend;
import java.nio.charset.StandardCharsets;

/**
 * /dev as Linux's devtmpfs is: a writable tmpfs holding real device nodes (so mknod, chmod and
 * ln work in it as they do on Linux) populated at boot with the devices blink-chroot drives, the
 * /proc/self/fd links, and the mount points shm and pts. {@code ls -l /dev} looks like Linux's:
 * crw-rw-rw- null 1,3 and so on. ptmx and console are absent: there are no pseudo-terminals yet.
 */
public final class DevFs {
  private DevFs() {}

  /** A fresh /dev. */
  public static FileSystemBackend create() {
    NioBackend store = NioBackend.memory();
    Inode root = store.root();
    root.setPermissions(0755);
    for (CharDevice d : CharDevice.values()) {
      root.create(FileName.of(d.nodeName()), FileType.CHARACTER_DEVICE, 0666, 0, 0, d.rdev());
    }
    symlink(root, "fd", "/proc/self/fd");
    symlink(root, "stdin", "/proc/self/fd/0");
    symlink(root, "stdout", "/proc/self/fd/1");
    symlink(root, "stderr", "/proc/self/fd/2");
    // Mount points: /dev/shm gets a tmpfs, /dev/pts an empty devpts (SyntheticMounts).
    root.create(FileName.of("pts"), FileType.DIRECTORY, 0755, 0, 0, 0);
    root.create(FileName.of("shm"), FileType.DIRECTORY, 01777, 0, 0, 0);
    return new DevTmpfs(store);
  }

  private static void symlink(Inode dir, String name, String target) {
    dir.symlink(FileName.of(name), target.getBytes(StandardCharsets.US_ASCII), 0, 0);
  }

  /** The memory store under the name /proc/mounts gives /dev on Linux. */
  private static final class DevTmpfs implements FileSystemBackend {
    private final NioBackend store;

    DevTmpfs(NioBackend store) {
      this.store = store;
    }

    @Override
    public Inode root() {
      return store.root();
    }

    @Override
    public long deviceId() {
      return store.deviceId();
    }

    @Override
    public boolean isReadOnly() {
      return store.isReadOnly();
    }

    @Override
    public StatFs statfs() {
      return store.statfs(); // TMPFS_MAGIC, as devtmpfs reports
    }

    @Override
    public String typeName() {
      return "devtmpfs";
    }

    @Override
    public void flush() {
      store.flush();
    }
  }
}
