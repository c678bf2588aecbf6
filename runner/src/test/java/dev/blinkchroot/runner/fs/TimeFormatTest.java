package dev.blinkchroot.runner.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimeFormatTest {
  private static final long SECOND = 1_000_000_000L;
  /** 2024-09-06 11:34:05 UTC, the mtime of most of Alpine 3.20.3's minirootfs. */
  private static final long ALPINE_MTIME = 1725622445L * SECOND;
  private static final ZoneId UTC = ZoneOffset.UTC;

  @Test
  void ls_olderThanSixMonths_showsTheYear() {
    long now = ALPINE_MTIME + 365L * 86400 * SECOND;
    assertEquals("Sep  6  2024", TimeFormat.ls(ALPINE_MTIME, now, UTC));
  }

  @Test
  void ls_recent_showsTheTime() {
    long now = ALPINE_MTIME + 86400 * SECOND;
    assertEquals("Sep  6 11:34", TimeFormat.ls(ALPINE_MTIME, now, UTC));
  }

  @Test
  void ls_justInsideSixMonths_isRecent_justOutsideIsNot() {
    long halfYear = 31556952L / 2 * SECOND;
    assertEquals("Sep  6 11:34", TimeFormat.ls(ALPINE_MTIME, ALPINE_MTIME + halfYear - 1, UTC));
    assertEquals("Sep  6  2024", TimeFormat.ls(ALPINE_MTIME, ALPINE_MTIME + halfYear, UTC));
  }

  @Test
  void ls_inTheFuture_showsTheYear() {
    assertEquals("Sep  6  2024", TimeFormat.ls(ALPINE_MTIME, ALPINE_MTIME - SECOND, UTC));
  }

  @Test
  void ls_twoDigitDay_isNotPadded() {
    long sep16 = ALPINE_MTIME + 10L * 86400 * SECOND;
    assertEquals("Sep 16  2024", TimeFormat.ls(sep16, sep16 + 365L * 86400 * SECOND, UTC));
  }

  @Test
  void ls_usesTheZone() {
    long now = ALPINE_MTIME + 86400 * SECOND;
    assertEquals("Sep  6 13:34", TimeFormat.ls(ALPINE_MTIME, now, ZoneId.of("Europe/Berlin")));
  }

  @Test
  void stat_showsNanosecondsAndOffset() {
    assertEquals("2024-09-06 11:34:05.000000000 +0000", TimeFormat.stat(ALPINE_MTIME, UTC));
    assertEquals("2026-11-21 07:46:08.906258277 +0000",
        TimeFormat.stat(1795247168L * SECOND + 906258277L, UTC));
  }

  @Test
  void stat_negativeOffset() {
    assertEquals("2024-09-06 07:34:05.000000001 -0400",
        TimeFormat.stat(ALPINE_MTIME + 1, ZoneId.of("America/New_York")));
  }

  @Test
  void stat_beforeTheEpoch() {
    assertEquals("1969-12-31 23:59:59.500000000 +0000", TimeFormat.stat(-SECOND / 2, UTC));
  }
}
