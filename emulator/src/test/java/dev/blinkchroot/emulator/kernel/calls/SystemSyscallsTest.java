package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.GuestStructs.BAD;
import static dev.blinkchroot.emulator.kernel.calls.GuestStructs.err;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.KernelVersion;
import dev.blinkchroot.emulator.kernel.task.ProcessAttributes;
import dev.blinkchroot.emulator.kernel.task.Rlimits;
import dev.blinkchroot.emulator.kernel.testing.CapturingDescription;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** uname, sethostname, getrandom, rlimits, getrusage, sysinfo, times, sched_*, priority. */
class SystemSyscallsTest {
  private final KernelFixture k = new KernelFixture();

  @Test
  void uname_reportsLinuxX8664_theReleaseAndTheHostname() {
    long u = k.alloc(390);
    assertEquals(0, k.call("uname", u));
    assertEquals("Linux", GuestStructs.cString(k, u, 65));
    assertEquals("blink", GuestStructs.cString(k, u + 65, 65));
    assertEquals(KernelVersion.OSRELEASE, GuestStructs.cString(k, u + 130, 65));
    assertEquals(KernelVersion.VERSION, GuestStructs.cString(k, u + 195, 65));
    assertEquals("x86_64", GuestStructs.cString(k, u + 260, 65));
    assertEquals("(none)", GuestStructs.cString(k, u + 325, 65));
    String[] release = KernelVersion.OSRELEASE.split("[.-]");
    int major = Integer.parseInt(release[0]);
    int minor = Integer.parseInt(release[1]);
    assertTrue(major > 5 || (major == 5 && minor >= 10), "release >= 5.10");
    assertEquals(err(Errno.EFAULT), k.call("uname", BAD));
  }

  @Test
  void sethostname_changesTheNodename_withinItsLimits() {
    assertEquals(0, k.call("sethostname", k.string("box.example"), 3));
    long u = k.alloc(390);
    assertEquals(0, k.call("uname", u));
    assertEquals("box", GuestStructs.cString(k, u + 65, 65));
    String max = "h".repeat(64);
    assertEquals(0, k.call("sethostname", k.string(max), 64));
    assertEquals(0, k.call("uname", u));
    assertEquals(max, GuestStructs.cString(k, u + 65, 65));
    assertEquals(err(Errno.EINVAL), k.call("sethostname", k.string(max + "h"), 65));
    assertEquals(err(Errno.EINVAL), k.call("sethostname", k.string("x"), -1));
    assertEquals(err(Errno.EFAULT), k.call("sethostname", BAD, 4));
    assertEquals(0, k.call("setresuid", 1000, 1000, 1000));
    assertEquals(err(Errno.EPERM), k.call("sethostname", k.string("x"), 1));
    assertEquals(max, new String(k.kernel.uts().hostname()));
  }

  @Test
  void getrandom_fillsTheBuffer_andChecksFlagsAndPointers() {
    long buf = k.alloc(256);
    assertEquals(256, k.call("getrandom", buf, 256, 0));
    assertFalse(java.util.Arrays.equals(new byte[256], k.read(buf, 256)));
    assertEquals(16, k.call("getrandom", buf, 16, SystemSyscalls.GRND_NONBLOCK));
    assertEquals(16, k.call("getrandom", buf, 16, SystemSyscalls.GRND_RANDOM));
    assertEquals(16, k.call("getrandom", buf, 16, SystemSyscalls.GRND_INSECURE));
    assertEquals(0, k.call("getrandom", buf, 0, 0));
    assertEquals(err(Errno.EINVAL), k.call("getrandom", buf, 16, 8));
    assertEquals(err(Errno.EINVAL), k.call("getrandom", buf, 16,
        SystemSyscalls.GRND_RANDOM | SystemSyscalls.GRND_INSECURE));
    assertEquals(err(Errno.EFAULT), k.call("getrandom", BAD, 16, 0));
    // a buffer running off the end of the mapping: the bytes that fit
    long end = KernelFixture.SCRATCH + KernelFixture.SCRATCH_SIZE;
    assertEquals(65536, k.call("getrandom", end - 65536, 100_000, 0));
  }

  private long[] rlimit(int resource) {
    long a = k.alloc(16);
    assertEquals(0, k.call("getrlimit", resource, a));
    ByteBuffer b = GuestStructs.at(k, a, 16);
    return new long[] {b.getLong(0), b.getLong(8)};
  }

