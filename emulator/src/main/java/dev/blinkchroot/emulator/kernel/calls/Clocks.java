package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.Kernel;
import dev.blinkchroot.emulator.kernel.abi.StructLayouts;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * The clocks of clock_gettime(2), read from the host: CLOCK_REALTIME from the host's wall clock
 * (nanosecond precision where the JVM has it), the monotonic family counting from the kernel's
 * boot ({@link Kernel#bootNanos}, so it agrees with /proc/uptime and sysinfo), and the CPU-time
 * clocks from the JVM's per-thread CPU time (ThreadMXBean). Each guest thread is one Java thread,
 * so a task's CPU time is its thread's, and a process's the sum over its threads.
 */
public final class Clocks {
  private Clocks() {}

  public static final int CLOCK_REALTIME = 0;
  public static final int CLOCK_MONOTONIC = 1;
  static final int CLOCK_PROCESS_CPUTIME_ID = 2;
  static final int CLOCK_THREAD_CPUTIME_ID = 3;
  public static final int CLOCK_MONOTONIC_RAW = 4;
  static final int CLOCK_REALTIME_COARSE = 5;
  static final int CLOCK_MONOTONIC_COARSE = 6;
  public static final int CLOCK_BOOTTIME = 7;
  static final int CLOCK_REALTIME_ALARM = 8;
  public static final int CLOCK_BOOTTIME_ALARM = 9;
  public static final int CLOCK_TAI = 11;

  /** The resolution clock_getres reports for the high-resolution clocks: 1 ns. */
  static final long HRTIMER_RESOLUTION = 1;
  /** The coarse clocks tick at HZ (250 on common distribution kernels): 4 ms. */
  static final long COARSE_RESOLUTION = 4_000_000;
  /** CLOCK_TAI - CLOCK_REALTIME: 0 until something (NTP) sets the offset, as on Linux. */
  static final long TAI_OFFSET_NANOS = 0;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** What a clock id names: a clock, or one of the CPU-time clocks (negative ids included). */
  enum Kind { REALTIME, MONOTONIC, TAI, THREAD_CPU, PROCESS_CPU }

  /**
   * The kind of {@code clockid}, or EINVAL: "The clockid specified is invalid for one of two
   * reasons. Either the System-V style hard coded positive value is out of range, or the dynamic
   * clock ID does not refer to a valid instance of a clock object." Negative ids are the CPU
   * clocks clock_getcpuclockid(3) and pthread_getcpuclockid(3) make: ~pid << 3 with bit 2 for a
   * thread and the low two bits for the measure (3 is a file-descriptor clock: none exist).
   */
  static Kind kind(Task t, int clockid) {
    switch (clockid) {
      case CLOCK_REALTIME:
      case CLOCK_REALTIME_COARSE:
      case CLOCK_REALTIME_ALARM:
        return Kind.REALTIME;
      case CLOCK_MONOTONIC:
      case CLOCK_MONOTONIC_RAW:
      case CLOCK_MONOTONIC_COARSE:
      case CLOCK_BOOTTIME:
      case CLOCK_BOOTTIME_ALARM:
        return Kind.MONOTONIC;
      case CLOCK_TAI:
        return Kind.TAI;
      case CLOCK_PROCESS_CPUTIME_ID:
        return Kind.PROCESS_CPU;
      case CLOCK_THREAD_CPUTIME_ID:
        return Kind.THREAD_CPU;
      default:
        break;
    }
    if (clockid >= 0 || (clockid & 3) == 3) {
      throw Errno.EINVAL.exception();
    }
    if ((clockid & CPUCLOCK_PERTHREAD) != 0) {
      cpuThread(t, clockid);
      return Kind.THREAD_CPU;
    }
    cpuProcess(t, clockid);
    return Kind.PROCESS_CPU;
  }

  /** Bit 2 of a CPU clock id: the clock of a thread rather than a process. */
  static final int CPUCLOCK_PERTHREAD = 4;

  /**
   * The thread whose CPU clock {@code clockid} is: the caller for CLOCK_THREAD_CPUTIME_ID and
   * for a made-up id with pid 0, else the thread with that tid; EINVAL if there is none.
   */
  private static Task cpuThread(Task t, int clockid) {
    int tid = clockid == CLOCK_THREAD_CPUTIME_ID ? 0 : ~(clockid >> 3);
    if (tid == 0 || tid == t.tid()) {
      return t;
    }
    Task target = t.kernel().pids().thread(tid);
    if (target == null) {
      throw Errno.EINVAL.exception();
    }
    return target;
  }

  /** The process whose CPU clock {@code clockid} is (as {@link #cpuThread}); EINVAL if none. */
  private static GuestProcess cpuProcess(Task t, int clockid) {
    int pid = clockid == CLOCK_PROCESS_CPUTIME_ID ? 0 : ~(clockid >> 3);
    if (pid == 0 || pid == t.process().pid()) {
      return t.process();
    }
    GuestProcess target = t.kernel().pids().get(pid);
    if (target == null || target.state() == GuestProcess.State.DEAD) {
      throw Errno.EINVAL.exception();
    }
    return target;
  }

  /** The reading of {@code clockid} in nanoseconds (since the epoch, boot, or of CPU time). */
  static long read(Task t, int clockid) {
    switch (kind(t, clockid)) {
      case REALTIME:
        return realtimeNanos();
      case TAI:
        return realtimeNanos() + TAI_OFFSET_NANOS;
      case MONOTONIC:
        return monotonicNanos(t);
      case THREAD_CPU:
        return threadCpuNanos(cpuThread(t, clockid));
      default:
        return processCpuNanos(cpuProcess(t, clockid));
    }
  }

  /**
   * {@code clockid} as a reading any Java thread can take (a timer's expiry runs on the
   * kernel's timer thread, a CPU timer is checked by whichever guest thread runs): the same
   * values as {@link #read}. EINVAL as {@link #kind}.
   */
  static LongSupplier reader(Task t, int clockid) {
    switch (kind(t, clockid)) {
      case REALTIME:
        return Clocks::realtimeNanos;
      case TAI:
        return () -> realtimeNanos() + TAI_OFFSET_NANOS;
      case MONOTONIC:
        long boot = t.kernel().bootNanos();
        return () -> System.nanoTime() - boot;
      case THREAD_CPU:
        Task thread = cpuThread(t, clockid);
        return () -> threadCpuNanos(thread);
      default:
        GuestProcess p = cpuProcess(t, clockid);
        return () -> processCpuNanos(p);
    }
  }

  /** clock_getres: 1 ns, except the coarse clocks' tick. */
  static long resolution(Task t, int clockid) {
    kind(t, clockid);
    return clockid == CLOCK_REALTIME_COARSE || clockid == CLOCK_MONOTONIC_COARSE
        ? COARSE_RESOLUTION : HRTIMER_RESOLUTION;
  }

  static long realtimeNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * StructLayouts.NSEC_PER_SEC + now.getNano();
  }

  /** Nanoseconds since the kernel booted (CLOCK_MONOTONIC and CLOCK_BOOTTIME). */
  static long monotonicNanos(Task t) {
    return System.nanoTime() - t.kernel().bootNanos();
  }

  /**
   * CPU time of thread {@code t} (the JVM thread that runs it). Where the JVM cannot measure it,
   * the time since the process started stands in (an upper bound, and still monotonic).
   */
  static long threadCpuNanos(Task t) {
    Thread th = t.thread();
    long cpu;
    if (th == Thread.currentThread() || th == null) {
      cpu = THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    } else {
      cpu = THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadCpuTime(th.getId()) : -1;
    }
    return cpu >= 0 ? cpu : System.nanoTime() - t.process().startNanos();
  }

  /** User-mode CPU time of the calling thread (the rest of its CPU time is system time). */
  static long threadUserNanos(Task t) {
    long user = THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadUserTime() : -1;
    return user >= 0 ? Math.min(user, threadCpuNanos(t)) : threadCpuNanos(t);
  }

  /** CPU time of the calling thread's process (CLOCK_PROCESS_CPUTIME_ID). */
  static long processCpuNanos(Task t) {
    return processCpuNanos(t.process());
  }

  /**
   * CPU time of process {@code p}: the sum of its threads' (the total each, which the JVM reads
   * cheaply, unlike the user part); for a process that has exited, what it recorded at exit.
   */
  static long processCpuNanos(GuestProcess p) {
    if (!p.live()) {
      long[] spent = p.cpuNanos();
      return spent[0] + spent[1];
    }
    long sum = 0;
    for (Task thread : p.threads()) {
      sum += threadCpuNanos(thread);
    }
    return sum;
  }
}
