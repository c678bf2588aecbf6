package dev.blinkchroot.runner;

import dev.blinkchroot.rootfs.Image;
import dev.blinkchroot.rootfs.ImageOptions;
import dev.blinkchroot.rootfs.Images;
import dev.blinkchroot.vfs.Credentials;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.Vfs;
import dev.blinkchroot.vfs.nio.NioBackend;
import dev.blinkchroot.vfs.overlay.OverlayBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The guest's file system, assembled the one way every command uses: the image as a read-only
 * lower layer, an overlay whose upper receives all changes (memory or a host store), mounted at
 * "/", then the user's bind mounts. The emulator will add /proc, /dev and /tmp on top.
 *
 * <p>Close it to flush what a host store keeps on the side; the image itself is never written.
 */
public final class Sandbox implements AutoCloseable {
  private final Image image;
  private final Vfs vfs;

  private Sandbox(Image image, Vfs vfs) {
    this.image = image;
    this.vfs = vfs;
  }

  /**
   * Opens the image and mounts everything.
   *
   * @throws CliException naming the file or option at fault
   * @throws dev.blinkchroot.rootfs.ImageException when the image cannot be read
   */
  public static Sandbox open(SandboxConfig config) {
    requireExists(config.rootfs(), "");
    Image image = Images.open(config.rootfs(), imageOptions(config));
    OverlayBackend overlay = overlay(image, config.store());
    Vfs vfs = Vfs.create(overlay, "overlay");
    Sandbox sandbox = new Sandbox(image, vfs);
    for (BindSpec bind : config.binds()) {
      sandbox.mountBind(bind);
    }
    return sandbox;
  }

  private static ImageOptions imageOptions(SandboxConfig config) {
    ImageOptions options = ImageOptions.defaults().withProgress(config.progress());
    if (config.cacheDir() != null) {
      options = options.withCacheDir(config.cacheDir());
    }
    if (!config.cache()) {
      options = options.withoutCache();
    }
    return options;
  }

  /**
   * The overlay of the image and the store. A new or empty store is made only when the guest
   * first writes, so a read-only run leaves no directory behind; a store that holds an earlier
   * run's changes is merged in at once, so that even a read-only run sees them.
   */
  private static OverlayBackend overlay(Image image, StoreSpec store) {
    if (store.isMemory()) {
      return OverlayBackend.create(image.lower(), NioBackend::memory);
    }
    Path dir = store.directory();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new CliException("--store " + dir + ": Not a directory");
    }
    if (isNonEmptyDirectory(dir)) {
      return OverlayBackend.withExistingUpper(image.lower(), openStore(dir));
    }
    return OverlayBackend.create(image.lower(), () -> NioBackend.hostStore(dir, false));
  }

  /**
   * A store kept from an earlier run (its metadata journal replayed if that run was killed). A
   * damaged sidecar or journal refuses the store in one line that names the file and what to do,
   * rather than a bare "Input/output error".
   */
  private static NioBackend openStore(Path dir) {
    try {
      return NioBackend.hostStore(dir, false);
    } catch (ErrnoException e) {
      String why = e.errno() == Errno.EIO && e.detail() != null ? e.detail() : e.errno().message();
      throw new CliException("--store " + dir + ": " + why);
    }
  }

  private static boolean isNonEmptyDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isPresent();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void mountBind(BindSpec bind) {
    requireExists(bind.hostPath(), "--bind ");
    if (!Files.isDirectory(bind.hostPath())) {
      throw new CliException("--bind " + bind.hostPath() + ": Not a directory");
    }
    FsContext ctx = newRootContext();
    byte[] guest = bind.guestPath().getBytes(StandardCharsets.UTF_8);
    try {
      makeDirectories(ctx, guest);
      vfs.mount(ctx, guest, NioBackend.hostBind(bind.hostPath(), bind.readOnly()),
          "bind:" + bind.hostPath(), bind.readOnly());
    } catch (ErrnoException e) {
      throw new CliException("--bind " + bind + ": " + e.errno().message());
    }
  }

  /** mkdir -p inside the sandbox: the mount point of a bind need not exist in the image. */
  private void makeDirectories(FsContext ctx, byte[] path) {
    for (int end = 1; end <= path.length; end++) {
      if (end < path.length && path[end] != '/') {
        continue;
      }
      if (path[end - 1] == '/') {
        continue;
      }
      byte[] prefix = java.util.Arrays.copyOf(path, end);
      try {
        Location at = vfs.lookup(ctx, null, prefix, 0);
        if (!at.isDirectory()) {
          throw Errno.ENOTDIR.exception();
        }
      } catch (ErrnoException e) {
        if (e.errno() != Errno.ENOENT) {
          throw e;
        }
        vfs.mkdir(ctx, null, prefix, 0755);
      }
    }
  }

  private static void requireExists(Path hostPath, String option) {
    if (!Files.exists(hostPath)) {
      throw new CliException(option + hostPath + ": No such file or directory");
    }
  }

  public Vfs vfs() {
    return vfs;
  }

  public Image image() {
    return image;
  }

  /** A context at the sandbox root with root's credentials, as the init task will have. */
  public FsContext newRootContext() {
    return vfs.newContext(Credentials.ROOT);
  }

  @Override
  public void close() {
    vfs.flush();
  }
}
