package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.GuestStructs.BAD;
import static dev.blinkchroot.emulator.kernel.calls.GuestStructs.err;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.sync.Interrupted;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** clock_gettime/getres, gettimeofday, time, nanosleep, clock_nanosleep. */
class TimeSyscallsTest {
  private static final long SECOND = 1_000_000_000L;
  private final KernelFixture k = new KernelFixture();

  private long clock(int id) {
    long ts = k.alloc(16);
    assertEquals(0, k.call("clock_gettime", id, ts));
    ByteBuffer b = GuestStructs.at(k, ts, 16);
    long nsec = b.getLong(8);
    assertTrue(nsec >= 0 && nsec < SECOND, "tv_nsec " + nsec);
    return b.getLong(0) * SECOND + nsec;
  }

  private static long hostRealtime() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * SECOND + now.getNano();
  }

  @Test
  void realtime_isTheHostsWallClock() {
    for (int id : new int[] {Clocks.CLOCK_REALTIME, Clocks.CLOCK_REALTIME_COARSE,
        Clocks.CLOCK_TAI, Clocks.CLOCK_REALTIME_ALARM}) {
      assertTrue(Math.abs(clock(id) - hostRealtime()) < SECOND, "clock " + id);
    }
  }

  @Test
  void monotonic_countsFromBoot_andNeverGoesBack() {
    for (int id : new int[] {Clocks.CLOCK_MONOTONIC, Clocks.CLOCK_MONOTONIC_RAW,
        Clocks.CLOCK_MONOTONIC_COARSE, Clocks.CLOCK_BOOTTIME, Clocks.CLOCK_BOOTTIME_ALARM}) {
      long a = clock(id);
      long b = clock(id);
      long sinceBoot = System.nanoTime() - k.kernel.bootNanos();
      assertTrue(a >= 0 && b >= a, "clock " + id);
      assertTrue(Math.abs(sinceBoot - b) < SECOND, "clock " + id);
    }
  }

  @Test
  void cpuClocks_measureTheCallersCpuTime() {
    long thread = clock(Clocks.CLOCK_THREAD_CPUTIME_ID);
    long process = clock(Clocks.CLOCK_PROCESS_CPUTIME_ID);
    assertTrue(thread > 0 && process > 0);
    long spin = System.nanoTime();
    while (System.nanoTime() - spin < 20_000_000) {
      Thread.onSpinWait();
    }
    assertTrue(clock(Clocks.CLOCK_THREAD_CPUTIME_ID) > thread);
    // clock_getcpuclockid(0) and pthread_getcpuclockid(self): (~pid << 3) | [4 |] CPUCLOCK_SCHED
    assertTrue(clock((~0 << 3) | 2) > 0);
    assertTrue(clock((~1 << 3) | 2) > 0);
    assertTrue(clock((~1 << 3) | 4 | 2) > 0);
    assertEquals(err(Errno.EINVAL), k.call("clock_gettime", (~77 << 3) | 2, k.alloc(16)));
    assertEquals(err(Errno.EINVAL), k.call("clock_gettime", (~0 << 3) | 3, k.alloc(16)));
  }

  @Test
  void clockGettime_rejectsUnknownClocksAndBadPointers() {
    assertEquals(err(Errno.EINVAL), k.call("clock_gettime", 10, k.alloc(16)));
    assertEquals(err(Errno.EINVAL), k.call("clock_gettime", 12, k.alloc(16)));
    assertEquals(err(Errno.EFAULT), k.call("clock_gettime", Clocks.CLOCK_REALTIME, BAD));
  }

  @Test
  void clockGetres_isANanosecond_orTheTickForCoarseClocks() {
    long ts = k.alloc(16);
    assertEquals(0, k.call("clock_getres", Clocks.CLOCK_MONOTONIC, ts));
    assertArrayEquals(new long[] {0, 1}, new long[] {GuestStructs.long64(k, ts),
        GuestStructs.long64(k, ts + 8)});
    assertEquals(0, k.call("clock_getres", Clocks.CLOCK_REALTIME_COARSE, ts));
    assertEquals(4_000_000, GuestStructs.long64(k, ts + 8));
    assertEquals(0, k.call("clock_getres", Clocks.CLOCK_REALTIME, 0));
    assertEquals(err(Errno.EINVAL), k.call("clock_getres", 10, ts));
    assertEquals(err(Errno.EFAULT), k.call("clock_getres", Clocks.CLOCK_REALTIME, BAD));
  }

  @Test
  void gettimeofday_andTime_readTheWallClock() {
    long tv = k.alloc(16);
    long tz = GuestStructs.ints(k, 5, 5);
    assertEquals(0, k.call("gettimeofday", tv, tz));
    ByteBuffer b = GuestStructs.at(k, tv, 16);
    assertTrue(b.getLong(8) >= 0 && b.getLong(8) < 1_000_000);
    long nanos = b.getLong(0) * SECOND + b.getLong(8) * 1000;
    assertTrue(Math.abs(nanos - hostRealtime()) < SECOND);
    assertArrayEquals(new byte[8], k.read(tz, 8));
    assertEquals(0, k.call("gettimeofday", 0, 0));
    assertEquals(err(Errno.EFAULT), k.call("gettimeofday", BAD, 0));
    assertEquals(err(Errno.EFAULT), k.call("gettimeofday", tv, BAD));

    long t = k.alloc(8);
    long seconds = k.call("time", t);
    assertTrue(Math.abs(seconds - System.currentTimeMillis() / 1000) <= 1);
    assertEquals(seconds, GuestStructs.long64(k, t));
    assertTrue(k.call("time", 0) >= seconds);
    assertEquals(err(Errno.EFAULT), k.call("time", BAD));
  }

  @Test
  void nanosleep_sleeps_andLeavesRemUntouched() {
    long rem = GuestStructs.longs(k, 77, 77);
    long start = System.nanoTime();
    assertEquals(0, k.call("nanosleep", GuestStructs.longs(k, 0, 30_000_000), rem));
    assertTrue(System.nanoTime() - start >= 30_000_000);
    assertArrayEquals(new long[] {77, 77}, new long[] {GuestStructs.long64(k, rem),
        GuestStructs.long64(k, rem + 8)});
    assertEquals(0, k.call("nanosleep", GuestStructs.longs(k, 0, 0), 0));
  }

  @Test
  void nanosleep_validatesTheTimespec() {
    assertEquals(err(Errno.EINVAL), k.call("nanosleep", GuestStructs.longs(k, 0, SECOND), 0));
    assertEquals(err(Errno.EINVAL), k.call("nanosleep", GuestStructs.longs(k, 0, -1), 0));
    assertEquals(err(Errno.EINVAL), k.call("nanosleep", GuestStructs.longs(k, -1, 0), 0));
    assertEquals(err(Errno.EFAULT), k.call("nanosleep", BAD, 0));
  }

  @Test
  void nanosleep_interrupted_writesTheRemainingTime_andRestartSyscallSleepsTheRest() {
    long rem = k.alloc(16);
    k.raiseHandled(Signals.SIGUSR1);
    long start = System.nanoTime();
    // ERESTART_RESTARTBLOCK: EINTR if the handler runs, restart_syscall if not.
    assertEquals(-Interrupted.ERESTART_RESTARTBLOCK,
        k.call("nanosleep", GuestStructs.longs(k, 0, 300_000_000), rem));
    long left = GuestStructs.long64(k, rem) * SECOND + GuestStructs.long64(k, rem + 8);
    assertTrue(left > 200_000_000 && left <= 300_000_000, "left " + left);
    k.task.waiter().clearInterrupt(); // as delivery does
    assertEquals(0, k.call("restart_syscall"));
    assertTrue(System.nanoTime() - start >= 300_000_000, "the same deadline");
    assertEquals(err(Errno.EINTR), k.call("restart_syscall"), "nothing left to restart");
  }

  @Test
  void clockNanosleep_relativeAndAbsolute() {
    long start = System.nanoTime();
    assertEquals(0, k.call("clock_nanosleep", Clocks.CLOCK_MONOTONIC, 0,
        GuestStructs.longs(k, 0, 20_000_000), 0));
    assertTrue(System.nanoTime() - start >= 20_000_000);
    long deadline = clock(Clocks.CLOCK_MONOTONIC) + 30_000_000;
    assertEquals(0, k.call("clock_nanosleep", Clocks.CLOCK_MONOTONIC, TimeSyscalls.TIMER_ABSTIME,
        GuestStructs.longs(k, deadline / SECOND, deadline % SECOND), BAD));
    assertTrue(clock(Clocks.CLOCK_MONOTONIC) >= deadline);
    long wall = hostRealtime() + 20_000_000;
    assertEquals(0, k.call("clock_nanosleep", Clocks.CLOCK_REALTIME, TimeSyscalls.TIMER_ABSTIME,
        GuestStructs.longs(k, wall / SECOND, wall % SECOND), 0));
    assertTrue(hostRealtime() >= wall);
    // a deadline in the past returns at once
    assertEquals(0, k.call("clock_nanosleep", Clocks.CLOCK_BOOTTIME, TimeSyscalls.TIMER_ABSTIME,
        GuestStructs.longs(k, 0, 1), 0));
  }

  @Test
  void clockNanosleep_refusesClocksWithoutTimers() {
    long req = GuestStructs.longs(k, 0, 1);
    assertEquals(err(Errno.EINVAL), k.call("clock_nanosleep", Clocks.CLOCK_THREAD_CPUTIME_ID, 0,
        req, 0));
    assertEquals(err(Errno.EINVAL), k.call("clock_nanosleep", 10, 0, req, 0));
    assertEquals(err(Errno.EOPNOTSUPP), k.call("clock_nanosleep", Clocks.CLOCK_MONOTONIC_RAW, 0,
        req, 0));
    assertEquals(err(Errno.EOPNOTSUPP), k.call("clock_nanosleep",
        Clocks.CLOCK_PROCESS_CPUTIME_ID, 0, req, 0));
    assertEquals(err(Errno.EINVAL), k.call("clock_nanosleep", Clocks.CLOCK_MONOTONIC, 0,
        GuestStructs.longs(k, 0, SECOND), 0));
    assertEquals(err(Errno.EFAULT), k.call("clock_nanosleep", Clocks.CLOCK_MONOTONIC, 0, BAD, 0));
    assertEquals(0, k.call("setresuid", 1000, 1000, 1000));
    assertEquals(err(Errno.EPERM), k.call("clock_nanosleep", Clocks.CLOCK_REALTIME_ALARM, 0,
        req, 0));
  }
}