  @Test
  void rlimits_haveALoginsDefaults() {
    assertArrayEquals(new long[] {1024, 1 << 20}, rlimit(Rlimits.RLIMIT_NOFILE));
    assertArrayEquals(new long[] {8 << 20, -1}, rlimit(Rlimits.RLIMIT_STACK));
    assertArrayEquals(new long[] {0, -1}, rlimit(Rlimits.RLIMIT_CORE));
    assertArrayEquals(new long[] {-1, -1}, rlimit(Rlimits.RLIMIT_AS));
    assertArrayEquals(new long[] {-1, -1}, rlimit(Rlimits.RLIMIT_DATA));
    assertArrayEquals(new long[] {-1, -1}, rlimit(Rlimits.RLIMIT_CPU));
    assertEquals(err(Errno.EINVAL), k.call("getrlimit", 16, k.alloc(16)));
    assertEquals(err(Errno.EINVAL), k.call("getrlimit", -1, k.alloc(16)));
    assertEquals(err(Errno.EFAULT), k.call("getrlimit", 0, BAD));
  }

  @Test
  void setrlimit_roundTrips_andEnforcesSoftBelowHard_andPrivilegeToRaise() {
    assertEquals(0, k.call("setrlimit", Rlimits.RLIMIT_CORE, GuestStructs.longs(k, 4096, 1 << 20)));
    assertArrayEquals(new long[] {4096, 1 << 20}, rlimit(Rlimits.RLIMIT_CORE));
    assertEquals(err(Errno.EINVAL), k.call("setrlimit", Rlimits.RLIMIT_CORE,
        GuestStructs.longs(k, 10, 5)));
    assertEquals(err(Errno.EINVAL), k.call("setrlimit", 99, GuestStructs.longs(k, 1, 1)));
    assertEquals(err(Errno.EFAULT), k.call("setrlimit", Rlimits.RLIMIT_CORE, BAD));
    // root may raise a hard limit again
    assertEquals(0, k.call("setrlimit", Rlimits.RLIMIT_CORE, GuestStructs.longs(k, 0, -1)));
    assertEquals(0, k.call("setresuid", 1000, 1000, 1000));
    assertEquals(0, k.call("setrlimit", Rlimits.RLIMIT_CORE, GuestStructs.longs(k, 0, 1 << 20)));
    assertEquals(err(Errno.EPERM), k.call("setrlimit", Rlimits.RLIMIT_CORE,
        GuestStructs.longs(k, 0, 1 << 21)));
    assertEquals(0, k.call("setrlimit", Rlimits.RLIMIT_CORE, GuestStructs.longs(k, 1 << 20,
        1 << 20)));
    assertArrayEquals(new long[] {1 << 20, 1 << 20}, rlimit(Rlimits.RLIMIT_CORE));
  }

  @Test
  void rlimitNofile_isTheDescriptorTablesLimit() {
    assertEquals(err(Errno.EPERM), k.call("setrlimit", Rlimits.RLIMIT_NOFILE,
        GuestStructs.longs(k, 1024, (1 << 20) + 1)));
    assertEquals(0, k.call("setrlimit", Rlimits.RLIMIT_NOFILE, GuestStructs.longs(k, 4, 4096)));
    assertEquals(4, k.process.fds().limit());
    assertEquals(3, k.process.fds().add(new CapturingDescription(new byte[0]), false));
    ErrnoException e = assertThrows(ErrnoException.class,
        () -> k.process.fds().add(new CapturingDescription(new byte[0]), false));
    assertEquals(Errno.EMFILE, e.errno());
    assertArrayEquals(new long[] {4, 4096}, rlimit(Rlimits.RLIMIT_NOFILE));
    assertEquals(0, k.call("setrlimit", Rlimits.RLIMIT_NOFILE, GuestStructs.longs(k, 4096, 4096)));
    assertEquals(4, k.process.fds().add(new CapturingDescription(new byte[0]), false));
  }

