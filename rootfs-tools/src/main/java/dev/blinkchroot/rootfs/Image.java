package dev.blinkchroot.rootfs;

import dev.blinkchroot.vfs.FileSystemBackend;
import java.nio.file.Path;

/** An opened rootfs: the read-only lower layer and where it came from. */
public final class Image {
  private final FileSystemBackend lower;
  private final String description;
  private final Path source;

  Image(FileSystemBackend lower, String description, Path source) {
    this.lower = lower;
    this.description = description;
    this.source = source;
  }

  public FileSystemBackend lower() {
    return lower;
  }

  /** For messages, e.g. "alpine-minirootfs-3.20.3-x86_64.tar.gz (cached 3f2a...)". */
  public String description() {
    return description;
  }

  public Path source() {
    return source;
  }

  @Override
  public String toString() {
    return description;
  }
}
