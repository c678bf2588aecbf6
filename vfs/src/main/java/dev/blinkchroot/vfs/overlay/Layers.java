package dev.blinkchroot.vfs.overlay;

import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How overlay metadata is stored in the upper, the Linux way: a whiteout is a character device
 * 0/0 (mode 0, root-owned); an opaque directory has {@code trusted.overlay.opaque = "y"}.
 */
final class Layers {
  static final String OPAQUE_XATTR = OverlayBackend.OVERLAY_XATTR_PREFIX + "opaque";
  private static final byte[] YES = "y".getBytes(StandardCharsets.US_ASCII);
  private static final int LIST_BATCH = 256;

  private Layers() {}

  /** Every entry of a layer directory, in its readdir order. */
  static List<DirEntry> listAll(Inode dir) {
    List<DirEntry> all = new ArrayList<>();
    long cookie = 0; // "0 for the start" in the readdir contract
    while (true) {
      List<DirEntry> batch = dir.readdir(cookie, LIST_BATCH);
      if (batch.isEmpty()) {
        return all;
      }
      all.addAll(batch);
      cookie = batch.get(batch.size() - 1).cookie();
    }
  }

  static boolean isWhiteout(Inode inode) {
    return inode.type() == FileType.CHARACTER_DEVICE && inode.stat().rdev() == 0;
  }

  static boolean isOpaque(Inode upperDir) {
    try {
      return Arrays.equals(YES, upperDir.getXattr(OPAQUE_XATTR));
    } catch (ErrnoException e) {
      return false; // ENODATA, or an upper without xattrs: nothing can be opaque there
    }
  }

  static void markOpaque(Inode upperDir) {
    upperDir.setXattr(OPAQUE_XATTR, YES, 0);
  }

  static void makeWhiteout(Inode upperDir, FileName name) {
    upperDir.create(name, FileType.CHARACTER_DEVICE, 0, 0, 0, 0);
  }

  /**
   * Removes a whiteout at {@code name} in an upper directory; false if there was no entry. Any
   * other entry there means the upper changed behind the overlay's back: EEXIST.
   */
  static boolean removeWhiteout(Inode upperDir, FileName name) {
    Inode existing = upperDir.lookup(name);
    if (existing == null) {
      return false;
    }
    if (!isWhiteout(existing)) {
      throw Errno.EEXIST.exception(name + " in upper");
    }
    upperDir.unlink(name);
    return true;
  }

  /** Removes the whiteouts of an upper directory whose merged view is empty, before rmdir. */
  static void clearWhiteouts(Inode upperDir) {
    for (DirEntry e : listAll(upperDir)) {
      Inode child = upperDir.lookup(e.name());
      if (child != null && isWhiteout(child)) {
        upperDir.unlink(e.name());
      }
    }
  }

  /**
   * True if the lower directory under overlay directory {@code d} holds {@code name}, which then
   * needs a whiteout once the overlay name goes (a null lower also covers opaque directories).
   */
  static boolean lowerHas(OverlayNode d, FileName name) {
    Inode low = d.lower;
    return low != null && low.lookup(name) != null;
  }
}