  @Test
  void prlimit64_readsAndWritesTheCallersLimits() {
    long old = k.alloc(16);
    assertEquals(0, k.call("prlimit64", 0, Rlimits.RLIMIT_STACK,
        GuestStructs.longs(k, 1 << 20, -1), old));
    assertArrayEquals(new long[] {8 << 20, -1}, new long[] {GuestStructs.long64(k, old),
        GuestStructs.long64(k, old + 8)});
    assertArrayEquals(new long[] {1 << 20, -1}, rlimit(Rlimits.RLIMIT_STACK));
    assertEquals(0, k.call("prlimit64", 1, Rlimits.RLIMIT_STACK, 0, old));
    assertEquals(1 << 20, GuestStructs.long64(k, old));
    assertEquals(err(Errno.ESRCH), k.call("prlimit64", 4242, Rlimits.RLIMIT_STACK, 0, old));
    assertEquals(err(Errno.EINVAL), k.call("prlimit64", 0, 16, 0, old));
    assertEquals(err(Errno.EFAULT), k.call("prlimit64", 0, Rlimits.RLIMIT_STACK, BAD, old));
    assertEquals(err(Errno.EFAULT), k.call("prlimit64", 0, Rlimits.RLIMIT_STACK, 0, BAD));
    assertEquals(err(Errno.EINVAL), k.call("prlimit64", 0, Rlimits.RLIMIT_STACK,
        GuestStructs.longs(k, 2, 1), 0));
  }

  @Test
  void getrusage_reportsCpuTime_andZeroForChildren() {
    long r = k.alloc(144);
    assertEquals(0, k.call("getrusage", SystemSyscalls.RUSAGE_SELF, r));
    ByteBuffer b = GuestStructs.at(k, r, 144);
    long userMicros = b.getLong(0) * 1_000_000 + b.getLong(8);
    long sysMicros = b.getLong(16) * 1_000_000 + b.getLong(24);
    assertTrue(userMicros + sysMicros > 0, "some CPU time was used");
    assertTrue(b.getLong(8) < 1_000_000 && b.getLong(24) < 1_000_000);
    assertTrue(b.getLong(32) > 0, "maxrss");
    assertEquals(0, k.call("getrusage", SystemSyscalls.RUSAGE_THREAD, r));
    assertEquals(0, k.call("getrusage", SystemSyscalls.RUSAGE_CHILDREN, r));
    assertArrayEquals(new byte[144], k.read(r, 144));
    assertEquals(err(Errno.EINVAL), k.call("getrusage", 2, r));
    assertEquals(err(Errno.EFAULT), k.call("getrusage", 0, BAD));
  }

  @Test
  void sysinfo_reportsUptimeMemoryAndOneProcess() {
    long s = k.alloc(112);
    assertEquals(0, k.call("sysinfo", s));
    ByteBuffer b = GuestStructs.at(k, s, 112);
    long uptime = (System.nanoTime() - k.kernel.bootNanos()) / 1_000_000_000L;
    assertTrue(b.getLong(0) >= uptime && b.getLong(0) <= uptime + 2, "uptime " + b.getLong(0));
    assertTrue(b.getLong(32) > 0 && b.getLong(40) <= b.getLong(32), "totalram/freeram");
    assertEquals(1, b.getShort(80));
    assertEquals(1, b.getInt(104));
    assertEquals(err(Errno.EFAULT), k.call("sysinfo", BAD));
  }

  @Test
  void times_returnsTicksSinceBoot_andCpuTicks() throws Exception {
    Thread.sleep(30);
    long tms = k.alloc(32);
    long ticks = k.call("times", tms);
    long expected = (System.nanoTime() - k.kernel.bootNanos()) / 10_000_000L;
    assertTrue(ticks >= 3 && Math.abs(ticks - expected) <= 1, ticks + " vs " + expected);
    ByteBuffer b = GuestStructs.at(k, tms, 32);
    assertTrue(b.getLong(0) >= 0 && b.getLong(8) >= 0);
    assertEquals(0, b.getLong(16));
    assertEquals(0, b.getLong(24));
    assertTrue(k.call("times", 0) >= ticks);
    assertEquals(err(Errno.EFAULT), k.call("times", BAD));
  }

  @Test
  void schedYield_andGetcpu() {
    assertEquals(0, k.call("sched_yield"));
    long cpu = GuestStructs.ints(k, 7, 7);
    assertEquals(0, k.call("getcpu", cpu, cpu + 4, 0));
    assertEquals(0, GuestStructs.int32(k, cpu));
    assertEquals(0, GuestStructs.int32(k, cpu + 4));
    assertEquals(0, k.call("getcpu", 0, 0, 0));
    assertEquals(err(Errno.EFAULT), k.call("getcpu", BAD, 0, 0));
  }

