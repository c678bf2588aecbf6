package dev.blinkchroot.vfs.overlay;

import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.DirectoryIndex;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The merged entries of one overlay directory, built once from both layers and then changed in
 * step with every change the overlay makes, so readdir positions stay fixed. Also counts the
 * subdirectories for nlink. Guarded by the overlay lock.
 */
final class MergedDir {
  private final DirectoryIndex<OverlayNode> index = new DirectoryIndex<>();
  private int subdirs;

  /**
   * The merged view of {@code d}: upper entries except whiteouts, then the lower entries that no
   * upper entry or whiteout hides (none at all when the upper directory is opaque). A lower
   * directory merges into an upper directory of the same name unless that one is opaque; any
   * other pairing shows the upper only.
   */
  static MergedDir build(OverlayNode d) {
    MergedDir m = new MergedDir();
    Inode up = d.upper;
    if (up != null && d.lower != null && Layers.isOpaque(up)) {
      d.lower = null;
    }
    Inode low = d.lower;
    Set<FileName> whiteouts = new HashSet<>();
    if (up != null) {
      for (DirEntry e : Layers.listAll(up)) {
        Inode child = up.lookup(e.name());
        if (child == null) {
          continue;
        }
        if (Layers.isWhiteout(child)) {
          whiteouts.add(e.name());
          continue;
        }
        Inode lowerChild = null;
        if (low != null && child.type() == FileType.DIRECTORY && !Layers.isOpaque(child)) {
          Inode l = low.lookup(e.name());
          if (l != null && l.type() == FileType.DIRECTORY) {
            lowerChild = l;
          }
        }
        m.put(e.name(), d.fs.node(d, e.name(), child, lowerChild));
      }
    }
    if (low != null) {
      for (DirEntry e : Layers.listAll(low)) {
        if (whiteouts.contains(e.name()) || m.contains(e.name())) {
          continue;
        }
        Inode child = low.lookup(e.name());
        if (child != null) {
          m.put(e.name(), d.fs.node(d, e.name(), null, child));
        }
      }
    }
    return m;
  }

  OverlayNode get(FileName name) {
    return index.get(name);
  }

  boolean contains(FileName name) {
    return index.contains(name);
  }

  boolean isEmpty() {
    return index.isEmpty();
  }

  int subdirCount() {
    return subdirs;
  }

  /** Adds or replaces (keeping the position) an entry; returns the node it replaced, or null. */
  OverlayNode put(FileName name, OverlayNode node) {
    OverlayNode old = index.get(name);
    if (old != null && old.type() == FileType.DIRECTORY) {
      subdirs--;
    }
    index.put(name, node);
    if (node.type() == FileType.DIRECTORY) {
      subdirs++;
    }
    return old;
  }

  OverlayNode remove(FileName name) {
    OverlayNode old = index.remove(name);
    if (old != null && old.type() == FileType.DIRECTORY) {
      subdirs--;
    }
    return old;
  }

  /** The names, in position order. */
  List<FileName> names() {
    return index.names();
  }

  /** The child nodes, in position order. */
  List<OverlayNode> nodes() {
    List<OverlayNode> out = new ArrayList<>(index.size());
    for (FileName n : index.names()) {
      out.add(index.get(n));
    }
    return out;
  }

  List<DirEntry> list(long cookie, int max) {
    return index.list(cookie, max, (n, node) -> new DirEntry(n, node.ino(), node.type(), 0));
  }
}
