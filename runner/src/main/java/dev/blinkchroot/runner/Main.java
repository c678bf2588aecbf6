package dev.blinkchroot.runner;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * The entry point of the {@code blink-chroot} executable. Kept tiny: class loading is a large
 * part of the start-up time of a short-lived JVM, so nothing here is initialised eagerly.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // Raw file-descriptor streams: guest file names and file data are bytes, not characters.
    OutputStream stdout = new FileOutputStream(FileDescriptor.out);
    PrintStream stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
    int status = Cli.run(args, stdout, stderr, System.getenv());
    System.exit(status);
  }

  /** Runs the command in-process; for tests. */
  static int run(String[] args, OutputStream stdout, PrintStream stderr, Map<String, String> env) {
    return Cli.run(args, stdout, stderr, env);
  }
}
