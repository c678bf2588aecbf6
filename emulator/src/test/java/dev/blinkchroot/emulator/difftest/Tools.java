package dev.blinkchroot.emulator.difftest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Host tools for the differential tests (gcc, as, objdump) and the temporary directory they work
 * in. A missing tool or a non-x86-64 host fails the test with a message saying what to install:
 * the architecture brief does not let these tests skip.
 */
final class Tools {
  /** Output and exit status of a finished tool. */
  record Result(int exit, String output) {}

  private static Path tempDir;

  private Tools() {}

  static void requireX86_64() {
    String arch = System.getProperty("os.arch");
    if (!arch.equals("amd64") && !arch.equals("x86_64")) {
      throw new AssertionError("the differential CPU tests need an x86-64 host; this is " + arch);
    }
    if (!System.getProperty("os.name").toLowerCase().contains("linux")) {
      throw new AssertionError("the differential CPU tests need Linux; this is "
          + System.getProperty("os.name"));
    }
  }

  /** One directory per JVM, removed at exit. */
  static synchronized Path tempDir() {
    if (tempDir == null) {
      try {
        tempDir = Files.createTempDirectory("difftest");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Path dir = tempDir;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
    }
    return tempDir;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort at exit
    }
  }

  /**
   * Runs {@code cmd} to completion and returns its combined output. Fails with an install hint
   * when the program cannot be started.
   */
  static Result run(List<String> cmd, String debianPackage) {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("the differential CPU tests need `" + cmd.get(0) + "` (Debian"
          + " package " + debianPackage + "), which could not be started: " + e.getMessage(), e);
    }
    try {
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(cmd.get(0) + " did not finish in 120 s");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + cmd.get(0), e);
    }
  }
}
