package dev.blinkchroot.emulator.kernel.dev;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Stat;
import java.nio.ByteBuffer;

/**
 * An open character device: the VFS open file (for fstat, the status flags, *at calls) plus the
 * driver that reads and writes. The memory devices have no file position: lseek succeeds and
 * returns 0, and pread/pwrite behave as read/write (their offset means nothing), as on Linux.
 */
final class DeviceDescription implements FileDescription {
  private final OpenFile file;
  private final CharDevice device;

  DeviceDescription(OpenFile file, CharDevice device) {
    this.file = file;
    this.device = device;
  }

  private void requireAccess(boolean write) {
    int flags = file.flags();
    int acc = flags & Fcntl.O_ACCMODE;
    boolean ok = (flags & Fcntl.O_PATH) == 0
        && (write ? acc == Fcntl.O_WRONLY || acc == Fcntl.O_RDWR
            : acc == Fcntl.O_RDONLY || acc == Fcntl.O_RDWR);
    if (!ok) {
      throw Errno.EBADF.exception();
    }
  }

  @Override
  public int read(ByteBuffer dst) {
    requireAccess(false);
    return device.read(dst);
  }

  @Override
  public int write(ByteBuffer src) {
    requireAccess(true);
    return device.write(src);
  }

  @Override
  public int pread(ByteBuffer dst, long offset) {
    if (offset < 0) {
      throw Errno.EINVAL.exception();
    }
    return read(dst);
  }

  @Override
  public int pwrite(ByteBuffer src, long offset) {
    if (offset < 0) {
      throw Errno.EINVAL.exception();
    }
    return write(src);
  }

  @Override
  public long seek(long offset, int whence) {
    if ((file.flags() & Fcntl.O_PATH) != 0) {
      throw Errno.EBADF.exception();
    }
    return 0;
  }

  @Override
  public Stat stat() {
    return file.stat();
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
    return "/dev/" + device.nodeName();
  }

  @Override
  public void close() {
    file.close();
  }
}
