package dev.blinkchroot.emulator.kernel.abi;

import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Offsets and sizes of the x86-64 Linux structures the process, system, time and signal calls
 * exchange with the guest, and helpers that copy them in and out through {@link GuestIo} (so a
 * bad pointer is EFAULT). Every number below was checked against the real headers with
 *
 * <pre>
 *   gcc -O0 -o layouts layouts.c &amp;&amp; ./layouts
 * </pre>
 *
 * where layouts.c prints {@code offsetof}/{@code sizeof} of struct utsname, sysinfo, rusage, tms,
 * rlimit, timespec, timeval, timezone, stack_t, sched_param, __user_cap_header_struct and
 * __user_cap_data_struct from sys/utsname.h, sys/sysinfo.h, sys/resource.h, sys/times.h, time.h,
 * sys/time.h, signal.h, sched.h and linux/capability.h; StructLayoutsTest repeats that check at
 * test time. struct kernel_sigaction is not in a user header: its layout (handler, flags,
 * restorer, mask: 4 x 8 bytes) is the one rt_sigaction(2) documents for x86-64.
 */
public final class StructLayouts {
  private StructLayouts() {}

  /** struct timespec {time_t tv_sec; long tv_nsec;}: 16 bytes. */
  static final int TIMESPEC_SIZE = 16;
  static final int TIMESPEC_TV_NSEC = 8;
  /** struct timeval {time_t tv_sec; suseconds_t tv_usec;}: 16 bytes. */
  public static final int TIMEVAL_SIZE = 16;
  public static final int TIMEVAL_TV_USEC = 8;
  /** struct timezone {int tz_minuteswest; int tz_dsttime;}: 8 bytes. */
  public static final int TIMEZONE_SIZE = 8;

  /** struct utsname: six char[65] fields (__NEW_UTS_LEN + 1), 390 bytes. */
  static final int UTS_FIELD = 65;
  public static final int UTSNAME_SIZE = 6 * UTS_FIELD;
  public static final int UTS_SYSNAME = 0;
  public static final int UTS_NODENAME = 65;
  public static final int UTS_RELEASE = 130;
  public static final int UTS_VERSION = 195;
  public static final int UTS_MACHINE = 260;
  public static final int UTS_DOMAINNAME = 325;

  /** struct sysinfo: 112 bytes on x86-64. */
  public static final int SYSINFO_SIZE = 112;
  public static final int SYSINFO_UPTIME = 0;
  public static final int SYSINFO_LOADS = 8;
  public static final int SYSINFO_TOTALRAM = 32;
  public static final int SYSINFO_FREERAM = 40;
  static final int SYSINFO_SHAREDRAM = 48;
  static final int SYSINFO_BUFFERRAM = 56;
  static final int SYSINFO_TOTALSWAP = 64;
  static final int SYSINFO_FREESWAP = 72;
  public static final int SYSINFO_PROCS = 80;
  static final int SYSINFO_TOTALHIGH = 88;
  static final int SYSINFO_FREEHIGH = 96;
  public static final int SYSINFO_MEM_UNIT = 104;

  /** struct rusage: two timevals then 14 longs, 144 bytes. */
  public static final int RUSAGE_SIZE = 144;
  public static final int RUSAGE_UTIME = 0;
  public static final int RUSAGE_STIME = 16;
  public static final int RUSAGE_MAXRSS = 32;
  static final int RUSAGE_MINFLT = 64;
  static final int RUSAGE_MAJFLT = 72;
  static final int RUSAGE_NVCSW = 128;
  static final int RUSAGE_NIVCSW = 136;

  /** struct tms: four clock_t, 32 bytes. */
  public static final int TMS_SIZE = 32;

  /** struct rlimit (and rlimit64): {rlim_cur; rlim_max;}, 16 bytes. */
  public static final int RLIMIT_SIZE = 16;

  /** stack_t {void *ss_sp; int ss_flags; size_t ss_size;}: 24 bytes. */
  public static final int STACK_T_SIZE = 24;
  public static final int STACK_T_SS_FLAGS = 8;
  public static final int STACK_T_SS_SIZE = 16;

