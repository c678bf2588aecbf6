package dev.blinkchroot.runner.fs;

import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Vfs;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code readlink}: a symlink's target, verbatim. Unlike GNU readlink (silent unless -v), a
 * path that is not a symlink is reported ("Invalid argument"), as {@code readlink -v} does.
 */
final class ReadlinkTool extends FsTool {
  private OptionSpec canonicalizeOption;
  private OptionSpec noNewlineOption;
  private PositionalParamSpec operandsParam;

  boolean canonicalize;
  boolean noNewline;
  List<String> operands = List.of();

  @Override
  public String name() {
    return "readlink";
  }

  @Override
  protected void declare(CommandSpec spec) {
    canonicalizeOption = flag("the canonical path instead", "-f", "--canonicalize");
    noNewlineOption = flag("no newline after the last output", "-n", "--no-newline");
    operandsParam = operands(1);
    spec.addOption(canonicalizeOption).addOption(noNewlineOption).addPositional(operandsParam);
  }

  @Override
  protected void configure(ParseResult parsed) {
    canonicalize = isSet(parsed, canonicalizeOption);
    noNewline = isSet(parsed, noNewlineOption);
    operands = operandsOr(parsed, operandsParam, List.of());
  }

  @Override
  public void run(Vfs vfs, FsContext ctx, ToolIo io) {
    for (int i = 0; i < operands.size(); i++) {
      String text = operands.get(i);
      byte[] path = Directories.bytes(text);
      try {
        io.write(canonicalize ? vfs.realpath(ctx, null, path) : vfs.readlink(ctx, null, path));
        // As GNU readlink: -n is ignored when there are several operands.
        if (!noNewline || operands.size() > 1) {
          io.newline();
        }
      } catch (ErrnoException e) {
        io.error(text, e.errno());
      }
    }
  }
}