  @Test
  void schedAffinity_isCpu0() {
    long mask = GuestStructs.longs(k, -1, -1);
    assertEquals(8, k.call("sched_getaffinity", 0, 16, mask));
    assertEquals(1, GuestStructs.long64(k, mask));
    assertEquals(-1, GuestStructs.long64(k, mask + 8)); // beyond the kernel's mask: untouched
    assertEquals(8, k.call("sched_getaffinity", 1, 8, mask));
    assertEquals(err(Errno.EINVAL), k.call("sched_getaffinity", 0, 4, mask));
    assertEquals(err(Errno.EINVAL), k.call("sched_getaffinity", 0, 0, mask));
    assertEquals(err(Errno.ESRCH), k.call("sched_getaffinity", 99, 8, mask));
    assertEquals(err(Errno.EFAULT), k.call("sched_getaffinity", 0, 8, BAD));
    assertEquals(0, k.call("sched_setaffinity", 0, 8, GuestStructs.longs(k, 0b101)));
    assertEquals(0, k.call("sched_setaffinity", 0, 1, k.bytes(new byte[] {1})));
    assertEquals(err(Errno.EINVAL), k.call("sched_setaffinity", 0, 8, GuestStructs.longs(k, 2)));
    assertEquals(err(Errno.EINVAL), k.call("sched_setaffinity", 0, 0, mask));
    assertEquals(err(Errno.EFAULT), k.call("sched_setaffinity", 0, 8, BAD));
    assertEquals(err(Errno.ESRCH), k.call("sched_setaffinity", 99, 8, mask));
  }

  @Test
  void schedPolicy_otherByDefault_realtimeNeedsPrivilege() {
    assertEquals(ProcessAttributes.SCHED_OTHER, k.call("sched_getscheduler", 0));
    long p = GuestStructs.ints(k, 5);
    assertEquals(0, k.call("sched_getparam", 0, p));
    assertEquals(0, GuestStructs.int32(k, p));
    assertEquals(99, k.call("sched_get_priority_max", ProcessAttributes.SCHED_FIFO));
    assertEquals(1, k.call("sched_get_priority_min", ProcessAttributes.SCHED_RR));
    assertEquals(0, k.call("sched_get_priority_max", ProcessAttributes.SCHED_OTHER));
    assertEquals(0, k.call("sched_get_priority_min", ProcessAttributes.SCHED_IDLE));
    assertEquals(err(Errno.EINVAL), k.call("sched_get_priority_max", 4));
    assertEquals(err(Errno.EINVAL), k.call("sched_get_priority_min", -1));

    assertEquals(0, k.call("sched_setscheduler", 0, ProcessAttributes.SCHED_FIFO,
        GuestStructs.ints(k, 10)));
    assertEquals(ProcessAttributes.SCHED_FIFO, k.call("sched_getscheduler", 1));
    assertEquals(0, k.call("sched_getparam", 1, p));
    assertEquals(10, GuestStructs.int32(k, p));
    assertEquals(0, k.call("sched_setparam", 0, GuestStructs.ints(k, 20)));
    assertEquals(0, k.call("sched_getparam", 0, p));
    assertEquals(20, GuestStructs.int32(k, p));
    assertEquals(err(Errno.EINVAL), k.call("sched_setparam", 0, GuestStructs.ints(k, 0)));
    assertEquals(err(Errno.EINVAL), k.call("sched_setscheduler", 0, ProcessAttributes.SCHED_RR,
        GuestStructs.ints(k, 100)));
    assertEquals(err(Errno.EINVAL), k.call("sched_setscheduler", 0,
        ProcessAttributes.SCHED_OTHER, GuestStructs.ints(k, 1)));
    assertEquals(err(Errno.EINVAL), k.call("sched_setscheduler", 0,
        ProcessAttributes.SCHED_DEADLINE, GuestStructs.ints(k, 0)));
    assertEquals(err(Errno.EINVAL), k.call("sched_setscheduler", 0, 4, GuestStructs.ints(k, 0)));
    assertEquals(err(Errno.EINVAL), k.call("sched_setscheduler", -1, 0, GuestStructs.ints(k, 0)));
    assertEquals(err(Errno.EINVAL), k.call("sched_setscheduler", 0, 0, 0));
    assertEquals(err(Errno.EFAULT), k.call("sched_setscheduler", 0, 0, BAD));
    assertEquals(err(Errno.ESRCH), k.call("sched_setscheduler", 50, 0, GuestStructs.ints(k, 0)));
    assertEquals(err(Errno.EINVAL), k.call("sched_getparam", 0, 0));
    assertEquals(err(Errno.EFAULT), k.call("sched_getparam", 0, BAD));
    assertEquals(err(Errno.ESRCH), k.call("sched_getscheduler", 50));
    assertEquals(err(Errno.EINVAL), k.call("sched_getscheduler", -3));

    assertEquals(0, k.call("sched_setscheduler", 0, ProcessAttributes.SCHED_BATCH
        | ProcessAttributes.SCHED_RESET_ON_FORK, GuestStructs.ints(k, 0)));
    assertEquals(ProcessAttributes.SCHED_BATCH | ProcessAttributes.SCHED_RESET_ON_FORK,
        k.call("sched_getscheduler", 0));
    assertEquals(0, k.call("setresuid", 1000, 1000, 1000));
    assertEquals(err(Errno.EPERM), k.call("sched_setscheduler", 0, ProcessAttributes.SCHED_OTHER,
        GuestStructs.ints(k, 0))); // unprivileged cannot clear reset-on-fork
    assertEquals(err(Errno.EPERM), k.call("sched_setscheduler", 0, ProcessAttributes.SCHED_FIFO
        | ProcessAttributes.SCHED_RESET_ON_FORK, GuestStructs.ints(k, 1)));
    assertEquals(0, k.call("sched_setscheduler", 0, ProcessAttributes.SCHED_IDLE
        | ProcessAttributes.SCHED_RESET_ON_FORK, GuestStructs.ints(k, 0)));
    assertEquals(err(Errno.EPERM), k.call("sched_setscheduler", 0, ProcessAttributes.SCHED_OTHER
        | ProcessAttributes.SCHED_RESET_ON_FORK, GuestStructs.ints(k, 0))); // leaving IDLE
  }

