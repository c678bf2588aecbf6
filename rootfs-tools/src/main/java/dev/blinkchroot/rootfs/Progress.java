package dev.blinkchroot.rootfs;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * The "unpacking..." line on stderr: shown only when stderr is a terminal and only once an import
 * has run for a second (a fast import stays silent), redrawn in place with \r at most ten times a
 * second, and erased at the end so the guest's output starts on a clean line.
 */
final class Progress {
  static final long DELAY_NS = 1_000_000_000L;
  private static final long REDRAW_NS = 100_000_000L;
  private static final Progress NONE = new Progress(null, null, () -> 0L);

  private final String name;
  private final PrintStream out;
  private final LongSupplier clock;
  private final long start;
  private long lastDraw = Long.MIN_VALUE;
  private int drawnLength;

  Progress(String name, PrintStream out, LongSupplier clock) {
    this.name = name;
    this.out = out;
    this.clock = clock;
    this.start = clock.getAsLong();
  }

  /** A progress line on System.err when {@code enabled}, otherwise nothing. */
  static Progress forTerminal(boolean enabled, String name) {
    return enabled ? new Progress(name, System.err, System::nanoTime) : NONE;
  }

  static Progress none() {
    return NONE;
  }

  /** Reports {@code done} of {@code total} input bytes after {@code entries} entries. */
  void update(long done, long total, int entries) {
    if (out == null) {
      return;
    }
    long now = clock.getAsLong();
    if (now - start < DELAY_NS || (lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NS)) {
      return;
    }
    lastDraw = now;
    int percent = total <= 0 ? 0 : (int) Math.min(100, done * 100 / total);
    String line = "blink-chroot: unpacking " + name + ": " + percent + "% (" + entries
        + " entries)";
    StringBuilder sb = new StringBuilder("\r").append(line);
    for (int i = line.length(); i < drawnLength; i++) {
      sb.append(' '); // cover a longer previous line
    }
    drawnLength = Math.max(drawnLength, line.length());
    out.print(sb);
    out.flush();
  }

  /** Erases the line if one was drawn. Safe to call more than once. */
  void finish() {
    if (out == null || drawnLength == 0) {
      return;
    }
    out.print("\r" + " ".repeat(drawnLength) + "\r");
    out.flush();
    drawnLength = 0;
  }
}
