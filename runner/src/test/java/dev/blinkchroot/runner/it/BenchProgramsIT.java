package dev.blinkchroot.runner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.blinkchroot.runner.it.NativePrograms.Build;
import dev.blinkchroot.runner.it.NativePrograms.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The benchmark programs of the shared bench/ directory (integer, SHA-256, double-precision
 * SSE2, malloc and function pointers, x87 long double), with small arguments so the test stays
 * fast, built static and dynamic with musl (run in the Alpine image) and with glibc (run on
 * ROOTFS "/"): stdout and the exit status must be native's.
 */
class BenchProgramsIT {
  /** Program and its (small) argument; ldbl takes none. */
  static final List<List<String>> PROGRAMS = List.of(
      List.of("primes", "20000"),
      List.of("sha", "1"),
      List.of("nbody", "2000"),
      List.of("sortbench", "5000"),
      List.of("ldbl"));

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (List<String> program : PROGRAMS) {
      for (Build build : Build.values()) {
        all.add(Arguments.of(program.get(0), program.subList(1, program.size()), build));
      }
    }
    return all.stream();
  }

  static Path bench() {
    Path dir = NativePrograms.shared().resolve("bench");
    if (!Files.isRegularFile(dir.resolve("primes.c"))) {
      fail("the benchmark sources are missing at " + dir
          + ": the shared directory (../shared beside the repository) must hold bench/");
    }
    return dir;
  }

  static Outcome nativeRun(Build build, Path exe, List<String> args) {
    return NativePrograms.run(NativePrograms.nativeCommand(build, exe, args), exe.getParent(),
        Map.of());
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void sameOutputAsNative(String program, List<String> args, Build build) {
    Path exe = NativePrograms.compile(build, bench().resolve(program + ".c"),
        NativePrograms.buildDir("bench"), program);
    Outcome expected = nativeRun(build, exe, args);
    assertEquals(0, expected.status(), "native " + exe + " failed: " + expected.stderr());
    BlinkChroot.Result actual = NativePrograms.runGuest(build, exe, args);
    String context = NativePrograms.guestCommandLine(build, exe, args) + "\n"
        + NativePrograms.firstDifference(expected.stdout(), actual.stdout())
        + "blink-chroot's stderr:\n" + ProgramsIT.clip(actual.stderr());
    assertEquals(expected.stdout(), actual.stdout(), "stdout\n" + context);
    assertEquals(expected.status(), actual.status(), "exit status\n" + context);
  }

  /**
   * The native ldbl output is the one bench/README.md quotes (80-bit long double), so the
   * comparison above really checks extended precision, not a truncation to double that a
   * differently built host might share.
   */
  @Test
  void ldbl_nativeOutputIsTheReadmes80BitResult() throws IOException {
    Path exe = NativePrograms.compile(Build.MUSL_STATIC, bench().resolve("ldbl.c"),
        NativePrograms.buildDir("bench"), "ldbl");
    String out = nativeRun(Build.MUSL_STATIC, exe, List.of()).stdout();
    String readme = Files.readString(bench().resolve("README.md"));
    int at = readme.indexOf("`ldbl.c` prints, natively on x86-64:");
    assertTrue(at >= 0, "bench/README.md no longer quotes ldbl's output");
    StringBuilder quoted = new StringBuilder();
    boolean started = false;
    for (String line : readme.substring(at).split("\n", -1)) {
      if (line.startsWith("    ")) {
        quoted.append(line.substring(4)).append('\n');
        started = true;
      } else if (started && !line.isBlank()) {
        break;
      }
    }
    assertEquals(quoted.toString(), out);
  }
}
