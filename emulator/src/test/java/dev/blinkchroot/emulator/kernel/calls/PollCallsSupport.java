package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.kernel.syscall.Syscall;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.ErrnoException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Runs a poll or process-group handler on a task directly, as the dispatcher would (RAX or
 * -errno), so the tests do not depend on the rows being in SyscallRows yet; plus pollfd, fd_set,
 * timeval and timespec builders.
 */
final class PollCallsSupport {
  private PollCallsSupport() {}

  static long invoke(Task task, Syscall handler, long... args) {
    int[] regs = {Cpu.RDI, Cpu.RSI, Cpu.RDX, Cpu.R10, Cpu.R8, Cpu.R9};
    for (int i = 0; i < 6; i++) {
      task.cpu.gpr[regs[i]] = i < args.length ? args[i] : 0;
    }
    Task.setCurrent(task);
    try {
      return handler.call(task);
    } catch (ErrnoException e) {
      return -e.errno().number();
    } finally {
      Task.setCurrent(null);
    }
  }

  /** A struct pollfd array from (fd, events, revents) triples. */
  static long pollfds(KernelFixture k, int... triples) {
    ByteBuffer b = ByteBuffer.allocate(triples.length / 3 * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < triples.length; i += 3) {
      b.putInt(triples[i]).putShort((short) triples[i + 1]).putShort((short) triples[i + 2]);
    }
    return k.bytes(b.array());
  }

  static int revents(KernelFixture k, long pollfds, int index) {
    return k.process.memory().read16(pollfds + index * 8L + 6) & 0xffff;
  }

  /** An fd_set of {@code bytes} bytes with the given descriptors set. */
  static long fdSet(KernelFixture k, int bytes, int... fds) {
    byte[] b = new byte[bytes];
    for (int fd : fds) {
      b[fd / 8] |= (byte) (1 << (fd % 8));
    }
    return k.bytes(b);
  }

  static boolean isSet(KernelFixture k, long set, int fd) {
    return (k.process.memory().read8(set + fd / 8) & (1 << (fd % 8))) != 0;
  }

  /** A struct timeval or timespec (both two longs). */
  static long pair(KernelFixture k, long a, long b) {
    ByteBuffer buf = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(a).putLong(b);
    return k.bytes(buf.array());
  }

  static long first(KernelFixture k, long addr) {
    return k.process.memory().read64(addr);
  }

  static long second(KernelFixture k, long addr) {
    return k.process.memory().read64(addr + 8);
  }
}
