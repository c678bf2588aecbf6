package dev.blinkchroot.runner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * C programs built at test time and run twice, natively and under blink-chroot, so that the
 * expected output is always what the host's own Linux gives. The three builds are those a user
 * meets: glibc dynamic (run on ROOTFS "/", the host root, by its host path), and musl static and
 * dynamic (run in the Alpine image, shown to the guest read-only at /t; the dynamic one uses the
 * image's own /lib/ld-musl-x86_64.so.1). A missing compiler is a failure naming the Debian package
 * that provides it (.ci/run installs both), never a skip.
 */
final class NativePrograms {
  /** Where the guest sees the directory holding the musl builds. */
  static final String GUEST_BIN = "/t";

  private NativePrograms() {}

  enum Build {
    GLIBC_DYNAMIC("gcc", "gcc", List.of()),
    MUSL_STATIC("musl-gcc", "musl-tools", List.of("-static")),
    MUSL_DYNAMIC("musl-gcc", "musl-tools", List.of());

    final String compiler;
    final String debianPackage;
    final List<String> flags;

    Build(String compiler, String debianPackage, List<String> flags) {
      this.compiler = compiler;
      this.debianPackage = debianPackage;
      this.flags = flags;
    }

    /** musl builds run in the Alpine image; the glibc build on the host's root. */
    boolean runsInAlpine() {
      return this != GLIBC_DYNAMIC;
    }

    String suffix() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /** What a process did: its status and its output streams. */
  record Outcome(int status, byte[] stdoutBytes, String stderr) {
    String stdout() {
      return new String(stdoutBytes, StandardCharsets.UTF_8);
    }
  }

  /** The repository's top directory (failsafe runs in the runner module's directory). */
  static Path repository() {
    Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
        .toAbsolutePath().normalize();
    return module.getParent();
  }

  /** examples/c of this repository. */
  static Path examplesC() {
    Path dir = repository().resolve("examples").resolve("c");
    if (!Files.isDirectory(dir)) {
      fail("examples/c is missing at " + dir);
    }
    return dir;
  }

  /** The shared assets directory: ${blinkchroot.shared}, else the Alpine tarball's grandparent. */
  static Path shared() {
    String configured = System.getProperty("blinkchroot.shared");
    if (configured != null) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    return BlinkChroot.alpine().toAbsolutePath().getParent().getParent();
  }

  /**
   * A directory for the builds under target/ (not under /tmp: the guest's /tmp is its own, and
   * the glibc builds are run on ROOTFS "/" by their host path).
   */
  static Path buildDir(String name) {
    Path dir = repository().resolve("runner").resolve("target").resolve("it-programs")
        .resolve(name);
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compiles SOURCE into DIR/NAME-BUILD with -O1 (and -lm), failing with the compiler's output. */
  static Path compile(Build build, Path source, Path dir, String name) {
    Path out = dir.resolve(name + "-" + build.suffix());
    List<String> command = new ArrayList<>();
    command.add(build.compiler);
    command.addAll(build.flags);
    command.addAll(List.of("-O1", "-o", out.toString(), source.toString(), "-lm"));
    Outcome r;
    try {
      r = run(command, source.getParent(), Map.of());
    } catch (UncheckedIOException e) {
      return fail("cannot run " + build.compiler + " (install the Debian package "
          + build.debianPackage + ", as .ci/run does): " + e.getCause().getMessage());
    }
    if (r.status() != 0) {
      fail(String.join(" ", command) + " failed with status " + r.status() + ":\n" + r.stdout()
          + r.stderr());
    }
    return out;
  }

  /**
   * The command that runs EXE natively as the guest will run it. A musl dynamic build runs
   * through the image's own loader (Alpine's musl 1.2.5, extracted from the tarball), not the
   * host's (Debian's musl-tools may be older): under blink-chroot it gets Alpine's libc, and libc
   * versions differ in their wrappers (dup3 flags, for one), which is not what these tests
   * compare.
   */
  static List<String> nativeCommand(Build build, Path exe, List<String> args) {
    List<String> command = new ArrayList<>();
    if (build == Build.MUSL_DYNAMIC) {
      command.add(alpineLoader().toString());
    }
    command.add(exe.toString());
    command.addAll(args);
    return command;
  }

  private static Path alpineLoader;

  /** /lib/ld-musl-x86_64.so.1 of the Alpine tarball, extracted once under target/. */
  static synchronized Path alpineLoader() {
    if (alpineLoader == null) {
      Path dir = buildDir("alpine-loader");
      Path loader = dir.resolve("lib").resolve("ld-musl-x86_64.so.1");
      if (!Files.isExecutable(loader)) {
        Outcome r = run(List.of("tar", "xzf", BlinkChroot.alpineArg(), "-C", dir.toString(),
            "./lib/ld-musl-x86_64.so.1"), dir, Map.of());
        if (r.status() != 0 || !Files.isExecutable(loader)) {
          fail("cannot extract /lib/ld-musl-x86_64.so.1 from " + BlinkChroot.alpineArg() + ": "
              + r.stderr());
        }
      }
      alpineLoader = loader;
    }
    return alpineLoader;
  }

  /** Runs a host command with TZ=UTC and LC_ALL=C, stdin closed. */
  static Outcome run(List<String> command, Path cwd, Map<String, String> env) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().put("TZ", "UTC");
    pb.environment().put("LC_ALL", "C");
    pb.environment().putAll(env);
    HostProcess.Captured c = HostProcess.run(pb);
    return new Outcome(c.status(), c.stdout(), c.stderr());
  }

  /** The test JVM's user and group, "UID:GID": the guest runs as the same ids as the native run. */
  static String hostIds() {
    try {
      Path probe = Files.createTempFile("blink-it-ids", "");
      try {
        return Files.getAttribute(probe, "unix:uid") + ":" + Files.getAttribute(probe, "unix:gid");
      } finally {
        Files.delete(probe);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs EXE with ARGS under blink-chroot as the build requires: musl builds in the Alpine image
   * with EXE's directory bound read-only at /t, the glibc build on ROOTFS "/" by its host path.
   */
  static BlinkChroot.Result runGuest(Build build, Path exe, List<String> args) {
    List<String> command = new ArrayList<>(List.of("-u", hostIds()));
    if (build.runsInAlpine()) {
      command.addAll(List.of("--bind", exe.getParent() + ":" + GUEST_BIN + ":ro",
          BlinkChroot.alpineArg(), GUEST_BIN + "/" + exe.getFileName()));
    } else {
      command.addAll(List.of("/", exe.toString()));
    }
    command.addAll(args);
    return BlinkChroot.run(command.toArray(new String[0]));
  }

  /** The command line runGuest uses, for messages (the reader can paste it). */
  static String guestCommandLine(Build build, Path exe, List<String> args) {
    StringBuilder sb = new StringBuilder("runner/target/blink-chroot -u " + hostIds() + " ");
    if (build.runsInAlpine()) {
      sb.append("--bind ").append(exe.getParent()).append(':').append(GUEST_BIN).append(":ro ")
          .append(BlinkChroot.alpineArg()).append(' ').append(GUEST_BIN).append('/')
          .append(exe.getFileName());
    } else {
      sb.append("/ ").append(exe);
    }
    for (String a : args) {
      sb.append(' ').append(a);
    }
    return sb.toString();
  }

  /**
   * Where two outputs first differ, with a few lines of context from each: far easier to read
   * than two whole program outputs side by side.
   */
  static String firstDifference(String expected, String actual) {
    String[] e = expected.split("\n", -1);
    String[] a = actual.split("\n", -1);
    int i = 0;
    while (i < e.length && i < a.length && e[i].equals(a[i])) {
      i++;
    }
    if (i == e.length && i == a.length) {
      return "identical";
    }
    StringBuilder sb = new StringBuilder("first difference at line " + (i + 1) + ":\n");
    int from = Math.max(0, i - 3);
    sb.append("--- native\n");
    for (int k = from; k < Math.min(e.length, i + 4); k++) {
      sb.append(k == i ? "> " : "  ").append(e[k]).append('\n');
    }
    sb.append("+++ blink-chroot\n");
    for (int k = from; k < Math.min(a.length, i + 4); k++) {
      sb.append(k == i ? "> " : "  ").append(a[k]).append('\n');
    }
    if (i >= a.length) {
      sb.append("  (blink-chroot's output ends here)\n");
    }
    return sb.toString();
  }

  /** Every program of {@code programs} in every build, for a parameterized test. */
  static Stream<Arguments> everyBuildOf(List<String> programs) {
    List<Arguments> all = new ArrayList<>();
    for (String program : programs) {
      for (Build build : Build.values()) {
        all.add(Arguments.of(program, build));
      }
    }
    return all.stream();
  }

  /**
   * Builds examples/c/PROGRAM.c as {@code build} (into the build directory {@code group}), runs it
   * natively and under blink-chroot, each with a scratch directory of its own as its argument,
   * and asserts the same stdout, exit status and stderr. The native run must succeed: a host
   * that refuses what the program does is a broken fixture, not an expected output.
   */
  static void assertSameAsNative(String group, String program, Build build, Path tmp) {
    Path source = examplesC().resolve(program + ".c");
    Path exe = compile(build, source, buildDir(group), program);
    Outcome expected = run(nativeCommand(build, exe, List.of(tmp.resolve("scratch").toString())),
        tmp, Map.of());
    assertEquals(0, expected.status(), "the native run failed: " + expected.stderr()
        + expected.stdout());
    String guestScratch = "/tmp/blink-it-" + program + "-" + build.suffix() + "-"
        + Long.toHexString(System.nanoTime());
    List<String> args = List.of(guestScratch);
    BlinkChroot.Result actual = runGuest(build, exe, args);
    String context = guestCommandLine(build, exe, args) + "\n"
        + firstDifference(expected.stdout(), actual.stdout())
        + "blink-chroot's stderr:\n" + ProgramsIT.clip(actual.stderr())
        + "native stderr:\n" + ProgramsIT.clip(expected.stderr());
    assertEquals(expected.stdout(), actual.stdout(), "stdout\n" + context);
    assertEquals(expected.status(), actual.status(), "exit status\n" + context);
    assertEquals(expected.stderr(), actual.stderr(), "stderr\n" + context);
  }
}