  /** struct kernel_sigaction {handler; flags; restorer; sigset_t mask (8 bytes)}: 32 bytes. */
  public static final int KERNEL_SIGACTION_SIZE = 32;

  /** struct __user_cap_header_struct {u32 version; int pid;}: 8 bytes. */
  static final int CAP_HEADER_SIZE = 8;
  /** struct __user_cap_data_struct {u32 effective, permitted, inheritable;}: 12 bytes. */
  public static final int CAP_DATA_SIZE = 12;

  /** struct sched_param {int sched_priority;}: 4 bytes. */
  static final int SCHED_PARAM_SIZE = 4;

  public static final long NSEC_PER_SEC = 1_000_000_000L;

  /** A little-endian scratch buffer for one structure. */
  public static ByteBuffer buffer(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  public static void write(GuestMemory memory, long guestAddr, ByteBuffer b) {
    GuestIo.write(memory, guestAddr, b.array());
  }

  public static ByteBuffer read(GuestMemory memory, long guestAddr, int size) {
    return ByteBuffer.wrap(GuestIo.read(memory, guestAddr, size)).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Writes a timespec of {@code nanos} (non-negative) nanoseconds. */
  public static void writeTimespec(GuestMemory memory, long guestAddr, long nanos) {
    ByteBuffer b = buffer(TIMESPEC_SIZE);
    b.putLong(0, Math.floorDiv(nanos, NSEC_PER_SEC));
    b.putLong(TIMESPEC_TV_NSEC, Math.floorMod(nanos, NSEC_PER_SEC));
    write(memory, guestAddr, b);
  }

  /** Writes a timeval of {@code nanos} nanoseconds, truncated to microseconds. */
  public static void writeTimeval(GuestMemory memory, long guestAddr, long nanos) {
    ByteBuffer b = buffer(TIMEVAL_SIZE);
    putTimeval(b, 0, nanos);
    write(memory, guestAddr, b);
  }

  /** A struct rusage's times and ru_maxrss (in KiB); the counters nothing measures stay 0. */
  public static void putRusage(ByteBuffer b, long userNanos, long systemNanos, long maxRssBytes) {
    putTimeval(b, RUSAGE_UTIME, userNanos);
    putTimeval(b, RUSAGE_STIME, systemNanos);
    b.putLong(RUSAGE_MAXRSS, maxRssBytes / 1024);
  }

  public static void putTimeval(ByteBuffer b, int offset, long nanos) {
    b.putLong(offset, Math.floorDiv(nanos, NSEC_PER_SEC));
    b.putLong(offset + TIMEVAL_TV_USEC, Math.floorMod(nanos, NSEC_PER_SEC) / 1000);
  }

  /**
   * Reads a timespec for a sleep or a timer and returns it in nanoseconds (saturating at
   * Long.MAX_VALUE). EFAULT for a bad pointer; EINVAL, as nanosleep(2) says, when "the value in
   * the tv_nsec field was not in the range [0, 999999999] or tv_sec was negative".
   */
  public static long readTimespec(GuestMemory memory, long guestAddr) {
    ByteBuffer b = read(memory, guestAddr, TIMESPEC_SIZE);
    long sec = b.getLong(0);
    long nsec = b.getLong(TIMESPEC_TV_NSEC);
    if (sec < 0 || nsec < 0 || nsec >= NSEC_PER_SEC) {
      throw Errno.EINVAL.exception();
    }
    if (sec > (Long.MAX_VALUE - nsec) / NSEC_PER_SEC) {
      return Long.MAX_VALUE;
    }
    return sec * NSEC_PER_SEC + nsec;
  }

  /** Copies {@code value} into a NUL-padded char[65] field (truncated to 64 bytes). */
  public static void putUtsField(ByteBuffer b, int offset, byte[] value) {
    int n = Math.min(value.length, UTS_FIELD - 1);
    for (int i = 0; i < n && value[i] != 0; i++) {
      b.put(offset + i, value[i]);
    }
  }
}
