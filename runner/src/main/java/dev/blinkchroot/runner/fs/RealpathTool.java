package dev.blinkchroot.runner.fs;

import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Vfs;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/** {@code realpath}: every symlink resolved inside the sandbox, no "." or "..". */
final class RealpathTool extends FsTool {
  private PositionalParamSpec operandsParam;

  List<String> operands = List.of();

  @Override
  public String name() {
    return "realpath";
  }

  @Override
  protected void declare(CommandSpec spec) {
    operandsParam = operands(1);
    spec.addPositional(operandsParam);
  }

  @Override
  protected void configure(ParseResult parsed) {
    operands = operandsOr(parsed, operandsParam, List.of());
  }

  @Override
  public void run(Vfs vfs, FsContext ctx, ToolIo io) {
    for (String text : operands) {
      try {
        io.write(vfs.realpath(ctx, null, Directories.bytes(text)));
        io.newline();
      } catch (ErrnoException e) {
        io.error(text, e.errno());
      }
    }
  }
}
