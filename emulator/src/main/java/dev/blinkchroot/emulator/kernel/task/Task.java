package dev.blinkchroot.emulator.kernel.task;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.kernel.Kernel;
import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.fd.FdTable;
import dev.blinkchroot.emulator.kernel.mm.AddressSpace;
import dev.blinkchroot.emulator.kernel.signal.AltStack;
import dev.blinkchroot.emulator.kernel.signal.PendingSignals;
import dev.blinkchroot.emulator.kernel.signal.SignalFrame;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.sync.Waiter;
import dev.blinkchroot.emulator.kernel.syscall.Syscall;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.Vfs;

/**
 * One guest thread: its CPU state and the process it belongs to. Syscall handlers get the task
 * and read their arguments with {@link #arg} (RDI, RSI, RDX, R10, R8, R9: the x86-64 syscall
 * convention).
 */
public final class Task {
  private static final int[] ARG_REGISTERS = {Cpu.RDI, Cpu.RSI, Cpu.RDX, Cpu.R10, Cpu.R8, Cpu.R9};
  private static final ThreadLocal<Task> CURRENT = new ThreadLocal<>();

  final Kernel kernel;
  private GuestProcess process;
  public final Cpu cpu;
  private final int tid;
  /** The signal mask (rt_sigprocmask), per thread; written under the process's signal lock. */
  volatile long signalMask;
  /** Signals sent to this thread (tkill, faults, SIGPIPE). */
  final PendingSignals pending = new PendingSignals();
  /**
   * The mask to restore after a signal is handled, when a call changed it for its duration
   * (sigsuspend, ppoll, pselect6); {@link #hasSavedMask} says whether it is set.
   */
  long savedMask;
  boolean hasSavedMask;
  private AltStack altStack = new AltStack();
  /** What restart_syscall runs: the rest of an interrupted nanosleep (null: none). */
  private Syscall restartBlock;
  /** The number of the system call waiting for a restart decision, or -1. */
  long interruptedCall = -1;
  /** The signals rt_sigtimedwait waits for: they wake the thread although it blocks them. */
  volatile long sigwaitSet;
  /** The last fault the CPU reported, for the signal frame. */
  SignalFrame.Trap trap = SignalFrame.Trap.NONE;
  /** set_tid_address: cleared and futex-woken at thread exit. */
  long clearChildTid;
  private final ThreadAttributes attributes = new ThreadAttributes();
  private final Waiter waiter = new Waiter();
  /** The Java thread running this task, once it runs. */
  private volatile Thread thread;
  /** A signal that kills the task when it next leaves the kernel or a slice ends (0: none). */
  private volatile int pendingKill;
  /** The vfork parent waiting for this task to exec or exit, or null. */
  private volatile Task vforkParent;
  private volatile boolean vforkReleased;

  public Task(Kernel kernel, GuestProcess process, Cpu cpu, int tid) {
    this.kernel = kernel;
    this.process = process;
    this.cpu = cpu;
    this.tid = tid;
  }

  /** The task running a syscall on this Java thread (for /proc/self), or null. */
  public static Task current() {
    return CURRENT.get();
  }

  public static void setCurrent(Task t) {
    CURRENT.set(t);
    Waiter.setCurrent(t == null ? null : t.waiter);
  }

  /** Syscall argument {@code i} (0-5). */
  public long arg(int i) {
    return cpu.gpr[ARG_REGISTERS[i]];
  }

  /** Argument {@code i} as a C int (the low 32 bits, sign-extended). */
  public int intArg(int i) {
    return (int) arg(i);
  }

  public int tid() {
    return tid;
  }

  public GuestProcess process() {
    return process;
  }

  void setProcess(GuestProcess p) {
    this.process = p;
  }

  public Kernel kernel() {
    return kernel;
  }

  public GuestMemory memory() {
    return process.memory();
  }

  /** The address space the task runs in. */
  public AddressSpace mm() {
    return process.mm();
  }

  public FsContext fs() {
    return process.fs();
  }

  public Vfs vfs() {
    return kernel.vfs();
  }

  public FdTable fds() {
    return process.fds();
  }

  public long signalMask() {
    return signalMask;
  }

