package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.GuestStructs.BAD;
import static dev.blinkchroot.emulator.kernel.calls.GuestStructs.err;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.signal.SigInfo;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * alarm, getitimer/setitimer and the POSIX timers on the fixture's process (pid 1, which ignores
 * signals it has no handler for unless it blocks them: the tests block what timers send and take
 * it with rt_sigtimedwait).
 */
class TimerSyscallsTest {
  static final long MS = 1_000_000L;
  static final long SECOND = 1_000_000_000L;
  private static final int RT = Signals.SIGRTMIN + 3;
  private final KernelFixture k = new KernelFixture();

  @AfterEach
  void stopTimers() {
    k.kernel.timerScheduler().shutdown();
  }

  private void block(long set) {
    assertEquals(0, k.call("rt_sigprocmask", 0 /* SIG_BLOCK */, GuestStructs.longs(k, set), 0, 8));
  }

  /** rt_sigtimedwait for up to 5 s: the signal taken; its siginfo in {@code info}. */
  private long await(long set, long info) {
    long timeout = GuestStructs.longs(k, 5, 0);
    return k.call("rt_sigtimedwait", GuestStructs.longs(k, set), info, timeout, 8);
  }

  private long itimerval(long intervalUs, long valueUs) {
    return GuestStructs.longs(k, intervalUs / 1_000_000, intervalUs % 1_000_000,
        valueUs / 1_000_000, valueUs % 1_000_000);
  }

  static long itimerspec(KernelFixture k, long intervalNs, long valueNs) {
    return GuestStructs.longs(k, intervalNs / SECOND, intervalNs % SECOND, valueNs / SECOND,
        valueNs % SECOND);
  }

  /** An itimerspec/itimerval at {@code addr} as {interval, value} in the struct's units. */
  private long[] pair(long addr, long unit) {
    ByteBuffer b = GuestStructs.at(k, addr, 32);
    return new long[] {b.getLong(0) * unit + b.getLong(8), b.getLong(16) * unit + b.getLong(24)};
  }

  @Test
  void alarm_returnsTheSecondsLeftOfThePreviousAlarm_rounded() {
    assertEquals(0, k.call("alarm", 5));
    assertEquals(5, k.call("alarm", 7));
    long cur = k.alloc(32);
    assertEquals(0, k.call("getitimer", 0, cur));
    long[] it = pair(cur, 1_000_000);
    assertTrue(it[1] > 6_000_000 && it[1] <= 7_000_000, "value " + it[1]);
    assertEquals(0, it[0]);
    assertEquals(7, k.call("alarm", 0));
    assertEquals(0, k.call("getitimer", 0, cur));
    assertEquals(0, pair(cur, 1_000_000)[1]);
  }

  @Test
  void itimerReal_sendsSigalrmToTheProcess_everyInterval() {
    block(Signals.bit(Signals.SIGALRM));
    long old = k.alloc(32);
    assertEquals(0, k.call("setitimer", 0, itimerval(10_000, 10_000), old));
    assertEquals(0, pair(old, 1_000_000)[1]);
    long info = k.alloc(SigInfo.SIZE);
    for (int tick = 0; tick < 3; tick++) {
      assertEquals(Signals.SIGALRM, await(Signals.bit(Signals.SIGALRM), info));
      assertEquals(SigInfo.SI_KERNEL, GuestStructs.at(k, info, 16).getInt(8));
    }
    assertEquals(0, k.call("setitimer", 0, itimerval(0, 0), old));
    assertEquals(10_000, pair(old, 1_000_000)[0]);
  }

  @Test
  void itimerProf_countsTheProcessCpuTime_checkedByItsThreads() {
    block(Signals.bit(Signals.SIGPROF));
    assertEquals(0, k.call("setitimer", 2, itimerval(0, 5_000), 0));
    long start = Clocks.processCpuNanos(k.task);
    while (Clocks.processCpuNanos(k.task) - start < 20 * MS) {
      Thread.onSpinWait();
    }
    k.process.timers().checkCpu();
    assertTrue(k.process.sharedPending().has(Signals.SIGPROF));
    long cur = k.alloc(32);
    assertEquals(0, k.call("getitimer", 2, cur));
    assertEquals(0, pair(cur, 1_000_000)[1], "a one-shot timer is disarmed once expired");
  }

