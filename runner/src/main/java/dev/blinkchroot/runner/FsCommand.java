package dev.blinkchroot.runner;

import dev.blinkchroot.runner.fs.FsTool;
import dev.blinkchroot.runner.fs.FsTools;
import dev.blinkchroot.runner.fs.ToolIo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code blink-chroot fs ROOTFS TOOL [TOOL-OPTIONS] PATH...}: look inside an image through the
 * same VFS the guest will see, with tools that print what their Linux namesakes print.
 */
@Command(name = "fs",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    header = "Inspect an image through the sandbox's file system.",
    synopsisHeading = "%nUsage: ",
    customSynopsis = "@|bold blink-chroot fs|@ [OPTIONS] ROOTFS TOOL [TOOL-OPTIONS] PATH...",
    parameterListHeading = "%nParameters:%n",
    optionListHeading = "%nOptions:%n",
    footerHeading = "%nTools (they print what the Linux tools print; ids are numeric):%n",
    footer = {
      "  ls [-l] [-n] [-a] [-A] [-d] [-1] [PATH...]  list (-l: long format)",
      "  stat [-L] PATH...                           GNU stat's default output",
      "  cat PATH...                                 file contents, as bytes",
      "  readlink [-f] [-n] PATH...                  symlink targets, verbatim",
      "  realpath PATH...                            canonical paths in the sandbox",
      "  tree [-a] [-L LEVEL] [PATH...]              an indented listing",
      "",
      "Examples:",
      "  blink-chroot fs alpine-minirootfs-3.20.3-x86_64.tar.gz readlink /bin/ls",
      "  blink-chroot fs alpine-minirootfs-3.20.3-x86_64.tar.gz ls -l /bin",
      "  blink-chroot fs --no-cache alpine.tar.gz tree /etc/apk"
    })
final class FsCommand implements Callable<Integer> {
  private final CliContext context;

  @Spec CommandSpec spec;

  @Mixin SandboxOptions sandboxOptions;

  @Parameters(index = "0", paramLabel = "ROOTFS", description = "The image: a tarball, a "
      + "directory, or /.")
  Path rootfs;

  @Parameters(index = "1", paramLabel = "TOOL", description = "One of: ${COMPLETION-CANDIDATES}",
      completionCandidates = FsTools.Names.class)
  String toolName;

  @Parameters(index = "2..*", paramLabel = "ARG", description = "The tool's options and paths.")
  List<String> toolArgs = new ArrayList<>();

  FsCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    FsTool tool = FsTools.create(toolName);
    if (tool == null) {
      throw new ParameterException(spec.commandLine(), "unknown tool '" + toolName
          + "' (expected one of: " + String.join(", ", FsTools.NAMES) + ")");
    }
    parseToolArgs(tool);
    ToolIo io = new ToolIo(context.stdout(), context.stderr(), Cli.NAME);
    try (Sandbox sandbox = Sandbox.open(sandboxOptions.toConfig(rootfs, context))) {
      tool.run(sandbox.vfs(), sandbox.newRootContext(), io);
    }
    // Flushing here, not in a finally, so that a closed pipe still decides the exit status.
    context.flushStdoutOrFail();
    return io.failed() ? ExitStatus.FAILURE : ExitStatus.OK;
  }

  /** Tool options are parsed before the image is opened, so that a typo costs no import. */
  private void parseToolArgs(FsTool tool) {
    CommandLine toolLine = new CommandLine(tool);
    try {
      toolLine.parseArgs(toolArgs.toArray(new String[0]));
    } catch (ParameterException e) {
      throw new ParameterException(spec.commandLine(), toolName + ": " + e.getMessage(), e);
    }
  }
}
