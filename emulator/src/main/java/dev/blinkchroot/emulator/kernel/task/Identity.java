package dev.blinkchroot.emulator.kernel.task;

import dev.blinkchroot.vfs.Credentials;

/**
 * A process's user and group ids as credentials(7) describes them: real, effective, saved set
 * and file-system ids, and the supplementary groups. The file-system ids follow the effective
 * ones (setfsuid is not offered). {@link #credentials()} is what the VFS checks against.
 */
public final class Identity {
  private int ruid;
  private int euid;
  private int suid;
  private int rgid;
  private int egid;
  private int sgid;
  private int[] groups;

  public Identity(int uid, int gid, int[] groups) {
    this.ruid = this.euid = this.suid = uid;
    this.rgid = this.egid = this.sgid = gid;
    this.groups = groups.clone();
  }

  public synchronized int ruid() { return ruid; }
  public synchronized int euid() { return euid; }
  public synchronized int suid() { return suid; }
  public synchronized int rgid() { return rgid; }
  public synchronized int egid() { return egid; }
  public synchronized int sgid() { return sgid; }

  public synchronized int[] groups() {
    return groups.clone();
  }

  /** True with CAP_SETUID/CAP_SETGID and the others: effective uid 0. */
  public synchronized boolean privileged() {
    return euid == 0;
  }

  public synchronized void setUids(int r, int e, int s) {
    ruid = r;
    euid = e;
    suid = s;
  }

  public synchronized void setGids(int r, int e, int s) {
    rgid = r;
    egid = e;
    sgid = s;
  }

  public synchronized void setGroups(int[] g) {
    groups = g.clone();
  }

  /** The file-system view of this identity. */
  public synchronized Credentials credentials() {
    return new Credentials(euid, egid, groups);
  }

  public synchronized Identity copy() {
    Identity i = new Identity(ruid, rgid, groups);
    i.setUids(ruid, euid, suid);
    i.setGids(rgid, egid, sgid);
    return i;
  }
}
