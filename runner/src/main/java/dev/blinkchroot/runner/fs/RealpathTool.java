package dev.blinkchroot.runner.fs;

import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Vfs;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code realpath}: every symlink resolved inside the sandbox, no "." or "..". */
@Command(name = "realpath")
final class RealpathTool extends FsTool {
  @Parameters(paramLabel = "PATH", arity = "1..*") List<String> operands;

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
