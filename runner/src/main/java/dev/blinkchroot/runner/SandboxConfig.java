package dev.blinkchroot.runner;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything that decides how a sandbox is assembled, independent of the command line.
 *
 * @param cacheDir null for the default cache directory
 * @param progress whether importing may draw a progress indicator on stderr
 */
public record SandboxConfig(Path rootfs, StoreSpec store, List<BindSpec> binds, Path cacheDir,
    boolean cache, boolean progress) {
  public SandboxConfig {
    binds = List.copyOf(binds);
  }

  /** A read-mostly sandbox of {@code rootfs}: memory store, no binds, default cache. */
  public static SandboxConfig of(Path rootfs) {
    return new SandboxConfig(rootfs, StoreSpec.MEMORY, List.of(), null, true, false);
  }
}
