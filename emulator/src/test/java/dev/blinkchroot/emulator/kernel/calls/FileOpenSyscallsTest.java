package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.FileCalls.AT_FDCWD;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_APPEND;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_CLOEXEC;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_CREAT;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_DIRECTORY;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_EXCL;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_LARGEFILE;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_NOFOLLOW;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_NONBLOCK;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_PATH;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_RDONLY;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_RDWR;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_TMPFILE;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_TRUNC;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_WRONLY;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.UNMAPPED;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.err;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Stat;
import org.junit.jupiter.api.Test;

/** open, openat, creat, close, close_range, dup*, fcntl (descriptor and status flags), ioctl. */
class FileOpenSyscallsTest {
  private final FileCalls f = new FileCalls();
  private final KernelFixture k = f.k;

  @Test
  void open_createsWithTheUmaskApplied_andReportsLargefileInGetfl() {
    int fd = f.openOk("/new", O_RDWR | O_CREAT, 0666);
    assertEquals(3, fd);
    assertEquals(0644, f.description(fd).stat().permissions());
    assertEquals(O_RDWR | O_LARGEFILE, k.call("fcntl", fd, 3, 0));
  }

  @Test
  void open_errors_exclusiveMissingDirectoryAndTmpfile() {
    f.file("/a", "x");
    assertEquals(err(Errno.EEXIST), f.open("/a", O_RDWR | O_CREAT | O_EXCL, 0644));
    assertEquals(err(Errno.ENOENT), f.open("/missing", O_RDONLY, 0));
    assertEquals(err(Errno.ENOTDIR), f.open("/a", O_RDONLY | O_DIRECTORY, 0));
    assertEquals(err(Errno.EISDIR), f.open("/", O_WRONLY, 0));
    assertEquals(err(Errno.EOPNOTSUPP), f.open("/", O_RDWR | O_TMPFILE, 0600));
    assertEquals(err(Errno.EFAULT), k.call("open", UNMAPPED, 0, 0));
    assertEquals(err(Errno.ENOENT), f.open("", O_RDONLY, 0));
  }

  @Test
  void open_oNofollowOnASymlink_isEloop_butOPathOpensTheLink() {
    f.file("/target", "x");
    k.vfs.symlink(k.process.fs(), "/target".getBytes(), null, "/link".getBytes());
    assertEquals(err(Errno.ELOOP), f.open("/link", O_RDONLY | O_NOFOLLOW, 0));
    int fd = f.openOk("/link", O_PATH | O_NOFOLLOW, 0);
    assertEquals(FileType.SYMLINK, f.description(fd).stat().type());
    assertEquals(O_PATH | O_NOFOLLOW, k.call("fcntl", fd, 3, 0));
  }

  @Test
  void oPath_descriptor_allowsOnlyWhatLinuxAllows() {
    f.file("/a", "data");
    int fd = f.openOk("/a", O_PATH, 0);
    long buf = k.alloc(4);
    assertEquals(err(Errno.EBADF), k.call("read", fd, buf, 4));
    assertEquals(err(Errno.EBADF), k.call("write", fd, buf, 4));
    assertEquals(err(Errno.EBADF), k.call("ioctl", fd, 0x541b, buf));
    assertEquals(err(Errno.EBADF), k.call("lseek", fd, 0, 0));
    assertEquals(err(Errno.EBADF), k.call("fcntl", fd, 4, 0));
    assertEquals(0, k.call("fcntl", fd, 2, 1));
    assertEquals(1, k.call("fcntl", fd, 1, 0));
    assertTrue(k.call("fcntl", fd, 0, 10) >= 10);
  }

