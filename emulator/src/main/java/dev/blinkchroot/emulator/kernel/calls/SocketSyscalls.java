package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;

/**
 * The socket calls before the kernel has sockets: socket(2) refuses every address family with
 * EAFNOSUPPORT, as a kernel built without them does, so a program that only probes (glibc asking
 * nscd for a user, over AF_UNIX) carries on quietly; and since no descriptor can be a socket,
 * the calls on one answer ENOTSOCK for any open descriptor ("The file descriptor sockfd does not
 * refer to a socket"), EBADF for a closed one. bash asks getpeername whether stdin is a network
 * connection.
 */
public final class SocketSyscalls {
  private SocketSyscalls() {}

  static final int SOCK_NONBLOCK = 04000;
  static final int SOCK_CLOEXEC = 02000000;
  /** The socket types Linux knows (SOCK_STREAM 1 to SOCK_PACKET 10). */
  private static final int SOCK_TYPE_MAX = 10;

  /**
   * socket(domain, type, protocol): "EINVAL Invalid flags in type" and an unknown type come
   * first; every family is then EAFNOSUPPORT, sockets coming with their own issue.
   */
  public static long socket(Task t) {
    int type = t.intArg(1);
    int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (kind <= 0 || kind > SOCK_TYPE_MAX) {
      throw Errno.EINVAL.exception();
    }
    throw Errno.EAFNOSUPPORT.exception();
  }

  /** getsockname, getpeername, and the other calls on a socket descriptor: see the class. */
  public static long onSocket(Task t) {
    FileIoSyscalls.usable(t, t.intArg(0));
    throw Errno.ENOTSOCK.exception();
  }
}
