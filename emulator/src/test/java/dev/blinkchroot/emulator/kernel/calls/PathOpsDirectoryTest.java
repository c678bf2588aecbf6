package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.PathOpsFiles.BAD_ADDRESS;
import static dev.blinkchroot.emulator.kernel.calls.PathOpsFiles.b;
import static dev.blinkchroot.emulator.kernel.calls.PathOpsFiles.le;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** getdents64, getcwd, chdir, fchdir, chroot. */
class PathOpsDirectoryTest {
  private KernelFixture k;

  @BeforeEach
  void setUp() {
    k = new KernelFixture();
  }

  private static long err(Errno e) {
    return -e.number();
  }

  record Dirent(long ino, long off, int reclen, int type, String name) {}

  private List<Dirent> parse(long buf, long n) {
    ByteBuffer b = le(k.read(buf, (int) n));
    List<Dirent> out = new ArrayList<>();
    int at = 0;
    while (at < n) {
      int reclen = b.getShort(at + 16) & 0xffff;
      assertEquals(0, reclen % 8, "d_reclen is 8-aligned");
      int end = at + 19;
      while (b.get(end) != 0) {
        end++;
      }
      assertTrue(end < at + reclen, "name NUL inside the record");
      for (int i = end; i < at + reclen; i++) {
        assertEquals(0, b.get(i), "padding is zero");
      }
      String name = new String(k.read(buf + at + 19, end - at - 19), StandardCharsets.UTF_8);
      out.add(new Dirent(b.getLong(at), b.getLong(at + 8), reclen, b.get(at + 18), name));
      at += reclen;
    }
    assertEquals(n, at);
    return out;
  }

  private List<Dirent> readAll(int fd, int count) {
    long buf = k.alloc(count);
    List<Dirent> all = new ArrayList<>();
    while (true) {
      long n = k.call("getdents64", fd, buf, count);
      assertTrue(n >= 0, "getdents64 returned " + n);
      if (n == 0) {
        return all;
      }
      all.addAll(parse(buf, n));
    }
  }

  private static Set<String> names(List<Dirent> entries) {
    Set<String> s = new HashSet<>();
    for (Dirent d : entries) {
      assertTrue(s.add(d.name()), "duplicate " + d.name());
    }
    return s;
  }

  @Test
  void getdents64_listsDotDotDotAndEntries_withTypesInodesAndOffsets() {
    k.vfs.mkdir(k.process.fs(), null, b("/d"), 0755);
    k.vfs.mkdir(k.process.fs(), null, b("/d/sub"), 0755);
    k.vfs.mknod(k.process.fs(), null, b("/d/file"), 0100644, 0);
    k.vfs.symlink(k.process.fs(), b("x"), null, b("/d/link"));
    k.vfs.mknod(k.process.fs(), null, b("/d/fifo"), 0010644, 0);
    int fd = PathOpsFiles.open(k, "/d", Fcntl.O_RDONLY | Fcntl.O_DIRECTORY);
    List<Dirent> all = readAll(fd, 4096);
    assertEquals(Set.of(".", "..", "sub", "file", "link", "fifo"), names(all));
    assertEquals(".", all.get(0).name());
    assertEquals("..", all.get(1).name());
    for (Dirent d : all) {
      int expectedType = switch (d.name()) {
        case ".", "..", "sub" -> 4;
        case "file" -> 8;
        case "link" -> 10;
        case "fifo" -> 1;
        default -> -1;
      };
      assertEquals(expectedType, d.type(), d.name());
      assertEquals((19 + d.name().length() + 1 + 7) & ~7, d.reclen());
      if (!d.name().equals("..")) {
        String path = d.name().equals(".") ? "/d" : "/d/" + d.name();
        assertEquals(k.vfs.stat(k.process.fs(), null, b(path), Fcntl.AT_SYMLINK_NOFOLLOW).ino(),
            d.ino(), d.name());
      }
    }
    // d_off of an entry is where the listing resumes after it.
    long buf = k.alloc(4096);
    k.process.fds().get(fd).seekDirectory(all.get(2).off());
    List<Dirent> rest = parse(buf, k.call("getdents64", fd, buf, 4096));
    assertEquals(all.subList(3, all.size()), rest);
  }

