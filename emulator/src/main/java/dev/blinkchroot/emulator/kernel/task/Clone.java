package dev.blinkchroot.emulator.kernel.task;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.fd.FdTable;
import dev.blinkchroot.emulator.kernel.mm.AddressSpace;
import dev.blinkchroot.emulator.kernel.signal.SignalActions;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FsContext;

/**
 * Making a process: what fork(2), vfork(2), clone(2) and clone3(2) share. The child gets a copy
 * of the caller's registers (RAX 0, a new stack and TLS if asked), its address space copied on
 * write or shared (CLONE_VM), its descriptor table, file-system context and signal handlers
 * copied or shared (CLONE_FILES, CLONE_FS, CLONE_SIGHAND), the caller's identity, limits,
 * process group and session, and the caller (or, with CLONE_PARENT, the caller's parent) as
 * its parent.
 *
 * <p>Flags this kernel does not implement give EINVAL rather than a half-made child: new
 * namespaces, pidfds, and CLONE_THREAD (threads come later). CLONE_PTRACE, CLONE_UNTRACED,
 * CLONE_DETACHED, CLONE_SYSVSEM and CLONE_IO are accepted: with nothing traced and no System V
 * semaphores or I/O scheduling, they change nothing.
 */
public final class Clone {
  public static final long CSIGNAL = 0xff;
  public static final long CLONE_VM = 0x100;
  public static final long CLONE_FS = 0x200;
  public static final long CLONE_FILES = 0x400;
  public static final long CLONE_SIGHAND = 0x800;
  public static final long CLONE_PIDFD = 0x1000;
  public static final long CLONE_PTRACE = 0x2000;
  public static final long CLONE_VFORK = 0x4000;
  public static final long CLONE_PARENT = 0x8000;
  public static final long CLONE_THREAD = 0x10000;
  public static final long CLONE_NEWNS = 0x20000;
  public static final long CLONE_SYSVSEM = 0x40000;
  public static final long CLONE_SETTLS = 0x80000;
  public static final long CLONE_PARENT_SETTID = 0x100000;
  public static final long CLONE_CHILD_CLEARTID = 0x200000;
  public static final long CLONE_DETACHED = 0x400000;
  public static final long CLONE_UNTRACED = 0x800000;
  public static final long CLONE_CHILD_SETTID = 0x1000000;
  public static final long CLONE_NEWCGROUP = 0x2000000;
  public static final long CLONE_NEWUTS = 0x4000000;
  public static final long CLONE_NEWIPC = 0x8000000;
  public static final long CLONE_NEWUSER = 0x10000000;
  public static final long CLONE_NEWPID = 0x20000000;
  public static final long CLONE_NEWNET = 0x40000000;
  public static final long CLONE_IO = 0x80000000L;
  /** clone3 only. */
  public static final long CLONE_CLEAR_SIGHAND = 0x100000000L;
  public static final long CLONE_INTO_CGROUP = 0x200000000L;

  /** What this kernel implements. */
  private static final long SUPPORTED = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND
      | CLONE_PTRACE | CLONE_VFORK | CLONE_PARENT | CLONE_SYSVSEM | CLONE_SETTLS
      | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_UNTRACED
      | CLONE_CHILD_SETTID | CLONE_IO | CLONE_CLEAR_SIGHAND;

  /**
   * The request, as clone3's struct clone_args has it: {@code stack} is the child's stack
   * pointer (0: the caller's), {@code exitSignal} what the parent gets at exit.
   */
  public record Args(long flags, long childTid, long parentTid, int exitSignal, long stack,
      long tls) {}

  private Clone() {}

