package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.GuestStructs.BAD;
import static dev.blinkchroot.emulator.kernel.calls.GuestStructs.err;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.blinkchroot.emulator.kernel.task.Capabilities;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The uid/gid calls, groups and capabilities: transitions per setuid(2) and friends. */
class IdentitySyscallsTest {
  private final KernelFixture k = new KernelFixture();

  private int[] resuid() {
    long a = k.alloc(12);
    assertEquals(0, k.call("getresuid", a, a + 4, a + 8));
    ByteBuffer b = GuestStructs.at(k, a, 12);
    return new int[] {b.getInt(0), b.getInt(4), b.getInt(8)};
  }

  private int[] resgid() {
    long a = k.alloc(12);
    assertEquals(0, k.call("getresgid", a, a + 4, a + 8));
    ByteBuffer b = GuestStructs.at(k, a, 12);
    return new int[] {b.getInt(0), b.getInt(4), b.getInt(8)};
  }

  @Test
  void root_startsWithAllIdsZero() {
    assertEquals(0, k.call("getuid"));
    assertEquals(0, k.call("geteuid"));
    assertEquals(0, k.call("getgid"));
    assertEquals(0, k.call("getegid"));
    assertArrayEquals(new int[] {0, 0, 0}, resuid());
    assertArrayEquals(new int[] {0, 0, 0}, resgid());
    assertEquals(err(Errno.EFAULT), k.call("getresuid", BAD, BAD, BAD));
    long a = k.alloc(8);
    assertEquals(err(Errno.EFAULT), k.call("getresgid", a, a + 4, BAD));
  }

  @Test
  void setresuid_fromRoot_dropsForGood_andTheFsCredentialsFollow() {
    assertEquals(0, k.call("setresuid", 1000, 1000, 1000));
    assertArrayEquals(new int[] {1000, 1000, 1000}, resuid());
    assertEquals(1000, k.task.fs().credentials().uid());
    assertEquals(err(Errno.EPERM), k.call("setresuid", 0, 0, 0));
    assertEquals(err(Errno.EPERM), k.call("setuid", 0));
    assertEquals(err(Errno.EPERM), k.call("setreuid", 0, -1));
    assertArrayEquals(new int[] {1000, 1000, 1000}, resuid());
    // -1 leaves an id unchanged; setting to a current value is allowed
    assertEquals(0, k.call("setresuid", -1, 1000, -1));
  }

  @Test
  void setuid_unprivileged_mayChooseTheRealOrSavedId() {
    // a set-user-ID-1000 program run by user 2000
    assertEquals(0, k.call("setresuid", 2000, 1000, 1000));
    assertEquals(0, k.call("setuid", 2000));
    assertArrayEquals(new int[] {2000, 2000, 1000}, resuid());
    assertEquals(0, k.call("setuid", 1000));
    assertArrayEquals(new int[] {2000, 1000, 1000}, resuid());
    assertEquals(err(Errno.EPERM), k.call("setuid", 3000));
    assertEquals(err(Errno.EINVAL), k.call("setuid", -1));
  }

  @Test
  void setuid_privileged_setsAllThree() {
    assertEquals(0, k.call("setuid", 500));
    assertArrayEquals(new int[] {500, 500, 500}, resuid());
    assertEquals(err(Errno.EPERM), k.call("setuid", 0));
  }

  @Test
  void savedSetUidZero_allowsRegainingRoot_andItsCapabilities() {
    assertEquals(0, k.call("setresuid", 1000, 1000, 0));
    assertEquals(1000, k.call("geteuid"));
    assertEquals(err(Errno.EPERM), k.call("sethostname", k.string("x"), 1));
    assertEquals(0, k.call("setuid", 0)); // unprivileged, but 0 is the saved id
    assertArrayEquals(new int[] {1000, 0, 0}, resuid());
    assertEquals(0, k.call("sethostname", k.string("x"), 1));
  }

