package dev.blinkchroot.runner;

import dev.blinkchroot.rootfs.ImageException;
import dev.blinkchroot.vfs.ErrnoException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Builds the picocli command tree and turns every way a run can end into an exit status and at
 * most one line on stderr: usage errors give 2 and a hint, run-time errors 1 and the Linux-tool
 * style "blink-chroot: WHAT: WHY". A stack trace appears only for a bug, and only when
 * BLINK_CHROOT_DEBUG=1.
 *
 * <p>Start-up time matters here: the commands are declared with picocli's programmatic API (no
 * annotation scanning), and the parse result is dispatched directly rather than through
 * {@code CommandLine.execute}, so that a normal run loads none of picocli's help machinery.
 */
final class Cli {
  static final String NAME = "blink-chroot";
  static final String HELP_HINT = "Try '" + NAME + " --help' for more information.";

  private Cli() {}

  static int run(String[] args, OutputStream stdout, PrintStream stderr, Map<String, String> env) {
    CliContext context = new CliContext(stdout, stderr, env);
    try {
      return execute(args, context);
    } catch (RuntimeException | Error e) {
      return reportFailure(e, context);
    } finally {
      context.flushStdout();
    }
  }

  private static int execute(String[] args, CliContext context) {
    BlinkChrootCommand main = new BlinkChrootCommand(context);
    // The fs subcommand can only match an argument "fs" (no abbreviations), or one read from
    // an @file: without either, its spec is built only if the top-level help lists it.
    FsCommand fs = mentions(args, "fs") ? new FsCommand(context) : null;
    SyscallsCommand syscalls = mentions(args, "syscalls") ? new SyscallsCommand(context) : null;
    CommandLine commandLine = build(main, fs, syscalls);
    ParseResult parsed;
    try {
      parsed = commandLine.parseArgs(args);
    } catch (ParameterException e) {
      return reportUsageError(e, context);
    }
    // As picocli's execute: the first command in the chain that asks for help gets it.
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.isUsageHelpRequested()) {
        if (fs == null) {
          commandLine.addSubcommand("fs", new CommandLine(new FsCommand(context).spec()));
        }
        if (syscalls == null) {
          commandLine.addSubcommand("syscalls",
              new CommandLine(new SyscallsCommand(context).spec()));
        }
        printUsage(p.commandSpec().commandLine(), context);
        return ExitStatus.OK;
      }
      if (p.isVersionHelpRequested()) {
        printVersion(p.commandSpec(), context);
        return ExitStatus.OK;
      }
    }
    if (!parsed.hasSubcommand()) {
      return main.call();
    }
    return parsed.subcommand().commandSpec().name().equals("fs") ? fs.call() : syscalls.call();
  }

  /** Whether a subcommand may be meant: its name as an argument, or an @file that may hold it. */
  private static boolean mentions(String[] args, String subcommand) {
    for (String arg : args) {
      if (arg.equals(subcommand) || arg.startsWith("@")) {
        return true;
      }
    }
    return false;
  }

  /** The command tree: {@code blink-chroot} with the subcommands that are not null. */
  static CommandLine build(BlinkChrootCommand main, FsCommand fs, SyscallsCommand syscalls) {
    if (fs != null) {
      main.spec().addSubcommand("fs", fs.spec());
    }
    if (syscalls != null) {
      main.spec().addSubcommand("syscalls", syscalls.spec());
    }
    CommandLine commandLine = new CommandLine(main.spec());
    // Everything after ROOTFS belongs to the guest command (or the fs tool), options included.
    commandLine.setStopAtPositional(true);
    return commandLine;
  }

  /** -h/--help and -V/--version, as picocli's mixinStandardHelpOptions declares them. */
  static void addStandardHelpOptions(CommandSpec spec) {
    spec.addOption(OptionSpec.builder("-h", "--help")
        .usageHelp(true)
        .type(boolean.class)
        .descriptionKey("mixinStandardHelpOptions.help")
        .description("Show this help message and exit.")
        .build());
    spec.addOption(OptionSpec.builder("-V", "--version")
        .versionHelp(true)
        .type(boolean.class)
        .descriptionKey("mixinStandardHelpOptions.version")
        .description("Print version information and exit.")
        .build());
  }

  private static void printUsage(CommandLine commandLine, CliContext context) {
    PrintWriter out = context.stdoutWriter();
    commandLine.usage(out, Help.defaultColorScheme(ansi(context)));
    out.flush();
  }

  /** The version lines, as picocli's printVersionHelp prints them without markup. */
  private static void printVersion(CommandSpec spec, CliContext context) {
    PrintWriter out = context.stdoutWriter();
    for (String line : spec.version()) {
      out.println(line);
    }
    out.flush();
  }

  /**
   * Colours (bold names in the help) only when stdout may be a terminal: the launcher says so
   * in BLINK_CHROOT_STDOUT_TTY ("0" or "1"); without the launcher picocli decides (AUTO).
   * Deciding here keeps picocli from probing the console on every run.
   */
  static Help.Ansi ansi(CliContext context) {
    return "0".equals(context.env().get("BLINK_CHROOT_STDOUT_TTY"))
        && !context.env().containsKey("CLICOLOR_FORCE")
        ? Help.Ansi.OFF : Help.Ansi.AUTO;
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
