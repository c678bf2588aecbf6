package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.PathOpsFiles.le;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.SyntheticMounts;
import dev.blinkchroot.emulator.kernel.abi.StatLayout;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.Stat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The path calls on the synthetic /proc, /dev and /tmp, unchanged. */
class PathOpsSyntheticTreesTest {
  private static final int AT_FDCWD = Fcntl.AT_FDCWD;
  private KernelFixture k;

  @BeforeEach
  void setUp() {
    k = new KernelFixture();
    SyntheticMounts.mountAll(k.kernel, k.vfs.newContext(k.process.identity().credentials()));
    k.kernel.registerProcess(k.process);
  }

  @Test
  void procSelf_isASymlinkToThePid_readlinkAndLstatAgree() {
    long buf = k.alloc(144);
    assertEquals(0, k.call("lstat", k.string("/proc/self"), buf));
    assertEquals(0120000, le(k.read(buf, 144)).getInt(24) & 0170000);
    long out = k.alloc(16);
    long n = k.call("readlink", k.string("/proc/self"), out, 16);
    assertEquals("1", new String(k.read(out, (int) n), StandardCharsets.UTF_8));
    assertEquals(0, k.call("stat", k.string("/proc/self"), buf));
    assertEquals(040000, le(k.read(buf, 144)).getInt(24) & 0170000);
  }

  @Test
  void getdents64_listsProc() {
    int fd = PathOpsFiles.open(k, "/proc", Fcntl.O_RDONLY | Fcntl.O_DIRECTORY);
    long buf = k.alloc(200); // small: several calls
    Set<String> names = new HashSet<>();
    while (true) {
      long n = k.call("getdents64", fd, buf, 200);
      assertTrue(n >= 0, "getdents64: " + n);
      if (n == 0) {
        break;
      }
      ByteBuffer b = le(k.read(buf, (int) n));
      for (int at = 0; at < n; at += b.getShort(at + 16)) {
        int end = at + 19;
        while (b.get(end) != 0) {
          end++;
        }
        String name = new String(k.read(buf + at + 19, end - at - 19), StandardCharsets.UTF_8);
        assertTrue(names.add(name), "duplicate " + name);
      }
    }
    assertTrue(names.containsAll(Set.of(".", "..", "self", "1")), names.toString());
  }

  @Test
  void chdirIntoProc_getcwdNamesIt() {
    assertEquals(0, k.call("chdir", k.string("/proc/1")));
    long buf = k.alloc(64);
    long n = k.call("getcwd", buf, 64);
    assertEquals("/proc/1\0", new String(k.read(buf, (int) n), StandardCharsets.UTF_8));
  }

  @Test
  void devNull_statAndAccess_andStatxMountRoots() {
    long buf = k.alloc(256);
    assertEquals(0, k.call("statx", AT_FDCWD, k.string("/dev/null"), 0, 0x7ff, buf));
    ByteBuffer s = le(k.read(buf, 256));
    assertEquals(0020000, s.getShort(28) & 0170000);
    assertEquals(1, s.getInt(128));
    assertEquals(3, s.getInt(132));
    assertEquals(0, k.call("access", k.string("/dev/null"), Fcntl.R_OK | Fcntl.W_OK));
    assertEquals(0, k.call("statx", AT_FDCWD, k.string("/proc"), 0, 0x7ff, buf));
    s = le(k.read(buf, 256));
    assertEquals(StatLayout.STATX_ATTR_MOUNT_ROOT, s.getLong(8));
    long rootMnt = k.vfs.mounts().get(0).id();
    assertTrue(s.getLong(144) != rootMnt, "/proc is its own mount");
  }

  @Test
  void statfs_ofProcAndTmp_reportTheirMagic() {
    long buf = k.alloc(120);
    assertEquals(0, k.call("statfs", k.string("/proc"), buf));
    assertEquals(0x9fa0L, le(k.read(buf, 120)).getLong(0)); // PROC_SUPER_MAGIC
    assertEquals(0, k.call("statfs", k.string("/tmp"), buf));
    assertEquals(0x01021994L, le(k.read(buf, 120)).getLong(0)); // TMPFS_MAGIC
  }

  @Test
  void tmp_isWritable_andStickyForOthers() {
    assertEquals(0, k.call("mkdir", k.string("/tmp/mine"), 0700));
    Stat st = k.vfs.stat(k.process.fs(), null, "/tmp".getBytes(StandardCharsets.UTF_8), 0);
    assertEquals(01777, st.permissions());
    PathOpsFiles.becomeUser(k, 1000, 1000);
    assertEquals(-1, k.call("rmdir", k.string("/tmp/mine"))); // EPERM: sticky /tmp
  }
}
