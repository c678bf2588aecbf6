package dev.blinkchroot.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main form running real programs in-process over the Alpine minirootfs: busybox from the
 * image, and musl programs built at test time (dynamic ones run through the image's own
 * /lib/ld-musl-x86_64.so.1), shown to the guest through a read-only bind. A missing tarball or
 * musl-gcc fails the tests (.ci/run provides both); they never skip.
 */
class GuestRunTest {
  static final String ALPINE_NAME = "alpine-minirootfs-3.20.3-x86_64.tar.gz";

  @TempDir
  static Path tmp;
  static Path programs;
  static Path cache;

  private record Result(int status, String out, String err) {}

  @BeforeAll
  static void buildPrograms() throws IOException {
    GuestRun.stdioThroughContext = true;
    programs = Files.createDirectories(tmp.resolve("programs"));
    cache = Files.createDirectories(tmp.resolve("cache"));
    for (String name : List.of("check", "hello")) {
      Path src = programs.resolve(name + ".c");
      try (InputStream in = GuestRunTest.class.getResourceAsStream("programs/" + name + ".c")) {
        Files.write(src, in.readAllBytes());
      }
      compile("musl-gcc", "-O1", "-o", programs.resolve(name).toString(), src.toString());
      compile("musl-gcc", "-O1", "-static", "-o", programs.resolve(name + "-static").toString(),
          src.toString());
    }
  }

