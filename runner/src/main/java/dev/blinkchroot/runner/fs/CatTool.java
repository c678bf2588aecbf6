package dev.blinkchroot.runner.fs;

import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Vfs;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cat}: the files' bytes, unchanged, one after the other. */
@Command(name = "cat")
final class CatTool extends FsTool {
  @Parameters(paramLabel = "PATH", arity = "1..*") List<String> operands;

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
