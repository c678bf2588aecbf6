package dev.blinkchroot.vfs;

import static dev.blinkchroot.vfs.TestTrees.b;
import static dev.blinkchroot.vfs.TestTrees.errnoOf;
import static dev.blinkchroot.vfs.TestTrees.mkdir;
import static dev.blinkchroot.vfs.TestTrees.read;
import static dev.blinkchroot.vfs.TestTrees.symlink;
import static dev.blinkchroot.vfs.TestTrees.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** open(2) flags, reads and writes at offsets, lseek, and getdents positions. */
class OpenFileTest {
  private Vfs vfs;
  private FsContext ctx;

  @BeforeEach
  void buildTree() {
    vfs = TestTrees.memoryVfs();
    ctx = TestTrees.root(vfs);
    mkdir(vfs, ctx, "/dir", 0755);
    write(vfs, ctx, "/file", "hello", 0644);
    symlink(vfs, ctx, "file", "/link");
    symlink(vfs, ctx, "made-by-creat", "/dangling");
  }

  private OpenFile open(String path, int flags) {
    return vfs.open(ctx, null, b(path), flags, 0644);
  }

  @Test
  void open_creatExcl_onExistingName_givesEexist_evenForADanglingLink() {
    assertEquals(Errno.EEXIST, errnoOf(() -> open("/file", Fcntl.O_CREAT | Fcntl.O_EXCL)));
    assertEquals(Errno.EEXIST, errnoOf(() -> open("/dangling", Fcntl.O_CREAT | Fcntl.O_EXCL)));
  }

  @Test
  void open_creatThroughDanglingSymlink_createsTheTarget() {
    open("/dangling", Fcntl.O_CREAT | Fcntl.O_WRONLY).close();
    assertEquals(FileType.REGULAR, vfs.stat(ctx, null, b("/made-by-creat"), 0).type());
  }

  @Test
  void open_nofollowOnSymlink_givesEloop_butOPathOpensTheLink() {
    assertEquals(Errno.ELOOP, errnoOf(() -> open("/link", Fcntl.O_RDONLY | Fcntl.O_NOFOLLOW)));
    try (OpenFile f = open("/link", Fcntl.O_PATH | Fcntl.O_NOFOLLOW)) {
      assertEquals(FileType.SYMLINK, f.stat().type());
      assertEquals(Errno.EBADF, errnoOf(() -> f.read(ByteBuffer.allocate(1))));
    }
  }

  @Test
  void open_typeErrors() {
    assertEquals(Errno.ENOTDIR, errnoOf(() -> open("/file", Fcntl.O_RDONLY | Fcntl.O_DIRECTORY)));
    assertEquals(Errno.EISDIR, errnoOf(() -> open("/dir", Fcntl.O_WRONLY)));
    assertEquals(Errno.EISDIR, errnoOf(() -> open("/dir", Fcntl.O_CREAT | Fcntl.O_RDONLY)));
    assertEquals(Errno.EISDIR, errnoOf(() -> open("/new/", Fcntl.O_CREAT | Fcntl.O_WRONLY)));
    assertEquals(Errno.ENOENT, errnoOf(() -> open("/nope", Fcntl.O_RDONLY)));
    assertEquals(Errno.EINVAL, errnoOf(() -> open("/file", Fcntl.O_ACCMODE)));
  }

  @Test
  void open_creat_appliesUmaskToMode() {
    ctx.setUmask(027);
    vfs.open(ctx, null, b("/m"), Fcntl.O_CREAT | Fcntl.O_WRONLY, 0666).close();
    assertEquals(0640, vfs.stat(ctx, null, b("/m"), 0).permissions());
  }

  @Test
  void open_truncate_emptiesTheFile() {
    open("/file", Fcntl.O_WRONLY | Fcntl.O_TRUNC).close();
    assertEquals(0, vfs.stat(ctx, null, b("/file"), 0).size());
  }

  @Test
  void readAndWrite_respectTheAccessMode() {
    try (OpenFile f = open("/file", Fcntl.O_RDONLY)) {
      assertEquals(Errno.EBADF, errnoOf(() -> f.write(ByteBuffer.wrap(b("x")))));
    }
    try (OpenFile f = open("/file", Fcntl.O_WRONLY)) {
      assertEquals(Errno.EBADF, errnoOf(() -> f.read(ByteBuffer.allocate(1))));
    }
  }

  @Test
  void write_pastTheEnd_leavesAHoleThatReadsAsZeros() {
    try (OpenFile f = open("/file", Fcntl.O_RDWR)) {
      f.pwrite(ByteBuffer.wrap(b("Z")), 10);
      ByteBuffer all = ByteBuffer.allocate(20);
      assertEquals(11, f.pread(all, 0));
      assertArrayEquals(new byte[] {'h', 'e', 'l', 'l', 'o', 0, 0, 0, 0, 0, 'Z'},
          java.util.Arrays.copyOf(all.array(), 11));
    }
    assertEquals(11, vfs.stat(ctx, null, b("/file"), 0).size());
  }

