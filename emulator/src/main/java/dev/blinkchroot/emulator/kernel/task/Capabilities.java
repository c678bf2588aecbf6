package dev.blinkchroot.emulator.kernel.task;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.abi.StructLayouts;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.Errno;
import java.nio.ByteBuffer;

/**
 * POSIX capabilities as Linux 6.1 has them (capabilities(7)): 41 capabilities (CAP_LAST_CAP 40),
 * sets kept in {@link ProcessAttributes}, capget/capset with the version-3 ABI, and the changes
 * that uid transitions make to the sets. The rest of the kernel treats effective uid 0 as
 * privileged ({@link Identity#privileged}); the process and system calls ask {@link #has}, which
 * is the same thing unless the guest dropped capabilities with capset.
 */
public final class Capabilities {
  private Capabilities() {}

  static final int CAP_CHOWN = 0;
  static final int CAP_KILL = 5;
  public static final int CAP_SETGID = 6;
  public static final int CAP_SETUID = 7;
  public static final int CAP_SETPCAP = 8;
  public static final int CAP_SYS_ADMIN = 21;
  public static final int CAP_SYS_NICE = 23;
  public static final int CAP_SYS_RESOURCE = 24;
  public static final int CAP_WAKE_ALARM = 35;
  public static final int CAP_LAST_CAP = 40;
  static final long ALL = (1L << (CAP_LAST_CAP + 1)) - 1;

  public static final int VERSION_1 = 0x19980330;
  public static final int VERSION_2 = 0x20071026;
  public static final int VERSION_3 = 0x20080522;

  /** True when the calling process has {@code cap} in its effective set. */
  public static boolean has(Task t, int cap) {
    ProcessAttributes a = t.process().attributes();
    synchronized (a) {
      return (a.capEffective & (1L << cap)) != 0;
    }
  }

  public static boolean valid(long cap) {
    return cap >= 0 && cap <= CAP_LAST_CAP;
  }

  /**
   * capget(hdrp, datap). capget(2): "If the version is not supported, the kernel ... returns
   * EINVAL, and sets the version field of the header to the preferred version"; with datap NULL
   * the call only probes the version and succeeds. pid 0 or the caller's own pid is the caller;
   * any other pid has no process here (ESRCH), a negative one is EINVAL.
   */
  public static long capget(Task t, long hdrp, long datap) {
    int copies = version(t.memory(), hdrp);
    if (datap == 0) {
      return 0;
    }
    if (copies < 0) {
      throw Errno.EINVAL.exception();
    }
    int pid = GuestIo.readInt(t.memory(), hdrp + 4);
    if (pid < 0) {
      throw Errno.EINVAL.exception();
    }
    if (pid != 0 && pid != t.process().pid()) {
      throw Errno.ESRCH.exception();
    }
    ProcessAttributes a = t.process().attributes();
    long eff;
    long perm;
    long inh;
    synchronized (a) {
      eff = a.capEffective;
      perm = a.capPermitted;
      inh = a.capInheritable;
    }
    ByteBuffer b = StructLayouts.buffer(copies * StructLayouts.CAP_DATA_SIZE);
    for (int i = 0; i < copies; i++) {
      int shift = 32 * i;
      b.putInt(i * 12, (int) (eff >>> shift));
      b.putInt(i * 12 + 4, (int) (perm >>> shift));
      b.putInt(i * 12 + 8, (int) (inh >>> shift));
    }
    StructLayouts.write(t.memory(), datap, b);
    return 0;
  }

  /**
   * capset(hdrp, datap) on the caller (pid 0 or its own; "EPERM ... attempt to ... modify the
   * capabilities of a thread other than itself"). capabilities(7), "Programmatically adjusting
   * capability sets": the new permitted set must be within the old (capabilities are only
   * dropped), the new effective within the new permitted, the new inheritable within the old
   * inheritable and the bounding set and, without CAP_SETPCAP, within the old inheritable and
   * permitted sets; EPERM otherwise.
   */
  public static long capset(Task t, long hdrp, long datap) {
    int copies = version(t.memory(), hdrp);
    if (copies < 0) {
      throw Errno.EINVAL.exception();
    }
    int pid = GuestIo.readInt(t.memory(), hdrp + 4);
    if (pid != 0 && pid != t.process().pid()) {
      throw Errno.EPERM.exception();
    }
    ByteBuffer b = StructLayouts.read(t.memory(), datap, copies * StructLayouts.CAP_DATA_SIZE);
    long eff = 0;
    long perm = 0;
    long inh = 0;
    for (int i = 0; i < copies; i++) {
      int shift = 32 * i;
      eff |= (b.getInt(i * 12) & 0xffff_ffffL) << shift;
      perm |= (b.getInt(i * 12 + 4) & 0xffff_ffffL) << shift;
      inh |= (b.getInt(i * 12 + 8) & 0xffff_ffffL) << shift;
    }
    eff &= ALL;
    perm &= ALL;
    inh &= ALL;
    ProcessAttributes a = t.process().attributes();
    synchronized (a) {
      boolean setpcap = (a.capEffective & (1L << CAP_SETPCAP)) != 0;
      long inheritableCeiling = setpcap ? ALL : a.capInheritable | a.capPermitted;
      if ((perm & ~a.capPermitted) != 0 || (eff & ~perm) != 0
          || (inh & ~inheritableCeiling) != 0 || (inh & ~(a.capInheritable | a.capBounding)) != 0) {
        throw Errno.EPERM.exception();
      }
      a.capEffective = eff;
      a.capPermitted = perm;
      a.capInheritable = inh;
      a.capAmbient &= perm & inh;
    }
    return 0;
  }

  /**
   * The number of 32-bit data structures the header's version transfers (1 for version 1, 2 for
   * versions 2 and 3), or -1 after writing the preferred version for an unknown one.
   */
  private static int version(GuestMemory memory, long hdrp) {
    int v = GuestIo.readInt(memory, hdrp);
    if (v == VERSION_1) {
      return 1;
    }
    if (v == VERSION_2 || v == VERSION_3) {
      return 2;
    }
    GuestIo.writeInt(memory, hdrp, VERSION_3);
    return -1;
  }

  /**
   * capabilities(7), "Effect of user ID changes on capabilities": when some of the real, effective
   * and saved uids were 0 and now none is, the permitted, effective and ambient sets are cleared
   * (the permitted set is kept with PR_SET_KEEPCAPS); an effective uid going from 0 to nonzero
   * clears the effective set; one going from nonzero to 0 copies the permitted set to it.
   */
  public static void afterUidChange(Task t, int oldR, int oldE, int oldS) {
    Identity id = t.process().identity();
    ProcessAttributes a = t.process().attributes();
    synchronized (a) {
      boolean hadRoot = oldR == 0 || oldE == 0 || oldS == 0;
      boolean noneRoot = id.ruid() != 0 && id.euid() != 0 && id.suid() != 0;
      if (hadRoot && noneRoot) {
        if (!a.keepCaps) {
          a.capPermitted = 0;
        }
        a.capEffective = 0;
        a.capAmbient = 0;
      }
      if (oldE == 0 && id.euid() != 0) {
        a.capEffective = 0;
      } else if (oldE != 0 && id.euid() == 0) {
        a.capEffective = a.capPermitted;
      }
    }
  }
}
