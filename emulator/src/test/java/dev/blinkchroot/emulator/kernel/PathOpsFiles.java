package dev.blinkchroot.emulator.kernel;

import dev.blinkchroot.vfs.Credentials;
import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Stat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Test support for the path-operation tests: descriptors on VFS files (a minimal wrapper of
 * {@link OpenFile}, so these tests do not depend on the open(2) family), identity changes, and
 * little-endian field reads from guest memory.
 */
final class PathOpsFiles {
  private PathOpsFiles() {}

  /** A descriptor on an OpenFile, as the open family's description behaves for these calls. */
  static final class VfsDescription implements FileDescription {
    final OpenFile file;

    VfsDescription(OpenFile file) {
      this.file = file;
    }

    @Override
    public int read(ByteBuffer dst) {
      return file.read(dst);
    }

    @Override
    public int write(ByteBuffer src) {
      return file.write(src);
    }

    @Override
    public long seek(long offset, int whence) {
      return file.seek(offset, whence);
    }

    @Override
    public Stat stat() {
      return file.stat();
    }

    @Override
    public List<DirEntry> readdir(int max) {
      return file.readdir(max);
    }

    @Override
    public void seekDirectory(long cookie) {
      file.seek(cookie, Fcntl.SEEK_SET);
    }

    @Override
    public int flags() {
      return file.flags();
    }

    @Override
    public void setStatusFlags(int flags) {
      file.setStatusFlags(flags);
    }

    @Override
    public Location location() {
      return file.location();
    }

    @Override
    public void close() {
      file.close();
    }
  }

  /** Opens {@code path} in the fixture's process; returns the descriptor. */
  static int open(KernelFixture k, String path, int flags) {
    OpenFile f = k.vfs.open(k.process.fs(), null, path.getBytes(StandardCharsets.UTF_8), flags,
        0644);
    return k.process.fds().add(new VfsDescription(f), false);
  }

  /** Makes the fixture's process run as {@code uid}/{@code gid} (real and effective). */
  static void becomeUser(KernelFixture k, int uid, int gid) {
    k.process.identity().setUids(uid, uid, uid);
    k.process.identity().setGids(gid, gid, gid);
    k.process.fs().setCredentials(Credentials.of(uid, gid));
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static ByteBuffer le(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A guest address that is not mapped. */
  static final long BAD_ADDRESS = 0x7000_0000_0000L;
}
