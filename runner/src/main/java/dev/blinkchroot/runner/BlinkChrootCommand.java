package dev.blinkchroot.runner;

import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Location;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code blink-chroot [OPTIONS] ROOTFS [COMMAND [ARG...]]}: run a program inside an image. */
@Command(name = Cli.NAME,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    headerHeading = "",
    header = "Run a Linux program inside a root file system image, on any JVM.",
    synopsisHeading = "%nUsage: ",
    customSynopsis = {
      "@|bold blink-chroot|@ [OPTIONS] ROOTFS [COMMAND [ARG...]]",
      "       @|bold blink-chroot fs|@ [OPTIONS] ROOTFS TOOL [TOOL-OPTIONS] PATH..."
    },
    descriptionHeading = "%n",
    description = {
      "ROOTFS is a tarball (.tar, .tar.gz, .tar.xz, .tar.bz2), a directory, or / (the host "
          + "root, read-only). The image is never modified: changes go to an overlay upper "
          + "layer (see --store). Options after ROOTFS belong to COMMAND.",
      "",
      "Running programs needs the x86-64 emulator, which is not there yet: for now the main "
          + "form assembles the sandbox and stops. Use 'blink-chroot fs' to look inside an image."
    },
    parameterListHeading = "%nParameters:%n",
    optionListHeading = "%nOptions:%n",
    commandListHeading = "%nCommands:%n",
    footerHeading = "%nExamples:%n",
    footer = {
      "  blink-chroot alpine-minirootfs-3.20.3-x86_64.tar.gz /bin/sh",
      "  blink-chroot fs alpine-minirootfs-3.20.3-x86_64.tar.gz cat /etc/alpine-release",
      "  blink-chroot fs alpine-minirootfs-3.20.3-x86_64.tar.gz ls -l /bin",
      "  blink-chroot fs alpine-minirootfs-3.20.3-x86_64.tar.gz stat /etc/shadow",
      "  blink-chroot fs --bind \"$PWD:/src:ro\" alpine.tar.gz ls -l /src",
      "  blink-chroot --store ./alpine-changes alpine.tar.gz /bin/sh",
      "",
      "Exit status: 0 success, 1 failure, 2 wrong usage, 127 COMMAND not found.",
      "Environment: JAVA_HOME (the JVM), BLINK_CHROOT_JAVA_OPTS (its flags),",
      "             BLINK_CHROOT_DEBUG=1 (stack traces for internal errors)."
    })
final class BlinkChrootCommand implements Callable<Integer> {
  /** Where a COMMAND without a slash is looked for, as execvp does with a login PATH. */
  private static final String[] DEFAULT_PATH = {
    "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"
  };

  private final CliContext context;

  @Spec CommandSpec spec;

  @Mixin SandboxOptions sandboxOptions;

  @Parameters(index = "0", arity = "0..1", paramLabel = "ROOTFS",
      description = "The image: a tarball, a directory, or /.")
  Path rootfs;

  @Parameters(index = "1..*", paramLabel = "COMMAND",
      description = "The program to run and its arguments (default: /bin/sh).")
  List<String> command = new ArrayList<>();

  BlinkChrootCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    if (rootfs == null) {
      throw new ParameterException(spec.commandLine(), "missing ROOTFS");
    }
    List<String> argv = command.isEmpty() ? List.of("/bin/sh") : command;
    try (Sandbox sandbox = Sandbox.open(sandboxOptions.toConfig(rootfs, context))) {
      String program = findProgram(sandbox, argv.get(0));
      throw new CliException("cannot run " + program + ": running programs is not implemented "
          + "yet (the x86-64 emulator comes next); the sandbox of " + sandbox.image().description()
          + " is ready: look inside it with '" + Cli.NAME + " fs " + rootfs + " ls -l /'");
    }
  }

  /**
   * The guest path of the program, found as execvp(3) finds it; a failure reads and exits as
   * chroot(1)'s does (status 127).
   */
  private static String findProgram(Sandbox sandbox, String name) {
    FsContext ctx = sandbox.newRootContext();
    if (name.contains("/")) {
      Errno problem = executableProblem(sandbox, ctx, name);
      if (problem != null) {
        throw new CliException("failed to run command '" + name + "': " + problem.message(),
            127);
      }
      return name;
    }
    for (String dir : DEFAULT_PATH) {
      String candidate = dir + "/" + name;
      if (executableProblem(sandbox, ctx, candidate) == null) {
        return candidate;
      }
    }
    throw new CliException("failed to run command '" + name + "': " + Errno.ENOENT.message(),
        127);
  }

  /** Null if {@code path} is a regular file exec could try; else the errno execve would give. */
  private static Errno executableProblem(Sandbox sandbox, FsContext ctx, String path) {
    try {
      Location at = sandbox.vfs().lookup(ctx, null, path.getBytes(StandardCharsets.UTF_8), 0);
      return at.stat().type() == FileType.REGULAR ? null : Errno.EACCES;
    } catch (ErrnoException e) {
      return e.errno();
    }
  }
}
