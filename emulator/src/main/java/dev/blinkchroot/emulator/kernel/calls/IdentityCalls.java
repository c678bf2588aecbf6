package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.StructLayouts;
import dev.blinkchroot.emulator.kernel.task.Capabilities;
import dev.blinkchroot.emulator.kernel.task.Identity;
import dev.blinkchroot.emulator.kernel.task.ProcessAttributes;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The uid and gid changing calls (setuid(2), setreuid(2), setresuid(2), their gid twins, and
 * setgroups(2)) with the rules of their man pages. A privileged caller is one with CAP_SETUID
 * (for uids) or CAP_SETGID (for gids and groups) in its effective set: effective uid 0 unless
 * capabilities were dropped. After a change the file-system credentials follow the effective ids
 * (there is no setfsuid), the capability sets follow capabilities(7), and, as prctl(2) says, the
 * dumpable flag and the parent-death signal are reset when an effective id changes.
 */
final class IdentityCalls {
  private IdentityCalls() {}

  /** NGROUPS_MAX since Linux 2.6.4. */
  static final int NGROUPS_MAX = 65536;
  /** (uid_t) -1: "unchanged" for the set*re*id and set*res*id calls, invalid elsewhere. */
  private static final int UNCHANGED = -1;

  /** Which triple a call changes: the user ids or the group ids. */
  private enum Kind { UID, GID }

  static long setuid(Task t, int uid) {
    return setSingle(t, Kind.UID, uid);
  }

  static long setgid(Task t, int gid) {
    return setSingle(t, Kind.GID, gid);
  }

  static long setreuid(Task t, int r, int e) {
    return setReal(t, Kind.UID, r, e);
  }

  static long setregid(Task t, int r, int e) {
    return setReal(t, Kind.GID, r, e);
  }

  static long setresuid(Task t, int r, int e, int s) {
    return setAll(t, Kind.UID, r, e, s);
  }

  static long setresgid(Task t, int r, int e, int s) {
    return setAll(t, Kind.GID, r, e, s);
  }

  /**
   * setuid(2): "If the calling process is privileged ..., the real UID and saved set-user-ID are
   * also set"; otherwise only the effective id changes, and only to the real or saved id (EPERM
   * otherwise). EINVAL: "The user ID specified in uid is not valid in this user namespace" (-1).
   */
  private static long setSingle(Task t, Kind kind, int id) {
    if (id == UNCHANGED) {
      throw Errno.EINVAL.exception();
    }
    int[] old = ids(t, kind);
    if (privileged(t, kind)) {
      return apply(t, kind, old, id, id, id);
    }
    if (id != old[0] && id != old[2]) {
      throw Errno.EPERM.exception();
    }
    return apply(t, kind, old, old[0], id, old[2]);
  }

  /**
   * setreuid(2): "Unprivileged processes may only set the effective user ID to the real user ID,
   * the effective user ID, or the saved set-user-ID. Unprivileged users may only set the real
   * user ID to the real user ID or the effective user ID. If the real user ID is set (i.e., ruid
   * is not -1) or the effective user ID is set to a value not equal to the previous real user
   * ID, the saved set-user-ID will be set to the new effective user ID."
   */
  private static long setReal(Task t, Kind kind, int r, int e) {
    int[] old = ids(t, kind);
    boolean privileged = privileged(t, kind);
    int newR = old[0];
    int newE = old[1];
    int newS = old[2];
    if (r != UNCHANGED) {
      if (!privileged && r != old[0] && r != old[1]) {
        throw Errno.EPERM.exception();
      }
      newR = r;
    }
    if (e != UNCHANGED) {
      if (!privileged && e != old[0] && e != old[1] && e != old[2]) {
        throw Errno.EPERM.exception();
      }
      newE = e;
    }
    if (r != UNCHANGED || (e != UNCHANGED && e != old[0])) {
      newS = newE;
    }
    return apply(t, kind, old, newR, newE, newS);
  }