  @Test
  void setreuid_swapsRealAndEffective_andUpdatesTheSavedId() {
    assertEquals(0, k.call("setresuid", 2000, 1000, 1000));
    assertEquals(0, k.call("setreuid", 1000, 2000));
    assertArrayEquals(new int[] {1000, 2000, 2000}, resuid());
    // unprivileged: the real id can only become the real or effective id
    assertEquals(err(Errno.EPERM), k.call("setreuid", 3000, -1));
    // effective set to the previous real id: the saved id stays
    assertEquals(0, k.call("setreuid", -1, 1000));
    assertArrayEquals(new int[] {1000, 1000, 2000}, resuid());
    assertEquals(0, k.call("setreuid", -1, -1));
    assertArrayEquals(new int[] {1000, 1000, 2000}, resuid());
  }

  @Test
  void gidCalls_followTheSameRules_underCapSetgid() {
    assertEquals(0, k.call("setresgid", 100, 100, 100));
    assertArrayEquals(new int[] {100, 100, 100}, resgid());
    assertEquals(100, k.task.fs().credentials().gid());
    assertEquals(0, k.call("setgid", 7)); // still root: CAP_SETGID
    assertArrayEquals(new int[] {7, 7, 7}, resgid());
    assertEquals(0, k.call("setregid", 8, 9));
    assertArrayEquals(new int[] {8, 9, 9}, resgid());
    assertEquals(0, k.call("setresuid", 1000, 1000, 1000));
    assertEquals(err(Errno.EPERM), k.call("setgid", 0));
    assertEquals(0, k.call("setgid", 8));
    assertArrayEquals(new int[] {8, 8, 9}, resgid());
    assertEquals(err(Errno.EPERM), k.call("setresgid", 10, -1, -1));
    assertEquals(err(Errno.EPERM), k.call("setregid", 9, -1)); // real: only the real or effective
    assertEquals(0, k.call("setregid", -1, 9));
    assertArrayEquals(new int[] {8, 9, 9}, resgid());
    assertEquals(err(Errno.EINVAL), k.call("setgid", -1));
  }

  @Test
  void groups_roundTripSorted_andReportTheirCount() {
    assertEquals(0, k.call("getgroups", 0, 0));
    assertEquals(0, k.call("setgroups", 3, GuestStructs.ints(k, 30, 10, 20)));
    assertEquals(3, k.call("getgroups", 0, 0));
    long out = k.alloc(16);
    assertEquals(err(Errno.EINVAL), k.call("getgroups", 2, out));
    assertEquals(3, k.call("getgroups", 4, out));
    ByteBuffer b = GuestStructs.at(k, out, 12);
    assertArrayEquals(new int[] {10, 20, 30}, new int[] {b.getInt(0), b.getInt(4), b.getInt(8)});
    assertEquals(true, k.task.fs().credentials().inGroup(20));
    assertEquals(err(Errno.EFAULT), k.call("getgroups", 3, BAD));
    assertEquals(err(Errno.EINVAL), k.call("getgroups", -1, out));
    assertEquals(err(Errno.EINVAL), k.call("setgroups", 65537, out));
    assertEquals(err(Errno.EFAULT), k.call("setgroups", 2, BAD));
    assertEquals(err(Errno.EINVAL), k.call("setgroups", 1, GuestStructs.ints(k, -1)));
    assertEquals(0, k.call("setgroups", 0, 0));
    assertEquals(0, k.call("getgroups", 0, 0));
    assertEquals(0, k.call("setresuid", 1000, 1000, 1000));
    assertEquals(err(Errno.EPERM), k.call("setgroups", 0, 0));
  }

