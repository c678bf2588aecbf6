package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_APPEND;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_DIRECTORY;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_NONBLOCK;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_RDONLY;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_WRONLY;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.UNMAPPED;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.err;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import org.junit.jupiter.api.Test;

/** sendfile, copy_file_range, splice and tee. */
class FileTransfersTest {
  private final FileCalls f = new FileCalls();
  private final KernelFixture k = f.k;

  private long offset(long value) {
    long a = k.alloc(8);
    k.process.memory().write64(a, value);
    return a;
  }

  @Test
  void sendfile_withoutOffset_advancesTheSourceOffset() {
    int in = f.file("/in", "hello world");
    int out = f.file("/out", "");
    assertEquals(5, k.call("sendfile", out, in, 0, 5));
    assertEquals(5, k.call("lseek", in, 0, 1));
    assertEquals(6, k.call("sendfile", out, in, 0, 100));
    assertEquals(0, k.call("sendfile", out, in, 0, 100));
    assertEquals(0, k.call("lseek", out, 0, 0));
    assertEquals("hello world", f.read(out, 100));
  }

  @Test
  void sendfile_withOffset_updatesIt_andLeavesTheFileOffset() {
    int in = f.file("/in", "0123456789");
    int[] p = f.pipe(0);
    long off = offset(3);
    assertEquals(4, k.call("sendfile", p[1], in, off, 4));
    assertEquals(7, f.int64(off));
    assertEquals(0, k.call("lseek", in, 0, 1));
    assertEquals("3456", f.read(p[0], 10));
  }

  @Test
  void sendfile_errors() {
    int in = f.file("/in", "abc");
    int[] p = f.pipe(O_NONBLOCK);
    int app = f.openOk("/in", O_WRONLY | O_APPEND, 0);
    assertEquals(err(Errno.EINVAL), k.call("sendfile", app, in, 0, 3));
    assertEquals(err(Errno.EFAULT), k.call("sendfile", p[1], in, UNMAPPED, 3));
    assertEquals(err(Errno.ESPIPE), k.call("sendfile", in, p[0], offset(0), 3));
    assertEquals(err(Errno.EINVAL), k.call("sendfile", p[1], in, offset(-1), 3));
    assertEquals(err(Errno.EBADF), k.call("sendfile", p[1], app, 0, 3));
    assertEquals(err(Errno.EBADF), k.call("sendfile", p[0], in, 0, 3));
    assertEquals(err(Errno.EAGAIN), k.call("sendfile", p[1], p[0], 0, 3));
  }

  @Test
  void copyFileRange_copiesBetweenOffsets_andUpdatesThePointers() {
    int in = f.file("/in", "0123456789");
    int out = f.file("/out", "");
    long offIn = offset(2);
    long offOut = offset(1);
    assertEquals(5, k.call("copy_file_range", in, offIn, out, offOut, 5, 0));
    assertEquals(7, f.int64(offIn));
    assertEquals(6, f.int64(offOut));
    assertEquals(0, k.call("lseek", in, 0, 1));
    assertEquals(6, f.description(out).stat().size());
    long buf = k.alloc(6);
    k.call("pread64", out, buf, 6, 0);
    assertEquals("\0" + "23456", f.text(buf, 6));
    // Without pointers the file offsets move; past the end nothing is copied.
    assertEquals(3, k.call("copy_file_range", in, 0, out, 0, 3, 0));
    assertEquals(3, k.call("lseek", in, 0, 1));
    assertEquals(0, k.call("copy_file_range", in, offset(100), out, 0, 3, 0));
  }

  @Test
  void copyFileRange_errors() {
    int a = f.file("/a", "0123456789");
    int dir = f.openOk("/", O_RDONLY | O_DIRECTORY, 0);
    int[] p = f.pipe(0);
    int app = f.openOk("/b", FileCalls.O_CREAT | O_WRONLY | O_APPEND, 0644);
    int ro = f.openOk("/a", O_RDONLY, 0);
    assertEquals(err(Errno.EINVAL), k.call("copy_file_range", a, offset(0), a, offset(5), 10, 0));
    assertEquals(10, k.call("copy_file_range", a, offset(0), a, offset(10), 10, 0));
    assertEquals(err(Errno.EINVAL), k.call("copy_file_range", a, 0, a, offset(50), 1, 1));
    assertEquals(err(Errno.EISDIR), k.call("copy_file_range", dir, 0, a, 0, 1, 0));
    assertEquals(err(Errno.EINVAL), k.call("copy_file_range", p[0], 0, a, 0, 1, 0));
    assertEquals(err(Errno.EBADF), k.call("copy_file_range", a, 0, app, 0, 1, 0));
    assertEquals(err(Errno.EBADF), k.call("copy_file_range", a, 0, ro, 0, 1, 0));
    assertEquals(err(Errno.EBADF), k.call("copy_file_range", 99, 0, a, 0, 1, 0));
    assertEquals(err(Errno.EFAULT), k.call("copy_file_range", a, UNMAPPED, a, 0, 1, 0));
  }

