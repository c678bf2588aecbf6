package dev.blinkchroot.emulator.kernel;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.cpu.SharedDecodes;
import dev.blinkchroot.emulator.kernel.fd.FdTable;
import dev.blinkchroot.emulator.kernel.fd.KernelFiles;
import dev.blinkchroot.emulator.kernel.ipc.Fifos;
import dev.blinkchroot.emulator.kernel.loader.ProgramLoader;
import dev.blinkchroot.emulator.kernel.mm.AddressSpace;
import dev.blinkchroot.emulator.kernel.signal.SigInfo;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.sync.Futexes;
import dev.blinkchroot.emulator.kernel.syscall.SyscallDispatcher;
import dev.blinkchroot.emulator.kernel.syscall.SyscallTable;
import dev.blinkchroot.emulator.kernel.task.Exit;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.Identity;
import dev.blinkchroot.emulator.kernel.task.PidTable;
import dev.blinkchroot.emulator.kernel.task.ProcessExit;
import dev.blinkchroot.emulator.kernel.task.SignalSender;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.kernel.timer.TimerScheduler;
import dev.blinkchroot.emulator.kernel.tty.Terminal;
import dev.blinkchroot.policies.SyscallPolicy;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Vfs;
import java.nio.charset.StandardCharsets;

/**
 * The in-JVM Linux kernel of one run: the VFS, the syscall table and policy, and the guest
 * processes. {@link #run} starts the first process and returns the status a shell would report:
 * the exit code, or 128 + N after death by signal N.
 */
public final class Kernel {
  /** Linux's status for a command that could not be executed / was not found (as a shell). */
  public static final int STATUS_CANNOT_EXECUTE = 126;
  public static final int STATUS_NOT_FOUND = 127;

  private final Vfs vfs;
  private final KernelConfig config;
  private final SyscallDispatcher dispatcher;
  private final TaskLoop loop;
  private final long bootNanos = System.nanoTime();
  /** The process table: the processes by pid, pid allocation, the tasklist lock. */
  private final PidTable pids = new PidTable();
  /** The host and domain names uname reports (one UTS namespace per kernel). */
  private final UtsNamespace uts;
  /** Locks, page caches and numbering shared by open file descriptions. */
  private final KernelFiles files = new KernelFiles();
  /** The pipes of FIFOs opened by name. */
  private final Fifos fifos = new Fifos(files);
  /** Runs the expirations of the guests' timers on host clocks: one thread, this kernel's. */
  private final TimerScheduler timerScheduler = new TimerScheduler();
  /** The terminal the guest's standard streams are (simulated until the tty layer). */
  private final Terminal terminal = new Terminal();
  private final Futexes futexes = new Futexes();
  /** Decoded code shared by every process of this kernel (none between kernels). */
  private final SharedDecodes decodes = new SharedDecodes();

  public Kernel(Vfs vfs, SyscallPolicy policy, KernelConfig config) {
    this.vfs = vfs;
    this.config = config;
    this.uts = UtsNamespace.initial(config);
    this.dispatcher = new SyscallDispatcher(SyscallTable.standard(), policy, config.observers(),
        config.diagnostics());
    this.loop = new TaskLoop(this, dispatcher);
  }

  public Vfs vfs() {
    return vfs;
  }

  public KernelConfig config() {
    return config;
  }

  /** Nanoseconds of the host's monotonic clock at boot (for /proc/uptime, CLOCK_BOOTTIME). */
  public long bootNanos() {
    return bootNanos;
  }

  /** The process table. */
  public PidTable pids() {
    return pids;
  }

  /** The host and domain names. */
  public UtsNamespace uts() {
    return uts;
  }

  /** The state open file descriptions share: locks, page caches, numbering. */
  public KernelFiles files() {
    return files;
  }

  public Fifos fifos() {
    return fifos;
  }

  public Futexes futexes() {
    return futexes;
  }

  public Terminal terminal() {
    return terminal;
  }

