package dev.blinkchroot.vfs;

/** The file types of {@code inode(7)}, with their {@code S_IFMT} bits and {@code d_type} values. */
public enum FileType {
  FIFO(0010000, 1),
  CHARACTER_DEVICE(0020000, 2),
  DIRECTORY(0040000, 4),
  BLOCK_DEVICE(0060000, 6),
  REGULAR(0100000, 8),
  SYMLINK(0120000, 10),
  SOCKET(0140000, 12);

  public static final int S_IFMT = 0170000;
  /** The permission and set-id bits of a mode: {@code 07777}. */
  public static final int PERMISSION_BITS = 07777;
  public static final int S_ISUID = 04000;
  public static final int S_ISGID = 02000;
  public static final int S_ISVTX = 01000;
  /** {@code DT_UNKNOWN} for getdents64. */
  public static final int DT_UNKNOWN = 0;

  private final int modeBits;
  private final int direntType;

  FileType(int modeBits, int direntType) {
    this.modeBits = modeBits;
    this.direntType = direntType;
  }

  /** The {@code S_IFxxx} value of this type. */
  public int modeBits() {
    return modeBits;
  }

  /** The {@code DT_xxx} value getdents64 reports. */
  public int direntType() {
    return direntType;
  }

  /** The type a full {@code st_mode} names, or null when its type bits name none. */
  public static FileType ofMode(int mode) {
    switch (mode & S_IFMT) {
      case 0010000: return FIFO;
      case 0020000: return CHARACTER_DEVICE;
      case 0040000: return DIRECTORY;
      case 0060000: return BLOCK_DEVICE;
      case 0100000: return REGULAR;
      case 0120000: return SYMLINK;
      case 0140000: return SOCKET;
      default: return null;
    }
  }

  /** The letter {@code ls -l} prints for this type. */
  public char lsLetter() {
    switch (this) {
      case FIFO: return 'p';
      case CHARACTER_DEVICE: return 'c';
      case DIRECTORY: return 'd';
      case BLOCK_DEVICE: return 'b';
      case SYMLINK: return 'l';
      case SOCKET: return 's';
      default: return '-';
    }
  }

  public boolean isDevice() {
    return this == CHARACTER_DEVICE || this == BLOCK_DEVICE;
  }
}
