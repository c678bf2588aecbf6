package dev.blinkchroot.runner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.blinkchroot.runner.it.AlpineCommandsIT.Expected;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * bash in the Debian bookworm image (glibc, GNU tools): pipelines, {@code $(...)}, process
 * substitution, a coprocess, jobs, and {@code neofetch --stdout}, a bash script that runs dozens
 * of processes. stdout, stderr and the exit status must be those of a real chroot into the same
 * image, except for the neofetch lines that describe the host (below).
 *
 * <p>Each case is debian-processes-expected/NAME.sh, run as {@code blink-chroot DEBIAN /bin/bash
 * -c SCRIPT} (the file's text without its trailing newlines) with TERM=xterm, so that the guest
 * gets blink-chroot's default environment: PATH, HOME=/root, TERM=xterm, HOSTNAME=blink-chroot.
 * NAME.expected was recorded by debian-processes-expected/record.sh, as root, in a fresh unpacked
 * copy of the image for each case, with the command line on its first line:
 *
 * <pre>
 * env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
 *     TERM=xterm HOSTNAME=blink-chroot \
 *     unshare --uts --pid --fork --mount --mount-proc=/tmp/debian-processes-native/proc \
 *     sh -c 'hostname blink-chroot &amp;&amp; exec setsid chroot "$0" /bin/bash -c "$1"' \
 *     /tmp/debian-processes-native "$(cat NAME.sh)" &lt;/dev/null
 * </pre>
 *
 * bash is thus pid 1 of its own pid namespace, leading its session, with blink-chroot's default
 * host name: what blink-chroot gives every run. Five recordings in a row differed only in
 * neofetch's Uptime and Memory lines.
 *
 * <p>The image is ../shared/rootfs/debian-bookworm-minbase.tar.xz or $BLINK_CHROOT_DEBIAN; a
 * missing image fails the tests. Besides processes they need the calls the image's bash makes at
 * start-up to be answered without a notice on stderr: socket(2) (glibc asks nscd for the user) and
 * getpeername(2) (bash asks whether stdin is a network connection).
 */
class DebianProcessesIT {
  static final String DEBIAN_NAME = "debian-bookworm-minbase.tar.xz";
  private static final String FIXTURES = "debian-processes-expected/";

  /**
   * neofetch lines that describe the machine rather than the image or the sandbox, dropped from
   * both outputs before comparing (whether they appear at all depends on the machine too):
   *
   * <ul>
   *   <li>Kernel: the running kernel's release (the host's natively, the one blink-chroot
   *       reports under it);
   *   <li>Uptime: time since the host (or the sandbox) booted;
   *   <li>CPU: the host's processor natively, the emulated Xeon under blink-chroot;
   *   <li>Memory: the host's memory and its use at that moment;
   *   <li>Host: the machine's DMI model, from /sys;
   *   <li>GPU, Resolution: the machine's graphics, from lspci and /sys (absent in this image
   *       natively, but a sandbox that shows a /sys could make them appear).
   * </ul>
   *
   * Everything else is compared: the title (root@blink-chroot: the user from the image's passwd,
   * the sandbox's host name), OS (the image's os-release and the emulated machine), Packages
   * (the image's dpkg database), Shell (the image's bash) and any line that would describe the
   * sandbox's own process tree or terminal (Terminal), and the blank lines that end the output.
   */
  static final Set<String> HOST_KEYS =
      Set.of("Kernel", "Uptime", "CPU", "Memory", "Host", "GPU", "Resolution");

  /** The Debian image: $BLINK_CHROOT_DEBIAN, else ${blinkchroot.shared}/rootfs/. */
  static Path debian() {
    String env = System.getenv("BLINK_CHROOT_DEBIAN");
    Path p;
    if (env != null && !env.isEmpty()) {
      p = Path.of(env);
    } else {
      String shared = System.getProperty("blinkchroot.shared");
      if (shared == null) {
        return fail("set BLINK_CHROOT_DEBIAN to the path of " + DEBIAN_NAME
            + " (or run through Maven, which sets -Dblinkchroot.shared)");
      }
      p = Path.of(shared, "rootfs", DEBIAN_NAME);
    }
    if (!Files.isRegularFile(p)) {
      return fail("the Debian image is missing at " + p.toAbsolutePath() + ": put " + DEBIAN_NAME
          + " in ../shared/rootfs/ beside the repository or set BLINK_CHROOT_DEBIAN");
    }
    return p;
  }

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
    String script = RecordedScripts.withoutTrailingNewlines(text(expected.script()));
    BlinkChroot.Result actual = BlinkChroot.run(Map.of("TERM", "xterm"), debian().toString(),
        "/bin/bash", "-c", script);
    String stdout = new String(expected.stdout(), StandardCharsets.UTF_8);
    String actualStdout = actual.stdout();
    if (expected.name().equals("neofetch")) {
      stdout = withoutHostLines(stdout);
      actualStdout = withoutHostLines(actualStdout);
    }
    String stderr = new String(expected.stderr(), StandardCharsets.UTF_8);
    String context = "blink-chroot DEBIAN /bin/bash -c \"$(cat " + FIXTURES + expected.script()
        + ")\"\nnative: " + expected.recorded() + "\n"
        + NativePrograms.firstDifference(stdout, actualStdout)
        + "blink-chroot's stderr:\n" + ProgramsIT.clip(actual.stderr());
    assertEquals(stdout, actualStdout, "stdout\n" + context);
    assertEquals(stderr, actual.stderr(), "stderr\n" + context);
    assertEquals(expected.status(), actual.status(), "exit status\n" + context);
  }

  /** neofetch's output without the "Key: value" lines whose key is in HOST_KEYS. */
  static String withoutHostLines(String neofetch) {
    return neofetch.lines()
        .filter(line -> !HOST_KEYS.contains(line.split(":", 2)[0]))
        .collect(Collectors.joining("\n", "", neofetch.endsWith("\n") ? "\n" : ""));
  }

  @Test
  void withoutHostLines_keepsTheImagesLines_dropsTheMachines() {
    String recorded = new String(
        AlpineCommandsIT.parse("neofetch", resource("neofetch.expected")).stdout(),
        StandardCharsets.UTF_8);
    assertEquals("root@blink-chroot \n----------------- \n"
        + "OS: Debian GNU/Linux 12 (bookworm) x86_64 \nPackages: 108 (dpkg) \n"
        + "Shell: bash 5.2.15 \n\n", withoutHostLines(recorded), recorded);
  }

  private static String text(String name) {
    return new String(resource(name), StandardCharsets.UTF_8);
  }

  private static byte[] resource(String name) {
    try (InputStream in = DebianProcessesIT.class.getResourceAsStream(FIXTURES + name)) {
      assertNotNull(in, "missing test resource " + FIXTURES + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
