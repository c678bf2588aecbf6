package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_CREAT;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_DIRECTORY;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_PATH;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_RDONLY;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_RDWR;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.err;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import org.junit.jupiter.api.Test;

/**
 * Unlink while open, truncate, ftruncate, fallocate, the sync calls, fadvise64 and readahead.
 */
class FileSizeAndSyncTest {
  private final FileCalls f = new FileCalls();
  private final KernelFixture k = f.k;

  @Test
  void unlinkWhileOpen_dataStaysReachableThroughTheDescriptor() {
    int fd = f.file("/gone", "still here");
    int other = (int) k.call("dup", fd);
    k.vfs.unlink(k.process.fs(), null, "/gone".getBytes(), 0);
    assertEquals(err(Errno.ENOENT), f.open("/gone", O_RDONLY, 0));
    assertEquals("still here", f.read(fd, 100));
    f.write(fd, "!");
    assertEquals(0, k.call("lseek", other, 0, 0));
    assertEquals("still here!", f.read(other, 100));
    assertEquals(0, f.description(fd).stat().nlink());
    assertEquals("/gone (deleted)", f.description(fd).procLink());
  }

  @Test
  void procLink_isTheCanonicalPath_throughSymlinksAndDotDot() {
    k.vfs.mkdir(k.process.fs(), null, "/d".getBytes(), 0755);
    k.vfs.symlink(k.process.fs(), "/d".getBytes(), null, "/link".getBytes());
    int fd = f.openOk("/link/../d/./x", O_RDWR | O_CREAT, 0644);
    assertEquals("/d/x", f.description(fd).procLink());
    int sl = f.openOk("/link", O_PATH | FileCalls.O_NOFOLLOW, 0);
    assertEquals("/link", f.description(sl).procLink());
  }

  @Test
  void truncate_shrinksAndExtends_negativeIsEinval_directoryIsEisdir() {
    int fd = f.file("/a", "0123456789");
    assertEquals(0, k.call("truncate", k.string("/a"), 4));
    assertEquals("0123", f.read(fd, 100));
    assertEquals(0, k.call("truncate", k.string("/a"), 6));
    assertEquals(6, f.description(fd).stat().size());
    assertEquals(err(Errno.EINVAL), k.call("truncate", k.string("/a"), -1));
    assertEquals(err(Errno.EINVAL), k.call("truncate", k.string("/missing"), -1));
    assertEquals(err(Errno.EISDIR), k.call("truncate", k.string("/"), 0));
    assertEquals(err(Errno.ENOENT), k.call("truncate", k.string("/missing"), 0));
  }

  @Test
  void ftruncate_needsARegularFileOpenForWriting() {
    int fd = f.file("/a", "0123456789");
    assertEquals(0, k.call("ftruncate", fd, 3));
    assertEquals(3, f.description(fd).stat().size());
    assertEquals(err(Errno.EINVAL), k.call("ftruncate", fd, -1));
    assertEquals(err(Errno.EINVAL), k.call("ftruncate", 99, -1));
    assertEquals(err(Errno.EBADF), k.call("ftruncate", 99, 0));
    int ro = f.openOk("/a", O_RDONLY, 0);
    assertEquals(err(Errno.EINVAL), k.call("ftruncate", ro, 0));
    int dir = f.openOk("/", O_RDONLY | O_DIRECTORY, 0);
    assertEquals(err(Errno.EINVAL), k.call("ftruncate", dir, 0));
    int path = f.openOk("/a", O_PATH, 0);
    assertEquals(err(Errno.EBADF), k.call("ftruncate", path, 0));
    int[] p = f.pipe(0);
    assertEquals(err(Errno.EINVAL), k.call("ftruncate", p[1], 0));
  }

  @Test
  void fallocate_modeZeroExtends_keepSizeDoesNot() {
    int fd = f.file("/a", "ab");
    assertEquals(0, k.call("fallocate", fd, 0, 0, 100));
    assertEquals(100, f.description(fd).stat().size());
    assertEquals(0, k.call("fallocate", fd, 0, 0, 10));
    assertEquals(100, f.description(fd).stat().size());
    assertEquals(0, k.call("fallocate", fd, 1, 0, 5000));
    assertEquals(100, f.description(fd).stat().size());
    assertEquals("ab", f.read(fd, 2));
  }