  /** The thread that expires timers on host clocks (setitimer, timer_create, timerfd). */
  public TimerScheduler timerScheduler() {
    return timerScheduler;
  }

  /** Makes {@code p} visible in /proc (and to whoever looks processes up by pid). */
  public void registerProcess(GuestProcess p) {
    pids.add(p);
  }

  /** The processes in ascending pid order. */
  public java.util.List<GuestProcess> processes() {
    return pids.all();
  }

  /** The process {@code pid}, or null. */
  public GuestProcess process(int pid) {
    return pids.get(pid);
  }

  /** Runs one system call for {@code task} as SYSCALL would (tests drive handlers this way). */
  public void dispatch(Task task) {
    dispatcher.dispatch(task);
  }

  /** Runs {@code spec} as process 1 until it exits; returns the shell status. */
  public int run(ProcessSpec spec) {
    Identity identity = new Identity(spec.uid(), spec.gid(), spec.groups());
    FsContext fs = vfs.newContext(identity.credentials());
    FdTable fds = new FdTable();
    fds.add(config.stdin(), false);
    fds.add(config.stdout(), false);
    fds.add(config.stderr(), false);
    GuestProcess init = new GuestProcess(1, null, AddressSpace.create(decodes), fds, fs,
        identity);
    registerProcess(init);
    Task task = init.firstThread(this, new Cpu(init.memory()));
    task.setThread(Thread.currentThread());
    int waitStatus;
    Integer early = startInit(task, spec);
    if (early != null) {
      waitStatus = (early & 0xff) << 8;
    } else {
      waitStatus = loop.runUntilExit(task);
    }
    Exit.exitProcess(task, waitStatus);
    loop.endEveryOtherProcess(init);
    timerScheduler.shutdown();
    pids.remove(init);
    return early != null ? early : ProcessExit.shellStatus(waitStatus);
  }

  /**
   * A signal blink-chroot itself received (SIGINT, SIGTERM, SIGHUP...), passed to the guest's
   * pid 1 as an init run by docker run --init would pass it on: delivered even without a
   * handler, with si_pid 0 (a sender outside the sandbox). False if pid 1 is gone.
   */
  public boolean hostSignal(int signal) {
    GuestProcess init = pids.get(1);
    if (init == null || !init.live()) {
      return false;
    }
    SignalSender.sendToProcess(init, SigInfo.kill(signal, SigInfo.SI_USER, 0, 0),
        SignalSender.Origin.HOST);
    return true;
  }

  /** Ends every guest process at once (SIGKILL), as a second host signal or a timeout does. */
  public void killAll() {
    for (GuestProcess p : pids.all()) {
      SignalSender.sendToProcess(p, SigInfo.kernel(Signals.SIGKILL), SignalSender.Origin.HOST);
    }
  }

  /** Starts {@code task} (a new child) on its own thread. */
  public void start(Task task) {
    loop.start(task);
  }

  /**
   * chdir to the working directory and exec the program, as process 1 starts; null on success,
   * else the shell status to end with (and a line saying why).
   */
  private Integer startInit(Task task, ProcessSpec spec) {
    try {
      vfs.chdir(task.fs(), null, spec.workdir());
    } catch (ErrnoException e) {
      config.diagnostics().println("blink-chroot: " + text(spec.workdir()) + ": "
          + e.errno().message());
      return STATUS_CANNOT_EXECUTE;
    }
    try {
      ProgramLoader.execute(task, spec.program(), spec.argv(), spec.envp());
    } catch (ErrnoException e) {
      String foreign = ProgramLoader.foreignArchitecture(e);
      config.diagnostics().println("blink-chroot: " + text(spec.program()) + ": "
          + (foreign != null ? foreign : e.errno().message()));
      return e.errno() == dev.blinkchroot.vfs.Errno.ENOENT ? STATUS_NOT_FOUND
          : STATUS_CANNOT_EXECUTE;
    }
    return null;
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
