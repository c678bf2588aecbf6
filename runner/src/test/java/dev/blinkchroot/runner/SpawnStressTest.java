package dev.blinkchroot.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 fork/exec/wait cycles in one sandbox, run in this JVM: the guest (programs/spawn_loop.c,
 * static musl) forks, the child execs the image's /bin/true, the parent reaps it. The JVM must end
 * where it started: no more live threads, no more open host descriptors (/proc/self/fd of this
 * JVM), and the heap after a full GC within {@link #HEAP_SLACK} of where it was. The same three
 * are measured inside the run after every 1000th cycle, when no child is alive (the guest writes
 * "cycle K" and waits in that write while the test measures): from the first of those points to
 * the last they may not grow beyond a small slack, so a leak per cycle shows even if tearing the
 * sandbox down would hide it.
 *
 * <p>It runs minutes, so it is tagged "stress" and left out of the default build; run it with
 *
 * <pre>
 * mvn -B -pl runner -am test -Pstress -Dtest=SpawnStressTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * ({@code -Dstress.cycles=N} changes the count, {@code -Dstress.warmUpCycles=N} the warm-up run
 * before the baseline). It needs the Alpine tarball and musl-gcc and fails without them; until
 * the kernel has fork it fails at the first cycle of the warm-up, naming the call.
 */
@Tag("stress")
class SpawnStressTest {
  static final int CYCLES = Integer.getInteger("stress.cycles", 10_000);
  static final int WARM_UP_CYCLES = Integer.getInteger("stress.warmUpCycles", 200);
  /** Full GCs leave some noise (class data, JIT structures, TLABs); a leak per cycle is more. */
  static final long HEAP_SLACK = 32L << 20;
  /** A reaped child's thread may still be unwinding when its parent's wait4 returns. */
  static final int THREAD_SLACK = 2;
  static final int FD_SLACK = 4;

  @TempDir static Path tmp;

  /** Live threads, open descriptors and used heap of this JVM, after a full GC. */
  record Usage(int threads, long fds, long heap) {
    static Usage measure() {
      System.gc();
      System.gc();
      return new Usage(ManagementFactory.getThreadMXBean().getThreadCount(), openFds(),
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    @Override
    public String toString() {
      return threads + " threads, " + fds + " open descriptors, heap " + (heap >> 20) + " MiB";
    }
  }

  static long openFds() {
    Path fdDir = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fdDir)) {
      return fail("this test counts the JVM's open descriptors in /proc/self/fd: it needs Linux");
    }
    try (Stream<Path> fds = Files.list(fdDir)) {
      return fds.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The guest's stdout: measures the JVM at each "cycle K" line, while the guest waits. */
  static final class Sampler extends OutputStream {
    final ByteArrayOutputStream all = new ByteArrayOutputStream();
    final Map<Integer, Usage> samples = new TreeMap<>();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      all.write(b);
      if (b != '\n') {
        line.write(b);
        return;
      }
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      if (text.matches("cycle \\d+")) {
        samples.put(Integer.parseInt(text.substring(6)), Usage.measure());
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      for (int i = 0; i < len; i++) {
        write(b[off + i]);
      }
    }

    String text() {
      return all.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void forkExecWaitCycles_leaveThreadsDescriptorsAndHeapWhereTheyWere() throws Exception {
    GuestRun.stdioThroughContext = true;
    Path programs = Files.createDirectories(tmp.resolve("programs"));
    Path cache = Files.createDirectories(tmp.resolve("cache"));
    compileLoop(programs);

    // Imports the image into the cache, loads and compiles the code paths and starts whatever
    // runs once per JVM, so that the baseline is a warm JVM.
    Sampler warm = new Sampler();
    String warmErr = runLoop(programs, cache, WARM_UP_CYCLES, warm);
    assertTrue(warm.text().endsWith("done " + WARM_UP_CYCLES + "\n"),
        "warm-up run: " + warm.text() + warmErr);

    Usage before = Usage.measure();
    Sampler sampler = new Sampler();
    String err = runLoop(programs, cache, CYCLES, sampler);
    assertEquals("done " + CYCLES + "\n", lastLine(sampler.text()),
        "the guest's output: " + sampler.text() + "stderr: " + err);
    assertEquals("", err, "blink-chroot's stderr");

    List<Integer> points = List.copyOf(sampler.samples.keySet());
    assertEquals(CYCLES / 1000, points.size(), "measurements at every 1000th cycle: " + points);
    if (points.size() >= 2) {
      Usage first = sampler.samples.get(points.get(0));
      Usage last = sampler.samples.get(points.get(points.size() - 1));
      String growth = "in the run, at cycle " + points.get(0) + ": " + first + "; at cycle "
          + points.get(points.size() - 1) + ": " + last + "; all: " + sampler.samples;
      assertTrue(last.threads() <= first.threads() + THREAD_SLACK, "threads grew " + growth);
      assertTrue(last.fds() <= first.fds() + FD_SLACK, "descriptors grew " + growth);
      assertTrue(last.heap() <= first.heap() + HEAP_SLACK, "heap grew " + growth);
    }

    Usage after = settle(before);
    String change = "before the run: " + before + "; after it: " + after;
    assertTrue(after.threads() <= before.threads(), "threads left behind: " + change
        + "; live now: " + threadNames());
    assertTrue(after.fds() <= before.fds(), "descriptors left open: " + change
        + "; open now: " + fdTargets());
    assertTrue(after.heap() <= before.heap() + HEAP_SLACK, "heap kept: " + change);
  }

  /** Measures until threads and descriptors are back to BEFORE's, or 10 s have passed. */
  private static Usage settle(Usage before) throws InterruptedException {
    Usage now = Usage.measure();
    for (int i = 0; i < 100 && (now.threads() > before.threads() || now.fds() > before.fds());
        i++) {
      Thread.sleep(100);
      now = Usage.measure();
    }
    return now;
  }

  private static String runLoop(Path programs, Path cache, int cycles, Sampler out) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] args = {"--cache-dir", cache.toString(), "-v", programs + ":/t:ro",
        alpine().toString(), "/t/spawn_loop", Integer.toString(cycles), "/bin/true"};
    int status = Main.run(args, out, new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of("TERM", "xterm"));
    String errText = err.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, "blink-chroot ... ALPINE /t/spawn_loop " + cycles + " /bin/true: "
        + out.text() + "stderr: " + errText);
    return errText;
  }

  private static String lastLine(String text) {
    int end = text.endsWith("\n") ? text.length() - 1 : text.length();
    return text.substring(text.lastIndexOf('\n', end - 1) + 1);
  }

  private static String threadNames() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted()
        .collect(Collectors.joining(", "));
  }

  private static String fdTargets() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(p -> {
        try {
          return p.getFileName() + " -> " + Files.readSymbolicLink(p);
        } catch (IOException e) {
          return p.getFileName() + " (gone)";
        }
      }).collect(Collectors.joining(", "));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static void compileLoop(Path programs) throws IOException, InterruptedException {
    Path src = programs.resolve("spawn_loop.c");
    try (InputStream in = SpawnStressTest.class.getResourceAsStream("programs/spawn_loop.c")) {
      Files.write(src, in.readAllBytes());
    }
    List<String> command = List.of("musl-gcc", "-static", "-O1", "-o",
        programs.resolve("spawn_loop").toString(), src.toString());
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      fail("cannot run musl-gcc (install the Debian package musl-tools): " + e.getMessage());
      return;
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail(String.join(" ", command) + " failed: " + output);
    }
  }

  private static Path alpine() {
    return GuestRunTest.alpine();
  }
}
