package dev.blinkchroot.emulator.kernel.fd;

import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.kernel.sync.WaitQueue;
import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.Stat;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * What a file descriptor refers to (Linux's {@code struct file}): a VFS file, a pipe end, a
 * device, the host's standard streams. Shared by dup'ed and inherited descriptors, so it holds
 * the offset and status flags. Errors are thrown as {@link dev.blinkchroot.vfs.ErrnoException};
 * the defaults give what Linux gives when an operation does not apply.
 */
public interface FileDescription {
  /** read(2). Returns 0 at end of file. */
  int read(ByteBuffer dst);

  /** write(2). */
  int write(ByteBuffer src);

  /** pread64(2). */
  default int pread(ByteBuffer dst, long offset) {
    throw Errno.ESPIPE.exception();
  }

  /** pwrite64(2). */
  default int pwrite(ByteBuffer src, long offset) {
    throw Errno.ESPIPE.exception();
  }

  /** lseek(2). */
  default long seek(long offset, int whence) {
    throw Errno.ESPIPE.exception();
  }

  /** fstat(2). */
  Stat stat();

  /** getdents64(2): entries from the readdir position, which moves past them. */
  default List<DirEntry> readdir(int max) {
    throw Errno.ENOTDIR.exception();
  }

  /** Moves the readdir position (what getdents64 does when entries do not fit). */
  default void seekDirectory(long cookie) {
    throw Errno.ENOTDIR.exception();
  }

  /** ioctl(2); ENOTTY unless the description knows the request. */
  default long ioctl(Task task, int request, long argAddr) {
    throw Errno.ENOTTY.exception();
  }

  /** The status and access-mode flags (F_GETFL). */
  int flags();

  /** F_SETFL: O_APPEND, O_NONBLOCK and the other settable flags. */
  void setStatusFlags(int flags);

  /** The VFS location, for *at calls with this descriptor as dirfd, fchdir, fstatfs; or null. */
  default Location location() {
    return null;
  }

  /**
   * What /proc/PID/fd/N links to: the path for files, "pipe:[ino]", "/dev/null"... Computed by the
   * caller for VFS files; others override.
   */
  default String procLink() {
    return "anon_inode:[unknown]";
  }

  /** How many bytes read(2) would return now without blocking (FIONREAD); -1 if unknown. */
  default int available() {
    return -1;
  }

  /**
   * poll(2)/select(2): the {@link PollEvents} bits ready now ({@code events} is what the caller
   * asked for; it keeps those plus POLLERR and POLLHUP). The default derives readiness from the
   * type and {@link #available} ({@link PollEvents#defaultReadiness}).
   */
  default int pollReady(int events) {
    return PollEvents.defaultReadiness(this);
  }

  /**
   * The queue a poller waits on for this description's readiness to change, woken with the
   * {@link PollEvents} bits that may have become ready; null when readiness never changes by
   * itself (regular files, directories: always ready) or is not signalled (then poll looks
   * again now and then).
   */
  default WaitQueue pollQueue() {
    return null;
  }

  /** fsync(2). */
  default void sync() {}

  /** ftruncate(2). */
  default void truncate(long length) {
    throw Errno.EINVAL.exception();
  }

  /** Releases the description when the last descriptor referring to it closes. */
  void close();
}
