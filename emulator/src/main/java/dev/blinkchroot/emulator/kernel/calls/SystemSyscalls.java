package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.KernelVersion;
import dev.blinkchroot.emulator.kernel.UtsNamespace;
import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.abi.StructLayouts;
import dev.blinkchroot.emulator.kernel.task.Capabilities;
import dev.blinkchroot.emulator.kernel.task.Rlimits;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.kernel.task.Wait;
import dev.blinkchroot.vfs.Errno;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The System family: uname and sethostname ({@link UtsNamespace}), getrandom, the resource
 * limits ({@link Rlimits}), getrusage, sysinfo, times, getcpu, and the scheduler calls
 * ({@link Scheduling}). The machine has one CPU, as CPUID reports.
 */
public final class SystemSyscalls {
  private SystemSyscalls() {}

  public static final int GRND_NONBLOCK = 1;
  public static final int GRND_RANDOM = 2;
  public static final int GRND_INSECURE = 4;
  /** getrandom(2): "a maximum of 33554431 bytes is returned by a single call". */
  static final int GETRANDOM_MAX = 33_554_431;
  static final int RUSAGE_SELF = 0;
  static final int RUSAGE_CHILDREN = -1;
  public static final int RUSAGE_THREAD = 1;
  /** USER_HZ: the unit of clock_t in struct tms and times()'s result. */
  static final long USER_HZ = 100;
  /** SI_LOAD_SHIFT: sysinfo's loads are fixed point with 16 fraction bits. */
  static final int SI_LOAD_SHIFT = 16;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** sched_yield(): gives the host CPU to another thread; always succeeds. */
  public static long schedYield(Task t) {
    Thread.yield();
    return 0;
  }

  /**
   * uname(buf): the six fields of struct utsname, each NUL-padded to 65 bytes; EFAULT for a bad
   * buf. The release is {@link KernelVersion#OSRELEASE}, the node name the kernel's host name.
   */
  public static long uname(Task t) {
    UtsNamespace uts = t.kernel().uts();
    ByteBuffer b = StructLayouts.buffer(StructLayouts.UTSNAME_SIZE);
    StructLayouts.putUtsField(b, StructLayouts.UTS_SYSNAME, ascii(KernelVersion.SYSNAME));
    StructLayouts.putUtsField(b, StructLayouts.UTS_NODENAME, uts.hostname());
    StructLayouts.putUtsField(b, StructLayouts.UTS_RELEASE, ascii(KernelVersion.OSRELEASE));
    StructLayouts.putUtsField(b, StructLayouts.UTS_VERSION, ascii(KernelVersion.VERSION));
    StructLayouts.putUtsField(b, StructLayouts.UTS_MACHINE, ascii(KernelVersion.MACHINE));
    StructLayouts.putUtsField(b, StructLayouts.UTS_DOMAINNAME, uts.domainname());
    StructLayouts.write(t.memory(), t.arg(0), b);
    return 0;
  }

  /**
   * sethostname(name, len): "EPERM the caller did not have the CAP_SYS_ADMIN capability";
   * "EINVAL len is negative or ... len is larger than the maximum allowed size"; EFAULT. Checked
   * in that order, as Linux does.
   */
  public static long sethostname(Task t) {
    int len = t.intArg(1);
    if (!Capabilities.has(t, Capabilities.CAP_SYS_ADMIN)) {
      throw Errno.EPERM.exception();
    }
    if (len < 0 || len > UtsNamespace.HOST_NAME_MAX) {
      throw Errno.EINVAL.exception();
    }
    byte[] name = GuestIo.read(t.memory(), t.arg(0), len);
    t.kernel().uts().setHostname(name);
    return 0;
  }

