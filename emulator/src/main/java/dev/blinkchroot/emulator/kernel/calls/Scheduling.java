package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.abi.StructLayouts;
import dev.blinkchroot.emulator.kernel.task.Capabilities;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.ProcessAttributes;
import dev.blinkchroot.emulator.kernel.task.Rlimits;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import java.nio.ByteBuffer;

/**
 * Scheduling state as sched(7), setpriority(2) and sched_setaffinity(2) describe it: the nice
 * value, the policy and real-time priority, and the CPU affinity of a machine with one CPU (CPU
 * 0, as CPUID says). The state is recorded and reported; the host schedules the Java threads.
 * Only the caller itself exists as a target here: pid 0, its pid or its tid, else ESRCH.
 */
public final class Scheduling {
  private Scheduling() {}

  static final int PRIO_PROCESS = 0;
  static final int PRIO_PGRP = 1;
  public static final int PRIO_USER = 2;
  static final int MIN_NICE = -20;
  static final int MAX_NICE = 19;
  /** The highest real-time priority (MAX_RT_PRIO - 1). */
  static final int MAX_RT_PRIORITY = 99;
  /** The size of this kernel's cpumask_t in bytes: one unsigned long. */
  static final int CPUMASK_SIZE = 8;

  /**
   * getpriority(which, who): the raw system call returns 20 - nice (1..40) so that no result is
   * negative ("the glibc wrapper ... converts the value"); ESRCH when nothing matches, EINVAL
   * for an unknown which. Process groups: a process is its own group leader here.
   */
  static long getpriority(Task t, int which, int who) {
    matches(t, which, who);
    ProcessAttributes a = t.process().attributes();
    synchronized (a) {
      return 20 - a.nice;
    }
  }

  /**
   * setpriority(which, who, prio): the value is clamped to -20..19. "EACCES The caller attempted
   * to set a lower nice value (i.e., a higher process priority), but did not have the required
   * privilege (on Linux: did not have the CAP_SYS_NICE capability)" — unless RLIMIT_NICE allows
   * it ("the nice value can be raised up to a maximum of 20 - rlim_cur").
   */
  static long setpriority(Task t, int which, int who, int prio) {
    matches(t, which, who);
    int nice = Math.max(MIN_NICE, Math.min(MAX_NICE, prio));
    ProcessAttributes a = t.process().attributes();
    synchronized (a) {
      if (nice < a.nice && !canNice(t, a, nice)) {
        throw Errno.EACCES.exception();
      }
      a.nice = nice;
    }
    return 0;
  }

  /** Whether the caller may take nice value {@code nice}: CAP_SYS_NICE or RLIMIT_NICE. */
  private static boolean canNice(Task t, ProcessAttributes a, int nice) {
    long ceiling = 20 - nice;
    long limit = a.rlimits.soft(Rlimits.RLIMIT_NICE);
    return Long.compareUnsigned(ceiling, limit) <= 0
        || Capabilities.has(t, Capabilities.CAP_SYS_NICE);
  }

  /** Checks that {@code which}/{@code who} name the caller: EINVAL, ESRCH. */
  private static void matches(Task t, int which, int who) {
    GuestProcess p = t.process();
    boolean found;
    switch (which) {
      case PRIO_PROCESS:
        found = who == 0 || who == p.pid() || who == t.tid();
        break;
      case PRIO_PGRP:
        found = who == 0 || who == p.pid();
        break;
      case PRIO_USER:
        found = who == 0 || who == p.identity().ruid();
        break;
      default:
        throw Errno.EINVAL.exception();
    }
    if (!found) {
      throw Errno.ESRCH.exception();
    }
  }

  /** sched_setparam(pid, param): sched_setscheduler keeping the current policy. */
  static long setparam(Task t, int pid, long paramAddr) {
    return set(t, pid, -1, paramAddr);
  }

  /**
   * sched_setscheduler(pid, policy, param). EINVAL: "Invalid arguments: pid is negative or param
   * is NULL", an unknown policy, or "param does not make sense for the specified policy"
   * (SCHED_FIFO/SCHED_RR take 1..99, the others 0; SCHED_DEADLINE needs sched_setattr). EPERM
   * for an unprivileged caller (sched(7), "Privileges and resource limits"): a real-time policy
   * or priority beyond RLIMIT_RTPRIO, leaving SCHED_IDLE beyond RLIMIT_NICE, clearing
   * SCHED_RESET_ON_FORK.
   */
  static long setscheduler(Task t, int pid, int policy, long paramAddr) {
    if (policy < 0) {
      throw Errno.EINVAL.exception();
    }
    return set(t, pid, policy, paramAddr);
  }

