package dev.blinkchroot.runner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.blinkchroot.runner.it.NativePrograms.Build;
import dev.blinkchroot.runner.it.NativePrograms.Outcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The system-call test programs of examples/c, each built with glibc (dynamic) and musl (static
 * and dynamic), run natively and under blink-chroot: stdout, stderr and the exit status must be
 * the same bytes. The programs print only machine-independent results (see examples/c/t.h), including
 * every error case, so any difference is the emulated kernel's.
 */
class ProgramsIT {
  static final List<String> PROGRAMS =
      List.of("files", "dirs", "stat", "mem", "shared", "proc", "pipes", "poll", "efault");

  @TempDir Path tmp;

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (String program : PROGRAMS) {
      for (Build build : Build.values()) {
        all.add(Arguments.of(program, build));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void sameOutputAsNative(String program, Build build) {
    Path source = NativePrograms.examplesC().resolve(program + ".c");
    Path exe = NativePrograms.compile(build, source, NativePrograms.buildDir("examples"),
        program);

    // Each run gets a scratch directory that does not exist yet; the program makes it.
    Path nativeScratch = tmp.resolve("scratch");
    Outcome expected = NativePrograms.run(
        NativePrograms.nativeCommand(build, exe, List.of(nativeScratch.toString())), tmp,
        Map.of());
    String guestScratch = "/tmp/blink-it-" + program + "-" + build.suffix() + "-"
        + Long.toHexString(System.nanoTime());
    List<String> args = List.of(guestScratch);
    BlinkChroot.Result actual = NativePrograms.runGuest(build, exe, args);

    String context = NativePrograms.guestCommandLine(build, exe, args) + "\n"
        + NativePrograms.firstDifference(expected.stdout(), actual.stdout())
        + "blink-chroot's stderr:\n" + clip(actual.stderr())
        + "native stderr:\n" + clip(expected.stderr());
    assertEquals(expected.stdout(), actual.stdout(), "stdout\n" + context);
    assertEquals(expected.status(), actual.status(), "exit status\n" + context);
    // Natively the programs write nothing on stderr: anything there under blink-chroot (an
    // unsupported-call notice, a crash report) is a difference even when stdout matched.
    assertEquals(expected.stderr(), actual.stderr(), "stderr\n" + context);
  }

  static String clip(String s) {
    return s.length() <= 4000 ? s : s.substring(0, 4000) + "...\n";
  }
}
