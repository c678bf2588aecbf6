package dev.blinkchroot.vfs.overlay;

import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FileContent;
import dev.blinkchroot.vfs.Inode;
import java.nio.ByteBuffer;

/**
 * A read-only open of a file that was lower-only when opened. If the file is copied up while
 * open, later reads come from the upper copy, so a reader sees the writes another open makes
 * (Linux overlayfs would keep reading the stale lower file).
 */
final class LowerReadContent implements FileContent {
  private final OverlayNode node;
  private FileContent delegate; // guarded by this
  private boolean onUpper;

  LowerReadContent(OverlayNode node, FileContent lowerContent) {
    this.node = node;
    this.delegate = lowerContent;
  }

  private synchronized FileContent current() {
    if (!onUpper) {
      Inode u = node.upper;
      if (u != null) {
        FileContent upperContent;
        try {
          upperContent = u.openContent(false);
        } catch (ErrnoException e) {
          return delegate; // e.g. the copy was unlinked already: the lower data is what is left
        }
        delegate.close();
        delegate = upperContent;
        onUpper = true;
      }
    }
    return delegate;
  }

  @Override
  public int read(long position, ByteBuffer dst) {
    return current().read(position, dst);
  }

  /** The open is read-only: the VFS never writes through it. */
  @Override
  public int write(long position, ByteBuffer src) {
    throw Errno.EBADF.exception("read-only open");
  }

  @Override
  public long size() {
    return current().size();
  }

  @Override
  public void truncate(long size) {
    throw Errno.EBADF.exception("read-only open");
  }

  @Override
  public synchronized void close() {
    delegate.close();
  }
}
