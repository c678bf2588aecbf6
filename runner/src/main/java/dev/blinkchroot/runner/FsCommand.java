package dev.blinkchroot.runner;

import dev.blinkchroot.runner.fs.FsTool;
import dev.blinkchroot.runner.fs.FsTools;
import dev.blinkchroot.runner.fs.ToolIo;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code blink-chroot fs ROOTFS TOOL [TOOL-OPTIONS] PATH...}: look inside an image through the
 * same VFS the guest will see, with tools that print what their Linux namesakes print.
 */
final class FsCommand {
  private final CliContext context;
  private final CommandSpec spec;
  private final SandboxOptions sandboxOptions;
  private final PositionalParamSpec rootfs;
  private final PositionalParamSpec toolName;
  private final PositionalParamSpec toolArgs;

  FsCommand(CliContext context) {
    this.context = context;
    spec = CommandSpec.create().name("fs");
    spec.versionProvider(new VersionProvider());
    spec.usageMessage()
        .sortOptions(false)
        .autoWidth(true)
        .header("Inspect an image through the sandbox's file system.")
        .synopsisHeading("%nUsage: ")
        .customSynopsis("@|bold blink-chroot fs|@ [OPTIONS] ROOTFS TOOL [TOOL-OPTIONS] PATH...")
        .parameterListHeading("%nParameters:%n")
        .optionListHeading("%nOptions:%n")
        .footerHeading("%nTools (they print what the Linux tools print; ids are numeric):%n")
        .footer(
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
            "  blink-chroot fs --no-cache alpine.tar.gz tree /etc/apk");
    sandboxOptions = SandboxOptions.addTo(spec);
    Cli.addStandardHelpOptions(spec);
    rootfs = PositionalParamSpec.builder()
        .index("0")
        .arity("1")
        .required(true)
        .paramLabel("ROOTFS")
        .type(Path.class)
        .description("The image: a tarball, a directory, or /.")
        .build();
    toolName = PositionalParamSpec.builder()
        .index("1")
        .arity("1")
        .required(true)
        .paramLabel("TOOL")
        .type(String.class)
        .completionCandidates(FsTools.NAMES)
        .description("One of: ${COMPLETION-CANDIDATES}")
        .build();
    toolArgs = PositionalParamSpec.builder()
        .index("2..*")
        .arity("0..1")
        .paramLabel("ARG")
        .type(List.class)
        .auxiliaryTypes(String.class)
        .description("The tool's options and paths.")
        .build();
    spec.addPositional(rootfs).addPositional(toolName).addPositional(toolArgs);
  }

  CommandSpec spec() {
    return spec;
  }

  /** Runs the parsed command line. */
  int call() {
    String name = toolName.getValue();
    FsTool tool = FsTools.create(name);
    if (tool == null) {
      throw new ParameterException(spec.commandLine(), "unknown tool '" + name
          + "' (expected one of: " + String.join(", ", FsTools.NAMES) + ")");
    }
    parseToolArgs(tool, name);
    ToolIo io = new ToolIo(context.stdout(), context.stderr(), Cli.NAME);
    Path image = rootfs.getValue();
    try (Sandbox sandbox = Sandbox.open(sandboxOptions.toConfig(image, context))) {
      tool.run(sandbox.vfs(), sandbox.newRootContext(), io);
    }
    // Flushing here, not in a finally, so that a closed pipe still decides the exit status.
    context.flushStdoutOrFail();
    return io.failed() ? ExitStatus.FAILURE : ExitStatus.OK;
  }

  /** Tool options are parsed before the image is opened, so that a typo costs no import. */
  private void parseToolArgs(FsTool tool, String name) {
    List<String> args = toolArgs.getValue();
    try {
      tool.parseArgs(args == null ? new String[0] : args.toArray(new String[0]));
    } catch (ParameterException e) {
      throw new ParameterException(spec.commandLine(), name + ": " + e.getMessage(), e);
    }
  }
}