  @Test
  void append_writesAtTheEnd_evenForPwrite() {
    try (OpenFile f = open("/file", Fcntl.O_WRONLY | Fcntl.O_APPEND)) {
      f.write(ByteBuffer.wrap(b(" world")));
      f.pwrite(ByteBuffer.wrap(b("!")), 0);
    }
    assertEquals("hello world!", read(vfs, ctx, "/file"));
  }

  @Test
  void seek_setCurEnd_andErrors() {
    try (OpenFile f = open("/file", Fcntl.O_RDONLY)) {
      assertEquals(5, f.seek(0, Fcntl.SEEK_END));
      assertEquals(3, f.seek(-2, Fcntl.SEEK_CUR));
      ByteBuffer two = ByteBuffer.allocate(2);
      assertEquals(2, f.read(two));
      assertEquals("lo", new String(two.array()));
      assertEquals(0, f.read(ByteBuffer.allocate(4)));
      assertEquals(Errno.EINVAL, errnoOf(() -> f.seek(-1, Fcntl.SEEK_SET)));
      assertEquals(Errno.EINVAL, errnoOf(() -> f.seek(0, 7)));
      assertEquals(Errno.ENXIO, errnoOf(() -> f.seek(5, Fcntl.SEEK_DATA)));
      assertEquals(5, f.seek(1, Fcntl.SEEK_HOLE));
    }
  }

  @Test
  void unlinkedOpenFile_keepsWorkingUntilClosed() {
    try (OpenFile f = open("/file", Fcntl.O_RDWR)) {
      vfs.unlink(ctx, null, b("/file"), 0);
      assertEquals(Errno.ENOENT, errnoOf(() -> vfs.stat(ctx, null, b("/file"), 0)));
      f.pwrite(ByteBuffer.wrap(b("HELLO")), 0);
      ByteBuffer buf = ByteBuffer.allocate(5);
      f.pread(buf, 0);
      assertEquals("HELLO", new String(buf.array()));
      assertEquals(0, f.stat().nlink());
    }
  }

  @Test
  void ftruncate_needsWriteAccess() {
    try (OpenFile f = open("/file", Fcntl.O_RDONLY)) {
      assertEquals(Errno.EINVAL, errnoOf(() -> f.truncate(0)));
    }
    try (OpenFile f = open("/file", Fcntl.O_WRONLY)) {
      f.truncate(2);
    }
    assertEquals("he", read(vfs, ctx, "/file"));
  }

  @Test
  void readdir_listsDotAndDotDotFirst_thenEveryEntryOnce() {
    for (int i = 0; i < 5; i++) {
      write(vfs, ctx, "/dir/f" + i, "", 0644);
    }
    try (OpenFile d = open("/dir", Fcntl.O_RDONLY | Fcntl.O_DIRECTORY)) {
      List<DirEntry> all = d.readdir(100);
      assertEquals(".", all.get(0).name().toString());
      assertEquals("..", all.get(1).name().toString());
      assertEquals(vfs.stat(ctx, null, b("/"), 0).ino(), all.get(1).ino());
      assertEquals(7, all.size());
      assertEquals(FileType.REGULAR, all.get(2).type());
      assertTrue(d.readdir(100).isEmpty());
    }
  }

  @Test
  void readdir_resumedFromACookieWhileTheDirectoryChanges_seesSurvivorsExactlyOnce() {
    for (int i = 0; i < 20; i++) {
      write(vfs, ctx, "/dir/f" + i, "", 0644);
    }
    Map<String, Integer> seen = new HashMap<>();
    try (OpenFile d = open("/dir", Fcntl.O_RDONLY | Fcntl.O_DIRECTORY)) {
      List<DirEntry> batch = d.readdir(8);
      // As getdents64 with a buffer that held only seven: the eighth is given back by seeking
      // to the cookie of the seventh.
      for (DirEntry e : batch.subList(0, 7)) {
        seen.merge(e.name().toString(), 1, Integer::sum);
      }
      d.seek(batch.get(6).cookie(), Fcntl.SEEK_SET);
      // Change the directory mid-listing: remove a seen and an unseen entry, add and rename.
      vfs.unlink(ctx, null, b("/dir/f0"), 0);
      vfs.unlink(ctx, null, b("/dir/f15"), 0);
      write(vfs, ctx, "/dir/new1", "", 0644);
      vfs.rename(ctx, null, b("/dir/f16"), null, b("/dir/f16-renamed"), 0);
      List<DirEntry> rest;
      while (!(rest = d.readdir(3)).isEmpty()) {
        for (DirEntry e : rest) {
          seen.merge(e.name().toString(), 1, Integer::sum);
        }
      }
    }
    for (int i = 0; i < 20; i++) {
      if (i != 15 && i != 16) {
        assertEquals(1, seen.getOrDefault("f" + i, 0), "f" + i);
      }
    }
    assertEquals(1, seen.get("."));
    assertEquals(1, seen.get(".."));
    assertEquals(0, seen.getOrDefault("f15", 0));
    assertTrue(seen.values().stream().allMatch(n -> n == 1), seen.toString());
  }
}
