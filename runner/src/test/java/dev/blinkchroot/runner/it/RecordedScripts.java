package dev.blinkchroot.runner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.blinkchroot.runner.it.AlpineCommandsIT.Expected;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Shell scripts recorded in a native chroot of the Alpine image (a fixture directory with an
 * INDEX of names, NAME.sh and NAME.expected as record.sh writes them), run again under
 * blink-chroot by the image's /bin/sh and compared: stdout, stderr and exit status.
 */
final class RecordedScripts {
  private RecordedScripts() {}

  /** The recordings the INDEX of {@code fixtures} lists, in its order. */
  static List<Expected> cases(String fixtures) {
    List<Expected> all = new ArrayList<>();
    for (String name : text(fixtures, "INDEX").split("\n")) {
      if (!name.isBlank()) {
        all.add(AlpineCommandsIT.parse(name.strip(),
            resource(fixtures, name.strip() + ".expected")));
      }
    }
    return all;
  }

  /** Runs {@code expected}'s script in the Alpine image and asserts the recorded results. */
  static void assertSameAsNativeChroot(String fixtures, Expected expected) {
    String script = withoutTrailingNewlines(text(fixtures, expected.script()));
    BlinkChroot.Result actual = BlinkChroot.run(BlinkChroot.alpineArg(), "/bin/sh", "-c", script);
    String stdout = new String(expected.stdout(), StandardCharsets.UTF_8);
    String stderr = new String(expected.stderr(), StandardCharsets.UTF_8);
    String context = "blink-chroot ALPINE /bin/sh -c \"$(cat " + fixtures + expected.script()
        + ")\"\nnative: " + expected.recorded() + "\n"
        + NativePrograms.firstDifference(stdout, actual.stdout())
        + "blink-chroot's stderr:\n" + ProgramsIT.clip(actual.stderr());
    assertEquals(stdout, actual.stdout(), "stdout\n" + context);
    assertEquals(stderr, actual.stderr(), "stderr\n" + context);
    assertEquals(expected.status(), actual.status(), "exit status\n" + context);
  }

  /** What the shell's "$(cat FILE)" gives, as record.sh passes it. */
  static String withoutTrailingNewlines(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '\n') {
      end--;
    }
    return s.substring(0, end);
  }

  static String text(String fixtures, String name) {
    return new String(resource(fixtures, name), StandardCharsets.UTF_8);
  }

  private static byte[] resource(String fixtures, String name) {
    try (InputStream in = RecordedScripts.class.getResourceAsStream(fixtures + name)) {
      assertNotNull(in, "missing test resource " + fixtures + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
