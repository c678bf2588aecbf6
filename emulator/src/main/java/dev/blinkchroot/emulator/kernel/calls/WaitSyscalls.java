package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.abi.StructLayouts;
import dev.blinkchroot.emulator.kernel.signal.SigInfo;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.kernel.task.Wait;
import dev.blinkchroot.vfs.Errno;
import java.nio.ByteBuffer;
import java.util.function.Predicate;

/**
 * wait4 and waitid (wait(2), wait4(2)): selecting children by pid, process group or all,
 * WNOHANG, WNOWAIT, __WALL and __WCLONE, the status or siginfo written for the caller, and the
 * child's resource usage.
 */
public final class WaitSyscalls {
  static final int P_ALL = 0;
  static final int P_PID = 1;
  static final int P_PGID = 2;
  static final int P_PIDFD = 3;
  /** sizeof(siginfo_t), and where waitid's fields sit in it. */
  static final int SIGINFO_SIZE = 128;
  static final int SI_CODE = 8;
  static final int SI_PID = 16;
  static final int SI_UID = 20;
  static final int SI_STATUS = 24;

  private static final int WAIT4_OPTIONS = Wait.WNOHANG | Wait.WUNTRACED | Wait.WCONTINUED
      | Wait.WNOTHREAD | Wait.WALL | Wait.WCLONE;
  private static final int WAITID_OPTIONS = Wait.WNOHANG | Wait.WSTOPPED | Wait.WEXITED
      | Wait.WCONTINUED | Wait.WNOWAIT | Wait.WNOTHREAD | Wait.WALL | Wait.WCLONE;

  private WaitSyscalls() {}

  /**
   * wait4(pid, wstatus, options, rusage): pid &lt; -1 is a process group, -1 any child, 0 the
   * caller's process group, &gt; 0 that child. Returns the child's pid, 0 under WNOHANG when none
   * has changed state, ECHILD when no child matches, EINVAL for unknown options.
   */
  public static long wait4(Task t) {
    int pid = t.intArg(0);
    long statusAddr = t.arg(1);
    int options = t.intArg(2);
    long rusageAddr = t.arg(3);
    if ((options & ~WAIT4_OPTIONS) != 0) {
      throw Errno.EINVAL.exception();
    }
    int ownGroup = t.process().pgid();
    Predicate<GuestProcess> which = pid < -1 ? c -> c.pgid() == -pid
        : pid == -1 ? c -> true
        : pid == 0 ? c -> c.pgid() == ownGroup
        : c -> c.pid() == pid;
    Wait.Report r = Wait.waitForChild(t, which, options | Wait.WEXITED);
    if (r == null) {
      return 0;
    }
    if (statusAddr != 0) {
      GuestIo.writeInt(t.memory(), statusAddr, r.waitStatus());
    }
    if (rusageAddr != 0) {
      writeRusage(t, rusageAddr, r);
    }
    return r.child().pid();
  }

  /**
   * waitid(idtype, id, infop, options, rusage): P_PID, P_PGID (id 0: the caller's group) or
   * P_ALL; options must include WEXITED, WSTOPPED or WCONTINUED (EINVAL otherwise); P_PIDFD
   * gives EINVAL (no pidfds). infop gets SIGCHLD's siginfo; with WNOHANG and nothing to report,
   * si_pid is zeroed.
   */
  public static long waitid(Task t) {
    int idtype = t.intArg(0);
    int id = t.intArg(1);
    long infoAddr = t.arg(2);
    int options = t.intArg(3);
    long rusageAddr = t.arg(4);
    if ((options & ~WAITID_OPTIONS) != 0
        || (options & (Wait.WEXITED | Wait.WSTOPPED | Wait.WCONTINUED)) == 0) {
      throw Errno.EINVAL.exception();
    }
    int ownGroup = t.process().pgid();
    Predicate<GuestProcess> which;
    switch (idtype) {
      case P_ALL:
        which = c -> true;
        break;
      case P_PID:
        if (id <= 0) {
          throw Errno.EINVAL.exception();
        }
        which = c -> c.pid() == id;
        break;
      case P_PGID:
        if (id < 0) {
          throw Errno.EINVAL.exception();
        }
        int group = id == 0 ? ownGroup : id;
        which = c -> c.pgid() == group;
        break;
      default:
        throw Errno.EINVAL.exception();
    }
    Wait.Report r = Wait.waitForChild(t, which, options);
    if (infoAddr != 0) {
      ByteBuffer b = StructLayouts.buffer(SIGINFO_SIZE);
      if (r != null) {
        int status = r.waitStatus();
        int code;
        int value;
        if (r.continued()) {
          code = SigInfo.CLD_CONTINUED;
          value = Signals.SIGCONT;
        } else if (r.stopped()) {
          code = SigInfo.CLD_STOPPED;
          value = (status >> 8) & 0xff;
        } else if ((status & 0x7f) != 0) {
          code = (status & 0x80) != 0 ? SigInfo.CLD_DUMPED : SigInfo.CLD_KILLED;
          value = status & 0x7f;
        } else {
          code = SigInfo.CLD_EXITED;
          value = (status >> 8) & 0xff;
        }
        b.putInt(0, Signals.SIGCHLD);
        b.putInt(SI_CODE, code);
        b.putInt(SI_PID, r.child().pid());
        b.putInt(SI_UID, r.child().identity().ruid());
        b.putInt(SI_STATUS, value);
      }
      StructLayouts.write(t.memory(), infoAddr, b);
    }
    if (rusageAddr != 0 && r != null) {
      writeRusage(t, rusageAddr, r);
    }
    return 0;
  }

  private static void writeRusage(Task t, long addr, Wait.Report r) {
    ByteBuffer b = StructLayouts.buffer(StructLayouts.RUSAGE_SIZE);
    StructLayouts.putRusage(b, r.userNanos(), r.systemNanos(), r.peakRssBytes());
    StructLayouts.write(t.memory(), addr, b);
  }
}
