package dev.blinkchroot.emulator.kernel.trace;

import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.syscall.SyscallRows;
import java.util.StringJoiner;

/**
 * The Linux names of flag sets and enumerations that --strace prints symbolically, by the
 * signature type that names them in {@link SyscallRows}. Values from the x86-64 headers.
 */
final class StraceFlags {
  private StraceFlags() {}

  private static final String[][] OPEN = {
      {"01", "O_WRONLY"}, {"02", "O_RDWR"}, {"0100", "O_CREAT"}, {"0200", "O_EXCL"},
      {"0400", "O_NOCTTY"}, {"01000", "O_TRUNC"}, {"02000", "O_APPEND"}, {"04000", "O_NONBLOCK"},
      {"010000", "O_DSYNC"}, {"020000", "O_ASYNC"}, {"040000", "O_DIRECT"},
      {"0100000", "O_LARGEFILE"}, {"0200000", "O_DIRECTORY"}, {"0400000", "O_NOFOLLOW"},
      {"01000000", "O_NOATIME"}, {"02000000", "O_CLOEXEC"}, {"04000000", "__O_SYNC"},
      {"010000000", "O_PATH"}, {"020000000", "__O_TMPFILE"}};
  private static final String[][] AT = {
      {"0x100", "AT_SYMLINK_NOFOLLOW"}, {"0x200", "AT_REMOVEDIR"}, {"0x400", "AT_SYMLINK_FOLLOW"},
      {"0x800", "AT_NO_AUTOMOUNT"}, {"0x1000", "AT_EMPTY_PATH"}, {"0x2000", "AT_STATX_FORCE_SYNC"},
      {"0x4000", "AT_STATX_DONT_SYNC"}};
  private static final String[][] PROT = {
      {"1", "PROT_READ"}, {"2", "PROT_WRITE"}, {"4", "PROT_EXEC"}, {"0x1000000", "PROT_GROWSDOWN"},
      {"0x2000000", "PROT_GROWSUP"}};
  private static final String[][] MAP = {
      {"0x01", "MAP_SHARED"}, {"0x02", "MAP_PRIVATE"}, {"0x03", "MAP_SHARED_VALIDATE"},
      {"0x10", "MAP_FIXED"}, {"0x20", "MAP_ANONYMOUS"}, {"0x100", "MAP_GROWSDOWN"},
      {"0x800", "MAP_DENYWRITE"}, {"0x1000", "MAP_EXECUTABLE"}, {"0x2000", "MAP_LOCKED"},
      {"0x4000", "MAP_NORESERVE"}, {"0x8000", "MAP_POPULATE"}, {"0x10000", "MAP_NONBLOCK"},
      {"0x20000", "MAP_STACK"}, {"0x40000", "MAP_HUGETLB"}, {"0x100000", "MAP_FIXED_NOREPLACE"}};
  private static final String[][] ACCESS = {{"4", "R_OK"}, {"2", "W_OK"}, {"1", "X_OK"}};
  private static final String[][] RENAME = {
      {"1", "RENAME_NOREPLACE"}, {"2", "RENAME_EXCHANGE"}, {"4", "RENAME_WHITEOUT"}};
  private static final String[][] XATTR = {{"1", "XATTR_CREATE"}, {"2", "XATTR_REPLACE"}};
  private static final String[][] MREMAP = {
      {"1", "MREMAP_MAYMOVE"}, {"2", "MREMAP_FIXED"}, {"4", "MREMAP_DONTUNMAP"}};
  private static final String[][] MSYNC = {{"1", "MS_ASYNC"}, {"2", "MS_INVALIDATE"}, {"4", "MS_SYNC"}};
  private static final String[][] FLOCK = {{"1", "LOCK_SH"}, {"2", "LOCK_EX"}, {"4", "LOCK_NB"},
      {"8", "LOCK_UN"}};

  private static final String[] WHENCE = {"SEEK_SET", "SEEK_CUR", "SEEK_END", "SEEK_DATA",
      "SEEK_HOLE"};
  private static final String[] CLOCKS = {"CLOCK_REALTIME", "CLOCK_MONOTONIC",
      "CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW",
      "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME"};
  private static final String[] SIGHOW = {"SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK"};
  private static final String[] RLIMITS = {"RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA",
      "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE",
      "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE",
      "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME"};
  private static final String[] FCNTL = {"F_DUPFD", "F_GETFD", "F_SETFD", "F_GETFL", "F_SETFL",
      "F_GETLK", "F_SETLK", "F_SETLKW", "F_SETOWN", "F_GETOWN", "F_SETSIG", "F_GETSIG"};
  private static final String[] MADVICE = {"MADV_NORMAL", "MADV_RANDOM", "MADV_SEQUENTIAL",
      "MADV_WILLNEED", "MADV_DONTNEED", null, null, null, "MADV_FREE", "MADV_REMOVE",
      "MADV_DONTFORK", "MADV_DOFORK", "MADV_MERGEABLE", "MADV_UNMERGEABLE", "MADV_HUGEPAGE",
      "MADV_NOHUGEPAGE", "MADV_DONTDUMP", "MADV_DODUMP"};

