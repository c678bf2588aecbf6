package dev.blinkchroot.runner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Expected outputs recorded from the real Linux tools. Each fixture starts with '#' lines that
 * say how it was produced; {@link #lines} drops them.
 */
public final class Fixtures {
  private Fixtures() {}

  /** The fixture's output lines, header removed. */
  public static List<String> lines(String name) {
    return text(name).lines().filter(l -> !l.startsWith("#")).collect(Collectors.toList());
  }

  private static String text(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("fixtures/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test fixture fixtures/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
