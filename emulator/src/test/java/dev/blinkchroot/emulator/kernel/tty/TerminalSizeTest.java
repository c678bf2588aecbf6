package dev.blinkchroot.emulator.kernel.tty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalSizeTest {
  @Test
  void launcherMeasurement_wins() {
    assertArrayEquals(new int[] {50, 132},
        Terminal.hostSize(Map.of("BLINK_CHROOT_TTY_SIZE", "50 132", "LINES", "10", "COLUMNS", "20")));
  }

  @Test
  void sttyOutputWithNewline_isAccepted() {
    assertArrayEquals(new int[] {40, 100},
        Terminal.hostSize(Map.of("BLINK_CHROOT_TTY_SIZE", "40 100\n")));
  }

  @Test
  void withoutMeasurement_linesAndColumnsAreUsed() {
    assertArrayEquals(new int[] {30, 90}, Terminal.hostSize(Map.of("LINES", "30", "COLUMNS", "90")));
  }

  @Test
  void garbageOrZeroOrTooLarge_fallsBackTo24By80() {
    assertArrayEquals(new int[] {24, 80},
        Terminal.hostSize(Map.of("BLINK_CHROOT_TTY_SIZE", "0 0", "LINES", "x", "COLUMNS", "70000")));
    assertArrayEquals(new int[] {24, 80}, Terminal.hostSize(Map.of("BLINK_CHROOT_TTY_SIZE", "12")));
    assertArrayEquals(new int[] {24, 80}, Terminal.hostSize(Map.of()));
  }
}
