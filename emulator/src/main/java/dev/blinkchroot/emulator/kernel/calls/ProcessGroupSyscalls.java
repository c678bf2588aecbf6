package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.PidTable;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;

/**
 * Process groups and sessions (credentials(7), setpgid(2), setsid(2), getsid(2)): getpgrp,
 * getpgid, setpgid, getsid, setsid. The ids live on each {@link GuestProcess}; changes are made
 * under the kernel's {@link PidTable} lock. The first process is a container's init: pid 1 leads
 * its own process group and session (pgid = sid = pid); a forked child joins its parent's.
 * Other processes are looked up in the kernel's process table; a pid that is not there gives
 * ESRCH.
 */
public final class ProcessGroupSyscalls {
  private ProcessGroupSyscalls() {}

  /** getpgrp(): "returns the PGID of the calling process"; it never fails. */
  public static long getpgrp(Task t) {
    return t.process().pgid();
  }

  /** getpgid(pid): pid 0 is the caller; "ESRCH No process with this pid" otherwise. */
  public static long getpgid(Task t) {
    return target(t, t.intArg(0)).pgid();
  }

  /**
   * getsid(pid): pid 0 is the caller. Linux answers for any live process (it does not use the
   * "not in the same session" EPERM that getsid(2) allows); "ESRCH No process with process ID
   * pid was found".
   */
  public static long getsid(Task t) {
    return target(t, t.intArg(0)).sid();
  }

  /**
   * setpgid(pid, pgid), in Linux's order: pid 0 is the caller, pgid 0 is pid; "EINVAL pgid is
   * less than 0"; ESRCH for a pid that is neither the caller nor a child of the caller; EPERM for
   * a child in another session, "to change the process group ID of a session leader", or to
   * move into a group that does not exist in the caller's session ("An attempt was made to move
   * a process into a process group in a different session").
   */
  public static long setpgid(Task t) {
    GuestProcess caller = t.process();
    int pid = t.intArg(0);
    int pgid = t.intArg(1);
    if (pid == 0) {
      pid = caller.pid();
    }
    if (pgid == 0) {
      pgid = pid;
    }
    if (pgid < 0) {
      throw Errno.EINVAL.exception();
    }
    GuestProcess p = pid == caller.pid() ? caller : t.kernel().process(pid);
    if (p == null || (p != caller && p.ppid() != caller.pid())) {
      throw Errno.ESRCH.exception();
    }
    PidTable pids = t.kernel().pids();
    synchronized (pids) {
      if (p != caller && p.sid() != caller.sid()) {
        throw Errno.EPERM.exception();
      }
      // "EACCES ... one of the children of the calling process and the child had already
      // performed an execve(2)."
      if (p != caller && p.execed()) {
        throw Errno.EACCES.exception();
      }
      if (p.sessionLeader()) {
        throw Errno.EPERM.exception();
      }
      if (pgid != p.pid() && !groupExists(pids, pgid, caller.sid())) {
        throw Errno.EPERM.exception();
      }
      p.setPgid(pgid);
    }
    return 0;
  }

  /**
   * setsid(): "EPERM The process group ID of any process equals the PID of the calling
   * process. Thus, in particular, setsid() fails if the calling process is already a process
   * group leader." Otherwise the caller leads a new session and a new process group, both with
   * its pid, and has no controlling terminal; returns the new session id.
   */
  public static long setsid(Task t) {
    GuestProcess caller = t.process();
    int pid = caller.pid();
    PidTable pids = t.kernel().pids();
    synchronized (pids) {
      if (caller.sessionLeader() || caller.pgid() == pid || groupExists(pids, pid, -1)) {
        throw Errno.EPERM.exception();
      }
      caller.startSession();
    }
    return pid;
  }

  /** The caller for pid 0 or its own pid, else the live process {@code pid}; ESRCH. */
  private static GuestProcess target(Task t, int pid) {
    if (pid == 0 || pid == t.process().pid()) {
      return t.process();
    }
    GuestProcess p = pid > 0 ? t.kernel().process(pid) : null;
    if (p == null) {
      throw Errno.ESRCH.exception();
    }
    return p;
  }

  /** Does a live process have process group {@code pgid} (in session {@code sid} unless -1)? */
  private static boolean groupExists(PidTable pids, int pgid, int sid) {
    return !pids.select(p -> p.pgid() == pgid && (sid == -1 || p.sid() == sid)).isEmpty();
  }
}
