package dev.blinkchroot.emulator.x87;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The host CPU's x87 as an oracle: builds a C program from test resources with {@code gcc -O0}
 * and runs it. Without gcc (or on a non-x86-64 host) the tests fail, never skip: the
 * architecture brief requires the differential layer to run.
 */
final class HostX87 {
  /** One operation for the oracle: A goes to ST(0), B to ST(1) (memory loads read A's bits). */
  record Case(String op, int cw, F80 a, F80 b) {
    String line() {
      return String.format("%s %x %x %x %x %x", op, cw, a.signExp(), a.significand(),
          b.signExp(), b.significand());
    }
  }

  /** What the host produced: ST(0)/ST(1) (or stored memory), FNSTSW, ZF<<2|PF<<1|CF. */
  record Result(F80 r0, F80 r1, int sw, int eflags) {}

  private static Path binaryDir;

  private HostX87() {}

  /** Compiles {@code x87/<name>.c} from the test resources (once per JVM) and returns the binary. */
  static synchronized Path build(String name) {
    try {
      if (binaryDir == null) {
        binaryDir = Files.createTempDirectory("x87-oracle");
        binaryDir.toFile().deleteOnExit();
      }
      Path exe = binaryDir.resolve(name);
      if (Files.exists(exe)) {
        return exe;
      }
      Path src = binaryDir.resolve(name + ".c");
      try (InputStream in = HostX87.class.getResourceAsStream("/x87/" + name + ".c")) {
        if (in == null) {
          fail("test resource x87/" + name + ".c is missing");
        }
        Files.copy(in, src);
      }
      String arch = System.getProperty("os.arch");
      if (!arch.equals("amd64") && !arch.equals("x86_64")) {
        fail("the x87 differential test needs an x86-64 host, this is " + arch);
      }
      Process p;
      try {
        p = new ProcessBuilder("gcc", "-O0", "-o", exe.toString(), src.toString(), "-lm")
            .redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new AssertionError("gcc is required for the x87 differential test (Debian package"
            + " gcc) but could not be started: " + e.getMessage(), e);
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        fail("gcc failed to build the x87 oracle " + name + ".c:\n" + out);
      }
      exe.toFile().deleteOnExit();
      src.toFile().deleteOnExit();
      return exe;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("could not build the x87 oracle: " + e, e);
    }
  }

  /** Runs all cases through the host oracle in one process. */
  static List<Result> run(List<Case> cases) {
    Path exe = build("x87_oracle");
    try {
      Process p = new ProcessBuilder(exe.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      // Feed from another thread: the oracle's output buffer would otherwise fill up and stall.
      Thread feeder = new Thread(() -> {
        try (Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.US_ASCII)) {
          for (Case c : cases) {
            w.write(c.line());
            w.write('\n');
          }
        } catch (IOException e) {
          // the reader below reports the short output
        }
      });
      feeder.start();
      List<Result> results = new ArrayList<>(cases.size());
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
        String line;
        while ((line = r.readLine()) != null) {
          String[] f = line.trim().split(" ");
          results.add(new Result(
              F80.of(Integer.parseInt(f[0], 16), Long.parseUnsignedLong(f[1], 16)),
              F80.of(Integer.parseInt(f[2], 16), Long.parseUnsignedLong(f[3], 16)),
              Integer.parseInt(f[4], 16), Integer.parseInt(f[5], 16)));
        }
      }
      feeder.join();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || results.size() != cases.size()) {
        fail("x87 oracle failed: exit " + p.exitValue() + ", " + results.size() + " of "
            + cases.size() + " results");
      }
      return results;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("could not run the x87 oracle: " + e, e);
    }
  }

  /** Runs another resource program without input and returns its stdout. */
  static String runProgram(String name) {
    Path exe = build(name);
    try {
      Process p = new ProcessBuilder(exe.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        fail(name + " failed with exit " + p.exitValue());
      }
      return out;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("could not run " + name + ": " + e, e);
    }
  }
}
