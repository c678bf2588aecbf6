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
        p.destroyForcibly();
        fail(String.join(" ", pb.command()) + " did not finish within " + TIMEOUT_SECONDS + " s");
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
