package dev.blinkchroot.runner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Signals sent to the blink-chroot process itself, as `docker stop`, a service manager or a
 * Ctrl-C do: blink-chroot passes them to the guest's pid 1 (as {@code docker run --init} does)
 * and ends with the guest's status, and whatever ends the run, the {@code --store} layer keeps
 * every change made before the end, Linux metadata included.
 *
 * <p>Each test starts the real executable with the Alpine tarball and a guest that prints
 * "ready" once it is set up, waits for that line, sends the signal with kill(1) to the
 * blink-chroot process (the launcher execs the JVM, so that is the JVM), and measures the time
 * from the signal to the exit. blink-chroot is started through {@code env --default-signal}, so
 * that it gets every signal at its default disposition whatever the test JVM inherited (a shell
 * that runs {@code mvn verify &} without job control ignores SIGINT and SIGQUIT in it, and
 * HotSpot installs no SIGINT handler then).
 *
 * <p>What Linux does, recorded natively (Linux 6.18, util-linux unshare, Alpine's busybox):
 *
 * <ul>
 *   <li>a guest {@code sh -c 'trap "echo got TERM; exit 3" TERM; echo ready; sleep 30 & wait'}
 *       run as {@code env -i --default-signal PATH=... unshare --pid --fork --mount
 *       --mount-proc=ROOT/proc setsid chroot ROOT /bin/sh -c SCRIPT} and sent {@code kill -s
 *       TERM} from the host to that pid 1 prints "ready", "got TERM" and exits 3, 12-36 ms after
 *       the signal; the same for INT, HUP, USR1 and USR2 (pid 1 of a namespace gets a
 *       signal from an ancestor namespace when it has a handler);
 *   <li>a guest that is plain {@code sleep 30} as pid 1 ignores SIGTERM and SIGINT from the host
 *       (pid_namespaces(7): no handler, no delivery; only SIGKILL ends it). blink-chroot must do
 *       what {@code docker run --init} does instead, which is what users of a chroot runner
 *       expect and what the issue asks: the signal reaches {@code sleep} with its default
 *       action and blink-chroot exits 128 + N, as {@code sleep 30} killed by SIGTERM (143) or,
 *       in a job-control shell, SIGINT (130) gives natively in well under 10 ms;
 *   <li>{@code touch /f; chown 123:45 /f; chmod 4751 /f} then {@code stat -c '%a %u %g %n'}
 *       gives "4751 123 45 /f" (in that order: chown clears the set-user-ID bit, even as root,
 *       so chmod before chown gives 751, as /g below shows).
 * </ul>
 *
 * <p>The issue asks for an exit within a second; the bound here is 5 s after the signal, for
 * loaded CI machines.
 *
 * <p>Needs: host SIGINT, SIGTERM, SIGHUP, SIGUSR1 and SIGUSR2 forwarded to the guest's
 * pid 1 (delivered to its handler, or its default action applied as docker-init does), the exit
 * status of pid 1 becoming blink-chroot's, a second SIGTERM ending a run whose guest survived
 * the first, and the {@code --store} layer's metadata written before the process ends.
 */
class HostSignalsIT {
  /** How long after the signal blink-chroot may take to exit (measured today: about 50 ms). */
  private static final long EXIT_BOUND_MILLIS = 5000;
  /** How long blink-chroot may take to start and print "ready" (the first run imports). */
  private static final long READY_MILLIS = 120_000;

  @TempDir Path tmp;

  @BeforeAll
  static void envCanResetSignals() {
    NativePrograms.Outcome r = NativePrograms.run(List.of("env", "--default-signal", "true"),
        Path.of("."), java.util.Map.of());
    if (r.status() != 0) {
      fail("these tests start blink-chroot through 'env --default-signal' (GNU coreutils 8.31"
          + " or later): " + r.stderr());
    }
  }

  @ParameterizedTest(name = "SIG{0} exits {1}")
  @CsvSource({"TERM, 143", "INT, 130"})
  void sleep30_killedByTheHostSignal_exits128PlusN(String signal, int status) {
    try (Running run = Running.start(BlinkChroot.alpineArg(), "/bin/sh", "-c",
        "echo ready; exec sleep 30")) {
      run.awaitStdout("ready\n");
      long millis = run.signalAndAwaitExit(signal);
      assertEquals(status, run.status(), run.describe());
      assertEquals("ready\n", run.stdout(), run.describe());
      run.assertNoStackTrace();
      assertTrue(millis < EXIT_BOUND_MILLIS, "exited " + millis + " ms after SIG" + signal);
    }
  }

  /**
   * SIGQUIT is not among them: the JVM keeps it for its thread dump unless started with -Xrs,
   * which would take SIGINT and SIGTERM from blink-chroot instead.
   */
  @ParameterizedTest(name = "SIG{0}")
  @ValueSource(strings = {"TERM", "INT", "HUP", "USR1", "USR2"})
  void pid1Trap_getsTheHostSignal_andItsExitStatusIsBlinkChroots(String signal) {
    String script = "trap 'echo got " + signal + "; exit 3' " + signal
        + "; echo ready; sleep 30 & wait";
    try (Running run = Running.start(BlinkChroot.alpineArg(), "/bin/sh", "-c", script)) {
      run.awaitStdout("ready\n");
      long millis = run.signalAndAwaitExit(signal);
      assertEquals("ready\ngot " + signal + "\n", run.stdout(), run.describe());
      assertEquals(3, run.status(), run.describe());
      assertEquals("", run.stderr(), run.describe());
      assertTrue(millis < EXIT_BOUND_MILLIS, "exited " + millis + " ms after SIG" + signal);
    }
  }

  @Test
  void secondSigterm_endsARunWhoseGuestSurvivedTheFirst() {
    String script = "trap 'echo got TERM, going on' TERM; echo ready; "
        + "while :; do sleep 1; done";
    try (Running run = Running.start(BlinkChroot.alpineArg(), "/bin/sh", "-c", script)) {
      run.awaitStdout("ready\n");
      run.signal("TERM");
      // busybox runs the trap once the foreground sleep 1 is over.
      run.awaitStdout("ready\ngot TERM, going on\n");
      assertTrue(run.process.isAlive(), "the guest handled the first SIGTERM and went on");
      long millis = run.signalAndAwaitExit("TERM");
      assertEquals(143, run.status(), run.describe());
      run.assertNoStackTrace();
      assertTrue(millis < EXIT_BOUND_MILLIS, "exited " + millis + " ms after the second SIGTERM");
    }
  }

  /** What the guest makes before it is killed, and how stat sees it natively (see above). */
  private static final String MAKE = "touch /f; chown 123:45 /f; chmod 4751 /f; "
      + "mkdir -m 1777 /d; echo data > /d/x; chown 7:8 /d/x; chmod 640 /d/x; "
      + "touch /g; chmod 4751 /g; chown 123:45 /g; ";
  private static final String LOOK = "stat -c '%a %u %g %n' /f /d /d/x /g; cat /d/x";
  private static final String SEEN = "4751 123 45 /f\n1777 0 0 /d\n640 7 8 /d/x\n751 123 45 /g\n"
      + "data\n";

  @ParameterizedTest(name = "SIG{0}")
  @CsvSource({"TERM, 143", "INT, 130"})
  void store_keepsModesAndOwners_whenBlinkChrootIsKilled(String signal, int status) {
    String store = tmp.resolve("store").toString();
    try (Running run = Running.start("--store", store, BlinkChroot.alpineArg(), "/bin/sh", "-c",
        MAKE + "echo ready; exec sleep 30")) {
      run.awaitStdout("ready\n");
      long millis = run.signalAndAwaitExit(signal);
      assertEquals(status, run.status(), run.describe());
      run.assertNoStackTrace();
      assertTrue(millis < EXIT_BOUND_MILLIS, "exited " + millis + " ms after SIG" + signal);
    }
    BlinkChroot.Result second = BlinkChroot.run("--store", store, BlinkChroot.alpineArg(),
        "/bin/sh", "-c", LOOK);
    assertEquals(SEEN, second.stdout(), "the second run's view of the store; stderr: "
        + second.stderr());
    assertEquals(0, second.status(), second.stderr());
  }

  @Test
  void store_keepsModesAndOwners_afterANormalExit_too() {
    String store = tmp.resolve("store").toString();
    BlinkChroot.run("--store", store, BlinkChroot.alpineArg(), "/bin/sh", "-c", MAKE)
        .assertSuccess();
    BlinkChroot.Result second = BlinkChroot.run("--store", store, BlinkChroot.alpineArg(),
        "/bin/sh", "-c", LOOK);
    assertEquals(SEEN, second.stdout(), second.stderr());
  }

  /** blink-chroot running in the background, its output collected as it comes. */
  private static final class Running implements AutoCloseable {
    final Process process;
    final List<String> command;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread outReader;
    private final Thread errReader;

    private Running(Process process, List<String> command) {
      this.process = process;
      this.command = command;
      this.outReader = drain(process.getInputStream(), out);
      this.errReader = drain(process.getErrorStream(), err);
    }

    static Running start(String... args) {
      List<String> command = new ArrayList<>(List.of("env", "--default-signal",
          BlinkChroot.executable().toString()));
      command.addAll(Arrays.asList(args));
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().put("TZ", "UTC");
      pb.environment().put("LC_ALL", "C");
      pb.environment().remove("BLINK_CHROOT_DEBUG");
      pb.environment().remove("BLINK_CHROOT_STDERR_TTY");
      pb.environment().put("XDG_CACHE_HOME", BlinkChroot.defaultCacheHome().toString());
      try {
        Process p = pb.start();
        p.getOutputStream().close();
        return new Running(p, command);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream sink) {
      Thread t = new Thread(() -> {
        byte[] buf = new byte[8192];
        try (in) {
          for (int n; (n = in.read(buf)) > 0;) {
            synchronized (sink) {
              sink.write(buf, 0, n);
            }
          }
        } catch (IOException e) {
          // The process is gone; what was read is kept.
        }
      });
      t.setDaemon(true);
      t.start();
      return t;
    }

    String stdout() {
      synchronized (out) {
        return out.toString(StandardCharsets.UTF_8);
      }
    }

    String stderr() {
      synchronized (err) {
        return err.toString(StandardCharsets.UTF_8);
      }
    }

    /** Waits until stdout is exactly TEXT (fails at once if it cannot become that). */
    void awaitStdout(String text) {
      long deadline = System.currentTimeMillis() + READY_MILLIS;
      while (System.currentTimeMillis() < deadline) {
        String now = stdout();
        if (now.equals(text)) {
          return;
        }
        if (!text.startsWith(now) || !process.isAlive()) {
          break;
        }
        sleep(10);
      }
      fail("stdout never became " + quote(text) + "\n" + describe());
    }

    /** Sends SIGNAL (a name, as kill -s takes it) to the blink-chroot process. */
    void signal(String signal) {
      NativePrograms.Outcome r = NativePrograms.run(
          List.of("kill", "-s", signal, Long.toString(process.pid())), Path.of("."),
          java.util.Map.of());
      assertEquals(0, r.status(), "kill -s " + signal + ": " + r.stderr());
    }

    /** Sends SIGNAL and waits for the exit: the milliseconds between the two. */
    long signalAndAwaitExit(String signal) {
      long sent = System.nanoTime();
      signal(signal);
      try {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          fail("blink-chroot still runs 60 s after SIG" + signal + "\n" + describe());
        }
        long millis = (System.nanoTime() - sent) / 1_000_000;
        outReader.join(10_000);
        errReader.join(10_000);
        return millis;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    int status() {
      return process.exitValue();
    }

    void assertNoStackTrace() {
      String e = stderr();
      assertTrue(!e.contains("\tat ") && !e.contains("Exception"), describe());
    }

    String describe() {
      return String.join(" ", command) + "\nalive: " + process.isAlive() + "\nstdout: "
          + quote(stdout()) + "\nstderr: " + quote(stderr());
    }

    private static String quote(String s) {
      return "\"" + s.replace("\n", "\\n") + "\"";
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroyForcibly();
        try {
          process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
