package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.Kernel;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.ProcessAttributes;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Process groups and sessions (credentials(7), setpgid(2), setsid(2), getsid(2)): getpgrp,
 * getpgid, setpgid, getsid, setsid. Each process's group and session ids live in {@link Groups},
 * beside the process (weakly keyed by it, as {@link ProcessAttributes} does). The first process
 * is a container's init: pid 1 leads its own process group and session (pgid = sid = pid).
 * A process created later must get its parent's ids through {@link Groups#inherit} (fork: "The
 * child's ... process group ID and session ID are inherited"); one that never did is treated as
 * the leader of its own group and session.
 *
 * <p>Other processes are looked up among the kernel's live processes ({@link
 * Kernel#process}); a pid that is not there gives ESRCH.
 */
public final class ProcessGroupSyscalls {
  private ProcessGroupSyscalls() {}

  /** The process group and session of one process. */
  static final class Groups {
    private static final Map<GuestProcess, Groups> TABLE =
        Collections.synchronizedMap(new WeakHashMap<>());

    int pgid;
    int sid;
    /** Became a session leader (setsid, or the first process); Linux's signal->leader. */
    boolean sessionLeader;

    private Groups(int pgid, int sid, boolean sessionLeader) {
      this.pgid = pgid;
      this.sid = sid;
      this.sessionLeader = sessionLeader;
    }

    /** The ids of {@code p}: its own group and session unless inherited or changed. */
    static Groups of(GuestProcess p) {
      return TABLE.computeIfAbsent(p, key -> new Groups(key.pid(), key.pid(), true));
    }

    /** fork: the child joins the parent's process group and session, as a non-leader. */
    static void inherit(GuestProcess parent, GuestProcess child) {
      Groups from = of(parent);
      synchronized (ProcessGroupSyscalls.class) {
        TABLE.put(child, new Groups(from.pgid, from.sid, false));
      }
    }

    /** Every process whose ids are known, for group-membership questions. */
    static List<Map.Entry<GuestProcess, Groups>> known() {
      synchronized (TABLE) {
        return new ArrayList<>(TABLE.entrySet());
      }
    }
  }

  /** The process group id of {@code p} (for the terminal's TIOCGPGRP and /proc/PID/stat). */
  static int pgid(GuestProcess p) {
    synchronized (ProcessGroupSyscalls.class) {
      return Groups.of(p).pgid;
    }
  }

  /** The session id of {@code p}. */
  static int sid(GuestProcess p) {
    synchronized (ProcessGroupSyscalls.class) {
      return Groups.of(p).sid;
    }
  }

  /** getpgrp(): "returns the PGID of the calling process"; it never fails. */
  public static long getpgrp(Task t) {
    return pgid(t.process());
  }

  /** getpgid(pid): pid 0 is the caller; "ESRCH No process with this pid" otherwise. */
  public static long getpgid(Task t) {
    return pgid(target(t, t.intArg(0)));
  }

  /**
   * getsid(pid): pid 0 is the caller. Linux answers for any live process (it does not use the
   * "not in the same session" EPERM that getsid(2) allows); "ESRCH No process with process ID
   * pid was found".
   */
  public static long getsid(Task t) {
    return sid(target(t, t.intArg(0)));
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
    synchronized (ProcessGroupSyscalls.class) {
      Groups callerIds = Groups.of(caller);
      Groups ids = Groups.of(p);
      // A child that has already called execve gives EACCES on Linux; exec is not tracked
      // per child here (no fork yet), so that case is not detected.
      if (p != caller && ids.sid != callerIds.sid) {
        throw Errno.EPERM.exception();
      }
      if (ids.sessionLeader) {
        throw Errno.EPERM.exception();
      }
      if (pgid != p.pid() && !groupExists(t, pgid, callerIds.sid)) {
        throw Errno.EPERM.exception();
      }
      ids.pgid = pgid;
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
    synchronized (ProcessGroupSyscalls.class) {
      Groups ids = Groups.of(caller);
      if (ids.sessionLeader || ids.pgid == pid || groupExists(t, pid, -1)) {
        throw Errno.EPERM.exception();
      }
      ids.pgid = pid;
      ids.sid = pid;
      ids.sessionLeader = true;
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

  /**
   * Does a live process (the caller, or one the kernel knows) have process group {@code pgid}
   * (in session {@code sid}, unless it is -1)?
   */
  private static boolean groupExists(Task t, int pgid, int sid) {
    for (Map.Entry<GuestProcess, Groups> e : Groups.known()) {
      GuestProcess p = e.getKey();
      boolean live = p == t.process() || t.kernel().process(p.pid()) == p;
      if (live && e.getValue().pgid == pgid && (sid == -1 || e.getValue().sid == sid)) {
        return true;
      }
    }
    return false;
  }
}