  @Test
  void splice_fileToPipeAndBack() {
    int in = f.file("/in", "spliced!");
    int out = f.file("/out", "");
    int[] p = f.pipe(0);
    long off = offset(0);
    assertEquals(8, k.call("splice", in, off, p[1], 0, 100, 0));
    assertEquals(8, f.int64(off));
    assertEquals(0, k.call("lseek", in, 0, 1));
    assertEquals(3, k.call("splice", p[0], 0, out, 0, 3, 0));
    assertEquals(5, k.call("splice", p[0], 0, out, offset(3), 100, 0));
    assertEquals(3, k.call("lseek", out, 0, 1));
    assertEquals(0, k.call("lseek", out, 0, 0));
    assertEquals("spliced!", f.read(out, 100));
    // Without an offset a regular file's own offset moves.
    assertEquals(4, k.call("splice", in, 0, p[1], 0, 4, 0));
    assertEquals(4, k.call("lseek", in, 0, 1));
  }

  @Test
  void splice_pipeToPipe_movesTheData() {
    int[] a = f.pipe(0);
    int[] b = f.pipe(0);
    f.write(a[1], "through");
    assertEquals(7, k.call("splice", a[0], 0, b[1], 0, 100, 0));
    assertEquals("through", f.read(b[0], 100));
    assertEquals(err(Errno.EINVAL), k.call("splice", a[0], 0, a[1], 0, 1, 0));
  }

  @Test
  void splice_errors() {
    int file = f.file("/a", "x");
    int other = f.file("/b", "");
    int[] p = f.pipe(0);
    assertEquals(0, k.call("splice", file, 0, other, 0, 0, 0));
    assertEquals(err(Errno.EINVAL), k.call("splice", file, 0, other, 0, 1, 0));
    assertEquals(err(Errno.EINVAL), k.call("splice", file, 0, p[1], 0, 1, 0x10));
    assertEquals(err(Errno.ESPIPE), k.call("splice", p[0], offset(0), other, 0, 1, 0));
    assertEquals(err(Errno.ESPIPE), k.call("splice", file, 0, p[1], offset(0), 1, 0));
    assertEquals(err(Errno.EBADF), k.call("splice", p[1], 0, other, 0, 1, 0));
    assertEquals(err(Errno.EAGAIN), k.call("splice", p[0], 0, other, 0, 1, 2));
    k.call("close", p[1]);
    assertEquals(0, k.call("splice", p[0], 0, other, 0, 1, 0));
  }

  @Test
  void tee_copiesBetweenPipes_andLeavesTheSourceUnread() {
    int[] a = f.pipe(0);
    int[] b = f.pipe(0);
    assertEquals(10, k.call("write", a[1], k.string("0123456789"), 10));
    assertEquals(5, k.call("tee", a[0], b[1], 5, 0));
    assertEquals("01234", f.read(b[0], 100));
    assertEquals("0123456789", f.read(a[0], 100));
  }

  @Test
  void tee_errors() {
    int[] a = f.pipe(O_NONBLOCK);
    int[] b = f.pipe(0);
    int file = f.file("/in", "abc");
    assertEquals(err(Errno.EINVAL), k.call("tee", file, b[1], 5, 0));
    assertEquals(err(Errno.EINVAL), k.call("tee", a[0], a[1], 5, 0));
    assertEquals(err(Errno.EINVAL), k.call("tee", a[0], b[1], 5, 0x100));
    assertEquals(err(Errno.EBADF), k.call("tee", a[1], b[1], 5, 0));
    assertEquals(err(Errno.EAGAIN), k.call("tee", a[0], b[1], 5, 0), "empty, O_NONBLOCK");
    assertEquals(0, k.call("close", a[1]));
    assertEquals(0, k.call("tee", a[0], b[1], 5, 0), "no data and no writer");
  }
}
