package dev.blinkchroot.emulator.kernel.fd;

import dev.blinkchroot.emulator.kernel.mm.PageCache;
import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Stat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A descriptor's view of a VFS open file (a regular file, a directory, or an O_PATH handle of
 * anything). The {@link OpenFile} holds the offset, flags and data; this adds what the kernel
 * layer knows: the path /proc/PID/fd/N shows (recorded at open, as Linux keeps the dentry, with
 * " (deleted)" once the last name is gone) and the release of locks at the last close.
 */
public class VfsFileDescription implements FileDescription {
  private final OpenFile file;
  private final byte[] path;
  private final KernelFiles files;

  /**
   * {@code path}: the absolute path the file was opened by, as realpath gives it; {@code files}:
   * the kernel's locks and page caches.
   */
  public VfsFileDescription(OpenFile file, byte[] path, KernelFiles files) {
    this.file = file;
    this.path = path.clone();
    this.files = files;
  }

  /** The kernel-wide state this description shares. */
  protected KernelFiles files() {
    return files;
  }

  /** The VFS open file (for mmap of the file's data, fchmod, futimens). */
  public OpenFile openFile() {
    return file;
  }

  /** True for a regular file: reads never block and may be repeated to fill a request. */
  public boolean isRegular() {
    return file.inode().type() == FileType.REGULAR && !file.isPathOnly();
  }

  // Reads and writes of a file mapped MAP_SHARED somewhere go past its page cache (see there).

  @Override
  public int read(ByteBuffer dst) {
    PageCache cache = files.pageCaches().of(file.inode());
    if (cache != null) {
      cache.beforeRead(file.position(), dst.remaining());
    }
    return file.read(dst);
  }

  @Override
  public int write(ByteBuffer src) {
    PageCache cache = files.pageCaches().of(file.inode());
    if (cache == null) {
      return file.write(src);
    }
    boolean append = (file.flags() & Fcntl.O_APPEND) != 0;
    long pos = append ? file.stat().size() : file.position();
    return cache.write(pos, src.remaining(), () -> file.write(src));
  }

  @Override
  public int pread(ByteBuffer dst, long offset) {
    PageCache cache = files.pageCaches().of(file.inode());
    if (cache != null) {
      cache.beforeRead(offset, dst.remaining());
    }
    return file.pread(dst, offset);
  }

  @Override
  public int pwrite(ByteBuffer src, long offset) {
    PageCache cache = files.pageCaches().of(file.inode());
    if (cache == null) {
      return file.pwrite(src, offset);
    }
    // pwrite(2) BUGS: with O_APPEND, Linux appends whatever the offset says.
    boolean append = (file.flags() & Fcntl.O_APPEND) != 0;
    long pos = append ? file.stat().size() : offset;
    return cache.write(pos, src.remaining(), () -> file.pwrite(src, offset));
  }

  @Override
  public long seek(long offset, int whence) {
    return file.seek(offset, whence);
  }

  @Override
  public Stat stat() {
    return file.stat();
  }

  @Override
  public List<DirEntry> readdir(int max) {
    return file.readdir(max);
  }

  @Override
  public void seekDirectory(long cookie) {
    file.seek(cookie, Fcntl.SEEK_SET);
  }

  @Override
  public int flags() {
    return file.flags();
  }

  @Override
  public void setStatusFlags(int flags) {
    file.setStatusFlags(flags);
  }

  @Override
  public Location location() {
    return file.location();
  }

  @Override
  public String procLink() {
    String p = new String(path, StandardCharsets.ISO_8859_1);
    boolean deleted = file.inode().type() != FileType.DIRECTORY && file.stat().nlink() == 0;
    return deleted ? p + " (deleted)" : p;
  }

  /** FIONREAD on a regular file: the bytes between the offset and the end (ioctl_list(2)). */
  @Override
  public int available() {
    if (!isRegular()) {
      return -1;
    }
    long n = file.stat().size() - file.position();
    return (int) Math.max(0, Math.min(n, Integer.MAX_VALUE));
  }

  @Override
  public void sync() {
    file.sync();
  }

  @Override
  public void truncate(long length) {
    files.pageCaches().changing(file.inode(), () -> file.truncate(length));
  }

  @Override
  public void close() {
    files.locks().descriptionClosed(this);
    file.close();
  }
}
