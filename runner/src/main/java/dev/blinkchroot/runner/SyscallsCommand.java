package dev.blinkchroot.runner;

import dev.blinkchroot.emulator.kernel.syscall.SyscallListing;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code blink-chroot syscalls}: the system-call table, from the kernel's single registry:
 * number, name, support level and the note that qualifies it.
 */
final class SyscallsCommand {
  private final CliContext context;
  private final CommandSpec spec;

  SyscallsCommand(CliContext context) {
    this.context = context;
    spec = CommandSpec.create().name("syscalls");
    spec.versionProvider(new VersionProvider());
    spec.usageMessage()
        .header("List the implemented system calls and how complete each is.")
        .description("Each row gives the number, the name, the support level (full, partial, or "
            + "the fixed errno the call returns) and a note. Every other call returns ENOSYS "
            + "and is reported by name the first time a program makes it.");
    Cli.addStandardHelpOptions(spec);
  }

  CommandSpec spec() {
    return spec;
  }

  int call() {
    PrintStream out = new PrintStream(context.stdout(), false, StandardCharsets.UTF_8);
    SyscallListing.print(out);
    out.flush();
    return ExitStatus.OK;
  }
}
