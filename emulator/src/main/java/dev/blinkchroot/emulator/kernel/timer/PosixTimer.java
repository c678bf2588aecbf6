package dev.blinkchroot.emulator.kernel.timer;

import dev.blinkchroot.emulator.kernel.signal.SigInfo;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.SignalSender;
import dev.blinkchroot.emulator.kernel.task.Task;
import java.util.function.Function;

/**
 * One POSIX timer (timer_create(2)) of a process: its id, how it notifies (a signal to the
 * process, to one of its threads, or nothing), and its overrun count.
 *
 * <p>Overruns, as timer_getoverrun(2) describes them: "only a single signal is queued to the
 * process for a given timer at any point in time. When a timer whose signal is still pending
 * expires, no signal is queued, and a timer overrun occurs." The signal queued last is kept; while
 * it is pending, expirations add to its si_overrun; once taken, its count is the one
 * timer_getoverrun reports ("the overrun count for the last timer expiration"). All of it under
 * the process's signal lock, which is also the lock under which signals are taken.
 */
public final class PosixTimer {
  public static final int SIGEV_SIGNAL = 0;
  public static final int SIGEV_NONE = 1;
  public static final int SIGEV_THREAD = 2;
  public static final int SIGEV_THREAD_ID = 4;

  private final int id;
  private final GuestProcess process;
  /** The thread SIGEV_THREAD_ID names; null for a process-directed signal. */
  private final Task thread;
  private final int notify;
  private final int signo;
  private final long value;
  private final IntervalTimer timer;
  /** The last signal queued (under the signal lock), and the overrun of the last one taken. */
  private SigInfo queued;
  private int overrunLast;
  private boolean deleted;

  /**
   * A timer whose expirations notify as {@code notify} says with signal {@code signo} and
   * si_value {@code value}; {@code makeTimer} builds its clock's timer around the listener.
   */
  PosixTimer(int id, GuestProcess process, Task thread, int notify, int signo, long value,
      Function<IntervalTimer.Listener, IntervalTimer> makeTimer) {
    this.id = id;
    this.process = process;
    this.thread = thread;
    this.notify = notify;
    this.signo = signo;
    this.value = value;
    this.timer = makeTimer.apply(this::expired);
  }

  public int id() {
    return id;
  }

  /** The timer's clock and setting. */
  public IntervalTimer timer() {
    return timer;
  }

  /**
   * timer_settime: a new setting forgets the overruns counted so far. Returns the old setting.
   */
  public IntervalTimer.Setting set(long value, long interval, boolean absolute) {
    synchronized (process.signalActions()) {
      overrunLast = 0;
      if (queued != null && !pending(queued)) {
        queued = null; // taken before the new setting: its count is history
      }
    }
    return timer.set(value, interval, absolute);
  }

  /**
   * timer_getoverrun(2): the overrun count of the last expiration whose signal was taken; "If
   * the overrun count equals or exceeds DELAYTIMER_MAX, timer_getoverrun() returns
   * DELAYTIMER_MAX" (INT_MAX on Linux: {@link SigInfo#addOverrun} saturates there).
   */
  public int overrun() {
    synchronized (process.signalActions()) {
      if (queued != null && !pending(queued)) {
        overrunLast = queued.overrun();
        queued = null;
      }
      return overrunLast;
    }
  }

  /** timer_delete, exec or exit: the timer never expires again. A signal already queued stays. */
  void delete() {
    synchronized (process.signalActions()) {
      deleted = true;
    }
    timer.cancel();
  }

  private void expired(long count) {
    if (notify == SIGEV_NONE) {
      return;
    }
    SigInfo fresh;
    synchronized (process.signalActions()) {
      if (deleted) {
        return;
      }
      if (queued != null && pending(queued)) {
        queued.addOverrun(count);
        return;
      }
      if (queued != null) {
        overrunLast = queued.overrun();
      }
      fresh = SigInfo.timer(signo, id, 0, value);
      fresh.addOverrun(count - 1);
      queued = fresh;
    }
    if (thread != null) {
      SignalSender.sendToThread(thread, fresh, SignalSender.Origin.KERNEL);
    } else {
      SignalSender.sendToProcess(process, fresh, SignalSender.Origin.KERNEL);
    }
  }

  private boolean pending(SigInfo info) {
    return process.sharedPending().contains(info)
        || (thread != null && thread.pending().contains(info));
  }
}
