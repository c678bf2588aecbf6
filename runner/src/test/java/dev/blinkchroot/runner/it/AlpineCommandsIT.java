package dev.blinkchroot.runner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Commands of the Alpine image (busybox applets, apk, the musl loader, shell pipelines and
 * floating point) under blink-chroot: stdout, stderr and the exit status must be those of a real
 * chroot into the same image. The expected outputs were recorded by alpine-expected/record.sh,
 * which really ran each command in a chroot; every fixture starts with the exact command line.
 */
class AlpineCommandsIT {
  private static final String FIXTURES = "alpine-expected/";

  /** One recorded run: the guest script and what the native chroot gave. */
  record Expected(String name, String recorded, String script, int status, byte[] stdout,
      byte[] stderr) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Expected> cases() {
    List<Expected> all = new ArrayList<>();
    for (String name : new String(resource("INDEX"), StandardCharsets.UTF_8).split("\n")) {
      if (!name.isBlank()) {
        all.add(parse(name.strip(), resource(name.strip() + ".expected")));
      }
    }
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sameAsANativeChroot(Expected expected) {
    BlinkChroot.Result actual =
        BlinkChroot.run(BlinkChroot.alpineArg(), "/bin/sh", "-c", expected.script());
    String stdout = new String(expected.stdout(), StandardCharsets.UTF_8);
    String stderr = new String(expected.stderr(), StandardCharsets.UTF_8);
    String context = "blink-chroot ALPINE /bin/sh -c '" + expected.script() + "'\nnative: "
        + expected.recorded() + "\n" + NativePrograms.firstDifference(stdout, actual.stdout())
        + "blink-chroot's stderr:\n" + ProgramsIT.clip(actual.stderr());
    assertEquals(stdout, actual.stdout(), "stdout\n" + context);
    assertEquals(stderr, actual.stderr(), "stderr\n" + context);
    assertEquals(expected.status(), actual.status(), "exit status\n" + context);
  }

  private static byte[] resource(String name) {
    try (InputStream in = AlpineCommandsIT.class.getResourceAsStream(FIXTURES + name)) {
      assertNotNull(in, "missing test resource " + FIXTURES + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The record.sh format: header lines, then "stdout: N", N bytes, "stderr: N", N bytes. */
  static Expected parse(String name, byte[] data) {
    int[] at = {0};
    String recorded = field(data, at, "# recorded: ");
    String script = field(data, at, "script: ");
    int status = Integer.parseInt(field(data, at, "exit: "));
    int outLength = Integer.parseInt(field(data, at, "stdout: "));
    byte[] out = Arrays.copyOfRange(data, at[0], at[0] + outLength);
    at[0] += outLength;
    int errLength = Integer.parseInt(field(data, at, "stderr: "));
    byte[] err = Arrays.copyOfRange(data, at[0], at[0] + errLength);
    assertEquals(data.length, at[0] + errLength, name + ": trailing bytes");
    return new Expected(name, recorded, script, status, out, err);
  }

  private static String field(byte[] data, int[] at, String prefix) {
    int end = at[0];
    while (end < data.length && data[end] != '\n') {
      end++;
    }
    String line = new String(data, at[0], end - at[0], StandardCharsets.UTF_8);
    assertTrue(line.startsWith(prefix), "expected '" + prefix + "' but found '" + line + "'");
    at[0] = end + 1;
    return line.substring(prefix.length());
  }
}
