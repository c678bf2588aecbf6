package dev.blinkchroot.vfs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An open file description: what a file descriptor refers to, shared by dup'ed and inherited
 * descriptors. It holds the location, the status flags and the file offset; for a directory the
 * offset is a readdir position (a cookie), which getdents64 and lseek share.
 *
 * <p>Device nodes and FIFOs open here without data: the kernel above attaches their drivers.
 */
public final class OpenFile implements AutoCloseable {
  /** The status flags fcntl(F_SETFL) may change. */
  public static final int SETTABLE_FLAGS =
      Fcntl.O_APPEND | Fcntl.O_NONBLOCK | Fcntl.O_NOATIME | Fcntl.O_DIRECT | 020000 /* O_ASYNC */;

  private final Location location;
  private final FileContent content;
  private int flags;
  private long position;
  private boolean closed;

  OpenFile(Location location, int flags, FileContent content) {
    this.location = location;
    this.flags = flags & ~(Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_NOCTTY | Fcntl.O_TRUNC);
    this.content = content;
  }

  public Location location() {
    return location;
  }

  public Inode inode() {
    return location.inode();
  }

  /** The file status and access-mode flags, as F_GETFL reports them (O_CLOEXEC excluded). */
  public synchronized int flags() {
    return flags & ~Fcntl.O_CLOEXEC;
  }

  /** F_SETFL: only {@link #SETTABLE_FLAGS} change. */
  public synchronized void setStatusFlags(int newFlags) {
    flags = (flags & ~SETTABLE_FLAGS) | (newFlags & SETTABLE_FLAGS);
  }

  public boolean isPathOnly() {
    return (flags & Fcntl.O_PATH) != 0;
  }

  private boolean canRead() {
    int acc = flags & Fcntl.O_ACCMODE;
    return !isPathOnly() && (acc == Fcntl.O_RDONLY || acc == Fcntl.O_RDWR);
  }

  private boolean canWrite() {
    int acc = flags & Fcntl.O_ACCMODE;
    return !isPathOnly() && (acc == Fcntl.O_WRONLY || acc == Fcntl.O_RDWR);
  }

  public Stat stat() {
    return location.stat();
  }

  // ---------------------------------------------------------------- data

  /** read(2) at the file offset, which advances. */
  public synchronized int read(ByteBuffer dst) {
    int n = readAt(dst, position);
    position += n;
    return n;
  }

  /** pread64(2): the file offset does not move; ESPIPE for files without positions. */
  public int pread(ByteBuffer dst, long offset) {
    if (offset < 0) {
      throw Errno.EINVAL.exception();
    }
    return readAt(dst, offset);
  }

  private int readAt(ByteBuffer dst, long offset) {
    if (!canRead()) {
      throw Errno.EBADF.exception();
    }
    return data().read(offset, dst);
  }

  /** write(2) at the file offset (at the end under O_APPEND), which advances. */
  public synchronized int write(ByteBuffer src) {
    if (!canWrite()) {
      throw Errno.EBADF.exception();
    }
    FileContent data = data();
    if ((flags & Fcntl.O_APPEND) != 0) {
      position = data.size();
    }
    int n = data.write(position, src);
    position += n;
    return n;
  }

  /**
   * pwrite64(2). As on Linux (pwrite(2), BUGS), with O_APPEND the data goes to the end whatever
   * the offset.
   */
  public synchronized int pwrite(ByteBuffer src, long offset) {
    if (offset < 0) {
      throw Errno.EINVAL.exception();
    }
    if (!canWrite()) {
      throw Errno.EBADF.exception();
    }
    FileContent data = data();
    if ((flags & Fcntl.O_APPEND) != 0) {
      offset = data.size();
    }
    return data.write(offset, src);
  }

  private FileContent data() {
    if (content != null) {
      return content;
    }
    FileType type = location.inode().type();
    if (type == FileType.DIRECTORY) {
      throw Errno.EISDIR.exception();
    }
    if (isPathOnly()) {
      throw Errno.EBADF.exception();
    }
    // Devices and FIFOs get their behaviour from the kernel layer, which wraps this file.
    throw Errno.ENXIO.exception("no driver for " + type);
  }

