package dev.blinkchroot.emulator.kernel.synthetic;

import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileSystemBackend;
import dev.blinkchroot.vfs.Inode;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.VfsClock;

/**
 * One file of a {@link SyntheticBackend}. Sizes are 0 and times are the moment the node was
 * made, as /proc shows them; attributes cannot be changed (EPERM), since they are the kernel's.
 */
public abstract class SyntheticNode implements Inode {
  private final SyntheticBackend backend;
  private final long ino;
  private final SyntheticDir parent;
  private final FileName name;
  private final int permissions;
  private final Owner owner;
  private final long timeNs = VfsClock.nowNanos();

  /** A backend's root directory. */
  SyntheticNode(SyntheticBackend backend, int permissions, Owner owner) {
    this.backend = backend;
    this.ino = backend.allocateIno();
    this.parent = null;
    this.name = null;
    this.permissions = permissions;
    this.owner = owner;
  }

  /** A child of {@code parent}; {@code owner} null inherits the parent's. */
  SyntheticNode(SyntheticDir parent, String name, int permissions, Owner owner) {
    this.backend = parent.syntheticBackend();
    this.ino = backend.allocateIno();
    this.parent = parent;
    this.name = FileName.of(name);
    this.permissions = permissions;
    this.owner = owner != null ? owner : parent.owner();
  }

  SyntheticBackend syntheticBackend() {
    return backend;
  }

  Owner owner() {
    return owner;
  }

  /** The directory holding this node; a root's is itself. */
  SyntheticDir parentDir() {
    return parent;
  }

  FileName fileName() {
    return name;
  }

  @Override
  public FileSystemBackend backend() {
    return backend;
  }

  @Override
  public long ino() {
    return ino;
  }

  @Override
  public Stat stat() {
    return new Stat(backend.deviceId(), ino, type().modeBits() | permissions, linkCount(),
        owner.uid(), owner.gid(), 0, 0, 1024, 0, timeNs, timeNs, timeNs);
  }

  /**
   * 1 for every node. For a directory 1 is what file systems that do not count subdirectories
   * report, and what tells find(1) not to use the link count to skip them.
   */
  int linkCount() {
    return 1;
  }

  @Override
  public void setPermissions(int permissions) {
    throw Errno.EPERM.exception();
  }

  @Override
  public void setOwner(int uid, int gid) {
    throw Errno.EPERM.exception();
  }

  @Override
  public void setTimes(long atimeNs, long mtimeNs) {
    throw Errno.EPERM.exception();
  }
}
