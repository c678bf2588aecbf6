package dev.blinkchroot.vfs.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.StatFs;
import org.junit.jupiter.api.Test;

/** The contract on the in-memory store (Jimfs, unix configuration), plus what only it does. */
class MemoryBackendTest extends BackendContractTest {
  @Override
  protected NioBackend newBackend() {
    return NioBackend.memory();
  }

  @Test
  void memory_root_isMode0755OwnedByRoot() {
    Stat st = root.stat();
    assertEquals(0040755, st.mode());
    assertEquals(0, st.uid());
    assertEquals(0, st.gid());
    assertEquals(2, st.nlink());
    assertEquals(1, st.ino());
    assertEquals(FileType.DIRECTORY, root.type());
  }

  @Test
  void memory_statfs_isTmpfs() {
    assertEquals(StatFs.TMPFS_MAGIC, fs.statfs().type());
    assertEquals("tmpfs", fs.typeName());
    assertTrue(fs.statfs().blocks() > 0);
  }

  @Test
  void memory_directorySize_isOneBlockAsInTheHostStore() {
    Inode d = mkdir(root, "d");
    file(d, "a", "");
    assertEquals(4096, d.stat().size());
    assertEquals(8, d.stat().blocks());
  }

  @Test
  void memory_twoStores_areIndependentWithDistinctDevices() {
    NioBackend other = NioBackend.memory();
    file(root, "only-here", "x");
    assertEquals(null, other.root().lookup(n("only-here")));
    assertNotEquals(fs.deviceId(), other.deviceId());
  }

  @Test
  void memory_renameOrLinkAcrossBackends_throwsEXDEV() {
    NioBackend other = NioBackend.memory();
    Inode f = file(root, "f", "x");
    assertEquals(dev.blinkchroot.vfs.Errno.EXDEV,
        errno(() -> root.rename(n("f"), other.root(), n("f"), 0)));
    assertEquals(dev.blinkchroot.vfs.Errno.EXDEV, errno(() -> other.root().link(n("g"), f)));
    assertEquals("x", read(root.lookup(n("f"))));
  }

  @Test
  void memory_anyByteName_survives() {
    byte[] raw = new byte[254];
    for (int i = 0; i < raw.length; i++) {
      int b = i + 1;
      raw[i] = (byte) (b >= '/' ? b + 1 : b); // every byte but NUL and '/'
    }
    var name = dev.blinkchroot.vfs.FileName.of(raw);
    Inode f = root.create(name, FileType.REGULAR, 0644, 0, 0, 0);
    write(f, 0, "bytes");
    assertEquals("bytes", read(root.lookup(name)));
    assertEquals(name, root.readdir(0, 1).get(0).name());
  }

  @Test
  void memory_flush_isANoop() {
    file(root, "f", "x");
    fs.flush();
    assertEquals("x", read(root.lookup(n("f"))));
  }
}
