package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.GuestStructs.err;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.blinkchroot.emulator.kernel.signal.SigInfo;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * kill, tkill, tgkill, rt_sigqueueinfo with rt_sigpending and rt_sigtimedwait, on the caller
 * itself (the fixture's only process). It is pid 1, which ignores what it has no handler for
 * unless it blocks it: the tests block what they send.
 */
class KillSyscallsTest {
  private static final int SIGUSR1 = Signals.SIGUSR1;
  private static final int RT = Signals.SIGRTMIN + 3;
  private final KernelFixture k = new KernelFixture();
  private final int pid = k.process.pid();

  private void block(long set) {
    assertEquals(0, k.call("rt_sigprocmask", 0 /* SIG_BLOCK */, GuestStructs.longs(k, set), 0, 8));
  }

  private long pending() {
    long out = k.alloc(8);
    assertEquals(0, k.call("rt_sigpending", out, 8));
    return GuestStructs.at(k, out, 8).getLong(0);
  }

  /** rt_sigtimedwait with a zero timeout: the signal number, and the siginfo in {@code info}. */
  private long take(long set, long info) {
    long zero = GuestStructs.longs(k, 0, 0);
    return k.call("rt_sigtimedwait", GuestStructs.longs(k, set), info, zero, 8);
  }

  private long queueInfo(int code, long value) {
    ByteBuffer b = ByteBuffer.allocate(SigInfo.SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putInt(8, code);
    b.putInt(16, pid);
    b.putLong(24, value);
    return k.bytes(b.array());
  }

  @Test
  void kill_ofABlockedSignal_isPending_andSigtimedwaitTakesItWithTheSender() {
    block(Signals.bit(SIGUSR1));
    assertEquals(0, k.call("kill", pid, SIGUSR1));
    assertEquals(Signals.bit(SIGUSR1), pending());
    long info = k.alloc(SigInfo.SIZE);
    assertEquals(SIGUSR1, take(Signals.bit(SIGUSR1), info));
    ByteBuffer b = GuestStructs.at(k, info, SigInfo.SIZE);
    assertEquals(SIGUSR1, b.getInt(0));
    assertEquals(SigInfo.SI_USER, b.getInt(8));
    assertEquals(pid, b.getInt(16));
    assertEquals(0, pending());
  }

  @Test
  void sigtimedwait_withNothingPending_timesOutWithEagain() {
    assertEquals(err(Errno.EAGAIN), take(Signals.bit(SIGUSR1), 0));
  }

  @Test
  void standardSignalsMerge_realtimeSignalsQueueWithTheirValues() {
    block(Signals.bit(SIGUSR1) | Signals.bit(RT));
    k.call("kill", pid, SIGUSR1);
    k.call("kill", pid, SIGUSR1);
    assertEquals(0, k.call("rt_sigqueueinfo", pid, RT, queueInfo(SigInfo.SI_QUEUE, 11)));
    assertEquals(0, k.call("rt_sigqueueinfo", pid, RT, queueInfo(SigInfo.SI_QUEUE, 22)));
    long info = k.alloc(SigInfo.SIZE);
    assertEquals(SIGUSR1, take(Signals.bit(SIGUSR1), 0));
    assertEquals(err(Errno.EAGAIN), take(Signals.bit(SIGUSR1), 0));
    assertEquals(RT, take(Signals.bit(RT), info));
    assertEquals(11, GuestStructs.at(k, info, SigInfo.SIZE).getLong(24));
    assertEquals(SigInfo.SI_QUEUE, GuestStructs.at(k, info, SigInfo.SIZE).getInt(8));
    assertEquals(RT, take(Signals.bit(RT), info));
    assertEquals(22, GuestStructs.at(k, info, SigInfo.SIZE).getLong(24));
  }

  @Test
  void ignoringAPendingSignal_discardsIt() {
    block(Signals.bit(Signals.SIGUSR2));
    k.call("kill", pid, Signals.SIGUSR2);
    assertEquals(Signals.bit(Signals.SIGUSR2), pending());
    assertEquals(0, k.call("rt_sigaction", Signals.SIGUSR2, GuestStructs.longs(k, 1, 0, 0, 0),
        0, 8));
    assertEquals(0, pending());
  }

  @Test
  void sigqueueinfo_impersonatingKillOrTheKernel_toAnotherProcess_isEperm() {
    assertEquals(err(Errno.EPERM), k.call("rt_sigqueueinfo", pid + 1, SIGUSR1,
        queueInfo(SigInfo.SI_USER, 0)));
    assertEquals(err(Errno.EPERM), k.call("rt_sigqueueinfo", pid + 1, SIGUSR1,
        queueInfo(SigInfo.SI_TKILL, 0)));
    assertEquals(err(Errno.ESRCH), k.call("rt_sigqueueinfo", pid + 1, SIGUSR1,
        queueInfo(SigInfo.SI_QUEUE, 0)));
  }

  @Test
  void errors() {
    assertEquals(0, k.call("kill", pid, 0), "signal 0 probes");
    assertEquals(err(Errno.ESRCH), k.call("kill", 30000, 0));
    assertEquals(err(Errno.EINVAL), k.call("kill", pid, 65));
    assertEquals(err(Errno.EINVAL), k.call("tkill", 0, SIGUSR1));
    assertEquals(err(Errno.EINVAL), k.call("tgkill", pid, -1, SIGUSR1));
    assertEquals(err(Errno.ESRCH), k.call("tgkill", pid + 1, pid, SIGUSR1));
    assertEquals(0, k.call("tgkill", pid, pid, 0));
    assertEquals(err(Errno.EINVAL), k.call("rt_sigpending", k.alloc(16), 16));
    assertEquals(err(Errno.EINVAL), k.call("rt_sigtimedwait", GuestStructs.longs(k, 0), 0, 0, 4));
  }

  @Test
  void tkill_goesToTheThread_notTheProcess() {
    block(Signals.bit(SIGUSR1));
    assertEquals(0, k.call("tkill", pid, SIGUSR1));
    assertEquals(Signals.bit(SIGUSR1), k.task.pending().bits());
    assertEquals(0, k.process.sharedPending().bits());
  }
}
