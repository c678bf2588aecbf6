package dev.blinkchroot.runner;

import dev.blinkchroot.emulator.kernel.Kernel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While the guest runs, the signals blink-chroot itself receives are the guest's: each is passed
 * to its pid 1 (as docker run --init passes them to the container's program), which a program
 * without a handler dies of. blink-chroot therefore never ends before its guest was told, and its
 * store is written as the run ends normally. SIGTERM is also a deadline: if the guest has not
 * ended {@link #GRACE_MILLIS} later, or a second SIGTERM comes, every guest process is killed
 * (SIGKILL), as docker stop does, and blink-chroot exits 143 as if SIGTERM had ended it.
 *
 * <p>SIGQUIT stays the JVM's (a thread dump): a JVM started with -Xrs would give it up, but
 * would then keep SIGINT and SIGTERM from us. A signal the platform refuses to hand over
 * (Windows has only INT and TERM) keeps its default behaviour.
 */
final class HostSignals implements AutoCloseable {
  /** How long the guest has to end after SIGTERM (docker stop's default). */
  static final long GRACE_MILLIS = 10_000;
  private static final String[] NAMES = {"HUP", "INT", "USR1", "USR2", "TERM", "WINCH"};
  private static final int[] NUMBERS = {1, 2, 10, 12, 15, 28};
  private static final int SIGTERM = 15;

  private final Kernel kernel;
  private final PrintStream diagnostics;
  private final List<Signal> installed = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();
  private int terms;
  private boolean killedAll;
  private Thread deadline;
  private boolean closed;

  private HostSignals(Kernel kernel, PrintStream diagnostics) {
    this.kernel = kernel;
    this.diagnostics = diagnostics;
  }

  /** Starts passing the host's signals to {@code kernel}'s guest until {@link #close}. */
  static HostSignals forward(Kernel kernel, PrintStream diagnostics) {
    HostSignals h = new HostSignals(kernel, diagnostics);
    for (int i = 0; i < NAMES.length; i++) {
      int number = NUMBERS[i];
      try {
        Signal s = new Signal(NAMES[i]);
        h.previous.add(Signal.handle(s, sig -> h.received(number)));
        h.installed.add(s);
      } catch (IllegalArgumentException | UnsupportedOperationException notHere) {
        // The JVM or the platform keeps this one.
      }
    }
    return h;
  }

  private synchronized void received(int number) {
    if (closed) {
      return;
    }
    if (number != SIGTERM) {
      kernel.hostSignal(number);
      return;
    }
    terms++;
    if (terms > 1) {
      killAll("a second SIGTERM");
      return;
    }
    kernel.hostSignal(number);
    deadline = new Thread(() -> {
      try {
        Thread.sleep(GRACE_MILLIS);
      } catch (InterruptedException ended) {
        return;
      }
      killAll("the guest did not end " + GRACE_MILLIS / 1000 + " s after SIGTERM");
    }, "sigterm-deadline");
    deadline.setDaemon(true);
    deadline.start();
  }

  private synchronized void killAll(String why) {
    if (closed) {
      return;
    }
    diagnostics.println("blink-chroot: " + why + ": killing every guest process");
    killedAll = true;
    kernel.killAll();
  }

  /**
   * blink-chroot's exit status for a guest that ended with {@code guestStatus}: 128 + SIGTERM
   * when the guest was killed because it outlived a SIGTERM (the host asked us to terminate, and
   * the SIGKILL was ours), else the guest's.
   */
  synchronized int exitStatus(int guestStatus) {
    return killedAll ? 128 + SIGTERM : guestStatus;
  }

  /** The run is over: the signals get their previous handlers back. */
  @Override
  public synchronized void close() {
    closed = true;
    if (deadline != null) {
      deadline.interrupt();
    }
    for (int i = 0; i < installed.size(); i++) {
      Signal.handle(installed.get(i), previous.get(i));
    }
  }
}