  @Test
  void capget_rootHasEveryCapability_nonRootNone() {
    long hdr = GuestStructs.ints(k, Capabilities.VERSION_3, 0);
    long data = k.alloc(24);
    assertEquals(0, k.call("capget", hdr, data));
    ByteBuffer b = GuestStructs.at(k, data, 24);
    assertEquals(-1, b.getInt(0)); // effective, caps 0-31
    assertEquals(-1, b.getInt(4)); // permitted
    assertEquals(0, b.getInt(8)); // inheritable
    assertEquals(0x1ff, b.getInt(12)); // caps 32-40
    assertEquals(0x1ff, b.getInt(16));
    assertEquals(0, k.call("setresuid", 1000, 1000, 1000));
    assertEquals(0, k.call("capget", hdr, data));
    assertArrayEquals(new byte[24], k.read(data, 24));
  }

  @Test
  void capget_badVersion_writesThePreferredOne() {
    long hdr = GuestStructs.ints(k, 0x1234, 0);
    long data = k.alloc(24);
    assertEquals(err(Errno.EINVAL), k.call("capget", hdr, data));
    assertEquals(Capabilities.VERSION_3, GuestStructs.int32(k, hdr));
    long probe = GuestStructs.ints(k, 0, 0);
    assertEquals(0, k.call("capget", probe, 0)); // NULL data: a version probe
    assertEquals(Capabilities.VERSION_3, GuestStructs.int32(k, probe));
    assertEquals(err(Errno.EFAULT), k.call("capget", BAD, data));
    assertEquals(err(Errno.EFAULT), k.call("capget", GuestStructs.ints(k,
        Capabilities.VERSION_3, 0), BAD));
    assertEquals(err(Errno.ESRCH), k.call("capget", GuestStructs.ints(k,
        Capabilities.VERSION_3, 77), data));
    assertEquals(err(Errno.EINVAL), k.call("capget", GuestStructs.ints(k,
        Capabilities.VERSION_3, -5), data));
    // version 1 transfers one 32-bit structure
    long v1 = GuestStructs.ints(k, Capabilities.VERSION_1, 1);
    long small = k.alloc(24);
    assertEquals(0, k.call("capget", v1, small));
    assertArrayEquals(new byte[12], java.util.Arrays.copyOfRange(k.read(small, 24), 12, 24));
  }

  @Test
  void capset_canOnlyDrop_andDroppingRemovesThePrivilege() {
    long hdr = GuestStructs.ints(k, Capabilities.VERSION_3, 0);
    int noSysAdmin = ~(1 << Capabilities.CAP_SYS_ADMIN);
    long data = GuestStructs.ints(k, noSysAdmin, -1, 0, 0x1ff, 0x1ff, 0);
    assertEquals(0, k.call("capset", hdr, data));
    assertEquals(err(Errno.EPERM), k.call("sethostname", k.string("x"), 1));
    // the permitted set still holds it: it can come back into the effective set
    assertEquals(0, k.call("capset", hdr, GuestStructs.ints(k, -1, -1, 0, 0x1ff, 0x1ff, 0)));
    assertEquals(0, k.call("sethostname", k.string("x"), 1));
    // dropped from permitted: gone for good
    assertEquals(0, k.call("capset", hdr, GuestStructs.ints(k, noSysAdmin, noSysAdmin, 0, 0x1ff,
        0x1ff, 0)));
    assertEquals(err(Errno.EPERM), k.call("capset", hdr, GuestStructs.ints(k, -1, -1, 0,
        0x1ff, 0x1ff, 0)));
    // effective must be within permitted
    assertEquals(err(Errno.EPERM), k.call("capset", hdr, GuestStructs.ints(k, -1, noSysAdmin, 0,
        0x1ff, 0x1ff, 0)));
    assertEquals(err(Errno.EPERM), k.call("capset", GuestStructs.ints(k,
        Capabilities.VERSION_3, 42), data));
    assertEquals(err(Errno.EINVAL), k.call("capset", GuestStructs.ints(k, 7, 0), data));
    assertEquals(err(Errno.EFAULT), k.call("capset", hdr, BAD));
  }
}
