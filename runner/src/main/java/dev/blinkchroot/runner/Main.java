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

  /**
   * picocli registers a converter for every type it knows, finding the java.sql and java.time
   * ones by reflection (loading the java.sql module) on every run. The command line uses none
   * of them, so the process skips them; a value set by the user (-D) is kept.
   */
  static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";

  public static void main(String[] args) {
    if (System.getProperty(CONVERTER_EXCLUDES) == null) {
      System.setProperty(CONVERTER_EXCLUDES, "java\\.(sql|time)\\..*");
    }
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
