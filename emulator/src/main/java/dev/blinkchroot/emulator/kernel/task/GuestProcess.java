package dev.blinkchroot.emulator.kernel.task;

import dev.blinkchroot.emulator.kernel.fd.FdTable;
import dev.blinkchroot.emulator.kernel.mm.AddressSpace;
import dev.blinkchroot.emulator.kernel.mm.FileMappings;
import dev.blinkchroot.emulator.kernel.signal.PendingSignals;
import dev.blinkchroot.emulator.kernel.signal.SignalActions;
import dev.blinkchroot.emulator.kernel.sync.WaitQueue;
import dev.blinkchroot.emulator.kernel.timer.ProcessTimers;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.FsContext;
import java.util.ArrayList;
import java.util.List;

/**
 * A guest process (Linux's thread group): its address space, descriptors, file-system context,
 * signal dispositions, identity and limits, which its threads share; its place among the other
 * processes (parent, children, process group, session); its life (running, then a zombie
 * holding its wait status until the parent reaps it); and what /proc shows of it.
 *
 * <p>Resources may also be shared with other processes (clone with CLONE_VM, CLONE_FILES,
 * CLONE_FS, CLONE_SIGHAND; vfork); the address space and the descriptor table count their
 * users and are released by the last. Relations and life state change under the kernel's
 * {@link PidTable} lock ({@link Clone}, {@link Exit}, {@link Wait}).
 */
public final class GuestProcess {
  /** Where a process is in its life (wait(2)). */
  public enum State {
    /** Running (or stopped): its threads exist. */
    LIVE,
    /** Exited: only its pid and wait status remain until the parent reaps it. */
    ZOMBIE,
    /** Reaped, or exited with nobody to reap it: gone from the process table. */
    DEAD
  }

  /** SIGCHLD: the exit signal fork gives a child. */
  public static final int SIGCHLD = 17;

  private final int pid;
  private volatile GuestProcess parent;
  final List<GuestProcess> children = new ArrayList<>();
  private volatile AddressSpace mm;
  private volatile FdTable fds;
  private final FsContext fs;
  private final Identity identity;
  private volatile SignalActions signalActions;
  /** Signals sent to the process as a whole (kill), for any of its threads. */
  final PendingSignals sharedPending = new PendingSignals();
  /**
   * Job control, under the signal lock: stopped by a stop signal (and which), and the changes
   * not yet reported to a waiting parent (WUNTRACED, WCONTINUED).
   */
  volatile boolean stopped;
  int stopSignal;
  boolean stopUnreported;
  boolean continueUnreported;
  /** Where the threads of a stopped process wait for SIGCONT. */
  final WaitQueue stopQueue = new WaitQueue();
  private final ProcessAttributes attributes;
  /**
   * The process group and session ids, and whether this process made its session (setsid, or
   * the first process). Written under the kernel's {@link PidTable} lock, read freely.
   */
  private volatile int pgid;
  private volatile int sid;
  private volatile boolean sessionLeader;
  private final long startNanos = System.nanoTime();
  /** The signal the parent gets at exit (clone's CSIGNAL byte; SIGCHLD for fork). */
  final int exitSignal;
  /** The threads; one for now (CLONE_THREAD comes with threads). */
  final List<Task> threads = new ArrayList<>();
  volatile State state = State.LIVE;
  /** The wait(2) status once a zombie. */
  volatile int waitStatus;
  /** CPU time of the process's own threads, recorded at exit, and of reaped children. */
  long userNanos;
  long systemNanos;
  long childUserNanos;
  long childSystemNanos;
  /** The largest resident size of the process's address spaces so far, and of reaped children. */
  long peakRssBytes;
  long childPeakRssBytes;
  /** Has called execve since fork (setpgid on such a child is EACCES). */
  volatile boolean execed;
  /** Where this process's wait4/waitid and vfork wait: woken when a child changes state. */
  private final WaitQueue childEvents = new WaitQueue();

  /** setitimer's, alarm's and timer_create's timers: a fresh set, so fork inherits none. */
  private final ProcessTimers timers = new ProcessTimers();
  /** Where signalfd readers and pollers wait: woken when a signal becomes pending here. */
  private final WaitQueue signalfdQueue = new WaitQueue();

  /** What exec recorded for /proc: the executable's guest path, argv and envp. */
  private byte[] exePath = new byte[0];
  private List<byte[]> argv = List.of();
  private List<byte[]> envp = List.of();
  /** The thread name (prctl PR_SET_NAME, /proc/PID/comm): at most 15 bytes. */
  private byte[] comm = new byte[0];
  /** The auxiliary vector exec built, for /proc/PID/auxv. */
  private long[] auxv = new long[0];

