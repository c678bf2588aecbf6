package dev.blinkchroot.vfs;

import java.util.Arrays;

/**
 * The identity a file-system operation is checked against: the file-system uid and gid (the
 * effective ids unless setfsuid changed them) and the supplementary groups. uid 0 has the
 * capabilities root has on Linux (CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_CHOWN...).
 */
public record Credentials(int uid, int gid, int[] groups) {
  public static final Credentials ROOT = new Credentials(0, 0, new int[0]);

  public Credentials {
    groups = groups.clone();
  }

  public static Credentials of(int uid, int gid, int... groups) {
    return new Credentials(uid, gid, groups);
  }

  public boolean isRoot() {
    return uid == 0;
  }

  /** True when {@code gid} is the caller's gid or one of its supplementary groups. */
  public boolean inGroup(int gid) {
    if (this.gid == gid) {
      return true;
    }
    for (int g : groups) {
      if (g == gid) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int[] groups() {
    return groups.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Credentials c && c.uid == uid && c.gid == gid
        && Arrays.equals(c.groups, groups);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * uid + gid) + Arrays.hashCode(groups);
  }

  @Override
  public String toString() {
    return "uid=" + uid + " gid=" + gid + " groups=" + Arrays.toString(groups);
  }
}
