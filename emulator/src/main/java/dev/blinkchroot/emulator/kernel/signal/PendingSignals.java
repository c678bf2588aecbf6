package dev.blinkchroot.emulator.kernel.signal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Signals generated and not yet delivered: one set per thread (tkill, faults) and one per
 * process (kill). A standard signal is pending at most once, its later instances merged into
 * the first; real-time signals queue every instance, in order (signal(7), "Queueing and delivery
 * semantics for standard signals"; "Real-time signals"). Guarded by the process's {@link
 * SignalActions} lock; {@link #bits()} may be read without it, as a hint.
 */
public final class PendingSignals {
  private final List<SigInfo> queue = new ArrayList<>();
  private volatile long bits;

  /** The set of pending signal numbers (bit N-1 for signal N). */
  public long bits() {
    return bits;
  }

  public boolean has(int signal) {
    return (bits & Signals.bit(signal)) != 0;
  }

  /**
   * Adds {@code info} unless it is a standard signal already pending.
   *
   * @return false if it was merged into the pending instance
   */
  public boolean add(SigInfo info) {
    int signo = info.signo();
    if (!Signals.realtime(signo) && has(signo)) {
      return false;
    }
    queue.add(info);
    bits |= Signals.bit(signo);
    return true;
  }

  /** Puts a signal first (a fault, which must be the next delivered). */
  public void addFirst(SigInfo info) {
    queue.add(0, info);
    bits |= Signals.bit(info.signo());
  }

  /**
   * Takes the signal to deliver next among {@code allowed}: the synchronous signals first, then
   * the lowest number, the oldest instance of it; null if none is pending.
   */
  public SigInfo take(long allowed) {
    long ready = bits & allowed;
    if (ready == 0) {
      return null;
    }
    long sync = ready & Signals.SYNCHRONOUS_MASK;
    int signo = Long.numberOfTrailingZeros(sync != 0 ? sync : ready) + 1;
    return take(signo);
  }

  /** Takes the oldest instance of {@code signo}, or null. */
  public SigInfo take(int signo) {
    SigInfo found = null;
    boolean more = false;
    for (Iterator<SigInfo> it = queue.iterator(); it.hasNext(); ) {
      SigInfo s = it.next();
      if (s.signo() != signo) {
        continue;
      }
      if (found == null) {
        found = s;
        it.remove();
      } else {
        more = true;
        break;
      }
    }
    if (!more) {
      bits &= ~Signals.bit(signo);
    }
    return found;
  }

  /** Whether this very instance is still pending (a POSIX timer's, for its overrun count). */
  public boolean contains(SigInfo info) {
    for (SigInfo s : queue) {
      if (s == info) {
        return true;
      }
    }
    return false;
  }

  /** Discards every pending instance of the signals in {@code set}. */
  public void discard(long set) {
    if ((bits & set) == 0) {
      return;
    }
    queue.removeIf(s -> (set & Signals.bit(s.signo())) != 0);
    bits &= ~set;
  }

  /** How many instances are queued (for RLIMIT_SIGPENDING and /proc's SigQ). */
  public int size() {
    return queue.size();
  }
}