  /**
   * getrandom(buf, buflen, flags): bytes from the JVM's SecureRandom, which never blocks once
   * seeded (so GRND_NONBLOCK and GRND_RANDOM change nothing). "EINVAL An invalid flag was
   * specified in flags" (GRND_INSECURE with GRND_RANDOM included). A fault after some bytes were
   * written returns their count; before any, EFAULT.
   */
  public static long getrandom(Task t) {
    long buf = t.arg(0);
    long count = t.arg(1);
    int flags = t.intArg(2);
    if ((flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) != 0
        || (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE)) {
      throw Errno.EINVAL.exception();
    }
    int n = Long.compareUnsigned(count, GETRANDOM_MAX) > 0 ? GETRANDOM_MAX : (int) count;
    byte[] chunk = new byte[Math.min(n, 64 * 1024)];
    int done = 0;
    while (done < n) {
      int len = Math.min(chunk.length, n - done);
      RANDOM.nextBytes(chunk);
      try {
        GuestIo.write(t.memory(), buf + done, chunk, 0, len);
      } catch (dev.blinkchroot.vfs.ErrnoException e) {
        if (done == 0) {
          throw e;
        }
        return done;
      }
      done += len;
    }
    return done;
  }

  /** getrlimit(resource, rlim): EINVAL for an unknown resource, then EFAULT. */
  public static long getrlimit(Task t) {
    long[] limit = t.process().attributes().rlimits.get(t.intArg(0), t.fds());
    writeRlimit(t, t.arg(1), limit);
    return 0;
  }

  /** setrlimit(resource, rlim): the struct is read first (EFAULT), then Rlimits.set's rules. */
  public static long setrlimit(Task t) {
    ByteBuffer b = StructLayouts.read(t.memory(), t.arg(1), StructLayouts.RLIMIT_SIZE);
    t.process().attributes().rlimits.set(t.intArg(0), b.getLong(0), b.getLong(8),
        t.fds(), Capabilities.has(t, Capabilities.CAP_SYS_RESOURCE));
    return 0;
  }

  /**
   * prlimit64(pid, resource, new_limit, old_limit): the new limit is read first (EFAULT); pid 0
   * or the caller's pid is the caller, any other process does not exist here (ESRCH); the old
   * limit is fetched before the new one is set and written after it.
   */
  public static long prlimit64(Task t) {
    int pid = t.intArg(0);
    int resource = t.intArg(1);
    long newAddr = t.arg(2);
    long oldAddr = t.arg(3);
    ByteBuffer fresh = newAddr == 0 ? null
        : StructLayouts.read(t.memory(), newAddr, StructLayouts.RLIMIT_SIZE);
    if (pid != 0 && pid != t.process().pid()) {
      throw Errno.ESRCH.exception();
    }
    Rlimits limits = t.process().attributes().rlimits;
    long[] old = limits.get(resource, t.fds());
    if (fresh != null) {
      limits.set(resource, fresh.getLong(0), fresh.getLong(8), t.fds(),
          Capabilities.has(t, Capabilities.CAP_SYS_RESOURCE));
    }
    if (oldAddr != 0) {
      writeRlimit(t, oldAddr, old);
    }
    return 0;
  }

  private static void writeRlimit(Task t, long guestAddr, long[] limit) {
    ByteBuffer b = StructLayouts.buffer(StructLayouts.RLIMIT_SIZE);
    b.putLong(0, limit[0]);
    b.putLong(8, limit[1]);
    StructLayouts.write(t.memory(), guestAddr, b);
  }

