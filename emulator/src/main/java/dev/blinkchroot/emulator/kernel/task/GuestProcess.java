package dev.blinkchroot.emulator.kernel.task;

import dev.blinkchroot.emulator.kernel.fd.FdTable;
import dev.blinkchroot.emulator.kernel.mm.FileMappings;
import dev.blinkchroot.emulator.kernel.signal.SignalState;
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
  private GuestMemory memory;
  private final FdTable fds;
  private final FsContext fs;
  private final Identity identity;
  private final SignalState signals = new SignalState();
  private final FileMappings fileMappings = new FileMappings();
  private final long startNanos = System.nanoTime();

  /** The program break: where the heap began and where it ends now. */
  long brkStart;
  long brk;
  /** What exec recorded for /proc: the executable's guest path, argv and envp. */
  private byte[] exePath = new byte[0];
  private List<byte[]> argv = List.of();
  private List<byte[]> envp = List.of();
  /** The thread name (prctl PR_SET_NAME, /proc/PID/comm): at most 15 bytes. */
  private byte[] comm = new byte[0];
  /** The auxiliary vector exec built, for /proc/PID/auxv. */
  private long[] auxv = new long[0];

  public GuestProcess(int pid, int ppid, GuestMemory memory, FdTable fds, FsContext fs,
      Identity identity) {
    this.pid = pid;
    this.ppid = ppid;
    this.memory = memory;
    this.fds = fds;
    this.fs = fs;
    this.identity = identity;
  }

  public int pid() {
    return pid;
  }

  public int ppid() {
    return ppid;
  }

  public GuestMemory memory() {
    return memory;
  }

  /** exec replaces the address space. */
  public void replaceMemory(GuestMemory m) {
    GuestMemory old = memory;
    memory = m;
    if (old != null && old != m) {
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
    return fileMappings;
  }

  public SignalState signals() {
    return signals;
  }

  /** Nanoseconds of the host's monotonic clock when the process started. */
  public long startNanos() {
    return startNanos;
  }

  public long brkStart() {
    return brkStart;
  }

  public long brk() {
    return brk;
  }

  public void setBrk(long start, long current) {
    this.brkStart = start;
    this.brk = current;
  }

  public void setBrk(long current) {
    this.brk = current;
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
