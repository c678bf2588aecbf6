package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_NONBLOCK;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_RDWR;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.UNMAPPED;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.err;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileType;
import org.junit.jupiter.api.Test;

/** eventfd2 counter semantics and memfd_create files with their seals. */
class EventFdMemFdTest {
  private static final int EFD_SEMAPHORE = 1;
  private static final int EFD_NONBLOCK = O_NONBLOCK;
  private static final int EFD_CLOEXEC = 02000000;

  private final FileCalls f = new FileCalls();
  private final KernelFixture k = f.k;

  private long value(long v) {
    long a = k.alloc(8);
    k.process.memory().write64(a, v);
    return a;
  }

  private long readCounter(int fd) {
    long a = k.alloc(8);
    long r = k.call("read", fd, a, 8);
    return r < 0 ? r : f.int64(a);
  }

  @Test
  void eventfd_readReturnsTheSum_andResetsIt() {
    int fd = (int) k.call("eventfd2", 5, EFD_NONBLOCK);
    assertEquals(8, k.call("write", fd, value(3), 8));
    assertEquals(8, readCounter(fd));
    assertEquals(err(Errno.EAGAIN), readCounter(fd));
    assertEquals(O_RDWR | O_NONBLOCK, k.call("fcntl", fd, 3, 0));
  }

  @Test
  void eventfd_semaphore_readsOneAtATime() {
    int fd = (int) k.call("eventfd2", 2, EFD_SEMAPHORE | EFD_NONBLOCK);
    assertEquals(1, readCounter(fd));
    assertEquals(1, readCounter(fd));
    assertEquals(err(Errno.EAGAIN), readCounter(fd));
  }

  @Test
  void eventfd_errors_shortBuffersMaxValueAndOverflow() {
    int fd = (int) k.call("eventfd2", 0, EFD_NONBLOCK | EFD_CLOEXEC);
    assertTrue(k.process.fds().closeOnExec(fd));
    assertEquals(err(Errno.EINVAL), k.call("read", fd, k.alloc(8), 7));
    assertEquals(err(Errno.EINVAL), k.call("write", fd, value(1), 4));
    assertEquals(err(Errno.EINVAL), k.call("write", fd, value(-1), 8));
    assertEquals(8, k.call("write", fd, value(0xfffffffffffffffeL), 8));
    assertEquals(err(Errno.EAGAIN), k.call("write", fd, value(1), 8));
    assertEquals(8, k.call("write", fd, value(0), 8));
    assertEquals(err(Errno.EINVAL), k.call("eventfd2", 0, 0x10));
    assertEquals(err(Errno.EFAULT), k.call("read", fd, UNMAPPED, 8));
  }

  @Test
  void eventfd_blockingRead_waitsForAWrite() throws Exception {
    int fd = (int) k.call("eventfd2", 0, 0);
    FileDescription d = f.description(fd);
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8)
          .order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, 42);
      d.write(b);
    });
    t.start();
    assertEquals(42, readCounter(fd));
    t.join();
  }

  @Test
  void eventfd_statAndProcLink_areTheAnonymousInodes() {
    int fd = (int) k.call("eventfd2", 0, 0);
    FileDescription d = f.description(fd);
    assertEquals(0600, d.stat().mode());
    assertEquals("anon_inode:[eventfd]", d.procLink());
    assertEquals(err(Errno.ENOTTY), k.call("ioctl", fd, 0x541b, k.alloc(4)));
    assertEquals(err(Errno.EINVAL), k.call("fsync", fd));
  }

  @Test
  void memfd_isAnUnlinkedRegularFile_namedInProc() {
    int fd = (int) k.call("memfd_create", k.string("buffer"), 1);
    assertTrue(fd >= 3);
    assertTrue(k.process.fds().closeOnExec(fd));
    FileDescription d = f.description(fd);
    assertEquals("/memfd:buffer (deleted)", d.procLink());
    assertEquals(FileType.REGULAR, d.stat().type());
    assertEquals(0777, d.stat().permissions());
    assertEquals(0, d.stat().nlink());
    assertEquals(O_RDWR | FileCalls.O_LARGEFILE, k.call("fcntl", fd, 3, 0));
    assertEquals(6, f.write(fd, "abcdef"));
    assertEquals(0, k.call("ftruncate", fd, 3));
    assertEquals(0, k.call("lseek", fd, 0, 0));
    assertEquals("abc", f.read(fd, 10));
  }

  @Test
  void memfd_errors_flagsAndNameLength() {
    assertEquals(err(Errno.EINVAL), k.call("memfd_create", k.string("x"), 0x100));
    assertEquals(err(Errno.EINVAL), k.call("memfd_create", k.string("x"), 8 | 0x10));
    assertEquals(err(Errno.EINVAL), k.call("memfd_create", k.string("n".repeat(250)), 0));
    assertTrue(k.call("memfd_create", k.string("n".repeat(249)), 0) >= 0);
    assertEquals(err(Errno.EFAULT), k.call("memfd_create", UNMAPPED, 0));
    assertTrue(k.call("memfd_create", k.string("huge"), 4) >= 0);
  }

  @Test
  void memfd_seals_onlyWithAllowSealing_andTheyAreEnforced() {
    int plain = (int) k.call("memfd_create", k.string("p"), 0);
    assertEquals(1, k.call("fcntl", plain, 1034, 0)); // F_SEAL_SEAL
    assertEquals(err(Errno.EPERM), k.call("fcntl", plain, 1033, 8));
    int fd = (int) k.call("memfd_create", k.string("s"), 2);
    assertEquals(0, k.call("fcntl", fd, 1034, 0));
    f.write(fd, "1234");
    assertEquals(0, k.call("fcntl", fd, 1033, 2 | 4)); // SHRINK | GROW
    assertEquals(err(Errno.EPERM), k.call("ftruncate", fd, 2));
    assertEquals(err(Errno.EPERM), k.call("ftruncate", fd, 10));
    assertEquals(err(Errno.EPERM), f.write(fd, "5"));
    assertEquals(0, k.call("lseek", fd, 0, 0));
    assertEquals(2, f.write(fd, "ab"));
    assertEquals(0, k.call("fcntl", fd, 1033, 8)); // WRITE
    assertEquals(err(Errno.EPERM), f.write(fd, "c"));
    assertEquals(0, k.call("fcntl", fd, 1033, 1));
    assertEquals(err(Errno.EPERM), k.call("fcntl", fd, 1033, 0x10));
    assertEquals(err(Errno.EINVAL), k.call("fcntl", f.pipe(0)[0], 1033, 1));
  }
}
