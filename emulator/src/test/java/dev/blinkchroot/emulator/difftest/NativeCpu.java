package dev.blinkchroot.emulator.difftest;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The host CPU as the reference: runs snippets natively in a helper process built from
 * {@code difftest/runner.c} with gcc (once per JVM). The protocol is in {@link Wire}.
 *
 * <p>Many cases go through one process; a case that kills the process (it scribbled on the
 * harness) gets a {@link Outcome.Kind#CRASHED} outcome and a fresh process runs the rest. A case
 * looping for about a second is stopped and reported as a timeout.
 */
public final class NativeCpu {
  private static final long STALL_MILLIS = 60_000;
  private static NativeCpu instance;
  private static boolean stderrShown;

  private final Path exe;
  private int mxcsrMask = -1;

  private NativeCpu(Path exe) {
    this.exe = exe;
  }

  /** The shared instance; builds the runner on first use. Fails without gcc. */
  public static synchronized NativeCpu get() {
    if (instance == null) {
      instance = new NativeCpu(build());
    }
    return instance;
  }

  private static Path build() {
    Tools.requireX86_64();
    Path dir = Tools.tempDir();
    Path src = dir.resolve("runner.c");
    Path exe = dir.resolve("difftest-runner");
    try (InputStream in = NativeCpu.class.getResourceAsStream("/difftest/runner.c")) {
      if (in == null) {
        throw new AssertionError("test resource difftest/runner.c is missing");
      }
      Files.copy(in, src);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Tools.Result r = Tools.run(List.of("gcc", "-O2", "-Wall", "-o", exe.toString(),
        src.toString()), "gcc");
    if (r.exit() != 0) {
      throw new AssertionError("gcc could not build the difftest runner:\n" + r.output());
    }
    return exe;
  }

  /** MXCSR bits the host accepts (from FXSAVE's MXCSR_MASK). */
  public synchronized int mxcsrMask() {
    if (mxcsrMask < 0) {
      run(List.of());
    }
    return mxcsrMask;
  }

  /** Runs one case. */
  public Outcome run(Case c) {
    return run(List.of(c)).get(0);
  }

  /** Assembles and runs one snippet. */
  public Outcome run(String asm, MachineState initial) {
    return run(Case.of(asm, initial));
  }

  /** The host as an {@link EmulatedCpu}, to test the differential machinery itself. */
  public EmulatedCpu asEmulatedCpu() {
    return (code, initial) -> run(Case.ofBytes(code, initial));
  }

  /** Runs all cases in order, one outcome per case. */
  public List<Outcome> run(List<Case> cases) {
    for (Case c : cases) {
      validate(c);
    }
    List<Outcome> out = new ArrayList<>(cases.size());
    do {
      runProcess(cases, out);
    } while (out.size() < cases.size());
    return out;
  }

  private void validate(Case c) {
    long rf = c.initial().rflags();
    if ((rf & ~RFlags.SETTABLE) != RFlags.FIXED) {
      throw new IllegalArgumentException(String.format("initial RFLAGS %#x: must be 0x202 plus"
          + " some of CF PF AF ZF SF DF OF (%s)", rf, c.label()));
    }
    if (mxcsrMask >= 0 && (c.initial().mxcsr() & ~mxcsrMask) != 0) {
      throw new IllegalArgumentException(String.format("initial MXCSR %#x has bits outside the"
          + " host's MXCSR_MASK %#x (%s)", c.initial().mxcsr(), mxcsrMask, c.label()));
    }
  }

  /** Runs cases from {@code out.size()} on in one process, appending outcomes. */
  private void runProcess(List<Case> cases, List<Outcome> out) {
    Process p;
    try {
      p = new ProcessBuilder(exe.toString()).start();
    } catch (IOException e) {
      throw new AssertionError("cannot start the difftest runner " + exe + ": " + e, e);
    }
    StringBuilder stderr = new StringBuilder();
    Thread errReader = drain(p.getErrorStream(), stderr);
    int from = out.size();
    final int[] progress = {from};
    Thread feeder = null;
    Thread watchdog = null;
    try {
      DataInputStream in = new DataInputStream(new BufferedInputStream(p.getInputStream(),
          1 << 16));
      readHello(in, p, errReader, stderr);
      feeder = new Thread(() -> feed(p.getOutputStream(), cases, from), "difftest-feeder");
      feeder.setDaemon(true);
      feeder.start();
      watchdog = watchdog(p, progress);
      for (int i = from; i < cases.size(); i++) {
        Outcome o;
        try {
          o = Wire.readOutcome(in, cases.get(i));
        } catch (IOException e) {
          o = null;
        }
        if (o == null) {
          out.add(Outcome.crashed(deathMessage(p, errReader, stderr)));
          return;
        }
        out.add(o);
        synchronized (progress) {
          progress[0] = i + 1;
        }
      }
    } finally {
      if (watchdog != null) {
        watchdog.interrupt();
      }
      p.destroy();
      try {
        if (feeder != null) {
          feeder.join(10_000);
        }
        errReader.join(10_000);
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      showStderrOnce(stderr);
    }
  }

  private void readHello(DataInputStream in, Process p, Thread errReader, StringBuilder stderr) {
    byte[] hello = new byte[Wire.HELLO_SIZE];
    try {
      in.readFully(hello);
    } catch (IOException e) {
      throw new AssertionError("the difftest runner did not start: "
          + deathMessage(p, errReader, stderr));
    }
    ByteBuffer h = Wire.le(hello);
    int magic = h.getInt();
    int version = h.getInt();
    long dataBase = h.getLong();
    int dataSize = h.getInt();
    long codeBase = h.getLong();
    int codeSize = h.getInt();
    int mask = h.getInt();
    int stateSize = h.getInt();
    if (magic != Wire.MAGIC_HELLO || version != Wire.VERSION || dataBase != MachineState.DATA_BASE
        || dataSize != MachineState.DATA_SIZE || codeBase != MachineState.CODE_BASE
        || codeSize != MachineState.CODE_SIZE || stateSize != Wire.STATE_SIZE) {
      throw new AssertionError("difftest runner.c and MachineState/Wire disagree on the layout");
    }
    synchronized (this) {
      mxcsrMask = mask;
    }
  }

  private static void feed(OutputStream os, List<Case> cases, int from) {
    try (OutputStream o = new BufferedOutputStream(os, 1 << 16)) {
      byte[] lastData = null;
      for (int i = from; i < cases.size(); i++) {
        Case c = cases.get(i);
        boolean same = lastData != null && Arrays.equals(lastData, c.initial().data());
        o.write(Wire.encodeCase(c, !same));
        if (!same) {
          lastData = c.initial().data().clone();
        }
      }
    } catch (IOException e) {
      // the runner died; the reader reports it
    }
  }

  /** Kills the runner when it makes no progress for a minute (it has its own 1 s timeout). */
  private static Thread watchdog(Process p, int[] progress) {
    Thread t = new Thread(() -> {
      int last = -1;
      try {
        while (true) {
          Thread.sleep(STALL_MILLIS);
          int now;
          synchronized (progress) {
            now = progress[0];
          }
          if (now == last) {
            p.destroyForcibly();
            return;
          }
          last = now;
        }
      } catch (InterruptedException e) {
        // batch finished
      }
    }, "difftest-watchdog");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static Thread drain(InputStream err, StringBuilder sink) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[4096];
      try {
        int n;
        while ((n = err.read(buf)) > 0) {
          synchronized (sink) {
            if (sink.length() < 65536) {
              sink.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
          }
        }
      } catch (IOException e) {
        // process gone
      }
    }, "difftest-stderr");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static String deathMessage(Process p, Thread errReader, StringBuilder stderr) {
    String status;
    try {
      if (p.waitFor(10, TimeUnit.SECONDS)) {
        int ev = p.exitValue();
        status = ev > 128 ? "killed by signal " + (ev - 128) : "exit status " + ev;
      } else {
        p.destroyForcibly();
        status = "no output, killed";
      }
      errReader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = "interrupted";
    }
    synchronized (stderr) {
      String err = stderr.toString().trim();
      return "difftest runner ended (" + status + ")" + (err.isEmpty() ? "" : ": " + err);
    }
  }

  private static synchronized void showStderrOnce(StringBuilder stderr) {
    synchronized (stderr) {
      if (!stderrShown && stderr.length() > 0) {
        stderrShown = true;
        System.err.print(stderr);
      }
    }
  }
}
