package dev.blinkchroot.runner.fs;

import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Vfs;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * One {@code blink-chroot fs} tool. Subclasses declare their own options and operands with
 * picocli's programmatic API in {@link #declare} and take the values in {@link #configure};
 * {@link #parseArgs} runs both before {@link #run}. A failing operand is reported through
 * {@link ToolIo#error} and the tool goes on with the next, as the Linux tools do.
 */
public abstract class FsTool {
  private CommandLine commandLine;

  /** The tool's name, as on the command line. */
  public abstract String name();

  /** Adds the tool's options and operands to {@code spec}. */
  protected abstract void declare(CommandSpec spec);

  /** Takes the values of a successful parse. */
  protected abstract void configure(ParseResult parsed);

  public abstract void run(Vfs vfs, FsContext ctx, ToolIo io);

  /**
   * Parses the tool's arguments into this tool.
   *
   * @throws ParameterException for a usage error, with the message picocli gives
   */
  public final void parseArgs(String... args) {
    CommandSpec spec = CommandSpec.create().name(name());
    declare(spec);
    commandLine = new CommandLine(spec);
    configure(commandLine.parseArgs(args));
  }

  /** A usage error found after parsing (a bad option value), reported as picocli's are. */
  protected final ParameterException usageError(String message) {
    CommandLine at = commandLine;
    if (at == null) {
      at = new CommandLine(CommandSpec.create().name(name()));
    }
    return new ParameterException(at, message);
  }

  /** A flag: {@code names} with no value. */
  protected static OptionSpec flag(String description, String... names) {
    return OptionSpec.builder(names).type(boolean.class).description(description).build();
  }

  /** The PATH operands, any number from {@code min} on (index 0..*). */
  protected static PositionalParamSpec operands(int min) {
    return PositionalParamSpec.builder()
        .index("0..*")
        .arity(min == 0 ? "0..1" : min + "..*")
        .required(min > 0)
        .paramLabel("PATH")
        .type(List.class)
        .auxiliaryTypes(String.class)
        .build();
  }

  /** The value of a flag after parsing. */
  protected static boolean isSet(ParseResult parsed, OptionSpec flag) {
    return parsed.hasMatchedOption(flag) && Boolean.TRUE.equals(flag.getValue());
  }

  /** The operands after parsing, or {@code otherwise} if none were given. */
  protected static List<String> operandsOr(ParseResult parsed, PositionalParamSpec spec,
      List<String> otherwise) {
    List<String> values = parsed.hasMatchedPositional(spec) ? spec.getValue() : null;
    return values == null || values.isEmpty() ? otherwise : values;
  }
}
