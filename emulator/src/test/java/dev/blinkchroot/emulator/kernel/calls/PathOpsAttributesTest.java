package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.PathOpsFiles.BAD_ADDRESS;
import static dev.blinkchroot.emulator.kernel.calls.PathOpsFiles.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.Stat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** chmod, chown, umask, the time calls and the access calls. */
class PathOpsAttributesTest {
  private static final int AT_FDCWD = Fcntl.AT_FDCWD;
  private static final long UTIME_NOW = Fcntl.UTIME_NOW;
  private static final long UTIME_OMIT = Fcntl.UTIME_OMIT;
  private KernelFixture k;

  @BeforeEach
  void setUp() {
    k = new KernelFixture();
    k.vfs.mkdir(k.process.fs(), null, b("/d"), 0755);
    k.vfs.mknod(k.process.fs(), null, b("/d/f"), 0100644, 0);
    k.vfs.symlink(k.process.fs(), b("f"), null, b("/d/l"));
  }

  private static long err(Errno e) {
    return -e.number();
  }

  private Stat stat(String path) {
    return k.vfs.stat(k.process.fs(), null, b(path), Fcntl.AT_SYMLINK_NOFOLLOW);
  }

  // ---------------------------------------------------------------- chmod

  @Test
  void chmod_fchmod_fchmodat() {
    assertEquals(0, k.call("chmod", k.string("/d/l"), 0600)); // follows the link
    assertEquals(0100600, stat("/d/f").mode());
    int fd = PathOpsFiles.open(k, "/d/f", Fcntl.O_RDONLY);
    assertEquals(0, k.call("fchmod", fd, 04711));
    assertEquals(0104711, stat("/d/f").mode());
    int dir = PathOpsFiles.open(k, "/d", Fcntl.O_RDONLY);
    assertEquals(0, k.call("fchmodat", dir, k.string("f"), 0640));
    assertEquals(0100640, stat("/d/f").mode());
    assertEquals(err(Errno.ENOENT), k.call("chmod", k.string("/nope"), 0600));
    assertEquals(err(Errno.EFAULT), k.call("chmod", BAD_ADDRESS, 0600));
    assertEquals(err(Errno.EBADF), k.call("fchmod", 70, 0600));
  }

  @Test
  void fchmodat_ignoresAFourthRegister_asTheThreeArgumentSyscallDoes() {
    int dir = PathOpsFiles.open(k, "/d", Fcntl.O_RDONLY);
    // libc leaves garbage in R10 for this 3-argument call.
    assertEquals(0, k.call("fchmodat", dir, k.string("f"), 0600, 0xdeadbeefL));
    assertEquals(0100600, stat("/d/f").mode());
  }

  @Test
  void fchmodat2_symlinkNofollow_isEopnotsupp() {
    KernelFixture f = k;
    f.task.cpu.gpr[dev.blinkchroot.emulator.cpu.Cpu.RDI] = AT_FDCWD;
    f.task.cpu.gpr[dev.blinkchroot.emulator.cpu.Cpu.RSI] = f.string("/d/l");
    f.task.cpu.gpr[dev.blinkchroot.emulator.cpu.Cpu.RDX] = 0600;
    f.task.cpu.gpr[dev.blinkchroot.emulator.cpu.Cpu.R10] = Fcntl.AT_SYMLINK_NOFOLLOW;
    assertEquals(Errno.EOPNOTSUPP, assertErrno(() -> PathOpsSyscalls.fchmodat2(f.task)));
    f.task.cpu.gpr[dev.blinkchroot.emulator.cpu.Cpu.R10] = 0x8;
    assertEquals(Errno.EINVAL, assertErrno(() -> PathOpsSyscalls.fchmodat2(f.task)));
    f.task.cpu.gpr[dev.blinkchroot.emulator.cpu.Cpu.R10] = 0;
    assertEquals(0, PathOpsSyscalls.fchmodat2(f.task));
    assertEquals(0100600, stat("/d/f").mode());
  }

  private static Errno assertErrno(Runnable r) {
    try {
      r.run();
    } catch (dev.blinkchroot.vfs.ErrnoException e) {
      return e.errno();
    }
    throw new AssertionError("no errno");
  }

  @Test
  void fchmod_fchown_onOpathDescriptor_isEbadf() {
    int fd = PathOpsFiles.open(k, "/d/f", Fcntl.O_PATH);
    assertEquals(err(Errno.EBADF), k.call("fchmod", fd, 0600));
    assertEquals(err(Errno.EBADF), k.call("fchown", fd, 1, 1));
    // ... but as the dirfd of an *at call with AT_EMPTY_PATH it names the file.
    assertEquals(0, k.call("fchownat", fd, k.string(""), 5, 6, Fcntl.AT_EMPTY_PATH));
    assertEquals(5, stat("/d/f").uid());
  }