  /**
   * setresuid(2): "An unprivileged process may change its real UID, effective UID, and saved
   * set-user-ID, each to one of: the current real UID, the current effective UID, or the current
   * saved set-user-ID. A privileged process ... may set ... to arbitrary values. If one of the
   * arguments equals -1, the corresponding value is not changed."
   */
  private static long setAll(Task t, Kind kind, int r, int e, int s) {
    int[] old = ids(t, kind);
    if (!privileged(t, kind)) {
      for (int id : new int[] {r, e, s}) {
        if (id != UNCHANGED && id != old[0] && id != old[1] && id != old[2]) {
          throw Errno.EPERM.exception();
        }
      }
    }
    return apply(t, kind, old, r == UNCHANGED ? old[0] : r, e == UNCHANGED ? old[1] : e,
        s == UNCHANGED ? old[2] : s);
  }

  /**
   * getgroups(size, list): size 0 returns the count without writing; "EINVAL size is less than
   * the number of supplementary group IDs, but is not zero". The kernel keeps the list sorted.
   */
  static long getgroups(Task t, int size, long listAddr) {
    if (size < 0) {
      throw Errno.EINVAL.exception();
    }
    int[] groups = t.process().identity().groups();
    if (size == 0) {
      return groups.length;
    }
    if (size < groups.length) {
      throw Errno.EINVAL.exception();
    }
    ByteBuffer b = StructLayouts.buffer(groups.length * 4);
    for (int i = 0; i < groups.length; i++) {
      b.putInt(i * 4, groups[i]);
    }
    StructLayouts.write(t.memory(), listAddr, b);
    return groups.length;
  }

  /**
   * setgroups(size, list): EPERM without CAP_SETGID (checked first, as Linux does); "EINVAL size
   * is greater than NGROUPS_MAX"; EFAULT; EINVAL for a gid of -1. Stored sorted, as Linux keeps
   * them (getgroups returns them in that order).
   */
  static long setgroups(Task t, int size, long listAddr) {
    if (!Capabilities.has(t, Capabilities.CAP_SETGID)) {
      throw Errno.EPERM.exception();
    }
    if (size < 0 || size > NGROUPS_MAX) {
      throw Errno.EINVAL.exception();
    }
    ByteBuffer b = StructLayouts.read(t.memory(), listAddr, size * 4);
    int[] groups = new int[size];
    for (int i = 0; i < size; i++) {
      groups[i] = b.getInt(i * 4);
      if (groups[i] == UNCHANGED) {
        throw Errno.EINVAL.exception();
      }
    }
    Integer[] boxed = Arrays.stream(groups).boxed().toArray(Integer[]::new);
    Arrays.sort(boxed, Integer::compareUnsigned);
    for (int i = 0; i < size; i++) {
      groups[i] = boxed[i];
    }
    Identity id = t.process().identity();
    id.setGroups(groups);
    t.fs().setCredentials(id.credentials());
    return 0;
  }

  private static boolean privileged(Task t, Kind kind) {
    return Capabilities.has(t, kind == Kind.UID ? Capabilities.CAP_SETUID : Capabilities.CAP_SETGID);
  }

  private static int[] ids(Task t, Kind kind) {
    Identity id = t.process().identity();
    synchronized (id) {
      return kind == Kind.UID ? new int[] {id.ruid(), id.euid(), id.suid()}
          : new int[] {id.rgid(), id.egid(), id.sgid()};
    }
  }

  private static long apply(Task t, Kind kind, int[] old, int r, int e, int s) {
    Identity id = t.process().identity();
    if (kind == Kind.UID) {
      id.setUids(r, e, s);
      Capabilities.afterUidChange(t, old[0], old[1], old[2]);
    } else {
      id.setGids(r, e, s);
    }
    t.fs().setCredentials(id.credentials());
    if (e != old[1]) {
      // prctl(2): dumpable is reset to suid_dumpable (0 by default) and the parent-death signal
      // cleared when an effective (and so file-system) id changes.
      ProcessAttributes a = t.process().attributes();
      synchronized (a) {
        a.dumpable = 0;
      }
      t.attributes().parentDeathSignal = 0;
    }
    return 0;
  }
}
