package dev.blinkchroot.emulator.kernel.testing;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.Stat;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** A test descriptor: reads from fixed input, collects what is written. */
public final class CapturingDescription implements FileDescription {
  private final ByteBuffer input;
  public final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private int flags = Fcntl.O_RDWR;
  public boolean closed;

  public CapturingDescription(byte[] input) {
    this.input = ByteBuffer.wrap(input);
  }

  @Override
  public int read(ByteBuffer dst) {
    int n = Math.min(dst.remaining(), input.remaining());
    for (int i = 0; i < n; i++) {
      dst.put(input.get());
    }
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    int n = src.remaining();
    while (src.hasRemaining()) {
      written.write(src.get());
    }
    return n;
  }

  @Override
  public Stat stat() {
    return new Stat(0, 0, 0020620, 1, 0, 5, 0x8800, 0, 1024, 0, 0, 0, 0);
  }

  @Override
  public int flags() {
    return flags;
  }

  @Override
  public void setStatusFlags(int f) {
    flags = f;
  }

  @Override
  public void close() {
    closed = true;
  }

  public String text() {
    return written.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
