package dev.blinkchroot.vfs.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Feature;
import com.google.common.jimfs.Jimfs;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a store keeps what its host cannot: the host-side forms of symlinks, devices, links. */
class HostFallbacksTest {
  private static final byte[] TARGET = "/bin/busybox".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path tmp;

  @Test
  void symlink_onPosixHost_isARealHostSymlink() throws Exception {
    NioBackend store = NioBackend.hostStore(tmp, false);
    store.root().symlink(BackendContractTest.n("sh"), TARGET, 0, 0);
    assertTrue(Files.isSymbolicLink(tmp.resolve("sh")));
    assertEquals("/bin/busybox", Files.readSymbolicLink(tmp.resolve("sh")).toString());
  }

  @Test
  void symlink_onHostWithoutSymlinks_isAFileHoldingTheTarget() throws Exception {
    Path dir = Jimfs.newFileSystem(Configuration.unix().toBuilder()
        .setSupportedFeatures(Feature.LINKS, Feature.FILE_CHANNEL).build()).getPath("/s");
    NioBackend store = NioBackend.hostStore(dir, false);
    Inode l = store.root().symlink(BackendContractTest.n("sh"), TARGET, 0, 0);
    assertTrue(Files.isRegularFile(dir.resolve("sh"), LinkOption.NOFOLLOW_LINKS));
    assertArrayEquals(TARGET, Files.readAllBytes(dir.resolve("sh")));
    assertEquals(FileType.SYMLINK, l.type());
    store.flush();
    Inode again = NioBackend.hostStore(dir, false).root().lookup(BackendContractTest.n("sh"));
    assertEquals(FileType.SYMLINK, again.type());
    assertArrayEquals(TARGET, again.readlink());
  }

  @Test
  void symlink_onWindowsHost_whoseLinksRewriteSlashes_isAFileHoldingTheTarget() throws Exception {
    Path dir = Jimfs.newFileSystem(Configuration.windows()).getPath("C:\\s");
    NioBackend store = NioBackend.hostStore(dir, false);
    store.root().symlink(BackendContractTest.n("sh"), TARGET, 0, 0);
    assertTrue(Files.isRegularFile(dir.resolve("sh"), LinkOption.NOFOLLOW_LINKS));
    store.root().symlink(BackendContractTest.n("rel"), "busybox".getBytes(StandardCharsets.UTF_8),
        0, 0);
    assertTrue(Files.isSymbolicLink(dir.resolve("rel"))); // kept exactly: a real link will do
  }

  @Test
  void devices_onHost_areEmptyRegularFiles() throws Exception {
    NioBackend store = NioBackend.hostStore(tmp, false);
    store.root().create(BackendContractTest.n("null"), FileType.CHARACTER_DEVICE, 0666, 0, 0,
        dev.blinkchroot.vfs.Stat.makedev(1, 3));
    store.root().create(BackendContractTest.n("fifo"), FileType.FIFO, 0600, 0, 0, 0);
    assertTrue(Files.isRegularFile(tmp.resolve("null"), LinkOption.NOFOLLOW_LINKS));
    assertEquals(0, Files.size(tmp.resolve("null")));
    assertTrue(Files.isRegularFile(tmp.resolve("fifo"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void hardLink_onHostWithoutHardLinks_throwsEPERM() throws Exception {
    Path dir = Jimfs.newFileSystem(Configuration.unix().toBuilder()
        .setSupportedFeatures(Feature.FILE_CHANNEL).build()).getPath("/s");
    NioBackend store = NioBackend.hostStore(dir, false);
    Inode f = BackendContractTest.file(store.root(), "f", "x");
    assertEquals(Errno.EPERM, BackendContractTest.errno(
        () -> store.root().link(BackendContractTest.n("g"), f)));
    assertEquals(1, f.stat().nlink());
    // A symlink "hard link" needs no host link: the target lives in the inode.
    Inode l = store.root().symlink(BackendContractTest.n("l"), TARGET, 0, 0);
    store.root().link(BackendContractTest.n("l2"), l);
    assertEquals(2, l.stat().nlink());
  }

  @Test
  void store_missingDirectory_isCreated_readOnlyMissing_isENOENT() throws Exception {
    assertEquals(Errno.ENOENT, BackendContractTest.errno(
        () -> NioBackend.hostStore(tmp.resolve("absent"), true)));
    NioBackend store = NioBackend.hostStore(tmp.resolve("new/store"), false);
    assertTrue(Files.isDirectory(tmp.resolve("new/store")));
    assertEquals(0, store.root().readdir(0, 10).size());
  }
}
