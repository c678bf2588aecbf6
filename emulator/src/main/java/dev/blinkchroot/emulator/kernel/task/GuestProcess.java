package dev.blinkchroot.emulator.kernel.task;

import dev.blinkchroot.emulator.kernel.fd.FdTable;
import dev.blinkchroot.emulator.kernel.mm.FileMappings;
import dev.blinkchroot.emulator.kernel.signal.SignalState;
import dev.blinkchroot.emulator.kernel.mm.AddressSpace;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.FsContext;
import java.util.List;

/**
 * A guest process: its address space, descriptors, file-system context, identity, and what
 * /proc shows of it. Fields change under the process's own lock where threads can race.
 */
public final class GuestProcess {
  private final int pid;
  private final int ppid;
  private AddressSpace mm;
  private final FdTable fds;
  private final FsContext fs;
  private final Identity identity;
  private final SignalState signals = new SignalState();
  private final ProcessAttributes attributes;
  /**
   * The process group and session ids, and whether this process made its session (setsid, or
   * the first process). Written under the kernel's {@link PidTable} lock, read freely.
   */
  private volatile int pgid;
  private volatile int sid;
  private volatile boolean sessionLeader;
  private final long startNanos = System.nanoTime();

  /** What exec recorded for /proc: the executable's guest path, argv and envp. */
  private byte[] exePath = new byte[0];
  private List<byte[]> argv = List.of();
  private List<byte[]> envp = List.of();
  /** The thread name (prctl PR_SET_NAME, /proc/PID/comm): at most 15 bytes. */
  private byte[] comm = new byte[0];
  /** The auxiliary vector exec built, for /proc/PID/auxv. */
  private long[] auxv = new long[0];

  public GuestProcess(int pid, int ppid, AddressSpace mm, FdTable fds, FsContext fs,
      Identity identity) {
    this.pid = pid;
    this.ppid = ppid;
    this.mm = mm;
    this.fds = fds;
    this.fs = fs;
    this.identity = identity;
    this.attributes = ProcessAttributes.initial(identity);
    this.pgid = pid;
    this.sid = pid;
    this.sessionLeader = true;
  }

  public int pid() {
    return pid;
  }

  public int ppid() {
    return ppid;
  }

  /** The pages of the process's address space. */
  public GuestMemory memory() {
    return mm.memory();
  }

  /** The process's address space. */
  public AddressSpace mm() {
    return mm;
  }

  /** exec replaces the address space; the old one is released (its shared mappings written back). */
  public void replaceMm(AddressSpace next) {
    AddressSpace old = mm;
    mm = next;
    if (old != null && old != next) {
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

  public SignalState signals() {
    return signals;
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
