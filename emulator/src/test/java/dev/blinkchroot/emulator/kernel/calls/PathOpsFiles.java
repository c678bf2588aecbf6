package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.fd.VfsFileDescription;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Credentials;
import dev.blinkchroot.vfs.OpenFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Test support for the path-operation tests: descriptors on VFS files, identity changes, and
 * little-endian field reads from guest memory.
 */
final class PathOpsFiles {
  private PathOpsFiles() {}

  /** Opens {@code path} in the fixture's process; returns the descriptor. */
  static int open(KernelFixture k, String path, int flags) {
    OpenFile f = k.vfs.open(k.process.fs(), null, path.getBytes(StandardCharsets.UTF_8), flags,
        0644);
    return k.process.fds().add(
        new VfsFileDescription(f, path.getBytes(StandardCharsets.UTF_8), k.kernel.files()), false);
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