  @Test
  void priority_isTwentyMinusNice_andLoweringNeedsPrivilege() {
    assertEquals(20, k.call("getpriority", Scheduling.PRIO_PROCESS, 0));
    assertEquals(0, k.call("setpriority", Scheduling.PRIO_PROCESS, 0, 5));
    assertEquals(15, k.call("getpriority", Scheduling.PRIO_PROCESS, 1));
    assertEquals(15, k.call("getpriority", Scheduling.PRIO_PGRP, 0));
    assertEquals(15, k.call("getpriority", Scheduling.PRIO_USER, 0));
    assertEquals(0, k.call("setpriority", Scheduling.PRIO_PROCESS, 0, 100));
    assertEquals(1, k.call("getpriority", Scheduling.PRIO_PROCESS, 0)); // clamped to 19
    assertEquals(0, k.call("setpriority", Scheduling.PRIO_PROCESS, 0, -30));
    assertEquals(40, k.call("getpriority", Scheduling.PRIO_PROCESS, 0)); // clamped to -20
    assertEquals(err(Errno.EINVAL), k.call("getpriority", 3, 0));
    assertEquals(err(Errno.EINVAL), k.call("setpriority", -1, 0, 0));
    assertEquals(err(Errno.ESRCH), k.call("getpriority", Scheduling.PRIO_PROCESS, 4242));
    assertEquals(err(Errno.ESRCH), k.call("setpriority", Scheduling.PRIO_USER, 4242, 0));
    assertEquals(0, k.call("setpriority", Scheduling.PRIO_PROCESS, 0, 10));
    assertEquals(0, k.call("setresuid", 1000, 1000, 1000));
    assertEquals(0, k.call("setpriority", Scheduling.PRIO_PROCESS, 0, 12));
    assertEquals(err(Errno.EACCES), k.call("setpriority", Scheduling.PRIO_PROCESS, 0, 11));
    assertEquals(8, k.call("getpriority", Scheduling.PRIO_USER, 1000));
  }
}