  @Test
  void openat_resolvesAgainstTheDirfd_andAbsolutePathsIgnoreIt() {
    k.vfs.mkdir(k.process.fs(), null, "/d".getBytes(), 0755);
    int dir = f.openOk("/d", O_RDONLY | O_DIRECTORY, 0);
    int fd = (int) k.call("openat", dir, k.string("x"), O_RDWR | O_CREAT, 0600);
    assertEquals("/d/x", f.description(fd).procLink());
    assertTrue(k.call("openat", 99, k.string("/d/x"), O_RDONLY, 0) >= 0);
    assertEquals(err(Errno.EBADF), k.call("openat", 99, k.string("x"), O_RDONLY, 0));
    assertEquals(err(Errno.ENOTDIR), k.call("openat", fd, k.string("x"), O_RDONLY, 0));
    assertTrue(k.call("openat", AT_FDCWD, k.string("d/x"), O_RDONLY, 0) >= 0);
  }

  @Test
  void creat_truncatesAndOpensWriteOnly() {
    int fd = f.file("/a", "old content");
    k.call("close", fd);
    int c = (int) k.call("creat", k.string("/a"), 0600);
    assertEquals(0, f.description(c).stat().size());
    assertEquals(O_WRONLY | O_LARGEFILE, k.call("fcntl", c, 3, 0));
  }