  @Test
  void chmod_byNonOwner_isEperm() {
    PathOpsFiles.becomeUser(k, 1000, 1000);
    assertEquals(err(Errno.EPERM), k.call("chmod", k.string("/d/f"), 0777));
  }

  // ---------------------------------------------------------------- chown

  @Test
  void chown_lchown_fchown_fchownat() {
    assertEquals(0, k.call("chown", k.string("/d/l"), 10, 20));
    assertEquals(10, stat("/d/f").uid());
    assertEquals(20, stat("/d/f").gid());
    assertEquals(0, k.call("lchown", k.string("/d/l"), 30, 40));
    assertEquals(30, stat("/d/l").uid());
    assertEquals(10, stat("/d/f").uid());
    int fd = PathOpsFiles.open(k, "/d/f", Fcntl.O_RDONLY);
    assertEquals(0, k.call("fchown", fd, 0xffffffffL, 7)); // (uid_t) -1 keeps the owner
    assertEquals(10, stat("/d/f").uid());
    assertEquals(7, stat("/d/f").gid());
    int dir = PathOpsFiles.open(k, "/d", Fcntl.O_RDONLY);
    assertEquals(0, k.call("fchownat", dir, k.string("l"), 50, -1, Fcntl.AT_SYMLINK_NOFOLLOW));
    assertEquals(50, stat("/d/l").uid());
    assertEquals(err(Errno.EINVAL), k.call("fchownat", dir, k.string("l"), 1, 1,
        Fcntl.AT_REMOVEDIR));
    assertEquals(err(Errno.ENOENT), k.call("fchownat", dir, k.string(""), 1, 1, 0));
  }

  @Test
  void chown_byUnprivilegedOwner_toAnotherUser_isEperm() {
    k.call("chown", k.string("/d/f"), 1000, 1000);
    PathOpsFiles.becomeUser(k, 1000, 1000);
    assertEquals(err(Errno.EPERM), k.call("chown", k.string("/d/f"), 0, -1));
    assertEquals(0, k.call("chown", k.string("/d/f"), -1, 1000));
  }

  // ---------------------------------------------------------------- umask

  @Test
  void umask_roundTrip_returnsTheOldMask_andKeepsOnly0777() {
    assertEquals(022, k.call("umask", 077));
    assertEquals(077, k.call("umask", 0));
    assertEquals(0, k.call("umask", 07777));
    assertEquals(0777, k.call("umask", 022));
    assertEquals(022, k.process.fs().umask());
    k.call("umask", 027);
    k.call("mkdir", k.string("/m"), 0777);
    assertEquals(040750, stat("/m").mode());
  }

  // ---------------------------------------------------------------- times

  private long timespecs(long aSec, long aNsec, long mSec, long mNsec) {
    long a = k.alloc(32);
    k.process.memory().write64(a, aSec);
    k.process.memory().write64(a + 8, aNsec);
    k.process.memory().write64(a + 16, mSec);
    k.process.memory().write64(a + 24, mNsec);
    return a;
  }

  @Test
  void utimensat_explicitTimes() {
    long times = timespecs(1000, 5, 2000, 999_999_999);
    assertEquals(0, k.call("utimensat", AT_FDCWD, k.string("/d/f"), times, 0));
    assertEquals(1000_000_000_005L, stat("/d/f").atimeNs());
    assertEquals(2000_999_999_999L, stat("/d/f").mtimeNs());
  }

  @Test
  void utimensat_specialValues_nowAndOmit() {
    k.call("utimensat", AT_FDCWD, k.string("/d/f"), timespecs(1, 0, 2, 0), 0);
    long before = System.currentTimeMillis() * 1_000_000L - 5_000_000_000L;
    assertEquals(0, k.call("utimensat", AT_FDCWD, k.string("/d/f"),
        timespecs(99, UTIME_OMIT, 77, UTIME_NOW), 0));
    assertEquals(1_000_000_000L, stat("/d/f").atimeNs()); // omitted
    assertTrue(stat("/d/f").mtimeNs() > before, "mtime became now");
    assertEquals(0, k.call("utimensat", AT_FDCWD, k.string("/d/f"),
        timespecs(0, UTIME_NOW, 5, 0), 0));
    assertTrue(stat("/d/f").atimeNs() > before);
    assertEquals(5_000_000_000L, stat("/d/f").mtimeNs());
  }

