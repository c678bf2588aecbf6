package dev.blinkchroot.runner.it;

import dev.blinkchroot.runner.it.AlpineCommandsIT.Expected;
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
    return RecordedScripts.cases(FIXTURES);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sameAsANativeChroot(Expected expected) {
    RecordedScripts.assertSameAsNativeChroot(FIXTURES, expected);
  }
}
