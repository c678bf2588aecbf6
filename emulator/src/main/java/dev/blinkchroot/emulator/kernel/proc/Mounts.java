package dev.blinkchroot.emulator.kernel.proc;

import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Mount;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.Vfs;

/**
 * /proc/PID/mounts and mountinfo (proc(5)) from the VFS mount table, as seen from the process's
 * root: mounts outside it are left out, mount points are shown from it.
 */
final class Mounts {
  private Mounts() {}

  /** mounts: "source mountpoint type options 0 0". */
  static String mounts(Vfs vfs, FsContext fs) {
    StringBuilder sb = new StringBuilder();
    for (Mount m : vfs.mounts()) {
      String point = mountPoint(vfs, fs, m);
      if (point == null) {
        continue;
      }
      sb.append(escape(m.source())).append(' ').append(escape(point)).append(' ')
          .append(m.backend().typeName()).append(' ').append(options(m)).append(" 0 0\n");
    }
    return sb.toString();
  }

  /**
   * mountinfo: "id parent major:minor root mountpoint options [optional fields] - type source
   * superoptions". The root mount is its own parent; no mount has propagation fields.
   */
  static String mountinfo(Vfs vfs, FsContext fs) {
    StringBuilder sb = new StringBuilder();
    for (Mount m : vfs.mounts()) {
      String point = mountPoint(vfs, fs, m);
      if (point == null) {
        continue;
      }
      Mount parent = m.parent();
      long dev = m.backend().deviceId();
      sb.append(m.id()).append(' ').append(parent == null ? m.id() : parent.id()).append(' ')
          .append(Stat.major(dev)).append(':').append(Stat.minor(dev)).append(" / ")
          .append(escape(point)).append(' ').append(options(m)).append(" - ")
          .append(m.backend().typeName()).append(' ').append(escape(m.source())).append(' ')
          .append(m.isReadOnly() ? "ro" : "rw").append('\n');
    }
    return sb.toString();
  }

  /** Where {@code m} is mounted as {@code fs} sees it, or null when outside its root. */
  private static String mountPoint(Vfs vfs, FsContext fs, Mount m) {
    try {
      String p = ProcessDir.latin1(vfs.pathOf(fs, m.root()));
      return p.startsWith("/") ? p : null; // "(unreachable)..." lies outside the root
    } catch (ErrnoException e) {
      return null;
    }
  }

  /**
   * The per-mount options: "rw" or "ro", and "relatime" (atime is never updated, which relatime
   * allows). nosuid, nodev and noexec are not shown: the VFS does not enforce them.
   */
  static String options(Mount m) {
    return (m.isReadOnly() ? "ro" : "rw") + ",relatime";
  }

  /** Space, tab, newline and backslash as octal escapes, as Linux's mangle() writes them. */
  static String escape(String s) {
    if (s == null || s.isEmpty()) {
      return "none";
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\\') {
        sb.append('\\').append(String.format("%03o", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
