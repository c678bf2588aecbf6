package dev.blinkchroot.emulator.kernel.ipc;

import dev.blinkchroot.emulator.kernel.fd.KernelFiles;
import dev.blinkchroot.emulator.kernel.fd.VfsFileDescription;
import dev.blinkchroot.vfs.Credentials;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Vfs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * memfd_create(2): an anonymous regular file. It lives in a private in-memory store (one per JVM,
 * never mounted), created under a unique name and unlinked at once, so it is reachable only
 * through its descriptors and goes away with the last one. /proc/PID/fd/N shows
 * "/memfd:NAME (deleted)"; the mode is 0777 (0666 with MFD_NOEXEC_SEAL), as Linux's shmem file.
 *
 * <p>File seals (fcntl F_ADD_SEALS/F_GET_SEALS): kept per memfd; F_SEAL_WRITE and
 * F_SEAL_FUTURE_WRITE forbid writes, F_SEAL_GROW and F_SEAL_SHRINK size changes (EPERM), and
 * F_SEAL_SEAL further seals. Without MFD_ALLOW_SEALING the file starts with F_SEAL_SEAL. EBUSY
 * for F_SEAL_WRITE with writable shared mappings is not checked (mappings are not tracked here).
 */
public final class MemFd extends VfsFileDescription {
  public static final int MFD_CLOEXEC = 1;
  public static final int MFD_ALLOW_SEALING = 2;
  public static final int MFD_HUGETLB = 4;
  public static final int MFD_NOEXEC_SEAL = 8;
  public static final int MFD_EXEC = 0x10;
  /** NAME_MAX - strlen("memfd:"). */
  public static final int MFD_NAME_MAX_LEN = 249;

  static final int F_SEAL_SEAL = 1;
  static final int F_SEAL_SHRINK = 2;
  static final int F_SEAL_GROW = 4;
  static final int F_SEAL_WRITE = 8;
  static final int F_SEAL_FUTURE_WRITE = 0x10;
  static final int F_SEAL_EXEC = 0x20;
  static final int ALL_SEALS = 0x3f;

  private final byte[] name;
  private int seals;

  private MemFd(OpenFile file, byte[] name, int seals, KernelFiles files) {
    super(file, name, files);
    this.name = name.clone();
    this.seals = seals;
  }

  /** A new memfd named {@code name}, owned by {@code owner}; flags as memfd_create. */
  public static MemFd create(KernelFiles files, byte[] name, int flags, Credentials owner) {
    Vfs vfs = files.anonymousFiles();
    FsContext storeContext = files.anonymousContext();
    byte[] path = ("/memfd-" + files.nextMemfd()).getBytes(StandardCharsets.US_ASCII);
    boolean noExec = (flags & MFD_NOEXEC_SEAL) != 0;
    OpenFile file;
    synchronized (files) {
      file = vfs.open(storeContext, null, path,
          Fcntl.O_RDWR | Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_LARGEFILE, noExec ? 0666 : 0777);
      vfs.unlink(storeContext, null, path, 0);
    }
    file.inode().setOwner(owner.uid(), owner.gid());
    int seals = (flags & MFD_ALLOW_SEALING) != 0 || noExec ? 0 : F_SEAL_SEAL;
    if (noExec) {
      seals |= F_SEAL_EXEC;
    }
    return new MemFd(file, name, seals, files);
  }

  @Override
  public String procLink() {
    return "/memfd:" + new String(name, StandardCharsets.ISO_8859_1) + " (deleted)";
  }

  public synchronized int seals() {
    return seals;
  }

  /** F_ADD_SEALS: EPERM once F_SEAL_SEAL is set or unless open for writing; EINVAL for others. */
  public synchronized void addSeals(int add) {
    if ((add & ~ALL_SEALS) != 0) {
      throw Errno.EINVAL.exception();
    }
    if ((flags() & Fcntl.O_ACCMODE) == Fcntl.O_RDONLY) {
      throw Errno.EPERM.exception();
    }
    if ((seals & F_SEAL_SEAL) != 0) {
      throw Errno.EPERM.exception();
    }
    seals |= add;
  }

  private synchronized void checkWrite(long offset, int length) {
    if ((seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) != 0 && length > 0) {
      throw Errno.EPERM.exception();
    }
    if ((seals & F_SEAL_GROW) != 0 && offset + length > stat().size()) {
      throw Errno.EPERM.exception();
    }
  }

  /** Size changes under the seals (ftruncate, fallocate). */
  public synchronized void checkResize(long newSize) {
    long size = stat().size();
    if (((seals & F_SEAL_GROW) != 0 && newSize > size)
        || ((seals & F_SEAL_SHRINK) != 0 && newSize < size)) {
      throw Errno.EPERM.exception();
    }
  }

  @Override
  public int write(ByteBuffer src) {
    long at = (flags() & Fcntl.O_APPEND) != 0 ? stat().size() : openFile().position();
    checkWrite(at, src.remaining());
    return super.write(src);
  }

  @Override
  public int pwrite(ByteBuffer src, long offset) {
    checkWrite(offset, src.remaining());
    return super.pwrite(src, offset);
  }

  @Override
  public void truncate(long length) {
    checkResize(length);
    super.truncate(length);
  }
}
