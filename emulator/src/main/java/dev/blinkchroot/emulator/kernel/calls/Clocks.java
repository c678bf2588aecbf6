package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.Kernel;
import dev.blinkchroot.emulator.kernel.abi.StructLayouts;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;

/**
 * The clocks of clock_gettime(2), read from the host: CLOCK_REALTIME from the host's wall clock
 * (nanosecond precision where the JVM has it), the monotonic family counting from the kernel's
 * boot ({@link Kernel#bootNanos}, so it agrees with /proc/uptime and sysinfo), and the CPU-time
 * clocks from the JVM's per-thread CPU time (ThreadMXBean). Each guest thread is one Java thread,
 * so the calling thread's CPU time is the task's; with one thread per process it is also the
 * process's.
 */
public final class Clocks {
  private Clocks() {}

  static final int CLOCK_REALTIME = 0;
  static final int CLOCK_MONOTONIC = 1;
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
    int pid = ~(clockid >> 3);
    boolean thread = (clockid & 4) != 0;
    if (thread) {
      if (pid != 0 && pid != t.tid()) {
        throw Errno.EINVAL.exception();
      }
      return Kind.THREAD_CPU;
    }
    if (pid != 0 && pid != t.process().pid()) {
      throw Errno.EINVAL.exception();
    }
    return Kind.PROCESS_CPU;
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
        return threadCpuNanos(t);
      default:
        return processCpuNanos(t);
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
   * CPU time of the calling thread. Where the JVM cannot measure it, the time since the process
   * started stands in (an upper bound, and still monotonic).
   */
  static long threadCpuNanos(Task t) {
    long cpu = THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    return cpu >= 0 ? cpu : System.nanoTime() - t.process().startNanos();
  }

  /** User-mode CPU time of the calling thread (the rest of its CPU time is system time). */
  static long threadUserNanos(Task t) {
    long user = THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadUserTime() : -1;
    return user >= 0 ? Math.min(user, threadCpuNanos(t)) : threadCpuNanos(t);
  }

  /** CPU time of the process: its one thread's, until processes have several. */
  static long processCpuNanos(Task t) {
    return threadCpuNanos(t);
  }
}
