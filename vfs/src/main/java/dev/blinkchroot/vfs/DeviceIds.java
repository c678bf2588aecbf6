package dev.blinkchroot.vfs;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Allocates {@code st_dev} values for backends, as Linux does for anonymous file systems
 * (major 0, minor counting up), so every mount shows a distinct device.
 */
public final class DeviceIds {
  private static final AtomicInteger NEXT_MINOR = new AtomicInteger(32);

  private DeviceIds() {}

  public static long next() {
    return Stat.makedev(0, NEXT_MINOR.getAndIncrement());
  }
}