  private static void compile(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        fail(String.join(" ", command) + " failed: " + output);
      }
    } catch (IOException e) {
      fail("cannot run " + command[0] + " (install musl-tools): " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted");
    }
  }

  static Path alpine() {
    String env = System.getenv("BLINK_CHROOT_ALPINE");
    Path p;
    if (env != null && !env.isEmpty()) {
      p = Path.of(env);
    } else {
      String shared = System.getProperty("blinkchroot.shared");
      if (shared == null) {
        return fail("set BLINK_CHROOT_ALPINE or the system property blinkchroot.shared");
      }
      p = Path.of(shared, "rootfs", ALPINE_NAME);
    }
    if (!Files.isRegularFile(p)) {
      return fail("the Alpine tarball is missing at " + p + " (set BLINK_CHROOT_ALPINE)");
    }
    return p;
  }

  /** blink-chroot [options] --cache-dir CACHE -v PROGRAMS:/t:ro ALPINE command... */
  private static Result run(List<String> options, String... command) {
    return run(Map.of("TERM", "vt100"), options, command);
  }

  private static Result run(String... command) {
    return run(List.of(), command);
  }

  /** The same, with BLINK_CHROOT_JIT set to {@code jitMode} in the host environment. */
  private static Result runWithJit(String jitMode, List<String> options, String... command) {
    return run(Map.of("TERM", "vt100", "BLINK_CHROOT_JIT", jitMode), options, command);
  }

  private static Result run(Map<String, String> hostEnv, List<String> options,
      String... command) {
    List<String> args = new ArrayList<>(options);
    args.addAll(List.of("--cache-dir", cache.toString(), "-v", programs + ":/t:ro",
        alpine().toString()));
    args.addAll(List.of(command));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args.toArray(new String[0]), out,
        new PrintStream(err, true, StandardCharsets.UTF_8), hostEnv);
    return new Result(status, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  private static void assertStatus(int expected, Result r) {
    assertEquals(expected, r.status(), "stderr: " + r.err());
  }

  @Test
  void busybox_fromTheImage_exitStatusPassesThrough() {
    assertStatus(0, run("/bin/busybox", "true"));
    assertStatus(1, run("/bin/busybox", "false"));
    assertStatus(0, run("true"));
  }

  @Test
  void dynamicMuslProgram_runsThroughTheImagesInterpreter() {
    assertStatus(0, run("/t/check", "argc", "3"));
    assertStatus(42, run("/t/check", "exit", "42"));
    assertStatus(42, run("/t/check-static", "exit", "42"));
  }

  @Test
  void environment_hasContainerDefaults_andEnvOptions() {
    assertStatus(0, run("/t/check", "env", "HOME", "/root"));
    assertStatus(0, run("/t/check", "env", "PATH",
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
    assertStatus(0, run("/t/check", "env", "TERM", "vt100"));
    assertStatus(0, run("/t/check", "env", "HOSTNAME", "blink-chroot"));
    assertStatus(0, run(List.of("--hostname", "box"), "/t/check", "env", "HOSTNAME", "box"));
    assertStatus(0, run(List.of("-e", "HOME=/tmp", "--env", "X=a b"), "/t/check", "env", "X",
        "a b"));
    assertStatus(0, run(List.of("-e", "HOME=/tmp"), "/t/check", "env", "HOME", "/tmp"));
    assertStatus(0, run(List.of("-e", "NOT_ON_HOST"), "/t/check", "env", "NOT_ON_HOST", "-"));
  }

  @Test
  void user_numbersAndNamesFromTheImage() {
    assertStatus(0, run(List.of("--user", "1000:1001"), "/t/check", "uid", "1000"));
    assertStatus(0, run(List.of("--user", "1000:1001"), "/t/check", "gid", "1001"));
    // Alpine: nobody is 65534:65534 with home /
    assertStatus(0, run(List.of("--user", "nobody"), "/t/check", "uid", "65534"));
    assertStatus(0, run(List.of("--user", "nobody"), "/t/check", "gid", "65534"));
    assertStatus(0, run(List.of("--user", "nobody"), "/t/check", "env", "HOME", "/"));
    Result r = run(List.of("--user", "nosuchuser"), "/t/check", "uid", "0");
    assertStatus(1, r);
    assertEquals("blink-chroot: --user nosuchuser: no user 'nosuchuser' in the image's "
        + "/etc/passwd\n", r.err());
  }

  @Test
  void commandLookup_followsPath_andFailsLikeChroot() {
    Result missing = run("no-such-program");
    assertStatus(127, missing);
    assertEquals("blink-chroot: failed to run command 'no-such-program': No such file or "
        + "directory\n", missing.err());
    Result notExecutable = run("/etc/passwd");
    assertStatus(126, notExecutable);
    assertEquals("blink-chroot: failed to run command '/etc/passwd': Permission denied\n",
        notExecutable.err());
    assertStatus(126, run("/etc"));
    assertStatus(0, run(List.of("-e", "PATH=/t"), "check", "argc", "3"));
  }

  @Test
  void workdir_missing_is125() {
    Result r = run(List.of("-w", "/no/such/dir"), "/bin/true");
    assertStatus(125, r);
    assertEquals("blink-chroot: cannot change directory to '/no/such/dir': No such file or "
        + "directory\n", r.err());
  }

  @Test
  void denySyscall_badSpecs_areUsageErrors() {
    Result r = run(List.of("--deny-syscall", "nosuchcall"), "/bin/true");
    assertStatus(ExitStatus.USAGE, r);
    assertTrue(r.err().contains("unknown system call 'nosuchcall'"), r.err());
    assertStatus(ExitStatus.USAGE, run(List.of("--deny-syscall", "getuid:EBOGUS"), "/bin/true"));
  }

  @Test
  void denySyscall_failsTheCallWithTheErrno() {
    // getuid denied with EPERM: musl passes the raw -1 on as the uid.
    assertStatus(0, run("/t/check", "uid", "0"));
    assertStatus(1, run(List.of("--deny-syscall", "getuid:EPERM"), "/t/check", "uid", "0"));
    assertStatus(1, run(List.of("--deny-syscall", "getuid:1"), "/t/check", "uid", "0"));
  }

  @Test
  void output_reachesStdout_inOrder() {
    Result r = run("/t/hello", "a", "b");
    assertStatus(0, r);
    assertEquals("hello from /t/hello with 2 arguments\n", r.out());
    Result s = run("/t/hello-static");
    assertEquals("hello from /t/hello-static with 0 arguments\n", s.out());
    Result echo = run("/bin/echo", "hi", "there");
    assertEquals("hi there\n", echo.out());
  }

  @Test
  void report_saysWhatTheJitCompiled_andNoJitRunsTheInterpreterAlone() {
    Result jit = runWithJit("force", List.of("--report"), "/t/hello-static", "x");
    assertStatus(0, jit);
    assertEquals("hello from /t/hello-static with 1 arguments\n", jit.out());
    Matcher compiled = Pattern.compile("\njit: (\\d+) regions compiled").matcher(jit.err());
    assertTrue(compiled.find(), jit.err());
    assertTrue(Integer.parseInt(compiled.group(1)) > 0, jit.err());
    assertTrue(jit.err().contains("\njvm: "), jit.err());

    Result interpreted = runWithJit("force", List.of("--report", "--no-jit"), "/t/hello-static",
        "x");
    assertStatus(0, interpreted);
    assertEquals(jit.out(), interpreted.out());
    assertTrue(interpreted.err().contains("blink-chroot: system call report"), interpreted.err());
    assertFalse(interpreted.err().contains("\njit: "), interpreted.err());
  }

  @Test
  void jitEnvironment_badValue_isAOneLineUsageError() {
    // The jit-forced execution sets the system property, which takes precedence over the
    // variable: it is set aside here, so the case runs in both executions.
    String forced = System.clearProperty("blinkchroot.jit");
    try {
      for (String bad : List.of("sometimes", "threshold=0", "budget=lots")) {
        Result r = runWithJit(bad, List.of(), "/bin/true");
        assertStatus(ExitStatus.USAGE, r);
        assertTrue(r.err().startsWith("blink-chroot: BLINK_CHROOT_JIT: JIT mode '" + bad
            + "': "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
      }
    } finally {
      if (forced != null) {
        System.setProperty("blinkchroot.jit", forced);
      }
    }
  }
}
