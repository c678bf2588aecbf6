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
 * The process programs of examples/c (fork, vfork, clone/clone3, wait4/waitid, orphans and
 * subreapers, sessions, descriptors across execve, pipes between processes, /proc of other
 * processes; see examples/README.md), each built with glibc (dynamic) and musl (static and
 * dynamic), run natively and under blink-chroot: stdout, stderr and the exit status must be the
 * same bytes.
 *
 * <p>The expected output is produced at test time by running the same binary natively, as
 * {@link ProgramsIT} does: {@code runner/target/it-programs/processes/NAME-BUILD SCRATCH} (the
 * musl dynamic build through the Alpine tarball's {@code /lib/ld-musl-x86_64.so.1}), with TZ=UTC,
 * LC_ALL=C and stdin closed. The programs print only relations and statuses (see
 * examples/c/procs.h), so that output does not depend on the machine: it was checked to be the
 * same over five runs of each build, as pid 1 of a fresh pid namespace and as a child there
 * ({@code unshare --pid --fork}), and as an unprivileged user.
 *
 * <p>Until the kernel has fork, these fail at the first fork: the guest prints {@code fork() =
 * -1 ENOSYS} where the native run went on, and blink-chroot names the call on stderr.
 */
class ProcessProgramsIT {
  static final List<String> PROGRAMS = List.of("fork", "vfork", "clone", "wait", "orphans",
      "sessions", "cloexec", "pipes_procs", "proc_other");

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
    Path exe = NativePrograms.compile(build, source, NativePrograms.buildDir("processes"),
        program);

    Path nativeScratch = tmp.resolve("scratch");
    Outcome expected = NativePrograms.run(
        NativePrograms.nativeCommand(build, exe, List.of(nativeScratch.toString())), tmp,
        Map.of());
    // The oracle itself must have run to its end: a host that refuses what the programs do
    // (no fork, a seccomp filter) is a broken fixture, not an expected output.
    assertEquals(0, expected.status(), "the native run failed: " + expected.stderr()
        + expected.stdout());
    String guestScratch = "/tmp/blink-it-" + program + "-" + build.suffix() + "-"
        + Long.toHexString(System.nanoTime());
    List<String> args = List.of(guestScratch);
    BlinkChroot.Result actual = NativePrograms.runGuest(build, exe, args);

    String context = NativePrograms.guestCommandLine(build, exe, args) + "\n"
        + NativePrograms.firstDifference(expected.stdout(), actual.stdout())
        + "blink-chroot's stderr:\n" + ProgramsIT.clip(actual.stderr())
        + "native stderr:\n" + ProgramsIT.clip(expected.stderr());
    assertEquals(expected.stdout(), actual.stdout(), "stdout\n" + context);
    assertEquals(expected.status(), actual.status(), "exit status\n" + context);
    assertEquals(expected.stderr(), actual.stderr(), "stderr\n" + context);
  }
}