  @Test
  void oCloexec_setsTheDescriptorFlag_notTheStatusFlags() {
    int fd = f.openOk("/a", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    assertEquals(1, k.call("fcntl", fd, 1, 0));
    assertEquals(O_RDWR | O_LARGEFILE, k.call("fcntl", fd, 3, 0));
    assertTrue(k.process.fds().closeOnExec(fd));
    assertEquals(0, k.call("fcntl", fd, 2, 0));
    assertFalse(k.process.fds().closeOnExec(fd));
  }

  @Test
  void exec_closesTheCloexecDescriptors_andKeepsTheirPlainDups() {
    int fd = f.openOk("/a", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    int plain = (int) k.call("dup", fd);
    int marked = (int) k.call("fcntl", fd, 1030, 10);
    k.process.fds().closeOnExec();
    assertEquals(err(Errno.EBADF), k.call("fcntl", fd, 1, 0));
    assertEquals(err(Errno.EBADF), k.call("fcntl", marked, 1, 0));
    assertEquals(0, k.call("fcntl", plain, 1, 0));
    assertEquals(1, f.write(plain, "x"));
  }

  @Test
  void open_withEveryDescriptorTaken_isEmfile_andCreatesNothing() {
    k.process.fds().setLimit(4);
    f.openOk("/a", O_RDWR | O_CREAT, 0644);
    assertEquals(err(Errno.EMFILE), f.open("/b", O_RDWR | O_CREAT, 0644));
    k.process.fds().setLimit(64);
    assertEquals(err(Errno.ENOENT), f.open("/b", O_RDONLY, 0));
  }

  @Test
  void close_releasesTheDescriptor_twiceIsEbadf() {
    int fd = f.file("/a", "x");
    assertEquals(0, k.call("close", fd));
    assertEquals(err(Errno.EBADF), k.call("close", fd));
    assertEquals(err(Errno.EBADF), k.call("close", -1));
    assertEquals(fd, f.openOk("/a", O_RDONLY, 0));
  }

  @Test
  void closeRange_closesOrMarks_andValidates() {
    for (int i = 0; i < 5; i++) {
      f.openOk("/", O_RDONLY, 0); // 3..7
    }
    assertEquals(0, k.call("close_range", 4, 5, 0));
    assertEquals(java.util.List.of(0, 1, 2, 3, 6, 7), k.process.fds().openDescriptors());
    assertEquals(0, k.call("close_range", 6, 0xffffffffL, 4)); // CLOSE_RANGE_CLOEXEC
    assertTrue(k.process.fds().closeOnExec(7));
    assertFalse(k.process.fds().closeOnExec(3));
    assertEquals(err(Errno.EINVAL), k.call("close_range", 5, 3, 0));
    assertEquals(err(Errno.EINVAL), k.call("close_range", 3, 5, 1));
    assertEquals(0, k.call("close_range", 3, 0xffffffffL, 2)); // UNSHARE: closes as usual
    assertEquals(java.util.List.of(0, 1, 2), k.process.fds().openDescriptors());
  }

  @Test
  void dup_sharesTheOffset_dup2ReplacesAnOpenDescriptor() {
    int fd = f.file("/a", "abcdef");
    int d = (int) k.call("dup", fd);
    assertEquals(fd + 1, d);
    assertEquals("ab", f.read(fd, 2));
    assertEquals("cd", f.read(d, 2));
    int other = f.file("/b", "zz");
    assertEquals(other, k.call("dup2", fd, other));
    assertEquals("ef", f.read(other, 2));
    assertEquals(fd, k.call("dup2", fd, fd));
    assertEquals(err(Errno.EBADF), k.call("dup2", 99, 99));
    assertEquals(err(Errno.EBADF), k.call("dup2", fd, -1));
    assertEquals(err(Errno.EBADF), k.call("dup", 99));
    assertFalse(k.process.fds().closeOnExec(other));
  }

  @Test
  void dup3_sameDescriptorOrUnknownFlag_isEinval_cloexecIsHonoured() {
    int fd = f.file("/a", "x");
    assertEquals(err(Errno.EINVAL), k.call("dup3", fd, fd, 0));
    assertEquals(err(Errno.EINVAL), k.call("dup3", fd, 20, 1));
    assertEquals(20, k.call("dup3", fd, 20, O_CLOEXEC));
    assertTrue(k.process.fds().closeOnExec(20));
  }

  @Test
  void fcntl_dupfd_findsTheLowestAtOrAbove_andChecksTheLimit() {
    int fd = f.file("/a", "x");
    assertEquals(10, k.call("fcntl", fd, 0, 10));
    assertEquals(11, k.call("fcntl", fd, 1030, 10));
    assertEquals(1, k.call("fcntl", 11, 1, 0));
    assertEquals(err(Errno.EINVAL), k.call("fcntl", fd, 0, 5000));
    assertEquals(err(Errno.EINVAL), k.call("fcntl", fd, 0, -1));
  }

  @Test
  void fcntl_setfl_changesOnlyTheSettableFlags() {
    int fd = f.file("/a", "x");
    assertEquals(0, k.call("fcntl", fd, 4, O_WRONLY | O_APPEND | O_NONBLOCK));
    assertEquals(O_RDWR | O_LARGEFILE | O_APPEND | O_NONBLOCK, k.call("fcntl", fd, 3, 0));
  }

  @Test
  void fcntl_unknownCommand_isEinval_badDescriptorEbadf() {
    int fd = f.file("/a", "x");
    assertEquals(err(Errno.EINVAL), k.call("fcntl", fd, 9999, 0));
    assertEquals(err(Errno.EBADF), k.call("fcntl", 99, 1, 0));
    assertEquals(err(Errno.EBADF), k.call("fcntl", fd, 1032, 0)); // F_GETPIPE_SZ
    assertEquals(err(Errno.EINVAL), k.call("fcntl", fd, 1034, 0)); // F_GET_SEALS
  }

  @Test
  void ioctl_fionread_onFilesAndPipes_enottyElsewhere() {
    int fd = f.file("/a", "0123456789");
    f.read(fd, 3);
    long n = k.alloc(4);
    assertEquals(0, k.call("ioctl", fd, 0x541b, n));
    assertEquals(7, f.int32(n));
    int[] p = f.pipe(0);
    f.write(p[1], "abc");
    assertEquals(0, k.call("ioctl", p[0], 0x541b, n));
    assertEquals(3, f.int32(n));
    int dir = f.openOk("/", O_RDONLY | O_DIRECTORY, 0);
    assertEquals(err(Errno.ENOTTY), k.call("ioctl", dir, 0x541b, n));
    assertEquals(err(Errno.EFAULT), k.call("ioctl", fd, 0x541b, UNMAPPED));
  }

  @Test
  void ioctl_genericRequests_fionbioFioclexFionclex() {
    int fd = f.file("/a", "x");
    long one = k.alloc(4);
    k.process.memory().write32(one, 1);
    assertEquals(0, k.call("ioctl", fd, 0x5421, one));
    assertEquals(O_NONBLOCK, k.call("fcntl", fd, 3, 0) & O_NONBLOCK);
    assertEquals(0, k.call("ioctl", fd, 0x5421, k.alloc(4)));
    assertEquals(0, k.call("fcntl", fd, 3, 0) & O_NONBLOCK);
    assertEquals(0, k.call("ioctl", fd, 0x5451, 0));
    assertTrue(k.process.fds().closeOnExec(fd));
    assertEquals(0, k.call("ioctl", fd, 0x5450, 0));
    assertFalse(k.process.fds().closeOnExec(fd));
  }

  @Test
  void ioctl_terminalRequestsOnAFileOrPipe_areEnotty() {
    int fd = f.file("/a", "x");
    int[] p = f.pipe(0);
    long buf = k.alloc(64);
    for (int request : new int[] {0x5401, 0x5413, 0x540f}) {
      assertEquals(err(Errno.ENOTTY), k.call("ioctl", fd, request, buf));
      assertEquals(err(Errno.ENOTTY), k.call("ioctl", p[0], request, buf));
    }
    assertEquals(err(Errno.EBADF), k.call("ioctl", 99, 0x5401, buf));
  }

  @Test
  void open_characterDevice_getsItsDriver_unknownNumberIsEnxio() {
    k.vfs.mknod(k.process.fs(), null, "/null".getBytes(), 0020666, Stat.makedev(1, 3));
    k.vfs.mknod(k.process.fs(), null, "/nodev".getBytes(), 0020666, Stat.makedev(250, 1));
    int fd = f.openOk("/null", O_RDWR, 0);
    assertEquals(3, f.write(fd, "abc"));
    assertEquals("", f.read(fd, 10));
    assertEquals(err(Errno.ENXIO), f.open("/nodev", O_RDWR, 0));
    int path = f.openOk("/nodev", O_PATH, 0);
    assertEquals(FileType.CHARACTER_DEVICE, f.description(path).stat().type());
  }

  @Test
  void open_fifoByName_sharesOnePipe_andFollowsTheNonblockingRules() {
    k.vfs.mknod(k.process.fs(), null, "/fifo".getBytes(), 0010644, 0);
    assertEquals(err(Errno.ENXIO), f.open("/fifo", O_WRONLY | O_NONBLOCK, 0));
    int r = f.openOk("/fifo", O_RDONLY | O_NONBLOCK, 0);
    assertEquals("", f.read(r, 10)); // no writer: end of file
    int w = f.openOk("/fifo", O_WRONLY | O_NONBLOCK, 0);
    assertEquals(5, f.write(w, "hello"));
    assertEquals("hello", f.read(r, 10));
    assertEquals(err(Errno.EAGAIN), k.call("read", r, k.alloc(4), 4));
    assertEquals(FileType.FIFO, f.description(r).stat().type());
    assertEquals("/fifo", f.description(r).procLink());
    assertEquals(err(Errno.ESPIPE), k.call("lseek", r, 0, 0));
    int rw = f.openOk("/fifo", O_RDWR, 0); // never waits
    assertEquals(2, f.write(rw, "hi"));
    assertEquals("hi", f.read(r, 10));
  }

  @Test
  void open_fifoBlocking_waitsForTheOtherEnd_fromAnotherThread() throws Exception {
    k.vfs.mknod(k.process.fs(), null, "/fifo".getBytes(), 0010644, 0);
    long path = k.string("/fifo");
    Thread writer = new Thread(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
      // A second opener of the same inode, as another process would be.
      dev.blinkchroot.vfs.OpenFile file = k.vfs.open(k.process.fs(), null, "/fifo".getBytes(),
          O_WRONLY, 0);
      k.kernel.fifos().open(k.task, file, "/fifo".getBytes(), O_WRONLY).close();
    });
    writer.start();
    long r = k.call("open", path, O_RDONLY, 0);
    writer.join();
    assertTrue(r >= 0);
    assertEquals("", f.read((int) r, 10));
  }
}
