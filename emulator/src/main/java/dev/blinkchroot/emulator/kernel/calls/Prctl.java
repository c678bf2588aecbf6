package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.task.Capabilities;
import dev.blinkchroot.emulator.kernel.task.ProcessAttributes;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.kernel.task.ThreadAttributes;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.emulator.memory.MemoryFault;
import dev.blinkchroot.vfs.Errno;
import java.io.ByteArrayOutputStream;

/**
 * prctl(2)'s options, one case per option with the man page's argument checks. Options this
 * kernel does not offer fail with EINVAL, which prctl(2) documents for "The value of option is
 * not recognized" (PR_SET_SECCOMP included: "the kernel was not configured with CONFIG_SECCOMP";
 * PR_SET_VMA: without CONFIG_ANON_VMA_NAME).
 */
public final class Prctl {
  private Prctl() {}

  public static final int PR_SET_PDEATHSIG = 1;
  static final int PR_GET_PDEATHSIG = 2;
  public static final int PR_GET_DUMPABLE = 3;
  static final int PR_SET_DUMPABLE = 4;
  static final int PR_GET_KEEPCAPS = 7;
  public static final int PR_SET_KEEPCAPS = 8;
  public static final int PR_SET_NAME = 15;
  public static final int PR_GET_NAME = 16;
  public static final int PR_GET_SECCOMP = 21;
  public static final int PR_CAPBSET_READ = 23;
  static final int PR_CAPBSET_DROP = 24;
  public static final int PR_SET_TIMERSLACK = 29;
  static final int PR_GET_TIMERSLACK = 30;
  public static final int PR_SET_CHILD_SUBREAPER = 36;
  static final int PR_GET_CHILD_SUBREAPER = 37;
  public static final int PR_SET_NO_NEW_PRIVS = 38;
  static final int PR_GET_NO_NEW_PRIVS = 39;
  public static final int PR_GET_TID_ADDRESS = 40;
  public static final int PR_SET_THP_DISABLE = 41;
  static final int PR_GET_THP_DISABLE = 42;
  public static final int PR_CAP_AMBIENT = 47;
  static final int PR_CAP_AMBIENT_IS_SET = 1;
  static final int PR_CAP_AMBIENT_RAISE = 2;
  static final int PR_CAP_AMBIENT_LOWER = 3;
  static final int PR_CAP_AMBIENT_CLEAR_ALL = 4;
  /** TASK_COMM_LEN: the name buffer of PR_SET_NAME/PR_GET_NAME, NUL included. */
  static final int TASK_COMM_LEN = 16;