  private static long set(Task t, int pid, int policyArg, long paramAddr) {
    if (paramAddr == 0 || pid < 0) {
      throw Errno.EINVAL.exception();
    }
    int priority = GuestIo.readInt(t.memory(), paramAddr);
    target(t, pid);
    ProcessAttributes a = t.process().attributes();
    synchronized (a) {
      int policy = policyArg < 0 ? a.schedPolicy : policyArg & ~ProcessAttributes.SCHED_RESET_ON_FORK;
      boolean resetOnFork = policyArg < 0 ? a.resetOnFork
          : (policyArg & ProcessAttributes.SCHED_RESET_ON_FORK) != 0;
      if (!validPolicy(policy) || policy == ProcessAttributes.SCHED_DEADLINE) {
        throw Errno.EINVAL.exception();
      }
      boolean realtime = realtime(policy);
      if (realtime ? priority < 1 || priority > MAX_RT_PRIORITY : priority != 0) {
        throw Errno.EINVAL.exception();
      }
      if (!Capabilities.has(t, Capabilities.CAP_SYS_NICE)) {
        long rtLimit = a.rlimits.soft(Rlimits.RLIMIT_RTPRIO);
        if (realtime) {
          if (policy != a.schedPolicy && rtLimit == 0) {
            throw Errno.EPERM.exception();
          }
          if (priority > a.schedPriority && Long.compareUnsigned(priority, rtLimit) > 0) {
            throw Errno.EPERM.exception();
          }
        }
        if (a.schedPolicy == ProcessAttributes.SCHED_IDLE
            && policy != ProcessAttributes.SCHED_IDLE && !canNice(t, a, a.nice)) {
          throw Errno.EPERM.exception();
        }
        if (a.resetOnFork && !resetOnFork) {
          throw Errno.EPERM.exception();
        }
      }
      a.schedPolicy = policy;
      a.schedPriority = priority;
      a.resetOnFork = resetOnFork;
    }
    return 0;
  }

  /** sched_getscheduler(pid): the policy, with SCHED_RESET_ON_FORK if set; EINVAL, ESRCH. */
  static long getscheduler(Task t, int pid) {
    if (pid < 0) {
      throw Errno.EINVAL.exception();
    }
    target(t, pid);
    ProcessAttributes a = t.process().attributes();
    synchronized (a) {
      return a.schedPolicy | (a.resetOnFork ? ProcessAttributes.SCHED_RESET_ON_FORK : 0);
    }
  }

  /** sched_getparam(pid, param): the real-time priority (0 for the normal policies). */
  static long getparam(Task t, int pid, long paramAddr) {
    if (paramAddr == 0 || pid < 0) {
      throw Errno.EINVAL.exception();
    }
    target(t, pid);
    int priority;
    ProcessAttributes a = t.process().attributes();
    synchronized (a) {
      priority = a.schedPriority;
    }
    GuestIo.writeInt(t.memory(), paramAddr, priority);
    return 0;
  }

  /** sched_get_priority_max(policy): 99 for SCHED_FIFO/SCHED_RR, 0 for the others; EINVAL. */
  static long priorityMax(int policy) {
    if (!validPolicy(policy)) {
      throw Errno.EINVAL.exception();
    }
    return realtime(policy) ? MAX_RT_PRIORITY : 0;
  }

  /** sched_get_priority_min(policy): 1 for SCHED_FIFO/SCHED_RR, 0 for the others; EINVAL. */
  static long priorityMin(int policy) {
    if (!validPolicy(policy)) {
      throw Errno.EINVAL.exception();
    }
    return realtime(policy) ? 1 : 0;
  }

  /**
   * sched_getaffinity(pid, cpusetsize, mask): CPU 0. "EINVAL cpusetsize is smaller than the size
   * of the affinity mask used by the kernel" (here: zero) or not a multiple of sizeof(long); the
   * raw call returns "the minimum of cpusetsize and the size (in bytes) of the cpumask_t data
   * type that is used internally by the kernel": 8.
   */
  static long getaffinity(Task t, int pid, long sizeArg, long maskAddr) {
    long size = sizeArg & 0xffff_ffffL;
    if (size == 0 || size % Long.BYTES != 0) {
      throw Errno.EINVAL.exception();
    }
    target(t, pid);
    ByteBuffer b = StructLayouts.buffer(CPUMASK_SIZE);
    b.putLong(0, 1L);
    StructLayouts.write(t.memory(), maskAddr, b);
    return CPUMASK_SIZE;
  }

  /**
   * sched_setaffinity(pid, cpusetsize, mask): the mask is read first (EFAULT; a short one is
   * zero-extended, bits beyond the kernel's mask ignored); "EINVAL The affinity bit mask mask
   * contains no processors that are currently physically on the system": it must hold CPU 0.
   */
  static long setaffinity(Task t, int pid, long sizeArg, long maskAddr) {
    long size = sizeArg & 0xffff_ffffL;
    byte[] mask = GuestIo.read(t.memory(), maskAddr, (int) Math.min(size, CPUMASK_SIZE));
    target(t, pid);
    if (mask.length == 0 || (mask[0] & 1) == 0) {
      throw Errno.EINVAL.exception();
    }
    return 0;
  }

  private static void target(Task t, int pid) {
    if (pid != 0 && pid != t.process().pid() && pid != t.tid()) {
      throw Errno.ESRCH.exception();
    }
  }

  private static boolean validPolicy(int policy) {
    return policy == ProcessAttributes.SCHED_OTHER || policy == ProcessAttributes.SCHED_FIFO
        || policy == ProcessAttributes.SCHED_RR || policy == ProcessAttributes.SCHED_BATCH
        || policy == ProcessAttributes.SCHED_IDLE || policy == ProcessAttributes.SCHED_DEADLINE;
  }

  private static boolean realtime(int policy) {
    return policy == ProcessAttributes.SCHED_FIFO || policy == ProcessAttributes.SCHED_RR;
  }
}
