package dev.blinkchroot.vfs;

/**
 * A place in the mounted tree: an inode as seen through one mount (Linux's {@code struct path}).
 * The same inode under two bind mounts is two locations.
 */
public record Location(Mount mount, Inode inode) {
  public Stat stat() {
    return inode.stat();
  }

  public boolean isDirectory() {
    return inode.type() == FileType.DIRECTORY;
  }

  /** True if this is the root of its mount. */
  public boolean isMountRoot() {
    return inode == mount.backend().root();
  }
}
