package dev.blinkchroot.emulator.kernel;

import dev.blinkchroot.emulator.cpu.CodeCache;
import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.cpu.CpuTrap;
import dev.blinkchroot.emulator.cpu.Interpreter;
import dev.blinkchroot.emulator.decode.Decoder;
import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.kernel.fd.FdTable;
import dev.blinkchroot.emulator.kernel.fd.FileLocks;
import dev.blinkchroot.emulator.kernel.fd.KernelFiles;
import dev.blinkchroot.emulator.kernel.ipc.Fifos;
import dev.blinkchroot.emulator.kernel.loader.ProgramLoader;
import dev.blinkchroot.emulator.kernel.mm.AddressSpace;
import dev.blinkchroot.emulator.kernel.mm.FileMappings;
import dev.blinkchroot.emulator.kernel.mm.VmAreas;
import dev.blinkchroot.emulator.kernel.signal.SignalState;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.syscall.SyscallDispatcher;
import dev.blinkchroot.emulator.kernel.syscall.SyscallTable;
import dev.blinkchroot.emulator.kernel.task.ExecCompleted;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.Identity;
import dev.blinkchroot.emulator.kernel.task.PidTable;
import dev.blinkchroot.emulator.kernel.task.ProcessExit;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.kernel.tty.Terminal;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.emulator.memory.MemoryFault;
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
  private final long bootNanos = System.nanoTime();
  /** The process table: the processes by pid, pid allocation, the tasklist lock. */
  private final PidTable pids = new PidTable();
  /** The host and domain names uname reports (one UTS namespace per kernel). */
  private final UtsNamespace uts;
  /** Locks, page caches and numbering shared by open file descriptions. */
  private final KernelFiles files = new KernelFiles();
  /** The pipes of FIFOs opened by name. */
  private final Fifos fifos = new Fifos(files);
  /** The terminal the guest's standard streams are (simulated until the tty layer). */
  private final Terminal terminal = new Terminal();

  public Kernel(Vfs vfs, SyscallPolicy policy, KernelConfig config) {
    this.vfs = vfs;
    this.config = config;
    this.uts = UtsNamespace.initial(config);
    this.dispatcher = new SyscallDispatcher(SyscallTable.standard(), policy, config.observers(),
        config.diagnostics());
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

  public Terminal terminal() {
    return terminal;
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
    GuestProcess process = new GuestProcess(1, 0, AddressSpace.create(), fds, fs, identity);
    registerProcess(process);
    Task task = new Task(this, process, new Cpu(process.memory()), 1);
    try {
      return start(task, spec);
    } finally {
      // Shared file mappings are written back before their files' descriptors close; POSIX
      // locks die with their process.
      process.mm().release();
      fds.closeAll();
      files.locks().processExited(process);
      pids.remove(process);
    }
  }

  private int start(Task task, ProcessSpec spec) {
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
    try {
      runTask(task);
      return 0; // not reached: a task ends by ProcessExit
    } catch (ProcessExit exit) {
      return exit.shellStatus();
    }
  }

  /** Runs a task's program until its process exits (ProcessExit propagates). */
  private void runTask(Task task) {
    Task.setCurrent(task);
    try {
      while (true) {
        GuestMemory memory = task.process().memory();
        task.cpu.memory = memory;
        Interpreter interpreter = Interpreter.create(task.cpu, new CodeCache(memory),
            cpu -> dispatcher.dispatch(task));
        try {
          interpreter.run();
        } catch (ExecCompleted exec) {
          continue; // a new program: new address space, new decoded code
        } catch (CpuTrap trap) {
          throw fatal(task, trap.kind().signal(), signalCode(trap), trap.faultAddress());
        } catch (MemoryFault fault) {
          throw fatal(task, 11, fault.reason().siCode(), fault.siAddr());
        }
      }
    } finally {
      Task.setCurrent(null);
    }
  }

  private static int signalCode(CpuTrap trap) {
    return trap.kind().siCode();
  }

  /**
   * A fault the guest did not handle: one line naming the signal, the faulting address, the
   * instruction and where it is, then death by that signal. (Handlers are recorded but signal
   * delivery comes with processes, so an installed handler is not run yet; the line says so.)
   */
  private ProcessExit fatal(Task task, int signal, int code, long faultAddress) {
    GuestProcess p = task.process();
    long rip = task.cpu.rip;
    StringBuilder line = new StringBuilder("blink-chroot: pid ").append(p.pid()).append(" (")
        .append(text(p.comm())).append(") killed by ").append(Signals.name(signal))
        .append(" at rip 0x").append(Long.toHexString(rip));
    if (signal == 11 || signal == 7) {
      line.append(", fault address 0x").append(Long.toHexString(faultAddress));
    }
    line.append(": ").append(instructionAt(p.memory(), rip));
    FileMappings.Named where = p.fileMappings().at(rip);
    if (where != null) {
      line.append(" in ").append(where.nameString()).append("+0x")
          .append(Long.toHexString(where.offset() + rip - where.start()));
    }
    if (p.signals().action(signal).handler() > SignalState.SIG_IGN) {
      line.append(" (the guest's handler was not run: signal delivery is not implemented yet)");
    }
    config.diagnostics().println(line);
    return ProcessExit.killed(signal);
  }

  private static String instructionAt(GuestMemory memory, long rip) {
    try {
      Insn insn = Decoder.decode(memory::fetch8, rip);
      return insn.hexBytes() + "  " + insn;
    } catch (MemoryFault fault) {
      return "(instruction not readable)";
    }
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
