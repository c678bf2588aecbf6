package dev.blinkchroot.emulator.kernel.signal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One signal instance: a siginfo_t as the kernel keeps it (128 bytes, x86-64 layout), with the
 * signal number and code read out. Which union member the bytes after si_code hold depends on the
 * signal and the code, as in Linux's siginfo_layout: {@link #layout()}.
 */
public final class SigInfo {
  public static final int SIZE = 128;

  public static final int SI_USER = 0;
  public static final int SI_KERNEL = 0x80;
  public static final int SI_QUEUE = -1;
  public static final int SI_TIMER = -2;
  public static final int SI_MESGQ = -3;
  public static final int SI_ASYNCIO = -4;
  public static final int SI_SIGIO = -5;
  public static final int SI_TKILL = -6;

  public static final int CLD_EXITED = 1;
  public static final int CLD_KILLED = 2;
  public static final int CLD_DUMPED = 3;
  public static final int CLD_STOPPED = 5;
  public static final int CLD_CONTINUED = 6;

  /** The union member after si_code. */
  public enum Layout {
    /** si_pid, si_uid (kill, tkill, and the kernel's SI_KERNEL). */
    KILL,
    /** si_tid, si_overrun, si_value (POSIX timers). */
    TIMER,
    /** si_pid, si_uid, si_value (sigqueue and the other negative codes). */
    RT,
    /** si_pid, si_uid, si_status, si_utime, si_stime. */
    CHLD,
    /** si_addr (and si_addr_lsb...). */
    FAULT,
    /** si_band, si_fd. */
    POLL,
    /** si_call_addr, si_syscall, si_arch. */
    SYS
  }

  private final byte[] bytes;
  /**
   * Sent by the host or forced by a fault: delivered to pid 1 even though it has no handler
   * (which ignores, on Linux, what its own namespace sends it).
   */
  private final boolean forced;

  private SigInfo(byte[] bytes) {
    this(bytes, false);
  }

  private SigInfo(byte[] bytes, boolean forced) {
    this.bytes = bytes;
    this.forced = forced;
  }

  /** The same signal, marked as forced (see {@link #forced()}). */
  public SigInfo asForced() {
    return forced ? this : new SigInfo(bytes, true);
  }

  public boolean forced() {
    return forced;
  }

  private static ByteBuffer fresh(int signo, int code) {
    ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, signo);
    b.putInt(8, code);
    return b;
  }

  /** kill, tkill and tgkill (SI_USER, SI_TKILL) or the kernel (SI_KERNEL): sender pid and uid. */
  public static SigInfo kill(int signo, int code, int pid, int uid) {
    ByteBuffer b = fresh(signo, code);
    b.putInt(16, pid);
    b.putInt(20, uid);
    return new SigInfo(b.array());
  }

  /** A signal the kernel sends with no sender (SIGPIPE, SIGHUP to an orphaned group...). */
  public static SigInfo kernel(int signo) {
    return kill(signo, SI_KERNEL, 0, 0);
  }

  /** A child's change of state to its parent: pid, uid, status and times in clock ticks. */
  public static SigInfo child(int signo, int code, int pid, int uid, int status, long utime,
      long stime) {
    ByteBuffer b = fresh(signo, code);
    b.putInt(16, pid);
    b.putInt(20, uid);
    b.putInt(24, status);
    b.putLong(32, utime);
    b.putLong(40, stime);
    return new SigInfo(b.array());
  }

  /** A signal from the CPU: SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP with the faulting address. */
  public static SigInfo fault(int signo, int code, long addr) {
    ByteBuffer b = fresh(signo, code);
    b.putLong(16, addr);
    return new SigInfo(b.array());
  }

  /** A POSIX timer's expiry: timer id, overrun count and the sigevent's value. */
  public static SigInfo timer(int signo, int timerId, int overrun, long value) {
    ByteBuffer b = fresh(signo, SI_TIMER);
    b.putInt(16, timerId);
    b.putInt(20, overrun);
    b.putLong(24, value);
    return new SigInfo(b.array());
  }

  /** si_overrun (TIMER layout). */
  public int overrun() {
    return view().getInt(20);
  }

  /**
   * A POSIX timer expired {@code more} times while this, its signal, was pending: si_overrun
   * grows, saturating at DELAYTIMER_MAX (INT_MAX). Called under the signal lock, before the
   * signal is taken; the only change a SigInfo ever sees.
   */
  public void addOverrun(long more) {
    long sum = Math.min(Integer.MAX_VALUE, (long) overrun() + Math.max(0, more));
    view().putInt(20, (int) sum);
  }

  /** The siginfo a guest passed to rt_sigqueueinfo, with si_signo made {@code signo}. */
  public static SigInfo fromGuest(int signo, byte[] guestBytes) {
    byte[] copy = guestBytes.clone();
    ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(0, signo);
    return new SigInfo(copy);
  }

  private ByteBuffer view() {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  public int signo() {
    return view().getInt(0);
  }

  public int code() {
    return view().getInt(8);
  }

  /** si_pid (KILL, RT and CHLD layouts). */
  public int pid() {
    return view().getInt(16);
  }

  public int uid() {
    return view().getInt(20);
  }

  /** si_status (CHLD). */
  public int status() {
    return view().getInt(24);
  }

  /** si_addr (FAULT). */
  public long addr() {
    return view().getLong(16);
  }

  /** The 128 bytes of siginfo_t, to copy to the guest. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Which union member the bytes hold, as Linux's siginfo_layout decides. */
  public Layout layout() {
    int signo = signo();
    int code = code();
    if (code > SI_USER && code < SI_KERNEL) {
      switch (signo) {
        case Signals.SIGCHLD:
          return Layout.CHLD;
        case Signals.SIGSEGV:
        case Signals.SIGBUS:
        case Signals.SIGILL:
        case Signals.SIGFPE:
        case Signals.SIGTRAP:
          return Layout.FAULT;
        case Signals.SIGIO:
          return Layout.POLL;
        case Signals.SIGSYS:
          return Layout.SYS;
        default:
          return Layout.KILL;
      }
    }
    if (code == SI_TIMER) {
      return Layout.TIMER;
    }
    if (code == SI_SIGIO) {
      return Layout.POLL;
    }
    return code < 0 ? Layout.RT : Layout.KILL;
  }
}
