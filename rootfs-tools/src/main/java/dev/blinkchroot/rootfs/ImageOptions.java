package dev.blinkchroot.rootfs;

import java.nio.file.Path;

/** How {@link Images#open} treats a tarball: cached or not, where, and with progress or not. */
public final class ImageOptions {
  private final Path cacheDir;
  private final boolean cache;
  private final boolean progress;

  private ImageOptions(Path cacheDir, boolean cache, boolean progress) {
    this.cacheDir = cacheDir;
    this.cache = cache;
    this.progress = progress;
  }

  /** Cache on in the default cache directory, no progress indicator. */
  public static ImageOptions defaults() {
    return new ImageOptions(null, true, false);
  }

  public ImageOptions withCacheDir(Path dir) {
    return new ImageOptions(dir, cache, progress);
  }

  public ImageOptions withoutCache() {
    return new ImageOptions(cacheDir, false, progress);
  }

  public ImageOptions withProgress(boolean stderrIsTerminal) {
    return new ImageOptions(cacheDir, cache, stderrIsTerminal);
  }

  /** Explicit, else $XDG_CACHE_HOME/blink-chroot, else ~/.cache/blink-chroot. */
  public Path cacheDir() {
    if (cacheDir != null) {
      return cacheDir;
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "blink-chroot");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "blink-chroot");
  }

  boolean cacheEnabled() {
    return cache;
  }

  boolean progress() {
    return progress;
  }
}