  /**
   * lseek(2). On a directory only positions from {@link #readdir} (or 0) are meaningful.
   *
   * @return the new offset
   */
  public synchronized long seek(long offset, int whence) {
    if (isPathOnly()) {
      throw Errno.EBADF.exception();
    }
    FileType type = location.inode().type();
    if (type == FileType.FIFO || type == FileType.SOCKET) {
      throw Errno.ESPIPE.exception();
    }
    long base;
    switch (whence) {
      case Fcntl.SEEK_SET:
        base = 0;
        break;
      case Fcntl.SEEK_CUR:
        base = position;
        break;
      case Fcntl.SEEK_END:
        base = content != null ? content.size() : 0;
        break;
      case Fcntl.SEEK_DATA:
      case Fcntl.SEEK_HOLE: {
        // The whole file is data: the only hole is the implicit one at the end.
        long size = content != null ? content.size() : 0;
        if (offset < 0 || offset >= size) {
          throw Errno.ENXIO.exception();
        }
        position = whence == Fcntl.SEEK_DATA ? offset : size;
        return position;
      }
      default:
        throw Errno.EINVAL.exception();
    }
    long target = base + offset;
    if (target < 0 || (offset > 0 && target < base)) {
      throw Errno.EINVAL.exception();
    }
    position = target;
    return position;
  }

  /** The file offset (for a directory, the readdir position). */
  public synchronized long position() {
    return position;
  }

  /** ftruncate(2): EINVAL unless a regular file open for writing. */
  public void truncate(long length) {
    if (length < 0 || content == null || !canWrite()) {
      throw Errno.EINVAL.exception();
    }
    content.truncate(length);
  }

  /** fsync(2) and fdatasync(2). */
  public void sync() {
    if (content != null) {
      content.sync();
    }
  }

  // ---------------------------------------------------------------- directories

  /**
   * Up to {@code max} entries from the readdir position, which moves past them: "." and ".."
   * first (positions 1 and 2), then the backend's entries. To give back entries that did not fit
   * a caller's buffer, {@link #seek} to the cookie of the last one consumed.
   */
  public synchronized List<DirEntry> readdir(int max) {
    if (isPathOnly()) {
      throw Errno.EBADF.exception();
    }
    Inode dir = location.inode();
    if (dir.type() != FileType.DIRECTORY) {
      throw Errno.ENOTDIR.exception();
    }
    List<DirEntry> out = new ArrayList<>();
    if (position < 1 && out.size() < max) {
      out.add(new DirEntry(FileName.DOT, dir.ino(), FileType.DIRECTORY, 1));
    }
    if (position < 2 && out.size() < max) {
      // At a file-system root ".." names the root itself, as the on-disk entry does.
      Inode parent = location.isMountRoot() ? dir : dir.parent();
      out.add(new DirEntry(FileName.DOT_DOT, parent.ino(), FileType.DIRECTORY, 2));
    }
    if (out.size() < max) {
      out.addAll(dir.readdir(Math.max(position, 2), max - out.size()));
    }
    if (!out.isEmpty()) {
      position = out.get(out.size() - 1).cookie();
    }
    return out;
  }

  // ---------------------------------------------------------------- attributes through the fd

  /** fchmod(2). */
  public void chmod(FsContext ctx, int mode) {
    Attributes.chmod(ctx, location, mode);
  }

  /** fchown(2). */
  public void chown(FsContext ctx, int uid, int gid) {
    Attributes.chown(ctx, location, uid, gid);
  }

  /** futimens(2). */
  public void utimens(FsContext ctx, long atimeNs, long mtimeNs) {
    Attributes.utimens(ctx, location, atimeNs, mtimeNs);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      if (content != null) {
        content.close();
      }
    }
  }
}