  @Test
  void utimensat_nullTimes_setsBothToNow() {
    k.call("utimensat", AT_FDCWD, k.string("/d/f"), timespecs(1, 0, 2, 0), 0);
    long before = System.currentTimeMillis() * 1_000_000L - 5_000_000_000L;
    assertEquals(0, k.call("utimensat", AT_FDCWD, k.string("/d/f"), 0, 0));
    assertTrue(stat("/d/f").atimeNs() > before);
    assertTrue(stat("/d/f").mtimeNs() > before);
  }

  @Test
  void utimensat_bothOmit_succeedsWithoutLookingAtThePath() {
    assertEquals(0, k.call("utimensat", AT_FDCWD, k.string("/nope"),
        timespecs(0, UTIME_OMIT, 0, UTIME_OMIT), 0));
    assertEquals(0, k.call("utimensat", 99, BAD_ADDRESS,
        timespecs(0, UTIME_OMIT, 0, UTIME_OMIT), 0x7777));
  }

  @Test
  void utimensat_errors() {
    long path = k.string("/d/f");
    assertEquals(err(Errno.EINVAL), k.call("utimensat", AT_FDCWD, path,
        timespecs(0, 1_000_000_000L, 0, 0), 0));
    assertEquals(err(Errno.EINVAL), k.call("utimensat", AT_FDCWD, path,
        timespecs(0, 0, 0, -1), 0));
    assertEquals(err(Errno.EINVAL), k.call("utimensat", AT_FDCWD, path, 0, 0x4));
    assertEquals(err(Errno.EFAULT), k.call("utimensat", AT_FDCWD, path, BAD_ADDRESS, 0));
    assertEquals(err(Errno.EFAULT), k.call("utimensat", AT_FDCWD, 0, 0, 0));
    assertEquals(err(Errno.ENOENT), k.call("utimensat", AT_FDCWD, k.string("/nope"), 0, 0));
    assertEquals(err(Errno.ENOENT), k.call("utimensat", AT_FDCWD, k.string(""), 0, 0));
  }

  @Test
  void utimensat_nullPath_isFutimens() {
    int fd = PathOpsFiles.open(k, "/d/f", Fcntl.O_RDONLY);
    assertEquals(0, k.call("utimensat", fd, 0, timespecs(3, 0, 4, 0), 0));
    assertEquals(4_000_000_000L, stat("/d/f").mtimeNs());
    assertEquals(err(Errno.EINVAL), k.call("utimensat", fd, 0, 0, Fcntl.AT_SYMLINK_NOFOLLOW));
    assertEquals(err(Errno.EBADF), k.call("utimensat", 88, 0, 0, 0));
    int pathFd = PathOpsFiles.open(k, "/d/f", Fcntl.O_PATH);
    assertEquals(err(Errno.EBADF), k.call("utimensat", pathFd, 0, 0, 0));
    // With AT_EMPTY_PATH an O_PATH descriptor names its file.
    assertEquals(0, k.call("utimensat", pathFd, k.string(""), timespecs(3, 0, 6, 0),
        Fcntl.AT_EMPTY_PATH));
    assertEquals(6_000_000_000L, stat("/d/f").mtimeNs());
  }

  @Test
  void utimensat_symlinkNofollow_changesTheLink() {
    k.call("utimensat", AT_FDCWD, k.string("/d/l"), timespecs(8, 0, 9, 0),
        Fcntl.AT_SYMLINK_NOFOLLOW);
    assertEquals(9_000_000_000L, stat("/d/l").mtimeNs());
  }

  @Test
  void utimensat_nowByNonOwnerWithWriteAccess_butNotExplicitTimes() {
    k.call("chmod", k.string("/d/f"), 0666);
    PathOpsFiles.becomeUser(k, 1000, 1000);
    assertEquals(0, k.call("utimensat", AT_FDCWD, k.string("/d/f"), 0, 0));
    assertEquals(err(Errno.EPERM), k.call("utimensat", AT_FDCWD, k.string("/d/f"),
        timespecs(1, 0, 1, 0), 0));
  }

  private long timevals(long aSec, long aUsec, long mSec, long mUsec) {
    return timespecs(aSec, aUsec, mSec, mUsec);
  }

