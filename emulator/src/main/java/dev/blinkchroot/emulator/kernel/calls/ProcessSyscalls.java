package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.task.Capabilities;
import dev.blinkchroot.emulator.kernel.task.Identity;
import dev.blinkchroot.emulator.kernel.task.ProcessAttributes;
import dev.blinkchroot.emulator.kernel.syscall.Outcome;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.kernel.task.ThreadAttributes;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.Errno;

/**
 * The Process family: exit, the process and thread ids, set_tid_address and set_robust_list,
 * arch_prctl, prctl ({@link Prctl}), personality, the identity calls ({@link IdentityCalls}) and
 * the capability calls ({@link Capabilities}). One thread per process for now: exit ends the
 * process as exit_group does.
 */
public final class ProcessSyscalls {
  private ProcessSyscalls() {}

  public static final int ARCH_SET_GS = 0x1001;
  public static final int ARCH_SET_FS = 0x1002;
  public static final int ARCH_GET_FS = 0x1003;
  public static final int ARCH_GET_GS = 0x1004;
  public static final int ARCH_GET_CPUID = 0x1011;
  public static final int ARCH_SET_CPUID = 0x1012;
  /** sizeof(struct robust_list_head) on x86-64. */
  static final int ROBUST_LIST_HEAD_SIZE = 24;
  /** personality(2): 0xffffffff only queries the persona. */
  static final int PERSONALITY_QUERY = 0xffff_ffff;
  static final int PER_LINUX = 0;
  public static final int ADDR_NO_RANDOMIZE = 0x0040000;

  /** getpid(): the process id (the thread group id). */
  public static long getpid(Task t) {
    return t.process().pid();
  }

  /** getppid() */
  public static long getppid(Task t) {
    return t.process().ppid();
  }

  /** gettid() */
  public static long gettid(Task t) {
    return t.tid();
  }

  /**
   * exit(status) ends the calling thread; with one thread per process that is the process.
   * "The value status & 0xFF is returned to the parent".
   */
  public static Outcome exit(Task t) {
    return Outcome.exitThread(t.intArg(0));
  }

  /** exit_group(status): every thread of the process ends. */
  public static Outcome exitGroup(Task t) {
    return Outcome.exitGroup(t.intArg(0));
  }

  /**
   * set_tid_address(tidptr): records clear_child_tid (cleared and futex-woken when the thread
   * exits) and "always returns the caller's thread ID".
   */
  public static long setTidAddress(Task t) {
    t.setClearChildTid(t.arg(0));
    return t.tid();
  }

  /**
   * set_robust_list(head, len): records the list head for the thread's exit. "EINVAL The len
   * value does not match the size of structure struct robust_list_head expected by kernel."
   */
  public static long setRobustList(Task t) {
    long len = t.arg(1);
    if (len != ROBUST_LIST_HEAD_SIZE) {
      throw Errno.EINVAL.exception();
    }
    ThreadAttributes a = t.attributes();
    a.robustListHead = t.arg(0);
    a.robustListLength = len;
    return 0;
  }

  /**
   * rseq(): not offered. Restartable sequences need the kernel to update the area at every
   * preemption and signal; glibc (2.35+) and others treat ENOSYS as "no rseq" and fall back.
   */
  static long rseq(Task t) {
    throw Errno.ENOSYS.exception("rseq");
  }

  /**
   * arch_prctl(code, addr) on the FS and GS bases and CPUID. "EPERM addr is outside the process
   * address space" (Linux refuses bases at or above TASK_SIZE_MAX, which includes every
   * non-canonical address); ARCH_GET_CPUID returns 1 (CPUID does not fault) and ARCH_SET_CPUID
   * fails with ENODEV: "the underlying hardware does not support CPUID faulting"; EINVAL for any
   * other code.
   */
  public static long archPrctl(Task t) {
    int code = t.intArg(0);
    long addr = t.arg(1);
    switch (code) {
      case ARCH_SET_FS:
        t.cpu.fsBase = userBase(addr);
        return 0;
      case ARCH_SET_GS:
        t.cpu.gsBase = userBase(addr);
        return 0;
      case ARCH_GET_FS:
        GuestIo.writeLong(t.memory(), addr, t.cpu.fsBase);
        return 0;
      case ARCH_GET_GS:
        GuestIo.writeLong(t.memory(), addr, t.cpu.gsBase);
        return 0;
      case ARCH_GET_CPUID:
        return 1;
      case ARCH_SET_CPUID:
        throw Errno.ENODEV.exception();
      default:
        throw Errno.EINVAL.exception();
    }
  }

