package dev.blinkchroot.runner;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The options of the main form that say how the guest program runs (the sandbox's own options
 * are {@link SandboxOptions}): its environment, working directory, identity, hostname, address
 * randomisation and the system calls it is denied. Declared through picocli's programmatic API,
 * as the others, and read back after parsing by {@link #values}.
 */
final class RunOptions {
  /** The parsed values; empty lists and nulls where an option was not given. */
  record Values(List<String> env, String workdir, String user, String hostname, boolean aslr,
      List<String> denySyscalls, boolean strace, java.nio.file.Path straceFile, boolean report,
      boolean noJit) {}

  private final OptionSpec env;
  private final OptionSpec workdir;
  private final OptionSpec user;
  private final OptionSpec hostname;
  private final OptionSpec aslr;
  private final OptionSpec deny;
  private final OptionSpec strace;
  private final OptionSpec straceFile;
  private final OptionSpec report;
  private final OptionSpec noJit;

  private RunOptions(OptionSpec env, OptionSpec workdir, OptionSpec user, OptionSpec hostname,
      OptionSpec aslr, OptionSpec deny, OptionSpec strace, OptionSpec straceFile,
      OptionSpec report, OptionSpec noJit) {
    this.env = env;
    this.workdir = workdir;
    this.user = user;
    this.hostname = hostname;
    this.aslr = aslr;
    this.deny = deny;
    this.strace = strace;
    this.straceFile = straceFile;
    this.report = report;
    this.noJit = noJit;
  }

  static RunOptions addTo(CommandSpec spec) {
    OptionSpec env = OptionSpec.builder("-e", "--env")
        .paramLabel("NAME[=VALUE]")
        .type(List.class)
        .auxiliaryTypes(String.class)
        .description("Set an environment variable of the program; NAME alone passes the host's "
            + "value. Repeatable. The defaults are PATH, HOME, TERM and HOSTNAME.")
        .build();
    OptionSpec workdir = OptionSpec.builder("-w", "--workdir")
        .paramLabel("DIR")
        .type(String.class)
        .description("The program's working directory inside the sandbox (default: /, or the "
            + "current directory when ROOTFS is /).")
        .build();
    OptionSpec user = OptionSpec.builder("-u", "--user")
        .paramLabel("UID[:GID]")
        .type(String.class)
        .description("Run as this user and group, numbers or names from the image's "
            + "/etc/passwd and /etc/group (default: 0:0, root).")
        .build();
    OptionSpec hostname = OptionSpec.builder("--hostname")
        .paramLabel("NAME")
        .type(String.class)
        .description("The host name the program sees (default: " + GuestRun.DEFAULT_HOSTNAME
            + ").")
        .build();
    OptionSpec aslr = OptionSpec.builder("--aslr")
        .type(boolean.class)
        .description("Randomise load addresses as Linux does (default: the fixed addresses of "
            + "Linux without ASLR, for reproducible runs).")
        .build();
    OptionSpec deny = OptionSpec.builder("--deny-syscall")
        .paramLabel("NAME[:ERRNO]")
        .type(List.class)
        .auxiliaryTypes(String.class)
        .description("Fail every call of this system call with ERRNO (a name like EACCES or a "
            + "number; default EPERM). Repeatable.")
        .build();
    OptionSpec strace = OptionSpec.builder("-s", "--strace")
        .type(boolean.class)
        .description("Print every system call with its decoded arguments and result, "
            + "strace-style, to stderr (or --strace-file).")
        .build();
    OptionSpec straceFile = OptionSpec.builder("--strace-file")
        .paramLabel("FILE")
        .type(java.nio.file.Path.class)
        .description("Write the --strace lines to this host file instead of stderr (implies "
            + "--strace).")
        .build();
    OptionSpec report = OptionSpec.builder("--report")
        .type(boolean.class)
        .description("At exit, print a table of the system calls made: how often, and which "
            + "failed how (unsupported and denied ones marked).")
        .build();
    OptionSpec noJit = OptionSpec.builder("--no-jit")
        .type(boolean.class)
        .description("Run every guest instruction in the interpreter: compile nothing to JVM "
            + "bytecode (slower, for comparison and as a fallback).")
        .build();
    spec.addOption(env).addOption(workdir).addOption(user).addOption(hostname).addOption(aslr)
        .addOption(deny).addOption(strace).addOption(straceFile).addOption(report)
        .addOption(noJit);
    return new RunOptions(env, workdir, user, hostname, aslr, deny, strace, straceFile, report,
        noJit);
  }

  Values values() {
    List<String> envValue = env.getValue();
    List<String> denyValue = deny.getValue();
    Boolean aslrValue = aslr.getValue();
    java.nio.file.Path traceTo = straceFile.getValue();
    return new Values(envValue == null ? List.of() : envValue, workdir.getValue(),
        user.getValue(), hostname.getValue(), Boolean.TRUE.equals(aslrValue),
        denyValue == null ? List.of() : denyValue,
        Boolean.TRUE.equals(strace.getValue()) || traceTo != null, traceTo,
        Boolean.TRUE.equals(report.getValue()), Boolean.TRUE.equals(noJit.getValue()));
  }
}
