package dev.blinkchroot.emulator.difftest;

import dev.blinkchroot.emulator.cpu.Cpuid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the host CPU can be the reference for results the architecture leaves to the
 * implementation. The emulator models one CPU (an Intel Xeon, {@link Cpuid#MODEL}); a host of
 * another vendor computes some instructions differently (RCPPS tables, DPPS summation order,
 * x87 transcendental rounding, XSAVE's XSTATE_BV), so for those the differential tests compare
 * with the host only when the vendors match, and otherwise check the same instruction forms
 * against the recorded Intel results ({@link CpuReference}), saying so in their output.
 *
 * <p>{@code -Ddifftest.hostVendor=NAME} overrides what /proc/cpuinfo says, so that either path
 * can be forced on any machine (e.g. {@code AuthenticAMD} on an Intel host runs the
 * reference path there).
 */
public final class HostVendor {
  private static String host;

  private HostVendor() {}

  /** The host CPU's vendor string, as CPUID leaf 0 gives it ("GenuineIntel", "AuthenticAMD"). */
  public static synchronized String host() {
    if (host == null) {
      String forced = System.getProperty("difftest.hostVendor");
      host = forced != null && !forced.isEmpty() ? forced : fromCpuinfo();
    }
    return host;
  }

  /** The vendor string the emulator reports. */
  public static String emulated() {
    int[] r = Cpuid.query(0, 0);
    byte[] b = new byte[12];
    int[] order = {r[1], r[3], r[2]};
    for (int i = 0; i < 12; i++) {
      b[i] = (byte) (order[i / 4] >>> 8 * (i % 4));
    }
    return new String(b, StandardCharsets.US_ASCII);
  }

  /** True when the host can be the reference for implementation-specific results. */
  public static boolean matchesEmulatedModel() {
    return host().equals(emulated());
  }

  /** Says in the test output that {@code what} is checked against the recording instead. */
  public static void noteReferencePath(String what) {
    System.out.println(what + ": the host is " + host() + ", not the emulated " + emulated()
        + "; checked against the recorded Intel results instead of the host");
  }

  private static String fromCpuinfo() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("vendor_id")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("/proc/cpuinfo names no vendor_id");
  }
}
