package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.GuestStructs.BAD;
import static dev.blinkchroot.emulator.kernel.calls.GuestStructs.err;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.kernel.signal.AltStack;
import dev.blinkchroot.emulator.kernel.signal.SignalActions;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** rt_sigaction, rt_sigprocmask, sigaltstack: the recorded state and every error. */
class SignalsSyscallsTest {
  private static final int SIGUSR1 = 10;
  private static final long USR1 = 1L << (SIGUSR1 - 1);
  private static final long KILL = 1L << 8;
  private static final long STOP = 1L << 18;
  private final KernelFixture k = new KernelFixture();

  private long[] action(int signal) {
    long old = k.alloc(32);
    assertEquals(0, k.call("rt_sigaction", signal, 0, old, 8));
    ByteBuffer b = GuestStructs.at(k, old, 32);
    return new long[] {b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24)};
  }

  @Test
  void rtSigaction_installsAndReturnsTheOldAction() {
    assertArrayEquals(new long[] {0, 0, 0, 0}, action(SIGUSR1));
    long flags = SignalActions.SA_SIGINFO | SignalActions.SA_RESTORER
        | SignalActions.SA_RESTART | 0x400 /* SA_UNSUPPORTED */;
    long act = GuestStructs.longs(k, 0x401000, flags, 0x402000, USR1 | KILL | STOP | 0x2);
    long old = k.alloc(32);
    assertEquals(0, k.call("rt_sigaction", SIGUSR1, act, old, 8));
    assertArrayEquals(new byte[32], k.read(old, 32));
    // unknown flags are not kept (the SA_UNSUPPORTED probe); SIGKILL/SIGSTOP leave the mask
    assertArrayEquals(new long[] {0x401000, flags & ~0x400L, 0x402000, USR1 | 0x2},
        action(SIGUSR1));
    assertEquals(0x401000, k.process.signalActions().action(SIGUSR1).handler());
    assertEquals(0, k.call("rt_sigaction", 64, GuestStructs.longs(k, 1, 0, 0, 0), 0, 8));
    assertEquals(1, action(64)[0]);
  }

  @Test
  void rtSigaction_errors() {
    long act = GuestStructs.longs(k, 1, 0, 0, 0);
    assertEquals(err(Errno.EINVAL), k.call("rt_sigaction", SIGUSR1, act, 0, 16));
    assertEquals(err(Errno.EINVAL), k.call("rt_sigaction", 9, act, 0, 8));
    assertEquals(err(Errno.EINVAL), k.call("rt_sigaction", 19, act, 0, 8));
    assertEquals(0, k.call("rt_sigaction", 9, 0, k.alloc(32), 8)); // querying SIGKILL is fine
    assertEquals(err(Errno.EINVAL), k.call("rt_sigaction", 0, act, 0, 8));
    assertEquals(err(Errno.EINVAL), k.call("rt_sigaction", 65, 0, 0, 8));
    assertEquals(err(Errno.EFAULT), k.call("rt_sigaction", SIGUSR1, BAD, 0, 8));
    // a bad oldact: EFAULT, but the new action is installed
    assertEquals(err(Errno.EFAULT), k.call("rt_sigaction", SIGUSR1, act, BAD, 8));
    assertEquals(1, action(SIGUSR1)[0]);
  }

  @Test
  void rtSigprocmask_blockUnblockSetmask_neverKillOrStop() {
    long old = k.alloc(8);
    assertEquals(0, k.call("rt_sigprocmask", SignalsSyscalls.SIG_BLOCK,
        GuestStructs.longs(k, USR1 | KILL | STOP), old, 8));
    assertEquals(0, GuestStructs.long64(k, old));
    assertEquals(USR1, k.task.signalMask());
    assertEquals(0, k.call("rt_sigprocmask", SignalsSyscalls.SIG_BLOCK,
        GuestStructs.longs(k, 0x2), 0, 8));
    assertEquals(0, k.call("rt_sigprocmask", SignalsSyscalls.SIG_UNBLOCK,
        GuestStructs.longs(k, USR1), old, 8));
    assertEquals(USR1 | 0x2, GuestStructs.long64(k, old));
    assertEquals(0x2, k.task.signalMask());
    assertEquals(0, k.call("rt_sigprocmask", SignalsSyscalls.SIG_SETMASK,
        GuestStructs.longs(k, -1L), 0, 8));
    assertEquals(-1L & ~(KILL | STOP), k.task.signalMask());
    // with set NULL, how is ignored
    assertEquals(0, k.call("rt_sigprocmask", 99, 0, old, 8));
    assertEquals(-1L & ~(KILL | STOP), GuestStructs.long64(k, old));
  }

  @Test
  void rtSigprocmask_errors() {
    long set = GuestStructs.longs(k, USR1);
    assertEquals(err(Errno.EINVAL), k.call("rt_sigprocmask", 3, set, 0, 8));
    assertEquals(err(Errno.EINVAL), k.call("rt_sigprocmask", 0, set, 0, 4));
    assertEquals(err(Errno.EFAULT), k.call("rt_sigprocmask", 0, BAD, 0, 8));
    assertEquals(err(Errno.EFAULT), k.call("rt_sigprocmask", 0, set, BAD, 8));
    assertEquals(USR1, k.task.signalMask()); // the mask changed before oldset faulted
  }

  private long[] altstack() {
    long old = k.alloc(24);
    assertEquals(0, k.call("sigaltstack", 0, old));
    ByteBuffer b = GuestStructs.at(k, old, 24);
    return new long[] {b.getLong(0), b.getInt(8), b.getLong(16)};
  }

  @Test
  void sigaltstack_startsDisabled_andRoundTrips() {
    assertArrayEquals(new long[] {0, AltStack.SS_DISABLE, 0}, altstack());
    long ss = k.bytes(stack(0x7000_0000L, 0, 16384));
    assertEquals(0, k.call("sigaltstack", ss, 0));
    assertArrayEquals(new long[] {0x7000_0000L, 0, 16384}, altstack());
    assertEquals(0, k.call("sigaltstack", k.bytes(stack(0x7100_0000L,
        AltStack.SS_AUTODISARM, 8192)), 0));
    assertArrayEquals(new long[] {0x7100_0000L, AltStack.SS_AUTODISARM, 8192}, altstack());
    assertEquals(0, k.call("sigaltstack", k.bytes(stack(1, AltStack.SS_DISABLE, 1)), 0));
    assertEquals(AltStack.SS_DISABLE, altstack()[1]);
  }

  @Test
  void sigaltstack_errors() {
    assertEquals(err(Errno.ENOMEM), k.call("sigaltstack", k.bytes(stack(0x7000_0000L, 0,
        2047)), 0));
    assertEquals(err(Errno.EINVAL), k.call("sigaltstack", k.bytes(stack(0x7000_0000L, 4,
        16384)), 0));
    assertEquals(err(Errno.EFAULT), k.call("sigaltstack", BAD, 0));
    assertEquals(err(Errno.EFAULT), k.call("sigaltstack", 0, BAD));
    // running on the alternate stack: reported, and it cannot be changed
    assertEquals(0, k.call("sigaltstack", k.bytes(stack(0x7000_0000L, 0, 16384)), 0));
    k.task.cpu.gpr[Cpu.RSP] = 0x7000_0000L + 8000;
    assertEquals(AltStack.SS_ONSTACK, altstack()[1]);
    assertEquals(err(Errno.EPERM), k.call("sigaltstack", k.bytes(stack(0, 2, 0)), 0));
  }

  private static byte[] stack(long sp, int flags, long size) {
    ByteBuffer b = ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putLong(0, sp);
    b.putInt(8, flags);
    b.putLong(16, size);
    return b.array();
  }
}