  @Test
  void itimerErrors_unknownTimer_badTimeval_badPointer() {
    assertEquals(err(Errno.EINVAL), k.call("getitimer", 3, k.alloc(32)));
    assertEquals(err(Errno.EINVAL), k.call("setitimer", 3, itimerval(0, 0), 0));
    assertEquals(err(Errno.EINVAL), k.call("setitimer", 0,
        GuestStructs.longs(k, 0, 0, 0, 1_000_000), 0));
    assertEquals(err(Errno.EFAULT), k.call("setitimer", 0, BAD, 0));
    assertEquals(err(Errno.EFAULT), k.call("getitimer", 0, BAD));
  }

  @Test
  void execKeepsTheIntervalTimers_andDeletesThePosixTimers() {
    assertEquals(0, k.call("alarm", 100));
    long id = k.alloc(4);
    assertEquals(0, k.call("timer_create", Clocks.CLOCK_MONOTONIC, 0, id));
    k.process.timers().exec();
    assertEquals(err(Errno.EINVAL), k.call("timer_gettime", GuestStructs.int32(k, id),
        k.alloc(32)));
    assertEquals(100, k.call("alarm", 0));
  }

  private int timerCreate(int clock, int notify, int signo, long value) {
    long sev = k.alloc(64);
    ByteBuffer b = ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putLong(0, value).putInt(8, signo).putInt(12, notify).putInt(16, k.task.tid());
    k.process.memory().writeBytes(sev, b.array(), 0, 64);
    long id = k.alloc(4);
    assertEquals(0, k.call("timer_create", clock, sev, id));
    return GuestStructs.int32(k, id);
  }

  @Test
  void timerCreate_sigevSignal_queuesSiTimerWithTheTimerIdAndValue() {
    block(Signals.bit(RT));
    int id = timerCreate(Clocks.CLOCK_MONOTONIC, 0 /* SIGEV_SIGNAL */, RT, 77);
    assertEquals(0, k.call("timer_settime", id, 0, itimerspec(k, 0, 20 * MS), 0));
    long cur = k.alloc(32);
    assertEquals(0, k.call("timer_gettime", id, cur));
    long value = pair(cur, SECOND)[1];
    assertTrue(value > 0 && value <= 20 * MS, "value " + value);
    long info = k.alloc(SigInfo.SIZE);
    assertEquals(RT, await(Signals.bit(RT), info));
    ByteBuffer si = GuestStructs.at(k, info, SigInfo.SIZE);
    assertEquals(SigInfo.SI_TIMER, si.getInt(8));
    assertEquals(id, si.getInt(16));
    assertEquals(0, si.getInt(20));
    assertEquals(77, si.getInt(24));
    assertEquals(0, k.call("timer_gettime", id, cur));
    assertEquals(0, pair(cur, SECOND)[1], "expired");
    assertEquals(0, k.call("timer_delete", id));
    assertEquals(err(Errno.EINVAL), k.call("timer_gettime", id, cur));
  }

  @Test
  void timerCreate_withoutSigevent_isSigalrmCarryingTheTimerId() {
    block(Signals.bit(Signals.SIGALRM));
    long idAddr = k.alloc(4);
    assertEquals(0, k.call("timer_create", Clocks.CLOCK_REALTIME, 0, idAddr));
    int id = GuestStructs.int32(k, idAddr);
    assertEquals(0, k.call("timer_settime", id, 0, itimerspec(k, 0, MS), 0));
    long info = k.alloc(SigInfo.SIZE);
    assertEquals(Signals.SIGALRM, await(Signals.bit(Signals.SIGALRM), info));
    assertEquals(id, GuestStructs.at(k, info, 32).getInt(24));
  }

  @Test
  void periodicTimer_whileItsSignalIsPending_countsOverruns() throws InterruptedException {
    block(Signals.bit(RT));
    int id = timerCreate(Clocks.CLOCK_MONOTONIC, 0, RT, 0);
    assertEquals(0, k.call("timer_settime", id, 0, itimerspec(k, MS, MS), 0));
    Thread.sleep(40);
    long info = k.alloc(SigInfo.SIZE);
    assertEquals(RT, await(Signals.bit(RT), info));
    int overrun = GuestStructs.at(k, info, 32).getInt(20);
    assertTrue(overrun > 10, "si_overrun " + overrun);
    long reported = k.call("timer_getoverrun", id);
    assertTrue(reported >= overrun, "timer_getoverrun " + reported);
    assertEquals(0, k.call("timer_delete", id));
  }

