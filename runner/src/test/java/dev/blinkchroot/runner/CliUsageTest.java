package dev.blinkchroot.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line in-process: parsing, usage errors and their exit status. No image needed. */
class CliUsageTest {
  private record Result(int status, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, out, new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of());
    return new Result(status, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  private static void assertUsageError(Result r, String firstLine) {
    assertEquals(ExitStatus.USAGE, r.status(), r.err());
    assertEquals("", r.out());
    assertEquals(firstLine + "\nTry 'blink-chroot --help' for more information.\n", r.err());
  }

  @Test
  void noArguments_isAUsageError() {
    assertUsageError(run(), "blink-chroot: missing ROOTFS");
  }

  @Test
  void unknownOption_isAUsageError() {
    assertUsageError(run("--frobnicate", "x.tar"), "blink-chroot: Unknown option: '--frobnicate'");
  }

  @Test
  void storeWithoutValue_isAUsageError() {
    Result r = run("--store");
    assertEquals(ExitStatus.USAGE, r.status());
    assertTrue(r.err().startsWith("blink-chroot: Missing required parameter for option '--store'"),
        r.err());
  }

  @Test
  void malformedBind_isAUsageError() {
    Result r = run("--bind", "/data", "x.tar");
    assertEquals(ExitStatus.USAGE, r.status());
    assertTrue(r.err().contains("expected HOST:GUEST[:ro], got '/data'"), r.err());
  }

  @Test
  void relativeGuestPathInBind_isAUsageError() {
    Result r = run("-v", "/data:data", "x.tar");
    assertEquals(ExitStatus.USAGE, r.status());
    assertTrue(r.err().contains("must be absolute"), r.err());
  }

  @Test
  void fsWithoutTool_isAUsageError() {
    assertUsageError(run("fs", "x.tar"), "blink-chroot: fs: Missing required parameter: 'TOOL'");
  }

  @Test
  void fsUnknownTool_isAUsageErrorListingTheTools() {
    assertUsageError(run("fs", "x.tar", "chmod", "/"),
        "blink-chroot: fs: unknown tool 'chmod' (expected one of: ls, stat, cat, readlink, "
            + "realpath, tree)");
  }

  @Test
  void fsUnknownToolOption_isAUsageErrorBeforeTheImageIsOpened() {
    // x.tar does not exist: a usage error must win over the missing file.
    assertUsageError(run("fs", "x.tar", "ls", "-z", "/"),
        "blink-chroot: fs: ls: Unknown option: '-z'");
  }

  @Test
  void fsStatWithoutPath_isAUsageError() {
    Result r = run("fs", "x.tar", "stat");
    assertEquals(ExitStatus.USAGE, r.status());
    assertTrue(r.err().startsWith("blink-chroot: fs: stat: Missing required parameter"), r.err());
  }

  @Test
  void optionsAfterRootfs_belongToTheCommand() {
    // "--frobnicate" follows ROOTFS, so it is the guest's, not a usage error; the run then
    // fails only because the image is missing.
    Result r = run("/nonexistent/image.tar", "/bin/sh", "--frobnicate");
    assertEquals(ExitStatus.FAILURE, r.status());
    assertEquals("blink-chroot: /nonexistent/image.tar: No such file or directory\n", r.err());
  }

  @Test
  void fsToolOptionsAfterRootfs_belongToTheTool() {
    Result r = run("fs", "/nonexistent/image.tar", "ls", "--store", "x");
    assertEquals(ExitStatus.USAGE, r.status());
    assertTrue(r.err().startsWith("blink-chroot: fs: ls: Unknown option: '--store'"), r.err());
  }

  @Test
  void missingRootfs_isARuntimeError() {
    Result r = run("fs", "/nonexistent/image.tar", "cat", "/etc/alpine-release");
    assertEquals(ExitStatus.FAILURE, r.status());
    assertEquals("blink-chroot: /nonexistent/image.tar: No such file or directory\n", r.err());
  }

  @Test
  void version_printsTheProjectVersion() {
    Result r = run("--version");
    assertEquals(ExitStatus.OK, r.status());
    assertTrue(r.out().startsWith("blink-chroot "), r.out());
    assertFalse(r.out().startsWith("blink-chroot ${"), "version.properties was not filtered");
  }

  @Test
  void syscalls_listsTheTableWithSupportLevelsAndATotal() {
    Result r = run("syscalls");
    assertEquals(ExitStatus.OK, r.status());
    assertTrue(r.out().startsWith("  nr  name                     support  note\n"), r.out());
    assertTrue(r.out().contains("\n   0  read                     full     \n"), r.out());
    assertTrue(r.out().contains("\n 334  rseq                     ENOSYS   restartable sequences"),
        r.out());
    assertTrue(r.out().lines().reduce((a, b) -> b).orElse("").matches(
        "\\d+ calls: \\d+ full, \\d+ partial, \\d+ fixed errno; every other number returns ENOSYS"
            + " and is reported by name"), r.out());
  }

  @Test
  void help_showsUsageAndExamples() {
    Result r = run("--help");
    assertEquals(ExitStatus.OK, r.status());
    assertTrue(r.out().contains("blink-chroot [OPTIONS] ROOTFS [COMMAND [ARG...]]"), r.out());
    assertTrue(r.out().contains("Examples:"), r.out());
    assertTrue(r.out().contains("--store"), r.out());
    assertEquals("", r.err());
  }

  @Test
  void help_listsTheFsAndSyscallsCommands_andHelpOptionsLast() {
    String out = run("-h").out();
    assertTrue(out.contains(("%nCommands:%n  fs        Inspect an image through the sandbox's file"
        + " system.%n  syscalls  List the implemented system calls and how complete each is.%n")
        .formatted()), out);
    assertTrue(out.contains("  -h, --help               Show this help message and exit.\n"
        + "  -V, --version            Print version information and exit.\n"), out);
  }

  @Test
  void helpWins_overVersion_andOverErrorsLaterOnTheLine() {
    assertEquals(run("--help").out(), run("-hV").out());
    Result r = run("--help", "--frobnicate");
    assertEquals(ExitStatus.OK, r.status());
    assertEquals(run("--help").out(), r.out());
    assertEquals(run("--version").out(), run("fs", "--version").out());
  }

  @Test
  void parentOptionsBeforeFs_areAccepted() {
    Result r = run("--no-cache", "fs", "/nonexistent/image.tar", "cat", "/x");
    assertEquals(ExitStatus.FAILURE, r.status());
    assertEquals("blink-chroot: /nonexistent/image.tar: No such file or directory\n", r.err());
  }

  @Test
  void fsReadFromAnAtFile_isStillTheSubcommand(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path tmp) throws java.io.IOException {
    java.nio.file.Path args = tmp.resolve("args");
    java.nio.file.Files.writeString(args, "fs\n/nonexistent/image.tar\ncat\n/x\n");
    Result r = run("@" + args);
    assertEquals(ExitStatus.FAILURE, r.status(), r.err());
    assertEquals("blink-chroot: /nonexistent/image.tar: No such file or directory\n", r.err());
  }

  @Test
  void helpIsPlain_whenTheLauncherSaysStdoutIsNoTerminal() {
    CliContext piped = new CliContext(new ByteArrayOutputStream(), System.err,
        Map.of("BLINK_CHROOT_STDOUT_TTY", "0"));
    assertEquals(picocli.CommandLine.Help.Ansi.OFF, Cli.ansi(piped));
    CliContext forced = new CliContext(new ByteArrayOutputStream(), System.err,
        Map.of("BLINK_CHROOT_STDOUT_TTY", "0", "CLICOLOR_FORCE", "1"));
    assertEquals(picocli.CommandLine.Help.Ansi.AUTO, Cli.ansi(forced));
    CliContext terminal = new CliContext(new ByteArrayOutputStream(), System.err,
        Map.of("BLINK_CHROOT_STDOUT_TTY", "1"));
    assertEquals(picocli.CommandLine.Help.Ansi.AUTO, Cli.ansi(terminal));
  }

  @Test
  void fsHelp_listsTheTools() {
    Result r = run("fs", "--help");
    assertEquals(ExitStatus.OK, r.status());
    for (String tool : new String[] {"ls", "stat", "cat", "readlink", "realpath", "tree"}) {
      assertTrue(r.out().contains("  " + tool + " "), tool + " in\n" + r.out());
    }
  }

  private static String reportFailure(Throwable e, Map<String, String> env, int[] status) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliContext ctx = new CliContext(new ByteArrayOutputStream(),
        new PrintStream(err, true, StandardCharsets.UTF_8), env);
    status[0] = Cli.reportFailure(e, ctx);
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void internalError_isOneLineNamingTheExceptionWithAHint() {
    int[] status = new int[1];
    String err = reportFailure(new IllegalStateException("boom\nsecond line"), Map.of(), status);
    assertEquals(ExitStatus.FAILURE, status[0]);
    assertTrue(err.startsWith("blink-chroot: internal error: java.lang.IllegalStateException: "
        + "boom (this is a bug; please report it"), err);
    assertEquals(1, err.lines().count(), err);
  }

  @Test
  void internalError_withDebug_addsTheStackTrace() {
    int[] status = new int[1];
    String err = reportFailure(new IllegalStateException("boom"),
        Map.of("BLINK_CHROOT_DEBUG", "1"), status);
    assertTrue(err.contains("\tat dev.blinkchroot.runner.CliUsageTest"), err);
  }

  @Test
  void errnoAndIoErrors_readLikeLinuxTools() {
    int[] status = new int[1];
    assertEquals("blink-chroot: Permission denied\n",
        reportFailure(dev.blinkchroot.vfs.Errno.EACCES.exception(), Map.of(), status));
    assertEquals(ExitStatus.FAILURE, status[0]);
    assertEquals("blink-chroot: /x/y: No such file or directory\n",
        reportFailure(new java.io.UncheckedIOException(
            new java.nio.file.NoSuchFileException("/x/y")), Map.of(), status));
    // ImageException (made only by rootfs-tools) is covered end to end by CliIT's corrupt archives.
  }

  @Test
  void closedStdout_exitsQuietlyWithTheSigpipeStatus() {
    int[] status = new int[1];
    String err = reportFailure(new StdoutClosedException(new java.io.IOException("Broken pipe")),
        Map.of(), status);
    assertEquals(ExitStatus.BROKEN_PIPE, status[0]);
    assertEquals("", err);
  }
}
