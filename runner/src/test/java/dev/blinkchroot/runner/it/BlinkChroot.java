package dev.blinkchroot.runner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs the real, packaged {@code runner/target/blink-chroot} as a process, the way a user does,
 * with TZ=UTC and LC_ALL=C so that outputs compare with the recorded Linux tools' outputs.
 * Every run gets its own XDG_CACHE_HOME unless a test passes one, so no test touches the user's
 * cache.
 */
final class BlinkChroot {
  static final String ALPINE_NAME = "alpine-minirootfs-3.20.3-x86_64.tar.gz";

  private BlinkChroot() {}

  record Result(int status, byte[] stdoutBytes, String stderr) {
    String stdout() {
      return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    /** Exit 0, nothing on stderr. */
    Result assertSuccess() {
      assertEquals("", stderr, "stderr");
      assertEquals(0, status, "exit status");
      return this;
    }

    /** One line on stderr, like a Linux tool's, and never a Java stack trace. */
    Result assertOneLineError(int expectedStatus) {
      assertEquals(expectedStatus, status, "exit status; stderr: " + stderr);
      assertTrue(stderr.startsWith("blink-chroot: "), stderr);
      assertTrue(stderr.endsWith("\n"), stderr);
      assertEquals(1, stderr.lines().count(), "exactly one line: " + stderr);
      assertNoStackTrace();
      return this;
    }

    void assertNoStackTrace() {
      assertFalse(stderr.contains("\tat "), stderr);
      assertFalse(stderr.contains("Exception"), stderr);
    }
  }

  /** The executable under test: set by failsafe, else target/blink-chroot of this module. */
  static Path executable() {
    String configured = System.getProperty("blinkchroot.executable");
    Path exe = Path.of(configured != null ? configured : "target/blink-chroot");
    if (!Files.isExecutable(exe)) {
      fail("the blink-chroot executable is missing at " + exe.toAbsolutePath()
          + ": run these tests with 'mvn verify' (they need the package phase)");
    }
    return exe;
  }

  /**
   * The Alpine minirootfs: $BLINK_CHROOT_ALPINE, else ${blinkchroot.shared}/rootfs/. Missing is a
   * failure, never a skip: CI must not pass by testing nothing.
   */
  static Path alpine() {
    String env = System.getenv("BLINK_CHROOT_ALPINE");
    Path p;
    if (env != null && !env.isEmpty()) {
      p = Path.of(env);
    } else {
      String shared = System.getProperty("blinkchroot.shared");
      if (shared == null) {
        fail("set BLINK_CHROOT_ALPINE to the path of " + ALPINE_NAME
            + " (or run through Maven, which sets -Dblinkchroot.shared)");
      }
      p = Path.of(shared, "rootfs", ALPINE_NAME);
    }
    if (!Files.isRegularFile(p)) {
      fail("the Alpine tarball is missing at " + p.toAbsolutePath() + ": put " + ALPINE_NAME
          + " in ../shared/rootfs/ beside the repository or set BLINK_CHROOT_ALPINE");
    }
    return p;
  }

  static String alpineArg() {
    return alpine().toString();
  }

  static Result run(String... args) {
    return run(Map.of(), args);
  }

  static Result run(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(executable().toString());
    command.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("TZ", "UTC");
    pb.environment().put("LC_ALL", "C");
    pb.environment().remove("BLINK_CHROOT_DEBUG");
    pb.environment().remove("BLINK_CHROOT_STDERR_TTY");
    pb.environment().put("XDG_CACHE_HOME", defaultCacheHome().toString());
    pb.environment().putAll(env);
    HostProcess.Captured c = HostProcess.run(pb);
    return new Result(c.status(), c.stdout(), c.stderr());
  }

  private static Path cacheHome;

  /** One cache per test JVM, so runs after the first are warm and the user's cache is untouched. */
  static synchronized Path defaultCacheHome() {
    if (cacheHome == null) {
      try {
        cacheHome = Files.createTempDirectory("blink-chroot-it-cache");
        Path made = cacheHome;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(made)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return cacheHome;
  }

  /** Removes a temporary tree; best effort, for cleanup only. */
  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // Left behind in the temp directory; harmless.
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // Same.
    }
  }
}
