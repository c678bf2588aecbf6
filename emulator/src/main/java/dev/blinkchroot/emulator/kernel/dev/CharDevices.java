package dev.blinkchroot.emulator.kernel.dev;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.OpenFile;

/** Attaches a driver to an opened device node: what {@code Devices.open} delegates to. */
public final class CharDevices {
  private CharDevices() {}

  /**
   * The description of {@code file}, a device node with number {@code rdev}. ENXIO for a block
   * device, for a number without a driver, and for /dev/tty while there is no controlling
   * terminal (tty(4)); the open file is closed then.
   */
  public static FileDescription open(OpenFile file, long rdev, int flags) {
    CharDevice device = file.inode().type() == FileType.CHARACTER_DEVICE
        ? CharDevice.of(rdev) : null;
    if (device == null || device == CharDevice.TTY) {
      file.close();
      throw Errno.ENXIO.exception();
    }
    return new DeviceDescription(file, device);
  }
}
