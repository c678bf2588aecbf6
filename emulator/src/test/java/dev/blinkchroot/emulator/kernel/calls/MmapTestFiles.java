package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.fd.VfsFileDescription;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Stat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Files for the memory-family tests: VFS files behind descriptors (a stand-in for the open(2)
 * family's description, naming itself by path as /proc/PID/fd does), and descriptors of kinds
 * that cannot be mapped or map specially.
 */
final class MmapTestFiles {
  private MmapTestFiles() {}

/** A description of a fixed kind (FIFO, /dev/zero...) that reads nothing. */
  static final class Special extends CapturingDescriptionBase {
    private final int mode;
    private final long rdev;

    Special(int mode, long rdev) {
      this.mode = mode;
      this.rdev = rdev;
    }

    @Override
    public Stat stat() {
      return new Stat(5, 77, mode, 1, 0, 0, rdev, 0, 4096, 0, 0, 0, 0);
    }
  }

  /** The parts of a description that do nothing. */
  abstract static class CapturingDescriptionBase implements FileDescription {
    @Override
    public int read(ByteBuffer dst) {
      return 0;
    }

    @Override
    public int write(ByteBuffer src) {
      int n = src.remaining();
      src.position(src.limit());
      return n;
    }

    @Override
    public int flags() {
      return Fcntl.O_RDWR;
    }

    @Override
    public void setStatusFlags(int flags) {}

    @Override
    public void close() {}
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Creates {@code path} holding {@code content}. */
  static void create(KernelFixture k, String path, byte[] content) {
    try (OpenFile f = k.vfs.open(k.process.fs(), null, bytes(path),
        Fcntl.O_CREAT | Fcntl.O_WRONLY | Fcntl.O_TRUNC, 0644)) {
      f.write(ByteBuffer.wrap(content));
    }
  }

  /** Opens {@code path} with {@code flags} as the next free descriptor. */
  static int open(KernelFixture k, String path, int flags) {
    OpenFile f = k.vfs.open(k.process.fs(), null, bytes(path), flags, 0644);
    return k.process.fds().add(new VfsFileDescription(f, bytes(path), k.kernel.files()), false);
  }

  /** The file's whole content, read through a new open file description. */
  static byte[] contents(KernelFixture k, String path) {
    try (OpenFile f = k.vfs.open(k.process.fs(), null, bytes(path), Fcntl.O_RDONLY, 0)) {
      ByteBuffer b = ByteBuffer.allocate((int) f.stat().size());
      while (b.hasRemaining() && f.read(b) > 0) {
        // keep reading
      }
      return b.array();
    }
  }

  /** {@code n} bytes of a recognisable pattern: byte i is (i * 7 + seed) & 0xff, never 0. */
  static byte[] pattern(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      int v = (i * 7 + seed) & 0xff;
      b[i] = (byte) (v == 0 ? 1 : v);
    }
    return b;
  }
}