  /**
   * A process made outside clone: the first process ({@code parent} null: its own process group
   * and session), or a test's process under {@code parent}, in its group and session.
   */
  public GuestProcess(int pid, GuestProcess parent, AddressSpace mm, FdTable fds, FsContext fs,
      Identity identity) {
    this.pid = pid;
    this.parent = parent;
    this.mm = mm;
    this.fds = fds;
    this.fs = fs;
    this.identity = identity;
    this.signalActions = new SignalActions();
    this.attributes = ProcessAttributes.initial(identity);
    this.exitSignal = SIGCHLD;
    this.pgid = parent == null ? pid : parent.pgid;
    this.sid = parent == null ? pid : parent.sid;
    this.sessionLeader = parent == null;
    if (parent != null) {
      parent.children.add(this);
    }
  }

  /** A child made by {@link Clone}: the resources as clone(2)'s flags chose them. */
  GuestProcess(int pid, GuestProcess parent, AddressSpace mm, FdTable fds, FsContext fs,
      SignalActions signalActions, int exitSignal) {
    this.pid = pid;
    this.parent = parent;
    this.mm = mm;
    this.fds = fds;
    this.fs = fs;
    this.identity = parent.identity.copy();
    this.signalActions = signalActions;
    this.attributes = parent.attributes.forkCopy();
    this.exitSignal = exitSignal;
    this.pgid = parent.pgid;
    this.sid = parent.sid;
    this.sessionLeader = false;
    synchronized (parent) {
      this.exePath = parent.exePath;
      this.argv = parent.argv;
      this.envp = parent.envp;
      this.comm = parent.comm;
      this.auxv = parent.auxv;
    }
  }

  public int pid() {
    return pid;
  }

  /** The parent's pid; 0 for the first process, as for init in a pid namespace. */
  public int ppid() {
    GuestProcess p = parent;
    return p == null ? 0 : p.pid;
  }

  /** The parent, or null for the first process. */
  public GuestProcess parent() {
    return parent;
  }

  void setParent(GuestProcess p) {
    parent = p;
  }

  public State state() {
    return state;
  }

  /** Whether the process still runs (not a zombie, not reaped). */
  public boolean live() {
    return state == State.LIVE;
  }

  /**
   * The state letter of /proc/PID/stat (proc(5)): R running, S sleeping in an interruptible
   * wait, Z zombie, X dead; as its leader thread is.
   */
  public char runState() {
    switch (state) {
      case ZOMBIE:
        return 'Z';
      case DEAD:
        return 'X';
      default:
        if (stopped()) {
          return 'T';
        }
        Task leader = leader();
        return leader != null && leader.waiter().waiting() ? 'S' : 'R';
    }
  }

  /** The number of threads (a zombie shows 1, as Linux does for its leader). */
  public synchronized int threadCount() {
    return Math.max(1, threads.size());
  }

  /** The signal the parent gets when this process ends. */
  public int exitSignal() {
    return exitSignal;
  }

  /** The wait status once a zombie (0 while it lives). */
  public int waitStatus() {
    return waitStatus;
  }

  /**
   * CPU time used by the process's threads, {user, system} in nanoseconds: measured for live
   * threads, as recorded at exit for a zombie.
   */
  public long[] cpuNanos() {
    if (state != State.LIVE) {
      return new long[] {userNanos, systemNanos};
    }
    java.lang.management.ThreadMXBean mx =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long user = 0;
    long total = 0;
    List<Task> running;
    synchronized (this) {
      running = new ArrayList<>(threads);
    }
    for (Task t : running) {
      Thread th = t.thread();
      if (th == null || !mx.isThreadCpuTimeSupported()) {
        continue;
      }
      long u = mx.getThreadUserTime(th.getId());
      long c = mx.getThreadCpuTime(th.getId());
      if (u >= 0 && c >= 0) {
        user += u;
        total += c;
      }
    }
    return new long[] {user, Math.max(0, total - user)};
  }

  /** A zombie's ru_maxrss for wait4: its own and its reaped descendants' largest. */
  long peakRssOfTree() {
    return Math.max(peakRssBytes, childPeakRssBytes);
  }

  /** Records the current resident size if it is the largest yet (before memory goes away). */
  void notePeakRss() {
    AddressSpace current = mm;
    if (current != null) {
      peakRssBytes = Math.max(peakRssBytes, current.residentBytes());
    }
  }

  /** ru_maxrss of RUSAGE_SELF in bytes: the largest resident size so far, now included. */
  public long peakRssBytes() {
    if (state == State.LIVE) {
      notePeakRss();
    }
    return peakRssBytes;
  }

  /** CPU time of reaped children, {user, system} in nanoseconds. */
  public long[] childCpuNanos() {
    return new long[] {childUserNanos, childSystemNanos};
  }

  /** Woken when a child exits (wait4, waitid) or a vfork child execs. */
  public WaitQueue childEvents() {
    return childEvents;
  }

  /** The process's timers. */
  public ProcessTimers timers() {
    return timers;
  }

