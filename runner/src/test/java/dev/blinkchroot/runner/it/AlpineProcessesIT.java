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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Busybox ash scripts that start processes (pipelines, command substitution, subshells, jobs and
 * wait, here-documents, exec redirections, xargs, find -exec, tar through gzip, a megabyte
 * through pipes, ps, pgrep, kill -0, /proc of a job) under blink-chroot: stdout, stderr and the
 * exit status must be those of a real chroot into the same image.
 *
 * <p>Each case is a script, alpine-processes-expected/NAME.sh, run as {@code blink-chroot ALPINE
 * /bin/sh -c SCRIPT} (the file's text without its trailing newlines). NAME.expected was recorded
 * by alpine-processes-expected/record.sh, as root, in a fresh unpacked copy of the image for each
 * case, with the command line on its first line:
 *
 * <pre>
 * env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
 *     unshare --pid --fork --mount --mount-proc=/tmp/alp-processes-native/proc \
 *     setsid chroot /tmp/alp-processes-native /bin/sh -c "$(cat NAME.sh)" &lt;/dev/null
 * </pre>
 *
 * The shell is thus pid 1 of its own pid namespace, leading its session and group, with a /proc
 * of that namespace: what blink-chroot gives every run, so ps and /proc show the same processes.
 * Five recordings in a row were identical. Every script's output is about processes of the
 * sandbox only; none names the host.
 *
 * <p>Most cases need fork, execve and wait4 with pipes; wait-killed needs kill(2) with default
 * actions and sigpipe needs SIGPIPE delivery; ps-listing needs pids allocated as Linux does in a
 * new namespace (the shell 1, then 2, 3, ... with no reuse).
 */
class AlpineProcessesIT {
  private static final String FIXTURES = "alpine-processes-expected/";

  static List<Expected> cases() {
    List<Expected> all = new ArrayList<>();
    for (String name : text("INDEX").split("\n")) {
      if (!name.isBlank()) {
        all.add(AlpineCommandsIT.parse(name.strip(), resource(name.strip() + ".expected")));
      }
    }
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sameAsANativeChroot(Expected expected) {
    String script = withoutTrailingNewlines(text(expected.script()));
    BlinkChroot.Result actual = BlinkChroot.run(BlinkChroot.alpineArg(), "/bin/sh", "-c", script);
    String stdout = new String(expected.stdout(), StandardCharsets.UTF_8);
    String stderr = new String(expected.stderr(), StandardCharsets.UTF_8);
    String context = "blink-chroot ALPINE /bin/sh -c \"$(cat " + FIXTURES + expected.script()
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

  private static String text(String name) {
    return new String(resource(name), StandardCharsets.UTF_8);
  }

  private static byte[] resource(String name) {
    try (InputStream in = AlpineProcessesIT.class.getResourceAsStream(FIXTURES + name)) {
      assertNotNull(in, "missing test resource " + FIXTURES + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
