package dev.blinkchroot.rootfs;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes archives with the host's GNU tar from files a /bin/sh script creates. Java cannot
 * create a file whose name is not valid in its file-name encoding, but sh's printf can, so every
 * name is written into the script as printf octal escapes of its exact bytes. A missing or
 * non-GNU tar fails the test, saying what to install: these tests must not skip.
 */
final class HostTar {
  private HostTar() {}

  /** Fails unless {@code tar} on PATH is GNU tar. */
  static void requireGnuTar() {
    String version;
    try {
      version = run(List.of("tar", "--version"), null).output;
    } catch (IOException e) {
      throw new AssertionError("these tests need GNU tar on PATH (Debian/Ubuntu package tar),"
          + " which could not be started: " + e.getMessage(), e);
    }
    if (!version.contains("GNU tar")) {
      throw new AssertionError("these tests need GNU tar (its --format, --owner and"
          + " --pax-option); `tar --version` says: " + version.lines().findFirst().orElse(""));
    }
  }

  /** {@code name} as a /bin/sh word that expands to exactly its bytes. */
  static String word(byte[] name) {
    StringBuilder s = new StringBuilder("\"$(printf '");
    for (byte b : name) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\' && c != '%') {
        s.append((char) c);
      } else {
        s.append('\\').append(Integer.toOctalString(c));
      }
    }
    return s.append("')\"").toString();
  }

  /** A Java string whose chars are bytes 0 to 255 (e.g. "caf\u00e9\u00ff") as those bytes. */
  static byte[] bytes(String latin1) {
    return latin1.getBytes(ISO_8859_1);
  }

  /** Runs {@code script} with /bin/sh in {@code dir} (C locale, UTC); fails if it fails. */
  static void sh(Path dir, String script) {
    requireGnuTar();
    try {
      Result r = run(List.of("/bin/sh", "-eu", "-c", script), dir);
      if (r.status != 0) {
        throw new AssertionError("/bin/sh exited " + r.status + " running:\n" + script
            + "\noutput:\n" + r.output);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run /bin/sh: " + e.getMessage(), e);
    }
  }

  /** The archive's bytes, to check it holds what a test means to import. */
  static byte[] read(Path archive) {
    try {
      return Files.readAllBytes(archive);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** True if {@code needle} occurs in {@code hay}. */
  static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private record Result(int status, String output) {}

  private static Result run(List<String> cmd, Path dir) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    pb.environment().put("LC_ALL", "C");
    pb.environment().put("TZ", "UTC");
    Process p = pb.start();
    try {
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(cmd + " did not finish in 60 s");
      }
      return new Result(p.exitValue(), out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }
}
