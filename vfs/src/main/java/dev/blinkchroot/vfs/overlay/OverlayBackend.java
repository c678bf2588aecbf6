package dev.blinkchroot.vfs.overlay;

import dev.blinkchroot.vfs.DeviceIds;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileSystemBackend;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import dev.blinkchroot.vfs.StatFs;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A writable union of a read-only lower tree (the image) and an upper tree that receives every
 * change, modelled on Linux overlayfs ({@code Documentation/filesystems/overlayfs.rst}).
 *
 * <p>What the upper holds, so that an upper kept on disk means the same thing to the next mount
 * (and to Linux): a name deleted from the lower is a <em>whiteout</em>, a character device 0/0; a
 * directory that must not show the lower directory of the same name carries the xattr
 * {@code trusted.overlay.opaque = "y"}. Neither is ever shown to callers.
 *
 * <p>Inode numbers belong to the overlay: one per overlay node, allocated when the node is first
 * seen and kept for its life, including across copy-up. Every node reports this backend's device.
 *
 * <p>Thread-safety: one overlay-wide lock around every inode operation (file data is read and
 * written without it, on the layer's own {@code FileContent}).
 *
 * <p>An upper that already holds content (kept from an earlier run) is merged in when the
 * supplier first produces it; after that the merged view of a directory is built once and kept up
 * to date by the overlay's own changes, so nothing else may change the layers meanwhile.
 */
public final class OverlayBackend implements FileSystemBackend {
  /** Prefix of the xattrs that carry overlay metadata in the upper; hidden from callers. */
  static final String OVERLAY_XATTR_PREFIX = "trusted.overlay.";

  /** Guards every node and the layers' directory structure. */
  final Object lock = new Object();

  private final FileSystemBackend lower;
  private final Supplier<FileSystemBackend> upperSupplier;
  private final long deviceId = DeviceIds.next();
  private final AtomicLong nextIno = new AtomicLong(1);
  private final OverlayNode root;
  /**
   * The node of each upper non-directory, so that hard links made in the upper (by {@link
   * Inode#link} or found there) resolve to one node, one ino. Guarded by {@link #lock}.
   */
  private final Map<Inode, OverlayNode> byUpper = new IdentityHashMap<>();

  private FileSystemBackend upper; // guarded by lock; null until the first write

  private OverlayBackend(FileSystemBackend lower, Supplier<FileSystemBackend> upperSupplier) {
    this.lower = lower;
    this.upperSupplier = upperSupplier;
    Inode lowerRoot = lower.root();
    if (lowerRoot.type() != FileType.DIRECTORY) {
      throw Errno.ENOTDIR.exception("lower root");
    }
    this.root = new OverlayNode(this, nextIno.getAndIncrement(), FileType.DIRECTORY, null, null,
        null, lowerRoot);
  }

  /**
   * An overlay of {@code lower} (only read, never written) and an upper made by {@code upper} on
   * the first change, so that a read-only run never builds one. A supplier that returns null, or
   * a read-only backend, makes every change fail with EROFS.
   */
  public static OverlayBackend create(FileSystemBackend lower,
      Supplier<FileSystemBackend> upper) {
    return new OverlayBackend(Objects.requireNonNull(lower, "lower"),
        Objects.requireNonNull(upper, "upper"));
  }

  /**
   * An overlay whose upper exists already (a {@code --store DIR} kept from an earlier run): it is
   * merged in at once, so even a run that only reads sees the earlier run's changes.
   */
  public static OverlayBackend withExistingUpper(FileSystemBackend lower,
      FileSystemBackend upper) {
    Objects.requireNonNull(upper, "upper");
    OverlayBackend overlay = create(lower, () -> upper);
    if (!upper.isReadOnly()) {
      synchronized (overlay.lock) {
        overlay.ensureUpper();
      }
    }
    return overlay;
  }

  @Override
  public Inode root() {
    return root;
  }

  @Override
  public long deviceId() {
    return deviceId;
  }

  /** The overlay is writable even though its lower is not. */
  @Override
  public boolean isReadOnly() {
    return false;
  }

  /**
   * Sizes are those of the upper (where new data goes), or of the lower while there is no upper;
   * the type is overlayfs's.
   */
  @Override
  public StatFs statfs() {
    FileSystemBackend base;
    synchronized (lock) {
      base = upper != null ? upper : lower;
    }
    StatFs s = base.statfs();
    return new StatFs(StatFs.OVERLAYFS_SUPER_MAGIC, s.blockSize(), s.blocks(), s.blocksFree(),
        s.blocksAvailable(), s.files(), s.filesFree(), deviceId, s.nameMax(), s.fragmentSize(),
        s.flags() & ~StatFs.ST_RDONLY);
  }

  @Override
  public String typeName() {
    return "overlay";
  }

  @Override
  public void flush() {
    FileSystemBackend u;
    synchronized (lock) {
      u = upper;
    }
    if (u != null) {
      u.flush();
    }
  }

  // ---- package-private collaborators' interface (all under lock) ----

  OverlayNode rootNode() {
    return root;
  }

  /**
   * The upper's root, creating the upper on first use. A fresh (empty) upper root takes the
   * lower root's attributes, so that writing somewhere does not change how "/" looks.
   */
  Inode ensureUpper() {
    if (upper == null) {
      FileSystemBackend made = upperSupplier.get();
      if (made == null || made.isReadOnly()) {
        throw Errno.EROFS.exception("overlay has no writable upper");
      }
      Inode upperRoot = made.root();
      boolean fresh = upperRoot.isEmpty();
      if (fresh) {
        CopyUp.copyAttributes(root.lower, upperRoot, root.lower.stat());
      }
      upper = made;
      root.upper = upperRoot;
      if (!fresh) {
        UpperAdoption.adopt(root);
      }
    }
    return root.upper;
  }

  /** A node for a child found in or made in the layers; upper non-directories are shared. */
  OverlayNode node(OverlayNode parent, FileName name, Inode upperInode, Inode lowerInode) {
    if (upperInode != null && upperInode.type() != FileType.DIRECTORY) {
      OverlayNode known = byUpper.get(upperInode);
      if (known != null) {
        return known;
      }
      OverlayNode made = newNode(parent, name, upperInode.type(), upperInode, null);
      byUpper.put(upperInode, made);
      return made;
    }
    FileType type = (upperInode != null ? upperInode : lowerInode).type();
    return newNode(parent, name, type, upperInode, lowerInode);
  }

  private OverlayNode newNode(OverlayNode parent, FileName name, FileType type, Inode upperInode,
      Inode lowerInode) {
    return new OverlayNode(this, nextIno.getAndIncrement(), type, parent, name, upperInode,
        lowerInode);
  }

  boolean knowsUpper(Inode upperInode) {
    return byUpper.containsKey(upperInode);
  }

  /** Records a node that has just got an upper non-directory (copy-up, link). */
  void registerUpper(OverlayNode n) {
    if (n.type() != FileType.DIRECTORY && n.upper != null) {
      byUpper.put(n.upper, n);
    }
  }

  /** Drops an upper non-directory from the link map once its last upper name is gone. */
  void forgetIfGone(OverlayNode n) {
    Inode u = n.upper;
    if (u == null || n.type() == FileType.DIRECTORY) {
      return;
    }
    int nlink;
    try {
      nlink = u.stat().nlink();
    } catch (ErrnoException e) {
      nlink = 0; // a backend that cannot stat an unlinked inode has certainly dropped it
    }
    if (nlink == 0) {
      byUpper.remove(u);
    }
  }
}