  /** The symbolic form of {@code value} for signature type {@code type}, or null if not symbolic. */
  static String format(String type, long value) {
    switch (type) {
      case "oflags":
        return openFlags(value);
      case "atflags":
        return bits(value, AT, "0");
      case "prot":
        return value == 0 ? "PROT_NONE" : bits(value, PROT, "0");
      case "mapflags":
        return mapFlags(value);
      case "accessmode":
        return value == 0 ? "F_OK" : bits(value, ACCESS, "0");
      case "renameflags":
        return bits(value, RENAME, "0");
      case "xattrflags":
        return bits(value, XATTR, "0");
      case "mremapflags":
        return bits(value, MREMAP, "0");
      case "msyncflags":
        return bits(value, MSYNC, "0");
      case "flockop":
        return bits(value, FLOCK, "0");
      case "whence":
        return name(WHENCE, value);
      case "clockid":
        return name(CLOCKS, value);
      case "sighow":
        return name(SIGHOW, value);
      case "rlimit":
        return name(RLIMITS, value);
      case "fcntlcmd":
        return fcntl(value);
      case "madvice":
        return name(MADVICE, value);
      case "signal":
        return Signals.name((int) value);
      case "archprctl":
        return archPrctl(value);
      case "mode":
        return "0" + Long.toOctalString(value & 07777);
      case "dirfd":
        return (int) value == -100 ? "AT_FDCWD" : Integer.toString((int) value);
      default:
        return null;
    }
  }

  private static String openFlags(long value) {
    String access;
    switch ((int) value & 3) {
      case 0: access = "O_RDONLY"; break;
      case 1: access = "O_WRONLY"; break;
      case 2: access = "O_RDWR"; break;
      default: access = "O_ACCMODE"; break;
    }
    String rest = bits(value & ~3L, OPEN, null);
    return rest == null ? access : access + "|" + rest;
  }

  private static String mapFlags(long value) {
    String type;
    switch ((int) value & 3) {
      case 1: type = "MAP_SHARED"; break;
      case 2: type = "MAP_PRIVATE"; break;
      case 3: type = "MAP_SHARED_VALIDATE"; break;
      default: type = null; break;
    }
    String rest = bits(value & ~3L, MAP, null);
    if (type == null) {
      return rest == null ? "0" : rest;
    }
    return rest == null ? type : type + "|" + rest;
  }

  private static String fcntl(long value) {
    if (value >= 0 && value < FCNTL.length) {
      return FCNTL[(int) value];
    }
    switch ((int) value) {
      case 1024: return "F_SETLEASE";
      case 1025: return "F_GETLEASE";
      case 1030: return "F_DUPFD_CLOEXEC";
      case 1031: return "F_SETPIPE_SZ";
      case 1032: return "F_GETPIPE_SZ";
      case 36: return "F_OFD_GETLK";
      case 37: return "F_OFD_SETLK";
      case 38: return "F_OFD_SETLKW";
      default: return Long.toString(value);
    }
  }

  private static String archPrctl(long value) {
    switch ((int) value) {
      case 0x1001: return "ARCH_SET_GS";
      case 0x1002: return "ARCH_SET_FS";
      case 0x1003: return "ARCH_GET_FS";
      case 0x1004: return "ARCH_GET_GS";
      case 0x1011: return "ARCH_GET_CPUID";
      case 0x1012: return "ARCH_SET_CPUID";
      default: return "0x" + Long.toHexString(value);
    }
  }

  private static String name(String[] names, long value) {
    if (value >= 0 && value < names.length && names[(int) value] != null) {
      return names[(int) value];
    }
    return Long.toString(value);
  }

  /** "A|B|0x..." for the named bits of {@code value}; {@code zero} when it is 0. */
  private static String bits(long value, String[][] table, String zero) {
    if (value == 0) {
      return zero;
    }
    StringJoiner out = new StringJoiner("|");
    long rest = value;
    for (String[] row : table) {
      long bit = Long.decode(row[0]);
      if ((rest & bit) == bit) {
        out.add(row[1]);
        rest &= ~bit;
      }
    }
    if (rest != 0) {
      out.add("0x" + Long.toHexString(rest));
    }
    return out.toString();
  }
}
