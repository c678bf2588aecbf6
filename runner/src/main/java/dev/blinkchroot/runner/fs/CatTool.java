package dev.blinkchroot.runner.fs;

import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Vfs;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/** {@code cat}: the files' bytes, unchanged, one after the other. */
final class CatTool extends FsTool {
  private PositionalParamSpec operandsParam;

  List<String> operands = List.of();

  @Override
  public String name() {
    return "cat";
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
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    for (String text : operands) {
      try (OpenFile file = vfs.open(ctx, null, Directories.bytes(text), Fcntl.O_RDONLY, 0)) {
        while (file.read(buffer.clear()) > 0) {
          io.write(buffer.position() == buffer.capacity() ? buffer.array()
              : Arrays.copyOf(buffer.array(), buffer.position()));
        }
      } catch (ErrnoException e) {
        io.error(text, e.errno());
      }
    }
  }
}
