package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.PathOpsFiles.BAD_ADDRESS;
import static dev.blinkchroot.emulator.kernel.calls.PathOpsFiles.b;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Fcntl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every call of the family with a wild guest pointer where it reads a path or name, or writes a
 * result: -EFAULT, never a Java exception.
 */
class PathOpsEfaultTest {
  private static final long EFAULT = -14;
  private static final long BAD = BAD_ADDRESS;
  private static final int AT_FDCWD = Fcntl.AT_FDCWD;
  private KernelFixture k;
  private long file;
  private long dir;
  private long link;
  private long name;
  private long buf;

  @BeforeEach
  void setUp() {
    k = new KernelFixture();
    k.vfs.mkdir(k.process.fs(), null, b("/d"), 0755);
    k.vfs.mknod(k.process.fs(), null, b("/d/f"), 0100644, 0);
    k.vfs.symlink(k.process.fs(), b("f"), null, b("/d/l"));
    file = k.string("/d/f");
    dir = k.string("/d");
    link = k.string("/d/l");
    name = k.string("user.a");
    buf = k.alloc(4096);
    k.call("setxattr", file, name, k.bytes(b("v")), 1, 0);
  }

  private void efault(String call, long... args) {
    assertEquals(EFAULT, k.call(call, args), call);
  }

  @Test
  void badPathPointer_isEfault_forEveryPathCall() {
    efault("stat", BAD, buf);
    efault("lstat", BAD, buf);
    efault("newfstatat", AT_FDCWD, BAD, buf, 0);
    efault("statx", AT_FDCWD, BAD, 0, 0x7ff, buf);
    efault("access", BAD, 0);
    efault("faccessat", AT_FDCWD, BAD, 0);
    efault("faccessat2", AT_FDCWD, BAD, 0, 0);
    efault("chdir", BAD);
    efault("chroot", BAD);
    efault("mkdir", BAD, 0755);
    efault("mkdirat", AT_FDCWD, BAD, 0755);
    efault("mknod", BAD, 0010644, 0);
    efault("mknodat", AT_FDCWD, BAD, 0010644, 0);
    efault("rmdir", BAD);
    efault("unlink", BAD);
    efault("unlinkat", AT_FDCWD, BAD, 0);
    efault("rename", BAD, k.string("/x"));
    efault("rename", file, BAD);
    efault("renameat", AT_FDCWD, BAD, AT_FDCWD, k.string("/x"));
    efault("renameat2", AT_FDCWD, file, AT_FDCWD, BAD, 0);
    efault("link", BAD, k.string("/x"));
    efault("link", file, BAD);
    efault("linkat", AT_FDCWD, file, AT_FDCWD, BAD, 0);
    efault("symlink", BAD, k.string("/x"));
    efault("symlink", file, BAD);
    efault("symlinkat", file, AT_FDCWD, BAD);
    efault("readlink", BAD, buf, 10);
    efault("readlinkat", AT_FDCWD, BAD, buf, 10);
    efault("chmod", BAD, 0644);
    efault("fchmodat", AT_FDCWD, BAD, 0644);
    efault("chown", BAD, 0, 0);
    efault("lchown", BAD, 0, 0);
    efault("fchownat", AT_FDCWD, BAD, 0, 0, 0);
    efault("utimes", BAD, 0);
    efault("futimesat", AT_FDCWD, BAD, 0);
    efault("utimensat", AT_FDCWD, BAD, 0, 0);
    efault("statfs", BAD, buf);
    efault("setxattr", BAD, name, buf, 1, 0);
    efault("lsetxattr", BAD, name, buf, 1, 0);
    efault("getxattr", BAD, name, buf, 10);
    efault("lgetxattr", BAD, name, buf, 10);
    efault("listxattr", BAD, buf, 10);
    efault("llistxattr", BAD, buf, 10);
    efault("removexattr", BAD, name);
    efault("lremovexattr", BAD, name);
  }

  @Test
  void badNameOrValuePointer_isEfault_forTheXattrCalls() {
    int fd = PathOpsFiles.open(k, "/d/f", Fcntl.O_RDONLY);
    efault("setxattr", file, BAD, buf, 1, 0);
    efault("setxattr", file, name, BAD, 1, 0);
    efault("fsetxattr", fd, BAD, buf, 1, 0);
    efault("getxattr", file, BAD, buf, 10);
    efault("fgetxattr", fd, BAD, buf, 10);
    efault("removexattr", file, BAD);
    efault("fremovexattr", fd, BAD);
  }

  @Test
  void badResultPointer_isEfault_forEveryCallThatWritesOne() {
    int fd = PathOpsFiles.open(k, "/d/f", Fcntl.O_RDONLY);
    int dirFd = PathOpsFiles.open(k, "/d", Fcntl.O_RDONLY);
    efault("stat", file, BAD);
    efault("fstat", fd, BAD);
    efault("lstat", link, BAD);
    efault("newfstatat", AT_FDCWD, file, BAD, 0);
    efault("statx", AT_FDCWD, file, 0, 0x7ff, BAD);
    efault("statfs", file, BAD);
    efault("fstatfs", fd, BAD);
    efault("getcwd", BAD, 100);
    efault("readlink", link, BAD, 10);
    efault("readlinkat", dirFd, k.string("l"), BAD, 10);
    efault("getdents64", dirFd, BAD, 100);
    efault("getxattr", file, name, BAD, 10);
    efault("lgetxattr", file, name, BAD, 10);
    efault("fgetxattr", fd, name, BAD, 10);
    efault("listxattr", file, BAD, 100);
    efault("llistxattr", file, BAD, 100);
    efault("flistxattr", fd, BAD, 100);
    efault("utimensat", AT_FDCWD, file, BAD, 0);
    efault("utimes", file, BAD);
    efault("futimesat", AT_FDCWD, file, BAD);
  }

  @Test
  void aPointerRunningOffTheEndOfMapping_isEfault() {
    // A path whose NUL would lie past the end of the scratch mapping.
    long end = KernelFixture.SCRATCH + KernelFixture.SCRATCH_SIZE;
    for (long a = end - 8; a < end; a++) {
      k.process.memory().write8(a, 'a');
    }
    efault("stat", end - 8, buf);
    // A stat buffer straddling the end of the mapping.
    efault("stat", file, end - 100);
  }
}
