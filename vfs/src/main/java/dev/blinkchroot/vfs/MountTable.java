package dev.blinkchroot.vfs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which mount covers which directory. Lookups happen on every path component, so the map is
 * keyed by (parent mount, inode identity) and read without allocation beyond the key.
 */
final class MountTable {
  private record Key(Mount parent, Inode inode) {}

  private final Map<Key, Mount> covering = new HashMap<>();
  private final List<Mount> mounts = new ArrayList<>();
  private int nextId = 1;
  private volatile boolean hasChildren;

  synchronized Mount mountRoot(FileSystemBackend backend, String source, boolean readOnly) {
    Mount root = new Mount(nextId++, backend, null, readOnly, source);
    mounts.add(root);
    return root;
  }

  synchronized Mount mount(Location mountpoint, FileSystemBackend backend, String source,
      boolean readOnly) {
    Key key = new Key(mountpoint.mount(), mountpoint.inode());
    // Mounting over an existing mount stacks: the new one covers the old one's root.
    Location at = mountpoint;
    Mount top = covering.get(key);
    while (top != null) {
      at = top.root();
      top = covering.get(new Key(at.mount(), at.inode()));
    }
    Mount m = new Mount(nextId++, backend, at, readOnly, source);
    covering.put(new Key(at.mount(), at.inode()), m);
    mounts.add(m);
    hasChildren = true;
    return m;
  }

  synchronized void unmount(Mount m) {
    if (m.mountpoint() == null) {
      throw Errno.EBUSY.exception("the root mount");
    }
    for (Mount other : mounts) {
      if (other.parent() == m) {
        throw Errno.EBUSY.exception("a mount lies beneath");
      }
    }
    covering.remove(new Key(m.mountpoint().mount(), m.mountpoint().inode()));
    mounts.remove(m);
    m.backend().flush();
  }

  /** The mount covering {@code inode} as seen through {@code parent}, or null. */
  Mount coveringMount(Mount parent, Inode inode) {
    if (!hasChildren) {
      return null;
    }
    synchronized (this) {
      return covering.get(new Key(parent, inode));
    }
  }

  synchronized List<Mount> list() {
    return List.copyOf(mounts);
  }
}
