package dev.blinkchroot.runner;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code blink-chroot [OPTIONS] ROOTFS [COMMAND [ARG...]]}: run a program inside an image.
 *
 * <p>The command line is declared with picocli's programmatic API rather than annotations: the
 * annotation model costs reflection and a dynamic proxy per annotation, which dominated the
 * start-up time of a short run.
 */
final class BlinkChrootCommand {
  private final CliContext context;
  private final CommandSpec spec;
  private final SandboxOptions sandboxOptions;
  private final RunOptions runOptions;
  private final PositionalParamSpec rootfs;
  private final PositionalParamSpec command;

  BlinkChrootCommand(CliContext context) {
    this.context = context;
    spec = CommandSpec.create().name(Cli.NAME);
    spec.versionProvider(new VersionProvider());
    UsageMessageSpec usage = spec.usageMessage();
    usage.sortOptions(false)
        .autoWidth(true)
        .headerHeading("")
        .header("Run a Linux program inside a root file system image, on any JVM.")
        .synopsisHeading("%nUsage: ")
        .customSynopsis(
            "@|bold blink-chroot|@ [OPTIONS] ROOTFS [COMMAND [ARG...]]",
            "       @|bold blink-chroot fs|@ [OPTIONS] ROOTFS TOOL [TOOL-OPTIONS] PATH...")
        .descriptionHeading("%n")
        .description(
            "ROOTFS is a tarball (.tar, .tar.gz, .tar.xz, .tar.bz2), a directory, or / (the host "
                + "root, read-only). The image is never modified: changes go to an overlay upper "
                + "layer (see --store). Options after ROOTFS belong to COMMAND.",
            "",
            "COMMAND is looked up on the guest's PATH and runs in the x86-64 emulator; its exit "
                + "status is blink-chroot's (128+N if signal N killed it). Use 'blink-chroot fs' "
                + "to look inside an image without running anything.")
        .parameterListHeading("%nParameters:%n")
        .optionListHeading("%nOptions:%n")
        .commandListHeading("%nCommands:%n")
        .footerHeading("%nExamples:%n")
        .footer(
            "  blink-chroot alpine-minirootfs-3.20.3-x86_64.tar.gz /bin/sh",
            "  blink-chroot alpine.tar.gz sha256sum /bin/busybox",
            "  blink-chroot --strace --report alpine.tar.gz cat /etc/alpine-release",
            "  blink-chroot --deny-syscall unlink:EACCES alpine.tar.gz rm /etc/motd",
            "  blink-chroot syscalls",
            "  blink-chroot fs alpine-minirootfs-3.20.3-x86_64.tar.gz cat /etc/alpine-release",
            "  blink-chroot fs alpine-minirootfs-3.20.3-x86_64.tar.gz ls -l /bin",
            "  blink-chroot fs alpine-minirootfs-3.20.3-x86_64.tar.gz stat /etc/shadow",
            "  blink-chroot fs --bind \"$PWD:/src:ro\" alpine.tar.gz ls -l /src",
            "  blink-chroot --store ./alpine-changes alpine.tar.gz /bin/sh",
            "",
            "Exit status: COMMAND's; 1 failure, 2 wrong usage, 125 bad --workdir, 126 COMMAND "
                + "cannot run, 127 COMMAND not found.",
            "Environment: JAVA_HOME (the JVM), BLINK_CHROOT_JAVA_OPTS (its flags),",
            "             BLINK_CHROOT_DEBUG=1 (stack traces for internal errors).");
    sandboxOptions = SandboxOptions.addTo(spec);
    runOptions = RunOptions.addTo(spec);
    Cli.addStandardHelpOptions(spec);
    rootfs = PositionalParamSpec.builder()
        .index("0")
        .arity("0..1")
        .paramLabel("ROOTFS")
        .type(Path.class)
        .description("The image: a tarball, a directory, or /.")
        .build();
    command = PositionalParamSpec.builder()
        .index("1..*")
        .arity("0..1")
        .paramLabel("COMMAND")
        .type(List.class)
        .auxiliaryTypes(String.class)
        .description("The program to run and its arguments (default: /bin/sh).")
        .build();
    spec.addPositional(rootfs).addPositional(command);
  }

  CommandSpec spec() {
    return spec;
  }

  /** Runs the parsed command line: the program's exit status is blink-chroot's. */
  int call() {
    Path image = rootfs.getValue();
    if (image == null) {
      throw new ParameterException(spec.commandLine(), "missing ROOTFS");
    }
    List<String> words = command.getValue();
    // No COMMAND: a shell, as chroot(1) runs one.
    List<String> argv = words == null || words.isEmpty() ? List.of("/bin/sh") : words;
    try (Sandbox sandbox = Sandbox.open(sandboxOptions.toConfig(image, context))) {
      return GuestRun.run(sandbox, image, runOptions.values(), argv, context);
    }
  }
}
