package dev.blinkchroot.runner.it;

import dev.blinkchroot.runner.it.NativePrograms.Build;
import java.nio.file.Path;
import java.util.List;
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
 */
class ProcessProgramsIT {
  static final List<String> PROGRAMS = List.of("fork", "vfork", "clone", "wait", "orphans",
      "sessions", "cloexec", "pipes_procs", "proc_other");

  @TempDir Path tmp;

  static Stream<Arguments> cases() {
    return NativePrograms.everyBuildOf(PROGRAMS);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void sameOutputAsNative(String program, Build build) {
    NativePrograms.assertSameAsNative("processes", program, build, tmp);
  }
}
