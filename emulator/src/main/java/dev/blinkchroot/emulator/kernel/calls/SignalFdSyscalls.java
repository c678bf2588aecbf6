package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.ipc.SignalFd;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;

/**
 * signalfd and signalfd4 (signalfd(2)); the descriptor itself is {@link SignalFd}. The raw calls
 * take the size of the mask: signalfd(fd, mask, sizemask) and signalfd4(fd, mask, sizemask,
 * flags).
 */
public final class SignalFdSyscalls {
  private SignalFdSyscalls() {}

  private static final int FLAGS = SignalFd.SFD_NONBLOCK | SignalFd.SFD_CLOEXEC;

  /** signalfd(fd, mask, sizemask): signalfd4 without flags. */
  public static long signalfd(Task t) {
    return signalfd4(t, 0);
  }

  /** signalfd4(fd, mask, sizemask, flags). */
  public static long signalfd4(Task t) {
    return signalfd4(t, t.intArg(3));
  }

  /**
   * Checked in Linux's order: flags other than SFD_NONBLOCK and SFD_CLOEXEC, then a sizemask
   * other than sizeof(sigset_t), are EINVAL; the mask is read (EFAULT). "If the fd argument is
   * -1, then the call creates a new file descriptor"; "If fd is not -1, then it must specify a
   * valid existing signalfd file descriptor, and mask is used to replace the signal set" (EBADF
   * for a closed one, EINVAL for another kind); the flags are then not used. Returns the
   * descriptor.
   */
  private static long signalfd4(Task t, int flags) {
    int fd = t.intArg(0);
    if ((flags & ~FLAGS) != 0 || t.arg(2) != SignalsSyscalls.SIGSET_SIZE) {
      throw Errno.EINVAL.exception();
    }
    long mask = GuestIo.readLong(t.memory(), t.arg(1));
    if (fd == -1) {
      Opens.requireFreeDescriptor(t.fds());
      return Opens.install(t, new SignalFd(mask, flags, t.kernel().files()),
          (flags & SignalFd.SFD_CLOEXEC) != 0);
    }
    FileDescription d = t.fds().get(fd);
    if (!(d instanceof SignalFd)) {
      throw Errno.EINVAL.exception();
    }
    ((SignalFd) d).setMask(mask);
    // A reader blocked on the old mask may have a signal of the new one pending.
    t.process().signalfdQueue().wakeAll();
    return fd;
  }
}
