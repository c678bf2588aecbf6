package dev.blinkchroot.runner.it;

import dev.blinkchroot.runner.it.AlpineCommandsIT.Expected;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Busybox ash scripts about signals under blink-chroot: stdout, stderr and the exit status must
 * be those of a real chroot into the same image.
 *
 * <ul>
 *   <li>trap-exit: EXIT traps at the end, after exit N, in sh -c and subshells, not run when the
 *       shell dies of an untrapped signal, run after a TERM trap that exits;
 *   <li>trap-signals: traps on USR1, INT, TERM and HUP sent by the shell to itself (it is pid 1:
 *       without a trap it would not receive them), `trap` listings, children getting default
 *       actions back and keeping ignored signals, a trap ending `wait`;
 *   <li>trap-subshell: traps reset in subshells, ignored signals kept (and trappable there),
 *       `$(trap)`, signals from a subshell to the parent, sh -c unable to trap what it was
 *       started ignoring, /proc/PID/status's SigIgn;
 *   <li>kill-job: kill %1, %2, %%, `jobs`, wait %N;
 *   <li>sleep-kill: {@code sleep 10 & kill $!; wait $!; echo $?} (143), kill -0, kill -l, kill's
 *       errors;
 *   <li>wait-killed: wait statuses 128+N for TERM, KILL, HUP, USR1, ALRM, ABRT, SEGV, PIPE, INT;
 *       background jobs ignoring INT and QUIT;
 *   <li>stop-cont: {@code sh -c 'kill -STOP $$'} seen stopped (state T in /proc) and resumed by
 *       kill -CONT from the parent, SIGTERM held by a stopped job until SIGCONT, SIGKILL not;
 *   <li>timeout, timeout-signal: busybox timeout (the status is the command's own 143 or 137:
 *       busybox's timeout execs the command and a forked watcher kills it, unlike GNU's 124),
 *       -s KILL, -s INT to a command that traps it;
 *   <li>yes-head: {@code yes | head -n1} quiet (yes dies of SIGPIPE; status 0, or 141 with
 *       pipefail), and "yes: Broken pipe" only when SIGPIPE is ignored.
 * </ul>
 *
 * <p>Each case is a script, alpine-signals-expected/NAME.sh, run as {@code blink-chroot ALPINE
 * /bin/sh -c SCRIPT} (the file's text without its trailing newlines). NAME.expected was recorded
 * by alpine-signals-expected/record.sh, as root, in a fresh unpacked copy of the image for each
 * case, with the command line on its first line:
 *
 * <pre>
 * env -i --default-signal PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
 *     unshare --pid --fork --mount --mount-proc=/tmp/alp-signals-native/proc \
 *     setsid chroot /tmp/alp-signals-native /bin/sh -c "$(cat NAME.sh)" &lt;/dev/null
 * </pre>
 *
 * with every signal at its default disposition, none blocked, and RLIMIT_CORE 0 (what
 * blink-chroot's guest starts with). The shell is pid 1 of its own pid namespace, leading its
 * session and group, as under blink-chroot. The recording was the same three times in a row
 * (and each script twelve times in a row alone, also with its CPU shared with a busy loop).
 * The scripts order events by waits and by polling /proc, never by sleeping; where busybox
 * itself races (whether `wait` names the signal of a job it reaped earlier), that output goes
 * to /dev/null. Natively they take 5 s in all, 3 s of it in timeout's whole seconds; under
 * blink-chroot expect 30-60 s.
 *
 * <p>Needs: kill(2) with default actions (terminate, stop, continue, ignore) and handlers,
 * SIGCHLD to the parent (busybox ash's `wait` sleeps in sigsuspend until SIGCHLD or a trapped
 * signal comes), SIGPIPE, SIG_IGN kept across fork and execve, stops seen in /proc/PID/stat,
 * the Sig* lines of /proc/PID/status, and pid 1's immunity to signals it does not handle.
 */
class AlpineSignalsIT {
  private static final String FIXTURES = "alpine-signals-expected/";

  static List<Expected> cases() {
    return RecordedScripts.cases(FIXTURES);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sameAsANativeChroot(Expected expected) {
    RecordedScripts.assertSameAsNativeChroot(FIXTURES, expected);
  }
}