  @Test
  void utimes_andFutimesat_useMicroseconds() {
    assertEquals(0, k.call("utimes", k.string("/d/f"), timevals(10, 1, 20, 999_999)));
    assertEquals(10_000_001_000L, stat("/d/f").atimeNs());
    assertEquals(20_999_999_000L, stat("/d/f").mtimeNs());
    assertEquals(err(Errno.EINVAL), k.call("utimes", k.string("/d/f"),
        timevals(0, 1_000_000, 0, 0)));
    assertEquals(err(Errno.EINVAL), k.call("utimes", k.string("/d/f"), timevals(0, 0, 0, -1)));
    assertEquals(err(Errno.EFAULT), k.call("utimes", BAD_ADDRESS, 0));
    assertEquals(err(Errno.EFAULT), k.call("utimes", k.string("/d/f"), BAD_ADDRESS));
    int dir = PathOpsFiles.open(k, "/d", Fcntl.O_RDONLY);
    assertEquals(0, k.call("futimesat", dir, k.string("f"), timevals(30, 0, 40, 0)));
    assertEquals(40_000_000_000L, stat("/d/f").mtimeNs());
    int fd = PathOpsFiles.open(k, "/d/f", Fcntl.O_RDONLY);
    assertEquals(0, k.call("futimesat", fd, 0, timevals(50, 0, 60, 0)));
    assertEquals(60_000_000_000L, stat("/d/f").mtimeNs());
    long before = System.currentTimeMillis() * 1_000_000L - 5_000_000_000L;
    assertEquals(0, k.call("utimes", k.string("/d/f"), 0));
    assertTrue(stat("/d/f").mtimeNs() > before);
  }

  // ---------------------------------------------------------------- access

  @Test
  void access_modes_andErrors() {
    k.call("chmod", k.string("/d/f"), 0644);
    assertEquals(0, k.call("access", k.string("/d/f"), Fcntl.F_OK));
    assertEquals(0, k.call("access", k.string("/d/f"), Fcntl.R_OK | Fcntl.W_OK));
    // root needs some x bit for X_OK on a file.
    assertEquals(err(Errno.EACCES), k.call("access", k.string("/d/f"), Fcntl.X_OK));
    assertEquals(0, k.call("access", k.string("/d"), Fcntl.X_OK));
    assertEquals(err(Errno.EINVAL), k.call("access", k.string("/d/f"), 8));
    assertEquals(err(Errno.ENOENT), k.call("access", k.string("/nope"), Fcntl.F_OK));
    assertEquals(err(Errno.EFAULT), k.call("access", BAD_ADDRESS, Fcntl.F_OK));
    PathOpsFiles.becomeUser(k, 1000, 1000);
    assertEquals(0, k.call("access", k.string("/d/f"), Fcntl.R_OK));
    assertEquals(err(Errno.EACCES), k.call("access", k.string("/d/f"), Fcntl.W_OK));
  }

  @Test
  void access_checksTheRealIds_faccessat2WithEaccessTheEffective() {
    k.call("chmod", k.string("/d/f"), 0600); // owner root only
    // Real uid 1000, effective uid 0 (a setuid-root program).
    k.process.identity().setUids(1000, 0, 0);
    k.process.identity().setGids(1000, 0, 0);
    assertEquals(err(Errno.EACCES), k.call("access", k.string("/d/f"), Fcntl.R_OK));
    assertEquals(err(Errno.EACCES), k.call("faccessat", AT_FDCWD, k.string("/d/f"),
        Fcntl.R_OK));
    assertEquals(0, k.call("faccessat2", AT_FDCWD, k.string("/d/f"), Fcntl.R_OK,
        Fcntl.AT_EACCESS));
    assertEquals(err(Errno.EACCES), k.call("faccessat2", AT_FDCWD, k.string("/d/f"),
        Fcntl.R_OK, 0));
  }

  @Test
  void faccessat2_flags() {
    int dir = PathOpsFiles.open(k, "/d", Fcntl.O_RDONLY);
    assertEquals(0, k.call("faccessat2", dir, k.string("l"), Fcntl.R_OK,
        Fcntl.AT_SYMLINK_NOFOLLOW));
    k.call("unlink", k.string("/d/f"));
    assertEquals(err(Errno.ENOENT), k.call("faccessat2", dir, k.string("l"), Fcntl.F_OK, 0));
    assertEquals(0, k.call("faccessat2", dir, k.string("l"), Fcntl.F_OK,
        Fcntl.AT_SYMLINK_NOFOLLOW));
    assertEquals(0, k.call("faccessat2", dir, k.string(""), Fcntl.W_OK, Fcntl.AT_EMPTY_PATH));
    assertEquals(err(Errno.ENOENT), k.call("faccessat2", dir, k.string(""), Fcntl.W_OK, 0));
    assertEquals(err(Errno.EINVAL), k.call("faccessat2", dir, k.string("l"), Fcntl.F_OK,
        Fcntl.AT_REMOVEDIR << 8));
    assertEquals(err(Errno.EINVAL), k.call("faccessat2", dir, k.string("l"), 0x10, 0));
    assertEquals(0, k.call("faccessat2", 0, k.string(""), Fcntl.R_OK, Fcntl.AT_EMPTY_PATH));
    assertEquals(err(Errno.EBADF), k.call("faccessat", 66, k.string("l"), Fcntl.F_OK));
  }
}
