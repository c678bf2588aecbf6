package dev.blinkchroot.vfs;

import java.time.Instant;

/** The wall clock file times are stamped with, in nanoseconds since the epoch. */
public final class VfsClock {
  private VfsClock() {}

  public static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
