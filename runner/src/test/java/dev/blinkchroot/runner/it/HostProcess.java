package dev.blinkchroot.runner.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a host process to completion with stdin closed, capturing both output streams. */
final class HostProcess {
  private static final long TIMEOUT_SECONDS = 120;

  /** What a finished process left: its exit status, stdout bytes and stderr text (UTF-8). */
  record Captured(int status, byte[] stdout, String stderr) {}

  private HostProcess() {}

  /** Starts {@code pb} and waits; fails the test if it runs over 120 s. */
  static Captured run(ProcessBuilder pb) {
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      // Both streams drain concurrently so neither pipe can fill and stall the process.
      CompletableFuture<byte[]> out = readAll(p.getInputStream());
      CompletableFuture<byte[]> err = readAll(p.getErrorStream());
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        String threads = threadDump(p.pid());
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        fail(String.join(" ", pb.command()) + " did not finish within " + TIMEOUT_SECONDS + " s"
            + "\nstdout so far (end):\n" + tail(out.getNow(new byte[0]))
            + "\nstderr so far (end):\n" + tail(err.getNow(new byte[0]))
            + "\nits threads (jcmd Thread.print, clipped):\n" + threads);
      }
      return new Captured(p.exitValue(), out.join(),
          new String(err.join(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * What a hung blink-chroot's threads were doing (the launcher execs the JVM, so the pid is
   * the JVM's), for the failure message: where a guest waits is the first clue to a lost wake-up.
   */
  private static String threadDump(long pid) {
    try {
      Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "Thread.print")
          .redirectErrorStream(true).start();
      CompletableFuture<byte[]> dump = readAll(jcmd.getInputStream());
      if (!jcmd.waitFor(20, TimeUnit.SECONDS)) {
        jcmd.destroyForcibly();
        return "(jcmd did not answer)";
      }
      String text = new String(dump.join(), StandardCharsets.UTF_8);
      return text.length() > 12_000 ? text.substring(0, 12_000) + "\n[...]" : text;
    } catch (IOException e) {
      return "(no jcmd: " + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  private static String tail(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    return text.length() > 3000 ? "[...]" + text.substring(text.length() - 3000) : text;
  }

  private static CompletableFuture<byte[]> readAll(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