  private static long userBase(long addr) {
    if (Long.compareUnsigned(addr, GuestMemory.TASK_SIZE) >= 0) {
      throw Errno.EPERM.exception();
    }
    return addr;
  }

  /** prctl(option, arg2, arg3, arg4, arg5): see {@link Prctl}. */
  public static long prctl(Task t) {
    return Prctl.prctl(t, t.intArg(0), t.arg(1), t.arg(2), t.arg(3), t.arg(4));
  }

  /**
   * personality(persona): sets the execution domain and returns the previous persona; the value
   * 0xffffffff only queries. Only PER_LINUX exists here; flags such as ADDR_NO_RANDOMIZE are
   * recorded (the loader may honour them) and kept across exec.
   */
  public static long personality(Task t) {
    int persona = t.intArg(0);
    ProcessAttributes a = t.process().attributes();
    synchronized (a) {
      int old = a.personality;
      if (persona != PERSONALITY_QUERY) {
        a.personality = persona;
      }
      return old & 0xffff_ffffL;
    }
  }

  public static long getuid(Task t) {
    return t.process().identity().ruid() & 0xffff_ffffL;
  }

  public static long geteuid(Task t) {
    return t.process().identity().euid() & 0xffff_ffffL;
  }

  public static long getgid(Task t) {
    return t.process().identity().rgid() & 0xffff_ffffL;
  }

  public static long getegid(Task t) {
    return t.process().identity().egid() & 0xffff_ffffL;
  }

  /** getresuid(ruid, euid, suid): each written in turn (EFAULT stops at a bad one). */
  public static long getresuid(Task t) {
    Identity id = t.process().identity();
    int[] ids;
    synchronized (id) {
      ids = new int[] {id.ruid(), id.euid(), id.suid()};
    }
    return writeIds(t, ids);
  }

  public static long getresgid(Task t) {
    Identity id = t.process().identity();
    int[] ids;
    synchronized (id) {
      ids = new int[] {id.rgid(), id.egid(), id.sgid()};
    }
    return writeIds(t, ids);
  }

  private static long writeIds(Task t, int[] ids) {
    for (int i = 0; i < 3; i++) {
      GuestIo.writeInt(t.memory(), t.arg(i), ids[i]);
    }
    return 0;
  }

  public static long setuid(Task t) {
    return IdentityCalls.setuid(t, t.intArg(0));
  }

  public static long setgid(Task t) {
    return IdentityCalls.setgid(t, t.intArg(0));
  }

  public static long setreuid(Task t) {
    return IdentityCalls.setreuid(t, t.intArg(0), t.intArg(1));
  }

  public static long setregid(Task t) {
    return IdentityCalls.setregid(t, t.intArg(0), t.intArg(1));
  }

  public static long setresuid(Task t) {
    return IdentityCalls.setresuid(t, t.intArg(0), t.intArg(1), t.intArg(2));
  }

  public static long setresgid(Task t) {
    return IdentityCalls.setresgid(t, t.intArg(0), t.intArg(1), t.intArg(2));
  }

  public static long getgroups(Task t) {
    return IdentityCalls.getgroups(t, t.intArg(0), t.arg(1));
  }

  public static long setgroups(Task t) {
    return IdentityCalls.setgroups(t, t.intArg(0), t.arg(1));
  }

  public static long capget(Task t) {
    return Capabilities.capget(t, t.arg(0), t.arg(1));
  }

  public static long capset(Task t) {
    return Capabilities.capset(t, t.arg(0), t.arg(1));
  }
}
