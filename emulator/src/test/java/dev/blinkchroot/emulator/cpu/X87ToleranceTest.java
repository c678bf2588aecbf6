package dev.blinkchroot.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class X87ToleranceTest {
  @Test
  void adjacent_acrossABinadeBoundary() {
    assertTrue(X87Tolerance.adjacent("3ffeffffffffffffffff", "3fff8000000000000000"));
    assertTrue(X87Tolerance.adjacent("bffeffffffffffffffff", "bfff8000000000000000"));
  }

  @Test
  void adjacent_betweenTheLargestDenormalAndTheSmallestNormal() {
    assertTrue(X87Tolerance.adjacent("00007fffffffffffffff", "00018000000000000000"));
    assertTrue(X87Tolerance.adjacent("00000000000000000000", "00000000000000000001"));
  }

  @Test
  void notAdjacent_twoUlpsApartOrOppositeSignsOrInfinities() {
    assertFalse(X87Tolerance.adjacent("3fff8000000000000000", "3fff8000000000000002"));
    assertFalse(X87Tolerance.adjacent("3fff8000000000000000", "bfff8000000000000000"));
    assertFalse(X87Tolerance.adjacent("7fff8000000000000000", "7ffeffffffffffffffff"));
  }

  @Test
  void compare_ignoresC1OfAnInexactResultOnly() {
    assertNull(X87Tolerance.compare("3fff8000000000000000 - 3a20 3fff",
        "3fff8000000000000000 - 3820 3fff"));
    assertNotNull(X87Tolerance.compare("3fff8000000000000000 - 3a00 3fff",
        "3fff8000000000000000 - 3800 3fff"));
  }

  @Test
  void compare_allowsTheTagAndUnderflowThatFollowFromAOneUlpTinyDifference() {
    assertNull(X87Tolerance.compare("00000000000000000001 - 3832 bfff",
        "00000000000000000000 - 3822 7fff"));
    assertNotNull(X87Tolerance.compare("3fff8000000000000000 - 3820 3fff",
        "3fff8000000000000001 - 3830 3fff"));
  }

  @Test
  void compare_failsOnOtherStatusBits() {
    assertNotNull(X87Tolerance.compare("3fff8000000000000000 - 3820 3fff",
        "3fff8000000000000000 - 3828 3fff"));
  }
}
