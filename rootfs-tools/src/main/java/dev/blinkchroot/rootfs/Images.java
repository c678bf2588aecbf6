package dev.blinkchroot.rootfs;

import dev.blinkchroot.vfs.FileSystemBackend;
import dev.blinkchroot.vfs.nio.NioBackend;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a rootfs (tarball, host directory or "/") as a read-only lower layer. */
public final class Images {
  private Images() {}

  /**
   * Opens ROOTFS as a read-only lower layer: a tarball (.tar, .tar.gz/.tgz, .tar.xz, .tar.bz2,
   * told apart by its content, not its name), a host directory (bound read-only), or "/" (the
   * host root, read-only). A tarball is imported into the cache (or, without a cache, into
   * memory) unless the cache already holds it.
   *
   * @throws ImageException with a one-line message naming the file and, for a broken archive,
   *     the entry or offset where it broke; nothing half-imported is left visible
   */
  public static Image open(Path rootfs, ImageOptions options) {
    String display = rootfs.toString();
    if (Files.isDirectory(rootfs)) {
      return openDirectory(rootfs, display);
    }
    if (!Files.exists(rootfs)) {
      throw new ImageException(display + ": no such file or directory");
    }
    if (!Files.isRegularFile(rootfs)) {
      throw new ImageException(display + ": not a regular file or directory");
    }
    if (!Files.isReadable(rootfs)) {
      throw new ImageException(display + ": cannot read file (permission denied)");
    }
    if (options.cacheEnabled()) {
      return ImageCache.open(rootfs, display, options);
    }
    // No cache: a fresh memory tree each run; on failure it is simply dropped.
    NioBackend memory = NioBackend.memory();
    TarImporter.importInto(rootfs, display, memory,
        Progress.forTerminal(options.progress(), rootfs.getFileName().toString()), null);
    return new Image(memory, rootfs.getFileName() + " (unpacked in memory)", rootfs);
  }

  /**
   * Imports the archive at {@code archive} (any supported compression) into {@code target},
   * which should be empty. On failure {@code target} is left half-written: drop it.
   *
   * @throws ImageException as {@link #open}
   */
  public static void importArchive(Path archive, FileSystemBackend target) {
    TarImporter.importInto(archive, archive.toString(), target, Progress.none(), null);
  }

  private static Image openDirectory(Path dir, String display) {
    Path absolute = dir.toAbsolutePath().normalize();
    // Listing is the real test of readability (a directory can be searchable but not readable).
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(absolute)) {
      listing.iterator().hasNext();
    } catch (IOException | DirectoryIteratorException e) {
      // Some directories open but refuse the read itself, which arrives wrapped.
      IOException cause = e instanceof DirectoryIteratorException
          ? ((DirectoryIteratorException) e).getCause() : (IOException) e;
      throw new ImageException(display + ": cannot read directory ("
          + ImageCache.reason(cause) + ")", e);
    }
    boolean hostRoot = absolute.getParent() == null;
    try {
      NioBackend bound = NioBackend.hostBind(absolute, true);
      String description = hostRoot ? "host root / (read-only)" : absolute + " (read-only)";
      return new Image(bound, description, dir);
    } catch (RuntimeException e) {
      throw new ImageException(display + ": cannot open directory (" + e.getMessage() + ")", e);
    }
  }
}
