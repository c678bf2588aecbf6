package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_RDONLY;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_RDWR;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_WRONLY;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.UNMAPPED;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.err;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.fd.FileLocks;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** fcntl record locks (POSIX and OFD) and flock. */
class FileLocksTest {
  private static final int F_GETLK = 5;
  private static final int F_SETLK = 6;
  private static final int F_SETLKW = 7;
  private static final int F_OFD_GETLK = 36;
  private static final int F_OFD_SETLK = 37;
  private static final int F_OFD_SETLKW = 38;
  private static final int F_RDLCK = 0;
  private static final int F_WRLCK = 1;
  private static final int F_UNLCK = 2;

  private final FileCalls f = new FileCalls();
  private final KernelFixture k = f.k;

  /** A struct flock (32 bytes). */
  private long flock(int type, int whence, long start, long len, int pid) {
    ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort(0, (short) type).putShort(2, (short) whence).putLong(8, start).putLong(16, len)
        .putInt(24, pid);
    return k.bytes(b.array());
  }

  private ByteBuffer got(long addr) {
    return ByteBuffer.wrap(k.read(addr, 32)).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void posixLocks_ofOneProcess_neverConflictWithEachOther() {
    int a = f.file("/f", "0123456789");
    int b = f.openOk("/f", O_RDWR, 0);
    assertEquals(0, k.call("fcntl", a, F_SETLK, flock(F_WRLCK, 0, 0, 0, 0)));
    assertEquals(0, k.call("fcntl", b, F_SETLK, flock(F_WRLCK, 0, 0, 0, 0)));
    long q = flock(F_WRLCK, 0, 0, 0, 0);
    assertEquals(0, k.call("fcntl", b, F_GETLK, q));
    assertEquals(F_UNLCK, got(q).getShort(0));
  }

  @Test
  void ofdLocks_conflictBetweenTwoDescriptionsOfOneFile() {
    int a = f.file("/f", "0123456789");
    int b = f.openOk("/f", O_RDWR, 0);
    assertEquals(0, k.call("fcntl", a, F_OFD_SETLK, flock(F_WRLCK, 0, 2, 3, 0)));
    assertEquals(err(Errno.EAGAIN), k.call("fcntl", b, F_OFD_SETLK, flock(F_RDLCK, 0, 4, 1, 0)));
    assertEquals(0, k.call("fcntl", b, F_OFD_SETLK, flock(F_RDLCK, 0, 5, 5, 0)));
    // A dup shares the description, so it shares the lock.
    int dup = (int) k.call("dup", a);
    assertEquals(0, k.call("fcntl", dup, F_OFD_SETLK, flock(F_WRLCK, 0, 0, 4, 0)));
  }

  @Test
  void ofdGetlk_reportsTheConflictingLock_withPidMinusOne() {
    int a = f.file("/f", "0123456789");
    int b = f.openOk("/f", O_RDWR, 0);
    assertEquals(0, k.call("fcntl", a, F_OFD_SETLK, flock(F_RDLCK, 0, 2, 3, 0)));
    long q = flock(F_WRLCK, 0, 0, 0, 0);
    assertEquals(0, k.call("fcntl", b, F_OFD_GETLK, q));
    ByteBuffer r = got(q);
    assertEquals(F_RDLCK, r.getShort(0));
    assertEquals(0, r.getShort(2));
    assertEquals(2, r.getLong(8));
    assertEquals(3, r.getLong(16));
    assertEquals(-1, r.getInt(24));
    long read = flock(F_RDLCK, 0, 0, 0, 0);
    assertEquals(0, k.call("fcntl", b, F_OFD_GETLK, read));
    assertEquals(F_UNLCK, got(read).getShort(0));
  }

  @Test
  void posixGetlk_reportsAnOfdLockOfTheSameProcess_asAConflict() {
    int a = f.file("/f", "0123456789");
    assertEquals(0, k.call("fcntl", a, F_OFD_SETLK, flock(F_WRLCK, 0, 0, 0, 0)));
    long q = flock(F_RDLCK, 0, 7, 1, 0);
    assertEquals(0, k.call("fcntl", a, F_GETLK, q));
    ByteBuffer r = got(q);
    assertEquals(F_WRLCK, r.getShort(0));
    assertEquals(0, r.getLong(8));
    assertEquals(0, r.getLong(16)); // to the end of file
    assertEquals(err(Errno.EAGAIN), k.call("fcntl", a, F_SETLK, flock(F_RDLCK, 0, 7, 1, 0)));
  }

  @Test
  void ofdLocks_unlockSplitsTheRange_andCloseOfTheDescriptionReleases() {
    int a = f.file("/f", "0123456789");
    int b = f.openOk("/f", O_RDWR, 0);
    assertEquals(0, k.call("fcntl", a, F_OFD_SETLK, flock(F_WRLCK, 0, 0, 10, 0)));
    assertEquals(0, k.call("fcntl", a, F_OFD_SETLK, flock(F_UNLCK, 0, 3, 2, 0)));
    assertEquals(0, k.call("fcntl", b, F_OFD_SETLK, flock(F_WRLCK, 0, 3, 2, 0)));
    assertEquals(err(Errno.EAGAIN), k.call("fcntl", b, F_OFD_SETLK, flock(F_WRLCK, 0, 5, 1, 0)));
    k.call("close", a);
    assertEquals(0, k.call("fcntl", b, F_OFD_SETLK, flock(F_WRLCK, 0, 0, 0, 0)));
  }

  @Test
  void ofdSetlkw_waitsUntilTheHolderUnlocks() throws Exception {
    int a = f.file("/f", "x");
    int b = f.openOk("/f", O_RDWR, 0);
    assertEquals(0, k.call("fcntl", a, F_OFD_SETLK, flock(F_WRLCK, 0, 0, 0, 0)));
    FileDescription holder = f.description(a);
    AtomicLong released = new AtomicLong();
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
      released.set(System.nanoTime());
      k.kernel.files().locks().setLock(holder, holder, 1, true, F_UNLCK, 0, FileLocks.TO_EOF,
          false);
    });
    t.start();
    assertEquals(0, k.call("fcntl", b, F_OFD_SETLKW, flock(F_WRLCK, 0, 0, 0, 0)));
    assertTrue(released.get() != 0);
    t.join();
  }

  @Test
  void closingAnyDescriptor_dropsTheProcesssPosixLocks() {
    int a = f.file("/f", "x");
    int other = f.openOk("/f", O_RDONLY, 0);
    assertEquals(0, k.call("fcntl", a, F_SETLK, flock(F_WRLCK, 0, 0, 0, 0)));
    FileDescription d = f.description(a);
    // An OFD lock from another description conflicts while the POSIX lock is held...
    int ofd = f.openOk("/f", O_RDWR, 0);
    assertEquals(err(Errno.EAGAIN), k.call("fcntl", ofd, F_OFD_SETLK, flock(F_WRLCK, 0, 0, 0, 0)));
    k.call("close", other); // ...and closing any descriptor of the file releases it
    assertEquals(0, k.call("fcntl", ofd, F_OFD_SETLK, flock(F_WRLCK, 0, 0, 0, 0)));
    assertTrue(d.stat() != null);
  }

  @Test
  void recordLock_errors() {
    int a = f.file("/f", "0123456789");
    int ro = f.openOk("/f", O_RDONLY, 0);
    int wo = f.openOk("/f", O_WRONLY, 0);
    assertEquals(err(Errno.EINVAL), k.call("fcntl", a, F_GETLK, flock(F_UNLCK, 0, 0, 0, 0)));
    assertEquals(err(Errno.EBADF), k.call("fcntl", ro, F_SETLK, flock(F_WRLCK, 0, 0, 0, 0)));
    assertEquals(err(Errno.EBADF), k.call("fcntl", wo, F_SETLK, flock(F_RDLCK, 0, 0, 0, 0)));
    assertEquals(err(Errno.EINVAL), k.call("fcntl", a, F_SETLK, flock(5, 0, 0, 0, 0)));
    assertEquals(err(Errno.EINVAL), k.call("fcntl", a, F_OFD_SETLK, flock(F_RDLCK, 0, 0, 0, 9)));
    assertEquals(err(Errno.EINVAL), k.call("fcntl", a, F_SETLK, flock(F_RDLCK, 0, -5, 0, 0)));
    assertEquals(err(Errno.EINVAL), k.call("fcntl", a, F_SETLK, flock(F_RDLCK, 9, 0, 0, 0)));
    assertEquals(err(Errno.EINVAL), k.call("fcntl", a, F_SETLK, flock(F_RDLCK, 0, 2, -5, 0)));
    assertEquals(err(Errno.EFAULT), k.call("fcntl", a, F_SETLK, UNMAPPED));
  }

  @Test
  void recordLock_whenceAndNegativeLength_makeTheRange() {
    int a = f.file("/f", "0123456789");
    int b = f.openOk("/f", O_RDWR, 0);
    k.call("lseek", a, 6, 0);
    // SEEK_CUR 6, l_len -2: bytes 4 and 5.
    assertEquals(0, k.call("fcntl", a, F_OFD_SETLK, flock(F_WRLCK, 1, 0, -2, 0)));
    long q = flock(F_WRLCK, 2, -10, 0, 0); // SEEK_END - 10: the whole file
    assertEquals(0, k.call("fcntl", b, F_OFD_GETLK, q));
    assertEquals(4, got(q).getLong(8));
    assertEquals(2, got(q).getLong(16));
  }

  @Test
  void flock_exclusiveConflictsBetweenDescriptions_sharedDoNot() {
    int a = f.file("/f", "x");
    int b = f.openOk("/f", O_RDONLY, 0);
    assertEquals(0, k.call("flock", a, 1 | 4));
    assertEquals(0, k.call("flock", b, 1 | 4));
    assertEquals(err(Errno.EAGAIN), k.call("flock", a, 2 | 4));
    assertEquals(0, k.call("flock", b, 8));
    assertEquals(0, k.call("flock", a, 2 | 4)); // converted to exclusive
    assertEquals(err(Errno.EAGAIN), k.call("flock", b, 1 | 4));
    int dup = (int) k.call("dup", a);
    assertEquals(0, k.call("flock", dup, 2 | 4)); // same description
    k.call("close", a);
    assertEquals(err(Errno.EAGAIN), k.call("flock", b, 1 | 4)); // the dup still holds it
    k.call("close", dup);
    assertEquals(0, k.call("flock", b, 2 | 4));
  }

  @Test
  void flock_errors() {
    int a = f.file("/f", "x");
    assertEquals(err(Errno.EINVAL), k.call("flock", a, 0));
    assertEquals(err(Errno.EINVAL), k.call("flock", a, 3));
    assertEquals(err(Errno.EBADF), k.call("flock", 99, 1));
    int path = f.openOk("/f", FileCalls.O_PATH, 0);
    assertEquals(err(Errno.EBADF), k.call("flock", path, 1));
  }
}
