package dev.blinkchroot.vfs.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import dev.blinkchroot.vfs.Stat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on a bind of a real host directory, plus what a bind shows of its host. */
class HostBindTest extends BackendContractTest {
  @TempDir
  Path hostDir;

  @Override
  protected NioBackend newBackend() {
    return NioBackend.hostBind(hostDir, false);
  }

  private int hostUid(Path p) throws Exception {
    return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void bind_hostFiles_showHostMetadata() throws Exception {
    Path p = hostDir.resolve("report.txt");
    Files.writeString(p, "twelve bytes");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r-----"));
    Files.setLastModifiedTime(p, FileTime.from(1_234_567_890_123_456_789L, TimeUnit.NANOSECONDS));
    Files.createDirectory(hostDir.resolve("sub"));
    NioBackend bind = NioBackend.hostBind(hostDir, false);
    Inode f = bind.root().lookup(n("report.txt"));
    Stat st = f.stat();
    assertEquals(0100640, st.mode());
    assertEquals(12, st.size());
    assertEquals(hostUid(p), st.uid());
    assertEquals(1_234_567_890_123_456_789L / 1000 * 1000, st.mtimeNs() / 1000 * 1000);
    assertEquals(3, bind.root().stat().nlink());
    assertEquals("twelve bytes", read(f));
    assertEquals("hostfs", bind.typeName());
  }

  @Test
  void bind_guestFile_appearsOnHostUnderItsOwnName() throws Exception {
    Inode f = file(root, "h\u00e9llo w\u00f6rld.txt", "from the guest");
    assertEquals("from the guest", Files.readString(hostDir.resolve("h\u00e9llo w\u00f6rld.txt")));
    Inode d = mkdir(root, "dir");
    file(d, "inner", "x");
    assertTrue(Files.isRegularFile(hostDir.resolve("dir").resolve("inner")));
    root.rename(n("h\u00e9llo w\u00f6rld.txt"), d, n("moved"), 0);
    assertTrue(Files.exists(hostDir.resolve("dir").resolve("moved")));
    assertSame(f, d.lookup(n("moved")));
  }

  @Test
  void bind_nameNotUtf8_throwsEILSEQ() {
    FileName raw = FileName.of(new byte[] {'x', (byte) 0xff});
    assertEquals(Errno.EILSEQ,
        errno(() -> root.create(raw, FileType.REGULAR, 0644, 0, 0, 0)));
    assertNull(root.lookup(raw));
  }

  @Test
  void bind_nameTheHostCannotSpell_throwsEINVAL() {
    NioBackend windows = NioBackend.hostBind(
        Jimfs.newFileSystem(Configuration.windows()).getPath("C:\\"), false);
    Inode r = windows.root();
    assertEquals(Errno.EINVAL, errno(() -> r.create(n("a:b"), FileType.REGULAR, 0644, 0, 0, 0)));
    assertEquals(Errno.EINVAL, errno(() -> r.create(n("a\\b"), FileType.REGULAR, 0644, 0, 0, 0)));
    assertEquals(Errno.EINVAL, errno(() -> r.create(n("q?"), FileType.REGULAR, 0644, 0, 0, 0)));
    file(r, "fine.txt", "ok");
    assertEquals("ok", read(r.lookup(n("fine.txt"))));
  }

  @Test
  void bind_chmod_reachesHostKeepingOwnerAccess() throws Exception {
    Inode f = file(root, "f", "");
    f.setPermissions(04755);
    assertEquals(0104755, f.stat().mode());
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(hostDir.resolve("f"), LinkOption.NOFOLLOW_LINKS)));
    f.setPermissions(0044);
    assertEquals(0100044, f.stat().mode());
    assertEquals("rw-r--r--", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(hostDir.resolve("f"), LinkOption.NOFOLLOW_LINKS)));
  }

  @Test
  void bind_chownAndDevices_liveInTheSessionOnly() throws Exception {
    Inode f = file(root, "f", "");
    int hostUid = hostUid(hostDir.resolve("f"));
    f.setOwner(4242, 4343);
    assertEquals(4242, f.stat().uid());
    assertEquals(hostUid, hostUid(hostDir.resolve("f")));
    Inode dev = root.create(n("tty"), FileType.CHARACTER_DEVICE, 0620, 0, 5, Stat.makedev(4, 1));
    assertEquals(FileType.CHARACTER_DEVICE, dev.type());
    assertTrue(Files.isRegularFile(hostDir.resolve("tty"), LinkOption.NOFOLLOW_LINKS));
    assertEquals(0, Files.size(hostDir.resolve("tty")));
  }

  @Test
  void bind_symlink_isARealHostSymlink_neverFollowed() throws Exception {
    root.symlink(n("etc-link"), "/etc".getBytes(StandardCharsets.UTF_8), 0, 0);
    assertTrue(Files.isSymbolicLink(hostDir.resolve("etc-link")));
    assertEquals("/etc", Files.readSymbolicLink(hostDir.resolve("etc-link")).toString());
    Files.createSymbolicLink(hostDir.resolve("escape"), Path.of("/"));
    NioBackend bind = NioBackend.hostBind(hostDir, false);
    Inode escape = bind.root().lookup(n("escape"));
    assertEquals(FileType.SYMLINK, escape.type());
    assertArrayEquals("/".getBytes(StandardCharsets.UTF_8), escape.readlink());
    assertEquals(Errno.ENOTDIR, errno(() -> escape.lookup(n("etc"))));
    assertEquals(0120777, escape.stat().mode());
  }

  @Test
  void bind_hostHardLinks_shareOneInode() throws Exception {
    Files.writeString(hostDir.resolve("a"), "shared");
    Files.createLink(hostDir.resolve("b"), hostDir.resolve("a"));
    NioBackend bind = NioBackend.hostBind(hostDir, false);
    Inode a = bind.root().lookup(n("a"));
    assertSame(a, bind.root().lookup(n("b")));
    assertEquals(2, a.stat().nlink());
  }

  @Test
  void bind_setTimes_reachesHost() throws Exception {
    Inode f = file(root, "f", "");
    f.setTimes(Inode.OMIT, 1_500_000_000_000_000_000L);
    assertEquals(1_500_000_000_000L,
        Files.getLastModifiedTime(hostDir.resolve("f"), LinkOption.NOFOLLOW_LINKS).toMillis());
  }

  @Test
  void bind_readOnly_refusesChangesButReads() throws Exception {
    Files.writeString(hostDir.resolve("f"), "data");
    NioBackend ro = NioBackend.hostBind(hostDir, true);
    Inode f = ro.root().lookup(n("f"));
    assertEquals("data", read(f));
    assertEquals(Errno.EROFS, errno(() -> ro.root().unlink(n("f"))));
    assertEquals(Errno.EROFS, errno(() -> f.openContent(true)));
    assertEquals(Errno.EROFS, errno(() -> f.setPermissions(0777)));
    assertTrue(Files.exists(hostDir.resolve("f")));
  }

  @Test
  void bind_missingOrNonDirectoryHost_isRefused() throws Exception {
    Files.writeString(hostDir.resolve("plain"), "x");
    assertEquals(Errno.ENOENT, errno(() -> NioBackend.hostBind(hostDir.resolve("nope"), false)));
    assertEquals(Errno.ENOTDIR, errno(() -> NioBackend.hostBind(hostDir.resolve("plain"), false)));
    assertFalse(Files.exists(hostDir.resolve("nope")));
  }
}