  @Test
  void getdents64_bufferTooSmallForOneEntry_isEinval_andLosesNothing() {
    k.vfs.mkdir(k.process.fs(), null, b("/d"), 0755);
    k.vfs.mknod(k.process.fs(), null, b("/d/a-rather-long-file-name"), 0100644, 0);
    int fd = PathOpsFiles.open(k, "/d", Fcntl.O_RDONLY);
    long buf = k.alloc(4096);
    assertEquals(err(Errno.EINVAL), k.call("getdents64", fd, buf, 10));
    assertEquals(24, k.call("getdents64", fd, buf, 24)); // "." fits exactly
    assertEquals(24, k.call("getdents64", fd, buf, 40)); // ".." fits, the long name does not
    assertEquals(err(Errno.EINVAL), k.call("getdents64", fd, buf, 40));
    long n = k.call("getdents64", fd, buf, 48);
    assertEquals(48, n);
    assertEquals("a-rather-long-file-name", parse(buf, n).get(0).name());
    assertEquals(0, k.call("getdents64", fd, buf, 48));
    assertEquals(0, k.call("getdents64", fd, buf, 48)); // stays at the end
  }

  @Test
  void getdents64_smallBuffers_resumeWhereTheyStopped() {
    k.vfs.mkdir(k.process.fs(), null, b("/d"), 0755);
    Set<String> expected = new HashSet<>(Set.of(".", ".."));
    for (int i = 0; i < 200; i++) {
      String name = "entry-" + i + "x".repeat(i % 13);
      k.vfs.mknod(k.process.fs(), null, b("/d/" + name), 0100644, 0);
      expected.add(name);
    }
    for (int count : new int[] {24, 40, 64, 100, 257, 1000, 65536}) {
      int fd = PathOpsFiles.open(k, "/d", Fcntl.O_RDONLY);
      List<Dirent> all = readAll(fd, Math.max(count, 64));
      assertEquals(expected, names(all), "buffer " + count);
      k.process.fds().close(fd);
    }
  }

  @Test
  void getdents64_whileTheDirectoryChanges_listsEveryStableEntryOnce() {
    k.vfs.mkdir(k.process.fs(), null, b("/d"), 0755);
    Set<String> stable = new HashSet<>();
    for (int i = 0; i < 60; i++) {
      k.vfs.mknod(k.process.fs(), null, b("/d/s" + i), 0100644, 0);
      stable.add("s" + i);
      k.vfs.mknod(k.process.fs(), null, b("/d/gone" + i), 0100644, 0);
    }
    int fd = PathOpsFiles.open(k, "/d", Fcntl.O_RDONLY);
    long buf = k.alloc(100);
    List<Dirent> seen = new ArrayList<>();
    int round = 0;
    while (true) {
      long n = k.call("getdents64", fd, buf, 100);
      assertTrue(n >= 0);
      if (n == 0) {
        break;
      }
      seen.addAll(parse(buf, n));
      // Between calls: remove a volatile entry, add a new one (while the listing could
      // otherwise chase new entries for ever).
      if (round < 60) {
        k.vfs.unlink(k.process.fs(), null, b("/d/gone" + round), 0);
        k.vfs.mknod(k.process.fs(), null, b("/d/new" + round), 0100644, 0);
      }
      round++;
      assertTrue(round < 1000, "listing never ends");
    }
    Set<String> names = names(seen); // no duplicates at all
    assertTrue(names.containsAll(stable), "every entry present throughout is listed");
  }

  @Test
  void getdents64_errors() {
    k.vfs.mkdir(k.process.fs(), null, b("/d"), 0755);
    k.vfs.mknod(k.process.fs(), null, b("/f"), 0100644, 0);
    long buf = k.alloc(256);
    assertEquals(err(Errno.EBADF), k.call("getdents64", 40, buf, 256));
    int file = PathOpsFiles.open(k, "/f", Fcntl.O_RDONLY);
    assertEquals(err(Errno.ENOTDIR), k.call("getdents64", file, buf, 256));
    assertEquals(err(Errno.ENOTDIR), k.call("getdents64", 0, buf, 256)); // a terminal
    int pathFd = PathOpsFiles.open(k, "/d", Fcntl.O_PATH);
    assertEquals(err(Errno.EBADF), k.call("getdents64", pathFd, buf, 256));
    int dir = PathOpsFiles.open(k, "/d", Fcntl.O_RDONLY);
    assertEquals(err(Errno.EFAULT), k.call("getdents64", dir, BAD_ADDRESS, 256));
    // The fault lost nothing: the next call starts at "." again.
    long n = k.call("getdents64", dir, buf, 256);
    assertEquals(".", parse(buf, n).get(0).name());
  }

  // ---------------------------------------------------------------- getcwd, chdir, fchdir

  private String getcwd() {
    long buf = k.alloc(4096);
    long n = k.call("getcwd", buf, 4096);
    assertTrue(n > 0, "getcwd returned " + n);
    byte[] bytes = k.read(buf, (int) n);
    assertEquals(0, bytes[(int) n - 1], "NUL-terminated");
    return new String(bytes, 0, (int) n - 1, StandardCharsets.UTF_8);
  }

