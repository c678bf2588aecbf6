package dev.blinkchroot.vfs;

import dev.blinkchroot.vfs.nio.NioBackend;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Helpers shared by the VFS tests: byte paths and small fixture trees on the memory store. */
final class TestTrees {
  private TestTrees() {}

  static byte[] b(String path) {
    return path.getBytes(StandardCharsets.UTF_8);
  }

  static Vfs memoryVfs() {
    return Vfs.create(NioBackend.memory(), "test");
  }

  static FsContext root(Vfs vfs) {
    FsContext ctx = vfs.newContext(Credentials.ROOT);
    ctx.setUmask(0);
    return ctx;
  }

  static void mkdir(Vfs vfs, FsContext ctx, String path, int mode) {
    vfs.mkdir(ctx, null, b(path), mode);
  }

  static void write(Vfs vfs, FsContext ctx, String path, String content, int mode) {
    try (OpenFile f = vfs.open(ctx, null, b(path),
        Fcntl.O_WRONLY | Fcntl.O_CREAT | Fcntl.O_TRUNC, mode)) {
      f.write(ByteBuffer.wrap(b(content)));
    }
  }

  static String read(Vfs vfs, FsContext ctx, String path) {
    try (OpenFile f = vfs.open(ctx, null, b(path), Fcntl.O_RDONLY, 0)) {
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      while (f.read(buf) > 0) {
        // keep reading until EOF
      }
      buf.flip();
      return StandardCharsets.UTF_8.decode(buf).toString();
    }
  }

  static void symlink(Vfs vfs, FsContext ctx, String target, String path) {
    vfs.symlink(ctx, b(target), null, b(path));
  }

  /** Runs {@code op} and returns the errno it failed with; fails if it succeeded. */
  static Errno errnoOf(Runnable op) {
    try {
      op.run();
    } catch (ErrnoException e) {
      return e.errno();
    }
    throw new AssertionError("expected an errno, but the operation succeeded");
  }
}