  /**
   * Sets the signal mask (SIGKILL and SIGSTOP are never blocked); signals it unblocks are
   * delivered when the task next leaves the kernel.
   */
  public void setSignalMask(long mask) {
    synchronized (process.signalActions()) {
      signalMask = mask & ~Signals.UNBLOCKABLE;
      SignalDelivery.recalc(this);
    }
  }

  /** The signals sent to this thread alone. */
  public PendingSignals pending() {
    return pending;
  }

  /**
   * Sets the mask for the duration of a call that waits for signals (sigsuspend, ppoll,
   * pselect6): {@code original} comes back after the handler that ends the wait, or when the
   * call returns without one.
   */
  public void setTemporaryMask(long mask, long original) {
    synchronized (process.signalActions()) {
      savedMask = original;
      hasSavedMask = true;
    }
    setSignalMask(mask);
  }

  /** The thread's alternate signal stack. */
  public AltStack altStack() {
    return altStack;
  }

  void setAltStack(AltStack a) {
    altStack = a;
  }

  /** The CPU's report of the fault being delivered, for the signal frame. */
  public void setTrap(SignalFrame.Trap trap) {
    this.trap = trap;
  }

  /** What restart_syscall runs next (nanosleep's remaining sleep). */
  public void setRestartBlock(Syscall fn) {
    restartBlock = fn;
  }

  /** Takes the restart block (null if none). */
  public Syscall takeRestartBlock() {
    Syscall fn = restartBlock;
    restartBlock = null;
    return fn;
  }

  /**
   * Records that system call {@code number} returned an ERESTART code: signal delivery decides
   * between EINTR and running it again. -1 clears it.
   */
  public void setInterruptedCall(long number) {
    interruptedCall = number;
  }

  /** How this task blocks ({@link Waiter#await}). */
  public Waiter waiter() {
    return waiter;
  }

  /** The Java thread running the task (null before it starts). */
  public Thread thread() {
    return thread;
  }

  public void setThread(Thread t) {
    thread = t;
  }

  /**
   * Kills the task with {@code signal} (SIGKILL when pid 1 dies, a fatal default action): a
   * blocked call is interrupted and the task exits the next time it leaves the kernel or its
   * slice of instructions ends.
   */
  public void kill(int signal) {
    if (pendingKill == 0) {
      pendingKill = signal;
    }
    waiter.interrupt();
  }

  /** Whether a signal or a kill may need the task's attention: ends its waits. */
  void signalWake() {
    waiter.interrupt();
  }

  /** The signal the task has been killed with, or 0. */
  public int pendingKill() {
    return pendingKill;
  }

  /** vfork: {@code parent} waits until this child execs or exits. */
  void setVforkParent(Task parent) {
    vforkParent = parent;
  }

  /** Whether a vfork child has released its parent (exec or exit). */
  public boolean vforkDone() {
    return vforkReleased;
  }

  /** The vfork child has exec'd or is exiting: its parent may go on. */
  public void releaseVforkParent() {
    Task parent = vforkParent;
    if (parent != null && !vforkReleased) {
      vforkReleased = true;
      parent.process().childEvents().wakeAll();
    }
  }

  /** The robust list, parent-death signal and timer slack. */
  public ThreadAttributes attributes() {
    return attributes;
  }

  public long clearChildTid() {
    return clearChildTid;
  }

  public void setClearChildTid(long guestAddr) {
    clearChildTid = guestAddr;
  }

  /** The path argument {@code i}, as bytes (EFAULT, ENAMETOOLONG). */
  public byte[] pathArg(int i) {
    return GuestIo.readPath(memory(), arg(i));
  }

  /**
   * Where an *at call starts resolving {@code path}: nowhere in particular for an absolute path
   * (dirfd is then ignored, not even checked, as on Linux), else {@link #dirfd}.
   */
  public Location startFor(int dirfd, byte[] path) {
    return path.length > 0 && path[0] == '/' ? null : dirfd(dirfd);
  }

  /**
   * The location a dirfd argument names for *at calls: null for AT_FDCWD (the working directory),
   * the descriptor's location otherwise; EBADF for a bad descriptor, ENOTDIR for one that is not
   * a directory (checked by the VFS when the path is relative).
   */
  public Location dirfd(int fd) {
    if (fd == Fcntl.AT_FDCWD) {
      return null;
    }
    Location at = fds().get(fd).location();
    if (at == null) {
      throw Errno.ENOTDIR.exception();
    }
    return at;
  }
}
