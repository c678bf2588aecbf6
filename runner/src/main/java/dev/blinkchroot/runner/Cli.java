package dev.blinkchroot.runner;

import dev.blinkchroot.rootfs.ImageException;
import dev.blinkchroot.vfs.ErrnoException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Builds the picocli command tree and turns every way a run can end into an exit status and at
 * most one line on stderr: usage errors give 2 and a hint, run-time errors 1 and the Linux-tool
 * style "blink-chroot: WHAT: WHY". A stack trace appears only for a bug, and only when
 * BLINK_CHROOT_DEBUG=1.
 */
final class Cli {
  static final String NAME = "blink-chroot";
  static final String HELP_HINT = "Try '" + NAME + " --help' for more information.";

  private Cli() {}

  static int run(String[] args, OutputStream stdout, PrintStream stderr, Map<String, String> env) {
    CliContext context = new CliContext(stdout, stderr, env);
    try {
      CommandLine commandLine = build(context);
      return commandLine.execute(args);
    } catch (RuntimeException | Error e) {
      // Only reached if picocli itself fails before a handler runs.
      return reportFailure(e, context);
    } finally {
      context.flushStdout();
    }
  }

  static CommandLine build(CliContext context) {
    CommandLine commandLine = new CommandLine(new BlinkChrootCommand(context));
    commandLine.addSubcommand("fs", new FsCommand(context));
    // Everything after ROOTFS belongs to the guest command (or the fs tool), options included.
    commandLine.setStopAtPositional(true);
    commandLine.setOut(context.stdoutWriter());
    commandLine.setErr(context.stderrWriter());
    commandLine.setParameterExceptionHandler((ex, args) -> reportUsageError(ex, context));
    commandLine.setExecutionExceptionHandler((ex, cl, parseResult) -> reportFailure(ex, context));
    return commandLine;
  }

  static int reportUsageError(ParameterException ex, CliContext context) {
    String where = ex.getCommandLine() == null ? "" : subcommandPrefix(ex.getCommandLine());
    context.flushStdout();
    context.stderr().println(NAME + ": " + where + firstLine(ex.getMessage()));
    context.stderr().println(HELP_HINT);
    return ExitStatus.USAGE;
  }

  /** "fs: " for an error in the fs subcommand, "" at the top level. */
  private static String subcommandPrefix(CommandLine commandLine) {
    String qualified = commandLine.getCommandSpec().qualifiedName(" ");
    return qualified.equals(NAME) || !qualified.startsWith(NAME + " ")
        ? "" : qualified.substring(NAME.length() + 1) + ": ";
  }

  static int reportFailure(Throwable e, CliContext context) {
    context.flushStdout();
    PrintStream err = context.stderr();
    if (e instanceof ParameterException) {
      return reportUsageError((ParameterException) e, context);
    }
    if (e instanceof CliException) {
      err.println(NAME + ": " + e.getMessage());
      return ((CliException) e).exitStatus();
    }
    if (e instanceof StdoutClosedException) {
      return ExitStatus.BROKEN_PIPE;
    }
    String message = userMessage(e);
    if (message != null) {
      err.println(NAME + ": " + message);
      debugTrace(e, context);
      return ExitStatus.FAILURE;
    }
    err.println(NAME + ": internal error: " + e.getClass().getName()
        + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()))
        + " (this is a bug; please report it with the output of BLINK_CHROOT_DEBUG=1 "
        + NAME + " ...)");
    debugTrace(e, context);
    return ExitStatus.FAILURE;
  }

  /** The one-line message for an expected kind of failure, or null for a bug. */
  static String userMessage(Throwable e) {
    if (e instanceof ErrnoException) {
      return ((ErrnoException) e).errno().message();
    }
    if (e instanceof ImageException) {
      return firstLine(e.getMessage());
    }
    if (e instanceof UncheckedIOException) {
      return ioMessage(((UncheckedIOException) e).getCause());
    }
    if (e instanceof IOException) {
      return ioMessage((IOException) e);
    }
    if (e instanceof OutOfMemoryError) {
      return "out of memory (raise the heap with BLINK_CHROOT_JAVA_OPTS=-Xmx...)";
    }
    return null;
  }

  /** java.nio's exceptions name the file in one field and the reason in another. */
  static String ioMessage(IOException e) {
    if (e instanceof FileSystemException) {
      FileSystemException fse = (FileSystemException) e;
      String reason;
      if (e instanceof NoSuchFileException) {
        reason = "No such file or directory";
      } else if (e instanceof AccessDeniedException) {
        reason = "Permission denied";
      } else if (e instanceof NotDirectoryException) {
        reason = "Not a directory";
      } else {
        reason = fse.getReason() == null ? e.getClass().getSimpleName() : fse.getReason();
      }
      return fse.getFile() == null ? reason : fse.getFile() + ": " + reason;
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e.getMessage());
  }

  private static void debugTrace(Throwable e, CliContext context) {
    if ("1".equals(context.env().get("BLINK_CHROOT_DEBUG"))) {
      e.printStackTrace(context.stderr());
    }
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }
}
