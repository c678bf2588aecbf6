package dev.blinkchroot.runner.fs;

import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Vfs;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code readlink}: a symlink's target, verbatim. Unlike GNU readlink (silent unless -v), a
 * path that is not a symlink is reported ("Invalid argument"), as {@code readlink -v} does.
 */
@Command(name = "readlink")
final class ReadlinkTool extends FsTool {
  @Option(names = {"-f", "--canonicalize"}, description = "the canonical path instead")
  boolean canonicalize;
  @Option(names = {"-n", "--no-newline"}, description = "no newline after the last output")
  boolean noNewline;
  @Parameters(paramLabel = "PATH", arity = "1..*") List<String> operands;

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