  /**
   * Makes the child of {@code parent} described by {@code a}, registered and ready to start
   * (the caller starts it): EINVAL for flag combinations clone(2) refuses or this kernel does not
   * implement, EAGAIN when RLIMIT_NPROC or the pid space is exhausted.
   */
  public static Task clone(Task parent, Args a) {
    long flags = a.flags();
    check(parent, flags, a.exitSignal());
    GuestProcess p = parent.process();
    PidTable pids = parent.kernel().pids();
    checkProcessLimit(parent, pids);
    AddressSpace mm = (flags & CLONE_VM) != 0 ? p.mm().retain() : p.mm().forkCopy();
    FdTable fds = (flags & CLONE_FILES) != 0 ? p.fds().retain() : p.fds().copy();
    FsContext fs = (flags & CLONE_FS) != 0 ? p.fs() : p.fs().copy();
    SignalActions signals = (flags & CLONE_SIGHAND) != 0 ? p.signalActions()
        : p.signalActions().copy();
    if ((flags & CLONE_CLEAR_SIGHAND) != 0) {
      signals.resetForExec();
    }
    Task child;
    synchronized (pids) {
      int pid = pids.allocate();
      if (pid < 0) {
        mm.release();
        fds.release();
        throw Errno.EAGAIN.exception("no free pid");
      }
      GuestProcess parentOfChild = (flags & CLONE_PARENT) != 0 ? p.parent() : p;
      GuestProcess c = new GuestProcess(pid, parentOfChild, mm, fds, fs, signals,
          a.exitSignal());
      Cpu cpu = new Cpu(mm.memory());
      CpuState.copy(parent.cpu, cpu);
      child = new Task(parent.kernel(), c, cpu, pid);
      // The mask is inherited, pending signals are not; the alternate stack too, unless the
      // child shares the memory without vfork ("sas_ss_reset" for CLONE_VM threads).
      child.signalMask = parent.signalMask;
      if ((flags & (CLONE_VM | CLONE_VFORK)) != CLONE_VM) {
        child.setAltStack(parent.altStack().copy());
      }
      synchronized (c) {
        c.threads.add(child);
      }
      parentOfChild.children.add(c);
      pids.add(c);
    }
    Cpu cpu = child.cpu;
    cpu.gpr[Cpu.RAX] = 0;
    if (a.stack() != 0) {
      cpu.gpr[Cpu.RSP] = a.stack();
    }
    if ((flags & CLONE_SETTLS) != 0) {
      cpu.fsBase = a.tls();
    }
    if ((flags & CLONE_CHILD_CLEARTID) != 0) {
      child.setClearChildTid(a.childTid());
    }
    int tid = child.tid();
    if ((flags & CLONE_CHILD_SETTID) != 0) {
      writeTid(child.memory(), a.childTid(), tid);
    }
    if ((flags & CLONE_PARENT_SETTID) != 0) {
      writeTid(parent.memory(), a.parentTid(), tid);
    }
    if ((flags & CLONE_VFORK) != 0) {
      child.setVforkParent(parent);
    }
    return child;
  }

  /**
   * clone(2)'s EINVAL cases, in its order, and the flags this kernel does not implement: "Both
   * CLONE_SIGHAND and CLONE_CLEAR_SIGHAND", "CLONE_SIGHAND ... but not CLONE_VM", "CLONE_THREAD
   * ... but not CLONE_SIGHAND", "CLONE_FS ... with CLONE_NEWNS", "CLONE_PARENT ... and the
   * caller is an init process", a bad exit signal.
   */
  private static void check(Task parent, long flags, int exitSignal) {
    if ((flags & CLONE_SIGHAND) != 0 && (flags & CLONE_CLEAR_SIGHAND) != 0) {
      throw Errno.EINVAL.exception();
    }
    if ((flags & CLONE_SIGHAND) != 0 && (flags & CLONE_VM) == 0) {
      throw Errno.EINVAL.exception();
    }
    if ((flags & CLONE_THREAD) != 0 && (flags & CLONE_SIGHAND) == 0) {
      throw Errno.EINVAL.exception();
    }
    if ((flags & CLONE_FS) != 0 && (flags & CLONE_NEWNS) != 0) {
      throw Errno.EINVAL.exception();
    }
    if ((flags & CLONE_PARENT) != 0 && parent.process().parent() == null) {
      throw Errno.EINVAL.exception("CLONE_PARENT from init");
    }
    if (exitSignal < 0 || exitSignal > Signals.NSIG) {
      throw Errno.EINVAL.exception();
    }
    if ((flags & ~SUPPORTED) != 0) {
      throw Errno.EINVAL.exception(String.format("clone flags %#x not implemented",
          flags & ~SUPPORTED));
    }
  }

  /**
   * RLIMIT_NPROC: "the number of extant processes ... for the real user ID of the calling
   * process"; fork fails with EAGAIN at the limit unless the caller has CAP_SYS_RESOURCE or
   * CAP_SYS_ADMIN.
   */
  private static void checkProcessLimit(Task parent, PidTable pids) {
    long limit = parent.process().attributes().rlimits.soft(Rlimits.RLIMIT_NPROC);
    if (limit == Rlimits.RLIM_INFINITY || Capabilities.has(parent, Capabilities.CAP_SYS_RESOURCE)
        || Capabilities.has(parent, Capabilities.CAP_SYS_ADMIN)) {
      return;
    }
    int uid = parent.process().identity().ruid();
    long count = pids.select(q -> q.state() == GuestProcess.State.LIVE
        && q.identity().ruid() == uid).size();
    if (Long.compareUnsigned(count, limit) >= 0) {
      throw Errno.EAGAIN.exception("RLIMIT_NPROC");
    }
  }

  private static void writeTid(dev.blinkchroot.emulator.memory.GuestMemory memory, long addr,
      int tid) {
    GuestIo.writeInt(memory, addr, tid);
  }
}
