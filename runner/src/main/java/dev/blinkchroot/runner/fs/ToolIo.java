package dev.blinkchroot.runner.fs;

import dev.blinkchroot.vfs.Errno;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A tool's stdout (bytes: guest names and data need not be UTF-8) and its error reporting in
 * the form Linux tools use, "PROGRAM: OPERAND: strerror".
 */
public final class ToolIo {
  private final OutputStream out;
  private final PrintStream err;
  private final String program;
  private boolean failed;

  public ToolIo(OutputStream out, PrintStream err, String program) {
    this.out = out;
    this.err = err;
    this.program = program;
  }

  /** Writes bytes; a closed stdout throws an unchecked exception that ends the run. */
  public void write(byte[] bytes) {
    try {
      out.write(bytes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public void print(String text) {
    write(text.getBytes(StandardCharsets.UTF_8));
  }

  public void newline() {
    write(NEWLINE);
  }

  /** Reports a failed operand and remembers that the run failed. */
  public void error(String operand, Errno errno) {
    failed = true;
    try {
      out.flush();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    err.println(program + ": " + operand + ": " + errno.message());
  }

  public boolean failed() {
    return failed;
  }

  private static final byte[] NEWLINE = {'\n'};
}
