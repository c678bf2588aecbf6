package dev.blinkchroot.runner.fs;

import dev.blinkchroot.vfs.FileType;

/** The ten-character mode of {@code ls -l} and {@code stat}, e.g. "drwxrwxrwt", "-rwsr-xr-x". */
public final class ModeString {
  private ModeString() {}

  public static String of(int mode) {
    FileType type = FileType.ofMode(mode);
    char[] c = new char[10];
    c[0] = type == null ? '?' : type.lsLetter();
    triplet(c, 1, mode >> 6, (mode & FileType.S_ISUID) != 0, 's');
    triplet(c, 4, mode >> 3, (mode & FileType.S_ISGID) != 0, 's');
    triplet(c, 7, mode, (mode & FileType.S_ISVTX) != 0, 't');
    return new String(c);
  }

  /** rwx; a special bit shows in the x place, lower case when x is also set (as chmod(1)). */
  private static void triplet(char[] c, int at, int bits, boolean special, char specialLetter) {
    c[at] = (bits & 4) != 0 ? 'r' : '-';
    c[at + 1] = (bits & 2) != 0 ? 'w' : '-';
    boolean exec = (bits & 1) != 0;
    if (special) {
      c[at + 2] = exec ? specialLetter : Character.toUpperCase(specialLetter);
    } else {
      c[at + 2] = exec ? 'x' : '-';
    }
  }
}
