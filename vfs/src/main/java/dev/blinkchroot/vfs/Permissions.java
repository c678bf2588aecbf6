package dev.blinkchroot.vfs;

/**
 * Discretionary access control as Linux applies it ({@code path_resolution(7)}, "Permissions"):
 * owner bits, else group bits (the file's group is the caller's or a supplementary one), else
 * other bits. uid 0 passes every check, except that execute of a non-directory needs at least
 * one execute bit set.
 */
final class Permissions {
  static final int MAY_EXEC = 1;
  static final int MAY_WRITE = 2;
  static final int MAY_READ = 4;

  private Permissions() {}

  static boolean permits(Credentials who, Stat st, int mask) {
    if (who.isRoot()) {
      return (mask & MAY_EXEC) == 0
          || st.type() == FileType.DIRECTORY
          || (st.mode() & 0111) != 0;
    }
    int bits;
    if (who.uid() == st.uid()) {
      bits = st.mode() >> 6;
    } else if (who.inGroup(st.gid())) {
      bits = st.mode() >> 3;
    } else {
      bits = st.mode();
    }
    return (bits & mask & 7) == mask;
  }

  /** Throws EACCES unless {@code who} may access {@code inode} for {@code mask}. */
  static void check(Credentials who, Inode inode, int mask) {
    if (!permits(who, inode.stat(), mask)) {
      throw Errno.EACCES.exception();
    }
  }

  /** True if {@code who} owns the file or has CAP_FOWNER. */
  static boolean ownsOrRoot(Credentials who, Stat st) {
    return who.isRoot() || who.uid() == st.uid();
  }

  /**
   * The sticky-directory rule of unlink(2) and rename(2): in a directory with S_ISVTX, only the
   * file's owner, the directory's owner or a privileged caller may remove or rename an entry.
   */
  static void checkSticky(Credentials who, Stat dir, Stat victim) {
    if ((dir.mode() & FileType.S_ISVTX) != 0 && !who.isRoot()
        && who.uid() != dir.uid() && who.uid() != victim.uid()) {
      throw Errno.EPERM.exception("sticky directory");
    }
  }
}
