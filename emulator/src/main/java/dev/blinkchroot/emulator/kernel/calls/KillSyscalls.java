package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.signal.SigInfo;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.SignalSender;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;

/**
 * Sending signals: kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo. Signal 0 checks that
 * the target exists and may be signalled, and sends nothing.
 */
public final class KillSyscalls {
  private KillSyscalls() {}

  /** kill(pid, sig): see {@link SignalSender#kill}. */
  public static long kill(Task t) {
    SignalSender.kill(t, t.intArg(0), t.intArg(1));
    return 0;
  }

  /** tkill(tid, sig): a thread by its id alone. EINVAL for tid &lt;= 0. */
  public static long tkill(Task t) {
    int tid = t.intArg(0);
    int sig = t.intArg(1);
    if (tid <= 0) {
      throw Errno.EINVAL.exception();
    }
    return toThread(t, 0, tid, sig, tkillInfo(t, sig));
  }

  /**
   * tgkill(tgid, tid, sig): thread {@code tid} of process {@code tgid} ("ESRCH No process with
   * the specified thread ID exists in the thread group"). EINVAL for ids &lt;= 0.
   */
  public static long tgkill(Task t) {
    int tgid = t.intArg(0);
    int tid = t.intArg(1);
    int sig = t.intArg(2);
    if (tgid <= 0 || tid <= 0) {
      throw Errno.EINVAL.exception();
    }
    return toThread(t, tgid, tid, sig, tkillInfo(t, sig));
  }

  /**
   * rt_sigqueueinfo(tgid, sig, info): the caller's own siginfo to a process. "EPERM ... the
   * caller specified an si_code ... greater than or equal to 0 or SI_TKILL" when the target is
   * another process (such codes would impersonate the kernel or kill(2)).
   */
  public static long rtSigqueueinfo(Task t) {
    int tgid = t.intArg(0);
    int sig = t.intArg(1);
    SigInfo info = guestInfo(t, sig, t.arg(2), tgid);
    GuestProcess p = t.kernel().pids().get(tgid);
    if (p == null || !p.live()) {
      throw Errno.ESRCH.exception();
    }
    checkPermitted(t, p, sig);
    if (sig != 0) {
      SignalSender.sendToProcess(p, info, SignalSender.Origin.GUEST);
    }
    return 0;
  }

  /** rt_tgsigqueueinfo(tgid, tid, sig, info): as rt_sigqueueinfo, to one thread. */
  public static long rtTgsigqueueinfo(Task t) {
    int tgid = t.intArg(0);
    int tid = t.intArg(1);
    int sig = t.intArg(2);
    if (tgid <= 0 || tid <= 0) {
      throw Errno.EINVAL.exception();
    }
    return toThread(t, tgid, tid, sig, guestInfo(t, sig, t.arg(3), tgid));
  }

  private static SigInfo tkillInfo(Task t, int sig) {
    GuestProcess self = t.process();
    return SigInfo.kill(sig, SigInfo.SI_TKILL, self.pid(), self.identity().ruid());
  }

  private static SigInfo guestInfo(Task t, int sig, long infoAddr, int tgid) {
    if (!Signals.valid(sig) && sig != 0) {
      throw Errno.EINVAL.exception();
    }
    SigInfo info = SigInfo.fromGuest(sig, GuestIo.read(t.memory(), infoAddr, SigInfo.SIZE));
    if ((info.code() >= 0 || info.code() == SigInfo.SI_TKILL) && tgid != t.process().pid()) {
      throw Errno.EPERM.exception();
    }
    return info;
  }

  /** Sends to thread {@code tid} (of process {@code tgid}, or of any process for 0). */
  private static long toThread(Task t, int tgid, int tid, int sig, SigInfo info) {
    if (sig < 0 || sig > Signals.NSIG) {
      throw Errno.EINVAL.exception();
    }
    Task target = t.kernel().pids().thread(tid);
    if (target == null || (tgid != 0 && target.process().pid() != tgid)) {
      throw Errno.ESRCH.exception();
    }
    checkPermitted(t, target.process(), sig);
    if (sig != 0) {
      SignalSender.sendToThread(target, info, SignalSender.Origin.GUEST);
    }
    return 0;
  }

  private static void checkPermitted(Task t, GuestProcess target, int sig) {
    if (!SignalSender.permitted(t, target, sig)) {
      throw Errno.EPERM.exception();
    }
  }
}
