package dev.blinkchroot.runner.fs;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The time stamps of {@code ls -l} and {@code stat}, in the C locale, written out by hand:
 * DateTimeFormatter costs more start-up time than a whole {@code fs cat} should take.
 */
public final class TimeFormat {
  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };
  /** GNU ls: a time is recent if within half a Gregorian year (31556952 s / 2) before now. */
  private static final long SIX_MONTHS_SECONDS = 31556952L / 2;

  private TimeFormat() {}

  /**
   * {@code ls -l}'s "%b %e %H:%M" for a recent time, "%b %e  %Y" for one older than six months
   * or in the future.
   */
  public static String ls(long timeNs, long nowNs, ZoneId zone) {
    LocalDateTime t = local(timeNs, zone);
    boolean recent = timeNs > nowNs - SIX_MONTHS_SECONDS * 1_000_000_000L && timeNs < nowNs;
    StringBuilder s = new StringBuilder(12);
    s.append(MONTHS[t.getMonthValue() - 1]).append(' ');
    pad(s, t.getDayOfMonth(), 2, ' ');
    if (recent) {
      s.append(' ');
      pad(s, t.getHour(), 2, '0');
      s.append(':');
      pad(s, t.getMinute(), 2, '0');
    } else {
      s.append("  ").append(t.getYear());
    }
    return s.toString();
  }

  /** {@code stat}'s "%Y-%m-%d %H:%M:%S.%N %z", e.g. "2024-09-06 11:34:05.000000000 +0000". */
  public static String stat(long timeNs, ZoneId zone) {
    Instant instant = instant(timeNs);
    ZoneOffset offset = zone.getRules().getOffset(instant);
    LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(),
        offset);
    StringBuilder s = new StringBuilder(35);
    s.append(t.getYear()).append('-');
    pad(s, t.getMonthValue(), 2, '0');
    s.append('-');
    pad(s, t.getDayOfMonth(), 2, '0');
    s.append(' ');
    pad(s, t.getHour(), 2, '0');
    s.append(':');
    pad(s, t.getMinute(), 2, '0');
    s.append(':');
    pad(s, t.getSecond(), 2, '0');
    s.append('.');
    pad(s, t.getNano(), 9, '0');
    int offsetMinutes = offset.getTotalSeconds() / 60;
    s.append(offsetMinutes < 0 ? " -" : " +");
    pad(s, Math.abs(offsetMinutes) / 60, 2, '0');
    pad(s, Math.abs(offsetMinutes) % 60, 2, '0');
    return s.toString();
  }

  private static LocalDateTime local(long timeNs, ZoneId zone) {
    Instant instant = instant(timeNs);
    return LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(),
        zone.getRules().getOffset(instant));
  }

  private static Instant instant(long timeNs) {
    return Instant.ofEpochSecond(Math.floorDiv(timeNs, 1_000_000_000L),
        Math.floorMod(timeNs, 1_000_000_000L));
  }

  private static void pad(StringBuilder s, int value, int width, char fill) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      s.append(fill);
    }
    s.append(digits);
  }
}
