package dev.blinkchroot.emulator.kernel.task;

import dev.blinkchroot.emulator.kernel.fd.FdTable;
import dev.blinkchroot.vfs.Errno;

/**
 * A process's resource limits (getrlimit(2)): a soft and a hard value per RLIMIT_*, compared as
 * unsigned numbers so that RLIM_INFINITY (all ones) is the largest. The soft RLIMIT_NOFILE is not
 * stored here: it is the descriptor table's limit ({@link FdTable#limit}), so the value the
 * guest sets is the one open/dup enforce. Defaults are those of a Linux login session.
 */
public final class Rlimits {
  public static final int RLIMIT_CPU = 0;
  static final int RLIMIT_FSIZE = 1;
  public static final int RLIMIT_DATA = 2;
  public static final int RLIMIT_STACK = 3;
  public static final int RLIMIT_CORE = 4;
  static final int RLIMIT_RSS = 5;
  static final int RLIMIT_NPROC = 6;
  public static final int RLIMIT_NOFILE = 7;
  static final int RLIMIT_MEMLOCK = 8;
  public static final int RLIMIT_AS = 9;
  static final int RLIMIT_LOCKS = 10;
  static final int RLIMIT_SIGPENDING = 11;
  static final int RLIMIT_MSGQUEUE = 12;
  public static final int RLIMIT_NICE = 13;
  public static final int RLIMIT_RTPRIO = 14;
  static final int RLIMIT_RTTIME = 15;
  public static final int RLIM_NLIMITS = 16;

  /** RLIM_INFINITY: ~0UL. */
  static final long RLIM_INFINITY = -1L;
  /** /proc/sys/fs/nr_open's default: the ceiling of RLIMIT_NOFILE's hard limit. */
  static final long NR_OPEN = 1 << 20;
  /** The default NPROC/SIGPENDING (Linux derives it from memory; this is a typical value). */
  static final long DEFAULT_TASKS = 63_349;

  private final long[] soft = new long[RLIM_NLIMITS];
  private final long[] hard = new long[RLIM_NLIMITS];

  Rlimits() {
    java.util.Arrays.fill(soft, RLIM_INFINITY);
    java.util.Arrays.fill(hard, RLIM_INFINITY);
    soft[RLIMIT_STACK] = 8L << 20; // 8 MiB, hard unlimited
    soft[RLIMIT_CORE] = 0; // no core files, hard unlimited
    soft[RLIMIT_NPROC] = hard[RLIMIT_NPROC] = DEFAULT_TASKS;
    soft[RLIMIT_NOFILE] = FdTable.DEFAULT_LIMIT;
    hard[RLIMIT_NOFILE] = NR_OPEN;
    soft[RLIMIT_MEMLOCK] = hard[RLIMIT_MEMLOCK] = 8L << 20; // 8 MiB since Linux 5.16
    soft[RLIMIT_SIGPENDING] = hard[RLIMIT_SIGPENDING] = DEFAULT_TASKS;
    soft[RLIMIT_MSGQUEUE] = hard[RLIMIT_MSGQUEUE] = 819_200;
    soft[RLIMIT_NICE] = hard[RLIMIT_NICE] = 0;
    soft[RLIMIT_RTPRIO] = hard[RLIMIT_RTPRIO] = 0;
  }

  /** A copy for a forked child ("A child process created via fork(2) inherits its parent's"). */
  synchronized Rlimits copy() {
    Rlimits r = new Rlimits();
    System.arraycopy(soft, 0, r.soft, 0, RLIM_NLIMITS);
    System.arraycopy(hard, 0, r.hard, 0, RLIM_NLIMITS);
    return r;
  }

  /** {soft, hard} of {@code resource}; EINVAL for an unknown one. */
  public synchronized long[] get(int resource, FdTable fds) {
    check(resource);
    long cur = resource == RLIMIT_NOFILE ? fds.limit() : soft[resource];
    return new long[] {cur, hard[resource]};
  }

  /** The soft limit of {@code resource} (RLIMIT_NOFILE excepted: ask the FdTable). */
  public synchronized long soft(int resource) {
    return soft[resource];
  }

  /**
   * setrlimit(2)'s rules, in Linux's order: EINVAL for an unknown resource or "rlim->rlim_cur was
   * greater than rlim->rlim_max"; EPERM to raise RLIMIT_NOFILE's hard limit above nr_open, or for
   * "an unprivileged process tried to raise the hard limit; the CAP_SYS_RESOURCE capability is
   * required to do this".
   */
  public synchronized void set(int resource, long cur, long max, FdTable fds, boolean capSysResource) {
    check(resource);
    if (Long.compareUnsigned(cur, max) > 0) {
      throw Errno.EINVAL.exception();
    }
    if (resource == RLIMIT_NOFILE && Long.compareUnsigned(max, NR_OPEN) > 0) {
      throw Errno.EPERM.exception();
    }
    if (Long.compareUnsigned(max, hard[resource]) > 0 && !capSysResource) {
      throw Errno.EPERM.exception();
    }
    soft[resource] = cur;
    hard[resource] = max;
    if (resource == RLIMIT_NOFILE) {
      fds.setLimit((int) cur); // cur <= max <= NR_OPEN fits an int
    }
  }

  private static void check(int resource) {
    if (resource < 0 || resource >= RLIM_NLIMITS) {
      throw Errno.EINVAL.exception();
    }
  }
}