  @Test
  void sigevNone_countsDownWithoutASignal_absoluteRealtimeDeadline() {
    int id = timerCreate(Clocks.CLOCK_REALTIME, 1 /* SIGEV_NONE */, 0, 0);
    long now = Clocks.realtimeNanos();
    assertEquals(0, k.call("timer_settime", id, TimeSyscalls.TIMER_ABSTIME,
        itimerspec(k, 0, now + 10 * SECOND), 0));
    long cur = k.alloc(32);
    assertEquals(0, k.call("timer_gettime", id, cur));
    long value = pair(cur, SECOND)[1];
    assertTrue(value > 9 * SECOND && value <= 10 * SECOND, "value " + value);
  }

  @Test
  void sigevThreadId_sendsToThatThread() {
    block(Signals.bit(Signals.SIGUSR1));
    int id = timerCreate(Clocks.CLOCK_MONOTONIC, 4 /* SIGEV_THREAD_ID */, Signals.SIGUSR1, 5);
    assertEquals(0, k.call("timer_settime", id, 0, itimerspec(k, 0, MS), 0));
    long info = k.alloc(SigInfo.SIZE);
    assertEquals(Signals.SIGUSR1, await(Signals.bit(Signals.SIGUSR1), info));
    assertEquals(SigInfo.SI_TIMER, GuestStructs.at(k, info, 16).getInt(8));
  }

  @Test
  void cpuClockTimer_expiresWhenTheThreadsCheckIt() {
    block(Signals.bit(RT));
    int id = timerCreate(Clocks.CLOCK_PROCESS_CPUTIME_ID, 0, RT, 0);
    assertEquals(0, k.call("timer_settime", id, 0, itimerspec(k, 0, 5 * MS), 0));
    long start = Clocks.processCpuNanos(k.task);
    while (Clocks.processCpuNanos(k.task) - start < 20 * MS) {
      Thread.onSpinWait();
    }
    assertTrue(!k.process.sharedPending().has(RT), "not before a check");
    k.process.timers().checkCpu();
    assertTrue(k.process.sharedPending().has(RT));
  }

  @Test
  void posixTimerErrors() {
    long id = k.alloc(4);
    long sev = GuestStructs.ints(k, 0, 0, 65, 0 /* SIGEV_SIGNAL */, 0);
    assertEquals(err(Errno.EINVAL), k.call("timer_create", 12345, 0, id));
    assertEquals(err(Errno.EINVAL), k.call("timer_create", Clocks.CLOCK_MONOTONIC, sev, id));
    long otherThread = GuestStructs.ints(k, 0, 0, RT, 4, 999);
    assertEquals(err(Errno.EINVAL), k.call("timer_create", Clocks.CLOCK_MONOTONIC, otherThread,
        id));
    long badNotify = GuestStructs.ints(k, 0, 0, RT, 7, 0);
    assertEquals(err(Errno.EINVAL), k.call("timer_create", Clocks.CLOCK_MONOTONIC, badNotify,
        id));
    assertEquals(err(Errno.ENOTSUP), k.call("timer_create", Clocks.CLOCK_MONOTONIC_RAW, 0, id));
    assertEquals(err(Errno.EFAULT), k.call("timer_create", Clocks.CLOCK_MONOTONIC, 0, BAD));
    assertEquals(0, k.call("timer_create", Clocks.CLOCK_MONOTONIC, 0, id));
    int timer = GuestStructs.int32(k, id);
    assertEquals(err(Errno.EINVAL), k.call("timer_settime", timer, 0,
        GuestStructs.longs(k, 0, 0, 0, SECOND), 0));
    assertEquals(err(Errno.EINVAL), k.call("timer_settime", timer + 1, 0,
        itimerspec(k, 0, 0), 0));
    assertEquals(err(Errno.EINVAL), k.call("timer_getoverrun", timer + 1));
    assertEquals(0, k.call("timer_delete", timer));
    assertEquals(err(Errno.EINVAL), k.call("timer_delete", timer));
  }
}