  /** Woken whenever a signal joins the process's or one of its threads' pending sets. */
  public WaitQueue signalfdQueue() {
    return signalfdQueue;
  }

  /** The threads now (a copy). */
  public synchronized List<Task> threads() {
    return List.copyOf(threads);
  }

  /** The first process's thread (the kernel starts it; clone makes the others). */
  public Task firstThread(dev.blinkchroot.emulator.kernel.Kernel kernel,
      dev.blinkchroot.emulator.cpu.Cpu cpu) {
    Task t = new Task(kernel, this, cpu, pid);
    synchronized (this) {
      threads.add(t);
    }
    return t;
  }

  /** The first thread (the thread group leader), or null once the process has exited. */
  public synchronized Task leader() {
    return threads.isEmpty() ? null : threads.get(0);
  }

  /** The pages of the process's address space. */
  public GuestMemory memory() {
    return mm.memory();
  }

  /** The process's address space. */
  public AddressSpace mm() {
    return mm;
  }

  /**
   * exec replaces the address space; the process lets go of the old one, which is released
   * (its shared mappings written back) unless another process still uses it (vfork's parent).
   */
  public void replaceMm(AddressSpace next) {
    notePeakRss();
    AddressSpace old = mm;
    mm = next;
    if (old != null && old != next) {
      old.release();
    }
  }

  /** exec of a process that shared its descriptor table (CLONE_FILES): it gets its own copy. */
  public void unshareFds() {
    FdTable old = fds;
    if (old.users() > 1) {
      fds = old.copy();
      old.release();
    }
  }

  public FdTable fds() {
    return fds;
  }

  public FsContext fs() {
    return fs;
  }

  public Identity identity() {
    return identity;
  }

  public FileMappings fileMappings() {
    return mm.names();
  }

  /** The signal dispositions, also the lock of the process's signal state. */
  public SignalActions signalActions() {
    return signalActions;
  }

  /**
   * exec of a process that shared its dispositions (CLONE_SIGHAND without CLONE_THREAD): it
   * gets its own copy, as Linux's de_thread unshares the sighand.
   */
  public void unshareSignalActions() {
    signalActions = signalActions.copy();
  }

  /** Signals pending for the process as a whole. */
  public PendingSignals sharedPending() {
    return sharedPending;
  }

  /** Discards the pending instances of {@code set}, the process's and its threads' (lock held). */
  public void discardPending(long set) {
    sharedPending.discard(set);
    synchronized (this) {
      for (Task t : threads) {
        t.pending.discard(set);
      }
    }
  }

  /** Whether a stop signal has stopped the process. */
  public boolean stopped() {
    synchronized (signalActions) {
      return stopped;
    }
  }

  public int pgid() {
    return pgid;
  }

  public int sid() {
    return sid;
  }

  public boolean sessionLeader() {
    return sessionLeader;
  }

  /** setpgid: joins process group {@code id} (the caller holds the PidTable lock). */
  public void setPgid(int id) {
    pgid = id;
  }

  /** setsid: leads a new session and process group named after the pid (PidTable lock held). */
  public void startSession() {
    pgid = pid;
    sid = pid;
    sessionLeader = true;
  }

  /** fork: the child is in the parent's group and session, and leads neither. */
  public void joinGroupOf(GuestProcess parent) {
    pgid = parent.pgid;
    sid = parent.sid;
    sessionLeader = false;
  }

  /** Whether the process has called execve since it was forked. */
  public boolean execed() {
    return execed;
  }

  /** Limits, scheduling, personality, prctl flags and capabilities. */
  public ProcessAttributes attributes() {
    return attributes;
  }

  /** Nanoseconds of the host's monotonic clock when the process started. */
  public long startNanos() {
    return startNanos;
  }

  public synchronized byte[] exePath() {
    return exePath.clone();
  }

  public synchronized List<byte[]> argv() {
    return argv;
  }

  public synchronized List<byte[]> envp() {
    return envp;
  }

  public synchronized byte[] comm() {
    return comm.clone();
  }

  public synchronized void setComm(byte[] name) {
    comm = java.util.Arrays.copyOf(name, Math.min(name.length, 15));
  }

  public synchronized long[] auxv() {
    return auxv.clone();
  }

  /** What exec records: the program, its arguments and environment, and the auxv. */
  public synchronized void recordExec(byte[] exePath, List<byte[]> argv, List<byte[]> envp,
      long[] auxv) {
    this.execed = true;
    this.exePath = exePath.clone();
    this.argv = List.copyOf(argv);
    this.envp = List.copyOf(envp);
    this.auxv = auxv.clone();
    int slash = exePath.length - 1;
    while (slash >= 0 && exePath[slash] != '/') {
      slash--;
    }
    setComm(java.util.Arrays.copyOfRange(exePath, slash + 1, exePath.length));
  }
}
