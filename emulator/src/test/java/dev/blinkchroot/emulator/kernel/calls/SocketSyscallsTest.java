package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.GuestStructs.err;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import org.junit.jupiter.api.Test;

/** The socket calls before sockets: EAFNOSUPPORT, and ENOTSOCK for every open descriptor. */
class SocketSyscallsTest {
  private static final int AF_UNIX = 1;
  private static final int AF_INET = 2;
  private static final int SOCK_STREAM = 1;
  private final KernelFixture k = new KernelFixture();

  @Test
  void socket_ofAnyFamily_isEafnosupport_andAsksNothingOnStderr() {
    assertEquals(err(Errno.EAFNOSUPPORT), k.call("socket", AF_UNIX,
        SOCK_STREAM | SocketSyscalls.SOCK_CLOEXEC | SocketSyscalls.SOCK_NONBLOCK, 0));
    assertEquals(err(Errno.EAFNOSUPPORT), k.call("socket", AF_INET, SOCK_STREAM, 0));
    assertEquals("", k.diagnostics());
  }

  @Test
  void socket_withAnUnknownTypeOrFlag_isEinval() {
    assertEquals(err(Errno.EINVAL), k.call("socket", AF_UNIX, 0, 0));
    assertEquals(err(Errno.EINVAL), k.call("socket", AF_UNIX, SOCK_STREAM | 0x100, 0));
  }

  @Test
  void getpeername_ofAnOpenDescriptor_isEnotsock_ofAClosedOne_ebadf() {
    long addr = k.alloc(128);
    long len = GuestStructs.ints(k, 128);
    assertEquals(err(Errno.ENOTSOCK), k.call("getpeername", 0, addr, len));
    assertEquals(err(Errno.ENOTSOCK), k.call("getsockname", 1, addr, len));
    assertEquals(err(Errno.EBADF), k.call("getpeername", 99, addr, len));
  }
}