  static long prctl(Task t, int option, long arg2, long arg3, long arg4, long arg5) {
    ProcessAttributes a = t.process().attributes();
    ThreadAttributes thread = t.attributes();
    GuestMemory memory = t.memory();
    switch (option) {
      case PR_SET_PDEATHSIG:
        // "EINVAL option is PR_SET_PDEATHSIG and arg2 is not zero or a signal number."
        if (Long.compareUnsigned(arg2, Signals.NSIG) > 0) {
          throw Errno.EINVAL.exception();
        }
        thread.parentDeathSignal = (int) arg2;
        return 0;
      case PR_GET_PDEATHSIG:
        GuestIo.writeInt(memory, arg2, thread.parentDeathSignal);
        return 0;
      case PR_GET_DUMPABLE:
        synchronized (a) {
          return a.dumpable;
        }
      case PR_SET_DUMPABLE:
        // "arg2 must be either 0 (SUID_DUMP_DISABLE, process is not dumpable) or 1".
        if (arg2 != 0 && arg2 != 1) {
          throw Errno.EINVAL.exception();
        }
        synchronized (a) {
          a.dumpable = (int) arg2;
        }
        return 0;
      case PR_GET_KEEPCAPS:
        synchronized (a) {
          return a.keepCaps ? 1 : 0;
        }
      case PR_SET_KEEPCAPS:
        if (arg2 != 0 && arg2 != 1) {
          throw Errno.EINVAL.exception();
        }
        synchronized (a) {
          a.keepCaps = arg2 == 1;
        }
        return 0;
      case PR_SET_NAME:
        // "The name can be up to 16 bytes long, including the terminating null byte. (If the
        // length of the string, including the terminating null byte, exceeds 16 bytes, the
        // string is silently truncated.)"
        t.process().setComm(readName(memory, arg2));
        return 0;
      case PR_GET_NAME: {
        byte[] name = java.util.Arrays.copyOf(t.process().comm(), TASK_COMM_LEN);
        name[TASK_COMM_LEN - 1] = 0;
        GuestIo.write(memory, arg2, name);
        return 0;
      }
      case PR_GET_SECCOMP:
        return 0; // SECCOMP_MODE_DISABLED: no filter can be installed here
      case PR_CAPBSET_READ:
        if (!Capabilities.valid(arg2)) {
          throw Errno.EINVAL.exception();
        }
        synchronized (a) {
          return (a.capBounding >>> arg2) & 1;
        }
      case PR_CAPBSET_DROP:
        if (!Capabilities.has(t, Capabilities.CAP_SETPCAP)) {
          throw Errno.EPERM.exception();
        }
        if (!Capabilities.valid(arg2)) {
          throw Errno.EINVAL.exception();
        }
        synchronized (a) {
          a.capBounding &= ~(1L << arg2);
        }
        return 0;
      case PR_SET_TIMERSLACK:
        // "If the nanosecond value supplied in arg2 is greater than zero, then the "current"
        // value is set to this value. If arg2 is equal to zero, the "current" timer slack is
        // reset to the thread's "default" timer slack value."
        thread.timerSlackNs = arg2 == 0 ? ThreadAttributes.DEFAULT_TIMER_SLACK_NS : arg2;
        return 0;
      case PR_GET_TIMERSLACK:
        return thread.timerSlackNs;
      case PR_SET_CHILD_SUBREAPER:
        synchronized (a) {
          a.childSubreaper = arg2 != 0;
        }
        return 0;
      case PR_GET_CHILD_SUBREAPER: {
        boolean subreaper;
        synchronized (a) {
          subreaper = a.childSubreaper;
        }
        GuestIo.writeInt(memory, arg2, subreaper ? 1 : 0);
        return 0;
      }
      case PR_SET_NO_NEW_PRIVS:
        // "Once set, the no_new_privs attribute cannot be unset."
        if (arg2 != 1 || arg3 != 0 || arg4 != 0 || arg5 != 0) {
          throw Errno.EINVAL.exception();
        }
        synchronized (a) {
          a.noNewPrivs = true;
        }
        return 0;
      case PR_GET_NO_NEW_PRIVS:
        if (arg2 != 0 || arg3 != 0 || arg4 != 0 || arg5 != 0) {
          throw Errno.EINVAL.exception();
        }
        synchronized (a) {
          return a.noNewPrivs ? 1 : 0;
        }
      case PR_GET_TID_ADDRESS:
        GuestIo.writeLong(memory, arg2, t.clearChildTid());
        return 0;
      case PR_SET_THP_DISABLE:
        if (arg3 != 0 || arg4 != 0 || arg5 != 0) {
          throw Errno.EINVAL.exception();
        }
        synchronized (a) {
          a.thpDisable = arg2 != 0;
        }
        return 0;
      case PR_GET_THP_DISABLE:
        if (arg2 != 0 || arg3 != 0 || arg4 != 0 || arg5 != 0) {
          throw Errno.EINVAL.exception();
        }
        synchronized (a) {
          return a.thpDisable ? 1 : 0;
        }
      case PR_CAP_AMBIENT:
        return ambient(a, arg2, arg3, arg4, arg5);
      default:
        throw Errno.EINVAL.exception();
    }
  }

  /**
   * PR_CAP_AMBIENT: IS_SET, RAISE (EPERM unless the capability is both permitted and
   * inheritable), LOWER, CLEAR_ALL; unused arguments must be zero.
   */
  private static long ambient(ProcessAttributes a, long op, long cap, long arg4, long arg5) {
    synchronized (a) {
      if (op == PR_CAP_AMBIENT_CLEAR_ALL) {
        if (cap != 0 || arg4 != 0 || arg5 != 0) {
          throw Errno.EINVAL.exception();
        }
        a.capAmbient = 0;
        return 0;
      }
      if (!Capabilities.valid(cap) || arg4 != 0 || arg5 != 0) {
        throw Errno.EINVAL.exception();
      }
      long bit = 1L << cap;
      switch (op >= PR_CAP_AMBIENT_IS_SET && op <= PR_CAP_AMBIENT_LOWER ? (int) op : 0) {
        case PR_CAP_AMBIENT_IS_SET:
          return (a.capAmbient & bit) != 0 ? 1 : 0;
        case PR_CAP_AMBIENT_RAISE:
          if ((a.capPermitted & bit) == 0 || (a.capInheritable & bit) == 0) {
            throw Errno.EPERM.exception();
          }
          a.capAmbient |= bit;
          return 0;
        case PR_CAP_AMBIENT_LOWER:
          a.capAmbient &= ~bit;
          return 0;
        default:
          throw Errno.EINVAL.exception();
      }
    }
  }

  /** Up to 15 bytes of a string, stopping at its NUL; EFAULT if unreadable before either. */
  private static byte[] readName(GuestMemory memory, long guestAddr) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (int i = 0; i < TASK_COMM_LEN - 1; i++) {
        int c = memory.read8(guestAddr + i);
        if (c == 0) {
          break;
        }
        out.write(c);
      }
    } catch (MemoryFault fault) {
      throw Errno.EFAULT.exception();
    }
    return out.toByteArray();
  }
}