  /**
   * getrusage(who, usage): RUSAGE_SELF and RUSAGE_THREAD report the thread's CPU time split into
   * user and system time (one thread per process), RUSAGE_CHILDREN that of the children reaped
   * so far, with their descendants. ru_maxrss is the largest resident size in KiB (for
   * RUSAGE_CHILDREN, "the resident set size of the largest child"), every mapped page counted.
   * The counters Linux keeps but nothing here measures (faults, context switches) are 0.
   */
  public static long getrusage(Task t) {
    int who = t.intArg(0);
    if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD) {
      throw Errno.EINVAL.exception();
    }
    ByteBuffer b = StructLayouts.buffer(StructLayouts.RUSAGE_SIZE);
    if (who == RUSAGE_CHILDREN) {
      long[] usage = Wait.childUsage(t);
      StructLayouts.putRusage(b, usage[0], usage[1], usage[2]);
    } else {
      long cpu = Clocks.threadCpuNanos(t);
      long user = Clocks.threadUserNanos(t);
      StructLayouts.putRusage(b, user, cpu - user, t.process().peakRssBytes());
    }
    StructLayouts.write(t.memory(), t.arg(1), b);
    return 0;
  }

  /**
   * sysinfo(info): uptime in seconds since boot (rounded up, as Linux does), the host's load
   * average where the JVM can read it, RAM as the JVM heap (maximum and what is not in use),
   * no swap, one process, mem_unit 1.
   */
  public static long sysinfo(Task t) {
    ByteBuffer b = StructLayouts.buffer(StructLayouts.SYSINFO_SIZE);
    long up = Clocks.monotonicNanos(t);
    b.putLong(StructLayouts.SYSINFO_UPTIME, (up + StructLayouts.NSEC_PER_SEC - 1)
        / StructLayouts.NSEC_PER_SEC);
    double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        .getSystemLoadAverage();
    long fixed = load < 0 ? 0 : (long) (load * (1 << SI_LOAD_SHIFT));
    for (int i = 0; i < 3; i++) {
      b.putLong(StructLayouts.SYSINFO_LOADS + 8 * i, fixed);
    }
    Runtime rt = Runtime.getRuntime();
    long total = rt.maxMemory() == Long.MAX_VALUE ? rt.totalMemory() : rt.maxMemory();
    long used = rt.totalMemory() - rt.freeMemory();
    b.putLong(StructLayouts.SYSINFO_TOTALRAM, total);
    b.putLong(StructLayouts.SYSINFO_FREERAM, Math.max(0, total - used));
    b.putShort(StructLayouts.SYSINFO_PROCS, (short) 1);
    b.putInt(StructLayouts.SYSINFO_MEM_UNIT, 1);
    StructLayouts.write(t.memory(), t.arg(0), b);
    return 0;
  }

  /**
   * times(buf): the process's user and system CPU time in clock ticks (USER_HZ 100), children's
   * 0; buf may be NULL. Returns the ticks elapsed since boot ("an arbitrary point in the past").
   */
  public static long times(Task t) {
    if (t.arg(0) != 0) {
      long cpu = Clocks.processCpuNanos(t);
      long user = Clocks.threadUserNanos(t);
      ByteBuffer b = StructLayouts.buffer(StructLayouts.TMS_SIZE);
      b.putLong(0, ticks(user));
      b.putLong(8, ticks(cpu - user));
      StructLayouts.write(t.memory(), t.arg(0), b);
    }
    return ticks(Clocks.monotonicNanos(t));
  }

  private static long ticks(long nanos) {
    return nanos / (StructLayouts.NSEC_PER_SEC / USER_HZ);
  }

  /** getcpu(cpu, node, tcache): CPU 0 on node 0; NULL pointers are skipped; tcache unused. */
  public static long getcpu(Task t) {
    if (t.arg(0) != 0) {
      GuestIo.writeInt(t.memory(), t.arg(0), 0);
    }
    if (t.arg(1) != 0) {
      GuestIo.writeInt(t.memory(), t.arg(1), 0);
    }
    return 0;
  }

  public static long getpriority(Task t) {
    return Scheduling.getpriority(t, t.intArg(0), t.intArg(1));
  }

  public static long setpriority(Task t) {
    return Scheduling.setpriority(t, t.intArg(0), t.intArg(1), t.intArg(2));
  }

  public static long schedSetparam(Task t) {
    return Scheduling.setparam(t, t.intArg(0), t.arg(1));
  }

  public static long schedGetparam(Task t) {
    return Scheduling.getparam(t, t.intArg(0), t.arg(1));
  }

  public static long schedSetscheduler(Task t) {
    return Scheduling.setscheduler(t, t.intArg(0), t.intArg(1), t.arg(2));
  }

  public static long schedGetscheduler(Task t) {
    return Scheduling.getscheduler(t, t.intArg(0));
  }

  public static long schedGetPriorityMax(Task t) {
    return Scheduling.priorityMax(t.intArg(0));
  }

  public static long schedGetPriorityMin(Task t) {
    return Scheduling.priorityMin(t.intArg(0));
  }

  public static long schedSetaffinity(Task t) {
    return Scheduling.setaffinity(t, t.intArg(0), t.arg(1), t.arg(2));
  }

  public static long schedGetaffinity(Task t) {
    return Scheduling.getaffinity(t, t.intArg(0), t.arg(1), t.arg(2));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
