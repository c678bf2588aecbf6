package dev.blinkchroot.emulator.kernel.testing;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.kernel.Kernel;
import dev.blinkchroot.emulator.kernel.KernelConfig;
import dev.blinkchroot.emulator.kernel.fd.FdTable;
import dev.blinkchroot.emulator.kernel.mm.AddressSpace;
import dev.blinkchroot.emulator.kernel.syscall.SyscallNames;
import dev.blinkchroot.emulator.kernel.syscall.SyscallObserver;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.Identity;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.policies.Policies;
import dev.blinkchroot.policies.SyscallPolicy;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Vfs;
import dev.blinkchroot.vfs.nio.NioBackend;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A kernel over an empty in-memory VFS with one process (pid 1, root) whose task can issue
 * system calls through the real dispatcher. Arguments live in a scratch region of guest memory:
 * {@link #string}, {@link #bytes} and {@link #alloc} place them and return their guest address.
 */
public final class KernelFixture {
  public static final long SCRATCH = 0x1000_0000L;
  public static final int SCRATCH_SIZE = 1 << 20;

  public final Vfs vfs = Vfs.create(NioBackend.memory(), "test");
  public final ByteArrayOutputStream diagnosticsBytes = new ByteArrayOutputStream();
  public final CapturingDescription stdin;
  public final CapturingDescription stdout = new CapturingDescription(new byte[0]);
  public final CapturingDescription stderr = new CapturingDescription(new byte[0]);
  public final List<SyscallObserver> observers = new ArrayList<>();
  public final Kernel kernel;
  public final GuestProcess process;
  public final Task task;
  private long next = SCRATCH;

  public KernelFixture() {
    this(Policies.allowAll(), new byte[0]);
  }

  public KernelFixture(SyscallPolicy policy, byte[] stdinBytes) {
    this(policy, stdinBytes, List.of());
  }

  /** A kernel whose dispatcher reports to {@code observers} (fixed at construction, as in a run). */
  public KernelFixture(SyscallPolicy policy, byte[] stdinBytes, List<SyscallObserver> observers) {
    this.observers.addAll(observers);
    stdin = new CapturingDescription(stdinBytes);
    PrintStream diagnostics = new PrintStream(diagnosticsBytes, true, StandardCharsets.UTF_8);
    kernel = new Kernel(vfs, policy, new KernelConfig("blink", diagnostics, observers, false,
        stdin, stdout, stderr));
    Identity identity = new Identity(0, 0, new int[0]);
    FsContext fs = vfs.newContext(identity.credentials());
    fs.setUmask(022);
    FdTable fds = new FdTable();
    fds.add(stdin, false);
    fds.add(stdout, false);
    fds.add(stderr, false);
    GuestMemory memory = GuestMemory.create();
    memory.map(SCRATCH, SCRATCH_SIZE, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    process = new GuestProcess(1, null, AddressSpace.of(memory, null), fds, fs, identity);
    task = process.firstThread(kernel, new Cpu(memory));
    kernel.registerProcess(process);
  }

  /**
   * Installs a handler for {@code signal} (at a made-up address) and sends it to the process, as
   * a signal arriving while the guest runs: the task's blocking calls are interrupted until the
   * signal is delivered (which the fixture does not do).
   */
  public void raiseHandled(int signal) {
    java.nio.ByteBuffer act = java.nio.ByteBuffer.allocate(32)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    act.putLong(0, 0x40_1000L).putLong(8, 0x0400_0000L /* SA_RESTORER */)
        .putLong(16, 0x40_2000L);
    if (call("rt_sigaction", signal, bytes(act.array()), 0, 8) != 0
        || call("kill", process.pid(), signal) != 0) {
      throw new IllegalStateException("could not raise signal " + signal);
    }
  }

  /** Runs system call {@code name} with {@code args} through the dispatcher; returns RAX. */
  public long call(String name, long... args) {
    int nr = SyscallNames.numberOf(name);
    if (nr < 0) {
      throw new IllegalArgumentException("no such syscall " + name);
    }
    int[] regs = {Cpu.RDI, Cpu.RSI, Cpu.RDX, Cpu.R10, Cpu.R8, Cpu.R9};
    for (int i = 0; i < 6; i++) {
      task.cpu.gpr[regs[i]] = i < args.length ? args[i] : 0;
    }
    task.cpu.gpr[Cpu.RAX] = nr;
    Task.setCurrent(task);
    try {
      kernel.dispatch(task);
    } finally {
      Task.setCurrent(null);
    }
    return task.cpu.gpr[Cpu.RAX];
  }

  /** Places a NUL-terminated UTF-8 string; returns its guest address. */
  public long string(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    long a = alloc(b.length + 1);
    process.memory().writeBytes(a, b, 0, b.length);
    process.memory().write8(a + b.length, 0);
    return a;
  }

  public long bytes(byte[] b) {
    long a = alloc(b.length);
    process.memory().writeBytes(a, b, 0, b.length);
    return a;
  }

  /** {@code n} zeroed bytes, 16-aligned; returns the guest address. */
  public long alloc(int n) {
    long a = (next + 15) & ~15L;
    next = a + n;
    if (next > SCRATCH + SCRATCH_SIZE) {
      throw new IllegalStateException("scratch region exhausted");
    }
    return a;
  }

  public byte[] read(long guestAddr, int n) {
    byte[] b = new byte[n];
    process.memory().readBytes(guestAddr, b, 0, n);
    return b;
  }

  public String diagnostics() {
    return diagnosticsBytes.toString(StandardCharsets.UTF_8);
  }
}
