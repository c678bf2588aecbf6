package dev.blinkchroot.emulator.kernel.synthetic;

import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileContent;
import dev.blinkchroot.vfs.FileType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A regular file whose bytes are made when it is opened, like a /proc seq_file: each open takes a
 * snapshot, so reads through one descriptor see one consistent text however they are split. stat
 * reports size 0, as Linux does for such files.
 *
 * <p>Writes go to an optional writer (/proc/PID/comm); without one they fail with EIO, which is
 * what Linux gives root writing to a read-only /proc file (the open itself succeeds). Truncation
 * (O_TRUNC, as a shell's {@code >} asks) is ignored.
 */
public final class GeneratedFile extends SyntheticNode {
  private final Supplier<byte[]> content;
  private final Consumer<byte[]> writer;

  private GeneratedFile(SyntheticDir parent, String name, int permissions, Owner owner,
      Supplier<byte[]> content, Consumer<byte[]> writer) {
    super(parent, name, permissions, owner);
    this.content = content;
    this.writer = writer;
  }

  /**
   * A file of text built one char per byte (ISO-8859-1), so guest file names, which are bytes
   * and need not be UTF-8, come out exactly as they went in.
   */
  public static GeneratedFile text(SyntheticDir parent, String name, int permissions,
      Supplier<String> text) {
    return new GeneratedFile(parent, name, permissions, null,
        () -> text.get().getBytes(StandardCharsets.ISO_8859_1), null);
  }

  /** A file of bytes (binary, or text that is not UTF-8), optionally writable. */
  public static GeneratedFile bytes(SyntheticDir parent, String name, int permissions,
      Owner owner, Supplier<byte[]> content, Consumer<byte[]> writer) {
    return new GeneratedFile(parent, name, permissions, owner, content, writer);
  }

  @Override
  public FileType type() {
    return FileType.REGULAR;
  }

  @Override
  public FileContent openContent(boolean writable) {
    return new Snapshot(content.get(), writer);
  }

  /** The bytes of one open. */
  private static final class Snapshot implements FileContent {
    private final byte[] data;
    private final Consumer<byte[]> writer;

    Snapshot(byte[] data, Consumer<byte[]> writer) {
      this.data = data;
      this.writer = writer;
    }

    @Override
    public int read(long position, ByteBuffer dst) {
      if (position >= data.length) {
        return 0;
      }
      int n = (int) Math.min(dst.remaining(), data.length - position);
      dst.put(data, (int) position, n);
      return n;
    }

    @Override
    public int write(long position, ByteBuffer src) {
      if (writer == null) {
        throw Errno.EIO.exception();
      }
      byte[] b = new byte[src.remaining()];
      src.get(b);
      writer.accept(b);
      return b.length;
    }

    @Override
    public long size() {
      return data.length;
    }

    @Override
    public void truncate(long size) {}

    @Override
    public void close() {}
  }
}