  @Test
  void fallocate_punchHoleWithKeepSize_zeroesTheRange_evenUnderOAppend() {
    f.file("/a", "abcdefgh");
    int fd = f.openOk("/a", O_RDWR | FileCalls.O_APPEND, 0);
    assertEquals(0, k.call("fallocate", fd, 3, 2, 3));
    assertEquals(0, k.call("fallocate", fd, 3, 6, 100));
    assertEquals(8, f.description(fd).stat().size());
    long buf = k.alloc(8);
    assertEquals(8, k.call("pread64", fd, buf, 8, 0));
    assertEquals("ab\0\0\0f\0\0", f.text(buf, 8));
  }

  @Test
  void fallocate_errors_inLinuxOrder() {
    int fd = f.file("/a", "x");
    assertEquals(err(Errno.EINVAL), k.call("fallocate", fd, 0, -1, 10));
    assertEquals(err(Errno.EINVAL), k.call("fallocate", fd, 0, 0, 0));
    assertEquals(err(Errno.EOPNOTSUPP), k.call("fallocate", fd, 2, 0, 10)); // punch w/o keep
    assertEquals(err(Errno.EOPNOTSUPP), k.call("fallocate", fd, 0x10, 0, 10)); // zero range
    assertEquals(err(Errno.EOPNOTSUPP), k.call("fallocate", fd, 0x100, 0, 10));
    int ro = f.openOk("/a", O_RDONLY, 0);
    assertEquals(err(Errno.EBADF), k.call("fallocate", ro, 0, 0, 10));
    int[] p = f.pipe(0);
    assertEquals(err(Errno.ESPIPE), k.call("fallocate", p[1], 0, 0, 10));
    assertEquals(err(Errno.EFBIG), k.call("fallocate", fd, 0, Long.MAX_VALUE - 1, 10));
  }

  @Test
  void syncCalls_succeedOnFilesAndDirectories_einvalOnPipes() {
    int fd = f.file("/a", "x");
    int dir = f.openOk("/", O_RDONLY | O_DIRECTORY, 0);
    int[] p = f.pipe(0);
    assertEquals(0, k.call("fsync", fd));
    assertEquals(0, k.call("fdatasync", fd));
    assertEquals(0, k.call("fsync", dir));
    assertEquals(err(Errno.EINVAL), k.call("fsync", p[0]));
    assertEquals(err(Errno.EINVAL), k.call("fdatasync", p[1]));
    assertEquals(err(Errno.EBADF), k.call("fsync", 99));
    int path = f.openOk("/a", O_PATH, 0);
    assertEquals(err(Errno.EBADF), k.call("fsync", path));
    assertEquals(0, k.call("sync"));
    assertEquals(0, k.call("syncfs", fd));
    assertEquals(0, k.call("syncfs", p[0]));
    assertEquals(err(Errno.EBADF), k.call("syncfs", 99));
  }

  @Test
  void fadvise64_validatesAndSucceeds() {
    int fd = f.file("/a", "x");
    assertEquals(0, k.call("fadvise64", fd, 0, 0, 4));
    assertEquals(err(Errno.EINVAL), k.call("fadvise64", fd, 0, 0, 9));
    assertEquals(err(Errno.EINVAL), k.call("fadvise64", fd, 0, -1, 0));
    int[] p = f.pipe(0);
    assertEquals(err(Errno.ESPIPE), k.call("fadvise64", p[0], 0, 0, 0));
    assertEquals(err(Errno.EBADF), k.call("fadvise64", 99, 0, 0, 0));
  }

  @Test
  void readahead_needsAReadableRegularFile() {
    int fd = f.file("/a", "x");
    assertEquals(0, k.call("readahead", fd, 0, 4096));
    int[] p = f.pipe(0);
    assertEquals(err(Errno.EINVAL), k.call("readahead", p[0], 0, 10));
    int dir = f.openOk("/", O_RDONLY | O_DIRECTORY, 0);
    assertEquals(err(Errno.EINVAL), k.call("readahead", dir, 0, 10));
    int wo = f.openOk("/a", FileCalls.O_WRONLY, 0);
    assertEquals(err(Errno.EBADF), k.call("readahead", wo, 0, 10));
  }
}
