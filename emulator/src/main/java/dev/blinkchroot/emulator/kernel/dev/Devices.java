package dev.blinkchroot.emulator.kernel.dev;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.OpenFile;

/**
 * Device drivers, looked up by device number (never by path), so a node the image made with
 * mknod works like the one in our /dev: null 1:3, zero 1:5, full 1:7, random 1:8, urandom 1:9.
 * /dev/tty (5:0) gives ENXIO: no process has a controlling terminal yet.
 */
public final class Devices {
  private Devices() {}

  /**
   * The description for an opened character or block device node. {@code file} is what
   * Vfs.open returned for it (it has no data of its own); {@code rdev} is its st_rdev and
   * {@code flags} the open flags. ENXIO when no driver has the number (open(2): "ENXIO ... The
   * file is a device special file and no corresponding device exists"); {@code file} is closed
   * then.
   */
  public static FileDescription open(Task task, OpenFile file, long rdev, int flags) {
    return CharDevices.open(file, rdev, flags);
  }
}