  @Test
  void getcwd_returnsTheLengthWithNul_andErangeWhenTooSmall() {
    k.vfs.mkdir(k.process.fs(), null, b("/abc"), 0755);
    assertEquals("/", getcwd());
    assertEquals(0, k.call("chdir", k.string("/abc")));
    long buf = k.alloc(16);
    assertEquals(5, k.call("getcwd", buf, 5));
    assertEquals("/abc\0", new String(k.read(buf, 5), StandardCharsets.UTF_8));
    assertEquals(err(Errno.ERANGE), k.call("getcwd", buf, 4));
    assertEquals(err(Errno.ERANGE), k.call("getcwd", buf, 0));
    assertEquals(err(Errno.EFAULT), k.call("getcwd", BAD_ADDRESS, 16));
    assertEquals(err(Errno.EFAULT), k.call("getcwd", 0, 16));
  }

  @Test
  void getcwd_afterTheDirectoryIsRemoved_isEnoent() {
    k.vfs.mkdir(k.process.fs(), null, b("/gone"), 0755);
    k.call("chdir", k.string("/gone"));
    k.call("rmdir", k.string("/gone"));
    assertEquals(err(Errno.ENOENT), k.call("getcwd", k.alloc(64), 64));
  }

  @Test
  void getcwd_outsideTheRoot_isUnreachable() {
    k.vfs.mkdir(k.process.fs(), null, b("/jail"), 0755);
    k.vfs.mkdir(k.process.fs(), null, b("/outside"), 0755);
    k.call("chdir", k.string("/outside"));
    assertEquals(0, k.call("chroot", k.string("/jail")));
    assertEquals("(unreachable)/outside", getcwd());
    k.call("chdir", k.string("/"));
    assertEquals("/", getcwd());
  }

  @Test
  void chdir_errors() {
    k.vfs.mknod(k.process.fs(), null, b("/f"), 0100644, 0);
    k.vfs.mkdir(k.process.fs(), null, b("/private"), 0700);
    assertEquals(err(Errno.ENOTDIR), k.call("chdir", k.string("/f")));
    assertEquals(err(Errno.ENOENT), k.call("chdir", k.string("/nope")));
    assertEquals(err(Errno.ENOENT), k.call("chdir", k.string("")));
    assertEquals(err(Errno.EFAULT), k.call("chdir", BAD_ADDRESS));
    PathOpsFiles.becomeUser(k, 1000, 1000);
    assertEquals(err(Errno.EACCES), k.call("chdir", k.string("/private")));
  }

  @Test
  void fchdir_acceptsOpathDirectories() {
    k.vfs.mkdir(k.process.fs(), null, b("/a"), 0755);
    k.vfs.mknod(k.process.fs(), null, b("/f"), 0100644, 0);
    int fd = PathOpsFiles.open(k, "/a", Fcntl.O_PATH);
    assertEquals(0, k.call("fchdir", fd));
    assertEquals("/a", getcwd());
    assertEquals(err(Errno.ENOTDIR), k.call("fchdir", PathOpsFiles.open(k, "/f", 0)));
    assertEquals(err(Errno.ENOTDIR), k.call("fchdir", 1));
    assertEquals(err(Errno.EBADF), k.call("fchdir", 64));
  }

  @Test
  void chroot_rootOnly_andAbsolutePathsStayInside() {
    k.vfs.mkdir(k.process.fs(), null, b("/jail"), 0755);
    k.vfs.mkdir(k.process.fs(), null, b("/jail/etc"), 0755);
    k.vfs.mkdir(k.process.fs(), null, b("/secret"), 0755);
    assertEquals(err(Errno.ENOENT), k.call("chroot", k.string("/nope")));
    PathOpsFiles.becomeUser(k, 1000, 1000);
    assertEquals(err(Errno.EPERM), k.call("chroot", k.string("/jail")));
    PathOpsFiles.becomeUser(k, 0, 0);
    assertEquals(0, k.call("chroot", k.string("/jail")));
    assertEquals(0, k.call("chdir", k.string("/etc")));
    assertEquals("/etc", getcwd());
    assertEquals(err(Errno.ENOENT), k.call("stat", k.string("/secret"), k.alloc(144)));
    assertEquals(0, k.call("chdir", k.string("/../..")));
    assertEquals("/", getcwd());
    assertFalse(k.call("stat", k.string("/etc"), k.alloc(144)) != 0);
  }
}
