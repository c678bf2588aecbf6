package dev.blinkchroot.emulator.kernel.ipc;

import dev.blinkchroot.emulator.kernel.fd.KernelFiles;
import dev.blinkchroot.emulator.kernel.fd.PollEvents;
import dev.blinkchroot.emulator.kernel.signal.SigInfo;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.sync.WaitQueue;
import dev.blinkchroot.emulator.kernel.sync.Waiter;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A signalfd (signalfd(2)): a set of signals that reading the descriptor takes from the
 * <em>reader's</em> pending signals, its thread's first, then its process's, as records of
 * struct signalfd_siginfo. The description holds only the mask, so it can be shared: "After a
 * fork(2), the child inherits a copy of the signalfd file descriptor. A read(2) from the file
 * descriptor in the child will return information about signals queued to the child."
 *
 * <ul>
 *   <li>read: as many whole records as fit and are pending; a buffer smaller than one record
 *       is EINVAL; with none pending it blocks until a signal of the mask becomes pending, or
 *       fails with EAGAIN when nonblocking.
 *   <li>poll: readable "if one or more of the signals in mask is pending for the process",
 *       woken through the process's {@link GuestProcess#signalfdQueue} when a signal is sent.
 * </ul>
 *
 * <p>struct signalfd_siginfo (x86-64, checked with gcc offsetof): ssi_signo@0 ssi_errno@4
 * ssi_code@8 ssi_pid@12 ssi_uid@16 ssi_fd@20 ssi_tid@24 ssi_band@28 ssi_overrun@32
 * ssi_trapno@36 ssi_status@40 ssi_int@44 ssi_ptr@48 ssi_utime@56 ssi_stime@64 ssi_addr@72
 * ssi_addr_lsb@80 ssi_syscall@84 ssi_call_addr@88 ssi_arch@96, 128 bytes.
 */
public final class SignalFd extends AnonInodeFile {
  public static final int SFD_NONBLOCK = Fcntl.O_NONBLOCK;
  public static final int SFD_CLOEXEC = Fcntl.O_CLOEXEC;
  /** sizeof(struct signalfd_siginfo). */
  public static final int RECORD_SIZE = 128;

  private volatile long mask;

  public SignalFd(long mask, int sfdFlags, KernelFiles files) {
    super("signalfd", sfdFlags, files);
    setMask(mask);
  }

  /**
   * The set the descriptor accepts: "It is not possible to receive SIGKILL or SIGSTOP signals
   * via a signalfd file descriptor; these signals are silently ignored if specified in mask."
   */
  public void setMask(long newMask) {
    mask = newMask & ~Signals.UNBLOCKABLE;
  }

  public long mask() {
    return mask;
  }

  @Override
  public int read(ByteBuffer dst) {
    if (dst.remaining() < RECORD_SIZE) {
      throw Errno.EINVAL.exception();
    }
    Task reader = Task.current();
    if (reader == null) {
      throw Errno.EAGAIN.exception();
    }
    GuestProcess p = reader.process();
    while (true) {
      int n = 0;
      while (dst.remaining() >= RECORD_SIZE) {
        SigInfo info = take(reader);
        if (info == null) {
          break;
        }
        dst.put(record(info));
        n++;
      }
      if (n > 0) {
        return n * RECORD_SIZE;
      }
      if (nonBlocking()) {
        throw Errno.EAGAIN.exception();
      }
      Waiter.block(p.signalfdQueue(), WaitQueue.ALL, () -> pendingFor(reader) != 0);
    }
  }

  /** Takes the reader's next pending signal of the mask: the thread's, then the process's. */
  private SigInfo take(Task reader) {
    GuestProcess p = reader.process();
    long set = mask;
    synchronized (p.signalActions()) {
      SigInfo info = reader.pending().take(set);
      return info != null ? info : p.sharedPending().take(set);
    }
  }

  private long pendingFor(Task reader) {
    return (reader.pending().bits() | reader.process().sharedPending().bits()) & mask;
  }

  @Override
  public int write(ByteBuffer src) {
    throw Errno.EINVAL.exception();
  }

  /** The queue of the polling task's process (each reader polls its own signals). */
  @Override
  public WaitQueue pollQueue() {
    Task t = Task.current();
    return t == null ? null : t.process().signalfdQueue();
  }

  @Override
  public int pollReady(int events) {
    Task t = Task.current();
    return t != null && pendingFor(t) != 0 ? PollEvents.READABLE : 0;
  }

  /**
   * A signal as struct signalfd_siginfo: the fields of siginfo_t's union member that the signal
   * carries (by {@link SigInfo#layout}), in the record's own places; the rest zero.
   */
  static byte[] record(SigInfo info) {
    ByteBuffer si = ByteBuffer.wrap(info.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer r = ByteBuffer.allocate(RECORD_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    r.putInt(0, si.getInt(0)); // ssi_signo
    r.putInt(4, si.getInt(4)); // ssi_errno
    r.putInt(8, si.getInt(8)); // ssi_code
    switch (info.layout()) {
      case KILL:
        r.putInt(12, si.getInt(16)).putInt(16, si.getInt(20)); // pid, uid
        break;
      case TIMER:
        r.putInt(24, si.getInt(16)).putInt(32, si.getInt(20)); // tid (timer id), overrun
        r.putLong(48, si.getLong(24)).putInt(44, si.getInt(24)); // ptr, int
        break;
      case POLL:
        r.putInt(28, (int) si.getLong(16)).putInt(20, si.getInt(24)); // band, fd
        break;
      case FAULT:
        r.putLong(72, si.getLong(16)).putShort(80, si.getShort(24)); // addr, addr_lsb
        break;
      case SYS:
        r.putLong(88, si.getLong(16)).putInt(84, si.getInt(24)).putInt(96, si.getInt(28));
        break;
      case CHLD:
        r.putInt(12, si.getInt(16)).putInt(16, si.getInt(20)).putInt(40, si.getInt(24));
        r.putLong(56, si.getLong(32)).putLong(64, si.getLong(40)); // utime, stime
        break;
      default: // RT: pid, uid, and the value
        r.putInt(12, si.getInt(16)).putInt(16, si.getInt(20));
        r.putLong(48, si.getLong(24)).putInt(44, si.getInt(24));
        break;
    }
    return r.array();
  }
}
