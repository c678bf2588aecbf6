package dev.blinkchroot.runner;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a run talks to: stdout as bytes (guest data is not text), stderr, and the environment
 * (passed in rather than read from System.getenv so that tests can run the CLI in-process).
 */
public final class CliContext {
  private final OutputStream stdout;
  private final PrintStream stderr;
  private final Map<String, String> env;
  private PrintWriter stdoutWriter;

  CliContext(OutputStream stdout, PrintStream stderr, Map<String, String> env) {
    this.stdout = new StdoutStream(new BufferedOutputStream(stdout, 1 << 16));
    this.stderr = stderr;
    this.env = env;
  }

  /** Buffered; a write failure (a closed pipe) surfaces as {@link StdoutClosedException}. */
  public OutputStream stdout() {
    return stdout;
  }

  public PrintStream stderr() {
    return stderr;
  }

  public Map<String, String> env() {
    return env;
  }

  /** The launcher sets BLINK_CHROOT_STDERR_TTY=1 when stderr is a terminal; Java cannot tell. */
  public boolean stderrIsTerminal() {
    return "1".equals(env.get("BLINK_CHROOT_STDERR_TTY"));
  }

  PrintWriter stdoutWriter() {
    if (stdoutWriter == null) {
      stdoutWriter = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    }
    return stdoutWriter;
  }

  /** Flushes stdout; a reader that went away gives {@link StdoutClosedException}. */
  public void flushStdoutOrFail() {
    try {
      stdout.flush();
    } catch (IOException e) {
      throw new StdoutClosedException(e);
    }
  }

  /** Flushes stdout so that it and stderr appear in the order they were written. */
  public void flushStdout() {
    try {
      if (stdoutWriter != null) {
        stdoutWriter.flush();
      }
      stdout.flush();
    } catch (StdoutClosedException e) {
      // Nobody is reading; the exit status already says so or will.
    } catch (IOException e) {
      // Same: there is nowhere left to report it.
    }
  }

  /** Turns a failed stdout write into an unchecked, recognisable exception. */
  private static final class StdoutStream extends OutputStream {
    private final OutputStream out;

    StdoutStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      try {
        out.write(b);
      } catch (IOException e) {
        throw new StdoutClosedException(e);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        throw new StdoutClosedException(e);
      }
    }

    @Override
    public void flush() {
      try {
        out.flush();
      } catch (IOException e) {
        throw new StdoutClosedException(e);
      }
    }
  }
}
