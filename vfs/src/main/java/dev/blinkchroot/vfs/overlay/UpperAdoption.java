package dev.blinkchroot.vfs.overlay;

import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds an upper that already holds content (a host-directory upper kept from an earlier run) into
 * merged views built before the upper existed: the supplier is only called on the first write, by
 * which time directories may have been listed from the lower alone. Entries keep their nodes and
 * readdir positions where the file stays the same kind of thing. Under the overlay lock.
 */
final class UpperAdoption {
  private UpperAdoption() {}

  /** {@code d.upper} has just been set; reconcile {@code d}'s built view with it. */
  static void adopt(OverlayNode d) {
    Inode up = d.upper;
    MergedDir m = d.dirIfBuilt();
    boolean opaque = d.lower != null && Layers.isOpaque(up);
    if (opaque) {
      d.lower = null;
    }
    if (m == null) {
      return; // built from both layers when first needed
    }
    if (opaque) {
      // everything listed so far came from the lower, which the upper now hides
      for (FileName name : m.names()) {
        m.remove(name);
      }
    }
    List<FileName> whiteouts = new ArrayList<>();
    for (DirEntry e : Layers.listAll(up)) {
      FileName name = e.name();
      Inode child = up.lookup(name);
      if (child == null) {
        continue;
      }
      if (Layers.isWhiteout(child)) {
        whiteouts.add(name);
        continue;
      }
      OverlayNode existing = m.get(name);
      if (existing != null && existing.upper == null && existing.type() == child.type()
          && (child.type() == FileType.DIRECTORY || !d.fs.knowsUpper(child))) {
        existing.upper = child;
        if (child.type() == FileType.DIRECTORY) {
          if (existing.lower != null && Layers.isOpaque(child)) {
            existing.lower = null;
          }
          adopt(existing);
        } else {
          existing.lower = null;
          d.fs.registerUpper(existing);
        }
        continue;
      }
      Inode lowerChild = null;
      if (d.lower != null && child.type() == FileType.DIRECTORY && !Layers.isOpaque(child)) {
        Inode l = d.lower.lookup(name);
        if (l != null && l.type() == FileType.DIRECTORY) {
          lowerChild = l;
        }
      }
      m.put(name, d.fs.node(d, name, child, lowerChild));
    }
    for (FileName name : whiteouts) {
      m.remove(name);
    }
  }
}
